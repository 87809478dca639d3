// `a4b-rooms check` as a user runs it (compiled, in a child process), and drift on the same state: both classify
// mailboxes with the calendar link's own code (lib/o365), against a tenant that behaves as real ones do.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { drift } from '../lib/cli/drift';
import { localDeploy } from '../lib/local/local-deploy';
import { TenantFile } from '../lib/local/graph-tenant';
import { serveLocalWorld } from '../lib/local/local-world';
import { tempDir } from './helpers';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'a4b-rooms.js');
const APP = `node ${path.join(ROOT, 'bin', 'app.js')}`;
const SA_UPN = 'svc.a4b@contoso.onmicrosoft.com';
const SA_MAIL = 'a4b-svc@contoso.com';
const m = (n: string) => `${n}@contoso.com`;

const TENANT: TenantFile = {
  tenantId: 'contoso.onmicrosoft.com',
  apps: [{
    clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'local-only-check', roles: ['User.Read.All', 'MailboxSettings.Read', 'Place.Read.All', 'GroupMember.Read.All', 'Calendars.Read'],
    accessPolicies: [{ accessRight: 'DenyAccess', group: m('no-apps') }], // New-ApplicationAccessPolicy -AccessRight DenyAccess
  }, { clientId: '22222222-3333-4444-5555-666666666666', clientSecret: 'local-only-basic', roles: ['User.ReadBasic.All', 'MailboxSettings.Read', 'Place.Read.All', 'GroupMember.Read.All', 'Calendars.Read'] }],
  users: [{ upn: SA_UPN, mail: SA_MAIL }, { upn: 'jane@contoso.onmicrosoft.com', mail: m('jane') }],
  rooms: [
    { mailbox: m('spree'), displayName: 'Spree' },
    { mailbox: m('havel'), displayName: 'Havel', inPlaces: false }, // created an hour ago: not in places yet
    { mailbox: m('tegel'), displayName: 'Tegel' },
    { mailbox: m('wannsee'), displayName: 'Wannsee' }, // kept from the Graph app by an Application Access Policy
    { mailbox: m('grunewald'), displayName: 'Grunewald', mailboxState: 'softDeleted' },
  ],
  roomLists: [{ mailbox: m('berlin-rooms'), displayName: 'Berlin rooms', rooms: [m('spree'), m('havel')] }],
  groups: [{ mail: m('av-team'), members: [SA_MAIL] }, { mail: m('no-apps'), members: [m('wannsee')] }],
  calendarPermissions: [
    { mailbox: m('spree'), user: SA_UPN, role: 'write' },
    { mailbox: m('havel'), user: m('av-team'), role: 'write' }, // through a group
    { mailbox: m('tegel'), user: SA_UPN, role: 'read' },
  ],
};

function inventory(rooms: Array<[string, string]>): string {
  return [
    'calendarLink:',
    '  tenantId: contoso.onmicrosoft.com',
    '  method: delegate',
    `  serviceAccount: ${SA_UPN}`,
    '  credentialsSecret: a4b-rooms/graph-validator',
    'profiles:',
    '  - { name: Std, address: 1 Main St, timezone: Europe/Berlin }',
    'rooms:',
    ...rooms.map(([name, mailbox]) => `  - { name: ${name}, mailbox: ${mailbox}, profile: Std }`),
    '',
  ].join('\n');
}

let dir: string;
let good: string;
let bad: string;
beforeAll(async () => {
  dir = tempDir('a4b-check-');
  good = path.join(dir, 'good.yaml');
  bad = path.join(dir, 'bad.yaml');
  fs.writeFileSync(good, inventory([['Spree', m('spree')], ['Havel', m('havel')]]));
  fs.writeFileSync(bad, inventory([['Spree', m('berlin-rooms')], ['Havel', m('havel')], ['Jane', m('jane')], ['Ghost', m('ghost')], ['Tegel', m('tegel')]]));
  const result = await localDeploy({ app: APP, context: { inventory: good }, stateDir: path.join(dir, 'state'), tenant: TENANT });
  if (!result.ok) throw new Error(result.stacks.map((s) => s.error).join('\n'));
});

function check(args: string[]) {
  return spawnSync('node', [CLI, 'check', ...args, '--local', '--state', path.join(dir, 'state')], { cwd: ROOT, encoding: 'utf8' });
}

describe('a4b-rooms check', () => {
  test('clean: a room not yet in places and a permission through a group pass; exit 0', () => {
    const r = check([good]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`calendar link (tenant contoso.onmicrosoft.com, delegate ${SA_UPN}): 2 room mailboxes checked, no problem`);
    expect(r.status).toBe(0);
  });

  test('every problem of every room, each with its fix; exit 1', () => {
    const r = check([bad]);
    expect(r.status).toBe(1);
    const out = r.stdout;
    expect(out).toContain(`✗ room 'Spree' (${m('berlin-rooms')}) [not-a-room]: this is a room list (Berlin rooms), not a room; it holds ${m('spree')}\n    fix: use one room's mailbox per A4B room`);
    expect(out).toContain(`✗ room 'Jane' (${m('jane')}) [not-a-room]: this is a user mailbox (userPurpose user), not a room mailbox\n    fix: use the room's resource mailbox, or convert it with Set-Mailbox ${m('jane')} -Type Room`);
    expect(out).toContain(`✗ room 'Ghost' (${m('ghost')}) [mailbox-missing]: there is no mailbox with this address`);
    expect(out).toContain(`✗ room 'Tegel' (${m('tegel')}) [permission]: the service account ${SA_UPN} has only 'read' on the room's calendar, and A4B needs Editor\n    fix: Set-MailboxFolderPermission ${m('tegel')}:\\Calendar -User ${SA_UPN} -AccessRights Editor`);
    expect(out).not.toContain("room 'Havel'");
    expect(out).toContain('5 room mailboxes checked: 4 bad rooms');
  });

  test('a room kept from the Graph app by an Application Access Policy, and a soft-deleted room mailbox: each with what Graph said and the fix', () => {
    const scoped = path.join(dir, 'scoped.yaml');
    fs.writeFileSync(scoped, inventory([['Spree', m('spree')], ['Wannsee', m('wannsee')], ['Grunewald', m('grunewald')]]));
    const r = check([scoped]);
    expect(r.status).toBe(1);
    const out = r.stdout;
    expect(out).toContain(`✗ room 'Wannsee' (${m('wannsee')}) [unknown]: Graph denied access (403 ErrorAccessDenied "Access to OData is disabled.": an Application Access Policy leaves the mailbox out)`);
    expect(out).toContain(`Test-ApplicationAccessPolicy -Identity ${m('wannsee')} -AppId 11111111-2222-3333-4444-555555555555`);
    expect(out).toContain(`Test-ServicePrincipalAuthorization -Identity <it> -Resource ${m('wannsee')}`);
    expect(out).toContain(`✗ room 'Grunewald' (${m('grunewald')}) [not-a-room]: this account has no room mailbox Graph can reach: Graph answers 404 MailboxNotEnabledForRESTAPI ("The mailbox is either inactive, soft-deleted, or is hosted on-premise."): `
      + `its mailbox (${m('grunewald')}) is inactive, soft-deleted or hosted on-premises, or has no Exchange Online license`);
    expect(out).toContain(`fix: find which with Get-Mailbox ${m('grunewald')} in Exchange Online PowerShell: -SoftDeletedMailbox finds a soft-deleted one (restore it: Undo-SoftDeletedMailbox)`);
    expect(out).not.toContain("room 'Spree'");
    expect(out).toContain('3 room mailboxes checked: 2 bad rooms');
  });

  test('--json: the same list, machine-readable', () => {
    const r = check([bad, '--json']);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ version: 1, status: 'problems', checked: 5, linkProblems: [], errors: [] });
    expect(report.rooms.map((x: any) => `${x.name} ${x.kind}`)).toEqual(['Spree not-a-room', 'Jane not-a-room', 'Ghost mailbox-missing', 'Tegel permission']);
    expect(report.rooms.every((x: any) => x.fix.length > 0)).toBe(true);
    expect(report.permissions).toContain('MailboxSettings.Read or MailboxSettings.ReadWrite: to check that each mailbox is a room (mailboxSettings.userPurpose) and that the service account has a mailbox');
  });

  test('a check that cannot run (no such credentials secret) is exit 1 with the reason, never "clean"', () => {
    const other = path.join(dir, 'other-secret.yaml');
    fs.writeFileSync(other, inventory([['Spree', m('spree')]]).replace('a4b-rooms/graph-validator', 'a4b-rooms/nope'));
    const r = check([other, '--json']);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.status).toBe('error');
    expect(report.errors[0]).toContain('cannot read the Graph credentials secret a4b-rooms/nope');
  });
});

describe('drift classifies mailboxes as the link does', () => {
  test('a room not yet in places is not drift', async () => {
    const report = await drift({ inventoryFile: good, localStateDir: path.join(dir, 'state') });
    expect(report.findings).toEqual([]);
    expect(report.status).toBe('in-sync');
  });

  test('a Graph app reading users with User.ReadBasic.All only: an error naming User.Read.All, never a false drift', async () => {
    const world = await serveLocalWorld(path.join(dir, 'state'));
    const secret = 'a4b-rooms/graph-validator';
    const before = world.a4b!.findSecret(secret)!.secretString;
    try {
      world.a4b!.putSecret(secret, JSON.stringify({ clientId: '22222222-3333-4444-5555-666666666666', clientSecret: 'local-only-basic' }));
      const report = await drift({ inventoryFile: good, localStateDir: path.join(dir, 'state') });
      expect(report.status).toBe('error');
      expect(report.errors.join('\n')).toContain(`the service account ${SA_UPN} came back without proxyAddresses: the Graph app reads users with User.ReadBasic.All only; give it the application permission User.Read.All`);
      expect(report.findings.filter((f) => f.kind !== 'unknown')).toEqual([]);
    } finally {
      world.a4b!.putSecret(secret, before);
      await world.close();
    }
  });

  test('a room list or a user mailbox is (not-a-room)', async () => {
    const moved = path.join(dir, 'moved.yaml');
    fs.writeFileSync(moved, inventory([['Spree', m('berlin-rooms')], ['Havel', m('jane')]]));
    const report = await drift({ inventoryFile: moved, localStateDir: path.join(dir, 'state') });
    const notARoom = report.findings.filter((f) => f.kind === 'not-a-room').map((f) => `${f.name}: ${f.detail}`);
    expect(notARoom).toEqual([
      `Spree: this is a room list (Berlin rooms), not a room; it holds ${m('spree')}`,
      'Havel: this is a user mailbox (userPurpose user), not a room mailbox',
    ]);
    expect(report.status).toBe('drift');
  });
});
