// Rooms that name their profile and skill groups (ProfileName, SkillGroupNames: a room in another nested stack than
// its profile and groups): the bundled provider handler resolves the names against the A4B emulator at deploy time,
// with a cache per container. Properties are strings as CloudFormation sends them; each test counts the A4B requests.
import * as fs from 'fs';
import { randomUUID } from 'crypto';
import { pendingCreateId } from '../../lib/handlers/a4b/steps';
import { A4bEmulator, roomSkillGroups } from '../../lib/local/a4b-emulator';
import { A4B_PROVIDER_BUNDLE, CfnResponse, LocalLambda } from '../../lib/local/local-lambda';
import { a4bProviderEnv } from '../helpers';

const ROOM = 'Custom::A4BRoom';
const STACK = `arn:aws:cloudformation:us-east-1:123456789012:stack/Rooms/${randomUUID()}`;

let emulator: A4bEmulator;
let lambda: LocalLambda;
const containers: LocalLambda[] = [];
let profiles: Record<string, string>;
let groups: Record<string, string>;

/** A new Lambda container of the bundled provider: a fresh module instance, so an empty name cache. */
async function container(): Promise<LocalLambda> {
  const l = await LocalLambda.start(A4B_PROVIDER_BUNDLE, {
    env: { ...a4bProviderEnv(emulator.endpoint), A4B_MAX_ATTEMPTS: '2' }, log: fs.createWriteStream('/dev/null'),
  });
  containers.push(l);
  return l;
}

function createProfile(name: string): string {
  return emulator.call('CreateProfile', { ProfileName: name, Address: '1 Main St', Timezone: 'UTC', DistanceUnit: 'METRIC', TemperatureUnit: 'CELSIUS', WakeWord: 'ALEXA' }).ProfileArn;
}
function createGroup(name: string): string {
  return emulator.call('CreateSkillGroup', { SkillGroupName: name }).SkillGroupArn;
}

beforeEach(async () => {
  emulator = await A4bEmulator.start();
  // Made outside the provider, so its cache starts empty (a profile or group it creates itself is cached at once).
  profiles = { Std: createProfile('Std'), Other: createProfile('Other') };
  groups = Object.fromEntries(['A', 'B', 'C', 'D'].map((g) => [g, createGroup(g)]));
  lambda = await container();
});
afterEach(async () => {
  for (const l of containers.splice(0)) await l.stop();
  await emulator.stop();
});

function props(over: Record<string, unknown> = {}, name = 'Board Room'): Record<string, unknown> {
  const p: Record<string, unknown> = { RoomName: name, ProviderCalendarId: `${name.replace(/\W/g, '').toLowerCase()}@contoso.com`, ProfileName: 'Std', SkillGroupNames: ['A', 'B', 'C'], ...over };
  for (const k of Object.keys(p)) if (p[k] === undefined) delete p[k];
  return p;
}

function create(p: Record<string, unknown>, logicalId = 'Board', on = lambda): Promise<CfnResponse> {
  return on.invoke({ StackId: STACK, RequestType: 'Create', LogicalResourceId: logicalId, ResourceType: ROOM, ResourceProperties: p, RequestId: randomUUID() });
}
function update(physicalId: string, p: Record<string, unknown>, old: Record<string, unknown>, on = lambda): Promise<CfnResponse> {
  return on.invoke({ StackId: STACK, RequestType: 'Update', LogicalResourceId: 'Board', ResourceType: ROOM, ResourceProperties: p,
    OldResourceProperties: old, PhysicalResourceId: physicalId, RequestId: randomUUID() });
}

/** The A4B requests `run` makes, as `Operation` or `Operation:status`. */
async function requestsOf(run: () => Promise<unknown>): Promise<string[]> {
  const from = emulator.requests.length;
  await run();
  return emulator.requests.slice(from).map((r) => (r.status === 200 ? r.operation : `${r.operation}:${r.errorType}`));
}

function room(arn: string): Record<string, any> {
  return emulator.call('GetRoom', { RoomArn: arn }).Room;
}
function groupsOf(arn: string): string[] {
  return [...roomSkillGroups(emulator, arn)].sort();
}
const arnsOf = (...names: string[]) => names.map((n) => groups[n]).sort();
const searches = (ops: string[]) => ops.filter((o) => o.startsWith('Search'));

describe('a room names its profile and skill groups', () => {
  test('create by names: one search per kind in a cold container, none warm: then the same requests as a room given ARNs', async () => {
    let res!: CfnResponse;
    const cold = await requestsOf(async () => (res = await create(props())));
    expect(res.Status).toBe('SUCCESS');
    expect(room(res.PhysicalResourceId).ProfileArn).toBe(profiles.Std);
    expect(groupsOf(res.PhysicalResourceId)).toEqual(arnsOf('A', 'B', 'C'));
    expect(cold).toEqual(['SearchSkillGroups', 'SearchProfiles', 'CreateRoom', 'AssociateSkillGroupWithRoom', 'AssociateSkillGroupWithRoom', 'AssociateSkillGroupWithRoom']);
    // One search asks for the three groups at once, by exact name.
    expect(emulator.requests.find((r) => r.operation === 'SearchSkillGroups')!.input.Filters).toEqual([{ Key: 'SkillGroupName', Values: ['A', 'B', 'C'] }]);

    let byName!: CfnResponse;
    const warm = await requestsOf(async () => (byName = await create(props({}, 'Room 2'), 'Room2')));
    let byArn!: CfnResponse;
    const withArns = await requestsOf(async () => (byArn = await create(props({ ProfileName: undefined, SkillGroupNames: undefined,
      ProfileArn: profiles.Std, SkillGroupArns: [groups.A, groups.B, groups.C] }, 'Room 3'), 'Room3')));
    expect([byName.Status, byArn.Status]).toEqual(['SUCCESS', 'SUCCESS']);
    expect(warm).toEqual(withArns);
    expect(searches(warm)).toEqual([]);
    expect(groupsOf(byName.PhysicalResourceId)).toEqual(groupsOf(byArn.PhysicalResourceId));
  });

  test('many rooms in one container: the names are searched once, not once per room', async () => {
    const ops = await requestsOf(async () => {
      for (let i = 0; i < 20; i++) {
        const res = await create(props({ ProfileName: i % 2 ? 'Std' : 'Other', SkillGroupNames: [['A', 'B', 'C', 'D'][i % 4], 'B'] }, `Room ${i}`), `Room${i}`);
        expect(res.Status).toBe('SUCCESS');
      }
    });
    // Room 0: groups A, B and profile Other; room 1: profile Std; rooms 2 and 3: groups C, D; then every name is known.
    expect(searches(ops)).toEqual(['SearchSkillGroups', 'SearchProfiles', 'SearchProfiles', 'SearchSkillGroups', 'SearchSkillGroups']);
    expect(ops.filter((o) => o === 'CreateRoom')).toHaveLength(20);
  });

  test('a container serving a large deploy reads the whole list once its searches cost as much as the list would (20 pages of skill groups at the quota)', async () => {
    for (let i = 0; i < 40; i++) createGroup(`G${i}`);
    const from = emulator.requests.length;
    for (let i = 0; i < 30; i++) expect((await create(props({ SkillGroupNames: [`G${i}`] }, `Room ${i}`), `Room${i}`)).Status).toBe('SUCCESS');
    const groupSearches = emulator.requests.slice(from).filter((r) => r.operation === 'SearchSkillGroups');
    expect(groupSearches.filter((r) => r.input.Filters).length).toBe(20);
    // The 21st room's group comes from one read of the whole list (44 groups: one page), which also holds the next nine rooms' groups.
    expect(groupSearches.filter((r) => !r.input.Filters).length).toBe(1);
    expect(groupSearches).toHaveLength(21);
  });

  test('rooms created at once in one module instance (the local deploy engine) share one search per name', async () => {
    const ops = await requestsOf(async () => {
      const results = await Promise.all([0, 1, 2, 3, 4].map((i) => create(props({}, `Room ${i}`), `Room${i}`)));
      expect(results.map((r) => r.Status)).toEqual(Array(5).fill('SUCCESS'));
    });
    expect(searches(ops).sort()).toEqual(['SearchProfiles', 'SearchSkillGroups']);
  });

  test('an update that keeps the names costs no lookup, even in a cold container', async () => {
    const res = await create(props());
    const fresh = await container();
    let up!: CfnResponse;
    const ops = await requestsOf(async () => (up = await update(res.PhysicalResourceId, props({ Description: 'Floor 5', ProfileName: 'STD' }), props(), fresh)));
    expect(up.Status).toBe('SUCCESS');
    // The profile named in another case is the same profile: A4B names are unique ignoring case.
    // ListTags: who holds the room (an Update of a room another resource holds is refused before any change).
    expect(ops).toEqual(['ListTags', 'UpdateRoom']);
    expect(room(res.PhysicalResourceId)).toMatchObject({ Description: 'Floor 5', ProfileArn: profiles.Std });
  });

  test('update: another profile name is resolved and set', async () => {
    const res = await create(props());
    let up!: CfnResponse;
    const ops = await requestsOf(async () => (up = await update(res.PhysicalResourceId, props({ ProfileName: 'Other' }), props())));
    expect(up.Status).toBe('SUCCESS');
    expect(ops).toEqual(['ListTags', 'SearchProfiles', 'UpdateRoom']);
    expect(emulator.requests.find((r) => r.operation === 'UpdateRoom')!.input).toEqual({ RoomArn: res.PhysicalResourceId, ProfileArn: profiles.Other });
    expect(room(res.PhysicalResourceId).ProfileArn).toBe(profiles.Other);
  });

  test('update: skill groups added and removed by name; only those are looked up', async () => {
    const res = await create(props());
    const fresh = await container();
    let up!: CfnResponse;
    const ops = await requestsOf(async () => (up = await update(res.PhysicalResourceId, props({ SkillGroupNames: ['B', 'C', 'D'] }), props(), fresh)));
    expect(up.Status).toBe('SUCCESS');
    expect(ops).toEqual(['ListTags', 'SearchSkillGroups', 'DisassociateSkillGroupFromRoom', 'AssociateSkillGroupWithRoom']);
    expect(emulator.requests.find((r) => r.operation === 'SearchSkillGroups' && r.input.Filters[0].Values.includes('D'))!.input.Filters[0].Values).toEqual(['D', 'A']);
    expect(groupsOf(res.PhysicalResourceId)).toEqual(arnsOf('B', 'C', 'D'));
  });

  test('a removed skill group A4B no longer has is skipped: deleting it took it out of the room', async () => {
    const res = await create(props());
    emulator.call('DeleteSkillGroup', { SkillGroupArn: groups.A });
    let up!: CfnResponse;
    const ops = await requestsOf(async () => (up = await update(res.PhysicalResourceId, props({ SkillGroupNames: ['B', 'C'] }), props(), lambda)));
    expect(up.Status).toBe('SUCCESS');
    // The cached ARN of A answers NotFound: resolved again (the exact search and the whole list), gone, skipped.
    expect(ops).toEqual(['ListTags', 'DisassociateSkillGroupFromRoom:NotFoundException', 'SearchSkillGroups', 'SearchSkillGroups']);
    expect(groupsOf(res.PhysicalResourceId)).toEqual(arnsOf('B', 'C'));
  });

  test('mixing ARNs and names: an old template gave ARNs, the new one names the same profile and groups: nothing to write', async () => {
    const old = props({ ProfileName: undefined, ProfileArn: profiles.Std, SkillGroupNames: ['A'], SkillGroupArns: [groups.B] });
    const res = await create(old);
    expect(res.Status).toBe('SUCCESS');
    let up!: CfnResponse;
    const same = await requestsOf(async () => (up = await update(res.PhysicalResourceId, props({ SkillGroupNames: ['A', 'B'] }), old)));
    expect(up.Status).toBe('SUCCESS');
    // The name is resolved and compared with the old ARN; B moved from ARN to name stays associated.
    expect(same).toEqual(['ListTags', 'SearchProfiles', 'SearchSkillGroups']);
    expect(groupsOf(res.PhysicalResourceId)).toEqual(arnsOf('A', 'B'));

    // Back to ARNs, with another profile and B dropped from both lists: one UpdateRoom, one disassociation.
    const back = props({ ProfileName: undefined, ProfileArn: profiles.Other, SkillGroupNames: undefined, SkillGroupArns: [groups.A] });
    const ops = await requestsOf(async () => (up = await update(res.PhysicalResourceId, back, props({ SkillGroupNames: ['A', 'B'] }))));
    expect(up.Status).toBe('SUCCESS');
    expect(ops).toEqual(['ListTags', 'UpdateRoom', 'DisassociateSkillGroupFromRoom']);
    expect(room(res.PhysicalResourceId).ProfileArn).toBe(profiles.Other);
    expect(groupsOf(res.PhysicalResourceId)).toEqual(arnsOf('A'));
  });

  test('a profile name that does not resolve fails the room with a clear message, and nothing is created', async () => {
    let res!: CfnResponse;
    const ops = await requestsOf(async () => (res = await create(props({ ProfileName: 'Nope' }))));
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toBe("room 'Board Room' (Board): room profile 'Nope' does not exist in A4B (declare it, or check the name).");
    expect(ops.every((o) => o.startsWith('Search'))).toBe(true);
    expect(emulator.call('SearchRooms', {}).Rooms).toEqual([]);
    // The rollback's Delete of the failed create has nothing to do.
    const del = await lambda.invoke({ StackId: STACK, RequestType: 'Delete', LogicalResourceId: 'Board', ResourceType: ROOM,
      ResourceProperties: props({ ProfileName: 'Nope' }), PhysicalResourceId: res.PhysicalResourceId, RequestId: randomUUID() });
    expect(del.Status).toBe('SUCCESS');
  });

  test('the rollback Delete of a create stopped at its deadline replays it by names and deletes what it made; with a name gone, nothing was made', async () => {
    const del = (p: Record<string, unknown>) => lambda.invoke({ StackId: STACK, RequestType: 'Delete', LogicalResourceId: 'Board', ResourceType: ROOM, ResourceProperties: p,
      PhysicalResourceId: pendingCreateId({ StackId: STACK, LogicalResourceId: 'Board', RequestId: randomUUID() } as never), RequestId: randomUUID() });
    const replayed = await requestsOf(async () => expect((await del(props())).Status).toBe('SUCCESS'));
    expect(replayed.filter((o) => !o.startsWith('Search'))).toEqual(['CreateRoom', 'DeleteRoom']);
    const gone = await requestsOf(async () => expect((await del(props({ ProfileName: 'Nope' }))).Status).toBe('SUCCESS'));
    expect(gone.every((o) => o.startsWith('Search'))).toBe(true);
    expect(emulator.call('SearchRooms', {}).Rooms).toEqual([]);
  });

  test('skill group names that do not resolve fail the room before it is created', async () => {
    const res = await create(props({ SkillGroupNames: ['A', 'Nope', 'Nada'] }));
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toBe("room 'Board Room' (Board): skill groups 'Nope', 'Nada' do not exist in A4B (declare them, or check the names).");
    expect(emulator.call('SearchRooms', {}).Rooms).toEqual([]);
  });

  test('a name in another case than A4B has resolves (names are unique ignoring case; filters match exactly)', async () => {
    let res!: CfnResponse;
    const ops = await requestsOf(async () => (res = await create(props({ ProfileName: 'STD', SkillGroupNames: ['a'] }))));
    expect(res.Status).toBe('SUCCESS');
    expect(room(res.PhysicalResourceId).ProfileArn).toBe(profiles.Std);
    expect(groupsOf(res.PhysicalResourceId)).toEqual(arnsOf('A'));
    // The exact search misses; the whole list is read once and fills the cache.
    expect(searches(ops)).toEqual(['SearchSkillGroups', 'SearchSkillGroups', 'SearchProfiles', 'SearchProfiles']);
  });

  test('a cached ARN whose profile or group was deleted and re-created under the same name is resolved again', async () => {
    const first = await create(props());
    expect(first.Status).toBe('SUCCESS');
    emulator.call('DeleteProfile', { ProfileArn: profiles.Std });
    emulator.call('DeleteSkillGroup', { SkillGroupArn: groups.B });
    const std = createProfile('Std');
    const b = createGroup('B');
    let res!: CfnResponse;
    const ops = await requestsOf(async () => (res = await create(props({}, 'Room 2'), 'Room2')));
    expect(res.Status).toBe('SUCCESS');
    expect(room(res.PhysicalResourceId).ProfileArn).toBe(std);
    expect(groupsOf(res.PhysicalResourceId)).toEqual([groups.A, b, groups.C].sort());
    expect(ops).toEqual(['CreateRoom:NotFoundException', 'SearchProfiles', 'CreateRoom', 'AssociateSkillGroupWithRoom',
      'AssociateSkillGroupWithRoom:NotFoundException', 'SearchSkillGroups', 'AssociateSkillGroupWithRoom', 'AssociateSkillGroupWithRoom']);
    // Resolved again, the new ARNs are cached: the next room makes no search and no failed call.
    const next = await requestsOf(() => create(props({}, 'Room 3'), 'Room3'));
    expect(next).toEqual(['CreateRoom', 'AssociateSkillGroupWithRoom', 'AssociateSkillGroupWithRoom', 'AssociateSkillGroupWithRoom']);
  });

  test('a profile the provider creates is cached at once: its rooms need no search', async () => {
    const res = await lambda.invoke({ StackId: STACK, RequestType: 'Create', LogicalResourceId: 'Lobby', ResourceType: 'Custom::A4BRoomProfile', RequestId: randomUUID(),
      ResourceProperties: { ProfileName: 'Lobby', Address: '3 Main St', Timezone: 'UTC', DistanceUnit: 'METRIC', TemperatureUnit: 'CELSIUS', WakeWord: 'ALEXA' } });
    expect(res.Status).toBe('SUCCESS');
    const ops = await requestsOf(() => create(props({ ProfileName: 'Lobby', SkillGroupNames: undefined })));
    expect(ops).toEqual(['CreateRoom']);
  });

  test('adopting an existing room by names: same profile, no UpdateRoom; the named groups associated', async () => {
    const existing = emulator.call('CreateRoom', { RoomName: 'Board Room', ProfileArn: profiles.Std, ProviderCalendarId: 'boardroom@contoso.com' }).RoomArn;
    let res!: CfnResponse;
    const ops = await requestsOf(async () => (res = await create(props({ AdoptExisting: 'true', SkillGroupNames: ['A'] }))));
    expect(res.Status).toBe('SUCCESS');
    expect(res.PhysicalResourceId).toBe(existing);
    // The one TagResource marks the room as held by this resource (after the adoption's changes).
    expect(ops.filter((o) => !o.startsWith('Search') && o !== 'GetRoom' && o !== 'ListTags')).toEqual(['AssociateSkillGroupWithRoom', 'TagResource']);
    expect(groupsOf(existing)).toEqual(arnsOf('A'));
  });

  test('a case-only rename takes the room over with the profile given by name, without reading the profile', async () => {
    const first = await create(props({}, 'Bravo'));
    let res!: CfnResponse;
    const ops = await requestsOf(async () => (res = await create(props({}, 'BRAVO'), 'BRAVO')));
    expect(res.Status).toBe('SUCCESS');
    expect(res.PhysicalResourceId).toBe(first.PhysicalResourceId);
    expect(room(first.PhysicalResourceId).RoomName).toBe('BRAVO');
    expect(ops).not.toContain('GetProfile');
    expect(ops).toContain('CreateRoom:AlreadyExistsException');
  });
});
