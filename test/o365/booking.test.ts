// The booking test's decisions: what a room's answer means for Alexa and which command fixes it.
import {
  bodyText, bookingSettled, bookingVerdict, chooseSlot, DAYS, declineCause, dialInLine, ianaZone, localTime, pollDelayMs, SlotRules, testMeeting,
  withinWorkingHours,
} from '../../lib/o365/booking';

const ROOM = { name: 'Spree', mailbox: 'spree@contoso.com' };
const URL = dialInLine('run-1').url;
const kept = `Join: ${URL}`;

describe('bookingVerdict', () => {
  test.each([
    ['accepted, body kept', { answer: 'accepted', copy: { body: kept, response: 'accepted', showAs: 'busy' } }, 'passed', true, undefined],
    // The room's own copy answers before the organizer's copy shows it.
    ['accepted on the copy, organizer not updated yet', { answer: 'none', copy: { body: kept, response: 'accepted', showAs: 'busy' } }, 'passed', true, undefined],
    ['accepted, body emptied', { answer: 'accepted', copy: { body: '', response: 'accepted', showAs: 'busy' } }, 'delete-comments', false, 'Set-CalendarProcessing spree@contoso.com -DeleteComments $FALSE'],
    ['accepted, another URL only', { answer: 'accepted', copy: { body: 'https://chime.aws/0000000000', response: 'accepted', showAs: 'busy' } }, 'delete-comments', false, 'Set-CalendarProcessing spree@contoso.com -DeleteComments $FALSE'],
    ['declined', { answer: 'declined' }, 'declined', false, 'look at the room\'s calendar at the test\'s time, and its policy: Get-CalendarProcessing spree@contoso.com | Format-List AutomateProcessing,AllowConflicts,ScheduleOnlyDuringWorkHours,BookingWindowInDays,MaximumDurationInMinutes,AllBookInPolicy,BookInPolicy,ProcessExternalMeetingMessages,EnableResponseDetails'],
    ['a tentative copy, no answer (AutoUpdate)', { answer: 'none', copy: { body: kept, response: 'notResponded', showAs: 'tentative' } }, 'tentative', false, 'Set-CalendarProcessing spree@contoso.com -AutomateProcessing AutoAccept (check with: Get-CalendarProcessing spree@contoso.com | Format-List AutomateProcessing,DeleteComments,AllowConflicts)'],
    ['nothing (None)', { answer: 'none' }, 'no-answer', false, 'Get-CalendarProcessing spree@contoso.com | Format-List AutomateProcessing,DeleteComments,AllowConflicts; then Set-CalendarProcessing spree@contoso.com -AutomateProcessing AutoAccept'],
    ['accepted, no copy readable', { answer: 'accepted' }, 'no-copy', false, undefined],
  ])('%s: %s', (_name, o, check, passed, fix) => {
    const v = bookingVerdict(ROOM, o, URL);
    expect(v.check).toBe(check);
    expect(v.passed).toBe(passed);
    expect(v.fix).toBe(fix);
  });

  test.each([
    ['Your request was declined because you don\'t have permission to book this resource.', 'AllBookInPolicy/BookInPolicy',
      'check the room\'s AllBookInPolicy/BookInPolicy: Get-CalendarProcessing spree@contoso.com | Format-List AllBookInPolicy,BookInPolicy,AllRequestInPolicy; to let sa@contoso.com book it: Set-CalendarProcessing spree@contoso.com -AllBookInPolicy $true, or add sa@contoso.com to -BookInPolicy (the list given replaces the old one)'],
    ['The meeting is outside the working hours of this resource.', 'ScheduleOnlyDuringWorkHours',
      'check the room\'s ScheduleOnlyDuringWorkHours: Get-CalendarProcessing spree@contoso.com | Format-List ScheduleOnlyDuringWorkHours (and the room\'s working hours: Get-MailboxCalendarConfiguration)'],
    ['This resource can\'t be booked more than 180 days in advance.', 'BookingWindowInDays', 'check the room\'s BookingWindowInDays: Get-CalendarProcessing spree@contoso.com | Format-List BookingWindowInDays'],
    ['The meeting\'s duration is longer than this resource allows (60 minutes).', 'MaximumDurationInMinutes', 'check the room\'s MaximumDurationInMinutes: Get-CalendarProcessing spree@contoso.com | Format-List MaximumDurationInMinutes'],
    ['This resource doesn\'t accept meeting requests from outside its organization.', 'ProcessExternalMeetingMessages',
      'check the room\'s ProcessExternalMeetingMessages: Get-CalendarProcessing spree@contoso.com | Format-List ProcessExternalMeetingMessages; or Set-CalendarProcessing spree@contoso.com -ProcessExternalMeetingMessages $true'],
    ['The resource is busy.', 'AllowConflicts', 'check the room\'s AllowConflicts: Get-CalendarProcessing spree@contoso.com | Format-List AllowConflicts'],
  ])('a decline saying "%s" names %s', (reason, setting, fix) => {
    expect(declineCause(reason)?.setting).toBe(setting);
    const v = bookingVerdict(ROOM, { answer: 'declined' }, URL, reason, 'sa@contoso.com');
    expect(v.fix).toBe(fix);
    expect(v.message).toContain(`"${reason}"`);
    expect(v.message).toContain(`(${setting})`);
  });

  test.each([
    ['accepted, body kept', { answer: 'accepted', copy: { body: kept, response: 'accepted', showAs: 'busy' } },
      { check: 'passed', passed: true, dialInKept: true, message: 'the room accepted the meeting and kept its dial-in details (DeleteComments is off)' }],
    ['accepted, body emptied', { answer: 'accepted', copy: { body: '', response: 'accepted', showAs: 'busy' } }, {
      check: 'delete-comments', passed: false, dialInKept: false,
      message: 'the room accepted the meeting but deleted its body, so Alexa finds no dial-in number in it (DeleteComments is on, Exchange\'s default)',
      fix: 'Set-CalendarProcessing spree@contoso.com -DeleteComments $FALSE',
    }],
    ['a tentative copy without the dial-in line', { answer: 'none', copy: { body: '', response: 'notResponded', showAs: 'tentative' } }, {
      check: 'tentative', passed: false, dialInKept: false,
      message: 'the room put the meeting on its calendar tentatively and sent no answer (AutomateProcessing is AutoUpdate?): it does not accept meetings by itself',
      fix: 'Set-CalendarProcessing spree@contoso.com -AutomateProcessing AutoAccept (check with: Get-CalendarProcessing spree@contoso.com | Format-List AutomateProcessing,DeleteComments,AllowConflicts)',
    }],
    ['accepted, no copy readable', { answer: 'accepted' },
      { check: 'no-copy', passed: false, message: 'the room accepted, but its calendar shows no copy of the meeting in time (can the Graph app read the room\'s calendar?)' }],
  ])('the whole verdict: %s', (_name, o, verdict) => {
    expect(bookingVerdict(ROOM, o, URL)).toEqual(verdict);
  });

  test('a decline naming the booking policy, without an organizer: the verdict in full', () => {
    expect(bookingVerdict(ROOM, { answer: 'declined' }, URL, 'You don\'t have permission to book this resource.')).toEqual({
      check: 'declined', passed: false,
      message: 'the room declined the test meeting: "You don\'t have permission to book this resource."; its booking policy decided (AllBookInPolicy/BookInPolicy): Alexa\'s bookings from this organizer meet the same policy',
      fix: 'check the room\'s AllBookInPolicy/BookInPolicy: Get-CalendarProcessing spree@contoso.com | Format-List AllBookInPolicy,BookInPolicy,AllRequestInPolicy; to let the organizer book it: Set-CalendarProcessing spree@contoso.com -AllBookInPolicy $true, or add the organizer to -BookInPolicy (the list given replaces the old one)',
    });
  });

  test('a decline reason is quoted on one line, its runs of white space as one space, at most 300 characters', () => {
    const said = (reply: string) => /declined the test meeting: "(.*)"; /.exec(bookingVerdict(ROOM, { answer: 'declined' }, URL, reply).message)![1];
    expect(said('The resource\n\n  is busy. ')).toBe('The resource is busy.');
    expect(said(`busy ${'x'.repeat(400)}`)).toBe(`busy ${'x'.repeat(295)}`);
  });

  test('a decline without a reason says why there is none', () => {
    expect(declineCause(undefined)).toBeUndefined();
    expect(declineCause('Declined.')).toBeUndefined();
    expect(bookingVerdict(ROOM, { answer: 'declined' }, URL).message).toContain('gave no reason (EnableResponseDetails is $false, or the Graph app may not read the organizer\'s mail: Mail.Read)');
  });

  test('messages say what happened', () => {
    expect(bookingVerdict(ROOM, { answer: 'none' }, URL).message).toBe('no answer in time: the room does not process meeting requests automatically (AutomateProcessing is not AutoAccept?)');
    expect(bookingVerdict(ROOM, { answer: 'declined' }, URL, ' Your request was declined because the resource is busy. ').message)
      .toBe('the room declined the test meeting: "Your request was declined because the resource is busy."; its booking policy decided (AllowConflicts): Alexa\'s bookings from this organizer meet the same policy');
    expect(bookingVerdict(ROOM, { answer: 'accepted', copy: { body: '', response: 'accepted', showAs: 'busy' } }, URL).message).toContain('deleted its body, so Alexa finds no dial-in number');
  });
});

test.each([
  [{ answer: 'none' }, false],
  [{ answer: 'accepted' }, false], // the copy is still to be read
  [{ answer: 'declined' }, true],
  [{ answer: 'none', copy: { body: '', response: 'accepted', showAs: 'busy' } }, true],
  [{ answer: 'none', copy: { body: '', response: 'notResponded', showAs: 'tentative' } }, true],
  [{ answer: 'none', copy: { body: '', response: 'none', showAs: 'tentative' } }, true],
  [{ answer: 'none', copy: { body: '', response: 'tentativelyAccepted', showAs: 'tentative' } }, true],
  // The organizer's copy shows the decline soon; the room's own copy saying so is not an answer to stop on.
  [{ answer: 'none', copy: { body: '', response: 'declined', showAs: 'free' } }, false],
])('bookingSettled %j: %s', (o, settled) => {
  expect(bookingSettled(o)).toBe(settled);
});

test.each([
  [0, 60000, 500], [1, 60000, 1000], [4, 60000, 8000], [9, 60000, 8000], [3, 1200, 1200], [0, -5, 0],
])('pollDelayMs(%d, %d) = %d', (attempt, remaining, delay) => {
  expect(pollDelayMs(attempt, remaining)).toBe(delay);
});

describe('the test meeting', () => {
  const WEEK = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
  const hours = (zone: string, start = '08:00:00.0000000', end = '17:00:00.0000000', days = WEEK) => ({ daysOfWeek: days, startTime: start, endTime: end, timeZone: { name: zone } });
  const FRIDAY_EVENING = '2026-12-04T19:58:00Z';
  const at = (iso: string) => Date.parse(iso);
  test.each([
    ['no working hours: a day ahead, on the quarter hour', FRIDAY_EVENING, {}, '2026-12-05T20:00:00.000Z', 15],
    ['Berlin (Windows name), Mon-Fri 8-17: Monday 08:00 CET', FRIDAY_EVENING, { workingHours: hours('W. Europe Standard Time') }, '2026-12-07T07:00:00.000Z', 15],
    ['a busy slot is skipped', FRIDAY_EVENING, { workingHours: hours('W. Europe Standard Time'), busy: [{ start: at('2026-12-07T06:30:00Z'), end: at('2026-12-07T08:20:00Z') }] }, '2026-12-07T08:30:00.000Z', 15],
    ['Pacific, 9-17: Monday 09:00 PST', FRIDAY_EVENING, { workingHours: hours('Pacific Standard Time', '09:00:00') }, '2026-12-07T17:00:00.000Z', 15],
    ['Tokyo (IANA), Sundays 10-11', FRIDAY_EVENING, { workingHours: hours('Asia/Tokyo', '10:00:00', '11:00:00', ['sunday']) }, '2026-12-06T01:00:00.000Z', 15],
    ['Berlin Mondays, before the end of summer time: 08:00 CEST', '2026-10-15T12:00:00Z', { workingHours: hours('Europe/Berlin', '08:00:00', '17:00:00', ['monday']) }, '2026-10-19T06:00:00.000Z', 15],
    ['Berlin Mondays, after it (DST ended Oct 25): 08:00 CET', '2026-10-22T12:00:00Z', { workingHours: hours('Europe/Berlin', '08:00:00', '17:00:00', ['monday']) }, '2026-10-26T07:00:00.000Z', 15],
    ['a room whose maximum is 10 minutes: a 10-minute meeting', FRIDAY_EVENING, { maximumDurationInMinutes: 10 }, '2026-12-05T20:00:00.000Z', 10],
    ['maximum 0 is unlimited: 15 minutes', FRIDAY_EVENING, { maximumDurationInMinutes: 0 }, '2026-12-05T20:00:00.000Z', 15],
    ['a 2-day booking window, no working hours: inside it', FRIDAY_EVENING, { bookingWindowInDays: 2 }, '2026-12-05T20:00:00.000Z', 15],
    ['a 2-day booking window ends before Monday: no slot', FRIDAY_EVENING, { bookingWindowInDays: 2, workingHours: hours('UTC') }, undefined, 0],
    ['a 1-day window: nothing a day ahead fits', FRIDAY_EVENING, { bookingWindowInDays: 1 }, undefined, 0],
    ['busy for the whole search: no slot', FRIDAY_EVENING, { busy: [{ start: at('2026-12-01T00:00:00Z'), end: at('2027-01-01T00:00:00Z') }] }, undefined, 0],
  ])('chooseSlot: %s', (_name, now, rules, start, minutes) => {
    const s = chooseSlot(new Date(now), rules as SlotRules);
    expect(s?.start.toISOString()).toBe(start);
    if (s) expect((s.end.getTime() - s.start.getTime()) / 60000).toBe(minutes);
  });

  test.each([
    ['16:45-17:00 UTC on a Monday', '2026-12-07T16:45:00Z', '2026-12-07T17:00:00Z', true],
    ['16:50-17:05 runs past the end', '2026-12-07T16:50:00Z', '2026-12-07T17:05:00Z', false],
    ['07:55-08:10 starts before', '2026-12-07T07:55:00Z', '2026-12-07T08:10:00Z', false],
    ['a Sunday', '2026-12-06T10:00:00Z', '2026-12-06T10:15:00Z', false],
    ['the old fixed slot, Sunday 02:00 UTC', '2026-12-27T02:00:00Z', '2026-12-27T02:15:00Z', false],
  ])('withinWorkingHours (Mon-Fri 8-17 UTC): %s', (_name, start, end, inside) => {
    expect(withinWorkingHours(at(start), at(end), hours('UTC'))).toBe(inside);
  });

  test.each([
    ['starts at the start time (08:30)', '2026-12-07T08:30:00Z', '2026-12-07T08:45:00Z', true],
    ['starts a quarter before it', '2026-12-07T08:15:00Z', '2026-12-07T08:30:00Z', false],
    ['ends a minute after the end time (17:31)', '2026-12-07T17:16:00Z', '2026-12-07T17:31:00Z', false],
  ])('withinWorkingHours (Mon-Fri 8:30-17:30 UTC): %s', (_name, start, end, inside) => {
    expect(withinWorkingHours(at(start), at(end), hours('UTC', '08:30:00', '17:30:00'))).toBe(inside);
  });

  test('a meeting across midnight is on two days, outside hours that cover both', () => {
    const allDay = hours('UTC', '00:00:00', '23:59:00', DAYS);
    expect(withinWorkingHours(at('2026-12-07T23:40:00Z'), at('2026-12-07T23:55:00Z'), allDay)).toBe(true);
    expect(withinWorkingHours(at('2026-12-07T23:50:00Z'), at('2026-12-08T00:05:00Z'), allDay)).toBe(false);
  });

  test('working hours without a time zone are UTC', () => {
    const noZone = { daysOfWeek: WEEK, startTime: '08:00:00', endTime: '17:00:00' };
    expect(withinWorkingHours(at('2026-12-07T08:00:00Z'), at('2026-12-07T08:15:00Z'), noZone)).toBe(true);
    expect(withinWorkingHours(at('2026-12-07T07:45:00Z'), at('2026-12-07T08:00:00Z'), noZone)).toBe(false);
  });

  test('a start time that is not HH:mm is refused, with the value', () => {
    expect(() => withinWorkingHours(0, 60000, hours('UTC', 'T08:00:00'))).toThrow(new Error("'T08:00:00' is not a time of day (HH:mm:ss)"));
  });

  test('DAYS are indexed like Date.getUTCDay and spelled as localTime spells days', () => {
    for (let d = 6; d <= 12; d++) {
      const ms = Date.UTC(2026, 11, d, 12);
      expect(DAYS[new Date(ms).getUTCDay()]).toBe(localTime(ms, 'UTC').day);
    }
    expect(DAYS).toHaveLength(7);
  });

  // CLDR's windowsZones (territory 001); compared with the zone as Intl resolves it (Europe/Kiev may be Europe/Kyiv).
  test.each([
    ['GMT Standard Time', 'Europe/London'], ['Greenwich Standard Time', 'Atlantic/Reykjavik'], ['Central Europe Standard Time', 'Europe/Budapest'],
    ['Romance Standard Time', 'Europe/Paris'], ['Central European Standard Time', 'Europe/Warsaw'], ['E. Europe Standard Time', 'Europe/Chisinau'],
    ['FLE Standard Time', 'Europe/Kiev'], ['Central Standard Time', 'America/Chicago'], ['Mountain Standard Time', 'America/Denver'],
    ['US Mountain Standard Time', 'America/Phoenix'], ['Tokyo Standard Time', 'Asia/Tokyo'], ['India Standard Time', 'Asia/Calcutta'],
    ['China Standard Time', 'Asia/Shanghai'], ['Singapore Standard Time', 'Asia/Singapore'], ['AUS Eastern Standard Time', 'Australia/Sydney'],
    ['New Zealand Standard Time', 'Pacific/Auckland'],
    [' Eastern Standard Time ', 'America/New_York'], [' Europe/Berlin ', 'Europe/Berlin'],
  ])('ianaZone(%j) is %s', (windows, iana) => {
    expect(ianaZone(windows)).toBe(new Intl.DateTimeFormat('en-US', { timeZone: iana }).resolvedOptions().timeZone);
  });

  test('an unknown time zone is refused, naming the field', () => {
    expect(() => withinWorkingHours(0, 60000, hours('Mars Standard Time'))).toThrow("workingHours.timeZone: 'Mars Standard Time' is neither an IANA zone nor a Windows zone");
    expect(ianaZone('Eastern Standard Time')).toBe('America/New_York');
    expect(ianaZone(undefined)).toBe('UTC');
  });

  test('books the room as a resource, marked in subject and extended property, the dial-in line in the body', () => {
    const m = testMeeting(ROOM, 'run-1', { start: new Date('2026-12-27T02:00:00Z'), end: new Date('2026-12-27T02:15:00Z') });
    expect(m.subject).toBe('[cdk-a4b-rooms booking test] Spree');
    expect(m.attendees).toEqual([{ type: 'resource', emailAddress: { address: 'spree@contoso.com', name: 'Spree' } }]);
    expect(m.body.content).toContain(URL);
    expect(m.singleValueExtendedProperties).toEqual([{ id: 'String {5c0b7f6e-4e0a-4b4c-9a0e-a4b0b00c1a11} Name cdk-a4b-rooms-booking-test', value: 'cdk-a4b-rooms booking test' }]);
    expect(m.start).toEqual({ dateTime: '2026-12-27T02:00:00', timeZone: 'UTC' });
    expect(dialInLine('run-2').url).not.toBe(URL);
    expect(dialInLine('run-1').line).toMatch(/^Amazon Chime: https:\/\/chime\.aws\/\d{10} Meeting ID: \d{4} \d{3} \d{3}$/);
  });

  test.each([
    ['a busy time ending where the slot starts', [{ start: at('2026-12-05T19:00:00Z'), end: at('2026-12-05T20:00:00Z') }], '2026-12-05T20:00:00.000Z'],
    ['a busy time starting where the slot ends', [{ start: at('2026-12-05T20:15:00Z'), end: at('2026-12-05T21:00:00Z') }], '2026-12-05T20:00:00.000Z'],
    ['a busy time overlapping the slot by a minute', [{ start: at('2026-12-05T20:14:00Z'), end: at('2026-12-05T21:00:00Z') }], '2026-12-05T21:00:00.000Z'],
  ])('chooseSlot next to busy times: %s', (_name, busy, start) => {
    expect(chooseSlot(new Date(FRIDAY_EVENING), { busy })?.start.toISOString()).toBe(start);
  });

  test('chooseSlot: the last slot of the search ends exactly at its end', () => {
    const search = { leadMinutes: 0, days: 1, stepMinutes: 15, durationMinutes: 15 };
    const now = new Date('2026-12-04T20:00:00Z');
    const busy = [{ start: at('2026-12-04T20:00:00Z'), end: at('2026-12-05T19:45:00Z') }];
    expect(chooseSlot(now, { busy }, search)).toEqual({ start: new Date('2026-12-05T19:45:00Z'), end: new Date('2026-12-05T20:00:00Z') });
  });

  test('the test meeting in full: the transaction id is the run and the mailbox in lower case, at most 200 characters', () => {
    const slot = { start: new Date('2026-12-27T02:00:00Z'), end: new Date('2026-12-27T02:15:00Z') };
    expect(testMeeting({ name: 'Spree', mailbox: 'Spree@Contoso.com' }, 'run-1', slot)).toEqual({
      subject: '[cdk-a4b-rooms booking test] Spree',
      body: { contentType: 'text', content: `A test of the room's calendar by cdk-a4b-rooms (a4b-rooms test-booking, run run-1); it is cancelled in a moment.\n${dialInLine('run-1').line}` },
      start: { dateTime: '2026-12-27T02:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-12-27T02:15:00', timeZone: 'UTC' },
      isReminderOn: false,
      attendees: [{ type: 'resource', emailAddress: { address: 'Spree@Contoso.com', name: 'Spree' } }],
      singleValueExtendedProperties: [{ id: 'String {5c0b7f6e-4e0a-4b4c-9a0e-a4b0b00c1a11} Name cdk-a4b-rooms-booking-test', value: 'cdk-a4b-rooms booking test' }],
      transactionId: 'run-1-spree@contoso.com',
    });
    expect(testMeeting(ROOM, 'r'.repeat(250), slot).transactionId).toBe('r'.repeat(200));
  });

  test.each([
    ['HTML: tags dropped, &amp; read', { contentType: 'HTML', content: '<p>Join &amp; <a href="x">u</a></p>' }, ' Join &  u  '],
    ['text: as it is', { contentType: 'text', content: '<p>a &amp; b</p>' }, '<p>a &amp; b</p>'],
    ['no content type: as it is', { content: '<p>a</p>' }, '<p>a</p>'],
  ])('bodyText, %s', (_name, body, text) => {
    expect(bodyText(body)).toBe(text);
  });

  test('bodyText reads HTML bodies as text', () => {
    expect(bodyText({ contentType: 'html', content: `<p>Join <a href="x">${URL}</a></p>` })).toContain(URL);
    expect(bodyText(undefined)).toBe('');
  });
});
