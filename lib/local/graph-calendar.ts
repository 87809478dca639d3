// Calendar events and a room's resource booking assistant, as the Graph emulator models them: small pure rules the
// emulator's event routes apply. Sources: Set-CalendarProcessing (learn.microsoft.com/powershell/module/exchange/
// set-calendarprocessing) for what a room does with a meeting request; Graph's event resource (resources/event.md) and
// its create/list/cancel/delete actions for what clients see. Undocumented points are named in CALENDAR_GUESSES.

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
  /** How long the room takes to process a request or a cancellation, in ms. @default 200 */
  readonly processingDelayMs?: number;
}

export const AUTOMATE_PROCESSING = ['AutoAccept', 'AutoUpdate', 'None'];
export const CALENDAR_PROCESSING_KEYS = ['automateProcessing', 'deleteComments', 'deleteSubject', 'addOrganizerToSubject', 'removeCanceledMeetings', 'processingDelayMs'];

/** A calendar processing with Exchange's defaults filled in (each default as Set-CalendarProcessing documents it). */
export function calendarProcessingOf(c: CalendarProcessing | undefined): Required<CalendarProcessing> {
  return {
    automateProcessing: c?.automateProcessing ?? 'AutoAccept',
    deleteComments: c?.deleteComments ?? true,
    deleteSubject: c?.deleteSubject ?? true,
    addOrganizerToSubject: c?.addOrganizerToSubject ?? true,
    removeCanceledMeetings: c?.removeCanceledMeetings ?? false,
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
  for (const k of ['deleteComments', 'deleteSubject', 'addOrganizerToSubject', 'removeCanceledMeetings']) {
    if (o[k] !== undefined && typeof o[k] !== 'boolean') problems.push(`${where}.calendarProcessing.${k}: must be true or false`);
  }
  if (o.processingDelayMs !== undefined && !(Number.isInteger(o.processingDelayMs) && (o.processingDelayMs as number) >= 0)) {
    problems.push(`${where}.calendarProcessing.processingDelayMs: must be a whole number of milliseconds, 0 or more`);
  }
  return problems;
}

/** What Exchange does not document about these paths, guessed in one place. */
export const CALENDAR_GUESSES = {
  // DeleteSubject $false with AddOrganizerToSubject $true: the docs say only that the organizer's name "is used as the
  // subject". Guess: prepended to the kept subject, as Outlook shows it on room calendars.
  organizerBeforeKeptSubject: true,
  // A single-value extended property of the organizer's item: not documented to travel with the meeting request.
  // Guess: the room's copy does not carry it (so clients find the room's copy by iCalUId, which it shares).
  copyKeepsExtendedProperties: false,
  // A room's answer to a conflict: the decline's text is a mail in the organizer's inbox, not part of the event. The
  // organizer's event shows only the status; the emulator delivers no mail.
  declineHasNoEventText: true,
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

/**
 * The room's copy of an accepted or tentative request. DeleteComments, DeleteSubject and AddOrganizerToSubject are
 * "used only on resource mailboxes where the AutomateProcessing parameter is set to AutoAccept" (Set-CalendarProcessing).
 */
export interface EventContent { subject: string; body: { contentType: string; content: string } }

export function roomCopyContent(request: EventContent, cp: Required<CalendarProcessing>, organizerName: string, action: RoomAction): EventContent {
  if (action !== 'accept') return { subject: request.subject, body: request.body };
  let subject = request.subject;
  if (cp.deleteSubject) subject = cp.addOrganizerToSubject ? organizerName : '';
  else if (cp.addOrganizerToSubject && CALENDAR_GUESSES.organizerBeforeKeptSubject) subject = `${organizerName} ${request.subject}`;
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
