// Drift on the emulators: deploy the example inventory, then change things the way a console user or an Exchange
// administrator would, through the services' own APIs, and check that each change is reported (exit 2), that read
// failures are unknown and never drift (exit 1), and that the JSON output keeps its schema.
import * as https from 'https';
import * as path from 'path';
import { CreateRoomCommand, SearchProfilesCommand, SearchRoomsCommand, UpdateProfileCommand, UpdateRoomCommand, UpdateSkillGroupCommand, SearchSkillGroupsCommand } from '@aws-sdk/client-alexa-for-business';
import { ClientSecretCredential } from '@azure/identity';
import Ajv from 'ajv';
import { exitCode } from '../../lib/drift/compare';
import { DRIFT_REPORT_SCHEMA, toJson, toMarkdown, toTable } from '../../lib/drift/report';
import { drift } from '../../lib/cli/drift';
import { localDeploy } from '../../lib/local/local-deploy';
import { LocalWorld, serveLocalWorld } from '../../lib/local/local-world';
import { a4bClient, tempDir } from '../helpers';

const INVENTORY = path.join(__dirname, '..', '..', 'examples', 'rooms.yaml');
const APP = `node ${path.join(__dirname, '..', '..', 'bin', 'app.js')}`;
const SA = 'alexaforbusiness@contoso.onmicrosoft.com';

let state: string;
let world: LocalWorld;

beforeAll(async () => {
  state = tempDir('a4b-drift-');
  world = await serveLocalWorld(state);
  const result = await localDeploy({ app: APP, context: { inventory: INVENTORY }, stateDir: state });
  if (!result.ok) throw new Error(result.stacks.map((s) => s.error).join('\n'));
});
afterAll(() => world.close());

/** An Exchange administrator's Graph call, with the local validator app's credentials. */
async function graphAdmin(method: string, urlPath: string): Promise<any> {
  const secret = JSON.parse(world.a4b!.findSecret('a4b-rooms/graph-validator')!.secretString);
  const credential = new ClientSecretCredential('contoso.onmicrosoft.com', secret.clientId, secret.clientSecret, { authorityHost: world.graph!.url, disableInstanceDiscovery: true, tlsOptions: { ca: world.graph!.caPem } } as any);
  const token = (await credential.getToken('https://graph.microsoft.com/.default'))!.token;
  return new Promise((resolve, reject) => {
    const req = https.request(`${world.graph!.url}/v1.0${urlPath}`, { method, ca: world.graph!.caPem, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => (res.statusCode! >= 300 ? reject(new Error(`${res.statusCode} ${text}`)) : resolve(text ? JSON.parse(text) : undefined)));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('drift', () => {
  test('right after the deploy: in sync, exit 0', async () => {
    const report = await drift({ inventoryFile: INVENTORY, localStateDir: state });
    expect(report.status).toBe('in-sync');
    expect(report.findings).toEqual([]);
    expect(report.checked).toEqual({ rooms: 12, profiles: 3, skillGroups: 3, mailboxes: 12 });
    expect(exitCode(report)).toBe(0);
  });

  test('console and Exchange changes are each reported, exit 2', async () => {
    const a4b = a4bClient(world.a4b!);
    const rooms = (await a4b.send(new SearchRoomsCommand({ MaxResults: 50 }))).Rooms!;
    const arnOf = (name: string) => rooms.find((r) => r.RoomName === name)!.RoomArn;
    const profiles = (await a4b.send(new SearchProfilesCommand({ MaxResults: 50 }))).Profiles!;
    // A console user renames a room, moves another to a different profile, edits a skill group and adds a room.
    await a4b.send(new UpdateRoomCommand({ RoomArn: arnOf('Spree (2.01)'), RoomName: 'Spree (renamed)' }));
    await a4b.send(new UpdateRoomCommand({ RoomArn: arnOf('Havel (2.02)'), ProfileArn: profiles.find((p) => p.ProfileName === 'Berlin boardrooms')!.ProfileArn }));
    const groups = (await a4b.send(new SearchSkillGroupsCommand({}))).SkillGroups!;
    await a4b.send(new UpdateSkillGroupCommand({ SkillGroupArn: groups.find((g) => g.SkillGroupName === 'Facilities')!.SkillGroupArn, Description: 'Changed by hand' }));
    await a4b.send(new CreateRoomCommand({ RoomName: 'Pop-up room', ProfileArn: profiles[0].ProfileArn }));
    // And switches off ProactiveJoin on a profile that declares it on.
    const boardrooms = profiles.find((p) => p.ProfileName === 'Berlin boardrooms')!.ProfileArn;
    await a4b.send(new UpdateProfileCommand({ ProfileArn: boardrooms, MeetingRoomConfiguration: { ProactiveJoin: { EnabledByMotion: false } } }));
    a4b.destroy();
    // An Exchange administrator removes the service account's right on one room and deletes another room's mailbox.
    const perms = await graphAdmin('GET', '/users/tegel%40contoso.onmicrosoft.com/calendar/calendarPermissions');
    const mine = perms.value.find((p: any) => p.emailAddress.address === SA);
    await graphAdmin('DELETE', `/users/tegel%40contoso.onmicrosoft.com/calendar/calendarPermissions/${encodeURIComponent(mine.id)}`);
    await graphAdmin('DELETE', '/users/wannsee%40contoso.onmicrosoft.com');

    const report = await drift({ inventoryFile: INVENTORY, localStateDir: state });
    expect(report.status).toBe('drift');
    expect(exitCode(report)).toBe(2);
    const lines = report.findings.map((f) => `${f.kind} ${f.resource} ${f.name}${f.field ? ` ${f.field}` : ''}${f.live ? ` -> ${f.live}` : ''}`).sort();
    expect(lines).toEqual([
      'changed profile Berlin boardrooms meetingRoom.proactiveJoin.enabledByMotion -> false',
      'changed room Havel (2.02) profile -> Berlin boardrooms',
      'changed skill group Facilities description -> Changed by hand',
      'mailbox-missing room Wannsee (3.02) mailbox',
      'missing room Spree (2.01)',
      'permission-lost room Tegel (3.01) calendar permission -> none',
      'unmanaged room Pop-up room',
      'unmanaged room Spree (renamed)',
    ]);
    const table = toTable(report);
    expect(table).toContain('[-] room Spree (2.01): declared, missing in A4B');
    expect(table).toContain('[~] room Havel (2.02): profile: declared Berlin meeting rooms, live Berlin boardrooms');
    expect(toMarkdown(report)).toContain('| ~ | room | Havel (2.02) | profile: declared Berlin meeting rooms, live Berlin boardrooms |');
    expect(table).toContain('[~] profile Berlin boardrooms: meetingRoom.proactiveJoin.enabledByMotion: declared true, live false');

    const ignoring = await drift({ inventoryFile: INVENTORY, localStateDir: state, ignoreUnmanaged: true });
    expect(ignoring.findings.filter((f) => f.kind === 'unmanaged')).toEqual([]);

    const json = JSON.parse(toJson(report));
    const validate = new Ajv({ allErrors: true }).compile(DRIFT_REPORT_SCHEMA);
    expect(validate(json) ? [] : validate.errors).toEqual([]);
    expect(json.version).toBe(1);
  });

  test('a read that fails makes the room unknown, never drift, and the exit code says error', async () => {
    const tagsOf = world.a4b!.rooms().find((r) => r.RoomName === 'Isar (1.01)')!.RoomArn;
    world.a4b!.injectFault({ operation: 'ListTags', match: { Arn: tagsOf }, status: 500, errorType: 'InternalFailure' });
    world.graph!.injectFault({ match: "mail%20eq%20'amper%40", scope: 'item', status: 503, retryAfterSeconds: 0 });
    try {
      const report = await drift({ inventoryFile: INVENTORY, localStateDir: state, ignoreUnmanaged: true });
      expect(report.status).toBe('error');
      expect(exitCode(report)).toBe(1);
      const about = (name: string) => report.findings.filter((f) => f.name === name).map((f) => f.kind);
      expect(about('Isar (1.01)')).toEqual(['unknown']);
      expect(about('Amper (1.03)')).toEqual(['unknown']);
      expect(report.findings.find((f) => f.name === 'Isar (1.01)')!.detail).toContain('InternalFailure');
    } finally {
      world.a4b!.clearFaults();
      world.graph!.clearFaults();
    }
  });

  test('when A4B cannot be listed at all, nothing is claimed about it', async () => {
    world.a4b!.injectFault({ operation: 'SearchRooms', status: 500, errorType: 'InternalFailure' });
    try {
      const report = await drift({ inventoryFile: INVENTORY, localStateDir: state });
      expect(report.status).toBe('error');
      expect(report.errors[0]).toMatch(/^A4B: listing the account failed/);
      expect(report.findings.filter((f) => f.resource !== 'room' || !['mailbox-missing', 'permission-lost'].includes(f.kind))).toEqual([]);
    } finally {
      world.a4b!.clearFaults();
    }
  });
});

describe('import', () => {
  test('round trip: import the live account, deploy that inventory adopting what exists, drift finds nothing', async () => {
    const dir = tempDir('a4b-import-');
    const w = await serveLocalWorld(dir);
    try {
      const first = await localDeploy({ app: APP, context: { inventory: INVENTORY }, stateDir: dir });
      expect(first.ok).toBe(true);
      const { importInventory, inventoryYaml } = await import('../../lib/cli/import');
      const a4b = a4bClient(w.a4b!, 3);
      const imported = await importInventory(a4b);
      a4b.destroy();
      expect(imported.rooms).toHaveLength(12);
      expect(imported.rooms!.every((r) => r.adoptExisting)).toBe(true);
      // ProactiveJoin as deployed from the example (on) and as A4B keeps it where it was never set (absent).
      const meetingRoomOf = (name: string) => imported.profiles!.find((p) => p.name === name)!.meetingRoom;
      expect(meetingRoomOf('Berlin boardrooms')?.proactiveJoin).toEqual({ enabledByMotion: true });
      expect(meetingRoomOf('Berlin meeting rooms')?.proactiveJoin).toBeUndefined();
      const file = path.join(dir, 'imported.yaml');
      require('fs').writeFileSync(file, inventoryYaml(imported));
      expect(require('fs').readFileSync(file, 'utf8')).toMatch(/proactiveJoin:\s*\{?\s*enabledByMotion: true/);
      const roomsBefore = w.a4b!.rooms().map((r) => r.RoomArn).sort();
      const adopted = await localDeploy({ app: APP, context: { inventory: file, stackName: 'Imported' }, stateDir: dir });
      expect(adopted.stacks[0].error).toBeUndefined();
      expect(w.a4b!.rooms().map((r) => r.RoomArn).sort()).toEqual(roomsBefore);
      const report = await drift({ inventoryFile: file, localStateDir: dir });
      expect(report.findings).toEqual([]);
      expect(report.status).toBe('in-sync');
    } finally {
      await w.close();
    }
  });
});

describe('drift from a cloud assembly', () => {
  test('the synthesized templates give the same desired state as the inventory they came from', async () => {
    const { desiredFromInventory } = await import('../../lib/drift/desired');
    const { desiredFromAssembly } = await import('../../lib/cli/desired-assembly');
    const { parseInventoryFile } = await import('../../lib/inventory/parse');
    const { synthesize } = await import('../../lib/local/cloud-assembly');
    const outdir = tempDir('a4b-drift-asm-');
    await synthesize(APP, outdir, { inventory: INVENTORY, driftMonitor: 'false' });
    const fromAssembly = desiredFromAssembly(outdir);
    const fromInventory = desiredFromInventory(parseInventoryFile(INVENTORY).inventory);
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect([...fromAssembly.rooms.values()].sort(byName))
      .toEqual([...fromInventory.rooms.values()].map((r) => ({ ...r, devices: r.devices ?? undefined })).sort(byName));
    expect(fromAssembly.profiles).toEqual(fromInventory.profiles);
    expect(fromAssembly.skillGroups).toEqual(fromInventory.skillGroups);
    expect(fromAssembly.link).toEqual(fromInventory.link);
  });
});

describe('the report in words', () => {
  const report = (checked: { rooms: number; profiles: number; skillGroups: number; mailboxes: number }, status: 'in-sync' | 'drift' | 'error') =>
    ({ version: 1, status, checked, findings: [], errors: [] }) as unknown as Parameters<typeof toTable>[0];

  test.each([
    ['in-sync', { rooms: 12, profiles: 3, skillGroups: 3, mailboxes: 12 }, 'A4B drift: in sync (12 rooms, 3 profiles, 3 skill groups, 12 mailboxes checked)\nA4B and Office 365 match the declaration.'],
    ['in-sync', { rooms: 1, profiles: 1, skillGroups: 0, mailboxes: 0 },
      'A4B drift: in sync (1 room, 1 profile, 0 skill groups, 0 mailboxes checked)\nA4B matches the declaration (no room mailbox declared, so Office 365 was not read).'],
    ['drift', { rooms: 2, profiles: 1, skillGroups: 1, mailboxes: 1 }, 'A4B drift: drifted (2 rooms, 1 profile, 1 skill group, 1 mailbox checked)'],
    ['error', { rooms: 0, profiles: 0, skillGroups: 0, mailboxes: 0 }, 'A4B drift: not read (error) (0 rooms, 0 profiles, 0 skill groups, 0 mailboxes checked)'],
  ] as const)('%s, %j', (status, checked, text) => {
    expect(toTable(report(checked, status))).toBe(text);
    expect(toMarkdown(report(checked, status)).split('\n')[2]).toBe(`${/\((\d+ rooms?, .* checked)\)/.exec(text)![1]}.`);
  });
});
