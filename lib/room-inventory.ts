import * as path from 'path';
import { CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CalendarLinkMethods } from './contract';
import { isMarked, mark } from './markers';
import { CalendarLinkMethod, CalendarRole, ConsentResource, Office365CalendarLink } from './calendar-link';
import { Inventory, InventoryDocument } from './inventory/model';
import { canonicalName, nameKey } from './inventory/names';
import { parseInventoryFile, parseInventoryText, ParsedInventory } from './inventory/parse';
import { constructIdFor, DEFAULT_SHARDS, MAX_ROOMS_PER_SHARD, shardId, shardOf, SKILL_GROUP_STACKS, skillGroupStackOf, waveOf } from './inventory/sharding';
import { validateInventory } from './inventory/validate';
import { _stackOrderedAsAWhole, Room } from './room';
import { LeanCfnResource } from './lean-cfn-resource';
import { checkNestedStackLimits } from './template-limits';
import { RoomDeletionGuard } from './room-deletion-guard';
import { DeviceRelease } from './device-release';
import { DistanceUnit, EndOfMeetingReminderType, RoomProfile, TemperatureUnit, WakeWord } from './room-profile';
import { SkillGroup } from './skill-group';
import { hasSecurityOptions, securityOptionsOf } from './bundled-function';
import { HandlerSecurityOptions } from './handler-options';
import { providerWithSecurity } from './provider';

/**
 * Properties for a RoomInventory. The security options apply to every function the inventory makes: the stack's
 * rooms provider (which it then creates, so no RoomsProvider may exist before it), the calendar link's validation,
 * and a DriftMonitor of the inventory unless the monitor gives its own.
 */
export interface RoomInventoryProps extends HandlerSecurityOptions {
  /**
   * Path of the inventory file (YAML or JSON).
   *
   * @default - `inventory` is used
   */
  readonly file?: string;

  /**
   * The inventory as an object, in the file's format (a parsed rooms.yaml). It is checked as the file would be, every
   * problem reported by its path in the object.
   *
   * @default - `file` is read
   */
  readonly inventory?: InventoryDocument;

  /**
   * How many nested stacks (shards) the rooms are spread over, each room by a hash of its name. Choose it once:
   * changing it moves rooms between shards, which deletes and re-creates them.
   *
   * @default 32 (room for the A4B quota of 10,000 rooms)
   */
  readonly shards?: number;

  /**
   * How many rooms one deploy may delete. A deploy that would delete more fails before it deletes any, naming how
   * many, and CloudFormation rolls it back. The context value `allowRoomDeletions` (`cdk deploy -c
   * allowRoomDeletions=40`) takes its place for one deploy. Rooms count as deleted when they leave the inventory,
   * and when a change of `shards` or of a room's key (its `id`, or its name) moves them to a new resource.
   *
   * @default 5
   */
  readonly maxRoomDeletions?: number;

  /**
   * Add a stack output, `…ConsoleStep`, saying the console's "Link account" step of the inventory's calendar link,
   * which A4B has no API for (`calendarLink.consoleStep` has the same text).
   *
   * @default false
   */
  readonly consoleStepOutput?: boolean;
}

/** Shards whose mailbox checks share a nested stack: 4 x 480 rooms of 100-character names and mailboxes fit in 1 MB. */
const SHARDS_PER_CHECK_STACK = 4;

/** Rooms one deploy may delete unless the inventory or the context allows more. */
const DEFAULT_MAX_ROOM_DELETIONS = 5;
/** The context key that allows more deletions for one deploy. */
const ALLOW_ROOM_DELETIONS_CONTEXT = 'allowRoomDeletions';

/**
 * Everything an inventory declares: the Office 365 calendar link, room profiles and skill groups in this stack,
 * and the rooms in nested stacks (shards) chosen by a stable hash of each room's name, so that adding, removing or
 * reordering rooms changes only the shards that hold them. The inventory is validated first, with every problem
 * reported as FILE:LINE:COL, exactly as `a4b-rooms validate` reports it.
 */
export class RoomInventory extends Construct {
  /**
   * Whether `x` is a room inventory construct, made by this copy of cdk-a4b-rooms or by another one in the same app
   * (use this rather than `instanceof`).
   */
  public static isRoomInventory(x: any): x is RoomInventory {
    return isMarked(x, 'RoomInventory');
  }

  /** @internal The checked inventory (not part of the jsii API: its shape is the file format's). */
  public readonly _inventory: Inventory;
  /** @internal The inventory file's name (no folder, so templates are the same on every machine), when read from a file. */
  public readonly _fileName?: string;
  /** The number of rooms. */
  public readonly roomCount: number;
  /** The shards that hold rooms. */
  public readonly shardCount: number;
  /** The calendar link, when the inventory declares one. */
  public readonly calendarLink?: Office365CalendarLink;
  /** The rooms it made, in name order. */
  public readonly rooms: Room[];
  /** The room profiles it made, in name order. */
  public readonly profiles: RoomProfile[];
  /** The skill groups it made, in name order. */
  public readonly skillGroups: SkillGroup[];
  /** @internal The security options of the inventory's functions, which its DriftMonitor takes by default. */
  public readonly _handlerSecurity: HandlerSecurityOptions;
  /** Its rooms by name key, made on the first roomByName. */
  private roomsByName?: Map<string, Room>;
  /** What to change when one of its nested stacks is over a CloudFormation limit, when not the generic advice. */
  private readonly limitAdvice = new Map<Stack, string>();

  constructor(scope: Construct, id: string, props: RoomInventoryProps) {
    super(scope, id);
    mark(this, 'RoomInventory');
    if ((props.file === undefined) === (props.inventory === undefined)) {
      throw new Error(`RoomInventory ${this.node.path}: give exactly one of file and inventory`);
    }
    const shards = props.shards ?? DEFAULT_SHARDS;
    if (!Number.isInteger(shards) || shards < 1 || shards > 100) throw new Error(`RoomInventory ${this.node.path}: shards ${shards} must be a whole number from 1 to 100`);
    const inv = this._inventory = checkedInventory(props);
    this._fileName = props.file === undefined ? undefined : path.basename(props.file);
    const maxRoomDeletions = this.maxRoomDeletions(props.maxRoomDeletions);
    this._handlerSecurity = securityOptionsOf(props);
    if (hasSecurityOptions(this._handlerSecurity)) providerWithSecurity(this, `RoomInventory ${this.node.path}`, this._handlerSecurity);

    const link = this.calendarLink = inv.calendarLink && this.linkOf(inv.calendarLink, props.consoleStepOutput);
    const catalog = this.catalogOf(inv);
    const byShard = new Map<number, Rooms>();
    const roomsByName = byName(inv.rooms);
    for (const r of roomsByName) {
      const n = shardOf(roomKey(r), shards);
      const rooms = byShard.get(n);
      if (rooms) rooms.push(r);
      else byShard.set(n, [r]);
    }
    // Each room's construct id, worked out once for its shard.
    const roomIds = new Map<Rooms[number], string>();
    for (const rooms of byShard.values()) for (const r of rooms) roomIds.set(r, constructIdFor('Room', roomKey(r)));
    const guard = new RoomDeletionGuard(this, 'RoomDeletionGuard', {
      inventory: `inventory ${this.node.path}`,
      rooms: (inv.rooms ?? []).map((r) => ({ name: r.name, id: r.id })),
      maxRoomDeletions,
    });
    // Every write waits for the guard, so a refused deploy fails before it changes anything.
    for (const s of catalog.stacks) dependsOn(s, guard);
    const checks = link && (inv.rooms ?? []).some((r) => r.mailbox) ? new MailboxChecks(this, link, guard) : undefined;
    const made = new Map<Rooms[number], Room>();
    const shardStacks = [...byShard].sort(([a], [b]) => a - b).map(([n, rooms]) => {
      const shard = this.shard(n, shards, rooms, roomIds, catalog, inv.tags, made);
      dependsOn(shard, guard);
      checks?.record(shard, n);
      return shard;
    });
    if (checks) {
      const gate = link!.gateRecordedChecks(this, 'MailboxCheckGate');
      for (const s of [...catalog.stacks, ...shardStacks]) dependsOn(s, gate);
    }
    this.releaseDevices(byShard, shardStacks);
    // Its own nested stacks only, after the last of them: the stack it is in is the user's to check (TemplateLimits).
    const ownStacks = () => this.node.children.filter((c): c is NestedStack => NestedStack.isNestedStack(c));
    checkNestedStackLimits(this, ownStacks, (s) => this.limitAdvice.get(s));
    this.roomCount = (inv.rooms ?? []).length;
    this.shardCount = byShard.size;
    this.rooms = roomsByName.map((r) => made.get(r)!);
    // The catalog's maps were filled in name order.
    this.profiles = [...catalog.profiles.values()];
    this.skillGroups = [...catalog.groups.values()];
  }

  /**
   * The room of this inventory with the given name, or undefined. Names match as the inventory rules compare them
   * (and A4B, which ignores case): 'Café' in NFC or NFD, any case, and white space at either end are one name.
   */
  public roomByName(name: string): Room | undefined {
    if (!this.roomsByName) this.roomsByName = new Map(this.rooms.map((r) => [nameKey(r.roomName), r]));
    return this.roomsByName.get(nameKey(name));
  }

  private linkOf(l: NonNullable<Inventory['calendarLink']>, consoleStepOutput?: boolean): Office365CalendarLink {
    return new Office365CalendarLink(this, 'CalendarLink', {
      ...this._handlerSecurity,
      tenant: l.tenantId,
      method: l.method === CalendarLinkMethods.DELEGATE
        ? CalendarLinkMethod.delegate({ serviceAccount: l.serviceAccount! })
        : CalendarLinkMethod.application({ applicationId: l.applicationId! }),
      credentials: secretFrom(this, l.credentialsSecret),
      grantMissingPermissions: l.grantMissingPermissions,
      acceptedRoles: l.acceptedRoles?.map((r) => CalendarRole.of(r)),
      consentResources: l.consentResources?.map((r) =>
        (r === ConsentResource.EXCHANGE_ONLINE.value ? ConsentResource.EXCHANGE_ONLINE : ConsentResource.MICROSOFT_GRAPH)),
      consoleStepOutput,
    });
  }

  /**
   * Profiles and skill groups, in nested stacks of their own that rooms name them from (the handler resolves the
   * names at deploy time): in the parent stack, 100 profiles and 1,000 skill groups would pass CloudFormation's 500
   * resources, and as ARNs each shard would take a parameter per profile and skill group its rooms use, past 200.
   */
  private catalogOf(inv: Inventory): Catalog {
    const stackName = Stack.of(this).stackName;
    // Only when there are profiles: CloudFormation refuses a template without resources.
    const profilesStack = inv.profiles?.length ? orderedAsAWhole(new NestedStack(this, 'Profiles', { description: `cdk-a4b-rooms: room profiles of ${stackName}` })) : undefined;
    // Keyed by NFC name: rooms may name them in NFC or NFD (the rules hold them to one of the two).
    const profiles = new Map(byName(inv.profiles).map((p) => [canonicalName(p.name), profileOf(profilesStack!, p, inv.tags)]));
    if (profilesStack) paceInWaves(profilesStack, [...profiles].map(([key, construct]) => ({ key, construct })));
    const groupStacks = new Map<number, NestedStack>();
    const groups = new Map<string, SkillGroup>();
    const groupStackOf = new Map<string, number>();
    for (const g of byName(inv.skillGroups)) {
      const n = skillGroupStackOf(g.name);
      groupStackOf.set(canonicalName(g.name), n);
      let groupStack = groupStacks.get(n);
      if (!groupStack) {
        groupStack = orderedAsAWhole(new NestedStack(this, `SkillGroups${n}`, { description: `cdk-a4b-rooms: skill groups of ${stackName}, part ${n + 1} of ${SKILL_GROUP_STACKS}` }));
        groupStacks.set(n, groupStack);
      }
      groups.set(canonicalName(g.name), new SkillGroup(groupStack, constructIdFor('SkillGroup', g.name), { skillGroupName: g.name, description: g.description, tags: { ...inv.tags, ...g.tags }, adoptExisting: g.adoptExisting }));
    }
    for (const groupStack of groupStacks.values()) {
      paceInWaves(groupStack, [...groups].filter(([, g]) => Stack.of(g) === groupStack).map(([key, construct]) => ({ key, construct })));
    }
    const sortedGroupStacks = [...groupStacks].sort(([a], [b]) => a - b);
    return {
      profilesStack, profiles, groupStacks: sortedGroupStacks, groups, groupStackOf,
      stacks: [...(profilesStack ? [profilesStack] : []), ...sortedGroupStacks.map(([, s]) => s)],
    };
  }

  /** A shard: its rooms, written in waves, after the profile stack and the skill-group stacks its rooms name. */
  private shard(n: number, shards: number, rooms: Rooms, roomIds: Map<Rooms[number], string>, catalog: Catalog, tags: Inventory['tags'], made: Map<Rooms[number], Room>): NestedStack {
    if (rooms.length > MAX_ROOMS_PER_SHARD) {
      throw new Error(`RoomInventory ${this.node.path}: shard ${n} would hold ${rooms.length} rooms, over the ${MAX_ROOMS_PER_SHARD} a nested stack can take within CloudFormation's 500 resources; raise shards (now ${shards})`);
    }
    const shard = orderedAsAWhole(new NestedStack(this, shardId(n), { description: `cdk-a4b-rooms: rooms of ${Stack.of(this).stackName}, shard ${n} of ${shards}` }));
    this.limitAdvice.set(shard, `raise the inventory's shards (now ${shards}), which spreads its rooms over more nested stacks, or shorten the rooms' descriptions and tags`);
    // Nothing else: a new skill group changes one skill-group stack and no shard.
    dependsOn(shard, catalog.profilesStack!);
    const named = new Set<number>();
    for (const r of rooms) for (const g of r.skillGroups ?? []) named.add(catalog.groupStackOf.get(canonicalName(g))!);
    for (const [m, groupStack] of catalog.groupStacks) if (named.has(m)) dependsOn(shard, groupStack);
    paceInWaves(shard, rooms.map((r) => {
      const room = new Room(shard, roomIds.get(r)!, {
        roomName: r.name,
        mailbox: r.mailbox,
        description: r.description,
        profile: catalog.profiles.get(canonicalName(r.profile))!,
        skillGroups: (r.skillGroups ?? []).map((g) => catalog.groups.get(canonicalName(g))!),
        deviceArns: r.devices,
        // Inventory tags are merged here rather than with Tags.of(): an aspect over 10,000 rooms costs seconds.
        tags: { ...tags, ...r.tags },
        adoptExisting: r.adoptExisting,
      });
      room._checkedByInventory();
      made.set(r, room);
      if (r.devices) room._deferDeviceRelease();
      return { key: roomKey(r), construct: room };
    }));
    return shard;
  }

  /**
   * Devices leave a room only after every shard has updated its rooms: a device moved to a room of another shard is
   * in its new room by then, and stays there. One release per shard that manages devices, in a nested stack of its own.
   */
  private releaseDevices(byShard: Map<number, Rooms>, shardStacks: NestedStack[]): void {
    for (const [n, rooms] of byShard) {
      const managed = rooms.filter((r) => r.devices).map((r) => ({ name: r.name, devices: r.devices! }));
      if (!managed.length) continue;
      const release = new NestedStack(this, `DeviceRelease${shardId(n).slice('Shard'.length)}`, { description: `cdk-a4b-rooms: device release of ${Stack.of(this).stackName}, shard ${n}` });
      new DeviceRelease(release, 'DeviceRelease', { rooms: managed });
      for (const s of shardStacks) dependsOn(release, s);
    }
  }

  private maxRoomDeletions(fromProps: number | undefined): number {
    const fromContext = this.node.tryGetContext(ALLOW_ROOM_DELETIONS_CONTEXT);
    const [value, source] = fromContext !== undefined ? [Number(fromContext), `context ${ALLOW_ROOM_DELETIONS_CONTEXT}=${fromContext}`]
      : [fromProps ?? DEFAULT_MAX_ROOM_DELETIONS, `maxRoomDeletions ${fromProps}`];
    if (!Number.isInteger(value) || value < 0) throw new Error(`RoomInventory ${this.node.path}: ${source} must be a whole number of rooms, 0 or more`);
    return value;
  }
}

type Rooms = NonNullable<Inventory['rooms']>;

/** An inventory's profiles and skill groups, and the nested stacks that hold them. */
interface Catalog {
  readonly profilesStack?: NestedStack;
  readonly profiles: Map<string, RoomProfile>;
  readonly groupStacks: Array<[number, NestedStack]>;
  readonly groups: Map<string, SkillGroup>;
  /** The skill-group stack of each skill group, by name (the maps are keyed by NFC name). */
  readonly groupStackOf: Map<string, number>;
  readonly stacks: NestedStack[];
}

/**
 * Every mailbox is checked before any A4B write, and one deploy reports every bad room: a check per shard, all side by
 * side, each recording its bad rooms, in nested stacks of their own (MailboxChecksN, four shards each, so that 10,000
 * mailboxes stay within CloudFormation's 1 MB a template); a gate after all of them fails with every one
 * (lib/handlers/calendar-link/gate.ts). Profiles, skill groups and shards all wait for the gate. Side by side is within
 * Graph's limits: Outlook's "4 concurrent requests" and "10,000 API requests in a 10 minute period" are per app ID
 * and mailbox (Microsoft Graph service-specific throttling limits, Outlook service limits,
 * concepts/throttling-limits.md), and each mailbox is in one shard; each check keeps its own 4 $batch requests in
 * flight, so the app has up to 4 per shard checking at once.
 */
class MailboxChecks {
  private readonly stacks = new Map<number, NestedStack>();

  constructor(private readonly scope: Construct, private readonly link: Office365CalendarLink, private readonly guard: Construct) {}

  record(shard: NestedStack, n: number): void {
    this.link.recordRoomsIn(shard, this.stackFor(n), shardId(n));
  }

  private stackFor(n: number): NestedStack {
    const k = Math.floor(n / SHARDS_PER_CHECK_STACK);
    let s = this.stacks.get(k);
    if (!s) {
      const [first, last] = [k * SHARDS_PER_CHECK_STACK, k * SHARDS_PER_CHECK_STACK + SHARDS_PER_CHECK_STACK - 1];
      s = new NestedStack(this.scope, `MailboxChecks${k}`, { description: `cdk-a4b-rooms: Office 365 checks of the room mailboxes of ${Stack.of(this.scope).stackName}, shards ${first} to ${last}` });
      dependsOn(s, this.link);
      dependsOn(s, this.guard);
      this.stacks.set(k, s);
    }
    return s;
  }
}

/** The inventory of `props`, parsed and checked: every problem at FILE:LINE:COL, as `a4b-rooms validate` words it. */
function checkedInventory(props: RoomInventoryProps): Inventory {
  const parsed: ParsedInventory = props.file !== undefined ? parseInventoryFile(props.file) : parseInventoryText(JSON.stringify(props.inventory, null, 2), '<inventory>');
  const problems = validateInventory(parsed);
  if (problems.length) {
    throw new Error(`${problems.length} problem${problems.length > 1 ? 's' : ''} in inventory ${parsed.file}:\n${problems.join('\n')}`);
  }
  return parsed.inventory;
}

function profileOf(scope: Construct, p: NonNullable<Inventory['profiles']>[number], tags: Inventory['tags']): RoomProfile {
  const mr = p.meetingRoom;
  return new RoomProfile(scope, constructIdFor('Profile', p.name), {
    roomProfileName: p.name,
    address: p.address,
    timezone: p.timezone,
    distanceUnit: p.distanceUnit ? DistanceUnit.of(p.distanceUnit) : undefined,
    temperatureUnit: p.temperatureUnit ? TemperatureUnit.of(p.temperatureUnit) : undefined,
    wakeWord: p.wakeWord ? WakeWord.of(p.wakeWord) : undefined,
    locale: p.locale,
    maxVolumeLimit: p.maxVolume,
    setupModeDisabled: p.setupModeDisabled,
    pstnEnabled: p.pstnEnabled,
    dataRetentionOptIn: p.dataRetentionOptIn,
    endOfMeetingReminder: mr?.endOfMeetingReminder && {
      reminderAtMinutes: mr.endOfMeetingReminder.minutes,
      type: EndOfMeetingReminderType.of(mr.endOfMeetingReminder.type),
      enabled: mr.endOfMeetingReminder.enabled,
    },
    instantBooking: mr?.instantBooking && { durationMinutes: mr.instantBooking.durationMinutes, enabled: mr.instantBooking.enabled },
    requireCheckIn: mr?.requireCheckIn && { releaseAfterMinutes: mr.requireCheckIn.releaseAfterMinutes, enabled: mr.requireCheckIn.enabled },
    roomUtilizationMetricsEnabled: mr?.roomUtilizationMetrics,
    proactiveJoin: mr?.proactiveJoin,
    tags: { ...tags, ...p.tags },
    adoptExisting: p.adoptExisting,
  });
}

/** Construction order decides template order: by name, so reordering the file changes no template. */
function byName<T extends { name: string }>(list: readonly T[] | undefined): T[] {
  return [...(list ?? [])].sort((a, b) => compareNames(a.name, b.name));
}

function orderedAsAWhole(stack: NestedStack): NestedStack {
  _stackOrderedAsAWhole(stack);
  return stack;
}

/**
 * Writes a stack's A4B resources a wave at a time: wave w waits for a barrier (a WaitConditionHandle, which costs
 * nothing and does nothing) that waits for every resource of wave w-1 and for the barrier before it. CloudFormation
 * otherwise starts every resource whose dependencies are met at once, and 32 shards of 312 rooms would send 10,000
 * requests to the provider together, to queue past their ServiceTimeout or throttle A4B until the SDK gives up.
 * A resource's wave is a hash of its key, so adding or removing one changes only its own DependsOn and its
 * barrier's: `cdk diff` shows no other room.
 */
function paceInWaves(stack: Stack, items: Array<{ key: string; construct: Construct }>): void {
  const waves: CfnResource[][] = [];
  for (const { key, construct } of items) (waves[waveOf(key)] ??= []).push(cfnOf(construct));
  let before: CfnResource | undefined;
  for (let w = 0; w < waves.length; w++) {
    for (const r of waves[w] ?? []) if (before) resourceDependsOn(r, before);
    if (w === waves.length - 1) break;
    // A CfnWaitConditionHandle's template, from a resource CDK synthesizes with less work (about 1,000 at 1,000 rooms).
    const barrier = new LeanCfnResource(stack, `Wave${String(w).padStart(2, '0')}Done`, { type: 'AWS::CloudFormation::WaitConditionHandle' });
    for (const r of waves[w] ?? []) resourceDependsOn(barrier, r);
    if (before) resourceDependsOn(barrier, before);
    before = barrier;
  }
}

/**
 * `resource` waits for `target`, in one stack: a DependsOn made now, where a construct dependency would wait for
 * synth to walk every construct and relate their resources (about 2,000 of them at 1,000 rooms). The method is
 * `addResourceDependency` in aws-cdk-lib 2.276, which deprecates `addDependency`, the only one in 2.220.
 */
function resourceDependsOn(resource: CfnResource, target: CfnResource): void {
  const current = (resource as { addResourceDependency?: (t: CfnResource) => void }).addResourceDependency;
  if (typeof current === 'function') current.call(resource, target);
  else resource.addDependency(target);
}

/**
 * `a` waits for `b`, both in the inventory's stack (nested stacks by their resource there): one DependsOn. A
 * construct dependency on a nested stack would make CDK relate each of its resources to each of the other's; one
 * between two CfnResources is one DependsOn, and unlike CfnResource#addDependency it is current in every aws-cdk-lib
 * from the peer minimum (2.220) to the newest (2.276 deprecates CfnResource#addDependency and Stack#addDependency).
 */
function dependsOn(a: Construct, b: Construct): void {
  cfnOf(a).node.addDependency(cfnOf(b));
}

/** The CloudFormation resource of a Room, RoomProfile or SkillGroup (its default child), or of a nested stack. */
function cfnOf(c: Construct): CfnResource {
  if (NestedStack.isNestedStack(c)) return c.nestedStackResource!;
  return CfnResource.isCfnResource(c) ? c : cfnOf(c.node.defaultChild as Construct);
}

/** What identifies a room across deploys: its `id` when it has one (so its name may change), else its name. */
function roomKey(room: { id?: string; name: string }): string {
  return room.id ?? room.name;
}

/** The calendar link's credentials: a secret named in the inventory by name, or by its complete ARN (as the console shows it). */
function secretFrom(scope: Construct, nameOrArn: string): secretsmanager.ISecret {
  return nameOrArn.startsWith('arn:')
    ? secretsmanager.Secret.fromSecretCompleteArn(scope, 'CalendarLinkCredentials', nameOrArn)
    : secretsmanager.Secret.fromSecretNameV2(scope, 'CalendarLinkCredentials', nameOrArn);
}

function compareNames(a: string, b: string): number {
  const x = canonicalName(a).toLowerCase();
  const y = canonicalName(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}
