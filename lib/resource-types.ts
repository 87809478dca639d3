import { DRIFT_METRIC_NAMESPACE, ResourceTypes as Types } from './contract';

/**
 * The CloudFormation resource types of the library's custom resources: for template assertions, policies and
 * tools that read templates. A class of static values, as jsii carries them to every language (the shared contract
 * the handlers read is a plain object, which jsii leaves out).
 */
export class ResourceTypes {
  /** A room (`Room`). */
  public static readonly ROOM: string = Types.ROOM;
  /** A room profile (`RoomProfile`). */
  public static readonly ROOM_PROFILE: string = Types.ROOM_PROFILE;
  /** A skill group (`SkillGroup`). */
  public static readonly SKILL_GROUP: string = Types.SKILL_GROUP;
  /** The Office 365 checks of a calendar link (`Office365CalendarLink`). */
  public static readonly CALENDAR_LINK: string = Types.CALENDAR_LINK;
  /** An inventory's guard against deleting more rooms than allowed (`RoomInventory`). */
  public static readonly ROOM_DELETION_GUARD: string = Types.ROOM_DELETION_GUARD;
  /** Takes devices out of rooms after every shard updated (`RoomInventory`). */
  public static readonly DEVICE_RELEASE: string = Types.DEVICE_RELEASE;
  /** After an inventory's mailbox checks: fails the deploy with every bad room they recorded (`RoomInventory`). */
  public static readonly MAILBOX_CHECK_GATE: string = Types.MAILBOX_CHECK_GATE;

  private constructor() {}
}

export { DRIFT_METRIC_NAMESPACE };
