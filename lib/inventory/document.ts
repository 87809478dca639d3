// The declarative room inventory as the jsii API takes it (`RoomInventoryProps.inventory`): what a rooms.yaml (or
// .json) holds once parsed. Pure types, with no inline object types and no string-literal unions (jsii has neither):
// schema/rooms.schema.json holds the allowed values, and RoomInventory checks them as `a4b-rooms validate` does.

/** The Office 365 calendar link of an inventory (`calendarLink:`), validated before any A4B write. */
export interface InventoryCalendarLink {
  /** Directory id (GUID) or domain of the Microsoft 365 tenant. */
  readonly tenantId: string;
  /** `delegate` (a service account with Editor on room calendars) or `application` (admin-consented app permissions). */
  readonly method: string;
  /**
   * Delegate method: the service account's user principal name.
   *
   * @default - none (required for the delegate method)
   */
  readonly serviceAccount?: string;
  /**
   * Application method: the A4B enterprise app id.
   *
   * @default - none (required for the application method)
   */
  readonly applicationId?: string;
  /** Secrets Manager secret name or ARN with the Graph app's credentials. */
  readonly credentialsSecret: string;
  /**
   * Delegate method: grant `write` on room calendars where it is missing.
   *
   * @default false
   */
  readonly grantMissingPermissions?: boolean;
  /**
   * Calendar roles that count as Exchange's Editor right.
   *
   * @default - write, delegateWithoutPrivateEventAccess, delegateWithPrivateEventAccess
   */
  readonly acceptedRoles?: string[];
  /**
   * Application method: `graph` and/or `exchange`, the resources whose Calendars.ReadWrite counts as A4B's consent.
   *
   * @default - both
   */
  readonly consentResources?: string[];
}

/** The end-of-meeting reminder of a profile (`meetingRoom.endOfMeetingReminder:`). */
export interface InventoryEndOfMeetingReminder {
  /**
   * Whether the reminder is on.
   *
   * @default true
   */
  readonly enabled?: boolean;
  /** Minutes before the end of the meeting, 3 to 15. */
  readonly minutes: number;
  /** ANNOUNCEMENT_TIME_CHECK, ANNOUNCEMENT_VARIABLE_TIME_LEFT, CHIME or KNOCK. */
  readonly type: string;
}

/** Instant booking of a profile (`meetingRoom.instantBooking:`). */
export interface InventoryInstantBooking {
  /**
   * Whether instant booking is on.
   *
   * @default true
   */
  readonly enabled?: boolean;
  /** How long to book, 15 to 240 minutes in steps of 15. */
  readonly durationMinutes: number;
}

/** Required check-in of a profile (`meetingRoom.requireCheckIn:`). */
export interface InventoryRequireCheckIn {
  /**
   * Whether check-in is required.
   *
   * @default true
   */
  readonly enabled?: boolean;
  /** Minutes after the start of the booking to release the room, 5 to 20. */
  readonly releaseAfterMinutes: number;
}

/** A4B's ProactiveJoin of a profile (`meetingRoom.proactiveJoin:`). */
export interface InventoryProactiveJoin {
  /** Whether a device joins the meeting when it senses motion (A4B requires it whenever proactiveJoin is set). */
  readonly enabledByMotion: boolean;
}

/** The meeting-room settings of a profile (`meetingRoom:`). */
export interface InventoryMeetingRoom {
  /**
   * Reminder before a meeting ends.
   *
   * @default - none
   */
  readonly endOfMeetingReminder?: InventoryEndOfMeetingReminder;
  /**
   * Book the room when a meeting is started in it.
   *
   * @default - none
   */
  readonly instantBooking?: InventoryInstantBooking;
  /**
   * Release booked rooms nobody checks into.
   *
   * @default - none
   */
  readonly requireCheckIn?: InventoryRequireCheckIn;
  /**
   * Whether A4B collects room utilization metrics.
   *
   * @default false
   */
  readonly roomUtilizationMetrics?: boolean;
  /**
   * A4B's ProactiveJoin; A4B requires `enabledByMotion` whenever it is set.
   *
   * @default - not set
   */
  readonly proactiveJoin?: InventoryProactiveJoin;
}

/** A room profile of an inventory (`profiles:`). */
export interface InventoryProfile {
  /** The profile's name, unique in the A4B account. */
  readonly name: string;
  /** The street address of the rooms. */
  readonly address: string;
  /** IANA time zone, e.g. Europe/Berlin. */
  readonly timezone: string;
  /**
   * METRIC or IMPERIAL.
   *
   * @default METRIC
   */
  readonly distanceUnit?: string;
  /**
   * CELSIUS or FAHRENHEIT.
   *
   * @default CELSIUS
   */
  readonly temperatureUnit?: string;
  /**
   * ALEXA, AMAZON, ECHO or COMPUTER.
   *
   * @default ALEXA
   */
  readonly wakeWord?: string;
  /**
   * Locale of the devices, e.g. en-US.
   *
   * @default - A4B's default locale
   */
  readonly locale?: string;
  /**
   * Highest volume, 0 to 10.
   *
   * @default - no limit
   */
  readonly maxVolume?: number;
  /**
   * Whether setup mode is disabled on the devices.
   *
   * @default false
   */
  readonly setupModeDisabled?: boolean;
  /**
   * Whether outbound PSTN calling is enabled.
   *
   * @default false
   */
  readonly pstnEnabled?: boolean;
  /**
   * Whether A4B keeps voice recordings.
   *
   * @default false
   */
  readonly dataRetentionOptIn?: boolean;
  /**
   * Meeting-room settings.
   *
   * @default - none
   */
  readonly meetingRoom?: InventoryMeetingRoom;
  /**
   * A4B tags: key to value.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
  /**
   * Take over an existing profile of the same name.
   *
   * @default false
   */
  readonly adoptExisting?: boolean;
}

/** A skill group of an inventory (`skillGroups:`). */
export interface InventorySkillGroup {
  /** The skill group's name, unique in the A4B account. */
  readonly name: string;
  /**
   * What the skill group is for.
   *
   * @default - none
   */
  readonly description?: string;
  /**
   * A4B tags: key to value.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
  /**
   * Take over an existing skill group of the same name.
   *
   * @default false
   */
  readonly adoptExisting?: boolean;
}

/** A room of an inventory (`rooms:`). */
export interface InventoryRoom {
  /**
   * A stable key for the room: its name may change while the room (its ARN, its devices) stays.
   *
   * @default - the room's name
   */
  readonly id?: string;
  /** The room's name, unique in the A4B account. */
  readonly name: string;
  /**
   * The room's resource mailbox (A4B ProviderCalendarId).
   *
   * @default - no calendar
   */
  readonly mailbox?: string;
  /** Name of a profile of this inventory. */
  readonly profile: string;
  /**
   * Names of skill groups of this inventory.
   *
   * @default - none
   */
  readonly skillGroups?: string[];
  /**
   * What the room is.
   *
   * @default - none
   */
  readonly description?: string;
  /**
   * A4B device ARNs (at most 10).
   *
   * @default - the room's devices are not managed
   */
  readonly devices?: string[];
  /**
   * A4B tags: key to value.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
  /**
   * Take over an existing room of the same name.
   *
   * @default false
   */
  readonly adoptExisting?: boolean;
}

/** An inventory as an object, in the format of rooms.yaml (schema/rooms.schema.json). */
export interface InventoryDocument {
  /**
   * The Office 365 calendar link.
   *
   * @default - no calendar link
   */
  readonly calendarLink?: InventoryCalendarLink;
  /**
   * Room profiles.
   *
   * @default - none
   */
  readonly profiles?: InventoryProfile[];
  /**
   * Skill groups.
   *
   * @default - none
   */
  readonly skillGroups?: InventorySkillGroup[];
  /**
   * Rooms.
   *
   * @default - none
   */
  readonly rooms?: InventoryRoom[];
  /**
   * Tags on every room, profile and skill group.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}
