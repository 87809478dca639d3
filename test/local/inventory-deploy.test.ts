// `a4b-rooms local deploy FILE` semantics, driven through localDeploy on the example inventory and variants of it.
import * as fs from 'fs';
import * as path from 'path';
import { localDeploy } from '../../lib/local/local-deploy';
import { LocalWorld, serveLocalWorld } from '../../lib/local/local-world';
import { tempDir, writesIn } from '../helpers';

const APP = `node ${path.join(__dirname, '..', '..', 'bin', 'app.js')}`;
const EXAMPLE = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'rooms.yaml'), 'utf8');

describe('local deploy of an inventory', () => {
  let stateDir: string;
  let world: LocalWorld;
  let file: string;

  const deploy = (text: string) => {
    fs.writeFileSync(file, text);
    return localDeploy({ app: APP, context: { inventory: file }, stateDir });
  };
  const actions = (result: Awaited<ReturnType<typeof localDeploy>>) => result.stacks.flatMap((s) => s.outcomes)
    .filter((o) => o.action !== 'unchanged' && o.type !== 'AWS::CloudFormation::Stack').map((o) => `${o.action} ${o.type.replace('Custom::A4B', '')} ${o.name ?? ''}`.trim()).sort();

  beforeEach(async () => {
    stateDir = tempDir('a4b-state-');
    file = path.join(tempDir(), 'rooms.yaml');
    world = await serveLocalWorld(stateDir);
  });
  afterEach(() => world.close());

  test('deploy, then deploy again unchanged: no A4B and no Graph write, every shard skipped', async () => {
    const first = await deploy(EXAMPLE);
    expect(first.ok).toBe(true);
    expect(world.a4b!.rooms()).toHaveLength(12);
    const a4bWrites = writesIn(world.a4b!).length;
    const graphRequests = world.graph!.requests.length;
    const again = await deploy(EXAMPLE);
    expect(again.ok).toBe(true);
    expect(actions(again)).toEqual([]);
    expect(writesIn(world.a4b!)).toHaveLength(a4bWrites);
    expect(world.graph!.requests.slice(graphRequests).filter((r) => r.method !== 'GET' && r.path !== '/token' && r.path !== '/$batch')).toEqual([]);
  });

  test('a changed room is updated in place, its new mailbox checked; a removed room is deleted; nothing else moves', async () => {
    await deploy(EXAMPLE);
    const arn = world.a4b!.rooms().find((r) => r.RoomName === 'Spree (2.01)')!.RoomArn;
    // The changed mailbox has to exist in the tenant the first deploy made.
    const changed = EXAMPLE.replace('spree@contoso.onmicrosoft.com', 'havel@contoso.onmicrosoft.com').replace(/^ {2}- \{ name: Havel .*\n/m, '');
    const result = await deploy(changed);
    expect(result.ok).toBe(true);
    // Havel was alone in its shard: the shard and its mailbox check go with it; Spree's check re-checks its shard; the
    // gate lets the new checks through (its physical id names them).
    expect(actions(result)).toEqual(['delete CalendarLink', 'delete Room Havel (2.02)', 'replace MailboxCheckGate', 'replace RoomDeletionGuard', 'update CalendarLink', 'update Room Spree (2.01)']);
    expect(world.a4b!.rooms().find((r) => r.RoomName === 'Spree (2.01)')).toMatchObject({ RoomArn: arn, ProviderCalendarId: 'havel@contoso.onmicrosoft.com' });
    expect(world.a4b!.rooms()).toHaveLength(11);
  });

  test('a failing new room rolls the deploy back: A4B as before, state kept, the next deploy succeeds', async () => {
    await deploy(EXAMPLE);
    const before = world.a4b!.rooms().map((r) => JSON.stringify(r)).sort();
    world.a4b!.injectFault({ operation: 'CreateRoom', match: { RoomName: 'Oder (4.01)' }, status: 400, errorType: 'ValidationException', message: 'injected' });
    const withNew = `${EXAMPLE}  - { name: Oder (4.01), profile: Berlin meeting rooms, skillGroups: [Conferencing] }\n`;
    const failed = await deploy(withNew.replace('description: Phone booth', 'description: Phone booth (quiet)'));
    expect(failed.ok).toBe(false);
    expect(failed.stacks[0].error).toContain("room 'Oder (4.01)'");
    expect(failed.stacks[0].error).toContain('CreateRoom failed with ValidationException: injected');
    expect(world.a4b!.rooms().map((r) => JSON.stringify(r)).sort()).toEqual(before);
    world.a4b!.clearFaults();
    const retry = await deploy(withNew);
    expect(retry.ok).toBe(true);
    expect(world.a4b!.rooms()).toHaveLength(13);
  });

  test('an invalid inventory stops before synth with every problem', async () => {
    fs.writeFileSync(file, EXAMPLE.replace('profile: Munich meeting rooms, skillGroups: [Conferencing], tags', 'profile: Munich, skillGroups: [Conferencing], tags'));
    await expect(localDeploy({ app: APP, context: { inventory: file }, stateDir })).rejects.toThrow(/synth failed .*problems? in inventory .*room 'Würm \(1\.02\)': profile 'Munich' must name a profile of this inventory/s);
    expect(world.a4b!.requests).toHaveLength(0);
  });
});
