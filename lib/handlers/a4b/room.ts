import {
  AssociateDeviceWithRoomCommand, AssociateSkillGroupWithRoomCommand, CreateRoomCommand, DeleteRoomCommand, DisassociateDeviceFromRoomCommand,
  DisassociateSkillGroupFromRoomCommand, GetProfileCommand, GetRoomCommand, SearchDevicesCommand, SearchRoomsCommand, TagResourceCommand,
  UntagResourceCommand, UpdateRoomCommand,
} from '@aws-sdk/client-alexa-for-business';
import { RENAMED_FROM_TAG, RoomProps } from '../../contract';
import { currentRequest, ResourceError } from '../cfn';
import { a4b } from './client';
import { changedFields, devicesToRelease, isEmptyChange, SetChange, setChange, TagChange, tagChange } from './plan';
import { PropertyReader, Tag } from './properties';
import { allPages, liveTags, ResourceKind } from './resource';
import { Steps } from './steps';

export interface RoomSpec {
  readonly RoomName: string;
  readonly Description?: string;
  readonly ProviderCalendarId?: string;
  readonly ProfileArn: string;
  readonly skillGroupArns: string[];
  /** Undefined: the room's devices are not managed by the stack. */
  readonly deviceArns?: string[];
  readonly tags: Tag[];
  readonly adoptExisting: boolean;
  /** Devices removed from the room are released by a later step of the deploy, not by this room's update. */
  readonly deviceReleaseDeferred?: boolean;
}

export function readRoom(props: Record<string, unknown>, resource: string): RoomSpec {
  const p = new PropertyReader(props, resource);
  return {
    RoomName: p.requiredString(RoomProps.NAME),
    Description: p.string(RoomProps.DESCRIPTION),
    ProviderCalendarId: p.string(RoomProps.MAILBOX),
    ProfileArn: p.requiredString(RoomProps.PROFILE_ARN),
    skillGroupArns: p.stringList(RoomProps.SKILL_GROUP_ARNS) ?? [],
    deviceArns: p.stringList(RoomProps.DEVICE_ARNS),
    tags: p.tags(RoomProps.TAGS),
    adoptExisting: p.boolean(RoomProps.ADOPT_EXISTING) ?? false,
    deviceReleaseDeferred: p.string(RoomProps.DEVICE_RELEASE) === 'deferred',
  };
}

export interface RoomPlan {
  /** Members for UpdateRoom; empty when nothing changes. */
  readonly fields: { RoomName?: string; Description?: string; ProviderCalendarId?: string; ProfileArn?: string };
  readonly skillGroups: SetChange;
  readonly devices: SetChange;
  readonly tags: TagChange;
  /** Members declared before and removed now that A4B has no way to clear. */
  readonly unclearable: string[];
}

export function planRoomUpdate(before: RoomSpec, after: RoomSpec): RoomPlan {
  const fields = changedFields(before, after, ['RoomName', 'Description', 'ProviderCalendarId', 'ProfileArn']);
  const unclearable: string[] = [];
  // A4B accepts an empty ProviderCalendarId (length 0..100) but no empty Description (length 1..200).
  if (before.ProviderCalendarId && after.ProviderCalendarId === undefined) fields.ProviderCalendarId = '';
  if (before.Description !== undefined && after.Description === undefined) {
    delete fields.Description;
    unclearable.push('Description');
  }
  return {
    fields,
    skillGroups: setChange(before.skillGroupArns, after.skillGroupArns),
    devices: after.deviceArns === undefined ? { add: [], remove: [] } : setChange(before.deviceArns ?? [], after.deviceArns),
    tags: tagChange(before.tags, after.tags),
    unclearable,
  };
}

export const roomKind: ResourceKind<RoomSpec> = {
  arnKind: 'room',
  label: 'room',
  operations: { create: 'CreateRoom', find: 'SearchRooms' },
  read: readRoom,
  name: (spec) => spec.RoomName,
  adoptExisting: (spec) => spec.adoptExisting,

  async create(spec, token) {
    const out = await a4b.send(new CreateRoomCommand({
      RoomName: spec.RoomName,
      Description: spec.Description,
      ProviderCalendarId: spec.ProviderCalendarId,
      ProfileArn: spec.ProfileArn,
      ClientRequestToken: token,
      Tags: spec.tags.length ? spec.tags : undefined,
    }));
    return out.RoomArn!;
  },

  async afterCreate(arn, spec, steps) {
    const empty = { RoomName: spec.RoomName, ProfileArn: spec.ProfileArn, skillGroupArns: [], deviceArns: [], tags: spec.tags, adoptExisting: false };
    await applyAssociations(arn, planRoomUpdate({ ...empty, Description: spec.Description, ProviderCalendarId: spec.ProviderCalendarId }, spec), steps);
  },

  async find(name) {
    const out = await a4b.send(new SearchRoomsCommand({ Filters: [{ Key: 'RoomName', Values: [name] }], MaxResults: 10 }));
    return out.Rooms?.find((r) => r.RoomName === name)?.RoomArn;
  },

  async readLive(arn, desired) {
    const { Room } = await a4b.send(new GetRoomCommand({ RoomArn: arn }));
    const tags = await liveTags(arn);
    const devices = desired.deviceArns === undefined ? undefined : await allPages((NextToken) =>
      a4b.send(new SearchDevicesCommand({ Filters: [{ Key: 'RoomName', Values: [Room!.RoomName!] }], MaxResults: 50, NextToken }))
        .then((o) => ({ items: o.Devices?.map((d) => d.DeviceArn!), NextToken: o.NextToken })));
    return {
      RoomName: Room!.RoomName!,
      Description: Room!.Description,
      ProviderCalendarId: Room!.ProviderCalendarId || undefined,
      ProfileArn: Room!.ProfileArn!,
      // A4B has no read for a room's skill groups: adoption associates the declared ones and removes none.
      skillGroupArns: [],
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
    if (Object.keys(plan.fields).length) {
      await steps.run('UpdateRoom', `updated ${Object.keys(plan.fields).join(', ')}`, () => a4b.send(new UpdateRoomCommand({ RoomArn: arn, ...plan.fields })));
    }
    // Deferred: the inventory's device release takes devices out after every room has taken its own (adoption still cleans up here).
    await applyAssociations(arn, after.deviceReleaseDeferred && !adopting ? { ...plan, devices: { add: plan.devices.add, remove: [] } } : plan, steps);
  },

  async delete(arn) {
    await a4b.send(new DeleteRoomCommand({ RoomArn: arn }));
  },

  // A case-only rename (Bravo -> BRAVO) gives the room a new construct id, so CloudFormation creates a new resource
  // before it deletes the old one; A4B names are unique ignoring case, so the Create meets the old room. That room is
  // taken over when it is plainly the same room: same name but for case, same profile, same mailbox. It is marked
  // until the old resource's cleanup Delete confirms the rename; a rollback's Delete gives it its old name back.
  async takeOver(spec, steps) {
    const { Profile } = await steps.run('GetProfile', 'read the room profile', () => a4b.send(new GetProfileCommand({ ProfileArn: spec.ProfileArn })));
    // SearchRooms filters match names exactly; the room's profile narrows the list to read.
    const rooms = await steps.run('SearchRooms', 'looked for the room under another case', () => allPages((NextToken) =>
      a4b.send(new SearchRoomsCommand({ Filters: [{ Key: 'ProfileName', Values: [Profile!.ProfileName!] }], MaxResults: 50, NextToken }))
        .then((o) => ({ items: o.Rooms, NextToken: o.NextToken }))));
    const same = rooms.find((r) => r.RoomName?.toLowerCase() === spec.RoomName.toLowerCase()
      && (r.ProviderCalendarId ?? '').toLowerCase() === (spec.ProviderCalendarId ?? '').toLowerCase());
    if (!same) return undefined;
    const arn = same.RoomArn!;
    const mark = (await liveTags(arn, true)).find((t) => t.Key === RENAMED_FROM_TAG)?.Value;
    // The same name exactly is someone else's room, unless an interrupted takeover already renamed it.
    if (same.RoomName === spec.RoomName && mark === undefined) return undefined;
    if (mark === undefined) {
      await steps.run('TagResource', `marked room ${arn} as renamed from '${same.RoomName}'`,
        () => a4b.send(new TagResourceCommand({ Arn: arn, Tags: [{ Key: RENAMED_FROM_TAG, Value: Buffer.from(same.RoomName!).toString('base64url') }] })));
    }
    // Marked, the room is this request's: a failure from here names it, so the rollback's Delete gives it its old name back.
    const scope = currentRequest();
    if (scope) scope.physicalResourceId = arn;
    if (same.RoomName !== spec.RoomName) {
      await steps.run('UpdateRoom', `renamed room '${same.RoomName}' to '${spec.RoomName}'`, () => a4b.send(new UpdateRoomCommand({ RoomArn: arn, RoomName: spec.RoomName })));
    }
    return arn;
  },

  async release(arn, props) {
    const declared = typeof props[RoomProps.NAME] === 'string' ? props[RoomProps.NAME] as string : undefined;
    const mark = (await liveTags(arn, true)).find((t) => t.Key === RENAMED_FROM_TAG)?.Value;
    if (mark === undefined || declared === undefined) return true;
    const from = Buffer.from(mark, 'base64url').toString('utf8');
    const { Room } = await a4b.send(new GetRoomCommand({ RoomArn: arn }));
    const unmark = () => a4b.send(new UntagResourceCommand({ Arn: arn, TagKeys: [RENAMED_FROM_TAG] }));
    if (Room!.RoomName !== declared) {
      // The old resource's cleanup after a case-only rename: the new resource holds the room now.
      await unmark();
      return false;
    }
    if (from !== declared) {
      // The rollback of a case-only rename deletes the new resource: the room gets its old name back and stays.
      await a4b.send(new UpdateRoomCommand({ RoomArn: arn, RoomName: from }));
      await unmark();
      return false;
    }
    await unmark();
    return true;
  },
};

/** Association and tag changes; each call is idempotent in A4B, which is what makes CloudFormation's rollback Update safe. */
async function applyAssociations(arn: string, plan: RoomPlan, steps: Steps): Promise<void> {
  for (const sg of plan.skillGroups.remove) {
    await steps.run('DisassociateSkillGroupFromRoom', `removed skill group ${sg}`, () => a4b.send(new DisassociateSkillGroupFromRoomCommand({ RoomArn: arn, SkillGroupArn: sg })));
  }
  for (const sg of plan.skillGroups.add) {
    await steps.run('AssociateSkillGroupWithRoom', `added skill group ${sg}`, () => a4b.send(new AssociateSkillGroupWithRoomCommand({ RoomArn: arn, SkillGroupArn: sg })));
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

/** The devices in the room now. SearchDevices filters by room name only, so the name is read first and the ARN checked. */
async function devicesInRoom(arn: string): Promise<Set<string>> {
  const { Room } = await a4b.send(new GetRoomCommand({ RoomArn: arn }));
  const devices = await allPages((NextToken) => a4b.send(new SearchDevicesCommand({ Filters: [{ Key: 'RoomName', Values: [Room!.RoomName!] }], MaxResults: 50, NextToken }))
    .then((o) => ({ items: o.Devices, NextToken: o.NextToken })));
  return new Set(devices.filter((d) => d.RoomArn === undefined || d.RoomArn === arn).map((d) => d.DeviceArn!));
}
