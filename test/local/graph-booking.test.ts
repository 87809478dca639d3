// The Graph emulator's calendars and each room's booking assistant (Set-CalendarProcessing), over HTTPS with tokens
// from the real @azure/identity: what a room keeps of a meeting request, how the organizer sees its answer, what
// cancel and delete remove, and which permissions each route asks for.
import { ClientSecretCredential } from '@azure/identity';
import { GraphEmulator, TenantFile } from '../../lib/local/graph-emulator';
import { calendarProcessingOf, parseEventFilter, roomAction, roomCopyContent } from '../../lib/local/graph-calendar';
import { tenantProblems } from '../../lib/local/graph-tenant';
import { graphRequest, tempDir } from '../helpers';

const ORGANIZER = 'svc@fabrikam.com';
const TENANT: TenantFile = {
  tenantId: 'fabrikam.onmicrosoft.com',
  apps: [
    { clientId: 'admin', clientSecret: 'admin-secret', roles: ['User.Read.All', 'Calendars.ReadWrite'] },
    { clientId: 'reader', clientSecret: 'reader-secret', roles: ['Calendars.Read'] },
    { clientId: 'basic', clientSecret: 'basic-secret', roles: ['Calendars.ReadBasic.All'] },
    { clientId: 'scoped', clientSecret: 'scoped-secret', roles: ['Calendars.Read'], scopedRoles: [{ role: 'Calendars.ReadWrite', mailboxes: [ORGANIZER] }] },
  ],
  users: [{ upn: ORGANIZER, displayName: 'A4B Service' }],
  rooms: [
    { mailbox: 'tejo@fabrikam.com', displayName: 'Tejo', calendarProcessing: { deleteComments: false, processingDelayMs: 30 } },
    { mailbox: 'douro@fabrikam.com', displayName: 'Douro', calendarProcessing: { processingDelayMs: 30 } },
    { mailbox: 'mondego@fabrikam.com', displayName: 'Mondego', calendarProcessing: { automateProcessing: 'AutoUpdate', processingDelayMs: 30 } },
    { mailbox: 'sado@fabrikam.com', displayName: 'Sado', calendarProcessing: { automateProcessing: 'None', processingDelayMs: 30 } },
    { mailbox: 'lima@fabrikam.com', displayName: 'Lima', calendarProcessing: { deleteSubject: false, processingDelayMs: 30 } },
    { mailbox: 'sor@fabrikam.com', displayName: 'Sor', calendarProcessing: { removeCanceledMeetings: true, processingDelayMs: 30 } },
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
  const start = new Date(Date.UTC(2030, 0, day++, 21, 0));
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
    for (const copy of (await admin.send('GET', `/users/${e(room.mailbox)}/events`)).body.value) {
      expect((await admin.send('DELETE', `/users/${e(room.mailbox)}/events/${e(copy.id)}`)).status).toBe(204);
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

  test('DeleteSubject $false: the organizer\'s name before the kept subject', async () => {
    const r = await book('lima@fabrikam.com');
    expect(r.copies[0].subject).toBe('A4B Service [a4b-rooms booking test] Tejo');
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
      'rooms[0] (r@t.com).calendarProcessing.deleteComment: unknown key; the keys are automateProcessing, deleteComments, deleteSubject, addOrganizerToSubject, removeCanceledMeetings, processingDelayMs',
      "rooms[0] (r@t.com).calendarProcessing.automateProcessing: 'Auto' must be one of AutoAccept, AutoUpdate, None",
      'rooms[0] (r@t.com).calendarProcessing.processingDelayMs: must be a whole number of milliseconds, 0 or more',
    ]);
    expect(() => parseEventFilter("subject eq 'x'")).toThrow(/iCalUId eq/);
  });
});
