// The booking test's decisions: what a room's answer means for Alexa and which command fixes it.
import {
  bodyText, bookingSettled, bookingVerdict, chooseSlot, declineCause, dialInLine, ianaZone, pollDelayMs, SlotRules, testMeeting, withinWorkingHours,
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

  test('bodyText reads HTML bodies as text', () => {
    expect(bodyText({ contentType: 'html', content: `<p>Join <a href="x">${URL}</a></p>` })).toContain(URL);
    expect(bodyText(undefined)).toBe('');
  });
});
