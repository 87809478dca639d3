// The bundled calendar link and A4B handlers, run by the local deploy engine against the Graph/Entra emulator
// and the A4B emulator with the real @azure/identity and Graph client: each failing case must leave A4B untouched.
import * as fs from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CalendarLinkMethod, CalendarRole, ConsentResource, Office365CalendarLink, Office365CalendarLinkProps, Room, RoomProfile } from '../../lib';
import { A4bEmulator } from '../../lib/local/a4b-emulator';
import { DeployEngine, staticProperties, StackDeployResult } from '../../lib/local/deploy-engine';
import { GraphEmulator, TenantFile } from '../../lib/local/graph-emulator';
import { localProviderEnv } from '../../lib/local/local-deploy';
import { A4B_PROVIDER_BUNDLE, CALENDAR_LINK_BUNDLE, LocalLambda } from '../../lib/local/local-lambda';
import { Template } from '../../lib/local/template';
import { tempDir, writesIn } from '../helpers';

const TENANT = 'contoso.onmicrosoft.com';
const SA = 'alexaforbusiness@contoso.onmicrosoft.com';
const A4B_APP = '0d9bd8c6-1b27-4b60-a52e-4c1e2f3e8b11';
const APP = { clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'local-test-secret-9f8e7d' };
const ALL_ROLES = ['Place.Read.All', 'User.Read.All', 'MailboxSettings.Read', 'GroupMember.Read.All', 'Calendars.ReadWrite', 'Application.Read.All'];
const mailbox = (n: string) => `${n.toLowerCase()}@contoso.onmicrosoft.com`;

function tenantWith(rooms: string[], perms: Array<[string, string, string]> = rooms.map((r) => [r, SA, 'write']), extra: Partial<TenantFile> = {}): TenantFile {
  return {
    tenantId: TENANT,
    apps: [{ ...APP, roles: ALL_ROLES }],
    users: [{ upn: SA }, { upn: 'jane@contoso.onmicrosoft.com' }],
    rooms: rooms.map((r) => ({ mailbox: mailbox(r), displayName: r })),
    calendarPermissions: perms.map(([room, user, role]) => ({ mailbox: mailbox(room), user, role })),
    ...extra,
  };
}

function appTemplate(rooms: string[], link: Partial<Office365CalendarLinkProps> = {}): Template {
  const app = new App();
  const stack = new Stack(app, 'Rooms');
  new Office365CalendarLink(stack, 'Link', {
    tenant: TENANT, method: CalendarLinkMethod.delegate({ serviceAccount: SA }),
    credentials: secretsmanager.Secret.fromSecretNameV2(stack, 'Creds', 'a4b/graph'), ...link,
  });
  const profile = new RoomProfile(stack, 'Profile', { roomProfileName: 'Std', address: '1 Main St', timezone: 'UTC' });
  for (const r of rooms) new Room(stack, r, { roomName: r, mailbox: mailbox(r), profile });
  return app.synth().getStackByName('Rooms').template;
}

class LinkWorld {
  static async start(tenant: TenantFile, secret: object = APP, extraEnv: Record<string, string> = {}): Promise<LinkWorld> {
    const dir = tempDir();
    const graph = await GraphEmulator.start({ stateDir: dir, tenant });
    const a4b = await A4bEmulator.start({ stateDir: dir });
    const env = { ...localProviderEnv({ a4b: a4b.endpoint, secretsManager: a4b.endpoint, graph: graph.url, authority: graph.url, ca: graph.tls.caFile! }), GRAPH_MAX_RETRY_WAIT_SECONDS: '0', A4B_MAX_ATTEMPTS: '2', ...extraEnv };
    const log = fs.createWriteStream('/dev/null');
    const a4bLambda = await LocalLambda.start(A4B_PROVIDER_BUNDLE, { env, log });
    const linkLambda = await LocalLambda.start(CALENDAR_LINK_BUNDLE, { env, log });
    return new LinkWorld(dir, graph, a4b, [a4bLambda, linkLambda], secret);
  }

  readonly engine: DeployEngine;

  private constructor(
    dir: string, readonly graph: GraphEmulator, readonly a4b: A4bEmulator, private readonly lambdas: LocalLambda[], private readonly secret: object,
  ) {
    const [a4bLambda, linkLambda] = lambdas;
    this.engine = new DeployEngine({
      stateDir: dir, concurrency: 4,
      lambdas: { 'Custom::A4BRoom': a4bLambda, 'Custom::A4BRoomProfile': a4bLambda, 'Custom::A4BSkillGroup': a4bLambda, 'Custom::A4BCalendarLink': linkLambda },
    });
  }

  async deploy(template: Template): Promise<StackDeployResult> {
    const linkId = Object.keys(template.Resources!).find((id) => template.Resources![id].Type === 'Custom::A4BCalendarLink')!;
    const secretId = String(staticProperties('Rooms', template, linkId).CredentialsSecretArn);
    if (!this.a4b.hasSecret(secretId)) this.a4b.putSecret(secretId, JSON.stringify(this.secret));
    return this.engine.deployStack('Rooms', template);
  }

  rooms(): string[] {
    return this.a4b.rooms().map((r) => r.RoomName).sort();
  }

  async stop(): Promise<void> {
    for (const l of this.lambdas) await l.stop();
    await this.a4b.stop();
    await this.graph.stop();
  }
}

let w: LinkWorld | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

async function failsWithoutA4bWrite(result: StackDeployResult): Promise<string> {
  expect(result.ok).toBe(false);
  expect(w!.a4b.rooms()).toHaveLength(0);
  expect(writesIn(w!.a4b).filter((op) => !op.startsWith('Delete'))).toEqual([]);
  return result.error!;
}

describe('delegate method', () => {
  test('valid tenant: the link validates, then the rooms are created', async () => {
    w = await LinkWorld.start(tenantWith(['Spree', 'Havel', 'Tegel']));
    const result = await w.deploy(appTemplate(['Spree', 'Havel', 'Tegel']));
    expect(result.error).toBeUndefined();
    expect(w.rooms()).toEqual(['Havel', 'Spree', 'Tegel']);
    const order = result.outcomes.map((o) => o.type);
    expect(order[0]).toBe('Custom::A4BCalendarLink');
  });

  test('a missing mailbox and a user mailbox fail the deploy with one message for both, and nothing reaches A4B', async () => {
    w = await LinkWorld.start(tenantWith(['Spree']));
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree', 'Ghost', 'Jane'])));
    expect(error).toContain('2 of 3 rooms failed validation; nothing was changed in A4B or Exchange');
    expect(error).toContain("room 'Ghost' (ghost@contoso.onmicrosoft.com): there is no mailbox with this address in tenant contoso.onmicrosoft.com (not a user's UPN, primary SMTP or proxy address). Fix: create the room mailbox (New-Mailbox -Room), or correct the address");
    expect(error).toContain("room 'Jane' (jane@contoso.onmicrosoft.com): this is a user mailbox (userPurpose user), not a room mailbox");
    expect(error).toContain('Set-Mailbox jane@contoso.onmicrosoft.com -Type Room');
  });

  test('a room whose calendar the service account cannot write fails with the Exchange command that fixes it', async () => {
    w = await LinkWorld.start(tenantWith(['Spree', 'Havel'], [['Spree', SA, 'write'], ['Havel', SA, 'read']]));
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree', 'Havel'])));
    expect(error).toContain(`room 'Havel' (havel@contoso.onmicrosoft.com): the service account ${SA} has only 'read' on the room's calendar, and A4B needs Editor. Fix: Set-MailboxFolderPermission havel@contoso.onmicrosoft.com:\\Calendar -User ${SA} -AccessRights Editor (or set grantMissingPermissions)`);
    expect(error).not.toContain("'Spree'");
  });

  test('no permission at all: the seed\'s Add-MailboxFolderPermission command', async () => {
    w = await LinkWorld.start(tenantWith(['Spree'], []));
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree'])));
    expect(error).toContain(`has no permission on the room's calendar, and A4B needs Editor. Fix: Add-MailboxFolderPermission spree@contoso.onmicrosoft.com:\\Calendar -User ${SA} -AccessRights Editor`);
  });

  test('grantMissingPermissions adds or raises the service account to write, and leaves every other permission as it was', async () => {
    w = await LinkWorld.start(tenantWith(['Spree', 'Havel', 'Tegel'], [['Spree', SA, 'write'], ['Havel', SA, 'read'], ['Havel', 'jane@contoso.onmicrosoft.com', 'read']]));
    const before = w.graph.permissions(mailbox('Havel')).filter((p) => p.address !== SA);
    const result = await w.deploy(appTemplate(['Spree', 'Havel', 'Tegel'], { grantMissingPermissions: true }));
    expect(result.error).toBeUndefined();
    for (const room of ['Spree', 'Havel', 'Tegel']) {
      expect(w.graph.permissions(mailbox(room)).find((p) => p.address === SA)?.role).toBe('write');
    }
    expect(w.graph.permissions(mailbox('Havel')).filter((p) => p.address !== SA)).toEqual(before);
    expect(w.graph.requests.filter((r) => r.batchItem && r.method !== 'GET').map((r) => r.method).sort()).toEqual(['PATCH', 'POST']);
    expect(w.rooms()).toEqual(['Havel', 'Spree', 'Tegel']);
  });

  // A 429 inside a $batch that Exchange applied anyway: the retry meets the permission the first attempt made.
  test('grantMissingPermissions: a grant answered 429 but applied, then refused as existing on retry, counts once the calendar shows it', async () => {
    w = await LinkWorld.start(tenantWith(['Spree', 'Havel'], [['Spree', SA, 'write']]));
    w.graph.injectFault({ match: 'POST /users/', scope: 'item', status: 429, retryAfterSeconds: 0, count: 1, applied: true });
    const result = await w.deploy(appTemplate(['Spree', 'Havel'], { grantMissingPermissions: true }));
    expect(result.error).toBeUndefined();
    expect(w.graph.permissions(mailbox('Havel')).filter((p) => p.address === SA).map((p) => p.role)).toEqual(['write']);
    // The first attempt (429, applied), the retry (refused: it exists), then the calendar read again.
    expect(w.graph.requests.filter((r) => r.batchItem && r.method === 'POST').map((r) => r.status)).toEqual([429, 409]);
    expect(w.rooms()).toEqual(['Havel', 'Spree']);
  });

  test('grantMissingPermissions: a grant that fails and is not in place still fails the deploy', async () => {
    w = await LinkWorld.start(tenantWith(['Spree'], []));
    w.graph.injectFault({ match: 'POST /users/', scope: 'item', status: 400, code: 'ErrorInvalidRequest', message: 'The request is invalid.' });
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree'], { grantMissingPermissions: true })));
    expect(error).toContain('granting write access failed for 1 room');
    expect(error).toContain('Graph answered 400 ErrorInvalidRequest: The request is invalid.');
  });

  test('grantMissingPermissions grants nothing while another room is wrong', async () => {
    w = await LinkWorld.start(tenantWith(['Spree'], []));
    await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree', 'Ghost'], { grantMissingPermissions: true })));
    expect(w.graph.permissions(mailbox('Spree')).find((p) => p.address === SA)).toBeUndefined();
  });

  test.each([
    ['delegateWithPrivateEventAccess is accepted by default', 'delegateWithPrivateEventAccess', undefined, true],
    ['delegateWithoutPrivateEventAccess is accepted by default', 'delegateWithoutPrivateEventAccess', undefined, true],
    ['custom is not accepted by default', 'custom', undefined, false],
    ['custom is accepted when the link says so', 'custom', [CalendarRole.WRITE, CalendarRole.CUSTOM], true],
    ['write is refused when the link accepts only delegate roles', 'write', [CalendarRole.DELEGATE_WITH_PRIVATE_EVENT_ACCESS], false],
  ])('%s', async (_, role, acceptedRoles, ok) => {
    w = await LinkWorld.start(tenantWith(['Spree'], [['Spree', SA, role]]));
    const result = await w.deploy(appTemplate(['Spree'], { acceptedRoles }));
    expect(result.ok).toBe(ok);
    if (!ok) expect(result.error).toMatch(new RegExp(`the service account has role '${role}'.* on the calendar, which is not an accepted role`));
    expect(w.rooms()).toEqual(ok ? ['Spree'] : []);
  });

  test('a service account that does not exist fails before any room is looked at', async () => {
    w = await LinkWorld.start(tenantWith(['Spree'], [], { users: [] }));
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree'])));
    expect(error).toContain(`the service account ${SA} does not exist in tenant ${TENANT}`);
    expect(w.graph.requests.filter((r) => r.path === '/$batch')).toHaveLength(0);
  });
});

describe('application method', () => {
  const template = () => appTemplate(['Spree'], { method: CalendarLinkMethod.application({ applicationId: A4B_APP }) });

  test('with the admin consent in place the rooms are created', async () => {
    w = await LinkWorld.start(tenantWith(['Spree'], [], { consents: [{ applicationId: A4B_APP, roles: ['Calendars.ReadWrite'] }] }));
    const result = await w.deploy(template());
    expect(result.error).toBeUndefined();
    expect(w.rooms()).toEqual(['Spree']);
  });

  test('an app with only Calendars.Read is not consented for A4B', async () => {
    w = await LinkWorld.start(tenantWith(['Spree'], [], { consents: [{ applicationId: A4B_APP, roles: ['Calendars.Read'] }] }));
    const error = await failsWithoutA4bWrite(await w.deploy(template()));
    expect(error).toContain(`application ${A4B_APP} holds neither application permission Calendars.ReadWrite on Microsoft Graph or Calendars.ReadWrite.All on Office 365 Exchange Online in tenant ${TENANT} (it holds Microsoft Graph Calendars.Read)`);
    expect(error).toContain('Application permissions > Link account, sign in as a Global Administrator');
  });

  test('an app nobody consented to has no service principal', async () => {
    w = await LinkWorld.start(tenantWith(['Spree']));
    const error = await failsWithoutA4bWrite(await w.deploy(template()));
    expect(error).toContain(`application ${A4B_APP} has no service principal in tenant ${TENANT}, so nobody has consented to it`);
  });
});

describe('credentials and permissions of the validating app', () => {
  test('missing Graph application permissions are named, with the admin-consent step', async () => {
    w = await LinkWorld.start({ ...tenantWith(['Spree']), apps: [{ ...APP, roles: ['User.Read.All'] }] });
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree'], { grantMissingPermissions: true })));
    // Decided from Graph's 403 answers; the token's roles only word the message (one message for the app, not one per room).
    expect(error).toContain(`the Graph app ${APP.clientId} lacks application permissions: MailboxSettings.Read or MailboxSettings.ReadWrite (to check that each mailbox is a room`);
    expect(error).toContain("Calendars.ReadBasic.All or Calendars.Read or Calendars.ReadWrite (to read room calendars' permissions)");
    expect(error).toContain('"Grant admin consent"');
    expect(error).not.toContain("room 'Spree'");
    expect(w.graph.requests.filter((r) => r.method !== 'GET' && r.path !== '/token' && r.path !== '/$batch')).toHaveLength(0);
  });

  test('an invalid client secret is named as such, and the secret never appears', async () => {
    w = await LinkWorld.start(tenantWith(['Spree']), { clientId: APP.clientId, clientSecret: 'wrong-secret-value-123' });
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree'])));
    expect(error).toContain(`Entra ID refused the client secret of app ${APP.clientId} (AADSTS7000215`);
    expect(error).toContain('store it in arn:aws:secretsmanager:us-east-1:123456789012:secret:a4b/graph');
    expect(error).not.toContain('wrong-secret-value-123');
    expect(error).not.toContain(APP.clientSecret);
  });

  test('an unknown tenant is named as such', async () => {
    w = await LinkWorld.start(tenantWith(['Spree']));
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree'], { tenant: 'fabrikam.onmicrosoft.com' })));
    expect(error).toContain('unknown tenant fabrikam.onmicrosoft.com');
  });

  test('a secret that is not the expected JSON is refused without showing it', async () => {
    w = await LinkWorld.start(tenantWith(['Spree']), { id: 'x', password: 'hunter2-hunter2' });
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree'])));
    expect(error).toContain('has fields id, password; it must be JSON {"clientId": "...", "clientSecret": "..."}');
    expect(error).not.toContain('hunter2');
  });
});

describe('batching', () => {
  test('60 rooms are checked in at most 4 $batch requests per check, 20 items each at most', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `Room${String(i).padStart(2, '0')}`);
    w = await LinkWorld.start(tenantWith(names));
    const result = await w.deploy(appTemplate(names));
    expect(result.error).toBeUndefined();
    const batches = w.graph.requests.filter((r) => r.path === '/$batch');
    expect(batches.every((b) => (b.items ?? 0) <= 20)).toBe(true);
    const items = w.graph.requests.filter((r) => r.batchItem);
    const count = (end: string) => items.filter((r) => r.path.endsWith(end)).length;
    expect(count('/users')).toBe(60); // the address looked up ($filter)
    expect(count('/mailboxSettings')).toBe(60); // is it a room
    expect(count('/calendarPermissions')).toBe(60); // may the service account write
    expect(items.filter((r) => r.path.startsWith('/places/'))).toHaveLength(0); // places only for addresses no user has
    expect(batches).toHaveLength(9); // 3 lookups, then 6 for settings and permissions
    expect(w.rooms()).toHaveLength(60);
  });

  test('throttled batch items (429 with Retry-After) are retried until they answer', async () => {
    w = await LinkWorld.start(tenantWith(['Spree', 'Havel', 'Tegel']));
    w.graph.injectFault({ match: "mail%20eq%20'havel%40", scope: 'item', status: 429, retryAfterSeconds: 0, count: 2 });
    const result = await w.deploy(appTemplate(['Spree', 'Havel', 'Tegel']));
    expect(result.error).toBeUndefined();
    expect(w.graph.requests.filter((r) => r.batchItem && r.path === '/users').map((r) => r.status).sort()).toEqual([200, 200, 200, 429, 429]);
    expect(w.graph.requests.filter((r) => r.batchItem && r.status === 429)).toHaveLength(2);
    expect(w.rooms()).toHaveLength(3);
  });

  test('an update validates only the rooms it adds; a bad new room leaves A4B as it was', async () => {
    w = await LinkWorld.start(tenantWith(['Spree', 'Havel']));
    expect((await w.deploy(appTemplate(['Spree', 'Havel']))).ok).toBe(true);
    const seen = w.graph.requests.length;
    const writes = writesIn(w.a4b).length;
    const result = await w.deploy(appTemplate(['Spree', 'Havel', 'Ghost']));
    expect(result.ok).toBe(false);
    expect(result.error).toContain('1 of 1 room failed validation');
    expect(result.error).toContain("room 'Ghost'");
    const checked = w.graph.requests.slice(seen).filter((r) => r.batchItem).map((r) => r.path);
    expect(checked).toEqual(['/users', '/places/ghost%40contoso.onmicrosoft.com']); // looked up by address; no user has it: a room list?
    expect(w.rooms()).toEqual(['Havel', 'Spree']);
    expect(writesIn(w.a4b)).toHaveLength(writes);
  });
});

// The Office 365 checks as real tenants behave (issue 10): each case passes where a real tenant would and fails,
// with the message that fixes it, where it would not. The emulator answers as Graph does (lib/local/graph-tenant.ts).
describe('as real tenants behave', () => {
  const SVC_UPN = 'svc.a4b@contoso.onmicrosoft.com';
  const SVC_MAIL = 'a4b-svc@contoso.com';
  const SVC_ALIAS = 'alexa@contoso.com';
  /** A service account whose UPN, primary SMTP address and alias differ; its permissions show under SVC_MAIL. */
  const svcTenant = (extra: Partial<TenantFile> = {}, perms: Array<[string, string, string]> = [['Spree', SVC_UPN, 'write']]): TenantFile => ({
    tenantId: TENANT,
    apps: [{ ...APP, roles: ALL_ROLES }],
    users: [{ upn: SVC_UPN, mail: SVC_MAIL, proxyAddresses: [`smtp:${SVC_ALIAS}`] }, { upn: 'jane@contoso.onmicrosoft.com' }],
    rooms: [{ mailbox: mailbox('Spree'), displayName: 'Spree' }],
    calendarPermissions: perms.map(([room, user, role]) => ({ mailbox: mailbox(room), user, role })),
    ...extra,
  });
  const svcTemplate = (rooms: string[], serviceAccount: string, link: Partial<Office365CalendarLinkProps> = {}) =>
    appTemplate(rooms, { method: CalendarLinkMethod.delegate({ serviceAccount }), ...link });

  test('1. a room not yet in places (or hidden from the address list) is a room: its mailboxSettings say so', async () => {
    w = await LinkWorld.start(tenantWith(['Spree', 'Havel'], undefined, { rooms: [{ mailbox: mailbox('Spree') }, { mailbox: mailbox('Havel'), inPlaces: false }] }));
    const result = await w.deploy(appTemplate(['Spree', 'Havel']));
    expect(result.error).toBeUndefined();
    expect(w.rooms()).toEqual(['Havel', 'Spree']);
    // Places was never asked: both addresses resolved to mailboxes whose userPurpose is room.
    expect(w.graph.requests.filter((r) => r.path.startsWith('/places'))).toHaveLength(0);
  });

  test('1. application method: a room not in places passes too; a shared mailbox is not a room', async () => {
    w = await LinkWorld.start(tenantWith(['Spree'], [], {
      rooms: [{ mailbox: mailbox('Spree'), inPlaces: false }], users: [{ upn: SA }, { upn: mailbox('Team'), purpose: 'shared' }],
      consents: [{ applicationId: A4B_APP, roles: ['Calendars.ReadWrite'] }],
    }));
    const method = CalendarLinkMethod.application({ applicationId: A4B_APP });
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree', 'Team'], { method })));
    expect(error).toContain('1 of 2 rooms failed validation');
    expect(error).toContain(`room 'Team' (${mailbox('Team')}): this is a shared mailbox (userPurpose shared), not a room mailbox`);
  });

  test('2. a room list is not a room: the message names it and its rooms', async () => {
    w = await LinkWorld.start(tenantWith(['Spree', 'Douro'], undefined, {
      roomLists: [{ mailbox: mailbox('Lisbon'), displayName: 'Lisbon rooms', rooms: [mailbox('Douro'), mailbox('Spree')] }],
    }));
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree', 'Douro', 'Lisbon'])));
    expect(error).toContain('1 of 3 rooms failed validation');
    expect(error).toContain(`room 'Lisbon' (${mailbox('Lisbon')}): this is a room list (Lisbon rooms), not a room; it holds ${mailbox('Douro')}, ${mailbox('Spree')}. Fix: use one room's mailbox per A4B room`);
  });

  test.each([
    ['its UPN', SVC_UPN],
    ['its primary SMTP address', SVC_MAIL],
    ['a proxy address', SVC_ALIAS],
  ])('3. the service account named by %s: its permission (listed under its SMTP address) counts', async (_, name) => {
    w = await LinkWorld.start(svcTenant());
    expect(w.graph.permissions(mailbox('Spree')).find((p) => p.address === SVC_MAIL)?.role).toBe('write');
    const result = await w.deploy(svcTemplate(['Spree'], name));
    expect(result.error).toBeUndefined();
    expect(w.rooms()).toEqual(['Spree']);
  });

  test('3. a room named by a proxy address or by its UPN is the same room; a grant names the account by its SMTP address', async () => {
    w = await LinkWorld.start(svcTenant({
      rooms: [{ mailbox: 'spree-room@contoso.com', upn: mailbox('Spree'), displayName: 'Spree' }, { mailbox: 'havel-room@contoso.com', proxyAddresses: [`smtp:${mailbox('Havel')}`] }],
    }, []));
    const result = await w.deploy(svcTemplate(['Spree', 'Havel'], SVC_UPN, { grantMissingPermissions: true }));
    expect(result.error).toBeUndefined();
    for (const m of ['spree-room@contoso.com', 'havel-room@contoso.com']) {
      expect(w.graph.permissions(m).filter((p) => p.address === SVC_MAIL).map((p) => p.role)).toEqual(['write']);
    }
    expect(w.rooms()).toEqual(['Havel', 'Spree']);
  });

  test('4. opaque tokens: nothing is read from the token, the checks decide from Graph\'s answers', async () => {
    w = await LinkWorld.start({ ...tenantWith(['Spree', 'Havel'], [['Spree', SA, 'write']]), opaqueTokens: true });
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree', 'Havel'])));
    expect(error).toContain('1 of 2 rooms failed validation');
    expect(error).toContain(`room 'Havel' (${mailbox('Havel')}): the service account ${SA} has no permission on the room's calendar`);
  });

  test('4. calendar access granted by RBAC for Applications (never in the token) passes; a room outside its scope fails with a 403 that says so', async () => {
    const tenant = tenantWith(['Spree', 'Havel'], undefined, {
      apps: [{ ...APP, roles: ['Place.Read.All', 'User.Read.All', 'MailboxSettings.Read', 'GroupMember.Read.All'], scopedRoles: [{ role: 'Calendars.Read', mailboxes: [mailbox('Spree')] }] }],
    });
    w = await LinkWorld.start(tenant);
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree', 'Havel'])));
    expect(error).toContain('1 of 2 rooms failed validation');
    expect(error).toContain(`room 'Havel' (${mailbox('Havel')}): Graph denied access (403 ErrorAccessDenied) to read room calendars' permissions. Fix: give the Graph app ${APP.clientId} the application permission Calendars.ReadBasic.All or Calendars.Read or Calendars.ReadWrite (admin consent); `
      + `if it holds it, an Exchange Online scope leaves ${mailbox('Havel')} out: an Application Access Policy (Get-ApplicationAccessPolicy; Test-ApplicationAccessPolicy -Identity ${mailbox('Havel')} -AppId ${APP.clientId}) `
      + `or an RBAC for Applications assignment (Get-ManagementRoleAssignment -RoleAssignee <the app's service principal>; Test-ServicePrincipalAuthorization -Identity <it> -Resource ${mailbox('Havel')}): add ${mailbox('Havel')} to its scope`);
    expect(error).not.toContain('lacks application permissions');
    w.graph.grantScopedRole(APP.clientId, { role: 'Calendars.Read', mailboxes: [mailbox('Havel')] });
    expect((await w.deploy(appTemplate(['Spree', 'Havel']))).error).toBeUndefined();
    expect(w.rooms()).toEqual(['Havel', 'Spree']);
  });

  test('4. every Exchange read scoped to the room mailboxes only (the service account outside the scope): passes, the account\'s mailbox unchecked', async () => {
    const rooms = [mailbox('Spree'), mailbox('Havel')];
    w = await LinkWorld.start(tenantWith(['Spree', 'Havel'], undefined, {
      apps: [{ ...APP, roles: ['User.Read.All', 'GroupMember.Read.All'], scopedRoles: [{ role: 'MailboxSettings.Read', mailboxes: rooms }, { role: 'Calendars.Read', mailboxes: rooms }] }],
    }));
    const result = await w.deploy(appTemplate(['Spree', 'Havel']));
    expect(result.error).toBeUndefined();
    expect(w.rooms()).toEqual(['Havel', 'Spree']);
    expect(w.graph.requests.filter((r) => r.status === 403).map((r) => r.path)).toEqual([expect.stringMatching(/^\/users\/[^/]+\/mailboxSettings$/)]);
  });

  test('5. grantMissingPermissions raises only where allowedRoles include write, and says so where they do not', async () => {
    const tenant = tenantWith(['Spree', 'Havel'], [], {
      calendarPermissions: [
        { mailbox: mailbox('Spree'), user: SA, role: 'read' },
        { mailbox: mailbox('Havel'), user: SA, role: 'read', allowedRoles: ['freeBusyRead', 'limitedRead', 'read'] },
      ],
    });
    w = await LinkWorld.start(tenant);
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree', 'Havel'], { grantMissingPermissions: true })));
    expect(error).toContain(`room 'Havel' (${mailbox('Havel')}): the service account ${SA} has 'read' on the room's calendar, and this permission cannot be raised to write (allowedRoles: freeBusyRead, limitedRead, read)`);
    expect(error).not.toContain("room 'Spree'");
    // Nothing granted while a room is wrong, and nothing was ever PATCHed to a role it does not allow.
    expect(w.graph.requests.filter((r) => r.method === 'PATCH' || r.method === 'POST' && r.batchItem)).toHaveLength(0);
  });

  test.each([
    ['delegateWithPrivateEventAccess (above write)', 'delegateWithPrivateEventAccess', 'above write (this library never lowers a permission)', "add 'delegateWithPrivateEventAccess' to acceptedRoles"],
    ['custom (e.g. an Exchange Owner grant)', 'custom', 'Exchange rights Graph has no name for', 'Get-MailboxFolderPermission'],
  ])('5. %s is never PATCHed and its fix never suggests a command that would lower it', async (_, role, says, fix) => {
    w = await LinkWorld.start(tenantWith(['Spree'], [['Spree', SA, role]]));
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree'], { grantMissingPermissions: true, acceptedRoles: [CalendarRole.WRITE] })));
    expect(error).toContain(says);
    expect(error).toContain(fix);
    expect(error).not.toContain('Set-MailboxFolderPermission');
    expect(error).not.toContain('-AccessRights Editor');
    expect(w.graph.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    expect(w.graph.permissions(mailbox('Spree')).find((p) => p.address === SA)?.role).toBe(role);
  });

  test('6. write granted to a mail-enabled security group the service account belongs to (through a nested group) counts', async () => {
    const tenant = tenantWith(['Spree', 'Havel'], [['Spree', 'av-team@contoso.com', 'write']], {
      groups: [{ mail: 'av-team@contoso.com', members: ['av-admins@contoso.com'] }, { mail: 'av-admins@contoso.com', members: [SA] }, { mail: 'others@contoso.com', members: ['jane@contoso.onmicrosoft.com'] }],
    });
    w = await LinkWorld.start({ ...tenant, calendarPermissions: [...tenant.calendarPermissions!, { mailbox: mailbox('Havel'), user: 'others@contoso.com', role: 'write' }] });
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree', 'Havel'])));
    // Spree through av-team passes; Havel's write belongs to a group the account is not in.
    expect(error).toContain('1 of 2 rooms failed validation');
    expect(error).toContain(`room 'Havel' (${mailbox('Havel')}): the service account ${SA} has no permission on the room's calendar, and A4B needs Editor`);
  });

  test('6. without a group-reading permission, group grants cannot be counted and the message says which permission would', async () => {
    const tenant = tenantWith(['Spree'], [['Spree', 'av-team@contoso.com', 'write']], {
      apps: [{ ...APP, roles: ['Place.Read.All', 'User.Read.All', 'MailboxSettings.Read', 'Calendars.Read'] }], groups: [{ mail: 'av-team@contoso.com', members: [SA] }],
    });
    w = await LinkWorld.start(tenant);
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree'])));
    expect(error).toContain('(permissions through groups were not counted: the Graph app needs GroupMember.Read.All to read group addresses)');
  });

  test('6. groups not read for another reason than a permission: Graph\'s own answer is said, GroupMember.Read.All is not blamed', async () => {
    const tenant = tenantWith(['Spree'], [['Spree', 'av-team@contoso.com', 'write']], { groups: [{ mail: 'av-team@contoso.com', members: [SA] }] });
    w = await LinkWorld.start(tenant);
    w.graph.injectFault({ match: '/transitiveMemberOf', status: 400, code: 'Request_BadRequest', message: 'Invalid request.' });
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree'])));
    expect(error).toContain("(permissions through groups were not counted: reading the service account's groups failed: Graph answered 400 Request_BadRequest: Invalid request.)");
    expect(error).not.toContain('GroupMember.Read.All');
  });

  // Each resource names its calendar permission its own way: Graph Calendars.ReadWrite, Exchange Online Calendars.ReadWrite.All.
  test.each([
    ['Office 365 Exchange Online, accepted by default', 'exchange', 'Calendars.ReadWrite.All', undefined, true],
    ['Microsoft Graph, accepted by default', 'graph', 'Calendars.ReadWrite', undefined, true],
    ['Office 365 Exchange Online, when only Microsoft Graph is accepted', 'exchange', 'Calendars.ReadWrite.All', [ConsentResource.MICROSOFT_GRAPH], false],
    ['Office 365 Exchange Online with read only', 'exchange', 'Calendars.Read', undefined, false],
  ])('7. the A4B app consented on %s', async (_, resource, role, consentResources, ok) => {
    w = await LinkWorld.start(tenantWith(['Spree'], [], { consents: [{ applicationId: A4B_APP, roles: [role], resource }] }));
    const result = await w.deploy(appTemplate(['Spree'], { method: CalendarLinkMethod.application({ applicationId: A4B_APP }), consentResources }));
    expect(result.ok).toBe(ok);
    if (!ok) {
      expect(result.error).toContain(consentResources ? `holds no application permission Calendars.ReadWrite on Microsoft Graph in tenant ${TENANT}. Fix`
        : `holds neither application permission Calendars.ReadWrite on Microsoft Graph or Calendars.ReadWrite.All on Office 365 Exchange Online in tenant ${TENANT} (it holds Office 365 Exchange Online ${role})`);
    }
    expect(w.rooms()).toEqual(ok ? ['Spree'] : []);
  });

  test.each([
    ['disabled', { accountEnabled: false }, `the service account ${SA} is disabled, so the console's "Link account" cannot sign in as it. Fix: enable it`],
    ['without a mailbox', { mailbox: false }, `the service account ${SA} has no mailbox Graph can reach, and A4B signs in as it to reach room calendars: Graph answers 404 MailboxNotEnabledForRESTAPI ("The mailbox is either inactive, soft-deleted, or is hosted on-premise."), `
      + `and the account has no mail address: it has no Exchange Online mailbox at all. Fix: give it a mailbox: assign it an Exchange Online license, or create it with New-Mailbox -UserPrincipalName ${SA} ...`],
    ['whose mailbox is soft-deleted', { mailboxState: 'softDeleted' }, `-SoftDeletedMailbox finds a soft-deleted one (restore it: Undo-SoftDeletedMailbox)`],
    ['whose mailbox is on-premises', { mailboxState: 'onPremises' }, `Get-RemoteMailbox in Exchange on-premises one hosted there (move it to Exchange Online: New-MoveRequest -Remote)`],
  ])('8. a service account %s fails, and the rooms are still checked in the same deploy', async (_, user, message) => {
    w = await LinkWorld.start(tenantWith(['Spree'], [['Spree', SA, 'write']], { users: [{ upn: SA, ...user }] }));
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree', 'Ghost'])));
    expect(error).toContain(message);
    expect(error).toContain("room 'Ghost'");
  });

  // User.ReadBasic.All finds the account but not whether it is enabled or its aliases: a finding, never a pass.
  test('8. a Graph app reading users with User.ReadBasic.All only is told to get User.Read.All; a disabled account is not passed over', async () => {
    const roles = ALL_ROLES.filter((r) => r !== 'User.Read.All').concat('User.ReadBasic.All');
    w = await LinkWorld.start(tenantWith(['Spree'], [['Spree', SA, 'write']], { apps: [{ ...APP, roles }], users: [{ upn: SA, accountEnabled: false }] }));
    const error = await failsWithoutA4bWrite(await w.deploy(appTemplate(['Spree'])));
    expect(error).toContain(`Graph returned the service account ${SA} without accountEnabled and proxyAddresses: the Graph app ${APP.clientId} reads users with User.ReadBasic.All`);
    expect(error).toContain(`Fix: give the Graph app ${APP.clientId} the application permission User.Read.All`);
  });
});

describe('application method: what Graph cannot show', () => {
  // In process, to read what the handler logs: Graph shows no Application Access Policy or RBAC scope of another app.
  test('with the consent in place, a note says scopes on A4B\'s own app cannot be seen and how to check them', async () => {
    const { graphFor } = await import('../../lib/runtime/graph/clients');
    const { validateLink } = await import('../../lib/runtime/graph/link-validation');
    const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    w = await LinkWorld.start(tenantWith(['Spree'], [], { consents: [{ applicationId: A4B_APP, roles: ['Calendars.ReadWrite'] }] }));
    w.a4b.putSecret('a4b/app', JSON.stringify(APP));
    const env = { AZURE_AUTHORITY_HOST: w.graph.url, GRAPH_BASE_URL: w.graph.url, NODE_EXTRA_CA_CERTS: w.graph.tls.caFile!, GRAPH_MAX_RETRY_WAIT_SECONDS: '0' };
    const secrets = new SecretsManagerClient({ region: 'us-east-1', endpoint: w.a4b.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const graph = await graphFor('a4b/app', TENANT, env, secrets);
    const spec = { tenant: TENANT, method: 'application' as const, applicationId: A4B_APP, credentialsSecretArn: 'a4b/app', grantMissingPermissions: false, acceptedRoles: ['write'], rooms: [{ name: 'Spree', mailbox: mailbox('Spree') }] };
    const logged: string[] = [];
    await expect(validateLink(spec, spec.rooms, graph, env, (l) => logged.push(l))).resolves.toMatchObject({ checked: 1 });
    expect(logged.map((l) => JSON.parse(l).note)).toEqual([
      `whether an Application Access Policy or an RBAC for Applications scope keeps A4B's app ${A4B_APP} from some room mailboxes cannot be seen through Graph, so it was not checked; `
      + `check with Test-ApplicationAccessPolicy -Identity <room mailbox> -AppId ${A4B_APP} and Get-ManagementRoleAssignment -RoleAssignee <its service principal> in Exchange Online PowerShell`,
    ]);
    secrets.destroy();
  });
});

describe('a fresh token after a 403', () => {
  // In process (the same modules the bundle is built from): the Graph client is kept across calls as in a warm Lambda.
  test('a permission consented since the last token is seen once the token is older than the fresh-token window', async () => {
    const { graphFor } = await import('../../lib/runtime/graph/clients');
    const { validateLink } = await import('../../lib/runtime/graph/link-validation');
    const { ManualClock } = await import('../../lib/runtime/clock');
    const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    w = await LinkWorld.start({ ...tenantWith(['Spree']), apps: [{ ...APP, roles: ['User.Read.All', 'Place.Read.All', 'GroupMember.Read.All', 'Calendars.Read'] }] });
    w.a4b.putSecret('a4b/fresh', JSON.stringify(APP));
    const env = { AZURE_AUTHORITY_HOST: w.graph.url, GRAPH_BASE_URL: w.graph.url, NODE_EXTRA_CA_CERTS: w.graph.tls.caFile!, GRAPH_MAX_RETRY_WAIT_SECONDS: '0' };
    const secrets = new SecretsManagerClient({ region: 'us-east-1', endpoint: w.a4b.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const graph = await graphFor('a4b/fresh', TENANT, env, secrets);
    const spec = { tenant: TENANT, method: 'delegate' as const, serviceAccount: SA, credentialsSecretArn: 'a4b/fresh', grantMissingPermissions: false, acceptedRoles: ['write'], rooms: [{ name: 'Spree', mailbox: mailbox('Spree') }] };
    // What the handler would write to its log, kept here (a test prints nothing unless it fails).
    const logged: string[] = [];
    const log = (line: string) => logged.push(line);
    // The token's age on the test's clock: the window's edges exactly, with no waiting.
    const clock = new ManualClock();
    await expect(validateLink(spec, spec.rooms, graph, env, log, clock)).rejects.toThrow(/lacks application permissions: MailboxSettings.Read/);
    w.graph.grantConsent({ applicationId: APP.clientId, roles: ['MailboxSettings.Read'] });
    // Within the window (5 min, 1 ms short of it) the cached token is trusted: still denied.
    clock.advance(5 * 60_000 - 1);
    await expect(validateLink(spec, spec.rooms, graph, env, log, clock)).rejects.toThrow(/lacks application permissions: MailboxSettings.Read/);
    const tokens = w.graph.requests.filter((r) => r.path === '/token').length;
    expect(logged.filter((l) => l.includes('renewedToken'))).toEqual([]);
    // At its end, one fresh token, and the consent is seen.
    clock.advance(1);
    await expect(validateLink(spec, spec.rooms, graph, env, log, clock)).resolves.toMatchObject({ checked: 1 });
    expect(w.graph.requests.filter((r) => r.path === '/token').length).toBe(tokens + 1);
    expect(logged.filter((l) => l.includes('renewedToken')).map((l) => JSON.parse(l))).toEqual([
      { renewedToken: true, reason: 'Graph answered 403 on a token older than the fresh-token window' },
    ]);
    secrets.destroy();
  });
});
