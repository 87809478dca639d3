// One conversion of an A4B profile (GetProfile's output, or a Custom::A4BRoomProfile's properties as CloudFormation
// passes them, values as strings) into the inventory's words, used by import, live drift and drift from an assembly.
import { profileFields } from '../../lib/drift/desired';
import { inventoryMeetingRoom, ProfileAsRead, profileFromA4b } from '../../lib/inventory/a4b-profile';

const BASE = { ProfileName: 'Std', Address: 'Main St 1', Timezone: 'Europe/Berlin', DistanceUnit: 'METRIC', TemperatureUnit: 'CELSIUS', WakeWord: 'ALEXA' };
const base = { name: 'Std', address: 'Main St 1', timezone: 'Europe/Berlin', distanceUnit: 'METRIC', temperatureUnit: 'CELSIUS', wakeWord: 'ALEXA' };
const FULL_MEETING_ROOM = {
  endOfMeetingReminder: { enabled: true, minutes: 5, type: 'CHIME' },
  instantBooking: { enabled: true, durationMinutes: 30 },
  requireCheckIn: { enabled: false, releaseAfterMinutes: 10 },
  roomUtilizationMetrics: true,
};

describe('profileFromA4b', () => {
  test.each<[string, object, ProfileAsRead]>([
    ['the required members alone', BASE, base],
    ['GetProfile output, every member',
      {
        ...BASE, ProfileArn: 'arn:aws:a4b:us-east-1:123456789012:profile/x', Locale: 'de-DE', MaxVolumeLimit: 7,
        SetupModeDisabled: true, PSTNEnabled: true, DataRetentionOptIn: true, AddressBookArn: 'arn:aws:a4b:us-east-1:123456789012:address-book/y',
        MeetingRoomConfiguration: {
          RoomUtilizationMetricsEnabled: true,
          EndOfMeetingReminder: { Enabled: true, ReminderAtMinutes: [5], ReminderType: 'CHIME' },
          InstantBooking: { Enabled: true, DurationInMinutes: 30 },
          RequireCheckIn: { Enabled: false, ReleaseAfterMinutes: 10 },
        },
      },
      { ...base, locale: 'de-DE', maxVolume: 7, setupModeDisabled: true, pstnEnabled: true, dataRetentionOptIn: true, meetingRoom: FULL_MEETING_ROOM }],
    ['CloudFormation properties: booleans and numbers as strings',
      {
        ...BASE, MaxVolumeLimit: '7', SetupModeDisabled: 'true', PSTNEnabled: 'false', Tags: [{ Key: 'a', Value: 'b' }], AdoptExisting: 'true',
        MeetingRoomConfiguration: {
          RoomUtilizationMetricsEnabled: 'true',
          EndOfMeetingReminder: { Enabled: 'true', ReminderAtMinutes: ['5'], ReminderType: 'CHIME' },
          InstantBooking: { Enabled: 'true', DurationInMinutes: '30' },
          RequireCheckIn: { Enabled: 'false', ReleaseAfterMinutes: '10' },
        },
      },
      { ...base, maxVolume: 7, setupModeDisabled: true, meetingRoom: FULL_MEETING_ROOM }],
    ['a string that is not a number stays as it is', { ...BASE, MaxVolumeLimit: 'loud' }, { ...base, maxVolume: 'loud' as unknown as number }],
    // Number('') and Number(' ') are 0: a blank is not read as a volume of 0.
    ['an empty string stays as it is', { ...BASE, MaxVolumeLimit: '' }, { ...base, maxVolume: '' as unknown as number }],
    ['a blank string stays as it is', { ...BASE, MaxVolumeLimit: ' ' }, { ...base, maxVolume: ' ' as unknown as number }],
    ['booleans that default to false are left out when false', { ...BASE, SetupModeDisabled: false, PSTNEnabled: 'false', DataRetentionOptIn: false }, base],
    ['RoomUtilizationMetricsEnabled false is kept', { ...BASE, MeetingRoomConfiguration: { RoomUtilizationMetricsEnabled: false } },
      { ...base, meetingRoom: { roomUtilizationMetrics: false } }],
    ['features that are off without their setting', {
      ...BASE, MeetingRoomConfiguration: { EndOfMeetingReminder: { Enabled: false }, InstantBooking: { Enabled: 'false' }, RequireCheckIn: { Enabled: false } },
    }, {
      ...base, meetingRoom: { endOfMeetingReminder: { enabled: false }, instantBooking: { enabled: false }, requireCheckIn: { enabled: false } },
    }],
    ['a feature without Enabled, a reminder without minutes', {
      ...BASE, MeetingRoomConfiguration: { InstantBooking: { DurationInMinutes: 15 }, EndOfMeetingReminder: { ReminderAtMinutes: [], ReminderType: 'KNOCK' } },
    }, { ...base, meetingRoom: { instantBooking: { durationMinutes: 15 }, endOfMeetingReminder: { type: 'KNOCK' } } }],
    ['an empty MeetingRoomConfiguration is no meeting-room settings', { ...BASE, MeetingRoomConfiguration: {} }, base],
    ['an empty feature is still there', { ...BASE, MeetingRoomConfiguration: { InstantBooking: {} } }, { ...base, meetingRoom: { instantBooking: {} } }],
    ['ProactiveJoin from GetProfile', { ...BASE, MeetingRoomConfiguration: { ProactiveJoin: { EnabledByMotion: false } } },
      { ...base, meetingRoom: { proactiveJoin: { enabledByMotion: false } } }],
    ['ProactiveJoin as CloudFormation passes it', { ...BASE, MeetingRoomConfiguration: { ProactiveJoin: { EnabledByMotion: 'true' } } },
      { ...base, meetingRoom: { proactiveJoin: { enabledByMotion: true } } }],
    ['no members at all', {}, {} as ProfileAsRead],
  ])('%s', (_, input, expected) => {
    expect(profileFromA4b(input)).toStrictEqual(expected);
  });
});

describe('inventoryMeetingRoom: the features an inventory can hold', () => {
  test.each<[string, ProfileAsRead['meetingRoom'], ReturnType<typeof inventoryMeetingRoom>]>([
    ['none', undefined, undefined],
    ['every feature with its setting', FULL_MEETING_ROOM, FULL_MEETING_ROOM],
    ['features without their setting are left out', { endOfMeetingReminder: { enabled: false, type: 'CHIME' }, instantBooking: { enabled: false }, requireCheckIn: {} }, undefined],
    ['the metrics switch alone', { instantBooking: { enabled: false }, roomUtilizationMetrics: false }, { roomUtilizationMetrics: false }],
    ['ProactiveJoin, on or off', { proactiveJoin: { enabledByMotion: false } }, { proactiveJoin: { enabledByMotion: false } }],
    ['ProactiveJoin without EnabledByMotion is left out (an inventory must give it)', { proactiveJoin: {} }, undefined],
  ])('%s', (_, input, expected) => {
    expect(inventoryMeetingRoom(input)).toStrictEqual(expected);
  });
});

describe('profileFields of a profile read from A4B', () => {
  test('GetProfile output and properties with strings compare the same', () => {
    const meeting = (enabled: unknown, minutes: unknown) => ({
      EndOfMeetingReminder: { Enabled: enabled, ReminderAtMinutes: [minutes], ReminderType: 'CHIME' },
      InstantBooking: { Enabled: enabled, DurationInMinutes: minutes },
    });
    const api = profileFields(profileFromA4b({ ...BASE, MaxVolumeLimit: 5, MeetingRoomConfiguration: meeting(true, 15) }));
    expect(profileFields(profileFromA4b({ ...BASE, MaxVolumeLimit: '5', MeetingRoomConfiguration: meeting('true', '15') }))).toEqual(api);
    expect(api).toEqual({
      address: 'Main St 1', timezone: 'Europe/Berlin', distanceUnit: 'METRIC', temperatureUnit: 'CELSIUS', wakeWord: 'ALEXA', locale: undefined, maxVolume: 5,
      'meetingRoom.instantBooking': 15, 'meetingRoom.requireCheckIn': undefined, 'meetingRoom.endOfMeetingReminder': '15 CHIME',
    });
  });

  test.each<[string, object, Record<string, unknown>]>([
    ['a feature off, with or without its setting', { InstantBooking: { Enabled: false, DurationInMinutes: 30 }, RequireCheckIn: { Enabled: 'false' } },
      { 'meetingRoom.instantBooking': 'off', 'meetingRoom.requireCheckIn': 'off', 'meetingRoom.endOfMeetingReminder': undefined }],
    ['a feature on without its setting', { InstantBooking: { Enabled: true } }, { 'meetingRoom.instantBooking': undefined }],
    ['a reminder without minutes', { EndOfMeetingReminder: { ReminderType: 'KNOCK' } }, { 'meetingRoom.endOfMeetingReminder': 'undefined KNOCK' }],
  ])('%s', (_, meetingRoom, expected) => {
    expect(profileFields(profileFromA4b({ ...BASE, MeetingRoomConfiguration: meetingRoom }))).toMatchObject(expected);
  });

  test('ProactiveJoin is compared where it is set, with its value; left out, A4B\'s is no drift', () => {
    const field = 'meetingRoom.proactiveJoin.enabledByMotion';
    expect(profileFields(profileFromA4b({ ...BASE, MeetingRoomConfiguration: { ProactiveJoin: { EnabledByMotion: 'false' } } }))[field]).toBe(false);
    expect(profileFields(profileFromA4b({ ...BASE, MeetingRoomConfiguration: { ProactiveJoin: { EnabledByMotion: true } } }))[field]).toBe(true);
    const without = profileFields(profileFromA4b({ ...BASE, MeetingRoomConfiguration: { InstantBooking: { Enabled: true } } }));
    expect(Object.keys(without)).not.toContain(field);
  });

  test('no defaults are filled in: a live profile without a unit shows none', () => {
    expect(profileFields(profileFromA4b({ ProfileName: 'Std' }))).toMatchObject({ distanceUnit: undefined, temperatureUnit: undefined, wakeWord: undefined });
  });
});
