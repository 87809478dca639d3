// An A4B room profile as the inventory writes it: one conversion for GetProfile's `Profile` (import, live drift)
// and a `Custom::A4BRoomProfile`'s properties (drift from a cloud assembly), which carry the same member names.
import { MeetingRoomProps as M, RoomProfileProps as P } from '../contract';
import { InventoryProfile } from './model';

type MeetingRoom = NonNullable<InventoryProfile['meetingRoom']>;

/**
 * An inventory profile as read from A4B: a meeting-room feature may come without its setting (A4B gives a feature
 * that is off, `{ Enabled: false }`, without one), which an inventory must have.
 */
export interface ProfileAsRead extends Omit<InventoryProfile, 'meetingRoom'> {
  readonly meetingRoom?: { readonly [K in keyof MeetingRoom]?: Partial<NonNullable<MeetingRoom[K]>> };
}

/**
 * The profile's name and settings in the inventory's words. CloudFormation passes booleans and numbers as strings:
 * "true", "false" and numeric strings are read as what they say. A meeting-room feature is there exactly when A4B has
 * it; the booleans that default to false are left out when false.
 */
export function profileFromA4b(profile: object): ProfileAsRead {
  const a = profile as Record<string, any>;
  const mr = a[P.MEETING_ROOM_CONFIGURATION] as Record<string, any> | undefined;
  const feature = <T extends object>(f: Record<string, any> | undefined, setting: (f: Record<string, any>) => T) =>
    f && defined({ enabled: bool(f[M.ENABLED]), ...setting(f) });
  const meetingRoom = mr && defined({
    endOfMeetingReminder: feature(mr[M.END_OF_MEETING_REMINDER], (f) => ({
      minutes: Array.isArray(f[M.REMINDER_AT_MINUTES]) ? num(f[M.REMINDER_AT_MINUTES][0]) : undefined,
      type: f[M.REMINDER_TYPE] as string | undefined,
    })),
    instantBooking: feature(mr[M.INSTANT_BOOKING], (f) => ({ durationMinutes: num(f[M.DURATION_IN_MINUTES]) })),
    requireCheckIn: feature(mr[M.REQUIRE_CHECK_IN], (f) => ({ releaseAfterMinutes: num(f[M.RELEASE_AFTER_MINUTES]) })),
    roomUtilizationMetrics: bool(mr[M.ROOM_UTILIZATION_METRICS_ENABLED]),
    proactiveJoin: mr[M.PROACTIVE_JOIN] && defined({ enabledByMotion: bool(mr[M.PROACTIVE_JOIN][M.ENABLED_BY_MOTION]) }),
  });
  return defined({
    name: a[P.NAME], address: a[P.ADDRESS], timezone: a[P.TIMEZONE],
    distanceUnit: a[P.DISTANCE_UNIT], temperatureUnit: a[P.TEMPERATURE_UNIT], wakeWord: a[P.WAKE_WORD],
    locale: a[P.LOCALE], maxVolume: num(a[P.MAX_VOLUME_LIMIT]),
    setupModeDisabled: bool(a[P.SETUP_MODE_DISABLED]) || undefined,
    pstnEnabled: bool(a[P.PSTN_ENABLED]) || undefined,
    dataRetentionOptIn: bool(a[P.DATA_RETENTION_OPT_IN]) || undefined,
    meetingRoom: meetingRoom && Object.keys(meetingRoom).length ? meetingRoom : undefined,
  });
}

/**
 * The meeting-room features an inventory can hold: those with their setting (a feature that is off keeps its setting
 * in A4B once it had one; without one it cannot be written, and leaving it out leaves it off).
 */
export function inventoryMeetingRoom(mr: ProfileAsRead['meetingRoom']): InventoryProfile['meetingRoom'] {
  if (!mr) return undefined;
  const out = defined({
    endOfMeetingReminder: mr.endOfMeetingReminder?.minutes !== undefined ? mr.endOfMeetingReminder as MeetingRoom['endOfMeetingReminder'] : undefined,
    instantBooking: mr.instantBooking?.durationMinutes !== undefined ? mr.instantBooking as MeetingRoom['instantBooking'] : undefined,
    requireCheckIn: mr.requireCheckIn?.releaseAfterMinutes !== undefined ? mr.requireCheckIn as MeetingRoom['requireCheckIn'] : undefined,
    roomUtilizationMetrics: mr.roomUtilizationMetrics,
    proactiveJoin: mr.proactiveJoin?.enabledByMotion !== undefined ? mr.proactiveJoin as MeetingRoom['proactiveJoin'] : undefined,
  });
  return Object.keys(out).length ? out : undefined;
}

function bool(v: unknown): boolean | undefined {
  return v === 'true' ? true : v === 'false' ? false : (v as boolean | undefined);
}

function num(v: unknown): number | undefined {
  return typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : (v as number | undefined);
}

/** The object without its undefined members. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
