// The booking test (`a4b-rooms test-booking`): the manual's "Test the calendar integration" and its
// `Set-CalendarProcessing <room> -DeleteComments $FALSE` step, done with documented Graph calls. Pure: what to book,
// when to stop waiting, and what the room's answer means. The I/O is lib/cli/test-booking.ts.
//
// Sources:
// - Set-CalendarProcessing (learn.microsoft.com/powershell/module/exchange/set-calendarprocessing): DeleteComments
//   "remove any text in the message body of incoming meeting requests" (default $true); AutomateProcessing AutoAccept
//   (the Resource Booking Attendant accepts or declines), AutoUpdate (the Calendar Attendant only: requests are
//   tentatively on the calendar, nobody answers), None (requests stay in the inbox).
// - The room's copy of the meeting shares the organizer's iCalUId ("A unique identifier for an event across
//   calendars", resources/event.md), and its own responseStatus is the room's answer; the organizer's copy shows the
//   room's answer in attendees[].status.response (responseType: none, organizer, tentativelyAccepted, accepted,
//   declined, notResponded).
// - A single-value extended property marks the test meeting on the organizer's calendar and finds it again with
//   `$filter=singleValueExtendedProperties/any(ep: ep/id eq '...' and ep/value eq '...')`
//   (api/singlevaluelegacyextendedproperty-get.md).

/** The subject of every test meeting starts with this. */
export const BOOKING_SUBJECT_MARKER = '[cdk-a4b-rooms booking test]';
/** The marker property: a named string property in a GUID namespace of this library's own. */
export const BOOKING_PROPERTY_ID = 'String {5c0b7f6e-4e0a-4b4c-9a0e-a4b0b00c1a11} Name cdk-a4b-rooms-booking-test';
/** Its value on every test meeting (a later run finds leftovers by it). */
export const BOOKING_PROPERTY_VALUE = 'cdk-a4b-rooms booking test';

/** The test meeting's slot for a run started at `now`: a Sunday 30 to 36 days ahead, 02:00 UTC plus 15 minutes per `slot` (0-11), 15 minutes long. */
export function testSlot(now: Date, slot: number): { start: Date; end: Date } {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 30));
  d.setUTCDate(d.getUTCDate() + ((7 - d.getUTCDay()) % 7));
  const start = new Date(d.getTime() + (2 * 60 + 15 * (((slot % 12) + 12) % 12)) * 60000);
  return { start, end: new Date(start.getTime() + 15 * 60000) };
}

/** A recognizable dial-in line (an Amazon Chime meeting URL and meeting ID) for a run. */
export function dialInLine(runId: string): { url: string; line: string } {
  let h = 2166136261;
  for (const c of runId) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const id = String(1000000000 + (h % 9000000000)).padStart(10, '0');
  const url = `https://chime.aws/${id}`;
  return { url, line: `Amazon Chime: ${url} Meeting ID: ${id.slice(0, 4)} ${id.slice(4, 7)} ${id.slice(7)}` };
}

/** The Graph event (POST /users/{organizer}/events) that books `room` for the test. */
export function testMeeting(room: { name: string; mailbox: string }, runId: string, slot: { start: Date; end: Date }) {
  const iso = (d: Date) => d.toISOString().slice(0, 19);
  return {
    subject: `${BOOKING_SUBJECT_MARKER} ${room.name}`,
    body: {
      contentType: 'text',
      content: `A test of the room's calendar by cdk-a4b-rooms (a4b-rooms test-booking, run ${runId}); it is cancelled in a moment.\n${dialInLine(runId).line}`,
    },
    start: { dateTime: iso(slot.start), timeZone: 'UTC' },
    end: { dateTime: iso(slot.end), timeZone: 'UTC' },
    isReminderOn: false,
    attendees: [{ type: 'resource', emailAddress: { address: room.mailbox, name: room.name } }],
    singleValueExtendedProperties: [{ id: BOOKING_PROPERTY_ID, value: BOOKING_PROPERTY_VALUE }],
    // Graph creates one event for retries with the same transactionId (resources/event.md).
    transactionId: `${runId}-${room.mailbox.toLowerCase()}`.slice(0, 200),
  };
}

/** What was seen of a room's answer so far. */
export interface BookingObservation {
  /** The room's status on the organizer's copy: none, accepted, tentativelyAccepted, declined, notResponded. */
  readonly answer: string;
  /** The room's copy, when its calendar holds one: its body text, its own response and how it shows. */
  readonly copy?: { readonly body: string; readonly response: string; readonly showAs: string };
}

/** Whether the room has answered as far as it will: stop polling. */
export function bookingSettled(o: BookingObservation): boolean {
  if (o.answer === 'declined') return true;
  if (!o.copy) return false;
  // An accepted copy (the room's own response) is the Resource Booking Attendant's work; a copy the room has not
  // answered is the Calendar Attendant's (AutoUpdate), which never answers.
  return o.copy.response === 'accepted' || o.copy.response === 'notResponded' || o.copy.response === 'none' || o.copy.response === 'tentativelyAccepted';
}

export interface BookingVerdict {
  /** passed, or the failed check: delete-comments, declined, tentative (AutoUpdate), no-answer, no-copy. */
  readonly check: string;
  readonly passed: boolean;
  /** Whether the room's copy kept the dial-in line; undefined when there is no copy. */
  readonly dialInKept?: boolean;
  readonly message: string;
  /** The command that fixes it, when there is one. */
  readonly fix?: string;
}

/** What a room's answer means for Alexa, with the Exchange command that fixes it. */
export function bookingVerdict(
  room: { name: string; mailbox: string }, o: BookingObservation, dialInUrl: string, replyText?: string,
): BookingVerdict {
  const check = `Get-CalendarProcessing ${room.mailbox} | Format-List AutomateProcessing,DeleteComments,AllowConflicts`;
  if (o.answer === 'declined') {
    return {
      check: 'declined', passed: false,
      message: `the room declined the test meeting${replyText ? `: "${replyText.trim().slice(0, 300)}"` : ''}; a room that declines cannot be booked from Alexa at that time (a conflict, or its booking policy)`,
      fix: `look at the room's calendar at the test's time, and its policy: ${check},BookingWindowInDays,AllBookInPolicy`,
    };
  }
  const copy = o.copy;
  if (copy && copy.response === 'accepted') {
    const kept = copy.body.includes(dialInUrl);
    return kept
      ? { check: 'passed', passed: true, dialInKept: true, message: 'the room accepted the meeting and kept its dial-in details (DeleteComments is off)' }
      : {
        check: 'delete-comments', passed: false, dialInKept: false,
        message: 'the room accepted the meeting but deleted its body, so Alexa finds no dial-in number in it (DeleteComments is on, Exchange\'s default)',
        fix: `Set-CalendarProcessing ${room.mailbox} -DeleteComments $FALSE`,
      };
  }
  if (copy) {
    return {
      check: 'tentative', passed: false, dialInKept: copy.body.includes(dialInUrl),
      message: 'the room put the meeting on its calendar tentatively and sent no answer (AutomateProcessing is AutoUpdate?): it does not accept meetings by itself',
      fix: `Set-CalendarProcessing ${room.mailbox} -AutomateProcessing AutoAccept (check with: ${check})`,
    };
  }
  if (o.answer === 'accepted') {
    return {
      check: 'no-copy', passed: false,
      message: 'the room accepted, but its calendar shows no copy of the meeting in time (can the Graph app read the room\'s calendar?)',
    };
  }
  return {
    check: 'no-answer', passed: false,
    message: 'no answer in time: the room does not process meeting requests automatically (AutomateProcessing is not AutoAccept?)',
    fix: `${check}; then Set-CalendarProcessing ${room.mailbox} -AutomateProcessing AutoAccept`,
  };
}

/** The wait before poll `attempt` (0, 1, ...): 0.5 s doubling to at most 8 s, never past the deadline. */
export function pollDelayMs(attempt: number, remainingMs: number): number {
  return Math.max(0, Math.min(500 * 2 ** Math.min(attempt, 4), remainingMs));
}

/** Text of an event body: HTML tags dropped, so a URL is found however the room's copy was rendered. */
export function bodyText(body: { contentType?: string; content?: string } | undefined): string {
  const content = body?.content ?? '';
  return /html/i.test(body?.contentType ?? '') ? content.replace(/<[^>]*>/g, ' ').replace(/&amp;/g, '&') : content;
}
