// Calendar events and a room's resource booking assistant, as the Graph emulator models them: small pure rules the
// emulator's event routes apply. Sources: Set-CalendarProcessing (learn.microsoft.com/powershell/module/exchange/
// set-calendarprocessing) for what a room does with a meeting request; Graph's event resource (resources/event.md) and
// its create/list/cancel/delete actions for what clients see. Undocumented points are named in CALENDAR_GUESSES.
import { DAYS, ianaZone, WorkingHours, withinWorkingHours } from '../o365/booking';

export type { WorkingHours } from '../o365/booking';

/** How a room mailbox processes meeting requests (Set-CalendarProcessing); the tenant file's `rooms[].calendarProcessing`. */
export interface CalendarProcessing {
  /**
   * AutoAccept: the resource booking assistant accepts or declines; AutoUpdate: the calendar attendant puts requests on
   * the calendar tentatively and nobody answers; None: requests stay in the inbox. @default AutoAccept (Exchange Online's
   * default for room mailboxes)
   */
  readonly automateProcessing?: string;
  /** "remove any text in the message body of incoming meeting requests", AutoAccept only. @default true */
  readonly deleteComments?: boolean;
  /** "remove the Subject of incoming meeting requests", AutoAccept only. @default true */
  readonly deleteSubject?: boolean;
  /** "whether the meeting organizer's name is used as the subject of the meeting request", AutoAccept only. @default true */
  readonly addOrganizerToSubject?: boolean;
  /**
   * "whether to automatically delete meetings that were canceled by organizer from the resource mailbox's calendar";
   * "$false: Canceled meetings aren't deleted. This is the default value." (Set-CalendarProcessing). @default false
   */
  readonly removeCanceledMeetings?: boolean;
  /** ScheduleOnlyDuringWorkHours: "$true: Meeting requests that are outside of working hours are automatically declined". @default false */
  readonly scheduleOnlyDuringWorkHours?: boolean;
  /** BookingWindowInDays: "the maximum number of days in advance that the resource can be reserved" (0-1080). @default 180 */
  readonly bookingWindowInDays?: number;
  /** MaximumDurationInMinutes: "the maximum duration in minutes allowed for meeting requests"; 0 is unlimited. @default 1440 */
  readonly maximumDurationInMinutes?: number;
  /** AllBookInPolicy: "automatically approve in-policy requests from all users". @default true */
  readonly allBookInPolicy?: boolean;
  /** BookInPolicy: "users or groups who are allowed to submit in-policy meeting requests ... that are automatically approved" (any of their addresses). @default [] */
  readonly bookInPolicy?: string[];
  /** ProcessExternalMeetingMessages: "whether to process meeting requests that originate outside the Exchange organization". @default false */
  readonly processExternalMeetingMessages?: boolean;
  /** EnableResponseDetails: "whether to include the reasons for accepting or declining a meeting in the response email message". @default true */
  readonly enableResponseDetails?: boolean;
  /** How long the room takes to process a request or a cancellation, in ms. @default 200 */
  readonly processingDelayMs?: number;
}

export const AUTOMATE_PROCESSING = ['AutoAccept', 'AutoUpdate', 'None'];
const BOOLEAN_KEYS = ['deleteComments', 'deleteSubject', 'addOrganizerToSubject', 'removeCanceledMeetings', 'scheduleOnlyDuringWorkHours', 'allBookInPolicy', 'processExternalMeetingMessages', 'enableResponseDetails'];
export const CALENDAR_PROCESSING_KEYS = ['automateProcessing', ...BOOLEAN_KEYS, 'bookingWindowInDays', 'maximumDurationInMinutes', 'bookInPolicy', 'processingDelayMs'];

/** A calendar processing with Exchange's defaults filled in (each default as Set-CalendarProcessing documents it). */
export function calendarProcessingOf(c: CalendarProcessing | undefined): Required<CalendarProcessing> {
  return {
    automateProcessing: c?.automateProcessing ?? 'AutoAccept',
    deleteComments: c?.deleteComments ?? true,
    deleteSubject: c?.deleteSubject ?? true,
    addOrganizerToSubject: c?.addOrganizerToSubject ?? true,
    removeCanceledMeetings: c?.removeCanceledMeetings ?? false,
    scheduleOnlyDuringWorkHours: c?.scheduleOnlyDuringWorkHours ?? false,
    bookingWindowInDays: c?.bookingWindowInDays ?? 180,
    maximumDurationInMinutes: c?.maximumDurationInMinutes ?? 1440,
    allBookInPolicy: c?.allBookInPolicy ?? true,
    bookInPolicy: c?.bookInPolicy ?? [],
    processExternalMeetingMessages: c?.processExternalMeetingMessages ?? false,
    enableResponseDetails: c?.enableResponseDetails ?? true,
    processingDelayMs: c?.processingDelayMs ?? 200,
  };
}

/** The problems of a tenant file's calendarProcessing, each naming the room and the field. */
export function calendarProcessingProblems(where: string, c: unknown): string[] {
  if (c === undefined) return [];
  if (c === null || typeof c !== 'object' || Array.isArray(c)) return [`${where}.calendarProcessing: must be a mapping`];
  const o = c as Record<string, unknown>;
  const problems = Object.keys(o).filter((k) => !CALENDAR_PROCESSING_KEYS.includes(k))
    .map((k) => `${where}.calendarProcessing.${k}: unknown key; the keys are ${CALENDAR_PROCESSING_KEYS.join(', ')}`);
  if (o.automateProcessing !== undefined && !AUTOMATE_PROCESSING.includes(o.automateProcessing as string)) {
    problems.push(`${where}.calendarProcessing.automateProcessing: '${o.automateProcessing}' must be one of ${AUTOMATE_PROCESSING.join(', ')}`);
  }
  for (const k of BOOLEAN_KEYS) {
    if (o[k] !== undefined && typeof o[k] !== 'boolean') problems.push(`${where}.calendarProcessing.${k}: must be true or false`);
  }
  const days = o.bookingWindowInDays as number;
  if (days !== undefined && !(Number.isInteger(days) && days >= 0 && days <= 1080)) {
    problems.push(`${where}.calendarProcessing.bookingWindowInDays: must be a whole number of days from 0 to 1080 (Set-CalendarProcessing's range)`);
  }
  if (o.maximumDurationInMinutes !== undefined && !(Number.isInteger(o.maximumDurationInMinutes) && (o.maximumDurationInMinutes as number) >= 0)) {
    problems.push(`${where}.calendarProcessing.maximumDurationInMinutes: must be a whole number of minutes, 0 (unlimited) or more`);
  }
  if (o.bookInPolicy !== undefined && !(Array.isArray(o.bookInPolicy) && o.bookInPolicy.every((x) => typeof x === 'string' && x.includes('@')))) {
    problems.push(`${where}.calendarProcessing.bookInPolicy: must be a list of user or group addresses`);
  }
  if (o.processingDelayMs !== undefined && !(Number.isInteger(o.processingDelayMs) && (o.processingDelayMs as number) >= 0)) {
    problems.push(`${where}.calendarProcessing.processingDelayMs: must be a whole number of milliseconds, 0 or more`);
  }
  return problems;
}

/** What Exchange does not document about these paths, guessed in one place. */
export const CALENDAR_GUESSES = {
  // AddOrganizerToSubject $true: "the meeting organizer's name is used as the subject of the meeting request"
  // (Set-CalendarProcessing): the name replaces the subject, whether DeleteSubject removed it or not (issue #25 row 7).
  // Guess kept reachable: false prepends the name to a kept subject instead, as this emulator used to.
  organizerReplacesSubject: true,
  // A single-value extended property of the organizer's item: not documented to travel with the meeting request.
  // Guess: the room's copy does not carry it (so clients find the room's copy by iCalUId, which it shares).
  copyKeepsExtendedProperties: false,
  // A room's answer: Graph's event shows only attendees[].status {response, time} (resources/responsestatus.md); the
  // reasons go "in the response email message" (Set-CalendarProcessing, EnableResponseDetails), an eventMessageResponse
  // in the organizer's mailbox (resources/eventmessageresponse.md). Its wording is not documented and is localized:
  // these English texts are guesses, each naming its setting's subject so a reader (and declineCause) can tell them
  // apart. The order the booking assistant checks them in is not documented either: this order is a guess.
  declineReasons: {
    external: 'Your request was declined because this resource doesn\'t accept meeting requests from outside its organization.',
    workHours: 'Your request was declined because the meeting is outside the working hours of this resource.',
    window: (days: number) => `Your request was declined because this resource can't be booked more than ${days} days in advance.`,
    duration: (minutes: number) => `Your request was declined because the meeting's duration is longer than this resource allows (${minutes} minutes).`,
    bookInPolicy: 'Your request was declined because you don\'t have permission to book this resource.',
    conflict: 'Your request was declined because the resource is busy.',
  },
  acceptReason: 'Your request was accepted.',
  // A cancellation (or the organizer deleting the meeting, which "sends a cancellation message to the meeting
  // attendees", api/event-delete.md) reaches the room after its processing delay. With RemoveCanceledMeetings $false
  // (the default) the copy stays; how it then reads is not documented for rooms. Guess: as Outlook shows a cancelled
  // meeting in any calendar, isCancelled true, the subject prefixed "Canceled: ", shown as free.
  cancelledCopy: (e: StoredEvent): StoredEvent => ({ ...e, isCancelled: true, subject: `Canceled: ${e.subject}`, showAs: 'free' }),
};

export interface EventTime { dateTime: string; timeZone: string }
export interface EventAddress { name?: string; address: string }
export interface EventAttendee { type: string; emailAddress: EventAddress; status: { response: string; time: string } }

/** An event as the emulator stores it (Graph's event resource, the properties clients of this library use). */
export interface StoredEvent {
  id: string;
  iCalUId: string;
  subject: string;
  body: { contentType: string; content: string };
  start: EventTime;
  end: EventTime;
  organizer: { emailAddress: EventAddress };
  attendees: EventAttendee[];
  isOrganizer: boolean;
  isCancelled: boolean;
  showAs: string;
  responseStatus: { response: string; time: string };
  transactionId?: string;
  singleValueExtendedProperties?: Array<{ id: string; value: string }>;
  createdDateTime: string;
  lastModifiedDateTime: string;
}

/** Milliseconds of a Graph dateTimeTimeZone; the emulator's mailboxes are in UTC, and only UTC is taken. */
export function eventInstant(t: EventTime | undefined, field: string): number {
  if (!t || typeof t.dateTime !== 'string') throw new Error(`${field}: a dateTimeTimeZone {dateTime, timeZone} is required`);
  if (t.timeZone && !/^(UTC|Etc\/UTC|GMT)$/i.test(t.timeZone)) throw new Error(`${field}.timeZone: '${t.timeZone}': the emulator's mailboxes take UTC only`);
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(t.dateTime) ? t.dateTime : `${t.dateTime}Z`);
  if (Number.isNaN(ms)) throw new Error(`${field}.dateTime: '${t.dateTime}' is not an ISO 8601 date and time`);
  return ms;
}

export function overlaps(a: StoredEvent, b: StoredEvent): boolean {
  return eventInstant(a.start, 'start') < eventInstant(b.end, 'end') && eventInstant(b.start, 'start') < eventInstant(a.end, 'end');
}

/** What a room does with a meeting request. */
export type RoomAction = 'accept' | 'decline' | 'tentative' | 'nothing';

/**
 * Set-CalendarProcessing, AutomateProcessing: "AutoAccept: ... the Resource Booking Attendant is enabled ... determines
 * whether the request is accepted or declined"; "AutoUpdate: ... Meeting requests are tentatively accepted ... (the
 * Calendar Attendant)"; "None: ... meeting requests are left in the inbox". A conflict declines (AllowConflicts
 * $false, the default).
 */
export function roomAction(automateProcessing: string, conflict: boolean): RoomAction {
  if (automateProcessing === 'AutoAccept') return conflict ? 'decline' : 'accept';
  if (automateProcessing === 'AutoUpdate') return 'tentative';
  return 'nothing';
}

/** What a room knows of a request when it decides. */
export interface RoomRequest {
  readonly start: number;
  readonly end: number;
  /** The organizer's addresses, and those of the groups it belongs to (BookInPolicy names users or groups). */
  readonly organizerAddresses: readonly string[];
  /** The organizer is outside the Exchange organization. */
  readonly external: boolean;
  /** A busy event of the room's overlaps it. */
  readonly conflict: boolean;
}

/**
 * The resource booking assistant's decision on a request (AutomateProcessing AutoAccept; the others never decline):
 * Set-CalendarProcessing's ProcessExternalMeetingMessages, ScheduleOnlyDuringWorkHours (against the room's
 * mailboxSettings.workingHours), BookingWindowInDays, MaximumDurationInMinutes, AllBookInPolicy/BookInPolicy (out of
 * policy and AllRequestInPolicy $false, the default: declined), AllowConflicts $false. `reason` is the decline text.
 */
export function roomDecision(
  cp: Required<CalendarProcessing>, workingHours: WorkingHours, r: RoomRequest, now: number,
): { action: RoomAction; reason?: string } {
  const action = roomAction(cp.automateProcessing, false);
  if (action !== 'accept') return { action };
  const why = CALENDAR_GUESSES.declineReasons;
  const decline = (reason: string) => ({ action: 'decline' as const, reason });
  if (r.external && !cp.processExternalMeetingMessages) return decline(why.external);
  if (cp.scheduleOnlyDuringWorkHours && !withinWorkingHours(r.start, r.end, workingHours)) return decline(why.workHours);
  if (r.end > now + cp.bookingWindowInDays * 86400000) return decline(why.window(cp.bookingWindowInDays));
  const max = cp.maximumDurationInMinutes;
  if (max > 0 && r.end - r.start > max * 60000) return decline(why.duration(max));
  const allowed = cp.bookInPolicy.map((a) => a.toLowerCase());
  if (!cp.allBookInPolicy && !r.organizerAddresses.some((a) => allowed.includes(a.toLowerCase()))) return decline(why.bookInPolicy);
  if (r.conflict) return decline(why.conflict);
  return { action: 'accept' };
}

/** A room's working hours when its tenant entry sets none: Exchange's defaults, Monday to Friday 08:00 to 17:00 (UTC here). */
export const DEFAULT_WORKING_HOURS: WorkingHours = {
  daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '08:00:00.0000000', endTime: '17:00:00.0000000', timeZone: { name: 'UTC' },
};

/** The problems of a tenant file's workingHours, naming the room and the field. */
export function workingHoursProblems(where: string, w: unknown): string[] {
  if (w === undefined) return [];
  if (w === null || typeof w !== 'object' || Array.isArray(w)) return [`${where}.workingHours: must be a mapping with daysOfWeek, startTime, endTime, timeZone: {name}`];
  const o = w as Record<string, any>;
  const problems = Object.keys(o).filter((k) => !['daysOfWeek', 'startTime', 'endTime', 'timeZone'].includes(k))
    .map((k) => `${where}.workingHours.${k}: unknown key; the keys are daysOfWeek, startTime, endTime, timeZone`);
  if (!Array.isArray(o.daysOfWeek) || !o.daysOfWeek.every((d: unknown) => typeof d === 'string' && DAYS.includes(d.toLowerCase()))) {
    problems.push(`${where}.workingHours.daysOfWeek: must be a list of ${DAYS.join(', ')}`);
  }
  for (const k of ['startTime', 'endTime']) {
    if (typeof o[k] !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$/.test(o[k])) problems.push(`${where}.workingHours.${k}: must be a local time HH:mm or HH:mm:ss`);
  }
  if (o.timeZone !== undefined && (typeof o.timeZone?.name !== 'string' || !ianaZone(o.timeZone.name))) {
    problems.push(`${where}.workingHours.timeZone: {name: '${o.timeZone?.name}'} must name an IANA zone (Europe/Berlin) or a Windows zone (W. Europe Standard Time)`);
  }
  return problems;
}

/**
 * The room's copy of an accepted or tentative request. DeleteComments, DeleteSubject and AddOrganizerToSubject are
 * "used only on resource mailboxes where the AutomateProcessing parameter is set to AutoAccept" (Set-CalendarProcessing).
 */
export interface EventContent { subject: string; body: { contentType: string; content: string } }

export function roomCopyContent(request: EventContent, cp: Required<CalendarProcessing>, organizerName: string, action: RoomAction): EventContent {
  if (action !== 'accept') return { subject: request.subject, body: request.body };
  let subject = request.subject;
  if (cp.addOrganizerToSubject) subject = CALENDAR_GUESSES.organizerReplacesSubject || cp.deleteSubject ? organizerName : `${organizerName} ${request.subject}`;
  else if (cp.deleteSubject) subject = '';
  return { subject, body: cp.deleteComments ? { contentType: request.body.contentType, content: '' } : request.body };
}

/** One `$filter` on a mailbox's events: by iCalUId, or by a single-value extended property's id and value. */
export type EventFilter = { iCalUId: string } | { propertyId: string; value: string };

/**
 * The `$filter`s on /events the emulator takes: `iCalUId eq '...'` (event resource: iCalUId supports $filter) and
 * `singleValueExtendedProperties/any(ep: ep/id eq '...' and ep/value eq '...')` (api/singlevaluelegacyextendedproperty-get.md,
 * "Get resource instances that contain a single-value extended property"). Anything else is refused.
 */
export function parseEventFilter(filter: string): EventFilter {
  const unq = (s: string) => s.replace(/''/g, "'");
  let m = /^\s*iCalUId\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
  if (m) return { iCalUId: unq(m[1]) };
  m = /^\s*singleValueExtendedProperties\/any\((\w+):\s*\1\/id\s+eq\s+'((?:[^']|'')*)'\s+and\s+\1\/value\s+eq\s+'((?:[^']|'')*)'\)\s*$/i.exec(filter);
  if (m) return { propertyId: unq(m[2]), value: unq(m[3]) };
  throw new Error(`The emulator's /events take $filter=iCalUId eq '...' or singleValueExtendedProperties/any(ep: ep/id eq '...' and ep/value eq '...'); not: ${filter}`);
}

export function matchesEventFilter(e: StoredEvent, f: EventFilter): boolean {
  if ('iCalUId' in f) return e.iCalUId === f.iCalUId;
  return (e.singleValueExtendedProperties ?? []).some((p) => p.id.toLowerCase() === f.propertyId.toLowerCase() && p.value === f.value);
}

/** The event as Graph answers it: extended properties only on $expand (resources/extended-properties-overview.md). */
export function eventOf(e: StoredEvent, expandProperties: string | undefined) {
  const { singleValueExtendedProperties, ...rest } = e;
  const bodyPreview = e.body.contentType.toLowerCase() === 'html' ? e.body.content.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim() : e.body.content;
  const out: Record<string, unknown> = { ...rest, bodyPreview: bodyPreview.slice(0, 255) };
  if (expandProperties !== undefined) {
    const id = /id\s+eq\s+'((?:[^']|'')*)'/i.exec(expandProperties)?.[1];
    const props = (singleValueExtendedProperties ?? []).filter((p) => !id || p.id.toLowerCase() === id.toLowerCase());
    if (props.length) out.singleValueExtendedProperties = props;
  }
  return out;
}
