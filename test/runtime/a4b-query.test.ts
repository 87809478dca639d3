// The A4B query module against the emulator over loopback, with the real SDK client: every page is read (120 of a
// kind, three pages of 50), names are found under the contract's one rule (one name ignoring case, code unit by code
// unit; name filters match exactly unless the emulator is told otherwise), and each caller (the bundled provider
// handler, drift's live read, import) reads past the first page.
import * as fs from 'fs';
import { randomUUID } from 'crypto';
import { AlexaForBusinessClient } from '@aws-sdk/client-alexa-for-business';
import { A4bFilterMatch } from '../../lib/contract';
import { importInventory } from '../../lib/cli/import';
import { readLive } from '../../lib/drift/live';
import { DesiredState, key } from '../../lib/drift/model';
import { A4bEmulator } from '../../lib/local/a4b-emulator';
import { A4B_PROVIDER_BUNDLE, LocalLambda } from '../../lib/local/local-lambda';
import {
  devicesOfRoom, FilterKeys, FindOptions, findProfileByName, findRoomByName, findSkillGroupByName, searchDevices, searchProfiles, searchRooms,
  searchSkillGroups,
} from '../../lib/runtime/a4b/query';
import { a4bClient, a4bProviderEnv } from '../helpers';

/** More than two pages of 50. */
const MANY = 120;
const QUOTAS = { ROOMS: 1_000, ROOM_PROFILES: 1_000, SKILL_GROUPS: 1_000 };

let emulator: A4bEmulator;
let a4b: AlexaForBusinessClient;
let std: string;

async function start(filterMatch?: A4bFilterMatch): Promise<void> {
  emulator = await A4bEmulator.start({ quotas: QUOTAS, filterMatch });
  a4b = a4bClient(emulator);
  std = profile('Std');
}
afterEach(() => emulator.stop());

function profile(name: string): string {
  return emulator.call('CreateProfile', { ProfileName: name, Address: '1 Main St', Timezone: 'UTC', DistanceUnit: 'METRIC', TemperatureUnit: 'CELSIUS', WakeWord: 'ALEXA' }).ProfileArn;
}
function room(name: string, profileArn = std, mailbox?: string): string {
  return emulator.call('CreateRoom', { RoomName: name, ProfileArn: profileArn, ProviderCalendarId: mailbox }).RoomArn;
}
function skillGroup(name: string): string {
  return emulator.call('CreateSkillGroup', { SkillGroupName: name }).SkillGroupArn;
}
function deviceIn(roomArn: string, name: string): string {
  const arn = emulator.registerDevice(name);
  emulator.call('AssociateDeviceWithRoom', { RoomArn: roomArn, DeviceArn: arn });
  return arn;
}

/** The Search requests `run` makes: operation, page size, whether it carried a NextToken, the filter keys. */
async function searchesOf<T>(run: () => Promise<T>): Promise<{ result: T; searches: string[] }> {
  const from = emulator.requests.length;
  const result = await run();
  const searches = emulator.requests.slice(from).filter((r) => r.operation.startsWith('Search')).map((r) =>
    `${r.operation} ${r.input.MaxResults}${r.input.NextToken ? ' next' : ''}${(r.input.Filters ?? []).map((f: any) => ` ${f.Key}`).join('')}`);
  return { result, searches };
}

const KINDS = [
  { kind: 'rooms', op: 'SearchRooms', make: (n: string) => room(n), search: () => searchRooms(a4b), find: findRoomByName, arnOf: (x: any) => x.RoomArn },
  { kind: 'profiles', op: 'SearchProfiles', make: profile, search: () => searchProfiles(a4b), find: findProfileByName, arnOf: (x: any) => x.ProfileArn },
  { kind: 'skill groups', op: 'SearchSkillGroups', make: skillGroup, search: () => searchSkillGroups(a4b), find: findSkillGroupByName, arnOf: (x: any) => x.SkillGroupArn },
];

describe.each(KINDS)('$kind', ({ op, make, search, find, arnOf }) => {
  test(`all pages: ${MANY} in pages of 50, each after the first asked with the NextToken of the one before`, async () => {
    await start();
    const made = new Set(Array.from({ length: MANY }, (_, i) => make(`Filler ${i}`)));
    const { result, searches } = await searchesOf(search);
    const found = new Set(result.map(arnOf));
    for (const arn of made) expect(found.has(arn)).toBe(true);
    expect(searches).toEqual([`${op} 50`, `${op} 50 next`, `${op} 50 next`]);
  });

  const TARGET = 'Board Room (3rd floor) & Co.';
  // [what, stored name, asked name, the emulator's filter match, options, found, searches made]
  const CASES: Array<[string, string, string, A4bFilterMatch, FindOptions, boolean, number]> = [
    ['as written', TARGET, TARGET, 'exact', {}, true, 1],
    ['special characters, as written', 'O\'Brien / Δ 50% * ? , "x"', 'O\'Brien / Δ 50% * ? , "x"', 'exact', {}, true, 1],
    ['another case, not looked for', TARGET, TARGET.toUpperCase(), 'exact', {}, false, 1],
    ['another case, looked for in the whole list (on its last page)', TARGET, TARGET.toUpperCase(), 'exact', { otherCase: 'all' }, true, 4],
    ['another case, filters that ignore case', TARGET, TARGET.toUpperCase(), 'ignoreCase', { filterMatch: 'ignoreCase' }, true, 1],
    ['another case, filters ignore case though assumed exact: no second search', TARGET, TARGET.toUpperCase(), 'ignoreCase', { otherCase: 'all' }, true, 1],
    ['a prefix is not the name', TARGET, 'Board Room', 'exact', { otherCase: 'all' }, false, 4],
    ['NFD is another name than NFC (code units)', 'Café Zürich'.normalize('NFC'), 'Café Zürich'.normalize('NFD'), 'exact', { otherCase: 'all' }, false, 4],
    ['Unicode case: lower-cased code units', 'ÉTAGE 2 – SÜD', 'étage 2 – süd', 'exact', { otherCase: 'all' }, true, 4],
  ];
  test.each(CASES)('by name: %s', async (_what, stored, asked, filterMatch, options, found, searchCount) => {
    await start(filterMatch);
    for (let i = 0; i < MANY; i++) make(`Filler ${i}`);
    const arn = make(stored);
    const { result, searches } = await searchesOf(() => find(a4b, asked, options));
    expect(result && arnOf(result)).toBe(found ? arn : undefined);
    expect(searches).toHaveLength(searchCount);
  });
});

describe('rooms', () => {
  test('a name in another case is looked for among the rooms of a profile, on its later pages', async () => {
    await start();
    const other = profile('Other');
    for (let i = 0; i < MANY; i++) room(`Std ${i}`);
    room('Decoy', other);
    const target = room('Harbour View');
    const { result, searches } = await searchesOf(() =>
      findRoomByName(a4b, 'HARBOUR VIEW', { otherCase: [{ Key: FilterKeys.PROFILE_NAME, Values: ['Std'] }] }));
    expect(result?.RoomArn).toBe(target);
    expect(searches).toEqual(['SearchRooms 50 RoomName', 'SearchRooms 50 ProfileName', 'SearchRooms 50 next ProfileName', 'SearchRooms 50 next ProfileName']);
    // Not among another profile's rooms.
    expect(await findRoomByName(a4b, 'HARBOUR VIEW', { otherCase: [{ Key: FilterKeys.PROFILE_NAME, Values: ['Other'] }] })).toBeUndefined();
  });

  test('a page callback sees each page as it arrives', async () => {
    await start();
    for (let i = 0; i < MANY; i++) room(`Room ${i}`);
    const pages: number[] = [];
    const rooms = await searchRooms(a4b, undefined, (page) => pages.push(page.length));
    expect(pages).toEqual([50, 50, 20]);
    expect(rooms).toHaveLength(MANY);
  });
});

describe('devices', () => {
  test(`all pages of SearchDevices: ${MANY} devices`, async () => {
    await start();
    const made = Array.from({ length: MANY }, (_, i) => emulator.registerDevice(`Echo ${i}`));
    const { result, searches } = await searchesOf(() => searchDevices(a4b));
    expect(result.map((d) => d.DeviceArn).sort()).toEqual([...made].sort());
    expect(searches).toEqual(['SearchDevices 50', 'SearchDevices 50 next', 'SearchDevices 50 next']);
  });

  test('of a room: by its name (any case under exact filters is the name as A4B has it), only that room\'s, checked by ARN', async () => {
    await start();
    const board = room('Board (A&B)');
    const other = room('Board (A&B) 2');
    const mine = [deviceIn(board, 'one'), deviceIn(board, 'two'), deviceIn(board, 'three')].sort();
    deviceIn(other, 'four');
    const arns = async (r: { name: string; arn?: string }) => (await devicesOfRoom(a4b, r)).map((d) => d.DeviceArn).sort();
    expect(await arns({ name: 'Board (A&B)' })).toEqual(mine);
    expect(await arns({ name: 'Board (A&B)', arn: board })).toEqual(mine);
    // The name is another room's now (this one renamed, the name given to another): none of them are this room's.
    expect(await arns({ name: 'Board (A&B)', arn: other })).toEqual([]);
  });
});

describe('callers read every page', () => {
  /** MANY rooms in profile Std, then the target last, with a device. */
  async function account(): Promise<{ target: string; device: string }> {
    await start();
    for (let i = 0; i < MANY; i++) room(`Room ${i}`, std, `room${i}@contoso.com`);
    const target = room('Zeppelin Hall', std, 'zeppelin@contoso.com');
    return { target, device: deviceIn(target, 'Echo Zeppelin') };
  }

  test('drift\'s live read: every room, the last page\'s room with its device', async () => {
    const { target, device } = await account();
    const desired: DesiredState = {
      rooms: new Map([[key('Zeppelin Hall'), { name: 'Zeppelin Hall', devices: [device], tags: {} }]]), profiles: new Map(), skillGroups: new Map(),
    };
    const { result: live, searches } = await searchesOf(() => readLive(desired, { a4b }));
    expect(live.errors).toEqual([]);
    expect(live.rooms.size).toBe(MANY + 1);
    expect(live.rooms.get(key('ZEPPELIN HALL'))).toMatchObject({ arn: target, devices: [device] });
    expect(searches.filter((s) => s.startsWith('SearchRooms'))).toEqual(['SearchRooms 50', 'SearchRooms 50 next', 'SearchRooms 50 next']);
  });

  test('import: every room and skill group, the last page\'s room with its device', async () => {
    const { device } = await account();
    for (let i = 0; i < 60; i++) skillGroup(`Group ${i}`);
    const inventory = await importInventory(a4b);
    expect(inventory.rooms).toHaveLength(MANY + 1);
    expect(inventory.skillGroups).toHaveLength(60);
    expect(inventory.rooms!.find((r) => r.name === 'Zeppelin Hall')).toMatchObject({ profile: 'Std', devices: [device] });
  });

  describe('the bundled provider handler', () => {
    let lambda: LocalLambda;
    afterEach(() => lambda.stop());
    const STACK = `arn:aws:cloudformation:us-east-1:123456789012:stack/Rooms/${randomUUID()}`;
    const create = (props: Record<string, unknown>) => lambda.invoke({
      StackId: STACK, RequestType: 'Create', LogicalResourceId: 'Room', ResourceType: 'Custom::A4BRoom', ResourceProperties: props, RequestId: randomUUID(),
    });

    test('a create that meets the name in another case finds the room on a later page of its profile\'s rooms, and takes it over', async () => {
      const { target } = await account();
      lambda = await LocalLambda.start(A4B_PROVIDER_BUNDLE, { env: a4bProviderEnv(emulator.endpoint), log: fs.createWriteStream('/dev/null') });
      const { result, searches } = await searchesOf(() => create({ RoomName: 'ZEPPELIN HALL', ProfileName: 'Std', ProviderCalendarId: 'zeppelin@contoso.com' }));
      expect(result).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: target });
      expect(emulator.call('GetRoom', { RoomArn: target }).Room.RoomName).toBe('ZEPPELIN HALL');
      expect(searches.filter((s) => s.includes('ProfileName') && s.startsWith('SearchRooms'))).toEqual(
        ['SearchRooms 50 ProfileName', 'SearchRooms 50 next ProfileName', 'SearchRooms 50 next ProfileName']);
    });

    test('adoptExisting finds the room by name among many and adopts it', async () => {
      const { target } = await account();
      lambda = await LocalLambda.start(A4B_PROVIDER_BUNDLE, { env: a4bProviderEnv(emulator.endpoint), log: fs.createWriteStream('/dev/null') });
      const res = await create({ RoomName: 'Zeppelin Hall', ProfileName: 'Std', ProviderCalendarId: 'zeppelin@contoso.com', AdoptExisting: 'true' });
      expect(res).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: target });
      expect(emulator.rooms()).toHaveLength(MANY + 1);
    });
  });
});
