// Every problem in one deploy: a 40-room inventory with bad mailboxes in several shards fails one `local deploy`
// naming every bad room, writes nothing to A4B, fails again while the tenant is unchanged, and passes once it is fixed.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { shardOf } from '../../lib/inventory/sharding';
import { isWriteOperation } from '../../lib/local/a4b-emulator';
import { GRAPH_APP_ROLES, TenantFile } from '../../lib/local/graph-emulator';
import { localDeploy } from '../../lib/local/local-deploy';
import { LocalWorld, resetStateDir, serveLocalWorld } from '../../lib/local/local-world';
import { tempDir } from '../helpers';

const APP = `node ${path.join(__dirname, '..', '..', 'bin', 'app.js')}`;
const CLI = path.join(__dirname, '..', '..', 'bin', 'a4b-rooms.js');
const SA = 'alexaforbusiness@contoso.onmicrosoft.com';
const ROOMS = Array.from({ length: 40 }, (_, i) => ({ name: `Room ${String(i + 1).padStart(2, '0')}`, mailbox: `room${String(i + 1).padStart(2, '0')}@contoso.onmicrosoft.com` }));

// The first room of eight different shards is bad, in three ways: not in the tenant, a user's mailbox, no permission.
const firstOfShard = [...new Map(ROOMS.map((r) => [shardOf(r.name, 32), r] as const).reverse()).values()].reverse();
const BAD = firstOfShard.slice(0, 8).map((r, i) => ({ ...r, kind: (['missing', 'user', 'no-permission'] as const)[i % 3] }));
const isBad = (r: { mailbox: string }, kind?: string) => BAD.some((b) => b.mailbox === r.mailbox && (!kind || b.kind === kind));

const INVENTORY = [
  'calendarLink:',
  '  tenantId: contoso.onmicrosoft.com',
  '  method: delegate',
  `  serviceAccount: ${SA}`,
  '  credentialsSecret: a4b-rooms/graph-validator',
  'profiles:',
  '  - { name: Std, address: 1 Main St, timezone: UTC }',
  'rooms:',
  ...ROOMS.map((r) => `  - { name: ${r.name}, mailbox: ${r.mailbox}, profile: Std }`),
  '',
].join('\n');

function tenant(fixed: boolean): TenantFile {
  const ok = (r: { mailbox: string }) => fixed || !isBad(r);
  return {
    tenantId: 'contoso.onmicrosoft.com',
    apps: [{ clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'local-only', roles: Object.keys(GRAPH_APP_ROLES) }],
    users: [{ upn: SA }, ...(fixed ? [] : BAD.filter((b) => b.kind === 'user').map((b) => ({ upn: b.mailbox })))],
    rooms: ROOMS.filter((r) => fixed || !isBad(r, 'missing') && !isBad(r, 'user')).map((r) => ({ mailbox: r.mailbox, displayName: r.name })),
    calendarPermissions: ROOMS.filter(ok).map((r) => ({ mailbox: r.mailbox, user: SA, role: 'write' })),
  };
}

describe('local deploy: every bad mailbox of an inventory in one deploy', () => {
  let stateDir: string;
  let world: LocalWorld;
  let file: string;

  beforeEach(async () => {
    stateDir = tempDir('a4b-gate-');
    file = path.join(tempDir(), 'rooms.yaml');
    fs.writeFileSync(file, INVENTORY);
    world = await serveLocalWorld(stateDir);
  });
  afterEach(() => world.close());

  const deploy = (t: TenantFile) => localDeploy({ app: APP, context: { inventory: file }, stateDir, tenant: t });
  const findingsLogged = () => fs.readFileSync(path.join(stateDir, 'provider.log'), 'utf8').split('\n')
    .filter((l) => l.includes('"finding"')).map((l) => JSON.parse(l.slice(l.indexOf('{'))).finding);

  test('one failed deploy names all 8 bad rooms of 8 shards; the same tenant fails again; the fixed tenant passes', async () => {
    expect(new Set(BAD.map((b) => shardOf(b.name, 32))).size).toBe(8);

    const first = await deploy(tenant(false));
    expect(first.ok).toBe(false);
    const error = first.stacks[0].error!;
    expect(error).toMatch(/MailboxCheckGate\w*: calendar link \(tenant contoso\.onmicrosoft\.com, delegate alexaforbusiness@contoso\.onmicrosoft\.com\): 8 of 40 rooms failed the Office 365 checks \(8 of \d+ checks: /);
    for (const b of BAD) expect(error).toContain(`${b.name} <${b.mailbox}>`);
    expect(error).toContain('nothing was written to A4B');
    expect(error).toContain(`Every bad room with its fix: the log of the calendar link function (${path.resolve(stateDir, 'provider.log')}), lines with "finding"`);
    // Nothing was written to A4B, not even tried: profiles and shards wait for the checks' stack.
    expect(world.a4b!.requests.filter((r) => isWriteOperation(r.operation))).toEqual([]);
    // Nothing was written to Exchange either.
    expect(world.graph!.requests.filter((r) => r.method !== 'GET' && r.path !== '/token' && !r.path.endsWith('/$batch'))).toEqual([]);
    // The full list, each room with its fix, is in the check function's log.
    expect(findingsLogged().map((f) => f.mailbox).sort()).toEqual(BAD.map((b) => b.mailbox).sort());
    for (const f of findingsLogged()) expect(f.fix).toBeTruthy();
    // `a4b-rooms check` (the real CLI, against the same emulators) prints the same rooms, each with its fix.
    const checked = await new Promise<{ code: number; stdout: string }>((resolve) => execFile('node', [CLI, 'check', file, '--local', '--state', stateDir, '--json'],
      (err, stdout) => resolve({ code: err ? Number((err as { code?: number }).code) : 0, stdout })));
    expect(checked.code).toBe(1);
    const report = JSON.parse(checked.stdout);
    expect(report.rooms.map((r: { mailbox: string }) => r.mailbox).sort()).toEqual(BAD.map((b) => b.mailbox).sort());
    expect(report.rooms.every((r: { fix: string }) => r.fix.length > 0)).toBe(true);

    // The rollback undid the checks, so the same deploy checks again, and the unchanged tenant fails it again.
    const graphBefore = world.graph!.requests.length;
    const again = await deploy(tenant(false));
    expect(again.ok).toBe(false);
    for (const b of BAD) expect(again.stacks[0].error).toContain(`${b.name} <${b.mailbox}>`);
    expect(world.graph!.requests.length).toBeGreaterThan(graphBefore);
    expect(world.a4b!.requests.filter((r) => isWriteOperation(r.operation))).toEqual([]);

    // The tenant fixed: a local tenant is seeded once per state, so the state starts over (--reset-state moves it
    // aside; deleting graph.json alone is damage, refused) and is seeded from the fixed tenant file.
    await world.close();
    expect(await resetStateDir(stateDir)).toMatch(/\.broken-/);
    world = await serveLocalWorld(stateDir);
    const fixed = await deploy(tenant(true));
    expect(fixed.stacks.map((s) => s.error)).toEqual([undefined]);
    expect(world.a4b!.rooms().map((r) => r.RoomName).sort()).toEqual(ROOMS.map((r) => r.name));
  });
});
