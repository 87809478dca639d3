// Local deploy: the example app's templates applied to the emulators through the bundled handler, as
// CloudFormation would apply them, across successive deploys of a changing app.
import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { ExampleRoomsStack } from '../../examples/rooms-stack';
import { Room, RoomProfile, SkillGroup } from '../../lib';
import { localDeploy } from '../../lib/local/local-deploy';
import { LocalWorld, serveLocalWorld } from '../../lib/local/local-world';
import { tempDir, writesIn } from '../helpers';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'rooms.yaml');

interface RoomDecl { id: string; name: string; mailbox?: string; retain?: boolean }

function assembly(rooms: RoomDecl[]): string {
  const outdir = tempDir('a4b-asm-');
  const app = new App({ outdir });
  const stack = new Stack(app, 'Rooms');
  const profile = new RoomProfile(stack, 'Profile', { roomProfileName: 'Std', address: '1 Main St', timezone: 'UTC' });
  const sg = new SkillGroup(stack, 'Sg', { skillGroupName: 'Conferencing' });
  for (const r of rooms) {
    new Room(stack, r.id, {
      roomName: r.name, mailbox: r.mailbox, profile, skillGroups: [sg], removalPolicy: r.retain ? RemovalPolicy.RETAIN : undefined,
    });
  }
  app.synth();
  return outdir;
}

const count = (result: Awaited<ReturnType<typeof localDeploy>>, action: string) =>
  result.stacks.flatMap((s) => s.outcomes).filter((o) => o.action === action).length;

describe('local deploy', () => {
  let stateDir: string;
  let world: LocalWorld;

  beforeEach(async () => {
    stateDir = tempDir('a4b-state-');
    world = await serveLocalWorld(stateDir); // deploys find it through endpoints.json, and the test reads its request log
  });
  afterEach(() => world.close());

  const rooms = () => world.a4b!.rooms().map((r) => r.RoomName).sort();

  test('the example app deploys; deploying it again writes nothing', async () => {
    const outdir = tempDir('a4b-asm-');
    const app = new App({ outdir });
    new ExampleRoomsStack(app, 'ExampleRooms');
    app.synth();
    const first = await localDeploy({ assemblyDir: outdir, stateDir });
    expect(first.ok).toBe(true);
    expect(first.endpoints.a4b).toBe(world.endpoints.a4b);
    expect(count(first, 'create')).toBe(9);
    expect(rooms()).toEqual(['Boardroom (5.01)', 'Havel (2.02)', 'Spree (2.01)', 'Tegel (3.01)']);
    const writes = writesIn(world.a4b!).length;
    const second = await localDeploy({ assemblyDir: outdir, stateDir });
    expect(count(second, 'unchanged')).toBe(9);
    expect(writesIn(world.a4b!)).toHaveLength(writes);
  });

  test('a changed room is updated, a removed one deleted, a retained one left in A4B', async () => {
    await localDeploy({ assemblyDir: assembly([{ id: 'A', name: 'A' }, { id: 'B', name: 'B' }, { id: 'C', name: 'C', retain: true }]), stateDir });
    const arnOfA = world.a4b!.rooms().find((r) => r.RoomName === 'A')!.RoomArn;
    const result = await localDeploy({ assemblyDir: assembly([{ id: 'A', name: 'A', mailbox: 'a@contoso.com' }]), stateDir });
    expect(result.ok).toBe(true);
    expect(result.stacks[0].outcomes.filter((o) => o.action !== 'unchanged').map((o) => `${o.action} ${o.name}`).sort()).toEqual(['delete B', 'retain C', 'update A']);
    expect(rooms()).toEqual(['A', 'C']);
    expect(world.a4b!.rooms().find((r) => r.RoomName === 'A')).toMatchObject({ RoomArn: arnOfA, ProviderCalendarId: 'a@contoso.com' });
  });

  test('a failing resource rolls back the whole deploy: new rooms deleted, changed ones restored, state kept', async () => {
    await localDeploy({ assemblyDir: assembly([{ id: 'A', name: 'A' }]), stateDir });
    world.a4b!.injectFault({ operation: 'CreateRoom', match: { RoomName: 'Z' }, status: 400, errorType: 'ValidationException', message: 'injected' });
    const result = await localDeploy({ assemblyDir: assembly([{ id: 'A', name: 'A', mailbox: 'a@contoso.com' }, { id: 'B', name: 'B' }, { id: 'Z', name: 'Z' }]), stateDir, concurrency: 1 });
    expect(result.ok).toBe(false);
    expect(result.stacks[0].error).toMatch(/^Z[0-9A-F]{8}: room 'Z' \(Z[0-9A-F]{8}\): CreateRoom failed with ValidationException: injected/);
    expect(rooms()).toEqual(['A']);
    expect(world.a4b!.rooms()[0].ProviderCalendarId ?? '').toBe('');
    world.a4b!.clearFaults();
    const retry = await localDeploy({ assemblyDir: assembly([{ id: 'A', name: 'A' }]), stateDir });
    expect(count(retry, 'unchanged')).toBe(3);
  });

  test('the example app without a tenant file: the tenant is made from its calendar link, and its secret put in the local Secrets Manager', async () => {
    const result = await localDeploy({ app: `node ${path.join(__dirname, '..', '..', 'bin', 'app.js')}`, stateDir, context: { inventory: EXAMPLE } });
    expect(result.ok).toBe(true);
    expect(world.graph!.tenantId).toBe('contoso.onmicrosoft.com');
    expect(world.graph!.permissions('spree@contoso.onmicrosoft.com').find((p) => p.address === 'alexaforbusiness@contoso.onmicrosoft.com')?.role).toBe('write');
    expect(world.a4b!.hasSecret('arn:aws:secretsmanager:us-east-1:123456789012:secret:a4b-rooms/graph-validator')).toBe(true);
  });

  test('with a tenant file missing a mailbox, the deploy fails before any A4B write; the persisted tenant wins over a later file', async () => {
    const tenant = {
      tenantId: 'contoso.onmicrosoft.com',
      apps: [{ clientId: 'c0ffee00-0000-4000-8000-000000000001', clientSecret: 'local-only', roles: ['Place.Read.All', 'User.Read.All', 'MailboxSettings.Read', 'Calendars.Read'] }],
      users: [{ upn: 'alexaforbusiness@contoso.onmicrosoft.com' }],
      rooms: ['spree', 'havel', 'tegel'].map((r) => ({ mailbox: `${r}@contoso.onmicrosoft.com` })),
      calendarPermissions: ['spree', 'havel', 'tegel'].map((r) => ({ mailbox: `${r}@contoso.onmicrosoft.com`, user: 'alexaforbusiness@contoso.onmicrosoft.com', role: 'write' })),
    };
    const app = `node ${path.join(__dirname, '..', '..', 'bin', 'app.js')}`;
    const result = await localDeploy({ app, stateDir, tenant, context: { inventory: EXAMPLE } });
    expect(result.ok).toBe(false);
    // Every shard's check ran; the gate after them fails with the nine missing mailboxes of the example's twelve rooms.
    expect(result.stacks[0].error).toMatch(/MailboxCheckGate\w*: calendar link .*: 9 of 12 rooms failed the Office 365 checks .*nothing was written to A4B.*\n- 9 rooms: there is no mailbox with this address in tenant contoso.onmicrosoft.com[^:]*: [^<]+ <[a-z]+@contoso.onmicrosoft.com>/s);
    expect(writesIn(world.a4b!)).toEqual([]);
    const again = await localDeploy({ app, stateDir, context: { inventory: EXAMPLE }, tenant: { ...tenant, rooms: [...tenant.rooms, { mailbox: 'boardroom@contoso.onmicrosoft.com' }] } });
    expect(again.ok).toBe(false);
    expect(world.a4b!.rooms()).toHaveLength(0);
  });

  test('the app command is synthesized first (bin/app.js, as cdk.json runs it)', async () => {
    const result = await localDeploy({ app: `node ${path.join(__dirname, '..', '..', 'bin', 'app.js')}`, stateDir, context: { inventory: EXAMPLE, stackName: 'FromContext' } });
    expect(result.ok).toBe(true);
    expect(result.stacks.map((s) => s.stack)).toEqual(['FromContext']);
    expect(rooms()).toHaveLength(12);
  });

  test('a synth error stops the deploy before any A4B call', async () => {
    await expect(localDeploy({ app: 'node -e "process.exit(3)"', stateDir })).rejects.toThrow(/synth failed .*exit 3/);
    expect(world.a4b!.requests).toHaveLength(0);
  });
});
