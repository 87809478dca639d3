import {
  AssociateDeviceWithRoomCommand, AssociateSkillGroupWithRoomCommand, CreateRoomCommand, DeleteRoomCommand, DisassociateDeviceFromRoomCommand,
  DisassociateSkillGroupFromRoomCommand, GetProfileCommand, GetRoomCommand, UpdateRoomCommand,
} from '@aws-sdk/client-alexa-for-business';
import { a4bNameKey, RoomProps } from '../../contract';
import { devicesOfRoom, FilterKeys, findRoomByName } from '../../runtime/a4b/query';
import { ResourceError } from '../cfn';
import { a4b } from './client';
import { NameResolver, Resolved } from './names';
import {
  changedFields, devicesToRelease, isEmptyChange, namesToResolve, RefSetChange, refSetChange, resolveRefSetChange, SetChange, setChange, TagChange,
  tagChange,
} from './plan';
import { PropertyReader, Tag } from '../properties';
import { liveTags, ResourceKind } from './resource';
import { Steps } from './steps';

export interface RoomSpec {
  readonly RoomName: string;
  readonly Description?: string;
  readonly ProviderCalendarId?: string;
  /** The room profile by ARN; a room has this or ProfileName (undefined in a live room whose profile was deleted). */
  readonly ProfileArn?: string;
  /** The room profile by name, resolved at deploy time. */
  readonly ProfileName?: string;
  readonly skillGroupArns: string[];
  /** Skill groups by name, resolved at deploy time; the room's skill groups are these and skillGroupArns. */
  readonly skillGroupNames: string[];
  /** Undefined: the room's devices are not managed by the stack. */
  readonly deviceArns?: string[];
  readonly tags: Tag[];
  readonly adoptExisting: boolean;
  /** Devices removed from the room are released by a later step of the deploy, not by this room's update. */
  readonly deviceReleaseDeferred?: boolean;
}

export function readRoom(props: Record<string, unknown>, resource: string): RoomSpec {
  const p = new PropertyReader(props, resource);
  const profileArn = p.string(RoomProps.PROFILE_ARN) || undefined;
  const profileName = p.string(RoomProps.PROFILE_NAME) || undefined;
  if (profileArn && profileName) {
    throw new ResourceError(`${resource}: has both ${RoomProps.PROFILE_ARN} and ${RoomProps.PROFILE_NAME}; give one of them `
      + `(${RoomProps.PROFILE_NAME} for a room profile declared in another stack, ${RoomProps.PROFILE_ARN} otherwise)`);
  }
  if (!profileArn && !profileName) {
    throw new ResourceError(`${resource}: has neither ${RoomProps.PROFILE_ARN} nor ${RoomProps.PROFILE_NAME}; `
      + `give the room profile's ARN (${RoomProps.PROFILE_ARN}) or its name (${RoomProps.PROFILE_NAME})`);
  }
  const skillGroupNames = p.stringList(RoomProps.SKILL_GROUP_NAMES) ?? [];
  if (skillGroupNames.some((n) => n.trim() === '')) {
    throw new ResourceError(`${resource}: property ${RoomProps.SKILL_GROUP_NAMES} has an empty name; each must be the name of a skill group`);
  }
  return {
    RoomName: p.requiredString(RoomProps.NAME),
    Description: p.string(RoomProps.DESCRIPTION),
    ProviderCalendarId: p.string(RoomProps.MAILBOX),
    ProfileArn: profileArn,
    ProfileName: profileName,
    skillGroupArns: p.stringList(RoomProps.SKILL_GROUP_ARNS) ?? [],
    skillGroupNames,
    deviceArns: p.stringList(RoomProps.DEVICE_ARNS),
    tags: p.tags(RoomProps.TAGS),
    adoptExisting: p.boolean(RoomProps.ADOPT_EXISTING) ?? false,
    deviceReleaseDeferred: p.string(RoomProps.DEVICE_RELEASE) === 'deferred',
  };
}

/**
 * A profile change that a name must be resolved for. `name`: set the profile of that name, unless it is `unlessArn`
 * (the old profile, given by ARN). `arn`: set that profile, unless the old one, given by name (`unlessName`), is it.
 */
export interface ProfileChange {
  readonly name?: string;
  readonly unlessArn?: string;
  readonly arn?: string;
  readonly unlessName?: string;
}

export interface RoomPlan {
  /** Members for UpdateRoom; empty when nothing changes. */
  readonly fields: { RoomName?: string; Description?: string; ProviderCalendarId?: string; ProfileArn?: string };
  /** A profile change known only once a name is resolved (when fields.ProfileArn cannot say it already). */
  readonly profile?: ProfileChange;
  /** Computed on the names and ARNs as declared; only what it adds or removes by name is resolved. */
  readonly skillGroups: RefSetChange;
  readonly devices: SetChange;
  readonly tags: TagChange;
  /** Members declared before and removed now that A4B has no way to clear. */
  readonly unclearable: string[];
}

/**
 * Pure: what an update changes, from the declared properties alone. Names are compared with names (ignoring case:
 * A4B names are unique ignoring case, so two such names are one profile) and ARNs with ARNs, so an unchanged reference
 * costs no A4B call; a profile switched between ARN and name is left to a ProfileChange.
 */
export function planRoomUpdate(before: RoomSpec, after: RoomSpec): RoomPlan {
  const fields: RoomPlan['fields'] = changedFields(before, after, ['RoomName', 'Description', 'ProviderCalendarId']);
  const unclearable: string[] = [];
  // A4B accepts an empty ProviderCalendarId (length 0..100) but no empty Description (length 1..200).
  if (before.ProviderCalendarId && after.ProviderCalendarId === undefined) fields.ProviderCalendarId = '';
  if (before.Description !== undefined && after.Description === undefined) {
    delete fields.Description;
    unclearable.push('Description');
  }
  let profile: ProfileChange | undefined;
  if (after.ProfileName !== undefined) {
    if (before.ProfileName === undefined) profile = { name: after.ProfileName, unlessArn: before.ProfileArn };
    else if (a4bNameKey(before.ProfileName) !== a4bNameKey(after.ProfileName)) profile = { name: after.ProfileName };
  } else if (after.ProfileArn !== undefined && after.ProfileArn !== before.ProfileArn) {
    // From a name to an ARN: when UpdateRoom is called anyway, setting the profile costs nothing; else see whether it changed.
    if (before.ProfileName === undefined || Object.keys(fields).length) fields.ProfileArn = after.ProfileArn;
    else profile = { arn: after.ProfileArn, unlessName: before.ProfileName };
  }
  return {
    fields,
    profile,
    skillGroups: refSetChange(
      { arns: before.skillGroupArns, names: before.skillGroupNames },
      { arns: after.skillGroupArns, names: after.skillGroupNames },
    ),
    devices: after.deviceArns === undefined ? { add: [], remove: [] } : setChange(before.deviceArns ?? [], after.deviceArns),
    tags: tagChange(before.tags, after.tags),
    unclearable,
  };
}

export const roomKind: ResourceKind<RoomSpec> = {
  arnKind: 'room',
  label: 'room',
  operations: { create: 'CreateRoom', find: 'SearchRooms', read: 'GetRoom', rename: 'UpdateRoom' },
  read: readRoom,
  name: (spec) => spec.RoomName,
  adoptExisting: (spec) => spec.adoptExisting,

  async create(spec, token, steps, systemTags) {
    const tags = [...spec.tags, ...systemTags];
    const create = (ProfileArn: string | undefined) => a4b.send(new CreateRoomCommand({
      RoomName: spec.RoomName,
      Description: spec.Description,
      ProviderCalendarId: spec.ProviderCalendarId,
      ProfileArn,
      ClientRequestToken: token,
      Tags: tags.length ? tags : undefined,
    }));
    // Every name is resolved before anything is created (the skill groups for afterCreate, from the cache then): a name
    // that does not resolve fails the room with nothing made.
    const names = new NameResolver(steps);
    await names.resolve('skillGroup', spec.skillGroupNames, spec.skillGroupNames);
    if (spec.ProfileName === undefined) return (await create(spec.ProfileArn)).RoomArn!;
    const profile = await names.one('profile', spec.ProfileName, true);
    return (await names.withArn('profile', spec.ProfileName, profile, create, 'fail'))!.RoomArn!;
  },

  async afterCreate(arn, spec, steps) {
    const created: RoomSpec = { ...spec, skillGroupArns: [], skillGroupNames: [], deviceArns: [] };
    const plan = planRoomUpdate(created, spec);
    const names = new NameResolver(steps);
    await applyAssociations(arn, plan, await resolveSkillGroups(plan.skillGroups, names), names, steps);
  },

  async find(name) {
    return (await findRoomByName(a4b, name))?.RoomArn;
  },

  async readLive(arn, desired) {
    const { Room } = await a4b.send(new GetRoomCommand({ RoomArn: arn }));
    const tags = await liveTags(arn);
    const devices = desired.deviceArns === undefined ? undefined
      : (await devicesOfRoom(a4b, { name: Room!.RoomName!, arn })).map((d) => d.DeviceArn!);
    return {
      RoomName: Room!.RoomName!,
      Description: Room!.Description,
      ProviderCalendarId: Room!.ProviderCalendarId || undefined,
      ProfileArn: Room!.ProfileArn || undefined,
      // A4B has no read for a room's skill groups: adoption associates the declared ones and removes none.
      skillGroupArns: [],
      skillGroupNames: [],
      deviceArns: devices,
      tags: tags,
      adoptExisting: true,
    };
  },

  async update(arn, before, after, steps, adopting) {
    const plan = planRoomUpdate(before, after);
    if (plan.unclearable.length && !adopting) {
      throw new ResourceError(`room '${after.RoomName}': A4B cannot remove a room's ${plan.unclearable.join(', ')} once set: give it a new value instead of removing it`, arn);
    }
    const names = new NameResolver(steps);
    const fields = { ...plan.fields };
    // The profile name the new ProfileArn was resolved from: a stale cached ARN is resolved again.
    let resolved: { name: string; profile: Resolved } | undefined;
    if (plan.profile?.name !== undefined) {
      const profile = await names.one('profile', plan.profile.name, true);
      if (profile.arn !== plan.profile.unlessArn) {
        fields.ProfileArn = profile.arn;
        resolved = { name: plan.profile.name, profile };
      }
    } else if (plan.profile?.arn !== undefined) {
      const old = await names.one('profile', plan.profile.unlessName!, false);
      if (old?.arn !== plan.profile.arn) fields.ProfileArn = plan.profile.arn;
    }
    if (Object.keys(fields).length) {
      const update = (ProfileArn = fields.ProfileArn) => a4b.send(new UpdateRoomCommand({ RoomArn: arn, ...fields, ProfileArn }));
      await steps.run('UpdateRoom', `updated ${Object.keys(fields).join(', ')}`,
        () => (resolved ? names.withArn('profile', resolved.name, resolved.profile, update, 'fail') : update()));
    }
    const skillGroups = await resolveSkillGroups(plan.skillGroups, names);
    // Deferred: the inventory's device release takes devices out after every room has taken its own (adoption still cleans up here).
    const keepDevices = after.deviceReleaseDeferred && !adopting;
    await applyAssociations(arn, keepDevices ? { ...plan, devices: { add: plan.devices.add, remove: [] } } : plan, skillGroups, names, steps);
  },

  async delete(arn) {
    await a4b.send(new DeleteRoomCommand({ RoomArn: arn }));
  },

  // After a CreateRoom met the name in use. A4B names are unique ignoring case; a name in another case, which a name
  // filter that matches exactly does not return, is looked for among the rooms of the declared profile.
  async findExisting(spec, steps) {
    // Reads only: a failure is the create's, and nothing is recorded as applied.
    const profileName = spec.ProfileName !== undefined
      ? (await new NameResolver(steps).one('profile', spec.ProfileName, true)).name
      : (await a4b.send(new GetProfileCommand({ ProfileArn: spec.ProfileArn }))).Profile!.ProfileName!;
    const same = await findRoomByName(a4b, spec.RoomName, { otherCase: [{ Key: FilterKeys.PROFILE_NAME, Values: [profileName] }] });
    if (!same) return undefined;
    // Plainly the same room, renamed in case only (for a room no request has marked): same profile and mailbox.
    const plainlySame = same.RoomName !== spec.RoomName && a4bNameKey(same.ProfileName ?? '') === a4bNameKey(profileName)
      && (same.ProviderCalendarId ?? '').toLowerCase() === (spec.ProviderCalendarId ?? '').toLowerCase();
    return { arn: same.RoomArn!, name: same.RoomName!, plainlySame };
  },

  async rename(arn, name) {
    await a4b.send(new UpdateRoomCommand({ RoomArn: arn, RoomName: name }));
  },
};

/** The skill-group ARNs to associate and disassociate, with the names they were resolved from. */
interface ResolvedSkillGroups extends SetChange {
  readonly byName: Map<string, { name: string; group: Resolved }>;
}

/**
 * Resolves only the names a change adds or removes (all at once: one SearchSkillGroups at most when none is cached).
 * An added name that does not resolve fails the room; a removed one is already disassociated (deleting a skill group
 * takes it out of its rooms), so it is skipped.
 */
async function resolveSkillGroups(change: RefSetChange, names: NameResolver): Promise<ResolvedSkillGroups> {
  const found = await names.resolve('skillGroup', namesToResolve(change), change.addNames);
  const byName = new Map<string, { name: string; group: Resolved }>();
  for (const name of [...change.addNames, ...change.removeNames]) {
    const group = found.get(a4bNameKey(name));
    if (group) byName.set(group.arn, { name, group });
  }
  return { ...resolveRefSetChange(change, (n) => found.get(a4bNameKey(n))?.arn), byName };
}

/** Association and tag changes; each call is idempotent in A4B, which is what makes CloudFormation's rollback Update safe. */
async function applyAssociations(arn: string, plan: RoomPlan, skillGroups: ResolvedSkillGroups, names: NameResolver, steps: Steps): Promise<void> {
  const call = (sg: string, missing: 'fail' | 'skip', send: (sg: string) => Promise<unknown>) => {
    const named = skillGroups.byName.get(sg);
    return named ? names.withArn('skillGroup', named.name, named.group, send, missing) : send(sg);
  };
  const shown = (sg: string) => (skillGroups.byName.has(sg) ? `'${skillGroups.byName.get(sg)!.name}' (${sg})` : sg);
  for (const sg of skillGroups.remove) {
    await steps.run('DisassociateSkillGroupFromRoom', `removed skill group ${shown(sg)}`,
      () => call(sg, 'skip', (g) => a4b.send(new DisassociateSkillGroupFromRoomCommand({ RoomArn: arn, SkillGroupArn: g }))));
  }
  for (const sg of skillGroups.add) {
    await steps.run('AssociateSkillGroupWithRoom', `added skill group ${shown(sg)}`,
      () => call(sg, 'fail', (g) => a4b.send(new AssociateSkillGroupWithRoomCommand({ RoomArn: arn, SkillGroupArn: g }))));
  }
  if (plan.devices.remove.length) {
    // DisassociateDeviceFromRoom names only the device, so it takes the device out of whatever room holds it now: a device
    // moved to another room (by another room's update in the same deploy, running in parallel in another shard, or by
    // hand) must be left there. AssociateDeviceWithRoom moves a device from its current room (A4B API reference; the
    // emulator does the same), so the room that gains a device never needs the one that loses it to act first.
    const here = await devicesInRoom(arn).catch((e) => { throw steps.failure(e, 'SearchDevices'); });
    const { release, elsewhere } = devicesToRelease(plan.devices.remove, here);
    if (elsewhere.length) console.log(JSON.stringify({ room: arn, devicesNoLongerHere: elsewhere, note: 'not in this room any more: left where they are' }));
    for (const d of release) {
      await steps.run('DisassociateDeviceFromRoom', `removed device ${d}`, () => a4b.send(new DisassociateDeviceFromRoomCommand({ DeviceArn: d })));
    }
  }
  for (const d of plan.devices.add) {
    await steps.run('AssociateDeviceWithRoom', `added device ${d}`, () => a4b.send(new AssociateDeviceWithRoomCommand({ RoomArn: arn, DeviceArn: d })));
  }
  if (!isEmptyChange(plan.tags)) await steps.tags(arn, plan.tags);
}

/** The devices in the room now: SearchDevices filters by room name only, so the name is read first. */
async function devicesInRoom(arn: string): Promise<Set<string>> {
  const { Room } = await a4b.send(new GetRoomCommand({ RoomArn: arn }));
  return new Set((await devicesOfRoom(a4b, { name: Room!.RoomName!, arn })).map((d) => d.DeviceArn!));
}
