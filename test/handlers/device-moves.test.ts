// A device moved from one room to another in one deploy: CloudFormation updates both rooms, in parallel when they
// sit in different shards, so the order of the two Updates is chance; whatever it is, the device must end in its
// new room. Driven through the bundled handler with string properties, as CloudFormation sends them.
import { Room, RoomProfile } from '../../lib';
import { ProviderHarness, synth } from '../helpers';

const ROOM = 'Custom::A4BRoom';
let h: ProviderHarness;
let device: string;
let other: string;
let ids: { a: string; b: string };

beforeEach(async () => {
  h = await ProviderHarness.start();
  device = h.emulator.registerDevice('Echo Show');
  other = h.emulator.registerDevice('Echo Dot');
  const template = synth((s) => {
    const profile = new RoomProfile(s, 'Profile', { roomProfileName: 'Std', address: '1 Main St', timezone: 'UTC' });
    new Room(s, 'RoomA', { roomName: 'Room A', profile, deviceArns: [device] });
    new Room(s, 'RoomB', { roomName: 'Room B', profile, deviceArns: [other] });
  });
  const find = (prefix: string) => Object.keys(template.Resources!).find((i) => i.startsWith(prefix))!;
  ids = { a: find('RoomA'), b: find('RoomB') };
  await h.createAll(template, [find('Profile'), ids.a, ids.b]);
  base = { a: h.properties(template, ids.a), b: h.properties(template, ids.b) };
});
afterEach(() => h.stop());

let base: { a: Record<string, unknown>; b: Record<string, unknown> };
const withDevices = (room: 'a' | 'b', devices: string[]) => ({ ...base[room], DeviceArns: devices });
const arn = (room: 'a' | 'b') => h.created.get(ids[room])!.PhysicalResourceId;
/** Where A4B has each device now: the room's name, or undefined for no room. */
function roomOf(d: string): string | undefined {
  return h.emulator.call('SearchDevices', {}).Devices.find((x: any) => x.DeviceArn === d)?.RoomName;
}

/** The two Updates of one deploy that moves `device` from `from` to `to`, each sent as CloudFormation would. */
function moveEvents(from: 'a' | 'b', to: 'a' | 'b', rollback = false) {
  const fromOld = withDevices(from, from === 'a' ? [device] : [device, other]);
  const fromNew = withDevices(from, from === 'a' ? [] : [other]);
  const toOld = withDevices(to, to === 'a' ? [] : [other]);
  const toNew = withDevices(to, to === 'a' ? [device] : [other, device]);
  // CloudFormation's rollback Update sends each updated resource its old and new properties swapped.
  const send = (room: 'a' | 'b', oldP: Record<string, unknown>, newP: Record<string, unknown>) => () => (rollback
    ? h.update(ids[room], ROOM, oldP, newP, arn(room)) : h.update(ids[room], ROOM, newP, oldP, arn(room)));
  return { loser: send(from, fromOld, fromNew), gainer: send(to, toOld, toNew) };
}

async function expectSuccess(...results: Array<Promise<{ Status: string; Reason?: string }>>) {
  for (const r of await Promise.all(results)) expect(r).toMatchObject({ Status: 'SUCCESS' });
}

test('the room losing the device updated first, then the room gaining it', async () => {
  const { loser, gainer } = moveEvents('a', 'b');
  await expectSuccess(loser());
  expect(roomOf(device)).toBeUndefined();
  await expectSuccess(gainer());
  expect(roomOf(device)).toBe('Room B');
  expect(roomOf(other)).toBe('Room B');
});

test('the room gaining the device updated first: the losing room leaves it where it now is', async () => {
  const { loser, gainer } = moveEvents('a', 'b');
  await expectSuccess(gainer());
  expect(roomOf(device)).toBe('Room B');
  const before = h.emulator.requests.length;
  await expectSuccess(loser());
  expect(roomOf(device)).toBe('Room B');
  expect(h.emulator.requests.slice(before).map((r) => r.operation)).not.toContain('DisassociateDeviceFromRoom');
});

test('moved back and forth many times, in either order, each move ends in the new room', async () => {
  let at: 'a' | 'b' = 'a';
  for (let i = 0; i < 12; i++) {
    const to: 'a' | 'b' = at === 'a' ? 'b' : 'a';
    const { loser, gainer } = moveEvents(at, to);
    if (i % 2 === 0) await expectSuccess(loser()).then(() => expectSuccess(gainer()));
    else await expectSuccess(gainer()).then(() => expectSuccess(loser()));
    at = to;
    expect(roomOf(device)).toBe(at === 'a' ? 'Room A' : 'Room B');
    expect(roomOf(other)).toBe('Room B');
  }
});

// Both Updates in flight at once: the losing room reads its devices before it disassociates, so a gaining room's
// AssociateDeviceWithRoom that lands first is seen. (One landing between that read and the disassociate, a window of
// one A4B round trip, would still take the device out: A4B has no conditional disassociate.)
test('sent at the same time, many times over, each move ends in the new room', async () => {
  let at: 'a' | 'b' = 'a';
  for (let i = 0; i < 20; i++) {
    const to: 'a' | 'b' = at === 'a' ? 'b' : 'a';
    const { loser, gainer } = moveEvents(at, to);
    await expectSuccess(...(i % 2 ? [loser(), gainer()] : [gainer(), loser()]));
    at = to;
    expect([i, roomOf(device)]).toEqual([i, at === 'a' ? 'Room A' : 'Room B']);
  }
});

test.each([
  ['the room that lost it adds it back first', true],
  ['the room that gained it removes it first', false],
])('a rolled-back move puts the device back in its old room (%s)', async (_, oldRoomFirst) => {
  const forward = moveEvents('a', 'b');
  await expectSuccess(forward.gainer(), forward.loser());
  expect(roomOf(device)).toBe('Room B');
  // Rollback: A's Update (old and new swapped) adds the device back, B's removes it.
  const back = moveEvents('a', 'b', true);
  const [first, second] = oldRoomFirst ? [back.loser, back.gainer] : [back.gainer, back.loser];
  await expectSuccess(first());
  await expectSuccess(second());
  expect(roomOf(device)).toBe('Room A');
  expect(roomOf(other)).toBe('Room B');
});

test('a room renamed in the same update still releases the device it no longer lists', async () => {
  const res = await h.update(ids.a, ROOM, { ...withDevices('a', []), RoomName: 'Room A2' }, withDevices('a', [device]), arn('a'));
  expect(res.Status).toBe('SUCCESS');
  expect(roomOf(device)).toBeUndefined();
});
