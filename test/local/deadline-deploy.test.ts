// A local deploy against an A4B that answers slower than the provider function's timeout: the bundled handler answers
// FAILED before its deadline, the deploy fails without waiting for the ServiceTimeout and rolls back, and once A4B has
// applied the call the handler gave up on, nothing of the deploy is left in A4B.
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Room, RoomInventory, RoomProfile, RoomsProvider, SkillGroup } from '../../lib';
import { localDeploy } from '../../lib/local/local-deploy';
import { LocalWorld, serveLocalWorld } from '../../lib/local/local-world';
import { scaled, tempDir, waitFor } from '../helpers';

// The provider's timeout: longer on a machine told to be slow (TEST_TIME_SCALE), since the other calls must finish in
// it. Room B's CreateRoom is held by the emulator until the test releases it: slower than any timeout.
const TIMEOUT = Duration.seconds(Math.ceil(scaled(3000) / 1000));

function assembly(roomNames: string[]): string {
  const outdir = tempDir('a4b-asm-');
  const app = new App({ outdir });
  const stack = new Stack(app, 'Rooms');
  new RoomsProvider(stack, 'Provider', { timeout: TIMEOUT });
  const profile = new RoomProfile(stack, 'Profile', { roomProfileName: 'Std', address: '1 Main St', timezone: 'UTC' });
  const sg = new SkillGroup(stack, 'Sg', { skillGroupName: 'Conferencing' });
  for (const name of roomNames) new Room(stack, name, { roomName: name, profile, skillGroups: [sg] });
  app.synth();
  return outdir;
}

let stateDir: string;
let world: LocalWorld;

beforeEach(async () => {
  stateDir = tempDir('a4b-state-');
  world = await serveLocalWorld(stateDir);
});
afterEach(() => world.close());

/** Releases room B's held CreateRoom and waits until the emulator has answered it as well as the rollback's replay of it. */
async function slowCreateLanded(): Promise<void> {
  expect(world.a4b!.held).toBe(1);
  world.a4b!.releaseHeld();
  // Recorded once answered: the room the slow call made, if any, is in the store by then.
  await waitFor('the slow CreateRoom and its replay', () => world.a4b!.requests.filter((r) => r.operation === 'CreateRoom' && r.input.RoomName === 'B').length >= 2, 30_000, 50);
}

test('CreateRoom slower than the function timeout: the deploy fails with the handler\'s reason and rolls back to nothing', async () => {
  world.a4b!.injectFault({ operation: 'CreateRoom', match: { RoomName: 'B' }, hold: true, count: 1 });
  const result = await localDeploy({ assemblyDir: assembly(['A', 'B']), stateDir, concurrency: 1 });
  expect(result.ok).toBe(false);
  // The handler's own answer, not CloudFormation's "did not receive a response" after the ServiceTimeout.
  expect(result.stacks[0].error).toMatch(/^B[0-9A-F]{8}: room 'B' \(B[0-9A-F]{8}\): Create stopped while still waiting on CreateRoom, to answer CloudFormation before the Lambda function's timeout/);
  expect(result.stacks[0].error).toContain("A4B may still complete the CreateRoom: CloudFormation's rollback Delete asks A4B for it by this request's token and deletes it; "
    + 'deploy again once A4B answers in time, or give the RoomsProvider a longer timeout.');
  expect(result.stacks[0].rollback).toHaveLength(4);
  expect(result.stacks[0].rollback!.every((r) => /: deleted /.test(r))).toBe(true);

  // A4B applies the slow CreateRoom late (the rollback's replay of its token came first): still nothing is left.
  await slowCreateLanded();
  expect(world.a4b!.rooms()).toEqual([]);
  expect(world.a4b!.call('SearchProfiles', {}).Profiles).toEqual([]);
  expect(world.a4b!.call('SearchSkillGroups', {}).SkillGroups).toEqual([]);

  // With A4B answering in time again, the same deploy goes through, each room once.
  const retry = await localDeploy({ assemblyDir: assembly(['A', 'B']), stateDir, concurrency: 1 });
  expect(retry.ok).toBe(true);
  expect(world.a4b!.rooms().map((r) => r.RoomName).sort()).toEqual(['A', 'B']);
}, scaled(30_000));

test('rooms in an inventory\'s shards (nested stacks) get the same function timeout, and their rollback restores every shard', async () => {
  const outdir = tempDir('a4b-asm-');
  const app = new App({ outdir });
  const stack = new Stack(app, 'Rooms');
  new RoomsProvider(stack, 'Provider', { timeout: TIMEOUT });
  const rooms = ['A', 'B', 'C', 'D'].map((name) => ({ name, profile: 'Std' }));
  new RoomInventory(stack, 'Inventory', { shards: 2, inventory: { profiles: [{ name: 'Std', address: '1 Main St', timezone: 'UTC' }], rooms } });
  app.synth();
  world.a4b!.injectFault({ operation: 'CreateRoom', match: { RoomName: 'B' }, hold: true, count: 1 });
  const result = await localDeploy({ assemblyDir: outdir, stateDir });
  expect(result.ok).toBe(false);
  expect(result.stacks[0].error).toMatch(/^InventoryShard\d+\w+: Room\w+: room 'B' \(Room\w+\): Create stopped while still waiting on CreateRoom/);
  await slowCreateLanded();
  expect(world.a4b!.rooms()).toEqual([]);
  expect(world.a4b!.call('SearchProfiles', {}).Profiles).toEqual([]);
}, scaled(30_000));
