// The deletion guard of an inventory: synthesized into the parent stack ahead of every write, and its bundled
// handler refusing an update that would delete more rooms than allowed, while its rollback Update passes.
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { ResourceTypes, RoomDeletionGuardProps as G } from '../lib/contract';
import { InventoryDocument, RoomInventory } from '../lib';
import { Template } from '../lib/local/template';
import { deletedRoomsText, readGuard, roomDeletions } from '../lib/handlers/a4b/deletion-guard';
import { idsOfType, ProviderHarness, tempDir } from './helpers';

const rooms = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ name: `Room ${from + i}`, profile: 'Std' }));
const inventory = (roomList: unknown[], extra: Record<string, unknown> = {}) => ({ profiles: [{ name: 'Std', address: 'Main St 1', timezone: 'Europe/Berlin' }], skillGroups: [{ name: 'Conf' }], rooms: roomList, ...extra });

function synthInventory(
  inv: object, props: { shards?: number; maxRoomDeletions?: number } = {}, context: Record<string, unknown> = {},
): { parent: Template; nested: Template[] } {
  const outdir = tempDir('a4b-guard-');
  const app = new App({ context, outdir });
  new RoomInventory(new Stack(app, 'Rooms'), 'Inventory', { inventory: inv as InventoryDocument, ...props });
  app.synth();
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8')) as Template;
  const files = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
  return { parent: read('Rooms.template.json'), nested: files.filter((f) => f.includes('Shard')).map(read) };
}

const guardOf = (t: Template) => t.Resources![idsOfType(t, ResourceTypes.ROOM_DELETION_GUARD)[0]];

describe('RoomDeletionGuard in the template', () => {
  test('one guard that every profile, skill group, mailbox check and shard waits for', () => {
    const link = { tenantId: 'contoso.onmicrosoft.com', method: 'delegate', serviceAccount: 'a4b@contoso.onmicrosoft.com', credentialsSecret: 's' };
    const { parent } = synthInventory(inventory(rooms(40).map((r, i) => ({ ...r, mailbox: `room${i}@contoso.onmicrosoft.com` })), { calendarLink: link }));
    const guards = idsOfType(parent, ResourceTypes.ROOM_DELETION_GUARD);
    expect(guards).toHaveLength(1);
    const waiting = Object.entries(parent.Resources!).filter(([, r]) => [ResourceTypes.ROOM_PROFILE, ResourceTypes.SKILL_GROUP, 'AWS::CloudFormation::Stack'].includes(r.Type));
    expect(waiting.length).toBeGreaterThan(3);
    for (const [id, r] of waiting) {
      expect({ id, dependsOn: (r as { DependsOn?: string[] }).DependsOn ?? [] }).toEqual({ id, dependsOn: expect.arrayContaining([guards[0]]) });
    }
    const props = guardOf(parent).Properties as Record<string, unknown>;
    expect(props[G.MAX_DELETIONS]).toBe(5);
    expect(props[G.ROOM_NAMES]).toMatch(/^([A-Za-z0-9_-]{4}\.{4}){40}$/);
    expect(props[G.ROOMS]).toBeUndefined();
    expect(props[G.INVENTORY]).toBe('inventory Rooms/Inventory');
  });

  test('maxRoomDeletions, and the allowRoomDeletions context over it; anything but a whole number is refused', () => {
    expect(guardOf(synthInventory(inventory(rooms(2)), { maxRoomDeletions: 0 }).parent).Properties![G.MAX_DELETIONS]).toBe(0);
    expect(guardOf(synthInventory(inventory(rooms(2)), { maxRoomDeletions: 1 }, { allowRoomDeletions: '40' }).parent).Properties![G.MAX_DELETIONS]).toBe(40);
    expect(() => synthInventory(inventory(rooms(2)), {}, { allowRoomDeletions: 'all' })).toThrow('RoomInventory Rooms/Inventory: context allowRoomDeletions=all must be a whole number of rooms, 0 or more');
    expect(() => synthInventory(inventory(rooms(2)), { maxRoomDeletions: -1 })).toThrow('maxRoomDeletions -1 must be a whole number of rooms, 0 or more');
  });

  test('the room set ignores file order and the shard count: it names rooms, not resources', () => {
    const a = guardOf(synthInventory(inventory(rooms(30))).parent).Properties![G.ROOM_NAMES];
    expect(guardOf(synthInventory(inventory(rooms(30).reverse())).parent).Properties![G.ROOM_NAMES]).toBe(a);
    expect(guardOf(synthInventory(inventory(rooms(30)), { shards: 7 }).parent).Properties![G.ROOM_NAMES]).toBe(a);
    // The same name in another case or normalization form is the same A4B room.
    const nfd = rooms(30).map((r, i) => (i === 0 ? { ...r, name: 'ROOM 0' } : r));
    expect(guardOf(synthInventory(inventory(nfd)).parent).Properties![G.ROOM_NAMES]).toBe(a);
    const withId = rooms(30).map((r, i) => (i === 0 ? { ...r, id: 'r0' } : r));
    expect(guardOf(synthInventory(inventory(withId)).parent).Properties![G.ROOM_NAMES]).not.toBe(a);
  });


  test('a room with an id keeps its resource (logical id, shard) when its name changes', () => {
    const before = synthInventory(inventory([{ id: 'hq-2-01', name: 'Spree', profile: 'Std' }, ...rooms(5)]));
    const after = synthInventory(inventory([{ id: 'hq-2-01', name: 'Spree (renamed)', profile: 'Std' }, ...rooms(5)]));
    const roomIds = (t: { nested: Template[] }) => t.nested.flatMap((n) => idsOfType(n, ResourceTypes.ROOM)).sort();
    expect(roomIds(after)).toEqual(roomIds(before));
    // The guard sees the room renamed in place, not deleted.
    const spec = (t: { parent: Template }) => readGuard(guardOf(t.parent).Properties as Record<string, unknown>, 'guard');
    expect(roomDeletions(spec(before), spec(after))).toBe(0);
    const names = after.nested.flatMap((n) => idsOfType(n, ResourceTypes.ROOM).map((id) => n.Resources![id].Properties!.RoomName));
    expect(names).toContain('Spree (renamed)');
    // Without ids the logical ids are what they were before ids existed: derived from the name.
    expect(roomIds(synthInventory(inventory(rooms(5))))).toEqual(roomIds(before).filter((id) => !id.startsWith('Roomhq201')));
  });

  test('two rooms with one key are refused, naming both', () => {
    expect(() => synthInventory(inventory([{ id: 'Room 1', name: 'Spree', profile: 'Std' }, ...rooms(3)])))
      .toThrow(/room 'Room 1': name 'Room 1' is also the key \(id, or name without an id\) of room 'Spree' \(rooms\[0\], <inventory>:\d+:\d+\): each room needs its own id/);
    expect(() => synthInventory(inventory([{ id: 'x', name: 'A', profile: 'Std' }, { id: 'X', name: 'B', profile: 'Std' }])))
      .toThrow(/room 'B': id 'X' is also the key \(id, or name without an id\) of room 'A' \(rooms\[0\], <inventory>:\d+:\d+\)/);
  });
});

describe('roomDeletions: rooms whose name and id are both gone, not resources that move', () => {
  const guard = (list: Array<{ name: string; id?: string }>) => {
    const t = synthInventory(inventory(list.map((r) => ({ ...r, profile: 'Std' }))));
    return readGuard(guardOf(t.parent).Properties as Record<string, unknown>, 'guard');
  };
  const base = [{ name: 'Spree' }, { name: 'Havel', id: 'h1' }, { name: 'Elbe' }];
  test.each([
    ['nothing changes', base, 0],
    ['a room removed', base.slice(1), 1],
    ['an id added (a new resource for the same room)', [{ name: 'Spree', id: 'hq-spree' }, ...base.slice(1)], 0],
    ['the name in another case', [{ name: 'SPREE' }, ...base.slice(1)], 0],
    ['renamed, keeping its id', [base[0], { name: 'Havel (2.02)', id: 'h1' }, base[2]], 0],
    ['its id changed, keeping its name', [base[0], { name: 'Havel', id: 'h2' }, base[2]], 0],
    ['renamed without an id: the old room goes, a new one comes', [{ name: 'Spree 2' }, ...base.slice(1)], 1],
    ['both name and id changed', [base[0], { name: 'Havel 2', id: 'h2' }, base[2]], 1],
    ['everything gone', [], 3],
  ])('%s', (_, after, deletions) => {
    expect(roomDeletions(guard(base), guard(after))).toBe(deletions);
  });

  test('against the properties of an earlier version\'s guard (resource keys), only the drop in count is known', () => {
    const old = (n: number) => readGuard({ [G.ROOMS]: 'abcdefgh'.repeat(n).split('').map((c, i) => String.fromCharCode(65 + ((i * 7 + c.charCodeAt(0)) % 26))).join(''), [G.MAX_DELETIONS]: '5' }, 'guard');
    expect(old(3).resourceKeys).toBe(true);
    expect(roomDeletions(old(3), guard(base))).toBe(0);
    expect(roomDeletions(old(3), guard(base.slice(1)))).toBe(1);
  });
});

describe('the bundled guard handler', () => {
  let harness: ProviderHarness;
  beforeAll(async () => {
    harness = await ProviderHarness.start();
  });
  afterAll(() => harness.stop());

  const props = (t: Template) => harness.properties(t, idsOfType(t, ResourceTypes.ROOM_DELETION_GUARD)[0]);
  const type = ResourceTypes.ROOM_DELETION_GUARD;

  test('refuses an update deleting more rooms than allowed; its rollback Update and an allowed update pass', async () => {
    const all = props(synthInventory(inventory(rooms(12))).parent);
    const six = props(synthInventory(inventory(rooms(6))).parent);
    expect(all[G.MAX_DELETIONS]).toBe('5'); // as CloudFormation sends it
    const created = await harness.send({ RequestType: 'Create', LogicalResourceId: 'Guard', ResourceType: type, ResourceProperties: all, RequestId: 'c1' });
    expect(created.Status).toBe('SUCCESS');

    const refused = await harness.update('Guard', type, six, all, created.PhysicalResourceId);
    expect(refused).toMatchObject({ Status: 'FAILED', PhysicalResourceId: created.PhysicalResourceId });
    expect(refused.Reason).toContain('inventory Rooms/Inventory: this deploy would delete 6 of 12 rooms, more than the 5 one deploy may delete; nothing was deleted');
    expect(refused.Reason).toContain('-c allowRoomDeletions=6');

    // CloudFormation's rollback of the failed update: properties swapped, the physical id unchanged.
    const rollback = await harness.update('Guard', type, all, six, created.PhysicalResourceId);
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created.PhysicalResourceId });

    const allowed = await harness.update('Guard', type, { ...six, [G.MAX_DELETIONS]: '6' }, all, created.PhysicalResourceId);
    expect(allowed.Status).toBe('SUCCESS');
    expect(allowed.PhysicalResourceId).not.toBe(created.PhysicalResourceId);
    // Back down to 5 with the same rooms: nothing is deleted, so it passes.
    expect((await harness.update('Guard', type, six, { ...six, [G.MAX_DELETIONS]: '6' }, allowed.PhysicalResourceId)).Status).toBe('SUCCESS');
  });

  test('adding rooms and deleting up to the limit pass; renaming more than the limit without ids does not', async () => {
    const base = props(synthInventory(inventory(rooms(10))).parent);
    const c = await harness.send({ RequestType: 'Create', LogicalResourceId: 'G2', ResourceType: type, ResourceProperties: base, RequestId: 'c2' });
    const grown = props(synthInventory(inventory([...rooms(5), ...rooms(100, 50)])).parent);
    expect((await harness.update('G2', type, grown, base, c.PhysicalResourceId)).Status).toBe('SUCCESS');
    const renamed = props(synthInventory(inventory(rooms(10, 1000))).parent);
    const res = await harness.update('G2', type, renamed, base, c.PhysicalResourceId);
    expect(res.Reason).toContain('would delete 10 of 10 rooms');
    expect((await harness.delete('G2', type, c.PhysicalResourceId, base)).Status).toBe('SUCCESS');
  });

  test('a refusal names the rooms A4B has under the names that would go, the first 20 and how many more', async () => {
    const { ProfileArn } = harness.emulator.call('CreateProfile', { ProfileName: 'Std', Address: 'Main St 1', Timezone: 'Europe/Berlin', DistanceUnit: 'METRIC', TemperatureUnit: 'CELSIUS', WakeWord: 'ALEXA' });
    for (let i = 0; i < 30; i++) harness.emulator.call('CreateRoom', { RoomName: `Room ${i}`, ProfileArn });
    const all = props(synthInventory(inventory(rooms(30))).parent);
    const c = await harness.send({ RequestType: 'Create', LogicalResourceId: 'G4', ResourceType: type, ResourceProperties: all, RequestId: 'c4' });
    const refused = await harness.update('G4', type, props(synthInventory(inventory(rooms(6))).parent), all, c.PhysicalResourceId);
    const names = Array.from({ length: 24 }, (_, i) => `Room ${i + 6}`).sort((x, y) => x.localeCompare(y));
    expect(refused.Reason).toContain(`would delete 24 of 30 rooms (${names.slice(0, 20).map((n) => `'${n}'`).join(', ')} and 4 more), more than the 5`);
  });

  test.each([
    [[], 3, ''],
    [['A'], 1, " ('A')"],
    [['A', 'B'], 5, " ('A', 'B' and 3 more)"],
  ])('deletedRoomsText(%j, %d)', (names, total, text) => {
    expect(deletedRoomsText(names, total)).toBe(text);
  });

  test('a bad MaxRoomDeletions is named', async () => {
    const base = props(synthInventory(inventory(rooms(2))).parent);
    const c = await harness.send({ RequestType: 'Create', LogicalResourceId: 'G3', ResourceType: type, ResourceProperties: base, RequestId: 'c3' });
    const res = await harness.update('G3', type, { ...props(synthInventory(inventory(rooms(1))).parent), [G.MAX_DELETIONS]: 'many' }, base, c.PhysicalResourceId);
    expect(res.Reason).toContain('property MaxRoomDeletions is "many"; it must be a whole number');
  });
});
