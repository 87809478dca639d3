// The booking test's decisions: what a room's answer means for Alexa and which command fixes it.
import { bodyText, bookingSettled, bookingVerdict, dialInLine, pollDelayMs, testMeeting, testSlot } from '../../lib/o365/booking';

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
    ['declined', { answer: 'declined' }, 'declined', false, 'look at the room\'s calendar at the test\'s time, and its policy: Get-CalendarProcessing spree@contoso.com | Format-List AutomateProcessing,DeleteComments,AllowConflicts,BookingWindowInDays,AllBookInPolicy'],
    ['a tentative copy, no answer (AutoUpdate)', { answer: 'none', copy: { body: kept, response: 'notResponded', showAs: 'tentative' } }, 'tentative', false, 'Set-CalendarProcessing spree@contoso.com -AutomateProcessing AutoAccept (check with: Get-CalendarProcessing spree@contoso.com | Format-List AutomateProcessing,DeleteComments,AllowConflicts)'],
    ['nothing (None)', { answer: 'none' }, 'no-answer', false, 'Get-CalendarProcessing spree@contoso.com | Format-List AutomateProcessing,DeleteComments,AllowConflicts; then Set-CalendarProcessing spree@contoso.com -AutomateProcessing AutoAccept'],
    ['accepted, no copy readable', { answer: 'accepted' }, 'no-copy', false, undefined],
  ])('%s: %s', (_name, o, check, passed, fix) => {
    const v = bookingVerdict(ROOM, o, URL);
    expect(v.check).toBe(check);
    expect(v.passed).toBe(passed);
    expect(v.fix).toBe(fix);
  });

  test('messages say what happened', () => {
    expect(bookingVerdict(ROOM, { answer: 'none' }, URL).message).toBe('no answer in time: the room does not process meeting requests automatically (AutomateProcessing is not AutoAccept?)');
    expect(bookingVerdict(ROOM, { answer: 'declined' }, URL, ' Your request was declined because the resource is busy. ').message)
      .toBe('the room declined the test meeting: "Your request was declined because the resource is busy."; a room that declines cannot be booked from Alexa at that time (a conflict, or its booking policy)');
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
  test.each([
    ['2026-11-25T22:00:00Z', 0, '2026-12-27T02:00:00.000Z'], // a Wednesday: 30 days on is Friday Dec 25; next Sunday
    ['2026-11-26T10:00:00Z', 0, '2026-12-27T02:00:00.000Z'], // Thursday: Dec 26 is a Saturday
    ['2026-11-27T10:00:00Z', 5, '2026-12-27T03:15:00.000Z'], // Friday: Dec 27 is that Sunday
    ['2026-11-28T10:00:00Z', 13, '2027-01-03T02:15:00.000Z'],
  ])('from %s, slot %d: a Sunday 30+ days ahead at night, %s', (now, slot, start) => {
    const s = testSlot(new Date(now), slot);
    expect(s.start.toISOString()).toBe(start);
    expect(s.start.getUTCDay()).toBe(0);
    expect(s.end.getTime() - s.start.getTime()).toBe(15 * 60000);
    expect(s.start.getTime() - Date.parse(now)).toBeGreaterThanOrEqual(30 * 86400000 - 86400000);
  });

  test('books the room as a resource, marked in subject and extended property, the dial-in line in the body', () => {
    const m = testMeeting(ROOM, 'run-1', testSlot(new Date('2026-11-25T22:00:00Z'), 0));
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
