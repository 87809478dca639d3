import { IResource, RemovalPolicy, Resource, TagManager, TagType, ITaggable, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { isMarked, mark } from './markers';
import { EnumValues, IntegerRules, isTimeZone, showValue, StringRules } from './constraints';
import { Attributes, MeetingRoomProps as M, ResourceTypes, RoomProfileProps as P } from './contract';
import { finishImport, importedArn, ImportedKind, requireArnOrName } from './imported';
import { providerResource } from './provider-resource';
import { checkTags, PropsProblems } from './validation';

const PROFILE_IMPORT: ImportedKind = { kind: 'room profile', method: 'RoomProfile.fromRoomProfileAttributes', arnProp: 'roomProfileArn', nameProp: 'roomProfileName', nameRule: StringRules.ProfileName };

/** Distance unit of a room profile. */
export class DistanceUnit {
  public static readonly METRIC = new DistanceUnit('METRIC');
  public static readonly IMPERIAL = new DistanceUnit('IMPERIAL');
  /** A value this library does not list yet; checked at synth against the A4B model. */
  public static of(value: string): DistanceUnit { return new DistanceUnit(value); }
  private constructor(public readonly value: string) {}
}

/** Temperature unit of a room profile. */
export class TemperatureUnit {
  public static readonly CELSIUS = new TemperatureUnit('CELSIUS');
  public static readonly FAHRENHEIT = new TemperatureUnit('FAHRENHEIT');
  /** A value this library does not list yet; checked at synth against the A4B model. */
  public static of(value: string): TemperatureUnit { return new TemperatureUnit(value); }
  private constructor(public readonly value: string) {}
}

/** The word that wakes the devices of a room. */
export class WakeWord {
  public static readonly ALEXA = new WakeWord('ALEXA');
  public static readonly AMAZON = new WakeWord('AMAZON');
  public static readonly ECHO = new WakeWord('ECHO');
  public static readonly COMPUTER = new WakeWord('COMPUTER');
  /** A value this library does not list yet; checked at synth against the A4B model. */
  public static of(value: string): WakeWord { return new WakeWord(value); }
  private constructor(public readonly value: string) {}
}

/** The sound of the end-of-meeting reminder. */
export class EndOfMeetingReminderType {
  public static readonly ANNOUNCEMENT_TIME_CHECK = new EndOfMeetingReminderType('ANNOUNCEMENT_TIME_CHECK');
  public static readonly ANNOUNCEMENT_VARIABLE_TIME_LEFT = new EndOfMeetingReminderType('ANNOUNCEMENT_VARIABLE_TIME_LEFT');
  public static readonly CHIME = new EndOfMeetingReminderType('CHIME');
  public static readonly KNOCK = new EndOfMeetingReminderType('KNOCK');
  /** A value this library does not list yet; checked at synth against the A4B model. */
  public static of(value: string): EndOfMeetingReminderType { return new EndOfMeetingReminderType(value); }
  private constructor(public readonly value: string) {}
}

/** Alexa reminds the room that the meeting is ending. */
export interface EndOfMeetingReminder {
  /**
   * Minutes before the end of the meeting, 3 to 15.
   */
  readonly reminderAtMinutes: number;
  /**
   * The sound of the reminder.
   */
  readonly type: EndOfMeetingReminderType;
  /**
   * Whether the reminder is on.
   *
   * @default true
   */
  readonly enabled?: boolean;
}

/** Alexa books the room when a meeting starts in it and it is free. */
export interface InstantBooking {
  /**
   * How long to book, 15 to 240 minutes in steps of 15.
   */
  readonly durationMinutes: number;
  /**
   * Whether instant booking is on.
   *
   * @default true
   */
  readonly enabled?: boolean;
}

/** Alexa releases a booked room nobody checked into. */
export interface RequireCheckIn {
  /**
   * Minutes after the start of the booking to release the room, 5 to 20.
   */
  readonly releaseAfterMinutes: number;
  /**
   * Whether check-in is required.
   *
   * @default true
   */
  readonly enabled?: boolean;
}

/**
 * A4B's ProactiveJoin meeting-room setting (`ProactiveJoin { EnabledByMotion }`, in the model the shipped AWS SDK was
 * generated from, newer than botocore 1.29.27's). The model documents nothing beyond the names: by them, Alexa offers
 * to join the room's meeting on its own when it detects motion in the room.
 */
export interface ProactiveJoin {
  /**
   * A4B's `EnabledByMotion`, which A4B requires whenever ProactiveJoin is sent.
   */
  readonly enabledByMotion: boolean;
}

/** A4B room profile: settings shared by the rooms that use it. */
export interface IRoomProfile extends IResource {
  /**
   * The ARN of the room profile.
   *
   * @attribute
   */
  readonly roomProfileArn: string;
}

/** A room profile made outside this stack: its ARN, its name, or both. */
export interface RoomProfileAttributes {
  /**
   * The ARN of the room profile.
   *
   * @default - only its name is known: rooms name it (the provider finds it at deploy time), and reading `roomProfileArn` throws
   */
  readonly roomProfileArn?: string;

  /**
   * The profile's name in A4B.
   *
   * @default - only its ARN is known
   */
  readonly roomProfileName?: string;
}

/**
 * Properties for a RoomProfile.
 */
export interface RoomProfileProps {
  /**
   * The profile's name, unique in the A4B account (1-100 characters).
   */
  readonly roomProfileName: string;

  /**
   * The street address of the rooms, as Alexa uses it for local answers (1-500 characters).
   */
  readonly address: string;

  /**
   * IANA time zone of the rooms, e.g. `Europe/Berlin`.
   */
  readonly timezone: string;

  /**
   * The unit Alexa gives distances in (A4B `DistanceUnit`): kilometres or miles, e.g. for "how far is the airport?".
   *
   * @default DistanceUnit.METRIC
   */
  readonly distanceUnit?: DistanceUnit;

  /**
   * The unit Alexa gives temperatures in (A4B `TemperatureUnit`), e.g. for weather answers.
   *
   * @default TemperatureUnit.CELSIUS
   */
  readonly temperatureUnit?: TemperatureUnit;

  /**
   * The word that wakes the rooms' devices (A4B `WakeWord`): ALEXA, AMAZON, ECHO or COMPUTER. A room where people
   * often say "Alexa" in meetings may prefer another.
   *
   * @default WakeWord.ALEXA
   */
  readonly wakeWord?: WakeWord;

  /**
   * Locale of the devices, e.g. `en-US`.
   *
   * @default - A4B's default locale
   */
  readonly locale?: string;

  /**
   * Highest volume the devices may be set to, 0 to 10.
   *
   * @default - no limit
   */
  readonly maxVolumeLimit?: number;

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
   * Whether A4B keeps voice recordings (data retention opt-in).
   *
   * @default false
   */
  readonly dataRetentionOptIn?: boolean;

  /**
   * Reminder before a meeting ends.
   *
   * @default - no reminder
   */
  readonly endOfMeetingReminder?: EndOfMeetingReminder;

  /**
   * Book the room when a meeting is started in it.
   *
   * @default - no instant booking
   */
  readonly instantBooking?: InstantBooking;

  /**
   * Release booked rooms nobody checks into.
   *
   * @default - no check-in required
   */
  readonly requireCheckIn?: RequireCheckIn;

  /**
   * A4B's ProactiveJoin (by its name: Alexa offers to join the room's meeting when it detects motion). Removed from a
   * deployed profile, it is switched off (`enabledByMotion: false`).
   *
   * @default - not sent: A4B's default
   */
  readonly proactiveJoin?: ProactiveJoin;

  /**
   * Whether A4B collects room utilization metrics.
   *
   * @default false
   */
  readonly roomUtilizationMetricsEnabled?: boolean;

  /**
   * A4B tags of the profile (also takes tags applied with `Tags.of(scope)`).
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Take over an existing profile of the same name instead of failing. Its settings are then changed to these props,
   * and it belongs to the stack from then on (deleted with it unless `removalPolicy` says otherwise).
   *
   * @default false
   */
  readonly adoptExisting?: boolean;

  /**
   * What happens to the A4B profile when it leaves the stack.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An A4B room profile (address, time zone, units, wake word, meeting-room settings) shared by rooms.
 *
 * @resource Custom::A4BRoomProfile
 */
export class RoomProfile extends Resource implements IRoomProfile, ITaggable {
  /**
   * Whether `x` is a room profile construct, made by this copy of cdk-a4b-rooms or by another one in the same app
   * (use this rather than `instanceof`).
   */
  public static isRoomProfile(x: any): x is RoomProfile {
    return isMarked(x, 'RoomProfile');
  }

  /** A profile that exists outside this stack. */
  public static fromRoomProfileArn(scope: Construct, id: string, roomProfileArn: string): IRoomProfile {
    return RoomProfile.fromRoomProfileAttributes(scope, id, { roomProfileArn });
  }

  /**
   * A profile that exists outside this stack, by ARN, by name, or both. Rooms use one known only by name by its name,
   * which the provider resolves at deploy time (A4B's names ignore case), as they use profiles of other stacks.
   */
  public static fromRoomProfileAttributes(scope: Construct, id: string, attrs: RoomProfileAttributes): IRoomProfile {
    const { roomProfileArn, roomProfileName } = attrs;
    requireArnOrName(PROFILE_IMPORT, `${scope.node.path}/${id}`, roomProfileArn, roomProfileName);
    class Import extends Resource implements IRoomProfile {
      public readonly roomProfileName = roomProfileName;
      public get roomProfileArn(): string {
        return importedArn(PROFILE_IMPORT, this, roomProfileArn, roomProfileName);
      }
    }
    return finishImport(PROFILE_IMPORT, new Import(scope, id, { physicalName: roomProfileName }), roomProfileArn, roomProfileName);
  }

  public readonly roomProfileArn: string;
  /** The profile's name. */
  public readonly roomProfileName: string;
  public readonly tags: TagManager;

  constructor(scope: Construct, id: string, props: RoomProfileProps) {
    // Its physical name is its A4B name. Given, it also spares CDK a token per resource (10,000 at the room quota).
    super(scope, id, { physicalName: props.roomProfileName });
    mark(this, 'RoomProfile');
    this.roomProfileName = props.roomProfileName;
    this.tags = new TagManager(TagType.KEY_VALUE, ResourceTypes.ROOM_PROFILE, props.tags);
    const what = `room profile ${showValue(props.roomProfileName)}`;
    this.node.addValidation({ validate: () => validateRoomProfile(what, props, this.tags) });

    const meeting: Record<string, unknown> = {};
    if (props.roomUtilizationMetricsEnabled !== undefined) meeting[M.ROOM_UTILIZATION_METRICS_ENABLED] = props.roomUtilizationMetricsEnabled;
    if (props.endOfMeetingReminder) {
      meeting[M.END_OF_MEETING_REMINDER] = {
        [M.ENABLED]: props.endOfMeetingReminder.enabled ?? true,
        [M.REMINDER_AT_MINUTES]: [props.endOfMeetingReminder.reminderAtMinutes],
        [M.REMINDER_TYPE]: props.endOfMeetingReminder.type.value,
      };
    }
    if (props.instantBooking) {
      meeting[M.INSTANT_BOOKING] = {
        [M.ENABLED]: props.instantBooking.enabled ?? true,
        [M.DURATION_IN_MINUTES]: props.instantBooking.durationMinutes,
      };
    }
    if (props.requireCheckIn) {
      meeting[M.REQUIRE_CHECK_IN] = {
        [M.ENABLED]: props.requireCheckIn.enabled ?? true,
        [M.RELEASE_AFTER_MINUTES]: props.requireCheckIn.releaseAfterMinutes,
      };
    }
    if (props.proactiveJoin) meeting[M.PROACTIVE_JOIN] = { [M.ENABLED_BY_MOTION]: props.proactiveJoin.enabledByMotion };

    const resource = providerResource(this, 'Resource', {
      type: ResourceTypes.ROOM_PROFILE,
      removalPolicy: props.removalPolicy,
      tags: this.tags,
      properties: {
        [P.NAME]: props.roomProfileName,
        [P.ADDRESS]: props.address,
        [P.TIMEZONE]: props.timezone,
        [P.DISTANCE_UNIT]: (props.distanceUnit ?? DistanceUnit.METRIC).value,
        [P.TEMPERATURE_UNIT]: (props.temperatureUnit ?? TemperatureUnit.CELSIUS).value,
        [P.WAKE_WORD]: (props.wakeWord ?? WakeWord.ALEXA).value,
        [P.LOCALE]: props.locale,
        [P.MAX_VOLUME_LIMIT]: props.maxVolumeLimit,
        [P.SETUP_MODE_DISABLED]: props.setupModeDisabled,
        [P.PSTN_ENABLED]: props.pstnEnabled,
        [P.DATA_RETENTION_OPT_IN]: props.dataRetentionOptIn,
        [P.MEETING_ROOM_CONFIGURATION]: Object.keys(meeting).length ? meeting : undefined,
        [P.TAGS]: undefined, // rendered with the template, tags from Tags.of included
        [P.ADOPT_EXISTING]: props.adoptExisting || undefined,
      },
    });
    this.roomProfileArn = Token.asString(resource.getAtt(Attributes.ARN));
  }
}

function validateRoomProfile(what: string, props: RoomProfileProps, tags: TagManager): string[] {
  const p = new PropsProblems(what)
    .string('roomProfileName', props.roomProfileName, StringRules.ProfileName)
    .string('address', props.address, StringRules.Address)
    .string('timezone', props.timezone, StringRules.Timezone)
    .string('locale', props.locale, StringRules.DeviceLocale)
    .integer('maxVolumeLimit', props.maxVolumeLimit, IntegerRules.MaxVolumeLimit)
    .oneOf('distanceUnit', props.distanceUnit?.value, EnumValues.DistanceUnit)
    .oneOf('temperatureUnit', props.temperatureUnit?.value, EnumValues.TemperatureUnit)
    .oneOf('wakeWord', props.wakeWord?.value, EnumValues.WakeWord)
    .integer('endOfMeetingReminder.reminderAtMinutes', props.endOfMeetingReminder?.reminderAtMinutes, IntegerRules.EndOfMeetingReminderMinutes)
    .oneOf('endOfMeetingReminder.type', props.endOfMeetingReminder?.type.value, EnumValues.EndOfMeetingReminderType)
    .integer('instantBooking.durationMinutes', props.instantBooking?.durationMinutes, IntegerRules.InstantBookingDurationMinutes)
    .integer('requireCheckIn.releaseAfterMinutes', props.requireCheckIn?.releaseAfterMinutes, IntegerRules.RequireCheckInReleaseAfterMinutes);
  if (!Token.isUnresolved(props.timezone)) p.check('timezone', props.timezone, isTimeZone(props.timezone), 'must be an IANA time zone such as Europe/Berlin or America/New_York');
  checkTags(p, tags.tagValues(), { key: StringRules.TagKey, value: StringRules.TagValue });
  return p.problems;
}
