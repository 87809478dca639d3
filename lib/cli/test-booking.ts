// `a4b-rooms test-booking`: books each room of an inventory with a marked test meeting from the organizer's mailbox
// (the service account's in the delegate method, --organizer's in the application method), waits for the room's
// answer, reads what the room kept of the body, and always cancels and deletes the test meeting again. The decisions
// are lib/o365/booking.ts; this is the Graph I/O around them. Outlook routes take /users/{id | userPrincipalName}, and
// a UPN may differ from the mail address (microsoft-graph-docs #3979), so every address is first resolved to its id.
// Graph calls used (application permissions):
//   GET  /users?$filter=mail eq '...' or ...  User.Read.All: each room's and the organizer's id (addressFilter, as the link checks)
//   GET  /users/{id}/events?$top=1           Calendars.Read (organizer and each room; first, to fail before booking)
//   GET  /users/{room}/mailboxSettings/workingHours   MailboxSettings.Read (api/user-get-mailboxsettings.md): book inside them
//   POST /users/{org}/calendar/getSchedule   Calendars.Read (api/calendar-getschedule.md): the rooms' busy times
//   GET  /users/{org}/messages?$filter=from/emailAddress/address eq '{room}'   Mail.Read, optional: a decline's reason
//                                            (the room's reply, EnableResponseDetails; api/user-list-messages.md)
//   GET  /users/{org}/events?$filter=marker  leftovers of an interrupted run (api/singlevaluelegacyextendedproperty-get.md)
//   POST /users/{org}/events                 Calendars.ReadWrite on the organizer (api/user-post-events.md)
//   GET  /users/{org}/events/{id}            the room's answer (attendees[].status)
//   GET  /users/{room}/events?$filter=iCalUId eq '...'   the room's copy (iCalUId is shared across calendars)
//   DELETE /users/{org}/events/{id}          "deleting the event on the organizer's calendar sends a cancellation
//                                            message to the meeting attendees" (api/event-delete.md)
//   DELETE /users/{room}/events/{id}         only when the room's copy outlives the cancellation and the app may write it
import { randomBytes } from 'crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { HtmlReport, HtmlRow, HtmlSource } from '../drift/report-html';
import { Clock, realClock } from '../runtime/clock';
import { Graph, graphFor } from '../runtime/graph/clients';
import { cliMessage } from './errors';
import { readLinked } from './linked-inventory';
import { withLocalEmulators } from './local-emulators';
import { secretsClient } from './secrets';
import {
  BOOKING_PROPERTY_ID, BOOKING_PROPERTY_VALUE, BookingObservation, bookingSettled, bookingVerdict, bodyText, chooseSlot, dialInLine, pollDelayMs,
  SLOT_SEARCH, testMeeting, WorkingHours,
} from '../o365/booking';
import { addressFilter, entryOf, LOOKUP_SELECT } from '../o365/mailbox';

export interface TestBookingOptions {
  /** The inventory file; or give `assemblyDir`. */
  readonly inventoryFile?: string;
  /** A synthesized cloud assembly (`--app`), instead of an inventory file. */
  readonly assemblyDir?: string;
  /** Room names to test (default: every room with a mailbox). */
  readonly rooms?: string[];
  /** The organizer's mailbox (required in the application method; default the service account). */
  readonly organizer?: string;
  readonly localStateDir?: string;
  /** @default 120 */
  readonly timeoutSeconds?: number;
  /** Aborting (Ctrl-C) stops waiting; the cleanup still runs. */
  readonly signal?: AbortSignal;
  /** Progress lines (stderr). */
  readonly progress?: (line: string) => void;
  /** How far the test is: rooms settled (answered, timed out, or not booked: an error) of those tested. */
  readonly onProgress?: (progress: { done: number; total: number; errors: number }) => void;
  /** The clock of the timeout and the polls (tests). @default the wall clock */
  readonly clock?: Clock;
}

/** One room's result. */
export interface BookedRoom {
  readonly name: string;
  readonly mailbox: string;
  /** The test meeting was created with the room as a resource attendee. */
  readonly booked: boolean;
  /** The room's answer: accepted, tentativelyAccepted, declined, none (no answer in time), notResponded, or '' when not booked. */
  readonly answer: string;
  /** The room's copy kept the dial-in line; null when the room has no copy. */
  readonly dialInKept: boolean | null;
  /** No test meeting of this room remains in the organizer's or the room's calendar. */
  readonly cleaned: boolean;
  /** passed, delete-comments, declined, tentative, no-answer, no-copy, no-slot, error. */
  readonly check: string;
  /** The test meeting's start (ISO, UTC), chosen inside the room's working hours and free on its calendar. */
  readonly slot?: string;
  /** The room's reason for declining, from its reply (EnableResponseDetails $true, readable with Mail.Read). */
  readonly declineReason?: string;
  readonly message: string;
  readonly fix?: string;
}

/** `--json` (version 1). */
export interface BookingReport {
  readonly version: 1;
  /** passed (exit 0), failed (exit 2: some room failed a check), error (exit 1: the test could not run, or cleanup failed). */
  readonly status: 'passed' | 'failed' | 'error';
  readonly organizer: string;
  readonly runId: string;
  /** The Graph application permissions the test needs (tenant-wide or RBAC-scoped to those mailboxes). */
  readonly permissions: string[];
  /** Test meetings of earlier, interrupted runs removed first. */
  readonly leftoversRemoved: number;
  readonly rooms: BookedRoom[];
  readonly errors: string[];
}

export const BOOKING_PERMISSIONS = [
  'User.Read.All: to find each mailbox\'s id from its address (Outlook routes take an id or UPN, and a UPN may differ from the address)',
  'Calendars.ReadWrite on the organizer\'s mailbox: to book and cancel the test meeting, and read the rooms\' busy times (getSchedule)',
  'MailboxSettings.Read on each room\'s mailbox: to book inside its working hours (without it, any time in the next 14 days)',
  'Mail.Read on the organizer\'s mailbox (optional): to show why a room declined (its reply)',
  'Calendars.ReadWrite on each room\'s mailbox: to read the room\'s copy, and delete it (rooms keep cancelled meetings unless RemoveCanceledMeetings is $true); Calendars.Read reads it only',
];

interface GraphFailure { statusCode?: number; code?: string; message?: string }

export async function testBooking(options: TestBookingOptions): Promise<BookingReport> {
  const linked = readLinked(options, 'test');
  const l = linked.link;
  let rooms = linked.rooms;
  if (options.rooms?.length) {
    const unknown = options.rooms.filter((n) => !rooms.some((r) => r.name.toLowerCase() === n.toLowerCase()));
    if (unknown.length) throw new Error(`--rooms: ${unknown.map((n) => `'${n}'`).join(', ')} ${unknown.length === 1 ? 'is not a room' : 'are not rooms'} with a mailbox in ${options.assemblyDir ?? options.inventoryFile}; the rooms are: ${rooms.map((r) => r.name).join(', ')}`);
    rooms = rooms.filter((r) => options.rooms!.some((n) => n.toLowerCase() === r.name.toLowerCase()));
  }
  const organizer = options.organizer ?? (l.method === 'delegate' ? l.serviceAccount : undefined);
  if (!organizer) throw new Error('the application method has no service account to book from: give --organizer ADDRESS, a mailbox the Graph app may write (Calendars.ReadWrite)');
  const run = async (env: NodeJS.ProcessEnv, secrets?: SecretsManagerClient) => {
    let graph: Graph;
    try {
      graph = await graphFor(l.credentialsSecret, l.tenantId, env, secrets);
    } catch (e) {
      return errorReport(organizer, [cliMessage(e)]);
    }
    return new BookingRun(graph, organizer, rooms, options).run();
  };
  if (!options.localStateDir) {
    const secrets = secretsClient(l.credentialsSecret);
    return run(process.env, secrets).finally(() => secrets.destroy());
  }
  return withLocalEmulators(options.localStateDir, ({ env, secrets }) => run(env, secrets));
}

function errorReport(organizer: string, errors: string[]): BookingReport {
  return { version: 1, status: 'error', organizer, runId: '', permissions: BOOKING_PERMISSIONS, leftoversRemoved: 0, rooms: [], errors };
}

const e = encodeURIComponent;

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
}

/** A test meeting to remove: the organizer's event (when known), and its rooms' copies by iCalUId. */
interface Target { organizerEventId?: string; iCalUId: string; rooms: string[] }
interface Remaining { mailbox: string; iCalUId: string }
interface Booking {
  room: { name: string; mailbox: string }; slot?: { start: Date; end: Date }; id?: string; iCalUId?: string; error?: string;
  /** The room's decline reason, from its reply. */
  reason?: string;
  observation: BookingObservation;
}

class BookingRun {
  private readonly runId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  private readonly deadline: number;
  private readonly started = new Date();
  /** Each address's directory id, resolved once (lowercased address → id). */
  private readonly ids = new Map<string, string>();
  private readonly clock: Clock;

  constructor(
    private readonly graph: Graph,
    private readonly organizer: string,
    private readonly rooms: Array<{ name: string; mailbox: string }>,
    private readonly options: TestBookingOptions,
  ) {
    this.clock = options.clock ?? realClock;
    this.deadline = this.clock.now() + (options.timeoutSeconds ?? 120) * 1000;
  }

  private api(path: string) {
    return this.graph.client.api(path);
  }

  private why(err: unknown): string {
    const g = err as GraphFailure;
    return `${g.statusCode ?? ''} ${g.code ?? ''}: ${g.message ?? String(err)}`.trim();
  }

  /** The directory id of a mailbox address (GET /users?$filter=mail eq ... or userPrincipalName eq ... or proxyAddresses/any). */
  private async idOf(address: string): Promise<string> {
    const known = this.ids.get(address.toLowerCase());
    if (known) return known;
    const found = entryOf({ status: 200, body: await this.api('/users').filter(addressFilter(address)).select(LOOKUP_SELECT).get() });
    if (!found) throw Object.assign(new Error(`no user or room has the address ${address}`), { statusCode: 404, code: 'NotFound' });
    this.ids.set(address.toLowerCase(), found.id);
    return found.id;
  }

  private who(m: string): string {
    return m === this.organizer ? `the organizer ${m}` : `room ${this.rooms.find((r) => r.mailbox === m)!.name} (${m})`;
  }

  async run(): Promise<BookingReport> {
    const errors: string[] = [];
    // Permissions first: find each mailbox and read its calendar before anything is written.
    const readable = await mapLimit([this.organizer, ...this.rooms.map((r) => r.mailbox)], 4, async (m) => {
      try {
        await this.idOf(m);
      } catch (err) {
        const g = err as GraphFailure;
        if (g.statusCode === 403 || g.statusCode === 401) return `the Graph app ${this.graph.clientId} may not look up ${this.who(m)} by its address: grant it User.Read.All (${this.why(err)})`;
        if (g.statusCode === 404) return `${this.who(m)} has no mailbox Graph can find: no user has that address as mail, userPrincipalName or proxy address`;
        return `looking up ${m} failed: ${this.why(err)}`;
      }
      try {
        await this.api(`/users/${e(await this.idOf(m))}/events`).select('id').top(1).get();
        return undefined;
      } catch (err) {
        const g = err as GraphFailure;
        const own = m === this.organizer;
        if (g.statusCode === 403 || g.statusCode === 401) {
          return `the Graph app ${this.graph.clientId} may not read the calendar of ${own ? `the organizer ${m}` : `room ${this.rooms.find((r) => r.mailbox === m)!.name} (${m})`}: grant it Calendars.ReadWrite${own ? '' : ' (Calendars.Read reads the room\'s copy but cannot delete it)'} (an application permission, or an RBAC for Applications scope holding this mailbox) (${this.why(err)})`;
        }
        if (g.statusCode === 404) return `${own ? `the organizer ${m}` : `room ${this.rooms.find((r) => r.mailbox === m)!.name} (${m})`} has no mailbox Graph can find (${this.why(err)})`;
        return `reading the calendar of ${m} failed: ${this.why(err)}`;
      }
    });
    errors.push(...readable.filter((x): x is string => !!x));
    if (errors.length) return { ...errorReport(this.organizer, errors), runId: this.runId };

    const remaining: Remaining[] = [];
    let leftoversRemoved = 0;
    const bookings: Booking[] = this.rooms.map((room) => ({ room, observation: { answer: 'none' } }));
    try {
      const leftovers = await this.leftovers();
      remaining.push(...await this.remove(leftovers, errors));
      leftoversRemoved = leftovers.length;
      if (leftovers.length) this.options.progress?.(`removed ${leftovers.length} test meeting${leftovers.length === 1 ? '' : 's'} an earlier run left behind`);
      await this.chooseSlots(bookings);
      await mapLimit(bookings, 4, async (b) => {
        if (this.options.signal?.aborted || !b.slot) return;
        try {
          const created = await this.api(`/users/${e(await this.idOf(this.organizer))}/events`).post(testMeeting(b.room, this.runId, b.slot));
          b.id = created.id;
          b.iCalUId = created.iCalUId;
        } catch (err) {
          const g = err as GraphFailure;
          b.error = g.statusCode === 403
            ? `the Graph app ${this.graph.clientId} may not write the calendar of the organizer ${this.organizer}: grant it Calendars.ReadWrite (${this.why(err)})`
            : `booking failed: ${this.why(err)}`;
        }
      });
      const booked = bookings.filter((b) => b.id);
      if (booked.length) this.options.progress?.(`booked ${booked.length} room${booked.length === 1 ? '' : 's'} from ${this.organizer}; waiting for the answers, up to ${Math.max(0, Math.round((this.deadline - this.clock.now()) / 1000))} s more (--timeout ${this.options.timeoutSeconds ?? 120} s from the start) …`);
      const failed = bookings.length - booked.length;
      let settled = failed;
      this.options.onProgress?.({ done: settled, total: bookings.length, errors: failed });
      await mapLimit(booked, 4, async (b) => {
        await this.awaitAnswer(b);
        this.options.onProgress?.({ done: ++settled, total: bookings.length, errors: failed });
      });
      await mapLimit(booked.filter((b) => b.observation.answer === 'declined'), 4, async (b) => {
        b.reason = await this.declineReason(b);
      });
    } catch (err) {
      errors.push(`the test stopped: ${this.why(err)}`);
    } finally {
      const made = bookings.filter((b) => b.id).map((b) => ({ organizerEventId: b.id, iCalUId: b.iCalUId!, rooms: [b.room.mailbox] }));
      remaining.push(...await this.remove(made, errors));
    }
    if (this.options.signal?.aborted) errors.push('interrupted: the test meetings were cancelled and deleted');
    const stillThere = new Set(remaining.map((p) => p.mailbox.toLowerCase()));
    const url = dialInLine(this.runId).url;
    const results: BookedRoom[] = bookings.map((b) => {
      const cleaned = !stillThere.has(b.room.mailbox.toLowerCase());
      if (!b.slot && !b.error) {
        return {
          name: b.room.name, mailbox: b.room.mailbox, booked: false, answer: '', dialInKept: null, cleaned, check: 'no-slot',
          message: `the room has no free ${SLOT_SEARCH.durationMinutes}-minute slot inside its working hours in the ${SLOT_SEARCH.days} days from tomorrow: nothing was booked`,
          fix: `look at its working hours (Get-MailboxCalendarConfiguration ${b.room.mailbox}) and calendar, or run the test later`,
        };
      }
      const slot = b.slot ? { slot: b.slot.start.toISOString() } : {};
      if (!b.id) return { name: b.room.name, mailbox: b.room.mailbox, booked: false, answer: '', dialInKept: null, cleaned, check: 'error', ...slot, message: b.error ?? 'not booked (interrupted)' };
      const v = bookingVerdict(b.room, b.observation, url, b.reason, this.organizer);
      return {
        name: b.room.name, mailbox: b.room.mailbox, booked: true, answer: b.observation.copy?.response === 'accepted' ? 'accepted' : b.observation.answer,
        dialInKept: v.dialInKept ?? null, cleaned, check: v.check, ...slot, ...(b.reason ? { declineReason: b.reason } : {}), message: v.message,
        ...(v.fix ? { fix: v.fix } : {}),
      };
    });
    for (const mailbox of stillThere) {
      errors.push(`a copy of the test meeting remains in the calendar of ${mailbox}: the Graph app ${this.graph.clientId} may not delete it (grant it Calendars.ReadWrite on the room's mailbox), and a room keeps cancelled meetings unless Set-CalendarProcessing ${mailbox} -RemoveCanceledMeetings $true`);
    }
    const status = errors.length || results.some((r) => r.check === 'error') ? 'error' : results.every((r) => r.check === 'passed') ? 'passed' : 'failed';
    return {
      version: 1, status, organizer: this.organizer, runId: this.runId, permissions: BOOKING_PERMISSIONS, leftoversRemoved, rooms: results, errors,
    };
  }

  /**
   * Each room's test slot: inside its working hours (mailboxSettings.workingHours; any time when unreadable) and free on
   * its calendar (getSchedule from the organizer's mailbox over the search range; none known when that fails).
   */
  private async chooseSlots(bookings: Booking[]): Promise<void> {
    const now = new Date();
    const from = new Date(now.getTime() + SLOT_SEARCH.leadMinutes * 60000);
    const to = new Date(from.getTime() + SLOT_SEARCH.days * 86400000);
    const utc = (d: Date) => ({ dateTime: d.toISOString().slice(0, 19), timeZone: 'UTC' });
    const busy = new Map<string, Array<{ start: number; end: number }>>();
    try {
      const res = await this.api(`/users/${e(await this.idOf(this.organizer))}/calendar/getSchedule`)
        .post({ schedules: bookings.map((b) => b.room.mailbox), startTime: utc(from), endTime: utc(to), availabilityViewInterval: 15 });
      const at = (t: { dateTime: string }) => Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(t.dateTime) ? t.dateTime : `${t.dateTime}Z`);
      for (const s of res.value ?? []) {
        busy.set(String(s.scheduleId).toLowerCase(), (s.scheduleItems ?? []).map((i: any) => ({ start: at(i.start), end: at(i.end) })));
      }
    } catch (err) {
      this.options.progress?.(`could not read the rooms' busy times (getSchedule: ${this.why(err)}); booking without them`);
    }
    await mapLimit(bookings, 4, async (b) => {
      let workingHours: WorkingHours | undefined;
      try {
        workingHours = await this.api(`/users/${e(await this.idOf(b.room.mailbox))}/mailboxSettings/workingHours`).get();
      } catch (err) {
        this.options.progress?.(`could not read the working hours of room ${b.room.name} (${this.why(err)}; grant MailboxSettings.Read); booking at any time`);
      }
      try {
        b.slot = chooseSlot(now, { workingHours, busy: busy.get(b.room.mailbox.toLowerCase()) });
      } catch (err) {
        b.error = `room ${b.room.name}: its working hours cannot be read as times: ${(err as Error).message}`;
      }
    });
  }

  /** The room's reply to a declined test meeting in the organizer's mailbox: its text, the reason (EnableResponseDetails). */
  private async declineReason(b: Booking): Promise<string | undefined> {
    const subject = testMeeting(b.room, this.runId, b.slot!).subject;
    try {
      const res = await this.api(`/users/${e(await this.idOf(this.organizer))}/messages`)
        .filter(`from/emailAddress/address eq '${b.room.mailbox.replace(/'/g, "''")}'`).select('subject,body,receivedDateTime').top(25).get();
      const reply = (res.value ?? []).find((msg: any) => String(msg.subject ?? '').endsWith(subject) && Date.parse(msg.receivedDateTime) >= this.started.getTime() - 60000);
      const text = reply ? bodyText(reply.body).trim() : '';
      return text || undefined;
    } catch {
      // Mail.Read is optional: the verdict says that no reason could be read.
      return undefined;
    }
  }

  /** Test meetings an interrupted run left on the organizer's calendar, found by the marker property. */
  private async leftovers(): Promise<Target[]> {
    const filter = `singleValueExtendedProperties/any(ep: ep/id eq '${BOOKING_PROPERTY_ID}' and ep/value eq '${BOOKING_PROPERTY_VALUE}')`;
    const found = await this.api(`/users/${e(await this.idOf(this.organizer))}/events`).filter(filter).select('id,iCalUId,attendees').top(100).get();
    return (found.value ?? []).map((ev: any) => ({
      organizerEventId: ev.id, iCalUId: ev.iCalUId,
      rooms: (ev.attendees ?? []).filter((a: any) => a.type === 'resource' && a.emailAddress?.address).map((a: any) => a.emailAddress.address),
    }));
  }

  /**
   * Removes test meetings: the rooms' copies first (so a run killed now leaves only the organizer's, which the marker
   * finds), then the organizer's (a cancellation to the rooms), then, bounded, any copy a room still makes of a request
   * it had not processed yet. A room keeps cancelled meetings by default (RemoveCanceledMeetings $false,
   * Set-CalendarProcessing), so copies are deleted directly, which needs Calendars.ReadWrite on the room. Returns the
   * copies that could not be deleted.
   */
  private async remove(targets: Target[], errors: string[]): Promise<Remaining[]> {
    const forbidden = new Map<string, Remaining>();
    const sweep = async (): Promise<number> => {
      let found = 0;
      for (const t of targets) {
        for (const mailbox of t.rooms) {
          let copies: any[];
          try {
            copies = await this.roomCopies(mailbox, t.iCalUId);
          } catch (err) {
            forbidden.set(`${mailbox}|${t.iCalUId}`, { mailbox, iCalUId: t.iCalUId });
            errors.push(`could not read the calendar of ${mailbox} to remove the test meeting: ${this.why(err)}`);
            continue;
          }
          for (const c of copies) {
            found++;
            try {
              await this.api(`/users/${e(await this.idOf(mailbox))}/events/${e(c.id)}`).delete();
              forbidden.delete(`${mailbox}|${t.iCalUId}`);
            } catch (err) {
              if ((err as GraphFailure).statusCode !== 404) forbidden.set(`${mailbox}|${t.iCalUId}`, { mailbox, iCalUId: t.iCalUId });
            }
          }
        }
      }
      return found;
    };
    await sweep();
    for (const t of targets.filter((x) => x.organizerEventId)) {
      try {
        await this.api(`/users/${e(await this.idOf(this.organizer))}/events/${e(t.organizerEventId!)}`).delete();
      } catch (err) {
        if ((err as GraphFailure).statusCode !== 404) errors.push(`could not delete the test meeting ${t.iCalUId} from ${this.organizer}: ${this.why(err)}`);
      }
    }
    const until = this.clock.now() + 30000;
    for (let attempt = 0; targets.length && this.clock.now() < until; attempt++) {
      await this.clock.sleep(pollDelayMs(attempt, until - this.clock.now()));
      if (await sweep() === forbidden.size) break;
    }
    return [...forbidden.values()];
  }

  private async roomCopies(mailbox: string, iCalUId: string): Promise<any[]> {
    const res = await this.api(`/users/${e(await this.idOf(mailbox))}/events`).filter(`iCalUId eq '${iCalUId.replace(/'/g, "''")}'`).select('id,body,responseStatus,showAs,isCancelled').top(5).get();
    return res.value ?? [];
  }

  private async roomCopy(mailbox: string, iCalUId: string): Promise<any | undefined> {
    return (await this.roomCopies(mailbox, iCalUId)).find((c) => !c.isCancelled);
  }

  private async awaitAnswer(b: Booking): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await this.clock.sleep(pollDelayMs(attempt, this.deadline - this.clock.now()), this.options.signal);
      const ev = await this.api(`/users/${e(await this.idOf(this.organizer))}/events/${e(b.id!)}`).select('attendees').get();
      const me = (ev.attendees ?? []).find((a: any) => a.emailAddress?.address?.toLowerCase() === b.room.mailbox.toLowerCase());
      const copy = await this.roomCopy(b.room.mailbox, b.iCalUId!);
      b.observation = {
        answer: me?.status?.response ?? 'none',
        ...(copy ? { copy: { body: bodyText(copy.body), response: copy.responseStatus?.response ?? 'none', showAs: copy.showAs ?? '' } } : {}),
      };
      if (bookingSettled(b.observation) || this.clock.now() >= this.deadline || this.options.signal?.aborted) return;
    }
  }
}

export function bookingExitCode(report: BookingReport): number {
  return report.status === 'passed' ? 0 : report.status === 'failed' ? 2 : 1;
}

/** A table per room (booked, answer, dial-in kept, cleaned), then each failure with its fix. */
export function bookingText(report: BookingReport): string {
  const lines: string[] = [];
  if (report.rooms.length) {
    const rows = [['ROOM', 'MAILBOX', 'SLOT (UTC)', 'BOOKED', 'ANSWER', 'DIAL-IN KEPT', 'CLEANED', 'RESULT'],
      ...report.rooms.map((r) => [r.name, r.mailbox, r.slot ? r.slot.slice(0, 16).replace('T', ' ') : '-', r.booked ? 'yes' : 'no', r.answer || '-', r.dialInKept === null ? '-' : r.dialInKept ? 'yes' : 'no', r.cleaned ? 'yes' : 'no', r.check])];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
    for (const row of rows) lines.push(row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
    lines.push('');
  }
  for (const r of report.rooms.filter((x) => x.check !== 'passed')) lines.push(`✗ room '${r.name}' (${r.mailbox}): ${r.message}${r.fix ? `\n    fix: ${r.fix}` : ''}`);
  for (const err of report.errors) lines.push(`✗ ${err}`);
  if (report.leftoversRemoved) lines.push(`i removed ${report.leftoversRemoved} test meeting${report.leftoversRemoved === 1 ? '' : 's'} left by an earlier run`);
  const passed = report.rooms.filter((r) => r.check === 'passed').length;
  lines.push(report.status === 'error' && !report.rooms.length
    ? `booking test from ${report.organizer}: could not run`
    : `booking test from ${report.organizer}: ${passed} of ${report.rooms.length} room${report.rooms.length === 1 ? '' : 's'} passed`);
  return lines.join('\n');
}

const BOOKING_STATUS: Record<BookingReport['status'], [tone: HtmlReport['tone'], meaning: string]> = {
  passed: ['ok', 'every room accepted the test meeting and kept its dial-in line; the test meetings are removed'],
  failed: ['warn', 'some room failed a check (each below, with its fix)'],
  error: ['bad', 'the test could not run, or its cleanup failed'],
};

/** The booking test as the HTML report's data: a row per room, passed ones too. */
export function bookingHtml(report: BookingReport, o: HtmlSource): HtmlReport {
  const [tone, meaning] = BOOKING_STATUS[report.status];
  const yesNo = (b: boolean | null) => (b === null ? 'no copy' : b ? 'yes' : 'no');
  const rows = report.rooms.map((r): HtmlRow => ({
    resource: 'room', name: r.name, kind: r.check, field: 'answer, dial-in kept, cleaned', declared: 'accepted, yes, yes',
    live: `${r.booked ? r.answer || 'none' : 'not booked'}, ${yesNo(r.dialInKept)}, ${r.cleaned ? 'yes' : 'no'}`, detail: r.check === 'passed' ? undefined : r.message,
    fix: r.fix, mailbox: r.mailbox, groups: o.groupsOf?.(r.name) ?? {},
  }));
  const passed = report.rooms.filter((r) => r.check === 'passed').length;
  return {
    title: 'Test booking', status: report.status, tone, exitCode: bookingExitCode(report), exitMeaning: meaning, generated: o.generated,
    source: `${o.source}: booked from ${report.organizer}${report.runId ? ` (run ${report.runId})` : ''}`, rowNoun: 'room', errors: report.errors,
    notes: report.leftoversRemoved ? [`removed ${report.leftoversRemoved} test meeting${report.leftoversRemoved === 1 ? '' : 's'} left by an earlier run`] : [], rows,
    counts: [
      { label: 'rooms passed', value: passed, tone: 'ok' }, { label: 'rooms failed', value: report.rooms.length - passed, tone: report.rooms.length > passed ? 'warn' : undefined },
      { label: 'not cleaned', value: report.rooms.filter((r) => !r.cleaned).length, tone: report.rooms.some((r) => !r.cleaned) ? 'bad' : undefined },
      { label: 'errors', value: report.errors.length, tone: report.errors.length ? 'bad' : undefined },
    ],
  };
}
