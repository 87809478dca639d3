// The Graph emulator answers for a tenant as real ones are: addresses that are not the UPN, mailboxes without places,
// room lists, groups, allowedRoles, RBAC-scoped app roles, Exchange Online consents and opaque tokens. Over HTTPS with
// the emulator's CA, tokens from the real @azure/identity.
import * as fs from 'fs';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { ClientSecretCredential } from '@azure/identity';
import { AuthenticationHandler, Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { HttpsTransport } from '../../lib/runtime/graph/https-transport';
import { getter, readAccount } from '../../lib/runtime/graph/mailboxes';
import { EXCHANGE_APP_ID, GraphEmulator, TenantFile } from '../../lib/local/graph-emulator';
import { parseUserFilter, recipientAddresses, tenantProblems, transitiveGroups } from '../../lib/local/graph-tenant';
import { graphRequest } from '../helpers';

const SVC_UPN = 'svc.a4b@fabrikam.onmicrosoft.com';
const SVC_MAIL = 'a4b-svc@fabrikam.com';
const TENANT: TenantFile = {
  tenantId: 'fabrikam.onmicrosoft.com',
  apps: [
    { clientId: 'admin', clientSecret: 'admin-secret', roles: ['User.Read.All', 'Place.Read.All', 'MailboxSettings.Read', 'Calendars.ReadWrite', 'Directory.Read.All', 'Application.Read.All'] },
    {
      clientId: 'scoped', clientSecret: 'scoped-secret', roles: ['Place.Read.All', 'User.Read.All', 'MailboxSettings.Read'],
      scopedRoles: [{ role: 'Calendars.ReadWrite', mailboxes: ['tejo@fabrikam.com', 'douro@fabrikam.com'] }],
    },
    { clientId: 'minimal', clientSecret: 'minimal-secret', roles: ['User.Read.All'] },
    { clientId: 'bare', clientSecret: 'bare-secret', roles: ['Place.Read.All'] },
    { clientId: 'basic', clientSecret: 'basic-secret', roles: ['User.ReadBasic.All'] },
  ],
  users: [
    { upn: SVC_UPN, mail: SVC_MAIL, proxyAddresses: ['smtp:alexa@fabrikam.com'], displayName: 'A4B service' },
    { upn: 'contractor@fabrikam.onmicrosoft.com', mailbox: false },
    { upn: 'old@fabrikam.com', accountEnabled: false },
    { upn: 'reception@fabrikam.com', purpose: 'shared' },
    { upn: 'projector@fabrikam.com', purpose: 'equipment' },
    { upn: 'left@fabrikam.com', mailboxState: 'inactive' },
    { upn: 'binned@fabrikam.com', mailboxState: 'softDeleted' },
    { upn: 'hybrid@fabrikam.com', mailboxState: 'onPremises' },
  ],
  rooms: [
    { mailbox: 'tejo@fabrikam.com', displayName: 'Tejo' },
    { mailbox: 'douro@fabrikam.com', upn: 'douro.room@fabrikam.onmicrosoft.com', displayName: 'Douro', inPlaces: false },
    { mailbox: 'mondego@fabrikam.com', displayName: 'Mondego', accountEnabled: false },
  ],
  roomLists: [{ mailbox: 'lisbon-rooms@fabrikam.com', displayName: 'Lisbon rooms', rooms: ['tejo@fabrikam.com', 'douro.room@fabrikam.onmicrosoft.com'] }],
  groups: [
    { mail: 'av-team@fabrikam.com', displayName: 'AV team', members: ['alexa@fabrikam.com'] },
    { mail: 'facilities@fabrikam.com', displayName: 'Facilities', members: ['av-team@fabrikam.com'] },
  ],
  calendarPermissions: [
    { mailbox: 'tejo@fabrikam.com', user: SVC_UPN, role: 'write', allowedRoles: ['freeBusyRead', 'limitedRead', 'read', 'write'] },
    { mailbox: 'douro@fabrikam.com', user: 'alexa@fabrikam.com', role: 'read', allowedRoles: ['freeBusyRead', 'limitedRead', 'read'] },
    { mailbox: 'mondego@fabrikam.com', user: 'facilities@fabrikam.com', role: 'write' },
  ],
  consents: [
    { applicationId: 'a4b-exchange', displayName: 'Alexa for Business', roles: ['Calendars.ReadWrite.All'], resource: 'exchange' },
    { applicationId: 'a4b-graph', displayName: 'Alexa for Business', roles: ['Calendars.ReadWrite'] },
  ],
};

let graph: GraphEmulator;
beforeAll(async () => {
  graph = await GraphEmulator.start({ tenant: TENANT });
});
afterAll(() => graph.stop());

type Answer = { status: number; body: any };
function request(g: GraphEmulator, method: string, p: string, token: string, body?: unknown): Promise<Answer> {
  return graphRequest(g, method, p, token, body);
}

function credential(g: GraphEmulator, clientId: string): ClientSecretCredential {
  return new ClientSecretCredential('fabrikam.onmicrosoft.com', clientId, `${clientId}-secret`, { authorityHost: g.url, disableInstanceDiscovery: true, tlsOptions: { ca: g.caPem } } as any);
}

const tokens = new Map<string, string>();
async function as(clientId: string) {
  if (!tokens.has(clientId)) tokens.set(clientId, (await credential(graph, clientId).getToken('https://graph.microsoft.com/.default'))!.token);
  const t = tokens.get(clientId)!;
  return {
    get: (p: string) => request(graph, 'GET', `/v1.0${p}`, t),
    send: (method: string, p: string, body?: unknown) => request(graph, method, `/v1.0${p}`, t, body),
  };
}
const e = encodeURIComponent;

describe('addresses: UPN, mail and proxy addresses are different things', () => {
  test('/users/{id | userPrincipalName} resolves; its mail is the primary SMTP address; a mail or proxy address is not a key there', async () => {
    const admin = await as('admin');
    const byUpn = await admin.get(`/users/${e(SVC_UPN)}`);
    expect(byUpn).toMatchObject({ status: 200, body: { userPrincipalName: SVC_UPN, mail: SVC_MAIL } });
    expect(byUpn.body).not.toHaveProperty('proxyAddresses'); // only on $select
    expect((await admin.get(`/users/${byUpn.body.id}`)).body.userPrincipalName).toBe(SVC_UPN);
    expect(await admin.get(`/users/${e(SVC_MAIL)}`)).toMatchObject({ status: 404, body: { error: { code: 'Request_ResourceNotFound' } } });
    expect((await admin.get('/users/alexa%40fabrikam.com')).status).toBe(404);
  });

  test('$select returns accountEnabled and proxyAddresses (SMTP: primary first), and only what was selected', async () => {
    const admin = await as('admin');
    expect((await admin.get(`/users/${e(SVC_UPN)}?$select=mail,accountEnabled,proxyAddresses`)).body).toEqual({ mail: SVC_MAIL, accountEnabled: true, proxyAddresses: [`SMTP:${SVC_MAIL}`, 'smtp:alexa@fabrikam.com'] });
    expect((await admin.get('/users/old%40fabrikam.com?$select=accountEnabled')).body).toEqual({ accountEnabled: false });
    // A room's UPN may differ from its mailbox; its account is as the tenant file says.
    expect((await admin.get('/users/douro.room%40fabrikam.onmicrosoft.com?$select=userPrincipalName,mail,accountEnabled')).body)
      .toEqual({ userPrincipalName: 'douro.room@fabrikam.onmicrosoft.com', mail: 'douro@fabrikam.com', accountEnabled: true });
    expect((await admin.get('/users/mondego%40fabrikam.com?$select=accountEnabled')).body).toEqual({ accountEnabled: false });
    expect((await admin.get('/users/contractor%40fabrikam.onmicrosoft.com')).body.mail).toBeNull();
  });

  test('User.ReadBasic.All reads the basic profile only: no accountEnabled or proxyAddresses, even when selected', async () => {
    const select = `$select=${e('id,userPrincipalName,mail,proxyAddresses,accountEnabled')}`;
    const filter = `$filter=${e(`mail eq '${SVC_MAIL}'`)}`;
    const [full] = (await (await as('admin')).get(`/users?${filter}&${select}`)).body.value;
    expect(Object.keys(full).sort()).toEqual(['accountEnabled', 'id', 'mail', 'proxyAddresses', 'userPrincipalName']);
    const [basic] = (await (await as('basic')).get(`/users?${filter}&${select}`)).body.value;
    expect(basic).toEqual({ id: full.id, userPrincipalName: SVC_UPN, mail: SVC_MAIL });
    expect((await (await as('basic')).get(`/users/${e(SVC_UPN)}`)).body).toEqual({ id: full.id, userPrincipalName: SVC_UPN, mail: SVC_MAIL, displayName: 'A4B service' });
  });

  test('$filter finds a user by mail, by UPN or by proxy address; other filters are refused', async () => {
    const admin = await as('admin');
    const find = async (f: string) => (await admin.get(`/users?$filter=${e(f)}`)).body.value.map((u: any) => u.userPrincipalName);
    expect(await find(`mail eq '${SVC_MAIL}'`)).toEqual([SVC_UPN]);
    expect(await find("proxyAddresses/any(x:x eq 'smtp:ALEXA@fabrikam.com')")).toEqual([SVC_UPN]);
    expect(await find("userPrincipalName eq 'alexa@fabrikam.com' or proxyAddresses/any(p:p eq 'smtp:alexa@fabrikam.com')")).toEqual([SVC_UPN]);
    expect(await find("mail eq 'douro@fabrikam.com'")).toEqual(['douro.room@fabrikam.onmicrosoft.com']);
    expect(await find("mail eq 'nobody@fabrikam.com'")).toEqual([]);
    expect(await admin.get(`/users?$filter=${e("startsWith(displayName,'A')")}`)).toMatchObject({ status: 400, body: { error: { code: 'Request_UnsupportedQuery' } } });
  });
});

describe('mailboxSettings: what a mailbox is', () => {
  test.each([
    [SVC_UPN, 'user'],
    ['alexa@fabrikam.com', 'user'], // a proxy address on an Exchange route
    ['tejo@fabrikam.com', 'room'],
    ['douro@fabrikam.com', 'room'], // not in places, still a room
    ['douro.room@fabrikam.onmicrosoft.com', 'room'],
    ['reception@fabrikam.com', 'shared'],
    ['projector@fabrikam.com', 'equipment'],
  ])('%s: userPurpose %s', async (mailbox, purpose) => {
    const res = await (await as('scoped')).get(`/users/${e(mailbox)}/mailboxSettings?$select=userPurpose`);
    expect(res.status).toBe(200);
    expect(res.body.userPurpose).toBe(purpose);
    expect(Object.keys(res.body).filter((k) => !k.startsWith('@odata'))).toEqual(['userPurpose']);
  });

  test('a user without a mailbox is 404 MailboxNotEnabledForRESTAPI; an unknown one 404 ErrorInvalidUser; without MailboxSettings.Read 403', async () => {
    const scoped = await as('scoped');
    expect(await scoped.get('/users/contractor%40fabrikam.onmicrosoft.com/mailboxSettings')).toMatchObject({ status: 404, body: { error: { code: 'MailboxNotEnabledForRESTAPI' } } });
    expect(await scoped.get('/users/ghost%40fabrikam.com/mailboxSettings')).toMatchObject({ status: 404, body: { error: { code: 'ErrorInvalidUser' } } });
    expect(await (await as('minimal')).get('/users/tejo%40fabrikam.com/mailboxSettings')).toMatchObject({ status: 403, body: { error: { code: 'ErrorAccessDenied' } } });
  });

  // One answer for every mailbox Graph cannot reach, with Graph's words; the account itself is still in the directory.
  test.each(['left@fabrikam.com', 'binned@fabrikam.com', 'hybrid@fabrikam.com', 'contractor@fabrikam.onmicrosoft.com'])('%s: mailbox routes answer 404 MailboxNotEnabledForRESTAPI', async (upn) => {
    const admin = await as('admin');
    const unreachable = { status: 404, body: { error: { code: 'MailboxNotEnabledForRESTAPI', message: 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.' } } };
    expect(await admin.get(`/users/${e(upn)}/mailboxSettings`)).toMatchObject(unreachable);
    expect(await admin.get(`/users/${e(upn)}/calendar/calendarPermissions`)).toMatchObject(unreachable);
    expect((await admin.get(`/users/${e(upn)}`)).status).toBe(200);
  });
});

describe('places: detail, not the truth about rooms', () => {
  test('rooms not (yet) in places are neither listed nor found; a room is found by its id or its address', async () => {
    const admin = await as('admin');
    const list = await admin.get('/places/microsoft.graph.room');
    expect(list.body.value.map((p: any) => p.emailAddress).sort()).toEqual(['mondego@fabrikam.com', 'tejo@fabrikam.com']);
    expect(await admin.get('/places/douro%40fabrikam.com')).toMatchObject({ status: 404, body: { error: { code: 'ErrorItemNotFound' } } });
    const tejo = await admin.get('/places/tejo%40fabrikam.com');
    expect(tejo.body).toMatchObject({ '@odata.type': '#microsoft.graph.room', emailAddress: 'tejo@fabrikam.com', displayName: 'Tejo' });
    expect((await admin.get(`/places/${tejo.body.id}`)).body.emailAddress).toBe('tejo@fabrikam.com');
  });

  test('a room list answers in places as #microsoft.graph.roomList, and lists its rooms that places knows', async () => {
    const admin = await as('admin');
    expect((await admin.get('/places/lisbon-rooms%40fabrikam.com')).body).toMatchObject({ '@odata.type': '#microsoft.graph.roomList', emailAddress: 'lisbon-rooms@fabrikam.com', displayName: 'Lisbon rooms' });
    expect((await admin.get('/places/microsoft.graph.roomlist')).body.value.map((l: any) => l['@odata.type'])).toEqual(['#microsoft.graph.roomList']);
    const rooms = await admin.get('/places/lisbon-rooms%40fabrikam.com/microsoft.graph.roomlist/rooms');
    expect(rooms.body.value.map((r: any) => r.emailAddress)).toEqual(['tejo@fabrikam.com']);
  });
});

describe('calendarPermissions', () => {
  test('the sharee is shown by its SMTP address, not its UPN, with the allowedRoles it was given', async () => {
    const perms = (await (await as('admin')).get('/users/tejo%40fabrikam.com/calendar/calendarPermissions')).body.value;
    expect(perms.find((p: any) => p.isRemovable)).toMatchObject({ role: 'write', emailAddress: { address: SVC_MAIL, name: 'A4B service' }, allowedRoles: ['freeBusyRead', 'limitedRead', 'read', 'write'] });
    expect(perms.some((p: any) => p.emailAddress.address?.toLowerCase() === SVC_UPN)).toBe(false);
  });

  test('a PATCH to a role outside allowedRoles is refused and changes nothing; one inside is applied', async () => {
    const admin = await as('admin');
    const perm = (await admin.get('/users/douro%40fabrikam.com/calendar/calendarPermissions')).body.value.find((p: any) => p.isRemovable);
    const url = `/users/douro%40fabrikam.com/calendar/calendarPermissions/${e(perm.id)}`;
    expect(await admin.send('PATCH', url, { role: 'write' })).toMatchObject({ status: 400, body: { error: { code: 'ErrorInvalidRequest' } } });
    expect(graph.permissions('douro@fabrikam.com').find((p) => p.id === perm.id)!.role).toBe('read');
    expect(await admin.send('PATCH', url, { role: 'limitedRead' })).toMatchObject({ status: 200, body: { role: 'limitedRead' } });
    // My Organization is offered none to write, never delegation (Graph's own example).
    const org = (await admin.get('/users/douro%40fabrikam.com/calendar/calendarPermissions')).body.value.find((p: any) => !p.isRemovable);
    expect(org.allowedRoles).toEqual(['none', 'freeBusyRead', 'limitedRead', 'read', 'write']);
    expect((await admin.send('PATCH', `/users/douro%40fabrikam.com/calendar/calendarPermissions/${e(org.id)}`, { role: 'delegateWithPrivateEventAccess' })).status).toBe(400);
  });

  test('a sharee added without allowedRoles gets what Graph lists for a user; custom is never offered', async () => {
    const admin = await as('admin');
    const added = await admin.send('POST', '/users/mondego%40fabrikam.com/calendar/calendarPermissions', { emailAddress: { address: 'reception@fabrikam.com' }, role: 'read' });
    // 200 OK, as api/calendar-post-calendarpermissions.md documents (not 201).
    expect(added).toMatchObject({ status: 200, body: { allowedRoles: ['freeBusyRead', 'limitedRead', 'read', 'write', 'delegateWithoutPrivateEventAccess', 'delegateWithPrivateEventAccess'] } });
    expect((await admin.send('PATCH', `/users/mondego%40fabrikam.com/calendar/calendarPermissions/${e(added.body.id)}`, { role: 'custom' })).status).toBe(400);
    expect((await admin.send('PATCH', `/users/mondego%40fabrikam.com/calendar/calendarPermissions/${e(added.body.id)}`, { role: 'delegateWithoutPrivateEventAccess' })).status).toBe(200);
  });

  test('a sharee outside the organization is offered read at most: write and delegation are refused', async () => {
    const admin = await as('admin');
    const url = '/users/mondego%40fabrikam.com/calendar/calendarPermissions';
    const refused = await admin.send('POST', url, { emailAddress: { address: 'partner@northwind.example' }, role: 'write' });
    expect(refused.status).toBe(400);
    const added = await admin.send('POST', url, { emailAddress: { address: 'partner@northwind.example' }, role: 'read' });
    expect(added).toMatchObject({ status: 200, body: { isInsideOrganization: false, allowedRoles: ['freeBusyRead', 'limitedRead', 'read'] } });
    expect((await admin.send('PATCH', `${url}/${e(added.body.id)}`, { role: 'delegateWithoutPrivateEventAccess' })).status).toBe(400);
    expect((await admin.send('DELETE', `${url}/${e(added.body.id)}`)).status).toBe(204);
  });

  test('a POST naming the sharee by another of its addresses is the same sharee: 409', async () => {
    const res = await (await as('admin')).send('POST', '/users/tejo%40fabrikam.com/calendar/calendarPermissions', { emailAddress: { address: 'alexa@fabrikam.com' }, role: 'write' });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'ErrorItemAlreadyExists' } } });
  });

  test('a group\'s permission is listed under the group\'s address; transitiveMemberOf finds the nested groups with their mail', async () => {
    const admin = await as('admin');
    const perms = (await admin.get('/users/mondego%40fabrikam.com/calendar/calendarPermissions')).body.value;
    expect(perms.find((p: any) => p.isRemovable)).toMatchObject({ role: 'write', emailAddress: { address: 'facilities@fabrikam.com', name: 'Facilities' } });
    const groups = (await admin.get(`/users/${e(SVC_UPN)}/transitiveMemberOf`)).body.value;
    expect(groups.map((g: any) => [g['@odata.type'], g.mail]).sort()).toEqual([['#microsoft.graph.group', 'av-team@fabrikam.com'], ['#microsoft.graph.group', 'facilities@fabrikam.com']]);
    expect((await admin.get('/users/tejo%40fabrikam.com/transitiveMemberOf')).body.value).toEqual([]);
    // With User.Read.All alone the groups come without their properties: no address to compare with.
    const limited = (await (await as('minimal')).get(`/users/${e(SVC_UPN)}/transitiveMemberOf`)).body.value;
    expect(limited.map((g: any) => [g['@odata.type'], g.mail, typeof g.id])).toEqual([['#microsoft.graph.group', null, 'string'], ['#microsoft.graph.group', null, 'string']]);
    expect(await (await as('bare')).get(`/users/${e(SVC_UPN)}/transitiveMemberOf`)).toMatchObject({ status: 403, body: { error: { code: 'Authorization_RequestDenied' } } });
  });
});

describe('transitiveMemberOf cast to groups is an advanced query', () => {
  function client(clientId: string) {
    const cred = credential(graph, clientId);
    return Client.initWithMiddleware({
      baseUrl: `${graph.url}/`, customHosts: new Set(['127.0.0.1']),
      middleware: [new AuthenticationHandler(new TokenCredentialAuthenticationProvider(cred, { scopes: ['https://graph.microsoft.com/.default'] })), new HttpsTransport(graph.caPem) as any],
    });
  }
  const cast = `/users/${e(SVC_UPN)}/transitiveMemberOf/microsoft.graph.group`;

  test('without ConsistencyLevel: eventual and $count=true it is 400 Request_UnsupportedQuery; with both, the groups and their count', async () => {
    const get = getter(client('admin'));
    expect(await get(`${cast}?$select=id,mail`)).toMatchObject({ status: 400, body: { error: { code: 'Request_UnsupportedQuery' } } });
    expect(await get(`${cast}?$count=true&$select=id,mail`)).toMatchObject({ status: 400, body: { error: { code: 'Request_UnsupportedQuery' } } });
    expect(await get(`${cast}?$select=id,mail`, { ConsistencyLevel: 'eventual' })).toMatchObject({ status: 400 });
    const ok = await get(`${cast}?$count=true&$select=id,mail`, { ConsistencyLevel: 'eventual' });
    expect(ok.status).toBe(200);
    expect(ok.body['@odata.count']).toBe(2);
    expect(ok.body.value.map((g: any) => g.mail).sort()).toEqual(['av-team@fabrikam.com', 'facilities@fabrikam.com']);
  });

  test('readAccount sends both and reads the nested groups', async () => {
    const account = await readAccount(SVC_MAIL, getter(client('admin')));
    expect(account.groupsAnswer?.status).toBe(200);
    expect([...new Set(account.groups)].sort()).toEqual(['av-team@fabrikam.com', 'facilities@fabrikam.com']);
  });
});

describe('Application Access Policies, and changes that take time to reach Graph', () => {
  const HOUR = 3600_000;
  let now = Date.UTC(2026, 11, 4, 9);
  let policed: GraphEmulator;
  beforeAll(async () => {
    policed = await GraphEmulator.start({
      clock: () => now,
      tenant: {
        ...TENANT,
        propagationDelaySeconds: 3600,
        groups: [...TENANT.groups!, { mail: 'a4b-rooms@fabrikam.com', members: ['tejo@fabrikam.com', 'douro@fabrikam.com'] }, { mail: 'boardroom@fabrikam.com', members: ['tejo@fabrikam.com'] }],
        apps: [
          { clientId: 'policed', clientSecret: 'policed-secret', roles: ['Calendars.Read', 'MailboxSettings.Read'], accessPolicies: [{ accessRight: 'RestrictAccess', group: 'a4b-rooms@fabrikam.com' }] },
          { clientId: 'basiccal', clientSecret: 'basiccal-secret', roles: ['Calendars.ReadBasic.All'], accessPolicies: [{ accessRight: 'RestrictAccess', group: 'a4b-rooms@fabrikam.com' }] },
          { clientId: 'late', clientSecret: 'late-secret', roles: ['User.Read.All'] },
        ],
      },
    });
  });
  afterAll(() => policed.stop());
  const get = (clientId: string) => getter(Client.initWithMiddleware({
    baseUrl: `${policed.url}/`, customHosts: new Set(['127.0.0.1']),
    middleware: [new AuthenticationHandler(new TokenCredentialAuthenticationProvider(credential(policed, clientId), { scopes: ['https://graph.microsoft.com/.default'] })), new HttpsTransport(policed.caPem) as any],
  }));
  const blocked = { status: 403, body: { error: { code: 'ErrorAccessDenied', message: 'Access to OData is disabled.' } } };
  const settings = (m: string) => `/users/${e(m)}/mailboxSettings`;
  const perms = (m: string) => `/users/${e(m)}/calendar/calendarPermissions`;

  test('RestrictAccess: tenant-wide grants reach the group\'s mailboxes only, 403 "Access to OData is disabled." elsewhere; Calendars.ReadBasic.All is not restricted', async () => {
    const app = get('policed');
    expect((await app(settings('tejo@fabrikam.com'))).status).toBe(200);
    expect(await app(settings('mondego@fabrikam.com'))).toMatchObject(blocked);
    expect(await app(perms('mondego@fabrikam.com'))).toMatchObject(blocked);
    expect((await get('basiccal')(perms('mondego@fabrikam.com'))).status).toBe(200);
  });

  test('a policy added or removed, and a scoped role granted, reach Graph after propagationDelaySeconds on the emulator\'s clock', async () => {
    const app = get('policed');
    policed.addAccessPolicy('policed', { accessRight: 'DenyAccess', group: 'boardroom@fabrikam.com' });
    policed.removeAccessPolicy('policed', 'a4b-rooms@fabrikam.com');
    policed.grantScopedRole('late', { role: 'MailboxSettings.Read', mailboxes: ['mondego@fabrikam.com'] });
    now += HOUR - 1000;
    expect((await app(settings('tejo@fabrikam.com'))).status).toBe(200);
    expect(await app(settings('mondego@fabrikam.com'))).toMatchObject(blocked);
    expect(await get('late')(settings('mondego@fabrikam.com'))).toMatchObject({ status: 403, body: { error: { code: 'ErrorAccessDenied' } } });
    now += 1000;
    expect(await app(settings('tejo@fabrikam.com'))).toMatchObject(blocked);
    expect((await app(settings('mondego@fabrikam.com'))).status).toBe(200);
    expect((await get('late')(settings('mondego@fabrikam.com'))).status).toBe(200);
  });

  test('a policy must name a group of the tenant and RestrictAccess or DenyAccess', () => {
    expect(() => policed.addAccessPolicy('policed', { accessRight: 'Allow', group: 'nobody@fabrikam.com' })).toThrow(/accessRight 'Allow' must be RestrictAccess or DenyAccess/);
    expect(() => policed.addAccessPolicy('policed', { accessRight: 'DenyAccess', group: 'tejo@fabrikam.com' })).toThrow(/group tejo@fabrikam.com is not a group of the tenant/);
  });
});

describe('RBAC for Applications: scoped roles', () => {
  test('never in the token; allowed on the scope\'s mailboxes (by any address), 403 ErrorAccessDenied on others', async () => {
    const token = (await credential(graph, 'scoped').getToken('https://graph.microsoft.com/.default'))!.token;
    const roles = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).roles;
    expect(roles).toEqual(['Place.Read.All', 'User.Read.All', 'MailboxSettings.Read']);
    const scoped = await as('scoped');
    expect((await scoped.get('/users/tejo%40fabrikam.com/calendar/calendarPermissions')).status).toBe(200);
    expect((await scoped.get('/users/douro.room%40fabrikam.onmicrosoft.com/calendar/calendarPermissions')).status).toBe(200);
    expect(await scoped.get('/users/mondego%40fabrikam.com/calendar/calendarPermissions')).toMatchObject({ status: 403, body: { error: { code: 'ErrorAccessDenied' } } });
    const perm = (await scoped.get('/users/tejo%40fabrikam.com/calendar/calendarPermissions')).body.value.find((p: any) => p.isRemovable);
    expect((await scoped.send('PATCH', `/users/tejo%40fabrikam.com/calendar/calendarPermissions/${e(perm.id)}`, { role: 'write' })).status).toBe(200);
    // An app with neither a tenant-wide nor a scoped grant is refused everywhere.
    expect((await (await as('minimal')).get('/users/tejo%40fabrikam.com/calendar/calendarPermissions')).status).toBe(403);
  });
});

describe('consents on Office 365 Exchange Online', () => {
  test('appRoleAssignments name the resource each role is held on; Exchange Online\'s service principal lists its roles', async () => {
    const admin = await as('admin');
    const exchange = (await admin.get(`/servicePrincipals(appId='${EXCHANGE_APP_ID}')`)).body;
    expect(exchange.displayName).toBe('Office 365 Exchange Online');
    const assignments = async (appId: string) => {
      const sp = (await admin.get(`/servicePrincipals(appId='${appId}')`)).body;
      return (await admin.get(`/servicePrincipals/${sp.id}/appRoleAssignments`)).body.value;
    };
    const [onExchange] = await assignments('a4b-exchange');
    expect(onExchange).toMatchObject({ resourceId: exchange.id, resourceDisplayName: 'Office 365 Exchange Online' });
    expect(exchange.appRoles.find((r: any) => r.id === onExchange.appRoleId).value).toBe('Calendars.ReadWrite.All');
    // Exchange Online's names, not Graph's: it has no Calendars.ReadWrite, and a consent naming it is refused.
    expect(exchange.appRoles.map((r: any) => r.value)).toEqual(expect.arrayContaining(['Calendars.ReadWrite.All', 'Calendars.Read', 'full_access_as_app']));
    expect(exchange.appRoles.map((r: any) => r.value)).not.toContain('Calendars.ReadWrite');
    expect(() => graph.grantConsent({ applicationId: 'late', roles: ['Calendars.ReadWrite'], resource: 'exchange' })).toThrow("consent.roles: Office 365 Exchange Online has no application permission 'Calendars.ReadWrite'; its calendar permission is Calendars.ReadWrite.All");
    expect((await assignments('a4b-graph')).map((a: any) => a.resourceDisplayName)).toEqual(['Microsoft Graph']);
  });
});

describe('$batch applies all of it per item', () => {
  test('mailbox purpose, missing mailbox, places omission, scope refusal and room lists, each item on its own', async () => {
    const scoped = await as('scoped');
    const res = await scoped.send('POST', '/$batch', {
      requests: [
        { id: '1', method: 'GET', url: '/users/douro%40fabrikam.com/mailboxSettings?$select=userPurpose' },
        { id: '2', method: 'GET', url: '/users/contractor%40fabrikam.onmicrosoft.com/mailboxSettings' },
        { id: '3', method: 'GET', url: '/places/douro%40fabrikam.com' },
        { id: '4', method: 'GET', url: '/users/mondego%40fabrikam.com/calendar/calendarPermissions' },
        { id: '5', method: 'GET', url: '/users/tejo%40fabrikam.com/calendar/calendarPermissions' },
        { id: '6', method: 'GET', url: '/places/lisbon-rooms%40fabrikam.com' },
      ],
    });
    const byId = Object.fromEntries(res.body.responses.map((r: any) => [r.id, r]));
    expect(byId['1']).toMatchObject({ status: 200, body: { userPurpose: 'room' } });
    expect(byId['2']).toMatchObject({ status: 404, body: { error: { code: 'MailboxNotEnabledForRESTAPI' } } });
    expect(byId['3'].status).toBe(404);
    expect(byId['4']).toMatchObject({ status: 403, body: { error: { code: 'ErrorAccessDenied' } } });
    expect(byId['5'].status).toBe(200);
    expect(byId['6'].body['@odata.type']).toBe('#microsoft.graph.roomList');
  });
});

describe('$batch as json-batching.md documents it', () => {
  test('ids are unique, case aside, or the whole batch is 400; a request without an id too', async () => {
    const admin = await as('admin');
    const dup = await admin.send('POST', '/$batch', { requests: [
      { id: 'a', method: 'GET', url: '/users/douro%40fabrikam.com/mailboxSettings' },
      { id: 'A', method: 'GET', url: '/users/tejo%40fabrikam.com/mailboxSettings' },
    ] });
    expect(dup).toMatchObject({ status: 400, body: { error: { code: 'BadRequest' } } });
    expect(dup.body).not.toHaveProperty('responses');
    expect((await admin.send('POST', '/$batch', { requests: [{ method: 'GET', url: '/users' }] })).status).toBe(400);
  });

  test('dependsOn: a request whose dependency failed is 424 and is not run; one on a later or unknown id is refused', async () => {
    const admin = await as('admin');
    const res = await admin.send('POST', '/$batch', { requests: [
      { id: '1', method: 'GET', url: '/users/nobody%40fabrikam.com' },
      { id: '2', dependsOn: ['1'], method: 'GET', url: '/users/douro%40fabrikam.com/mailboxSettings' },
      { id: '3', method: 'GET', url: '/users/tejo%40fabrikam.com/mailboxSettings' },
      { id: '4', dependsOn: ['3'], method: 'GET', url: '/users/douro%40fabrikam.com/mailboxSettings?$select=userPurpose' },
      { id: '5', dependsOn: ['6'], method: 'GET', url: '/users/douro%40fabrikam.com/mailboxSettings' },
      { id: '6', method: 'GET', url: '/users/douro%40fabrikam.com/mailboxSettings' },
    ] });
    const byId = Object.fromEntries(res.body.responses.map((r: any) => [r.id, r.status]));
    expect(byId).toEqual({ 1: 404, 2: 424, 3: 200, 4: 200, 5: 400, 6: 200 });
    expect((await admin.send('POST', '/$batch', { requests: [{ id: '1', dependsOn: ['9'], method: 'GET', url: '/users' }] })).status).toBe(400);
  });
});

describe('paging', () => {
  test('/users pages by an opaque $skiptoken that the nextLink carries; $skip is refused, as user-list.md says it is not supported', async () => {
    const admin = await as('admin');
    const first = await admin.get('/users?$top=2&$select=userPrincipalName');
    const next: string = first.body['@odata.nextLink'];
    expect(next).toMatch(/[?&]\$skiptoken=[^&]+/);
    expect(next).not.toMatch(/\$skip=/);
    const all: string[] = first.body.value.map((u: any) => u.userPrincipalName);
    for (let link: string | undefined = next; link;) {
      const page = await admin.get(link.slice(link.indexOf('/v1.0') + 5));
      expect(page.status).toBe(200);
      all.push(...page.body.value.map((u: any) => u.userPrincipalName));
      link = page.body['@odata.nextLink'];
    }
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe((await admin.get('/users?$top=999&$select=userPrincipalName')).body.value.length);
    expect(await admin.get('/users?$top=2&$skip=2')).toMatchObject({ status: 400, body: { error: { code: 'Request_BadRequest' } } });
    expect((await admin.get('/users?$top=2&$skiptoken=not-a-token')).status).toBe(400);
  });
});

describe('opaque tokens', () => {
  test('the token endpoint returns an access token that is not a JWT; @azure/identity and the Graph client use it; a forged one is 401', async () => {
    const opaque = await GraphEmulator.start({ tenant: { ...TENANT, opaqueTokens: true } });
    try {
      const cred = credential(opaque, 'admin');
      const token = (await cred.getToken('https://graph.microsoft.com/.default'))!.token;
      expect(token).not.toContain('.');
      expect(() => JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))).toThrow();
      const client = Client.initWithMiddleware({
        baseUrl: `${opaque.url}/`, customHosts: new Set(['127.0.0.1']),
        middleware: [new AuthenticationHandler(new TokenCredentialAuthenticationProvider(cred, { scopes: ['https://graph.microsoft.com/.default'] })), new HttpsTransport(opaque.caPem) as any],
      });
      expect((await client.api(`/users/${e(SVC_UPN)}`).get()).mail).toBe(SVC_MAIL);
      const forged = `${token.slice(0, -4)}AAAA`;
      expect(await request(opaque, 'GET', `/v1.0/users/${e(SVC_UPN)}`, forged)).toMatchObject({ status: 401, body: { error: { code: 'InvalidAuthenticationToken' } } });
    } finally {
      await opaque.stop();
    }
  });
});

describe('the tenant changing under a running client', () => {
  test('a consent given later is in new tokens only; a scoped role added later applies to the token already held; a room reaches places', async () => {
    const g = await GraphEmulator.start({ tenant: TENANT });
    try {
      const admin = (route: string, body: unknown) => new Promise<number>((resolve, reject) => {
        const req = https.request(`${g.url}/_emulator/${route}`, { method: 'POST', ca: g.caPem, headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        });
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });
      // A credential caches its token: a new credential is a fresh token.
      const token = async () => (await credential(g, 'minimal').getToken('https://graph.microsoft.com/.default'))!.token;
      const old = await token();
      expect(await admin('consents', { applicationId: 'minimal', roles: ['Place.Read.All'] })).toBe(200);
      expect((await request(g, 'GET', '/v1.0/places/microsoft.graph.room', old)).status).toBe(403);
      const fresh = await token();
      expect((await request(g, 'GET', '/v1.0/places/microsoft.graph.room', fresh)).status).toBe(200);

      expect((await request(g, 'GET', '/v1.0/users/mondego%40fabrikam.com/calendar/calendarPermissions', old)).status).toBe(403);
      expect(await admin('scoped-roles', { clientId: 'minimal', role: 'Calendars.Read', mailboxes: ['mondego@fabrikam.com'] })).toBe(200);
      expect((await request(g, 'GET', '/v1.0/users/mondego%40fabrikam.com/calendar/calendarPermissions', old)).status).toBe(200);
      expect((await request(g, 'GET', '/v1.0/users/tejo%40fabrikam.com/calendar/calendarPermissions', old)).status).toBe(403);
      expect(await admin('scoped-roles', { clientId: 'minimal', role: 'Calendars.Read', mailboxes: ['ghost@fabrikam.com'] })).toBe(400);

      expect((await request(g, 'GET', '/v1.0/places/douro%40fabrikam.com', fresh)).status).toBe(404);
      expect(await admin('places', { mailbox: 'douro.room@fabrikam.onmicrosoft.com' })).toBe(200);
      expect((await request(g, 'GET', '/v1.0/places/douro%40fabrikam.com', fresh)).body.displayName).toBe('Douro');
      expect(await admin('places', { mailbox: SVC_MAIL })).toBe(400);
    } finally {
      await g.stop();
    }
  });
});

describe('persistence and the tenant file', () => {
  test('groups, room lists, places omission and scopes survive a restart from the state directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-tenant-'));
    try {
      const first = await GraphEmulator.start({ stateDir: dir, tenant: TENANT });
      await first.stop();
      const again = await GraphEmulator.start({ stateDir: dir });
      try {
        const token = (await credential(again, 'scoped').getToken('https://graph.microsoft.com/.default'))!.token;
        expect((await request(again, 'GET', '/v1.0/places/douro%40fabrikam.com', token)).status).toBe(404);
        expect((await request(again, 'GET', '/v1.0/places/lisbon-rooms%40fabrikam.com', token)).body['@odata.type']).toBe('#microsoft.graph.roomList');
        expect((await request(again, 'GET', '/v1.0/users/mondego%40fabrikam.com/calendar/calendarPermissions', token)).status).toBe(403);
        expect((await request(again, 'GET', '/v1.0/users/tejo%40fabrikam.com/calendar/calendarPermissions', token)).body.value[1].emailAddress.address).toBe(SVC_MAIL);
      } finally {
        await again.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a bad tenant file names every problem, and the state is left without a tenant', async () => {
    const bad: TenantFile = {
      tenantId: 'fabrikam.onmicrosoft.com',
      users: [{ upn: 'a@fabrikam.com', proxyAddresses: ['x500:/o=Fabrikam'] }, { upn: 'b@fabrikam.com', mail: 'a@fabrikam.com', purpose: 'room' }],
      rooms: [{ mailbox: 'tejo@fabrikam.com' }],
      roomLists: [{ mailbox: 'list@fabrikam.com', rooms: ['a@fabrikam.com'] }],
      groups: [{ mail: 'g@fabrikam.com', members: ['stranger@contoso.com'] }],
      apps: [{ clientId: 'app', scopedRoles: [{ role: 'Calendars.ReadWrite', mailboxes: ['g@fabrikam.com'] }] }],
      consents: [{ applicationId: 'a4b', resource: 'ews' }, { applicationId: 'a4b-x', resource: 'exchange', roles: ['Calendars.ReadWrite'] }],
      calendarPermissions: [{ mailbox: 'nowhere@fabrikam.com', user: 'a@fabrikam.com', role: 'owner' }],
    };
    const problems = tenantProblems(bad);
    expect(problems).toEqual([
      "users[0] (a@fabrikam.com): proxy address 'x500:/o=Fabrikam' is not an SMTP address; write it as smtp:alias@domain",
      "users[1] (b@fabrikam.com).purpose: 'room' must be one of user, linked, shared, equipment, others (rooms go under rooms:)",
      "users[1] (b@fabrikam.com): address a@fabrikam.com is already users[0] (a@fabrikam.com)'s; give each recipient its own addresses",
      'roomLists[0] (list@fabrikam.com).rooms: a@fabrikam.com is not a room of the tenant; add it under rooms:, or remove it from the list',
      'groups[0] (g@fabrikam.com).members: stranger@contoso.com is not a user, room or group of the tenant; add it, or remove it from members',
      'apps[0] (app).scopedRoles Calendars.ReadWrite: g@fabrikam.com is not a user or room mailbox of the tenant',
      "consents[0] (a4b).resource: 'ews' must be graph (Microsoft Graph) or exchange (Office 365 Exchange Online)",
      "consents[1] (a4b-x).roles: Office 365 Exchange Online has no application permission 'Calendars.ReadWrite'; its calendar permission is Calendars.ReadWrite.All (it has Calendars.ReadWrite.All, Calendars.Read, full_access_as_app, Exchange.ManageAsApp)",
      "calendarPermissions[0] (nowhere@fabrikam.com, a@fabrikam.com).role: 'owner' must be one of none, freeBusyRead, limitedRead, read, write, delegateWithoutPrivateEventAccess, delegateWithPrivateEventAccess, custom",
      'calendarPermissions[0] (nowhere@fabrikam.com, a@fabrikam.com).mailbox: nowhere@fabrikam.com is not a user or room mailbox of the tenant',
    ]);
    const empty = await GraphEmulator.start();
    try {
      expect(() => empty.seed(bad)).toThrow(/^tenant file: 10 problems:\n- users\[0\]/);
      expect(empty.hasTenant).toBe(false);
      empty.seed(TENANT);
      expect(empty.tenantId).toBe('fabrikam.onmicrosoft.com');
    } finally {
      await empty.stop();
    }
  });
});

describe('tenant model rules', () => {
  test.each([
    ['a misspelt key', { tenantId: 't', rooms: [{ mailbox: 'a@x.com', inPlace: false }] }, 'rooms[0].inPlace: unknown key; the keys are mailbox, upn, displayName, proxyAddresses, inPlaces, accountEnabled, calendarProcessing, mailboxState, workingHours'],
    ['an unknown top-level key', { tenantId: 't', room: [] }, 'tenant file.room: unknown key; the keys are tenantId, domains, opaqueTokens, propagationDelaySeconds, apps, users, rooms, roomLists, groups, calendarPermissions, consents'],
    ['a list given as one value', { tenantId: 't', users: [{ upn: 'a@x.com', proxyAddresses: 'smtp:b@x.com' }] }, 'users[0].proxyAddresses: must be a list'],
    ['a top-level list given as a mapping', { tenantId: 't', groups: { mail: 'g@x.com' } }, 'tenant file.groups: must be a list'],
    ['an entry that is not a mapping', { tenantId: 't', rooms: ['a@x.com'] }, 'rooms[0]: must be a mapping'],
    ['an unknown mailbox state', { tenantId: 't', users: [{ upn: 'a@x.com', mailboxState: 'deleted' }] }, "users[0] (a@x.com).mailboxState: 'deleted' must be one of active, inactive, softDeleted, onPremises"],
    ['a mailbox state without a mailbox', { tenantId: 't', users: [{ upn: 'a@x.com', mailbox: false, mailboxState: 'inactive' }] }, 'users[0] (a@x.com).mailboxState: a user without a mailbox (mailbox: false) has no mailbox state; drop one of them'],
  ])('tenantProblems: %s', (_name, file, problem) => {
    expect(tenantProblems(file as any)).toEqual([problem]);
  });

  test.each([
    ['mail only', 'a@x.com', undefined, { mail: 'a@x.com', proxyAddresses: ['SMTP:a@x.com'] }],
    ['aliases, bare or smtp:', 'a@x.com', ['smtp:b@x.com', 'c@x.com'], { mail: 'a@x.com', proxyAddresses: ['SMTP:a@x.com', 'smtp:b@x.com', 'smtp:c@x.com'] }],
    ['primary from SMTP:', undefined, ['smtp:b@x.com', 'SMTP:a@x.com'], { mail: 'a@x.com', proxyAddresses: ['SMTP:a@x.com', 'smtp:b@x.com'] }],
    ['the primary repeated as an alias', 'a@x.com', ['smtp:A@x.com'], { mail: 'a@x.com', proxyAddresses: ['SMTP:a@x.com'] }],
    ['no mailbox, no mail', undefined, undefined, { mail: undefined, proxyAddresses: [] }],
  ])('recipientAddresses: %s', (_name, primary, proxies, expected) => {
    expect(recipientAddresses('u', primary, proxies)).toEqual(expected);
  });

  test('recipientAddresses refuses two primaries and a primary that is not the mail', () => {
    expect(() => recipientAddresses('u', undefined, ['SMTP:a@x.com', 'SMTP:b@x.com'])).toThrow(/two primary addresses/);
    expect(() => recipientAddresses('u', 'a@x.com', ['SMTP:b@x.com'])).toThrow(/is not its mail a@x.com/);
  });

  test.each([
    ["mail eq 'a@x.com'", [{ property: 'mail', value: 'a@x.com' }]],
    ["userPrincipalName eq 'o''brien@x.com'", [{ property: 'userPrincipalName', value: "o'brien@x.com" }]],
    ["(mail eq 'a@x.com') or proxyAddresses/any(x:x eq 'smtp:a@x.com')", [{ property: 'mail', value: 'a@x.com' }, { property: 'proxyAddresses', value: 'smtp:a@x.com' }]],
  ])('parseUserFilter: %s', (filter, terms) => {
    expect(parseUserFilter(filter)).toEqual(terms);
  });

  test.each(["displayName eq 'A'", "mail ne 'a@x.com'", "proxyAddresses/any(x:y eq 'smtp:a@x.com')"])('parseUserFilter refuses %s', (filter) => {
    expect(() => parseUserFilter(filter)).toThrow(/Unsupported or invalid query filter/);
  });

  test('transitiveGroups follows nesting and stops on cycles', () => {
    const groups = [{ mail: 'g1@x.com', members: ['u@x.com'] }, { mail: 'g2@x.com', members: ['g1@x.com', 'g3@x.com'] }, { mail: 'g3@x.com', members: ['g2@x.com'] }, { mail: 'g4@x.com', members: ['v@x.com'] }];
    const found = transitiveGroups(['u@x.com'], (a) => groups.filter((g) => g.members.includes(a)));
    expect(found.map((g) => g.mail)).toEqual(['g1@x.com', 'g2@x.com', 'g3@x.com']);
  });
});
