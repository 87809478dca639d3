// Devices moved between rooms of an inventory that sit in different shards, deploy after deploy: each device ends
// in the room that now declares it, and drift finds nothing. Every deploy moves each device on by one room of a
// cycle of three, so whatever order the shards are applied in, some moves have the losing room updated first and
// some the gaining room. Shards run side by side, and every DisassociateDeviceFromRoom is slowed down: were it sent by
// the losing room's update, the gaining room's AssociateDeviceWithRoom would land first and the late disassociate
// would take the device out of its new room. The inventory's device release sends it only after every room.
import * as fs from 'fs';
import * as path from 'path';
import { drift } from '../../lib/cli/drift';
import { DEFAULT_SHARDS, shardOf } from '../../lib/inventory/sharding';
import { localDeploy } from '../../lib/local/local-deploy';
import { LocalWorld, serveLocalWorld } from '../../lib/local/local-world';
import { tempDir } from '../helpers';

const APP = `node ${path.join(__dirname, '..', '..', 'bin', 'app.js')}`;

/** Three room names that land in three different shards. */
function roomsInDifferentShards(): string[] {
  const names: string[] = [];
  const shards = new Set<number>();
  for (let i = 1; names.length < 3; i++) {
    const name = `Room ${i}`;
    if (!shards.has(shardOf(name, DEFAULT_SHARDS))) {
      shards.add(shardOf(name, DEFAULT_SHARDS));
      names.push(name);
    }
  }
  return names;
}

let stateDir: string;
let world: LocalWorld;
let file: string;
beforeEach(async () => {
  stateDir = tempDir('a4b-state-');
  file = path.join(tempDir(), 'rooms.yaml');
  world = await serveLocalWorld(stateDir);
});
afterEach(() => world.close());

test('devices rotated between rooms of three shards, five deploys in a row: each ends in its new room, no drift', async () => {
  const rooms = roomsInDifferentShards();
  const devices = ['Echo Show 1', 'Echo Show 2', 'Echo Show 3'].map((n) => world.a4b!.registerDevice(n));
  const roomOf = (d: string) => world.a4b!.call('SearchDevices', {}).Devices.find((x: any) => x.DeviceArn === d)?.RoomName;
  world.a4b!.injectFault({ operation: 'DisassociateDeviceFromRoom', latencyMs: 300 });
  for (let round = 0; round < 5; round++) {
    // Every deploy moves every device on by one room, so each room both loses a device and gains one.
    const placed = devices.map((_, i) => rooms[(i + round) % rooms.length]);
    const roomLines = rooms.map((name) => `  - { name: ${name}, profile: Std, devices: [${devices.filter((_, i) => placed[i] === name).join(', ')}] }`);
    fs.writeFileSync(file, ['profiles:', '  - { name: Std, address: 1 Main St, timezone: UTC }', 'rooms:', ...roomLines, ''].join('\n'));
    const result = await localDeploy({ app: APP, context: { inventory: file, driftMonitor: 'false' }, stateDir });
    expect([round, result.ok, result.stacks.map((s) => s.error).filter(Boolean)]).toEqual([round, true, []]);
    expect([round, devices.map(roomOf)]).toEqual([round, placed]);
    const report = await drift({ inventoryFile: file, localStateDir: stateDir });
    expect([round, report.status, report.findings]).toEqual([round, 'in-sync', []]);
  }

  // A device no room declares any more is taken out of its room, after the rooms.
  const last = fs.readFileSync(file, 'utf8');
  const dropped = devices[0];
  const holder = roomOf(dropped);
  fs.writeFileSync(file, last.replace(new RegExp(`${dropped.replace(/[/]/g, '\\/')},? ?`), ''));
  expect((await localDeploy({ app: APP, context: { inventory: file, driftMonitor: 'false' }, stateDir })).ok).toBe(true);
  expect([holder, roomOf(dropped)]).toEqual([holder, undefined]);
  expect(devices.slice(1).map(roomOf).every((r) => r !== undefined)).toBe(true);
  expect((await drift({ inventoryFile: file, localStateDir: stateDir })).findings).toEqual([]);
});
