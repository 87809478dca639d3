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

/**
 * A mailbox's working hours as Graph gives them (resources/workinghours.md, `GET /users/{id}/mailboxSettings/workingHours`,
 * MailboxSettings.Read): days, a local start and end time, and a time zone named the Windows way or the IANA way
 * (api/user-update-mailboxsettings.md: "Windows or Internet Assigned Numbers Authority (IANA) time zone").
 */
export interface WorkingHours {
  readonly daysOfWeek: readonly string[];
  /** `HH:mm:ss.fffffff` (local). */
  readonly startTime: string;
  readonly endTime: string;
  readonly timeZone?: { readonly name?: string };
}

export const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

// The Windows zone names Exchange writes most often, to IANA (CLDR's windowsZones, territory 001). A name neither
// here nor known to Intl is refused: a wrong zone would book outside the room's hours.
const WINDOWS_ZONES: Record<string, string> = {
  'utc': 'UTC', 'gmt standard time': 'Europe/London', 'greenwich standard time': 'Atlantic/Reykjavik',
  'w. europe standard time': 'Europe/Berlin', 'central europe standard time': 'Europe/Budapest', 'romance standard time': 'Europe/Paris',
  'central european standard time': 'Europe/Warsaw', 'e. europe standard time': 'Europe/Chisinau', 'fle standard time': 'Europe/Kiev',
  'eastern standard time': 'America/New_York', 'central standard time': 'America/Chicago', 'mountain standard time': 'America/Denver',
  'pacific standard time': 'America/Los_Angeles', 'us mountain standard time': 'America/Phoenix', 'tokyo standard time': 'Asia/Tokyo',
  'india standard time': 'Asia/Calcutta', 'china standard time': 'Asia/Shanghai', 'singapore standard time': 'Asia/Singapore',
  'aus eastern standard time': 'Australia/Sydney', 'new zealand standard time': 'Pacific/Auckland',
};

/** An IANA zone for a Graph time zone name (Windows or IANA); undefined when unknown. */
export function ianaZone(name: string | undefined): string | undefined {
  if (!name) return 'UTC';
  const mapped = WINDOWS_ZONES[name.trim().toLowerCase()] ?? name.trim();
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: mapped }).resolvedOptions().timeZone;
  } catch {
    // A RangeError: no such zone.
  }
  return undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** The local day (sunday…) and minutes past local midnight of an instant in an IANA zone. */
export function localTime(ms: number, zone: string): { day: string; minutes: number; date: string } {
  const f = formatters.get(zone) ?? newFormatter(zone);
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { day: p.weekday.toLowerCase(), minutes: Number(p.hour) * 60 + Number(p.minute), date: `${p.year}-${p.month}-${p.day}` };
}

function newFormatter(zone: string): Intl.DateTimeFormat {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', weekday: 'long', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  formatters.set(zone, f);
  return f;
}

function minutesOf(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})/.exec(hhmm);
  if (!m) throw new Error(`'${hhmm}' is not a time of day (HH:mm:ss)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Whether a meeting lies inside working hours: it starts and ends on one working day, between its start and end time
 * (Set-CalendarProcessing ScheduleOnlyDuringWorkHours: "$true: Meeting requests that are outside of working hours are
 * automatically declined"). Throws on a zone that cannot be resolved.
 */
export function withinWorkingHours(start: number, end: number, wh: WorkingHours): boolean {
  const zone = ianaZone(wh.timeZone?.name);
  // Stryker disable next-line OptionalChaining: without a timeZone the zone is UTC, so this error is only reached with a name
  if (!zone) throw new Error(`workingHours.timeZone: '${wh.timeZone?.name}' is neither an IANA zone nor a Windows zone this library knows`);
  const a = localTime(start, zone);
  // The end is taken a minute early so a meeting ending at endTime (or at midnight) counts on its own day.
  const b = localTime(end - 60000, zone);
  const days = wh.daysOfWeek.map((d) => d.toLowerCase());
  return a.date === b.date && days.includes(a.day) && a.minutes >= minutesOf(wh.startTime) && b.minutes + 1 <= minutesOf(wh.endTime);
}

/** What the booking test knows of a room when it picks the test meeting's time. */
export interface SlotRules {
  /** The room's working hours; absent when unreadable (then any time in the window). */
  readonly workingHours?: WorkingHours;
  /** Its calendar's busy times in the search range (getSchedule's scheduleItems). */
  readonly busy?: ReadonlyArray<{ readonly start: number; readonly end: number }>;
  /** BookingWindowInDays ("the maximum number of days in advance that the resource can be reserved", default 180). */
  readonly bookingWindowInDays?: number;
  /** MaximumDurationInMinutes (default 1440; 0: unlimited). */
  readonly maximumDurationInMinutes?: number;
}

/** How far the booking test looks: from a day ahead (not to disturb today's meetings) for 14 days, in 15-minute steps. */
export const SLOT_SEARCH = { leadMinutes: 24 * 60, days: 14, stepMinutes: 15, durationMinutes: 15 };

/**
 * The test meeting's time: the first 15-minute step from a day after `now` where a meeting of up to 15 minutes (never
 * longer than the room's maximum) lies inside the room's working hours, overlaps nothing busy and ends within its
 * booking window. Undefined when none does in the search range.
 */
export function chooseSlot(now: Date, rules: SlotRules, search = SLOT_SEARCH): { start: Date; end: Date } | undefined {
  const step = search.stepMinutes * 60000;
  const max = rules.maximumDurationInMinutes ?? 1440;
  const duration = (max > 0 ? Math.min(search.durationMinutes, max) : search.durationMinutes) * 60000;
  const windowEnd = now.getTime() + (rules.bookingWindowInDays ?? 180) * 86400000;
  const last = Math.min(windowEnd, now.getTime() + (search.leadMinutes + search.days * 1440) * 60000);
  for (let t = Math.ceil((now.getTime() + search.leadMinutes * 60000) / step) * step; t + duration <= last; t += step) {
    const end = t + duration;
    if (rules.workingHours && !withinWorkingHours(t, end, rules.workingHours)) continue;
    // Stryker disable next-line ArrayDeclaration: a busy entry without start and end overlaps nothing
    if ((rules.busy ?? []).some((b) => b.start < end && t < b.end)) continue;
    return { start: new Date(t), end: new Date(end) };
  }
  return undefined;
}

/** A booking setting a room's answer can turn on, and the Set-CalendarProcessing parameters to look at. */
export interface DeclineCause {
  readonly setting: string;
  readonly parameters: string;
}

// Exchange's decline texts are not documented and are localized; these are the English words of each refusal. The
// emulator's texts (CALENDAR_GUESSES.declineReasons) match them.
const DECLINE_CAUSES: Array<[RegExp, DeclineCause]> = [
  [/working hours|work hours|scheduling hours/i, { setting: 'ScheduleOnlyDuringWorkHours', parameters: 'ScheduleOnlyDuringWorkHours (and the room\'s working hours: Get-MailboxCalendarConfiguration)' }],
  [/in advance|booking window/i, { setting: 'BookingWindowInDays', parameters: 'BookingWindowInDays' }],
  [/duration|longer than/i, { setting: 'MaximumDurationInMinutes', parameters: 'MaximumDurationInMinutes' }],
  [/outside (?:your|the|this|its) organi[sz]ation|external/i, { setting: 'ProcessExternalMeetingMessages', parameters: 'ProcessExternalMeetingMessages' }],
  [/permission|not allowed to book|policy/i, { setting: 'AllBookInPolicy/BookInPolicy', parameters: 'AllBookInPolicy,BookInPolicy,AllRequestInPolicy' }],
  [/busy|conflict/i, { setting: 'AllowConflicts', parameters: 'AllowConflicts' }],
];

/** Which booking setting a room's decline text names, if any. */
export function declineCause(reason: string | undefined): DeclineCause | undefined {
  return reason ? DECLINE_CAUSES.find(([re]) => re.test(reason))?.[1] : undefined;
}

/** A recognizable dial-in line (an Amazon Chime meeting URL and meeting ID) for a run. */
export function dialInLine(runId: string): { url: string; line: string } {
  let h = 2166136261;
  for (const c of runId) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  // Stryker disable next-line StringLiteral: 1000000000 + (h % 9000000000) always has 10 digits; padStart only says so
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

/** Every Set-CalendarProcessing parameter that can make a room decline (the ones Get-CalendarProcessing shows). */
export const DECLINE_PARAMETERS = 'AutomateProcessing,AllowConflicts,ScheduleOnlyDuringWorkHours,BookingWindowInDays,MaximumDurationInMinutes,AllBookInPolicy,BookInPolicy,ProcessExternalMeetingMessages,EnableResponseDetails';

/**
 * What a room's answer means for Alexa, with the Exchange command that fixes it. `replyText` is the room's decline
 * reason (its reply in the organizer's mailbox, EnableResponseDetails $true); `organizer` books the test meeting.
 */
export function bookingVerdict(
  room: { name: string; mailbox: string }, o: BookingObservation, dialInUrl: string, replyText?: string, organizer?: string,
): BookingVerdict {
  const check = `Get-CalendarProcessing ${room.mailbox} | Format-List AutomateProcessing,DeleteComments,AllowConflicts`;
  if (o.answer === 'declined') {
    const reason = replyText?.replace(/\s+/g, ' ').trim().slice(0, 300);
    const cause = declineCause(reason);
    const said = reason ? `: "${reason}"` : ' and gave no reason (EnableResponseDetails is $false, or the Graph app may not read the organizer\'s mail: Mail.Read)';
    if (!cause) {
      return {
        check: 'declined', passed: false,
        message: `the room declined the test meeting${said}; a room that declines cannot be booked from Alexa at that time (a conflict, or its booking policy)`,
        fix: `look at the room's calendar at the test's time, and its policy: Get-CalendarProcessing ${room.mailbox} | Format-List ${DECLINE_PARAMETERS}`,
      };
    }
    const allow = cause.setting === 'AllBookInPolicy/BookInPolicy'
      ? `; to let ${organizer ?? 'the organizer'} book it: Set-CalendarProcessing ${room.mailbox} -AllBookInPolicy $true, or add ${organizer ?? 'the organizer'} to -BookInPolicy (the list given replaces the old one)`
      : cause.setting === 'ProcessExternalMeetingMessages' ? `; or Set-CalendarProcessing ${room.mailbox} -ProcessExternalMeetingMessages $true` : '';
    return {
      check: 'declined', passed: false,
      message: `the room declined the test meeting${said}; its booking policy decided (${cause.setting}): Alexa's bookings from ${organizer ?? 'this organizer'} meet the same policy`,
      fix: `check the room's ${cause.setting}: Get-CalendarProcessing ${room.mailbox} | Format-List ${cause.parameters}${allow}`,
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
