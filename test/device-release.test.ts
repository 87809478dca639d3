// The inventory's device release: which devices it takes out (a table over the pure rule), and where synth puts it
// (after every shard, only for shards whose rooms manage devices; those rooms leave releases to it).
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { RoomInventory } from '../lib';
import { DeviceHolding, releasedDevices } from '../lib/handlers/a4b/device-release';
import { tempDir } from './helpers';

const h = (room: string, device: string): DeviceHolding => ({ room, device });

test.each<[string, DeviceHolding[], DeviceHolding[], DeviceHolding[]]>([
  ['nothing changed', [h('A', 'd1')], [h('A', 'd1')], []],
  ['a device dropped', [h('A', 'd1'), h('A', 'd2')], [h('A', 'd1')], [h('A', 'd2')]],
  ['a device moved to another room of the release', [h('A', 'd1')], [h('B', 'd1')], []],
  ['a device moved away (to another shard: not in this release)', [h('A', 'd1')], [], [h('A', 'd1')]],
  ['a room renamed with its devices', [h('Old', 'd1')], [h('New', 'd1')], []],
  ['room names compare ignoring case', [h('Bravo', 'd1')], [h('BRAVO', 'd1')], []],
  ['a device added', [], [h('A', 'd1')], []],
])('releasedDevices: %s', (_, before, after, expected) => {
  expect(releasedDevices(before, after)).toEqual(expected);
});

test('synth: one release per shard whose rooms manage devices, after every shard; those rooms defer their releases', () => {
  const outdir = tempDir('a4b-release-');
  const app = new App({ outdir });
  const device = (n: number) => `arn:aws:a4b:us-east-1:123456789012:device/dev${n}`;
  const rooms = Array.from({ length: 20 }, (_, i) => ({ name: `Room ${i}`, profile: 'Std', ...(i < 3 ? { devices: [device(i)] } : {}) }));
  new RoomInventory(new Stack(app, 'Rooms'), 'Inventory', { inventory: { profiles: [{ name: 'Std', address: '1 Main St', timezone: 'UTC' }], rooms } });
  app.synth();
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8'));
  const parent = read('Rooms.template.json');
  const stacks = Object.entries<any>(parent.Resources).filter(([, r]) => r.Type === 'AWS::CloudFormation::Stack');
  const shards = stacks.filter(([id]) => id.includes('Shard')).map(([id]) => id);
  const releases = stacks.filter(([id]) => id.includes('DeviceRelease'));
  expect(releases.length).toBeGreaterThanOrEqual(1);
  expect(releases.length).toBeLessThanOrEqual(3);
  for (const [, r] of releases) expect(r.DependsOn).toEqual(expect.arrayContaining(shards));

  const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).map(read);
  const all = templates.flatMap((t) => Object.values<any>(t.Resources));
  const released = all.filter((r) => r.Type === 'Custom::A4BDeviceRelease').flatMap((r) => r.Properties.Rooms);
  expect(released.sort((a: any, b: any) => a.Name.localeCompare(b.Name))).toEqual([0, 1, 2].map((i) => ({ Name: `Room ${i}`, Devices: [device(i)] })));
  const roomsWith = all.filter((r) => r.Type === 'Custom::A4BRoom' && r.Properties.DeviceRelease === 'deferred').map((r) => r.Properties.RoomName).sort();
  expect(roomsWith).toEqual(['Room 0', 'Room 1', 'Room 2']);
});
