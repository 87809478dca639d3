import {
  CreateProfileCommand, DeleteProfileCommand, GetProfileCommand, SearchProfilesCommand, UpdateProfileCommand,
} from '@aws-sdk/client-alexa-for-business';
import { RoomProfileProps as P } from '../../contract';
import { ResourceError } from '../cfn';
import { a4b } from './client';
import { forget, remember } from './names';
import { changedFields, isEmptyChange, tagChange } from './plan';
import { PropertyReader, Tag } from '../properties';
import { liveTags, ResourceKind } from './resource';

export interface MeetingRoomSpec {
  RoomUtilizationMetricsEnabled?: boolean;
  EndOfMeetingReminder?: { Enabled: boolean; ReminderAtMinutes: number[]; ReminderType: string };
  InstantBooking?: { Enabled: boolean; DurationInMinutes: number };
  RequireCheckIn?: { Enabled: boolean; ReleaseAfterMinutes: number };
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

const SCALARS = ['ProfileName', 'Address', 'Timezone', 'DistanceUnit', 'TemperatureUnit', 'WakeWord', 'Locale', 'MaxVolumeLimit',
  'SetupModeDisabled', 'PSTNEnabled', 'DataRetentionOptIn'] as const;

export function readRoomProfile(props: Record<string, unknown>, resource: string): RoomProfileSpec {
  const p = new PropertyReader(props, resource);
  const mrc = p.object(P.MEETING_ROOM_CONFIGURATION);
  let meeting: MeetingRoomSpec | undefined;
  if (mrc) {
    const base = P.MEETING_ROOM_CONFIGURATION;
    const sub = (name: string) => p.object(name, mrc, `${base}.${name}`);
    const reminder = sub('EndOfMeetingReminder');
    const booking = sub('InstantBooking');
    const checkIn = sub('RequireCheckIn');
    const reminderMinutes = reminder?.ReminderAtMinutes;
    meeting = {
      RoomUtilizationMetricsEnabled: p.boolean('RoomUtilizationMetricsEnabled', mrc, `${base}.RoomUtilizationMetricsEnabled`),
      EndOfMeetingReminder: reminder && {
        Enabled: p.boolean('Enabled', reminder, `${base}.EndOfMeetingReminder.Enabled`) ?? true,
        ReminderAtMinutes: (Array.isArray(reminderMinutes) ? reminderMinutes : [reminderMinutes]).map((m, i) =>
          p.integer(String(i), { [String(i)]: m }, `${base}.EndOfMeetingReminder.ReminderAtMinutes[${i}]`)!),
        ReminderType: String(reminder.ReminderType),
      },
      InstantBooking: booking && {
        Enabled: p.boolean('Enabled', booking, `${base}.InstantBooking.Enabled`) ?? true,
        DurationInMinutes: p.integer('DurationInMinutes', booking, `${base}.InstantBooking.DurationInMinutes`)!,
      },
      RequireCheckIn: checkIn && {
        Enabled: p.boolean('Enabled', checkIn, `${base}.RequireCheckIn.Enabled`) ?? true,
        ReleaseAfterMinutes: p.integer('ReleaseAfterMinutes', checkIn, `${base}.RequireCheckIn.ReleaseAfterMinutes`)!,
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

/** Booleans removed from the declaration fall back to false; a meeting-room feature removed is switched off. */
export function planRoomProfileUpdate(before: RoomProfileSpec, after: RoomProfileSpec): RoomProfilePlan {
  const fields: Record<string, unknown> = changedFields(before, after, SCALARS);
  const unclearable: string[] = [];
  for (const k of ['SetupModeDisabled', 'PSTNEnabled', 'DataRetentionOptIn'] as const) {
    if (before[k] !== undefined && after[k] === undefined) fields[k] = false;
  }
  for (const k of ['Locale', 'MaxVolumeLimit'] as const) {
    if (before[k] !== undefined && after[k] === undefined) {
      delete fields[k];
      unclearable.push(k);
    }
  }
  const b = before.MeetingRoomConfiguration ?? {};
  const a = after.MeetingRoomConfiguration ?? {};
  const meeting: Record<string, unknown> = changedFields(b, a, ['RoomUtilizationMetricsEnabled', 'EndOfMeetingReminder', 'InstantBooking', 'RequireCheckIn']);
  if (b.RoomUtilizationMetricsEnabled !== undefined && a.RoomUtilizationMetricsEnabled === undefined) meeting.RoomUtilizationMetricsEnabled = false;
  for (const k of ['EndOfMeetingReminder', 'InstantBooking', 'RequireCheckIn'] as const) {
    if (b[k] && !a[k]) meeting[k] = { Enabled: false };
  }
  if (Object.keys(meeting).length) fields.MeetingRoomConfiguration = meeting;
  return { fields, unclearable };
}

export const roomProfileKind: ResourceKind<RoomProfileSpec> = {
  arnKind: 'profile',
  label: 'room profile',
  operations: { create: 'CreateProfile', find: 'SearchProfiles' },
  read: readRoomProfile,
  name: (spec) => spec.ProfileName,
  adoptExisting: (spec) => spec.adoptExisting,

  async create(spec, token) {
    const { tags, adoptExisting, ...fields } = spec;
    const out = await a4b.send(new CreateProfileCommand({ ...(fields as any), ClientRequestToken: token, Tags: tags.length ? tags : undefined }));
    // Rooms served by this container find it without a search.
    remember('profile', spec.ProfileName, out.ProfileArn!);
    return out.ProfileArn!;
  },

  async afterCreate() {},

  async find(name) {
    const out = await a4b.send(new SearchProfilesCommand({ Filters: [{ Key: 'ProfileName', Values: [name] }], MaxResults: 10 }));
    return out.Profiles?.find((p) => p.ProfileName === name)?.ProfileArn;
  },

  async readLive(arn) {
    const { Profile } = await a4b.send(new GetProfileCommand({ ProfileArn: arn }));
    const tags = await liveTags(arn);
    const live = Profile as Record<string, any>;
    return {
      ...Object.fromEntries(SCALARS.map((k) => [k, live[k]])),
      MeetingRoomConfiguration: live.MeetingRoomConfiguration,
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
