import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DistanceUnit, EndOfMeetingReminderType, RoomProfile, RoomProfileProps, TemperatureUnit, WakeWord } from '../lib';

const base: RoomProfileProps = { roomProfileName: 'Std', address: '1 Main St', timezone: 'America/New_York' };

describe('RoomProfile', () => {
  test('maps every setting to the A4B members, meeting-room settings nested as A4B has them', () => {
    const stack = new Stack();
    new RoomProfile(stack, 'P', {
      ...base, distanceUnit: DistanceUnit.IMPERIAL, temperatureUnit: TemperatureUnit.FAHRENHEIT, wakeWord: WakeWord.ECHO, locale: 'en-US',
      maxVolumeLimit: 6, setupModeDisabled: true, pstnEnabled: false, dataRetentionOptIn: true,
      endOfMeetingReminder: { reminderAtMinutes: 10, type: EndOfMeetingReminderType.KNOCK },
      instantBooking: { durationMinutes: 45, enabled: false }, requireCheckIn: { releaseAfterMinutes: 5 }, roomUtilizationMetricsEnabled: true,
    });
    Template.fromStack(stack).hasResourceProperties('Custom::A4BRoomProfile', {
      ProfileName: 'Std', Address: '1 Main St', Timezone: 'America/New_York', DistanceUnit: 'IMPERIAL', TemperatureUnit: 'FAHRENHEIT',
      WakeWord: 'ECHO', Locale: 'en-US', MaxVolumeLimit: 6, SetupModeDisabled: true, PSTNEnabled: false, DataRetentionOptIn: true,
      MeetingRoomConfiguration: {
        RoomUtilizationMetricsEnabled: true,
        EndOfMeetingReminder: { Enabled: true, ReminderAtMinutes: [10], ReminderType: 'KNOCK' },
        InstantBooking: { Enabled: false, DurationInMinutes: 45 },
        RequireCheckIn: { Enabled: true, ReleaseAfterMinutes: 5 },
      },
    });
  });

  test('proactiveJoin: A4B\'s ProactiveJoin { EnabledByMotion } in the meeting-room settings, on or off', () => {
    const stack = new Stack();
    new RoomProfile(stack, 'On', { ...base, roomProfileName: 'On', proactiveJoin: { enabledByMotion: true } });
    new RoomProfile(stack, 'Off', { ...base, roomProfileName: 'Off', proactiveJoin: { enabledByMotion: false }, requireCheckIn: { releaseAfterMinutes: 5 } });
    const meeting = (name: string) => Object.values(Template.fromStack(stack).findResources('Custom::A4BRoomProfile'))
      .find((r) => r.Properties.ProfileName === name)!.Properties.MeetingRoomConfiguration;
    expect(meeting('On')).toEqual({ ProactiveJoin: { EnabledByMotion: true } });
    expect(meeting('Off')).toEqual({ ProactiveJoin: { EnabledByMotion: false }, RequireCheckIn: { Enabled: true, ReleaseAfterMinutes: 5 } });
  });

  test('defaults: metric, Celsius, Alexa, no meeting-room settings', () => {
    const stack = new Stack();
    new RoomProfile(stack, 'P', base);
    const props = Object.values(Template.fromStack(stack).findResources('Custom::A4BRoomProfile'))[0].Properties;
    expect(props).toMatchObject({ DistanceUnit: 'METRIC', TemperatureUnit: 'CELSIUS', WakeWord: 'ALEXA' });
    expect(props.MeetingRoomConfiguration).toBeUndefined();
  });

  test.each([
    ['reminder at 2 minutes', { endOfMeetingReminder: { reminderAtMinutes: 2, type: EndOfMeetingReminderType.CHIME } }, /endOfMeetingReminder.reminderAtMinutes 2 must be 3 to 15/],
    ['reminder at 16 minutes', { endOfMeetingReminder: { reminderAtMinutes: 16, type: EndOfMeetingReminderType.CHIME } }, /reminderAtMinutes 16 must be 3 to 15/],
    ['instant booking of 20 minutes', { instantBooking: { durationMinutes: 20 } }, /instantBooking.durationMinutes 20 must be 15 to 240 in steps of 15/],
    ['instant booking of 255 minutes', { instantBooking: { durationMinutes: 255 } }, /durationMinutes 255 must be 15 to 240 in steps of 15/],
    ['check-in release after 4 minutes', { requireCheckIn: { releaseAfterMinutes: 4 } }, /requireCheckIn.releaseAfterMinutes 4 must be 5 to 20/],
    ['check-in release after 7.5 minutes', { requireCheckIn: { releaseAfterMinutes: 7.5 } }, /releaseAfterMinutes 7.5 must be a whole number/],
    ['a misspelt time zone', { timezone: 'Europe/Berln' }, /timezone 'Europe\/Berln' must be an IANA time zone/],
    ['an address over 500 characters', { address: 'a'.repeat(501) }, /address 'a{60}…' must be 1 to 500 characters \(it is 501\)/],
    ['a volume of 11', { maxVolumeLimit: 11 }, /maxVolumeLimit 11 must be 0 to 10/],
    ['an unknown wake word', { wakeWord: WakeWord.of('SIRI') }, /wakeWord 'SIRI' must be one of ALEXA, AMAZON, ECHO, COMPUTER/],
    ['an unknown reminder type', { endOfMeetingReminder: { reminderAtMinutes: 5, type: EndOfMeetingReminderType.of('BEEP') } }, /endOfMeetingReminder.type 'BEEP' must be one of ANNOUNCEMENT_TIME_CHECK/],
    ['a name over 100 characters', { roomProfileName: 'p'.repeat(101) }, /roomProfileName 'p{60}…' must be 1 to 100 characters/],
  ])('synth fails on %s', (_, override, message) => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new RoomProfile(stack, 'P', { ...base, ...override });
    expect(() => app.synth()).toThrow(message);
  });

  test('the allowed edges pass', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new RoomProfile(stack, 'Low', { ...base, roomProfileName: 'Low', maxVolumeLimit: 0, endOfMeetingReminder: { reminderAtMinutes: 3, type: EndOfMeetingReminderType.CHIME }, instantBooking: { durationMinutes: 15 }, requireCheckIn: { releaseAfterMinutes: 5 } });
    new RoomProfile(stack, 'High', { ...base, roomProfileName: 'High', maxVolumeLimit: 10, endOfMeetingReminder: { reminderAtMinutes: 15, type: EndOfMeetingReminderType.CHIME }, instantBooking: { durationMinutes: 240 }, requireCheckIn: { releaseAfterMinutes: 20 } });
    expect(() => app.synth()).not.toThrow();
  });

  test('fromRoomProfileArn imports a profile', () => {
    const stack = new Stack();
    expect(RoomProfile.fromRoomProfileArn(stack, 'I', 'arn:aws:a4b:us-east-1:1:profile/a/b').roomProfileArn).toBe('arn:aws:a4b:us-east-1:1:profile/a/b');
  });
});
