// The deletion guard and rooms with ids, through `local deploy` of inventories (synth, the deploy engine, the
// bundled handler, the A4B emulator): what a team sees when a file loses its rooms.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { RENAMED_FROM_TAG } from '../../lib/contract';
import { drift } from '../../lib/cli/drift';
import { localDeploy } from '../../lib/local/local-deploy';
import { LocalWorld, serveLocalWorld } from '../../lib/local/local-world';
import { tempDir, writesIn } from '../helpers';

const APP = `node ${path.join(__dirname, '..', '..', 'bin', 'app.js')}`;
const EXAMPLE = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'rooms.yaml'), 'utf8');
/** The example's room lines, one room a line. */
const ROOM_LINES = EXAMPLE.split('\n').filter((l) => /^ {2}- \{ name: /.test(l));

describe('local deploy with the deletion guard', () => {
  let stateDir: string;
  let world: LocalWorld;
  let file: string;

  const deploy = (text: string, context: Record<string, string> = {}) => {
    fs.writeFileSync(file, text);
    return localDeploy({ app: APP, context: { inventory: file, driftMonitor: 'false', ...context }, stateDir });
  };
  const without = (n: number) => ROOM_LINES.slice(0, n).reduce((t, line) => t.replace(`${line}\n`, ''), EXAMPLE);
  const roomArns = () => world.a4b!.rooms().map((r) => `${r.RoomName} ${r.RoomArn}`).sort();

  beforeEach(async () => {
    stateDir = tempDir('a4b-state-');
    file = path.join(tempDir(), 'rooms.yaml');
    world = await serveLocalWorld(stateDir);
    expect((await deploy(EXAMPLE)).ok).toBe(true);
  });
  afterEach(() => world.close());

  test('deleting 6 rooms is refused before any write; -c allowRoomDeletions=6 deletes them; up to 5 need nothing', async () => {
    expect(ROOM_LINES).toHaveLength(12);
    const before = roomArns();
    const writes = writesIn(world.a4b!).length;
    const refused = await deploy(without(6));
    expect(refused.ok).toBe(false);
    // The rooms are named (from A4B: the guard lists only hashes of names), in name order.
    const gone = ROOM_LINES.slice(0, 6).map((l) => /name: ([^,]+),/.exec(l)![1]).sort((x, y) => x.localeCompare(y)).map((n) => `'${n}'`).join(', ');
    expect(refused.stacks[0].error).toContain(`this deploy would delete 6 of 12 rooms (${gone}), more than the 5 one deploy may delete; nothing was deleted`);
    expect(refused.stacks[0].error).toContain('-c allowRoomDeletions=6');
    expect(roomArns()).toEqual(before);
    expect(writesIn(world.a4b!).length).toBe(writes);

    const allowed = await deploy(without(6), { allowRoomDeletions: '6' });
    expect(allowed.ok).toBe(true);
    expect(world.a4b!.rooms()).toHaveLength(6);
    // The allowance was for that deploy: the next one, without it, changes nothing and passes.
    expect((await deploy(without(6))).ok).toBe(true);
    expect((await deploy(without(11))).ok).toBe(true);
    expect(world.a4b!.rooms()).toHaveLength(1);
  });

  test('rooms: [] is refused like any other mass deletion', async () => {
    const empty = EXAMPLE.slice(0, EXAMPLE.indexOf('rooms:')) + 'rooms: []\n';
    const refused = await deploy(empty);
    expect(refused.stacks[0].error).toContain('would delete 12 of 12 rooms');
    expect(world.a4b!.rooms()).toHaveLength(12);
    expect((await deploy(empty, { allowRoomDeletions: '12' })).ok).toBe(true);
    expect(world.a4b!.rooms()).toHaveLength(0);
  });

  test('a room given an id keeps its ARN when its name changes; cdk-style update, no replacement', async () => {
    const line = ROOM_LINES.find((l) => l.includes('Spree (2.01)'))!;
    const arn = world.a4b!.rooms().find((r) => r.RoomName === 'Spree (2.01)')!.RoomArn;
    // First give the room an id equal to its name: its key, and so its resource, is unchanged.
    const withId = EXAMPLE.replace(line, line.replace('{ name: Spree (2.01)', '{ id: Spree (2.01), name: Spree (2.01)'));
    const same = await deploy(withId);
    expect(same.ok).toBe(true);
    expect(same.stacks.flatMap((s) => s.outcomes).filter((o) => o.action !== 'unchanged' && o.type === 'Custom::A4BRoom')).toEqual([]);
    const renamed = await deploy(withId.replace('name: Spree (2.01)', 'name: Spree (Board room)'));
    expect(renamed.stacks.map((s) => s.error)).toEqual([undefined]);
    expect(renamed.ok).toBe(true);
    const roomOutcomes = renamed.stacks.flatMap((s) => s.outcomes).filter((o) => o.type === 'Custom::A4BRoom' && o.action !== 'unchanged');
    expect(roomOutcomes.map((o) => `${o.action} ${o.name}`)).toEqual(['update Spree (Board room)']);
    expect(world.a4b!.rooms().find((r) => r.RoomArn === arn)!.RoomName).toBe('Spree (Board room)');
    expect(world.a4b!.rooms()).toHaveLength(12);
  });

  test('rooms removed from shards that keep others are not deleted when another shard fails: the rollback keeps them', async () => {
    const before = roomArns();
    // Library and Amper share their shards with Würm and Boardroom, so only their shards' cleanup would delete them.
    const drop = (text: string) => ROOM_LINES.filter((l) => /name: (Library|Amper) /.test(l)).reduce((t, l) => t.replace(`${l}\n`, ''), text);
    // The new room fails, slowly: the other shards finish their updates first.
    world.a4b!.injectFault({ operation: 'CreateRoom', match: { RoomName: 'Oder (4.01)' }, status: 400, errorType: 'ValidationException', message: 'injected', latencyMs: 1500 });
    const failed = await deploy(`${drop(EXAMPLE)}  - { name: Oder (4.01), profile: Berlin meeting rooms }\n`);
    expect(failed.ok).toBe(false);
    expect(failed.stacks[0].error).toContain("room 'Oder (4.01)'");
    expect(world.a4b!.requests.filter((r) => r.operation === 'DeleteRoom' && r.status === 200)).toHaveLength(0);
    expect(roomArns()).toEqual(before);
    world.a4b!.clearFaults();
    expect((await deploy(drop(EXAMPLE))).ok).toBe(true);
    expect(world.a4b!.rooms().map((r) => r.RoomName)).not.toContain('Library (5.02)');
    expect(world.a4b!.rooms()).toHaveLength(10);
    expect((await drift({ inventoryFile: file, localStateDir: stateDir })).findings).toEqual([]);
  });

  test('a case-only rename keeps the room: same ARN, new name, no mark left, drift in sync', async () => {
    const arn = world.a4b!.rooms().find((r) => r.RoomName === 'Spree (2.01)')!.RoomArn;
    const renamed = await deploy(EXAMPLE.replace('name: Spree (2.01)', 'name: SPREE (2.01)'));
    expect(renamed.stacks.map((s) => s.error)).toEqual([undefined]);
    expect(renamed.ok).toBe(true);
    expect(world.a4b!.rooms().filter((r) => r.RoomName.toLowerCase() === 'spree (2.01)').map((r) => `${r.RoomName} ${r.RoomArn}`)).toEqual([`SPREE (2.01) ${arn}`]);
    expect(world.a4b!.rooms()).toHaveLength(12);
    expect(world.a4b!.call('ListTags', { Arn: arn }).Tags.map((t: { Key: string }) => t.Key)).not.toContain(RENAMED_FROM_TAG);
    const report = await drift({ inventoryFile: file, localStateDir: stateDir });
    expect(report.findings).toEqual([]);
  });

  test('a case-only rename in a deploy that fails elsewhere is rolled back: the room keeps its ARN and its old name', async () => {
    const before = roomArns();
    world.a4b!.injectFault({ operation: 'CreateRoom', match: { RoomName: 'Oder (4.01)' }, status: 400, errorType: 'ValidationException', message: 'injected' });
    const failed = await deploy(`${EXAMPLE.replace('name: Spree (2.01)', 'name: SPREE (2.01)')}  - { name: Oder (4.01), profile: Berlin meeting rooms }\n`);
    expect(failed.ok).toBe(false);
    expect(roomArns()).toEqual(before);
    for (const r of world.a4b!.rooms()) expect(world.a4b!.call('ListTags', { Arn: r.RoomArn }).Tags.map((t: { Key: string }) => t.Key)).not.toContain(RENAMED_FROM_TAG);
    world.a4b!.clearFaults();
    expect((await deploy(EXAMPLE)).ok).toBe(true);
    expect((await drift({ inventoryFile: file, localStateDir: stateDir })).findings).toEqual([]);
  });

});

describe('a4b-rooms local deploy FILE -c allowRoomDeletions=N', () => {
  const CLI = path.join(__dirname, '..', '..', 'bin', 'a4b-rooms.js');
  const run = (args: string[]) => spawnSync('node', [CLI, 'local', 'deploy', ...args], { encoding: 'utf8' });

  test('the CLI refuses the deletion with exit 1 and the fix, then applies it with the context', () => {
    const state = tempDir('a4b-state-');
    const file = path.join(tempDir(), 'rooms.yaml');
    fs.writeFileSync(file, EXAMPLE);
    expect(run([file, '--state', state, '-c', 'driftMonitor=false']).status).toBe(0);
    fs.writeFileSync(file, EXAMPLE.slice(0, EXAMPLE.indexOf('rooms:')) + 'rooms: []\n');
    const refused = run([file, '--state', state, '-c', 'driftMonitor=false']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('would delete 12 of 12 rooms');
    expect(refused.stderr).toContain('-c allowRoomDeletions=12');
    const allowed = run([file, '--state', state, '-c', 'driftMonitor=false', '-c', 'allowRoomDeletions=12']);
    expect(allowed.status).toBe(0);
    expect(allowed.stdout.match(/^ +delete +Custom::A4BRoom /gm)).toHaveLength(12);
  });
});
