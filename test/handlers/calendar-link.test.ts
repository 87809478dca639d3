// The bundled calendar link and A4B handlers, run by the local deploy engine against the Graph/Entra emulator
// and the A4B emulator with the real @azure/identity and Graph client: each failing case must leave A4B untouched.
import * as fs from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CalendarLinkMethod, CalendarRole, Office365CalendarLink, Office365CalendarLinkProps, Room, RoomProfile } from '../../lib';
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
const ALL_ROLES = ['Place.Read.All', 'User.Read.All', 'Calendars.ReadWrite', 'Application.Read.All'];
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
  static async start(tenant: TenantFile, secret: object = APP): Promise<LinkWorld> {
    const dir = tempDir();
    const graph = await GraphEmulator.start({ stateDir: dir, tenant });
    const a4b = await A4bEmulator.start({ stateDir: dir });
    const env = { ...localProviderEnv({ a4b: a4b.endpoint, secretsManager: a4b.endpoint, graph: graph.url, authority: graph.url, ca: graph.tls.caFile! }), GRAPH_MAX_RETRY_WAIT_SECONDS: '0', A4B_MAX_ATTEMPTS: '2' };
    const log = fs.createWriteStream('/dev/null');
    const a4bLambda = await LocalLambda.start(A4B_PROVIDER_BUNDLE, { env, log });
    const linkLambda = await LocalLambda.start(CALENDAR_LINK_BUNDLE, { env, log });
    return new LinkWorld(dir, graph, a4b, [a4bLambda, linkLambda], secret);
  }

  readonly engine: DeployEngine;

  private constructor(dir: string, readonly graph: GraphEmulator, readonly a4b: A4bEmulator, private readonly lambdas: LocalLambda[], private readonly secret: object) {
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
    expect(error).toContain("room 'Ghost' (ghost@contoso.onmicrosoft.com): there is no mailbox with this address in tenant contoso.onmicrosoft.com. Fix: create the room mailbox (New-Mailbox -Room), or correct the address");
    expect(error).toContain("room 'Jane' (jane@contoso.onmicrosoft.com): this is a user mailbox, not a room mailbox");
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
    if (!ok) expect(result.error).toContain(`the service account has role '${role}' on the calendar, which is not an accepted role`);
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
    expect(error).toContain(`application ${A4B_APP} holds no Microsoft Graph Calendars.ReadWrite application permission in tenant ${TENANT}`);
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
    expect(error).toContain(`the Graph app ${APP.clientId} lacks application permissions: Place.Read.All (to check that each mailbox is a room); Calendars.ReadWrite (to grant the service account write access to room calendars (grantMissingPermissions))`);
    expect(error).toContain('"Grant admin consent"');
    expect(w.graph.requests.filter((r) => r.path !== '/token' && r.path !== '/openid-configuration')).toHaveLength(0);
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
    const placesItems = items.filter((r) => r.path.startsWith('/places/')).length;
    const permissionItems = items.filter((r) => r.path.endsWith('/calendarPermissions')).length;
    expect(placesItems).toBe(60);
    expect(permissionItems).toBe(60);
    expect(batches).toHaveLength(6); // 3 for "is it a room", 3 for "may the service account write"
    expect(w.rooms()).toHaveLength(60);
  });

  test('throttled batch items (429 with Retry-After) are retried until they answer', async () => {
    w = await LinkWorld.start(tenantWith(['Spree', 'Havel', 'Tegel']));
    w.graph.injectFault({ match: 'GET /places/havel', scope: 'item', status: 429, retryAfterSeconds: 0, count: 2 });
    const result = await w.deploy(appTemplate(['Spree', 'Havel', 'Tegel']));
    expect(result.error).toBeUndefined();
    expect(w.graph.requests.filter((r) => r.path.startsWith('/places/havel')).map((r) => r.status)).toEqual([429, 429, 200]);
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
    expect(checked).toEqual(['/places/ghost%40contoso.onmicrosoft.com', '/users/ghost%40contoso.onmicrosoft.com']);
    expect(w.rooms()).toEqual(['Havel', 'Spree']);
    expect(writesIn(w.a4b)).toHaveLength(writes);
  });
});
