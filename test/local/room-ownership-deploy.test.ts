// A declared room never vanishes: whenever a room's logical id changes (a new `id`, another shard count, a room moved
// to another inventory, a construct renamed), CloudFormation creates the new resource and then deletes the old one.
// Through `local deploy` (synth, the deploy engine in CloudFormation's order, the bundled handler, the A4B emulator):
// every declared room keeps its ARN, drift stays in sync, and a room really removed is still deleted.
import * as fs from 'fs';
import * as path from 'path';
import { OWNER_TAG, PREVIOUS_OWNER_TAG } from '../../lib/contract';
import { drift } from '../../lib/cli/drift';
import { exitCode } from '../../lib/drift/compare';
import { localDeploy, LocalDeployResult } from '../../lib/local/local-deploy';
import { LocalWorld, serveLocalWorld } from '../../lib/local/local-world';
import { tempDir } from '../helpers';

const ROOT = path.join(__dirname, '..', '..');
const APP = `node ${path.join(ROOT, 'bin', 'app.js')}`;
const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'rooms.yaml'), 'utf8');
/** The example with `adoptExisting: true` on every room, as `a4b-rooms import` writes it. */
const ADOPTING = EXAMPLE.replace(/^ {2}- \{ name: /gm, '  - { adoptExisting: true, name: ');

let stateDir: string;
let world: LocalWorld;

beforeEach(async () => {
  stateDir = tempDir('a4b-state-');
  world = await serveLocalWorld(stateDir);
});
afterEach(() => world.close());

const roomArns = () => world.a4b!.rooms().map((r) => `${r.RoomName} ${r.RoomArn}`).sort();
const tagsOf = (arn: string) => Object.fromEntries(world.a4b!.call('ListTags', { Arn: arn }).Tags.map((t: { Key: string; Value: string }) => [t.Key, t.Value]));
const deletes = () => world.a4b!.requests.filter((r) => r.operation === 'DeleteRoom' && r.status === 200).length;
const errors = (r: LocalDeployResult) => r.stacks.map((s) => s.error).filter(Boolean);
const roomActions = (r: LocalDeployResult) => r.stacks.flatMap((s) => s.outcomes)
  .filter((o) => o.type === 'Custom::A4BRoom' && o.action !== 'unchanged').map((o) => `${o.action} ${o.name} ${o.physicalId}`).sort();

describe('an inventory whose rooms change logical id', () => {
  let file: string;
  const deploy = (text: string, context: Record<string, string> = {}) => {
    fs.writeFileSync(file, text);
    return localDeploy({ app: APP, context: { inventory: file, driftMonitor: 'false', ...context }, stateDir });
  };
  const inSync = async () => exitCode(await drift({ inventoryFile: file, localStateDir: stateDir }));
  const spree = () => world.a4b!.rooms().find((r) => r.RoomName === 'Spree (2.01)')!.RoomArn;

  beforeEach(() => {
    file = path.join(tempDir(), 'rooms.yaml');
  });

  test('adoptExisting everywhere, then an id given to a room: created, then the old resource\'s delete keeps it; same ARN, drift 0', async () => {
    expect(errors(await deploy(ADOPTING))).toEqual([]);
    const before = roomArns();
    const arn = spree();
    const withId = ADOPTING.replace('{ adoptExisting: true, name: Spree (2.01)', '{ adoptExisting: true, id: hq-spree, name: Spree (2.01)');
    const moved = await deploy(withId);
    expect(errors(moved)).toEqual([]);
    expect(moved.ok).toBe(true);
    // What CloudFormation does: the new resource made (adopting the room), the old one deleted, both with the room's ARN.
    expect(roomActions(moved)).toEqual([`create Spree (2.01) ${arn}`, `delete Spree (2.01) ${arn}`]);
    // The delete says why the room is still there.
    const kept = moved.stacks.flatMap((s) => s.outcomes).find((o) => o.action === 'delete' && o.type === 'Custom::A4BRoom')!;
    expect(kept.note).toMatch(new RegExp(`^room 'Spree \\(2\\.01\\)' \\(Room[0-9A-Za-z]+\\): room ${arn} not deleted, kept: resource Roomhqspree[0-9A-Za-z]* of stack .* holds it now$`));
    expect(roomArns()).toEqual(before);
    expect(deletes()).toBe(0);
    // The old resource's cleanup confirmed the handover: held by the new resource alone.
    expect(tagsOf(arn)[PREVIOUS_OWNER_TAG]).toBeUndefined();
    expect(tagsOf(arn)[OWNER_TAG]).toMatch(/\/Roomhqspree[0-9A-Za-z]*$/);
    expect(await inSync()).toBe(0);
    // Deployed again: nothing to do. Removed from the file: the room the new resource holds is deleted as usual.
    expect(roomActions(await deploy(withId))).toEqual([]);
    expect((await deploy(withId.replace(/^ {2}- \{ adoptExisting: true, id: hq-spree, .*\n/m, ''))).ok).toBe(true);
    expect(world.a4b!.rooms().map((r) => r.RoomArn)).not.toContain(arn);
    expect(deletes()).toBe(1);
    expect(world.a4b!.rooms()).toHaveLength(11);
  });

  test.each([
    ['adoptExisting on every room', ADOPTING],
    ['no adoptExisting (the same provider holds the rooms)', EXAMPLE],
  ])('another shard count moves every room to another nested stack: none is deleted, drift 0 (%s)', async (_, text) => {
    expect(errors(await deploy(text))).toEqual([]);
    const before = roomArns();
    const resharded = await deploy(text, { shards: '16' });
    expect(errors(resharded)).toEqual([]);
    expect(resharded.ok).toBe(true);
    // Rooms did move (a create and a delete each, with the room's ARN), and kept their rooms.
    const created = roomActions(resharded).filter((a) => a.startsWith('create '));
    expect(created.length).toBeGreaterThan(2);
    expect(roomActions(resharded).filter((a) => a.startsWith('delete '))).toEqual(created.map((a) => a.replace(/^create/, 'delete')));
    expect(roomArns()).toEqual(before);
    expect(deletes()).toBe(0);
    expect(await inSync()).toBe(0);
    // And back.
    expect(errors(await deploy(text))).toEqual([]);
    expect(roomArns()).toEqual(before);
    expect(await inSync()).toBe(0);
  });

  test('a deploy that moves a room and then fails elsewhere is rolled back: the room is handed back, not deleted', async () => {
    expect(errors(await deploy(EXAMPLE))).toEqual([]);
    const before = roomArns();
    const arn = spree();
    const held = tagsOf(arn)[OWNER_TAG];
    world.a4b!.injectFault({ operation: 'CreateRoom', match: { RoomName: 'Oder (4.01)' }, status: 400, errorType: 'ValidationException', message: 'injected' });
    const moving = EXAMPLE.replace('{ name: Spree (2.01)', '{ id: hq-spree, name: Spree (2.01)');
    const failed = await deploy(`${moving}  - { name: Oder (4.01), profile: Berlin meeting rooms }\n`);
    expect(failed.ok).toBe(false);
    expect(roomArns()).toEqual(before);
    expect(deletes()).toBe(0);
    // Back with the resource that held it before the failed deploy, as the stack's state says.
    expect(tagsOf(arn)[OWNER_TAG]).toBe(held);
    expect(tagsOf(arn)[PREVIOUS_OWNER_TAG]).toBeUndefined();
    fs.writeFileSync(file, EXAMPLE);
    expect(await inSync()).toBe(0);
    world.a4b!.clearFaults();
    expect(errors(await deploy(moving))).toEqual([]);
    expect(roomArns()).toEqual(before);
    expect(await inSync()).toBe(0);
  });

  test('a name rewritten from NFC to NFD (it looks the same) keeps its resource and its room: an update in place, drift 0', async () => {
    expect(errors(await deploy(EXAMPLE))).toEqual([]);
    const before = world.a4b!.rooms().map((r) => r.RoomArn).sort();
    const nfd = 'Würm (1.02)'.normalize('NFD');
    expect(nfd).not.toBe('Würm (1.02)');
    const rewritten = await deploy(EXAMPLE.replace('Würm (1.02)', nfd));
    expect(errors(rewritten)).toEqual([]);
    expect(roomActions(rewritten).map((a) => a.split(' ')[0])).toEqual(['update']);
    expect(world.a4b!.rooms().map((r) => r.RoomArn).sort()).toEqual(before);
    expect(world.a4b!.rooms().map((r) => r.RoomName)).toContain(nfd);
    expect(deletes()).toBe(0);
    expect(await inSync()).toBe(0);
  });

  test('the deletion guard counts rooms that go, not resources that move: 12 rooms resharded and 6 given ids pass; 6 removed do not', async () => {
    expect(errors(await deploy(EXAMPLE))).toEqual([]);
    let n = 0;
    const ids = EXAMPLE.replace(/^ {2}- \{ name: /gm, (m) => (n++ < 6 ? `  - { id: room-${n}, name: ` : m));
    expect(errors(await deploy(ids, { shards: '3' }))).toEqual([]);
    expect(deletes()).toBe(0);
    const lines = ids.split('\n').filter((l) => /^ {2}- \{ /.test(l));
    const refused = await deploy(lines.slice(0, 6).reduce((t, l) => t.replace(`${l}\n`, ''), ids), { shards: '3' });
    expect(refused.stacks[0].error).toContain('this deploy would delete 6 of 12 rooms');
    expect(world.a4b!.rooms()).toHaveLength(12);
  });
});

describe('apps of the user\'s own', () => {
  const lib = JSON.stringify(path.join(ROOT, 'lib'));
  const cdk = JSON.stringify(path.join(ROOT, 'node_modules', 'aws-cdk-lib'));
  const app = (source: string) => {
    const file = path.join(tempDir(), 'app.js');
    fs.writeFileSync(file, `const { App, Stack } = require(${cdk});\nconst a4b = require(${lib});\nconst app = new App();\n${source}\napp.synth();\n`);
    return `node ${file}`;
  };
  const deploy = (command: string, context: Record<string, string>) => localDeploy({ app: command, context, stateDir });
  /** Drift of the app last deployed (the assembly local deploy synthesized) against the emulators. */
  const inSync = async () => exitCode(await drift({ assemblyDir: path.join(stateDir, 'cdk.out'), localStateDir: stateDir }));
  /** Deploys the app with `from`, then with `to`: the room `room` moved keeps its ARN (no room deleted) under the profile `profile`. */
  const move = async (command: string, from: Record<string, string>, to: Record<string, string>, room: string, profile: string) => {
    expect(errors(await deploy(command, from))).toEqual([]);
    const before = roomArns();
    expect(errors(await deploy(command, to))).toEqual([]);
    expect(roomArns()).toEqual(before);
    expect(deletes()).toBe(0);
    const arn = world.a4b!.call('SearchProfiles', {}).Profiles.find((p: { ProfileName: string }) => p.ProfileName === profile).ProfileArn;
    expect(world.a4b!.rooms().find((r) => r.RoomName === room)!.ProfileArn).toBe(arn);
    expect(await inSync()).toBe(0);
  };

  test('a hand-written Room, RoomProfile and SkillGroup whose constructs are renamed keep their A4B resources', async () => {
    const command = app(`const stack = new Stack(app, 'Rooms');
const id = app.node.tryGetContext('id');
const profile = new a4b.RoomProfile(stack, 'Std' + id, { roomProfileName: 'Std', address: '1 Main St', timezone: 'UTC' });
const group = new a4b.SkillGroup(stack, 'Conf' + id, { skillGroupName: 'Conferencing' });
new a4b.Room(stack, 'Board' + id, { roomName: 'Board Room', profile, skillGroups: [group], tags: { floor: '5' } });`);
    const arns = (op: string, list: string, arn: string) => world.a4b!.call(op, {})[list].map((x: Record<string, string>) => x[arn]).sort();
    expect(errors(await deploy(command, { id: '' }))).toEqual([]);
    const before = [roomArns(), arns('SearchProfiles', 'Profiles', 'ProfileArn'), arns('SearchSkillGroups', 'SkillGroups', 'SkillGroupArn')];
    const renamed = await deploy(command, { id: 'Renamed' });
    expect(errors(renamed)).toEqual([]);
    expect(roomActions(renamed).map((a) => a.split(' ')[0])).toEqual(['create', 'delete']);
    expect([roomArns(), arns('SearchProfiles', 'Profiles', 'ProfileArn'), arns('SearchSkillGroups', 'SkillGroups', 'SkillGroupArn')]).toEqual(before);
    expect(world.a4b!.requests.filter((r) => /^Delete/.test(r.operation) && r.status === 200)).toEqual([]);
    expect(await inSync()).toBe(0);
  });

  test('a room moved to another stack of the app, with adoptExisting, the stack that gains it deployed first: same room', async () => {
    // Each stack has its own provider, so the move is an adoption; the stack that loses the room depends on the one
    // that gains it, so its cleanup runs after the takeover and keeps the room.
    const command = app(`const east = new Stack(app, 'East');
const west = new Stack(app, 'West');
west.addDependency(east);
const where = app.node.tryGetContext('delta');
for (const stack of [east, west]) {
  const profile = new a4b.RoomProfile(stack, 'Std', { roomProfileName: stack.stackName + ' rooms', address: '1 Main St', timezone: 'UTC' });
  new a4b.Room(stack, 'Own', { roomName: stack.stackName + ' lobby', profile });
  if (where === stack.stackName) new a4b.Room(stack, 'Delta', { roomName: 'Delta', profile, adoptExisting: stack.stackName === 'East' });
}`);
    await move(command, { delta: 'West' }, { delta: 'East' }, 'Delta', 'East rooms');
  });

  test('a room moved from one RoomInventory of a stack to another keeps its room and takes the new inventory\'s profile', async () => {
    const dir = tempDir();
    const inv = (name: string, rooms: string[]) => {
      const file = path.join(dir, `${name}.yaml`);
      fs.writeFileSync(file, [
        'profiles:', `  - { name: ${name} rooms, address: 1 Main St, timezone: UTC }`, 'rooms:',
        ...rooms.map((r) => `  - { name: ${r}, profile: ${name} rooms }`), '',
      ].join('\n'));
      return file;
    };
    const command = app(`const stack = new Stack(app, 'Rooms');
new a4b.RoomInventory(stack, 'North', { file: app.node.tryGetContext('north') });
new a4b.RoomInventory(stack, 'South', { file: app.node.tryGetContext('south') });`);
    await move(command, { north: inv('North', ['Alpha', 'Bravo']), south: inv('South', ['Charlie']) },
      { north: inv('North', ['Alpha']), south: inv('South', ['Bravo', 'Charlie']) }, 'Bravo', 'South rooms');
  });
});
