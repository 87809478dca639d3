// The Graph emulator's calendars and each room's booking assistant (Set-CalendarProcessing), over HTTPS with tokens
// from the real @azure/identity: what a room keeps of a meeting request, how the organizer sees its answer, what
// cancel and delete remove, and which permissions each route asks for.
import { ClientSecretCredential } from '@azure/identity';
import { GraphEmulator, TenantFile } from '../../lib/local/graph-emulator';
import { calendarProcessingOf, parseEventFilter, roomAction, roomCopyContent } from '../../lib/local/graph-calendar';
import { tenantProblems } from '../../lib/local/graph-tenant';
import { chooseSlot, declineCause } from '../../lib/o365/booking';
import { graphRequest, tempDir } from '../helpers';

const ORGANIZER = 'svc@fabrikam.com';
const TENANT: TenantFile = {
  tenantId: 'fabrikam.onmicrosoft.com',
  apps: [
    { clientId: 'admin', clientSecret: 'admin-secret', roles: ['User.Read.All', 'Calendars.ReadWrite', 'MailboxSettings.Read', 'Mail.Read'] },
    { clientId: 'reader', clientSecret: 'reader-secret', roles: ['Calendars.Read'] },
    { clientId: 'basic', clientSecret: 'basic-secret', roles: ['Calendars.ReadBasic.All'] },
    { clientId: 'scoped', clientSecret: 'scoped-secret', roles: ['Calendars.Read'], scopedRoles: [{ role: 'Calendars.ReadWrite', mailboxes: [ORGANIZER] }] },
  ],
  users: [{ upn: ORGANIZER, displayName: 'A4B Service' }, { upn: 'ana@fabrikam.com', displayName: 'Ana' }, { upn: 'partner@northwind.com', displayName: 'Partner', external: true }],
  rooms: [
    { mailbox: 'tejo@fabrikam.com', displayName: 'Tejo', calendarProcessing: { deleteComments: false, processingDelayMs: 30 } },
    { mailbox: 'douro@fabrikam.com', displayName: 'Douro', calendarProcessing: { processingDelayMs: 30 } },
    { mailbox: 'mondego@fabrikam.com', displayName: 'Mondego', calendarProcessing: { automateProcessing: 'AutoUpdate', processingDelayMs: 30 } },
    { mailbox: 'sado@fabrikam.com', displayName: 'Sado', calendarProcessing: { automateProcessing: 'None', processingDelayMs: 30 } },
    { mailbox: 'lima@fabrikam.com', displayName: 'Lima', calendarProcessing: { deleteSubject: false, processingDelayMs: 30 } },
    { mailbox: 'sor@fabrikam.com', displayName: 'Sor', calendarProcessing: { removeCanceledMeetings: true, processingDelayMs: 30 } },
    // Booking policies (Set-CalendarProcessing) and working hours (mailboxSettings.workingHours).
    {
      mailbox: 'hours@fabrikam.com', displayName: 'Hours', calendarProcessing: { scheduleOnlyDuringWorkHours: true, processingDelayMs: 10 },
      workingHours: { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '09:00:00.0000000', endTime: '17:00:00.0000000', timeZone: { name: 'W. Europe Standard Time' } },
    },
    { mailbox: 'policy@fabrikam.com', displayName: 'Policy', calendarProcessing: { allBookInPolicy: false, bookInPolicy: ['ana@fabrikam.com'], processingDelayMs: 10 } },
    { mailbox: 'quiet@fabrikam.com', displayName: 'Quiet', calendarProcessing: { allBookInPolicy: false, enableResponseDetails: false, processingDelayMs: 10 } },
    { mailbox: 'short@fabrikam.com', displayName: 'Short', calendarProcessing: { maximumDurationInMinutes: 30, bookingWindowInDays: 10, processingDelayMs: 10 } },
    { mailbox: 'open@fabrikam.com', displayName: 'Open', calendarProcessing: { processExternalMeetingMessages: true, processingDelayMs: 10 } },
    // UPN differs from the mail address (microsoft-graph-docs #3979).
    { mailbox: 'tagus@fabrikam.com', upn: 'room-7f3a@fabrikam.onmicrosoft.com', displayName: 'Tagus', calendarProcessing: { processingDelayMs: 10 } },
  ],
};

let graph: GraphEmulator;
beforeAll(async () => {
  graph = await GraphEmulator.start({ tenant: TENANT });
});
afterAll(() => graph.stop());

type Answer = { status: number; body: any };
function request(method: string, p: string, token: string, body?: unknown): Promise<Answer> {
  return graphRequest(graph, method, `/v1.0${p}`, token, body);
}
const tokens = new Map<string, string>();
async function as(clientId: string) {
  if (!tokens.has(clientId)) {
    const c = new ClientSecretCredential('fabrikam.onmicrosoft.com', clientId, `${clientId}-secret`, { authorityHost: graph.url, disableInstanceDiscovery: true, tlsOptions: { ca: graph.caPem } } as any);
    tokens.set(clientId, (await c.getToken('https://graph.microsoft.com/.default'))!.token);
  }
  const t = tokens.get(clientId)!;
  return { send: (method: string, p: string, body?: unknown) => request(method, p, t, body) };
}
const e = encodeURIComponent;
const PROP = 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name A4bRoomsBookingTest';
let day = 40;
function meeting(room: string, body = 'Join: https://chime.aws/1234567890 Meeting ID: 1234 5678 90') {
  // Days ahead of now, inside every room's booking window (BookingWindowInDays, 180 by default).
  const start = new Date((Math.floor(Date.now() / 86400000) + day++) * 86400000 + 21 * 3600000);
  return {
    subject: '[a4b-rooms booking test] Tejo', body: { contentType: 'text', content: body },
    start: { dateTime: start.toISOString().slice(0, 19), timeZone: 'UTC' }, end: { dateTime: new Date(start.getTime() + 15 * 60000).toISOString().slice(0, 19), timeZone: 'UTC' },
    attendees: [{ type: 'resource', emailAddress: { address: room } }],
    singleValueExtendedProperties: [{ id: PROP, value: 'run-1' }],
  };
}
async function book(room: string, m = meeting(room)) {
  const admin = await as('admin');
  const created = await admin.send('POST', `/users/${e(ORGANIZER)}/events`, m);
  expect(created.status).toBe(201);
  await graph.settled();
  const organizer = (await admin.send('GET', `/users/${e(ORGANIZER)}/events/${e(created.body.id)}`)).body;
  const copies = (await admin.send('GET', `/users/${e(room)}/events?$filter=${e(`iCalUId eq '${created.body.iCalUId}'`)}`)).body.value;
  return { created: created.body, organizer, copies, answer: organizer.attendees[0].status.response };
}
/** Deletes the meeting from the organizer's calendar and, once the room has processed the cancellation, its copies. */
async function cleanUp(id: string) {
  const admin = await as('admin');
  expect((await admin.send('DELETE', `/users/${e(ORGANIZER)}/events/${e(id)}`)).status).toBe(204);
  await graph.settled();
  for (const room of TENANT.rooms!) {
    const key = room.upn ?? room.mailbox;
    for (const copy of (await admin.send('GET', `/users/${e(key)}/events`)).body.value) {
      expect((await admin.send('DELETE', `/users/${e(key)}/events/${e(copy.id)}`)).status).toBe(204);
    }
  }
}

describe('a room\'s booking assistant', () => {
  test('AutoAccept keeping comments: accepted, the room\'s copy (same iCalUId) keeps the body, its subject is the organizer\'s name', async () => {
    const r = await book('tejo@fabrikam.com');
    expect(r.answer).toBe('accepted');
    expect(r.copies).toHaveLength(1);
    expect(r.copies[0]).toMatchObject({ iCalUId: r.created.iCalUId, subject: 'A4B Service', isOrganizer: false, showAs: 'busy', responseStatus: { response: 'accepted' } });
    expect(r.copies[0].body.content).toContain('https://chime.aws/1234567890');
    expect(r.copies[0].id).not.toBe(r.created.id);
    await cleanUp(r.created.id);
  });

  test('Exchange\'s defaults (DeleteComments $true): accepted, the copy\'s body is emptied', async () => {
    const r = await book('douro@fabrikam.com');
    expect(r.answer).toBe('accepted');
    expect(r.copies[0].body.content).toBe('');
    expect(r.copies[0].bodyPreview).toBe('');
    expect(r.copies[0].subject).toBe('A4B Service');
    await cleanUp(r.created.id);
  });

  test('DeleteSubject $false, AddOrganizerToSubject $true (its default): the organizer\'s name replaces the subject', async () => {
    const r = await book('lima@fabrikam.com');
    expect(r.copies[0].subject).toBe('A4B Service');
    await cleanUp(r.created.id);
  });

  test('AutoUpdate: a tentative copy, body and subject kept, no answer to the organizer', async () => {
    const r = await book('mondego@fabrikam.com');
    expect(r.answer).toBe('none');
    expect(r.copies).toHaveLength(1);
    expect(r.copies[0]).toMatchObject({ showAs: 'tentative', subject: '[a4b-rooms booking test] Tejo', responseStatus: { response: 'notResponded' } });
    await cleanUp(r.created.id);
  });

  test('None: nothing on the room\'s calendar, no answer', async () => {
    const r = await book('sado@fabrikam.com');
    expect(r.answer).toBe('none');
    expect(r.copies).toEqual([]);
    await cleanUp(r.created.id);
  });

  test('a conflict is declined and leaves no copy; the slot\'s holder keeps the room', async () => {
    const first = meeting('tejo@fabrikam.com');
    const holder = await book('tejo@fabrikam.com', first);
    const clash = await book('tejo@fabrikam.com', { ...first, subject: 'clash' });
    expect(holder.answer).toBe('accepted');
    expect(clash.answer).toBe('declined');
    expect(clash.copies).toEqual([]);
    expect(graph.events('tejo@fabrikam.com').map((x) => x.iCalUId)).toEqual([holder.created.iCalUId]);
    await cleanUp(clash.created.id);
    await cleanUp(holder.created.id);
  });

  test('cancel and delete: the room keeps its copy marked cancelled (RemoveCanceledMeetings $false, the default); deleting it directly leaves nothing', async () => {
    const admin = await as('admin');
    const a = await book('tejo@fabrikam.com');
    const b = await book('douro@fabrikam.com');
    expect((await admin.send('POST', `/users/${e(ORGANIZER)}/events/${e(a.created.id)}/cancel`, { comment: 'test over' })).status).toBe(202);
    expect((await admin.send('DELETE', `/users/${e(ORGANIZER)}/events/${e(b.created.id)}`)).status).toBe(204);
    expect(graph.events('tejo@fabrikam.com')[0].isCancelled).toBe(false); // the cancellation is on its way
    await graph.settled();
    expect((await admin.send('GET', `/users/${e(ORGANIZER)}/events`)).body.value).toEqual([]);
    expect((await admin.send('GET', `/users/${e(ORGANIZER)}/events/${e(a.created.id)}`)).status).toBe(404);
    for (const [room, r] of [['tejo@fabrikam.com', a], ['douro@fabrikam.com', b]] as const) {
      const copies = (await admin.send('GET', `/users/${e(room)}/events`)).body.value;
      expect(copies).toMatchObject([{ iCalUId: r.created.iCalUId, isCancelled: true, subject: 'Canceled: A4B Service', showAs: 'free' }]);
      expect((await admin.send('DELETE', `/users/${e(room)}/events/${e(copies[0].id)}`)).status).toBe(204);
      expect((await admin.send('GET', `/users/${e(room)}/events`)).body.value).toEqual([]);
    }
  });

  test('RemoveCanceledMeetings $true: the cancellation removes the room\'s copy', async () => {
    const admin = await as('admin');
    const r = await book('sor@fabrikam.com');
    expect(r.copies).toHaveLength(1);
    expect((await admin.send('DELETE', `/users/${e(ORGANIZER)}/events/${e(r.created.id)}`)).status).toBe(204);
    await graph.settled();
    expect((await admin.send('GET', '/users/sor%40fabrikam.com/events')).body.value).toEqual([]);
  });

  test('a cancelled copy does not hold the slot: the room accepts the next request for it', async () => {
    const m = meeting('tejo@fabrikam.com');
    const first = await book('tejo@fabrikam.com', m);
    await (await as('admin')).send('DELETE', `/users/${e(ORGANIZER)}/events/${e(first.created.id)}`);
    await graph.settled();
    const second = await book('tejo@fabrikam.com', { ...m, subject: 'again' });
    expect(second.answer).toBe('accepted');
    await cleanUp(second.created.id);
  });

  test('a request deleted before the room processed it leaves nothing', async () => {
    const admin = await as('admin');
    const created = await admin.send('POST', `/users/${e(ORGANIZER)}/events`, meeting('tejo@fabrikam.com'));
    await admin.send('DELETE', `/users/${e(ORGANIZER)}/events/${e(created.body.id)}`);
    await graph.settled();
    expect(graph.events('tejo@fabrikam.com')).toEqual([]);
  });
});

test('a request on its way when the emulator stops reaches the room after a restart (the state keeps it)', async () => {
  const dir = tempDir('a4b-booking-');
  const first = await GraphEmulator.start({ stateDir: dir, tenant: TENANT });
  const c = new ClientSecretCredential('fabrikam.onmicrosoft.com', 'admin', 'admin-secret', { authorityHost: first.url, disableInstanceDiscovery: true, tlsOptions: { ca: first.caPem } } as any);
  const token = (await c.getToken('https://graph.microsoft.com/.default'))!.token;
  const saved = graph;
  graph = first;
  try {
    expect((await request('POST', `/users/${e(ORGANIZER)}/events`, token, meeting('tejo@fabrikam.com'))).status).toBe(201);
  } finally {
    graph = saved;
  }
  await first.stop();
  const again = await GraphEmulator.start({ stateDir: dir });
  try {
    expect(again.events('tejo@fabrikam.com')).toEqual([]);
    await again.settled();
    expect(again.events('tejo@fabrikam.com')).toHaveLength(1);
    expect(again.events(ORGANIZER)[0].attendees[0].status.response).toBe('accepted');
  } finally {
    await again.stop();
  }
});

describe('the event routes as clients use them', () => {
  test('$filter by the marker\'s extended property, $expand shows it, $select and $top trim', async () => {
    const admin = await as('admin');
    const r = await book('tejo@fabrikam.com');
    const found = await admin.send('GET', `/users/${e(ORGANIZER)}/events?$filter=${e(`singleValueExtendedProperties/any(ep: ep/id eq '${PROP}' and ep/value eq 'run-1')`)}&$select=id,subject&$top=5`);
    expect(found.body.value).toEqual([{ id: r.created.id, subject: '[a4b-rooms booking test] Tejo' }]);
    expect((await admin.send('GET', `/users/${e(ORGANIZER)}/events?$filter=${e(`singleValueExtendedProperties/any(ep: ep/id eq '${PROP}' and ep/value eq 'other')`)}`)).body.value).toEqual([]);
    expect(r.organizer).not.toHaveProperty('singleValueExtendedProperties');
    const expanded = await admin.send('GET', `/users/${e(ORGANIZER)}/events/${e(r.created.id)}?$expand=${e(`singleValueExtendedProperties($filter=id eq '${PROP}')`)}`);
    expect(expanded.body.singleValueExtendedProperties).toEqual([{ id: PROP, value: 'run-1' }]);
    // The room's copy does not carry the organizer's extended property: found by iCalUId only.
    expect((await admin.send('GET', `/users/tejo%40fabrikam.com/events?$filter=${e(`singleValueExtendedProperties/any(ep: ep/id eq '${PROP}' and ep/value eq 'run-1')`)}`)).body.value).toEqual([]);
    expect(await admin.send('GET', `/users/${e(ORGANIZER)}/events?$filter=${e("startswith(subject,'x')")}`)).toMatchObject({ status: 400, body: { error: { code: 'ErrorInvalidUrlQueryFilter' } } });
    await cleanUp(r.created.id);
  });

  test('/calendar/events is the same calendar; a retried POST with its transactionId makes one event', async () => {
    const admin = await as('admin');
    const m = { ...meeting('sado@fabrikam.com'), transactionId: 'tx-1' };
    const a = await admin.send('POST', `/users/${e(ORGANIZER)}/calendar/events`, m);
    const b = await admin.send('POST', `/users/${e(ORGANIZER)}/events`, m);
    expect(b.body.id).toBe(a.body.id);
    expect((await admin.send('GET', `/users/${e(ORGANIZER)}/calendar/events`)).body.value).toHaveLength(1);
    await cleanUp(a.body.id);
  });

  test('permissions: Calendars.ReadWrite to book, Calendars.Read or ReadWrite to read, ReadBasic is not enough; RBAC scopes per mailbox', async () => {
    const reader = await as('reader');
    const basic = await as('basic');
    const scoped = await as('scoped');
    expect(await reader.send('POST', `/users/${e(ORGANIZER)}/events`, meeting('sado@fabrikam.com'))).toMatchObject({ status: 403, body: { error: { code: 'ErrorAccessDenied' } } });
    expect((await reader.send('GET', '/users/tejo%40fabrikam.com/events')).status).toBe(200);
    expect((await basic.send('GET', '/users/tejo%40fabrikam.com/events')).status).toBe(403);
    // Scoped write on the organizer only: books there, cannot write a room's calendar.
    const created = await scoped.send('POST', `/users/${e(ORGANIZER)}/events`, meeting('sado@fabrikam.com'));
    expect(created.status).toBe(201);
    expect((await scoped.send('POST', '/users/tejo%40fabrikam.com/events', meeting('sado@fabrikam.com'))).status).toBe(403);
    expect((await scoped.send('DELETE', `/users/${e(ORGANIZER)}/events/${e(created.body.id)}`)).status).toBe(204);
    await graph.settled();
  });

  test('only the organizer cancels; unknown events are 404', async () => {
    const admin = await as('admin');
    const r = await book('tejo@fabrikam.com');
    expect(await admin.send('POST', `/users/tejo%40fabrikam.com/events/${e(r.copies[0].id)}/cancel`, {})).toMatchObject({ status: 400, body: { error: { code: 'ErrorInvalidRequest' } } });
    expect((await admin.send('GET', `/users/${e(ORGANIZER)}/events/AAMkunknown`)).status).toBe(404);
    await cleanUp(r.created.id);
  });
});

describe('calendar processing rules', () => {
  test.each([
    ['AutoAccept', false, 'accept'], ['AutoAccept', true, 'decline'],
    ['AutoUpdate', false, 'tentative'], ['AutoUpdate', true, 'tentative'],
    ['None', false, 'nothing'],
  ])('%s, conflict %s: %s', (ap, conflict, action) => {
    expect(roomAction(ap, conflict)).toBe(action);
  });

  test.each([
    [{}, 'accept', 'Org', ''],
    [{ deleteComments: false }, 'accept', 'Org', 'dial-in'],
    [{ deleteSubject: false, addOrganizerToSubject: false }, 'accept', 'Subj', ''],
    [{ addOrganizerToSubject: false }, 'accept', '', ''],
    [{}, 'tentative', 'Subj', 'dial-in'],
  ])('%j, %s: subject %j, body %j', (cp, action, subject, body) => {
    expect(roomCopyContent({ subject: 'Subj', body: { contentType: 'text', content: 'dial-in' } }, calendarProcessingOf(cp), 'Org', action as any))
      .toEqual({ subject, body: { contentType: 'text', content: body } });
  });

  test('the tenant file\'s calendarProcessing is checked, naming the room and the field', () => {
    expect(tenantProblems({ tenantId: 't', rooms: [{ mailbox: 'r@t.com', calendarProcessing: { automateProcessing: 'Auto', deleteComment: false, processingDelayMs: -1 } as any }] })).toEqual([
      'rooms[0] (r@t.com).calendarProcessing.deleteComment: unknown key; the keys are automateProcessing, deleteComments, deleteSubject, addOrganizerToSubject, removeCanceledMeetings, scheduleOnlyDuringWorkHours, allBookInPolicy, processExternalMeetingMessages, enableResponseDetails, bookingWindowInDays, maximumDurationInMinutes, bookInPolicy, processingDelayMs',
      "rooms[0] (r@t.com).calendarProcessing.automateProcessing: 'Auto' must be one of AutoAccept, AutoUpdate, None",
      'rooms[0] (r@t.com).calendarProcessing.processingDelayMs: must be a whole number of milliseconds, 0 or more',
    ]);
    expect(() => parseEventFilter("subject eq 'x'")).toThrow(/iCalUId eq/);
  });
});

describe('booking policies (Set-CalendarProcessing) and the room\'s reply', () => {
  const HOURS = TENANT.rooms!.find((r) => r.mailbox === 'hours@fabrikam.com')!.workingHours!;
  /** A meeting of `minutes` from `start`, sent by `from` to `room`; what the room answered and the reply it sent. */
  async function request(from: string, room: string, start: Date, minutes = 15) {
    const admin = await as('admin');
    const created = await admin.send('POST', `/users/${e(from)}/events`, {
      subject: `policy test ${start.toISOString()}`, body: { contentType: 'text', content: 'x' },
      start: { dateTime: start.toISOString().slice(0, 19), timeZone: 'UTC' }, end: { dateTime: new Date(start.getTime() + minutes * 60000).toISOString().slice(0, 19), timeZone: 'UTC' },
      attendees: [{ type: 'resource', emailAddress: { address: room } }],
    });
    expect(created.status).toBe(201);
    await graph.settled();
    const ev = (await admin.send('GET', `/users/${e(from)}/events/${e(created.body.id)}`)).body;
    const replies = (await admin.send('GET', `/users/${e(from)}/messages?$filter=${e(`from/emailAddress/address eq '${room}'`)}&$top=50`)).body.value;
    const reply = replies.find((msg: any) => msg.subject.endsWith(created.body.subject));
    expect((await admin.send('DELETE', `/users/${e(from)}/events/${e(created.body.id)}`)).status).toBe(204);
    await graph.settled();
    return { answer: ev.attendees[0].status.response, reply };
  }
  const OLD_SLOT = (() => { // the booking test's old fixed time: a Sunday 02:00 UTC, some weeks ahead
    const d = new Date(Math.floor(Date.now() / 86400000) * 86400000 + 20 * 86400000);
    d.setUTCDate(d.getUTCDate() + ((7 - d.getUTCDay()) % 7));
    return new Date(d.getTime() + 2 * 3600000);
  })();

  test('mailboxSettings/workingHours answers as the tenant file says; a room without them has Exchange\'s default', async () => {
    const admin = await as('admin');
    expect((await admin.send('GET', `/users/${e('hours@fabrikam.com')}/mailboxSettings/workingHours`)).body).toMatchObject(HOURS);
    expect((await admin.send('GET', `/users/${e('tejo@fabrikam.com')}/mailboxSettings`)).body.workingHours).toMatchObject({ daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '08:00:00.0000000', endTime: '17:00:00.0000000' });
    expect((await (await as('reader')).send('GET', `/users/${e('hours@fabrikam.com')}/mailboxSettings/workingHours`)).status).toBe(403);
  });

  test('ScheduleOnlyDuringWorkHours: the old Sunday-night slot is declined with its reason; a slot inside the hours is accepted', async () => {
    const outside = await request(ORGANIZER, 'hours@fabrikam.com', OLD_SLOT);
    expect(outside.answer).toBe('declined');
    expect(outside.reply).toMatchObject({ '@odata.type': '#microsoft.graph.eventMessageResponse', 'meetingMessageType': 'meetingDeclined', 'subject': expect.stringMatching(/^Declined: /) });
    expect(outside.reply.body.content).toBe('Your request was declined because the meeting is outside the working hours of this resource.');
    expect(declineCause(outside.reply.body.content)?.setting).toBe('ScheduleOnlyDuringWorkHours');
    const slot = chooseSlot(new Date(), { workingHours: HOURS })!;
    const inside = await request(ORGANIZER, 'hours@fabrikam.com', slot.start);
    expect(inside.answer).toBe('accepted');
    expect(inside.reply).toMatchObject({ meetingMessageType: 'meetingAccepted', body: { content: 'Your request was accepted.' } });
  });

  test('AllBookInPolicy $false: only BookInPolicy\'s users are accepted; EnableResponseDetails $false sends no reason', async () => {
    const start = new Date((Math.floor(Date.now() / 86400000) + 3) * 86400000 + 10 * 3600000);
    const refused = await request(ORGANIZER, 'policy@fabrikam.com', start);
    expect(refused.answer).toBe('declined');
    expect(declineCause(refused.reply.body.content)?.setting).toBe('AllBookInPolicy/BookInPolicy');
    expect((await request('ana@fabrikam.com', 'policy@fabrikam.com', start)).answer).toBe('accepted');
    const quiet = await request(ORGANIZER, 'quiet@fabrikam.com', start);
    expect(quiet.answer).toBe('declined');
    expect(quiet.reply.body.content).toBe('');
  });

  test('MaximumDurationInMinutes and BookingWindowInDays decline, naming themselves; inside both is accepted', async () => {
    const soon = new Date((Math.floor(Date.now() / 86400000) + 3) * 86400000 + 10 * 3600000);
    const long = await request(ORGANIZER, 'short@fabrikam.com', soon, 45);
    expect([long.answer, declineCause(long.reply.body.content)?.setting]).toEqual(['declined', 'MaximumDurationInMinutes']);
    const far = await request(ORGANIZER, 'short@fabrikam.com', new Date(soon.getTime() + 10 * 86400000));
    expect([far.answer, declineCause(far.reply.body.content)?.setting]).toEqual(['declined', 'BookingWindowInDays']);
    expect((await request(ORGANIZER, 'short@fabrikam.com', soon, 30)).answer).toBe('accepted');
  });

  test('ProcessExternalMeetingMessages: $false (the default) declines an external organizer, $true accepts it', async () => {
    const start = new Date((Math.floor(Date.now() / 86400000) + 4) * 86400000 + 10 * 3600000);
    const closed = await request('partner@northwind.com', 'douro@fabrikam.com', start);
    expect([closed.answer, declineCause(closed.reply.body.content)?.setting]).toEqual(['declined', 'ProcessExternalMeetingMessages']);
    expect((await request('partner@northwind.com', 'open@fabrikam.com', start)).answer).toBe('accepted');
  });

  test('UPN != mail: Outlook routes take the id or UPN, not the SMTP address; getSchedule takes SMTP addresses', async () => {
    const admin = await as('admin');
    const bySmtp = await admin.send('GET', `/users/${e('tagus@fabrikam.com')}/events`);
    expect(bySmtp).toMatchObject({ status: 404, body: { error: { code: 'ErrorInvalidUser' } } });
    expect((await admin.send('GET', `/users/${e('room-7f3a@fabrikam.onmicrosoft.com')}/events`)).status).toBe(200);
    const found = (await admin.send('GET', `/users?$filter=${e("mail eq 'tagus@fabrikam.com'")}&$select=id,userPrincipalName`)).body.value;
    expect(found).toEqual([{ id: expect.any(String), userPrincipalName: 'room-7f3a@fabrikam.onmicrosoft.com' }]);
    expect((await admin.send('GET', `/users/${e(found[0].id)}/events`)).status).toBe(200);
    const start = new Date((Math.floor(Date.now() / 86400000) + 5) * 86400000 + 10 * 3600000);
    expect((await request(ORGANIZER, 'tagus@fabrikam.com', start)).answer).toBe('accepted');
    const window = { startTime: { dateTime: new Date(start.getTime() - 3600000).toISOString().slice(0, 19), timeZone: 'UTC' }, endTime: { dateTime: new Date(start.getTime() + 3600000).toISOString().slice(0, 19), timeZone: 'UTC' } };
    const schedule = await admin.send('POST', `/users/${e(ORGANIZER)}/calendar/getSchedule`, { schedules: ['tagus@fabrikam.com', 'nobody@fabrikam.com'], ...window });
    expect(schedule.body.value[0]).toMatchObject({ scheduleId: 'tagus@fabrikam.com', scheduleItems: [], workingHours: { startTime: '08:00:00.0000000' } });
    expect(schedule.body.value[1]).toMatchObject({ scheduleId: 'nobody@fabrikam.com', error: { responseCode: 'ErrorMailRecipientNotFound' } });
  });

  test('getSchedule lists the busy times of a room in the window', async () => {
    const admin = await as('admin');
    const start = new Date((Math.floor(Date.now() / 86400000) + 6) * 86400000 + 10 * 3600000);
    const created = await admin.send('POST', `/users/${e(ORGANIZER)}/events`, { ...meeting('tejo@fabrikam.com'), start: { dateTime: start.toISOString().slice(0, 19), timeZone: 'UTC' }, end: { dateTime: new Date(start.getTime() + 900000).toISOString().slice(0, 19), timeZone: 'UTC' } });
    await graph.settled();
    const range = (from: number, to: number) => ({ startTime: { dateTime: new Date(from).toISOString().slice(0, 19), timeZone: 'UTC' }, endTime: { dateTime: new Date(to).toISOString().slice(0, 19), timeZone: 'UTC' } });
    const busy = await admin.send('POST', `/users/${e(ORGANIZER)}/calendar/getSchedule`, { schedules: ['tejo@fabrikam.com'], ...range(start.getTime() - 86400000, start.getTime() + 86400000) });
    expect(busy.body.value[0].scheduleItems).toEqual([{ isPrivate: false, status: 'busy', start: { dateTime: `${start.toISOString().slice(0, 19)}.0000000`, timeZone: 'UTC' }, end: expect.any(Object) }]);
    const after = await admin.send('POST', `/users/${e(ORGANIZER)}/calendar/getSchedule`, { schedules: ['tejo@fabrikam.com'], ...range(start.getTime() + 900000, start.getTime() + 86400000) });
    expect(after.body.value[0].scheduleItems).toEqual([]);
    await cleanUp(created.body.id);
  });

  test('the tenant file\'s working hours and policies are checked, naming the room and the field', () => {
    expect(tenantProblems({ tenantId: 't', rooms: [{ mailbox: 'r@t.com', workingHours: { daysOfWeek: ['mon'], startTime: '9am', endTime: '17:00', timeZone: { name: 'Mars' } } as any, calendarProcessing: { bookingWindowInDays: 2000, bookInPolicy: 'ana' } as any }] })).toEqual([
      'rooms[0] (r@t.com).calendarProcessing.bookingWindowInDays: must be a whole number of days from 0 to 1080 (Set-CalendarProcessing\'s range)',
      'rooms[0] (r@t.com).calendarProcessing.bookInPolicy: must be a list of user or group addresses',
      'rooms[0] (r@t.com).workingHours.daysOfWeek: must be a list of sunday, monday, tuesday, wednesday, thursday, friday, saturday',
      'rooms[0] (r@t.com).workingHours.startTime: must be a local time HH:mm or HH:mm:ss',
      "rooms[0] (r@t.com).workingHours.timeZone: {name: 'Mars'} must name an IANA zone (Europe/Berlin) or a Windows zone (W. Europe Standard Time)",
    ]);
  });
});
