import { CfnResource, IResource, ITaggable, RemovalPolicy, Resource, Stack, TagManager, TagType, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { attached, isMarked, mark } from './markers';
import { isDeviceArn, MAILBOX_PATTERN, showValue, StringRules } from './constraints';
import { Attributes, Quotas, ResourceTypes, RoomProps as P } from './contract';
import { providerResource } from './provider-resource';
import { IRoomProfile, RoomProfile } from './room-profile';
import { ISkillGroup, SkillGroup } from './skill-group';
import { checkTags, PropsProblems } from './validation';

/** An A4B room. */
export interface IRoom extends IResource {
  /**
   * The ARN of the room.
   *
   * @attribute
   */
  readonly roomArn: string;
}

/**
 * Properties for a Room.
 */
export interface RoomProps {
  /**
   * The room's name, unique in the A4B account (1-100 characters).
   */
  readonly roomName: string;

  /**
   * The room profile the room uses.
   */
  readonly profile: IRoomProfile;

  /**
   * The room's resource mailbox in Exchange / Office 365 (A4B `ProviderCalendarId`, at most 100 characters), which
   * Alexa reads and books for "is this room free?" and "start my meeting".
   *
   * @default - no calendar: the room cannot answer calendar questions
   */
  readonly mailbox?: string;

  /**
   * What the room is (1-200 characters). A4B cannot remove a description once set, only change it.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * Skill groups whose skills the room's devices get.
   *
   * @default - none
   */
  readonly skillGroups?: ISkillGroup[];

  /**
   * ARNs of the Echo devices in the room (at most 10). Devices not listed are removed from the room on update.
   *
   * @default - the room's devices are not managed by the stack
   */
  readonly deviceArns?: string[];

  /**
   * A4B tags of the room (also takes tags applied with `Tags.of(scope)`).
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Take over an existing room of the same name instead of failing with "already exists". Its settings are changed
   * to these props and it belongs to the stack from then on (deleted with it unless `removalPolicy` says otherwise).
   * Skill groups it had are kept: A4B cannot list a room's skill groups.
   *
   * @default false
   */
  readonly adoptExisting?: boolean;

  /**
   * What happens to the A4B room when it leaves the stack.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An A4B room: its name, profile, resource mailbox, skill groups, devices and tags.
 *
 * @resource Custom::A4BRoom
 */
export class Room extends Resource implements IRoom, ITaggable {
  /**
   * Whether `x` is an A4B room construct, made by this copy of cdk-a4b-rooms or by another one in the same app
   * (use this rather than `instanceof`).
   */
  public static isRoom(x: any): x is Room {
    return isMarked(x, 'Room');
  }

  /** A room that exists outside this stack. */
  public static fromRoomArn(scope: Construct, id: string, roomArn: string): IRoom {
    class Import extends Resource implements IRoom {
      public readonly roomArn = roomArn;
    }
    return new Import(scope, id);
  }

  /** The room's name. */
  public readonly roomName: string;
  /** The room's resource mailbox, if any. */
  public readonly mailbox?: string;
  public readonly tags: TagManager;
  private readonly resource: CfnResource;
  private arn?: string;
  private checkedByInventory = false;

  constructor(scope: Construct, id: string, props: RoomProps) {
    // Its physical name is its A4B name. Given, it also spares CDK a token per resource (10,000 at the room quota).
    super(scope, id, { physicalName: props.roomName });
    mark(this, 'Room');
    this.roomName = props.roomName;
    this.mailbox = props.mailbox;
    this.tags = new TagManager(TagType.KEY_VALUE, ResourceTypes.ROOM, props.tags);
    this.node.addValidation({ validate: () => validateRoom(`room ${showValue(props.roomName)}`, props, this.tags, this.checkedByInventory) });
    if (props.deviceArns?.length) this.claimDevices(props.deviceArns);

    // A profile or skill group of another stack is named, not referenced by ARN: the handler resolves the name at
    // deploy time. An ARN would cost a CloudFormation parameter (200 per template) per profile and skill group a
    // nested stack's rooms use, and an export per one across top-level stacks; a name costs nothing and still tells
    // `cdk diff` what changed. The room's stack waits for theirs, so they exist before the room is written.
    // An import known only by its name is named too.
    const stack = Stack.of(this);
    const made = (target: IRoomProfile | ISkillGroup) => RoomProfile.isRoomProfile(target) || SkillGroup.isSkillGroup(target);
    const byName = (target: IRoomProfile | ISkillGroup): boolean =>
      (made(target) && Stack.of(target) !== stack) || isMarked(target, 'ImportedByName');
    const profileByName = byName(props.profile);
    const named: ISkillGroup[] = [];
    const byArn: ISkillGroup[] = [];
    for (const g of props.skillGroups ?? []) {
      if (byName(g)) named.push(g);
      else byArn.push(g);
    }
    if (!orderedStacks.has(stack)) {
      if (profileByName && made(props.profile)) this.node.addDependency(props.profile);
      for (const g of named) if (made(g)) this.node.addDependency(g);
    }

    // Set one by one, in the template's order: an object literal with computed keys is built the slow way, per room.
    const properties: Record<string, unknown> = {};
    properties[P.NAME] = props.roomName;
    properties[P.DESCRIPTION] = props.description;
    properties[P.MAILBOX] = props.mailbox;
    if (profileByName) properties[P.PROFILE_NAME] = nameOf(props.profile, 'roomProfileName');
    else properties[P.PROFILE_ARN] = props.profile.roomProfileArn;
    if (byArn.length) properties[P.SKILL_GROUP_ARNS] = byArn.map((g) => g.skillGroupArn);
    if (named.length) properties[P.SKILL_GROUP_NAMES] = named.map((g) => nameOf(g, 'skillGroupName'));
    properties[P.DEVICE_ARNS] = props.deviceArns;
    properties[P.TAGS] = undefined; // rendered with the template, tags from Tags.of included
    if (props.adoptExisting) properties[P.ADOPT_EXISTING] = true;
    this.resource = providerResource(this, 'Resource', { type: ResourceTypes.ROOM, removalPolicy: props.removalPolicy, tags: this.tags, properties });
  }

  /**
   * Records this room as the first of its app to list each of `devices`, or fails synth naming the room that listed
   * one first: a device is in one room at a time, and two rooms would take it from each other on every deploy.
   * Rooms of one inventory are left to its rules (uniqueDevices), which give both FILE:LINE:COL.
   */
  private claimDevices(devices: readonly string[]): void {
    // Per app (its root construct): the first Room to list each device ARN.
    const claims = attached(this.node.root, 'DeviceClaims', () => new Map<string, Room>());
    const taken: Array<[string, Room]> = [];
    for (const d of devices) {
      if (Token.isUnresolved(d)) continue;
      const first = claims.get(d);
      if (!first) claims.set(d, this);
      else if (first !== this) taken.push([d, first]);
    }
    if (!taken.length) return;
    this.node.addValidation({
      validate: () => taken.filter(([, first]) => !(this.checkedByInventory && first.checkedByInventory))
        .map(([d, first]) => `room ${showValue(this.roomName)}: deviceArns ${showValue(d)} is also a device of room ${showValue(first.roomName)} `
          + `(${first.node.path}): a device is in one room at a time; remove it from one of them`),
    });
  }

  /**
   * @internal Leaves taking devices out of this room to a `Custom::A4BDeviceRelease` that runs after every room of
   * the deploy (RoomInventory), so a device moved to a room in another nested stack is never taken out of its new room.
   */
  public _deferDeviceRelease(): void {
    // An override rather than a lazy property: 10,000 rooms pay nothing for the few that manage devices.
    this.resource.addPropertyOverride(P.DEVICE_RELEASE, 'deferred');
  }

  /**
   * @internal The room's props were checked by the inventory rules it was made from (lib/inventory/rules.ts, which
   * report FILE:LINE:COL): synth checks only its tags, which `Tags.of` may still add to. test/room-inventory.test.ts
   * holds the rules to every check validateRoom makes.
   */
  public _checkedByInventory(): void {
    this.checkedByInventory = true;
  }

  /**
   * The ARN of the room.
   *
   * @attribute
   */
  public get roomArn(): string {
    // Made on first use: an inventory of 10,000 rooms rarely reads them, and each token costs synth time.
    return (this.arn ??= Token.asString(this.resource.getAtt(Attributes.ARN)));
  }
}

/** The A4B name of a profile or skill group a room names: made by this library, or imported with its name. */
function nameOf(target: IRoomProfile | ISkillGroup, key: 'roomProfileName' | 'skillGroupName'): string {
  return (target as unknown as Record<string, string>)[key];
}

/** Stacks whose order relative to the stacks of their rooms' profiles and skill groups is set as a whole (RoomInventory). */
const orderedStacks = new WeakSet<Stack>();

/**
 * @internal The rooms of `stack` need no dependency each on a profile or skill group of another stack: the caller
 * makes the whole stack wait for theirs, which says the same and costs CDK no per-room work at 10,000 rooms.
 */
export function _stackOrderedAsAWhole(stack: Stack): void {
  orderedStacks.add(stack);
}

function validateRoom(what: string, props: RoomProps, tags: TagManager, checkedByInventory: boolean): string[] {
  const p = new PropsProblems(what);
  if (!checkedByInventory) checkProps(p, props);
  checkTags(p, tags.tagValues(), { key: StringRules.TagKey, value: StringRules.TagValue });
  return p.problems;
}

function checkProps(p: PropsProblems, props: RoomProps): void {
  p
    .string('roomName', props.roomName, StringRules.RoomName)
    .string('description', props.description, StringRules.RoomDescription)
    .string('mailbox', props.mailbox, StringRules.ProviderCalendarId);
  if (props.mailbox !== undefined) {
    p.check('mailbox', props.mailbox, MAILBOX_PATTERN.test(props.mailbox), 'must be the email address of the room\'s resource mailbox, e.g. board-room@contoso.com');
  }
  const devices = props.deviceArns ?? [];
  p.check('deviceArns', devices.length, devices.length <= Quotas.DEVICES_PER_ROOM, `must list at most ${Quotas.DEVICES_PER_ROOM} devices (the A4B limit per room)`);
  for (const d of devices) {
    if (Token.isUnresolved(d)) continue;
    p.check('deviceArns', d, isDeviceArn(d), 'must be an A4B device ARN (arn:aws:a4b:REGION:ACCOUNT:device/...)');
  }
  const dup = (xs: string[]) => xs.filter((x, i) => !Token.isUnresolved(x) && xs.indexOf(x) !== i);
  for (const d of dup(devices)) p.check('deviceArns', d, false, 'is listed twice');
  const groups = props.skillGroups ?? [];
  groups.forEach((g, i) => {
    if (groups.indexOf(g) !== i) p.check('skillGroups', g.node.path, false, 'is listed twice');
  });
}

