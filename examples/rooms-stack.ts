// A small but realistic office: two floors of meeting rooms sharing profiles and skill groups.
import { Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  CalendarLinkMethod, EndOfMeetingReminderType, HandlerSecurityOptions, Office365CalendarLink, Room, RoomProfile, RoomsProvider, SkillGroup,
  TemperatureUnit, WakeWord,
} from 'cdk-a4b-rooms';

export interface ExampleRoomsStackProps extends StackProps {
  /** Security options of the library's functions (a VPC, a log key...), made in the stack. */
  readonly handlerSecurity?: (stack: Stack) => HandlerSecurityOptions;
}

export class ExampleRoomsStack extends Stack {
  constructor(scope: Construct, id: string, props?: ExampleRoomsStackProps) {
    super(scope, id, props);

    // The provider is made on first use with defaults; made first, it takes the security options.
    const security = props?.handlerSecurity?.(this) ?? {};
    if (props?.handlerSecurity) new RoomsProvider(this, 'A4BRoomsProvider', security);

    // Method 1 of the A4B guide: a service account with Editor on every room calendar, checked on each deploy.
    new Office365CalendarLink(this, 'CalendarLink', {
      tenant: 'contoso.onmicrosoft.com',
      method: CalendarLinkMethod.delegate({ serviceAccount: 'alexaforbusiness@contoso.onmicrosoft.com' }),
      credentials: secretsmanager.Secret.fromSecretNameV2(this, 'GraphCredentials', 'a4b-rooms/graph-validator'),
      // A stack output says the one step A4B has no API for (the console's "Link account").
      consoleStepOutput: true,
      ...security,
    });

    const meetingRooms = new RoomProfile(this, 'MeetingRoomProfile', {
      roomProfileName: 'Berlin meeting rooms',
      address: 'Friedrichstraße 100, 10117 Berlin, Germany',
      timezone: 'Europe/Berlin',
      locale: 'en-US',
      maxVolumeLimit: 8,
      endOfMeetingReminder: { reminderAtMinutes: 5, type: EndOfMeetingReminderType.ANNOUNCEMENT_TIME_CHECK },
      instantBooking: { durationMinutes: 30 },
      requireCheckIn: { releaseAfterMinutes: 10 },
      roomUtilizationMetricsEnabled: true,
    });
    const boardrooms = new RoomProfile(this, 'BoardroomProfile', {
      roomProfileName: 'Berlin boardrooms',
      address: 'Friedrichstraße 100, 10117 Berlin, Germany',
      timezone: 'Europe/Berlin',
      temperatureUnit: TemperatureUnit.CELSIUS,
      wakeWord: WakeWord.COMPUTER,
      pstnEnabled: true,
      instantBooking: { durationMinutes: 60 },
    });

    const conferencing = new SkillGroup(this, 'Conferencing', {
      skillGroupName: 'Conferencing',
      description: 'Start and join meetings',
    });
    const facilities = new SkillGroup(this, 'Facilities', {
      skillGroupName: 'Facilities',
      description: 'Report a problem with the room',
    });

    const rooms = [
      { id: 'Spree', name: 'Spree (2.01)', mailbox: 'spree@contoso.onmicrosoft.com', profile: meetingRooms, floor: '2' },
      { id: 'Havel', name: 'Havel (2.02)', mailbox: 'havel@contoso.onmicrosoft.com', profile: meetingRooms, floor: '2' },
      { id: 'Tegel', name: 'Tegel (3.01)', mailbox: 'tegel@contoso.onmicrosoft.com', profile: meetingRooms, floor: '3' },
      { id: 'Boardroom', name: 'Boardroom (5.01)', mailbox: 'boardroom@contoso.onmicrosoft.com', profile: boardrooms, floor: '5' },
    ];
    for (const r of rooms) {
      new Room(this, r.id, {
        roomName: r.name,
        mailbox: r.mailbox,
        description: `Meeting room on floor ${r.floor}`,
        profile: r.profile,
        skillGroups: r.profile === boardrooms ? [conferencing] : [conferencing, facilities],
        tags: { floor: r.floor },
      });
    }
    Tags.of(this).add('site', 'berlin');
  }
}
