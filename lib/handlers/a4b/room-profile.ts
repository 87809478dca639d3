import {
  CreateProfileCommand, DeleteProfileCommand, GetProfileCommand, UpdateProfileCommand,
} from '@aws-sdk/client-alexa-for-business';
import { MeetingRoomProps as M, RoomProfileProps as P } from '../../contract';
import { ResourceError } from '../cfn';
import { a4b } from './client';
import { forget, NameResolver, remember } from './names';
import { findProfileByName } from '../../runtime/a4b/query';
import { changedFields, isEmptyChange, tagChange } from './plan';
import { PropertyReader, Tag } from '../properties';
import { liveTags, ResourceKind } from './resource';

export interface MeetingRoomSpec {
  RoomUtilizationMetricsEnabled?: boolean;
  EndOfMeetingReminder?: { Enabled: boolean; ReminderAtMinutes: number[]; ReminderType: string };
  InstantBooking?: { Enabled: boolean; DurationInMinutes: number };
  RequireCheckIn?: { Enabled: boolean; ReleaseAfterMinutes: number };
  ProactiveJoin?: { EnabledByMotion: boolean };
}

export interface RoomProfileSpec {
  readonly ProfileName: string;
  readonly Address: string;
  readonly Timezone: string;
  readonly DistanceUnit: string;
  readonly TemperatureUnit: string;
  readonly WakeWord: string;
  readonly Locale?: string;
  readonly MaxVolumeLimit?: number;
  readonly SetupModeDisabled?: boolean;
  readonly PSTNEnabled?: boolean;
  readonly DataRetentionOptIn?: boolean;
  readonly MeetingRoomConfiguration?: MeetingRoomSpec;
  readonly tags: Tag[];
  readonly adoptExisting: boolean;
}

/** The meeting-room features, each on or off with its setting. */
const FEATURES = [M.END_OF_MEETING_REMINDER, M.INSTANT_BOOKING, M.REQUIRE_CHECK_IN] as const;

const SCALARS = [P.NAME, P.ADDRESS, P.TIMEZONE, P.DISTANCE_UNIT, P.TEMPERATURE_UNIT, P.WAKE_WORD, P.LOCALE, P.MAX_VOLUME_LIMIT,
  P.SETUP_MODE_DISABLED, P.PSTN_ENABLED, P.DATA_RETENTION_OPT_IN] as const;

export function readRoomProfile(props: Record<string, unknown>, resource: string): RoomProfileSpec {
  const p = new PropertyReader(props, resource);
  const mrc = p.object(P.MEETING_ROOM_CONFIGURATION);
  let meeting: MeetingRoomSpec | undefined;
  if (mrc) {
    const at = (...names: string[]) => [P.MEETING_ROOM_CONFIGURATION, ...names].join('.');
    const sub = (name: string) => p.object(name, mrc, at(name));
    const enabled = (feature: string, f: Record<string, unknown>) => p.boolean(M.ENABLED, f, at(feature, M.ENABLED)) ?? true;
    const reminder = sub(M.END_OF_MEETING_REMINDER);
    const booking = sub(M.INSTANT_BOOKING);
    const checkIn = sub(M.REQUIRE_CHECK_IN);
    const proactive = sub(M.PROACTIVE_JOIN);
    const reminderMinutes = reminder?.[M.REMINDER_AT_MINUTES];
    meeting = {
      [M.ROOM_UTILIZATION_METRICS_ENABLED]: p.boolean(M.ROOM_UTILIZATION_METRICS_ENABLED, mrc, at(M.ROOM_UTILIZATION_METRICS_ENABLED)),
      [M.END_OF_MEETING_REMINDER]: reminder && {
        [M.ENABLED]: enabled(M.END_OF_MEETING_REMINDER, reminder),
        [M.REMINDER_AT_MINUTES]: (Array.isArray(reminderMinutes) ? reminderMinutes : [reminderMinutes]).map((m, i) =>
          p.integer(String(i), { [String(i)]: m }, `${at(M.END_OF_MEETING_REMINDER, M.REMINDER_AT_MINUTES)}[${i}]`)!),
        [M.REMINDER_TYPE]: String(reminder[M.REMINDER_TYPE]),
      },
      [M.INSTANT_BOOKING]: booking && {
        [M.ENABLED]: enabled(M.INSTANT_BOOKING, booking),
        [M.DURATION_IN_MINUTES]: p.integer(M.DURATION_IN_MINUTES, booking, at(M.INSTANT_BOOKING, M.DURATION_IN_MINUTES))!,
      },
      [M.REQUIRE_CHECK_IN]: checkIn && {
        [M.ENABLED]: enabled(M.REQUIRE_CHECK_IN, checkIn),
        [M.RELEASE_AFTER_MINUTES]: p.integer(M.RELEASE_AFTER_MINUTES, checkIn, at(M.REQUIRE_CHECK_IN, M.RELEASE_AFTER_MINUTES))!,
      },
      // A4B requires EnabledByMotion whenever ProactiveJoin is sent: no default is made up for it.
      [M.PROACTIVE_JOIN]: proactive && {
        [M.ENABLED_BY_MOTION]: p.requiredBoolean(M.ENABLED_BY_MOTION, proactive, at(M.PROACTIVE_JOIN, M.ENABLED_BY_MOTION)),
      },
    };
  }
  return {
    ProfileName: p.requiredString(P.NAME),
    Address: p.requiredString(P.ADDRESS),
    Timezone: p.requiredString(P.TIMEZONE),
    DistanceUnit: p.requiredString(P.DISTANCE_UNIT),
    TemperatureUnit: p.requiredString(P.TEMPERATURE_UNIT),
    WakeWord: p.requiredString(P.WAKE_WORD),
    Locale: p.string(P.LOCALE),
    MaxVolumeLimit: p.integer(P.MAX_VOLUME_LIMIT),
    SetupModeDisabled: p.boolean(P.SETUP_MODE_DISABLED),
    PSTNEnabled: p.boolean(P.PSTN_ENABLED),
    DataRetentionOptIn: p.boolean(P.DATA_RETENTION_OPT_IN),
    MeetingRoomConfiguration: meeting,
    tags: p.tags(P.TAGS),
    adoptExisting: p.boolean(P.ADOPT_EXISTING) ?? false,
  };
}

export interface RoomProfilePlan {
  /** Members for UpdateProfile; empty when nothing changes. */
  readonly fields: Record<string, unknown>;
  readonly unclearable: string[];
}

/**
 * Booleans removed from the declaration fall back to false; a meeting-room feature removed is switched off (ProactiveJoin:
 * `EnabledByMotion: false`, which A4B requires in an update of it).
 */
export function planRoomProfileUpdate(before: RoomProfileSpec, after: RoomProfileSpec): RoomProfilePlan {
  const fields: Record<string, unknown> = changedFields(before, after, SCALARS);
  const unclearable: string[] = [];
  for (const k of [P.SETUP_MODE_DISABLED, P.PSTN_ENABLED, P.DATA_RETENTION_OPT_IN] as const) {
    if (before[k] !== undefined && after[k] === undefined) fields[k] = false;
  }
  for (const k of [P.LOCALE, P.MAX_VOLUME_LIMIT] as const) {
    if (before[k] !== undefined && after[k] === undefined) {
      delete fields[k];
      unclearable.push(k);
    }
  }
  const b = before.MeetingRoomConfiguration ?? {};
  const a = after.MeetingRoomConfiguration ?? {};
  const meeting: Record<string, unknown> = changedFields(b, a, [M.ROOM_UTILIZATION_METRICS_ENABLED, ...FEATURES, M.PROACTIVE_JOIN]);
  const metrics = M.ROOM_UTILIZATION_METRICS_ENABLED;
  if (b[metrics] !== undefined && a[metrics] === undefined) meeting[metrics] = false;
  for (const k of FEATURES) {
    if (b[k] && !a[k]) meeting[k] = { [M.ENABLED]: false };
  }
  if (b[M.PROACTIVE_JOIN] && !a[M.PROACTIVE_JOIN]) meeting[M.PROACTIVE_JOIN] = { [M.ENABLED_BY_MOTION]: false };
  if (Object.keys(meeting).length) fields[P.MEETING_ROOM_CONFIGURATION] = meeting;
  return { fields, unclearable };
}

export const roomProfileKind: ResourceKind<RoomProfileSpec> = {
  arnKind: 'profile',
  label: 'room profile',
  operations: { create: 'CreateProfile', find: 'SearchProfiles', read: 'GetProfile', rename: 'UpdateProfile' },
  read: readRoomProfile,
  name: (spec) => spec.ProfileName,
  adoptExisting: (spec) => spec.adoptExisting,

  async create(spec, token, _steps, systemTags) {
    const { tags, adoptExisting, ...fields } = spec;
    const all = [...tags, ...systemTags];
    const out = await a4b.send(new CreateProfileCommand({ ...(fields as any), ClientRequestToken: token, Tags: all.length ? all : undefined }));
    // Rooms served by this container find it without a search.
    remember('profile', spec.ProfileName, out.ProfileArn!);
    return out.ProfileArn!;
  },

  async afterCreate() {},

  async find(name) {
    return (await findProfileByName(a4b, name))?.ProfileArn;
  },

  findExisting(spec, steps) {
    return new NameResolver(steps).existing('profile', spec.ProfileName);
  },

  async rename(arn, name) {
    await a4b.send(new UpdateProfileCommand({ ProfileArn: arn, ProfileName: name }));
    remember('profile', name, arn);
  },

  async readLive(arn) {
    const { Profile } = await a4b.send(new GetProfileCommand({ ProfileArn: arn }));
    const tags = await liveTags(arn);
    const live = Profile as Record<string, any>;
    return {
      ...Object.fromEntries(SCALARS.map((k) => [k, live[k]])),
      [P.MEETING_ROOM_CONFIGURATION]: live[P.MEETING_ROOM_CONFIGURATION],
      tags: tags,
      adoptExisting: true,
    } as RoomProfileSpec;
  },

  async update(arn, before, after, steps, adopting) {
    const plan = planRoomProfileUpdate(before, after);
    if (plan.unclearable.length && !adopting) {
      throw new ResourceError(`room profile '${after.ProfileName}': A4B cannot unset a profile's ${plan.unclearable.join(', ')} once set: give it a new value instead of removing it`, arn);
    }
    if (Object.keys(plan.fields).length) {
      await steps.run('UpdateProfile', `updated ${Object.keys(plan.fields).join(', ')}`, () => a4b.send(new UpdateProfileCommand({ ProfileArn: arn, ...(plan.fields as any) })));
      if (plan.fields.ProfileName !== undefined) remember('profile', after.ProfileName, arn);
    }
    const tags = tagChange(before.tags, after.tags);
    if (!isEmptyChange(tags)) await steps.tags(arn, tags);
  },

  async delete(arn) {
    await a4b.send(new DeleteProfileCommand({ ProfileArn: arn }));
    forget('profile', arn);
  },
};
