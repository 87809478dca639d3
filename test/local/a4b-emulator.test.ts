import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as path from 'path';
import {
  AlexaForBusinessServiceException, AlreadyExistsException, AssociateDeviceWithRoomCommand, AssociateSkillGroupWithRoomCommand, CreateProfileCommand,
  CreateRoomCommand, CreateSkillGroupCommand, DeleteProfileCommand, DeleteRoomCommand, DeviceNotRegisteredException, GetProfileCommand,
  GetRoomCommand, LimitExceededException, ListTagsCommand, NameInUseException, NotFoundException, paginateSearchRooms, SearchDevicesCommand,
  SearchRoomsCommand, TagResourceCommand, UntagResourceCommand, UpdateProfileCommand, UpdateRoomCommand,
} from '@aws-sdk/client-alexa-for-business';
import { A4bEmulator } from '../../lib/local/a4b-emulator';
import { roomSkillGroups } from '../../lib/local/a4b-emulator';
import { GraphEmulator } from '../../lib/local/graph-emulator';
import { a4bClient, tempDir, waitFor } from '../helpers';

const PROFILE = { ProfileName: 'Std', Address: '1 Main St', Timezone: 'UTC', DistanceUnit: 'METRIC', TemperatureUnit: 'CELSIUS', WakeWord: 'ALEXA' } as const;

async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('A4B emulator through the real SDK client', () => {
  let emulator: A4bEmulator;
  let client: ReturnType<typeof a4bClient>;
  let profileArn: string;

  beforeEach(async () => {
    emulator = await A4bEmulator.start({ quotas: { ROOMS: 30, ROOM_PROFILES: 3, SKILL_GROUPS: 2, DEVICES_PER_ROOM: 2 } });
    client = a4bClient(emulator);
    profileArn = (await client.send(new CreateProfileCommand(PROFILE))).ProfileArn!;
  });
  afterEach(async () => {
    client.destroy();
    await emulator.stop();
  });

  test('ARNs are shaped like real ones', async () => {
    const { RoomArn } = await client.send(new CreateRoomCommand({ RoomName: 'A', ProfileArn: profileArn }));
    expect(RoomArn).toMatch(/^arn:aws:a4b:us-east-1:123456789012:room\/[0-9a-f]{32}\/[0-9a-f]{32}$/);
    expect(profileArn).toMatch(/^arn:aws:a4b:us-east-1:123456789012:profile\/[0-9a-f]{32}\/[0-9a-f]{32}$/);
  });

  test.each([
    ['a missing RoomName', { ProfileArn: 'P' }, "Value null at 'roomName' failed to satisfy constraint: Member must not be null"],
    ['a RoomName of 101 characters', { RoomName: 'x'.repeat(101), ProfileArn: 'P' }, "at 'roomName' failed to satisfy constraint: Member must have length less than or equal to 100"],
    ['an empty Description', { RoomName: 'A', Description: '', ProfileArn: 'P' }, "Value '' at 'description' failed to satisfy constraint: Member must have length greater than or equal to 1"],
    ['a control character in RoomName', { RoomName: 'A\u0007', ProfileArn: 'P' }, "at 'roomName' failed to satisfy constraint: Member must satisfy regular expression pattern"],
    ['a ProviderCalendarId of 101 characters', { RoomName: 'A', ProviderCalendarId: 'm'.repeat(101), ProfileArn: 'P' }, "at 'providerCalendarId' failed to satisfy constraint: Member must have length less than or equal to 100"],
    ['a short ClientRequestToken', { RoomName: 'A', ClientRequestToken: 'short', ProfileArn: 'P' }, "at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 10"],
    ['a tag value with #', { RoomName: 'A', ProfileArn: 'P', Tags: [{ Key: 'k', Value: 'a#b' }] }, "Value 'a#b' at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern"],
    ['no ProfileArn (documented as required)', { RoomName: 'A' }, "Value null at 'profileArn' failed to satisfy constraint: Member must not be null"],
  ])('CreateRoom with %s is a ValidationException naming the member', async (_, input, message) => {
    const arnInput = { ...input, ...('ProfileArn' in input ? { ProfileArn: profileArn } : {}) };
    const err = await rejection(client.send(new CreateRoomCommand(arnInput as any)));
    expect(err).toBeInstanceOf(AlexaForBusinessServiceException);
    expect(err.name).toBe('ValidationException');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toContain(message);
    expect(emulator.rooms()).toHaveLength(0);
  });

  test('every violation is listed in one error', async () => {
    const err = await rejection(client.send(new CreateProfileCommand({ ...PROFILE, ProfileName: '', DistanceUnit: 'KM' as any, Address: 'a'.repeat(501) })));
    expect(err.message).toMatch(/^3 validation errors detected: /);
    expect(err.message).toContain("Value 'KM' at 'distanceUnit' failed to satisfy constraint: Member must satisfy enum value set: [METRIC, IMPERIAL]");
  });

  test('meeting-room ranges from the A4B documentation are enforced', async () => {
    const err = await rejection(client.send(new CreateProfileCommand({ ...PROFILE, ProfileName: 'B', MeetingRoomConfiguration: { InstantBooking: { DurationInMinutes: 20, Enabled: true } } })));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toContain('durationInMinutes');
    expect(err.message).toContain('must be 15 to 240 in steps of 15');
  });

  test('a wrong type is a SerializationException; an unknown operation an UnknownOperationException', async () => {
    const err = await rejection(client.send(new CreateRoomCommand({ RoomName: 42 as any, ProfileArn: profileArn })));
    expect(err.name).toBe('SerializationException');
    const res = await fetch(emulator.endpoint, { method: 'POST', headers: { 'x-amz-target': 'AlexaForBusiness.LinkOffice365', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });

  test('names are unique per account, case-insensitively: AlreadyExists on create, NameInUse on update', async () => {
    await client.send(new CreateRoomCommand({ RoomName: 'Board Room', ProfileArn: profileArn }));
    expect(await rejection(client.send(new CreateRoomCommand({ RoomName: 'board room', ProfileArn: profileArn })))).toBeInstanceOf(AlreadyExistsException);
    const { RoomArn } = await client.send(new CreateRoomCommand({ RoomName: 'Other', ProfileArn: profileArn }));
    expect(await rejection(client.send(new UpdateRoomCommand({ RoomArn, RoomName: 'BOARD ROOM' })))).toBeInstanceOf(NameInUseException);
  });

  test('unknown ARNs are NotFound, also for a profile named by a new room', async () => {
    const missing = profileArn.replace(/[0-9a-f]{32}$/, '0'.repeat(32));
    expect(await rejection(client.send(new GetRoomCommand({ RoomArn: missing.replace('profile', 'room') })))).toBeInstanceOf(NotFoundException);
    expect(await rejection(client.send(new CreateRoomCommand({ RoomName: 'A', ProfileArn: missing })))).toBeInstanceOf(NotFoundException);
    expect(await rejection(client.send(new DeleteRoomCommand({ RoomArn: missing })))).toBeInstanceOf(NotFoundException);
  });

  test('account quotas are LimitExceededException', async () => {
    await client.send(new CreateProfileCommand({ ...PROFILE, ProfileName: 'P2' }));
    await client.send(new CreateProfileCommand({ ...PROFILE, ProfileName: 'P3' }));
    expect(await rejection(client.send(new CreateProfileCommand({ ...PROFILE, ProfileName: 'P4' })))).toBeInstanceOf(LimitExceededException);
    await client.send(new CreateSkillGroupCommand({ SkillGroupName: 'G1' }));
    await client.send(new CreateSkillGroupCommand({ SkillGroupName: 'G2' }));
    expect(await rejection(client.send(new CreateSkillGroupCommand({ SkillGroupName: 'G3' })))).toBeInstanceOf(LimitExceededException);
    const { RoomArn } = await client.send(new CreateRoomCommand({ RoomName: 'R', ProfileArn: profileArn }));
    for (const name of ['d1', 'd2']) await client.send(new AssociateDeviceWithRoomCommand({ RoomArn, DeviceArn: emulator.registerDevice(name) }));
    expect(await rejection(client.send(new AssociateDeviceWithRoomCommand({ RoomArn, DeviceArn: emulator.registerDevice('d3') })))).toBeInstanceOf(LimitExceededException);
    for (let i = 1; i < 30; i++) await client.send(new CreateRoomCommand({ RoomName: `R${i}`, ProfileArn: profileArn }));
    const err = await rejection(client.send(new CreateRoomCommand({ RoomName: 'R30', ProfileArn: profileArn })));
    expect(err).toBeInstanceOf(LimitExceededException);
    expect(err.message).toContain('limit of 30 rooms');
  });

  test('a replayed ClientRequestToken returns the original ARN and creates nothing; reused with other parameters it is refused', async () => {
    const input = { RoomName: 'A', ProfileArn: profileArn, ClientRequestToken: 'cfn-token-123' };
    const first = await client.send(new CreateRoomCommand(input));
    const again = await client.send(new CreateRoomCommand(input));
    expect(again.RoomArn).toBe(first.RoomArn);
    expect(emulator.rooms()).toHaveLength(1);
    const err = await rejection(client.send(new CreateRoomCommand({ ...input, RoomName: 'B' })));
    expect(err.name).toBe('ValidationException');
  });

  test('SearchRooms pages with NextToken and MaxResults 1-50, filters and sorts', async () => {
    for (let i = 0; i < 23; i++) await client.send(new CreateRoomCommand({ RoomName: `Room ${String(i).padStart(2, '0')}`, ProfileArn: profileArn }));
    const names: string[] = [];
    for await (const page of paginateSearchRooms({ client, pageSize: 10 }, { SortCriteria: [{ Key: 'RoomName', Value: 'DESC' }] })) {
      expect(page.TotalCount).toBe(23);
      expect(page.Rooms!.length).toBeLessThanOrEqual(10);
      names.push(...page.Rooms!.map((r) => r.RoomName!));
    }
    expect(names).toHaveLength(23);
    expect(names[0]).toBe('Room 22');
    const filtered = await client.send(new SearchRoomsCommand({ Filters: [{ Key: 'RoomName', Values: ['Room 07', 'Room 11'] }] }));
    expect(filtered.Rooms!.map((r) => r.RoomName).sort()).toEqual(['Room 07', 'Room 11']);
    expect(filtered.Rooms![0].ProfileName).toBe('Std');
    expect((await client.send(new SearchRoomsCommand({ Filters: [{ Key: 'ProfileName', Values: ['Std'] }], MaxResults: 50 }))).Rooms).toHaveLength(23);
    expect((await rejection(client.send(new SearchRoomsCommand({ MaxResults: 51 })))).message).toContain('Member must have value less than or equal to 50');
    expect((await rejection(client.send(new SearchRoomsCommand({ Filters: [{ Key: 'Floor', Values: ['1'] }] })))).message).toContain('Floor is not a supported key for SearchRooms');
    const page1 = await client.send(new SearchRoomsCommand({ MaxResults: 5 }));
    const err = await rejection(client.send(new SearchRoomsCommand({ MaxResults: 5, NextToken: page1.NextToken, Filters: [{ Key: 'RoomName', Values: ['x'] }] })));
    expect(err.message).toContain('Invalid NextToken');
  });

  test('skill-group association is idempotent and goes with the room; devices must be registered', async () => {
    const { RoomArn } = await client.send(new CreateRoomCommand({ RoomName: 'A', ProfileArn: profileArn }));
    const { SkillGroupArn } = await client.send(new CreateSkillGroupCommand({ SkillGroupName: 'G' }));
    await client.send(new AssociateSkillGroupWithRoomCommand({ RoomArn, SkillGroupArn }));
    await client.send(new AssociateSkillGroupWithRoomCommand({ RoomArn, SkillGroupArn }));
    expect(roomSkillGroups(emulator, RoomArn!)).toEqual([SkillGroupArn]);
    const unregistered = RoomArn!.replace('room/', 'device/');
    expect(await rejection(client.send(new AssociateDeviceWithRoomCommand({ RoomArn, DeviceArn: unregistered }))))
      .toBeInstanceOf(DeviceNotRegisteredException);
    const device = emulator.registerDevice('Echo Show');
    await client.send(new AssociateDeviceWithRoomCommand({ RoomArn, DeviceArn: device }));
    expect((await client.send(new SearchDevicesCommand({ Filters: [{ Key: 'RoomName', Values: ['A'] }] }))).Devices!.map((d) => d.DeviceArn)).toEqual([device]);
    await client.send(new DeleteRoomCommand({ RoomArn }));
    expect(roomSkillGroups(emulator, RoomArn!)).toEqual([]);
    expect((await client.send(new SearchDevicesCommand({ Filters: [{ Key: 'RoomName', Values: ['A'] }] }))).Devices).toEqual([]);
  });

  test('tags: set, change, remove, list; unknown ARN is NotFound', async () => {
    const { RoomArn } = await client.send(new CreateRoomCommand({ RoomName: 'A', ProfileArn: profileArn, Tags: [{ Key: 'floor', Value: '1' }] }));
    await client.send(new TagResourceCommand({ Arn: RoomArn, Tags: [{ Key: 'floor', Value: '2' }, { Key: 'team', Value: 'it' }] }));
    await client.send(new UntagResourceCommand({ Arn: RoomArn, TagKeys: ['team'] }));
    expect((await client.send(new ListTagsCommand({ Arn: RoomArn }))).Tags).toEqual([{ Key: 'floor', Value: '2' }]);
    expect(await rejection(client.send(new ListTagsCommand({ Arn: RoomArn!.replace(/.$/, 'x') })))).toBeInstanceOf(NotFoundException);
  });

  test('ProactiveJoin, which the SDK sends and reads: kept, changed, and refused without EnabledByMotion', async () => {
    const { ProfileArn } = await client.send(new CreateProfileCommand({ ...PROFILE, ProfileName: 'Motion', MeetingRoomConfiguration: { ProactiveJoin: { EnabledByMotion: true } } }));
    const join = async () => (await client.send(new GetProfileCommand({ ProfileArn }))).Profile!.MeetingRoomConfiguration!.ProactiveJoin;
    expect(await join()).toEqual({ EnabledByMotion: true });
    await client.send(new UpdateProfileCommand({ ProfileArn, MeetingRoomConfiguration: { ProactiveJoin: { EnabledByMotion: false } } }));
    expect(await join()).toEqual({ EnabledByMotion: false });
    // The SDK's types require EnabledByMotion; a caller that gets round them meets A4B's answer.
    const err = await rejection(client.send(new UpdateProfileCommand({ ProfileArn, MeetingRoomConfiguration: { ProactiveJoin: {} as any } })));
    expect(err).toBeInstanceOf(AlexaForBusinessServiceException);
    expect([err.name, err.$metadata.httpStatusCode, err.message]).toEqual(['ValidationException', 400,
      "1 validation error detected: Value null at 'meetingRoomConfiguration.proactiveJoin.enabledByMotion' failed to satisfy constraint: Member must not be null"]);
    expect(await join()).toEqual({ EnabledByMotion: false });
  });

  test('UpdateProfile merges meeting-room settings; DeleteProfile leaves its rooms without a profile', async () => {
    await client.send(new UpdateProfileCommand({
      ProfileArn: profileArn, MeetingRoomConfiguration: { InstantBooking: { DurationInMinutes: 30, Enabled: true } },
    }));
    await client.send(new UpdateProfileCommand({ ProfileArn: profileArn, MeetingRoomConfiguration: { InstantBooking: { Enabled: false } } }));
    const { Profile } = await client.send(new GetProfileCommand({ ProfileArn: profileArn }));
    expect(Profile!.MeetingRoomConfiguration!.InstantBooking).toEqual({ DurationInMinutes: 30, Enabled: false });
    const { RoomArn } = await client.send(new CreateRoomCommand({ RoomName: 'A', ProfileArn: profileArn }));
    await client.send(new DeleteProfileCommand({ ProfileArn: profileArn }));
    expect((await client.send(new GetRoomCommand({ RoomArn }))).Room!.ProfileArn).toBeUndefined();
  });
});

describe('A4B emulator faults', () => {
  let emulator: A4bEmulator;
  beforeEach(async () => {
    emulator = await A4bEmulator.start();
  });
  afterEach(() => emulator.stop());

  test('an injected 503 with Retry-After is retried by the SDK and then succeeds', async () => {
    emulator.injectFault({ operation: 'CreateProfile', status: 503, errorType: 'ServiceUnavailableException', retryAfterSeconds: 0, count: 2 });
    const client = a4bClient(emulator, 3);
    await client.send(new CreateProfileCommand(PROFILE));
    expect(emulator.requests.filter((r) => r.operation === 'CreateProfile').map((r) => [r.attempt, r.status])).toEqual([[1, 503], [2, 503], [3, 200]]);
    client.destroy();
  });

  test('Retry-After is sent; match narrows a fault to one resource; phase after performs the write, then fails', async () => {
    const client = a4bClient(emulator);
    emulator.injectFault({ operation: 'CreateProfile', match: { ProfileName: 'B' }, status: 429, errorType: 'ThrottlingException', retryAfterSeconds: 7, count: 1 });
    await client.send(new CreateProfileCommand(PROFILE));
    const res = await fetch(emulator.endpoint, { method: 'POST', headers: { 'x-amz-target': 'AlexaForBusiness.CreateProfile' }, body: JSON.stringify({ ...PROFILE, ProfileName: 'B' }) });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    emulator.injectFault({ operation: 'CreateSkillGroup', errorType: 'InternalFailure', status: 500, phase: 'after', count: 1 });
    const err = await rejection(client.send(new CreateSkillGroupCommand({ SkillGroupName: 'G' })));
    expect(err.$metadata.httpStatusCode).toBe(500);
    expect(emulator.call('SearchSkillGroups', {}).SkillGroups).toHaveLength(1);
    client.destroy();
  });

  test('latency is added without an error', async () => {
    emulator.injectFault({ operation: '*', latencyMs: 150 });
    const client = a4bClient(emulator);
    const t0 = Date.now();
    await client.send(new SearchRoomsCommand({}));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    client.destroy();
  });

  test('a held request (set and released over HTTP) is answered only once released, then with its effect', async () => {
    await fetch(`${emulator.endpoint}/_emulator/faults`, { method: 'POST', body: JSON.stringify({ operation: 'CreateSkillGroup', hold: true, count: 1 }) });
    const client = a4bClient(emulator);
    let answered = false;
    const call = client.send(new CreateSkillGroupCommand({ SkillGroupName: 'Held' })).finally(() => (answered = true));
    await waitFor('the request to be held', () => emulator.held === 1);
    // Other requests go on meanwhile.
    expect((await client.send(new SearchRoomsCommand({}))).Rooms).toEqual([]);
    expect(answered).toBe(false);
    expect(emulator.call('SearchSkillGroups', {}).SkillGroups).toEqual([]);
    expect((await fetch(`${emulator.endpoint}/_emulator/release`, { method: 'POST' })).status).toBe(200);
    expect((await call).SkillGroupArn).toBe(emulator.call('SearchSkillGroups', {}).SkillGroups[0].SkillGroupArn);
    expect(emulator.held).toBe(0);
    client.destroy();
  });
});

describe('A4B emulator persistence', () => {
  test('a second emulator on the same state directory sees the same rooms, also after a torn journal line', async () => {
    const dir = tempDir();
    const first = await A4bEmulator.start({ stateDir: dir });
    const client = a4bClient(first);
    const { ProfileArn } = await client.send(new CreateProfileCommand(PROFILE));
    const { RoomArn } = await client.send(new CreateRoomCommand({ RoomName: 'Kept', ProfileArn }));
    client.destroy();
    // Simulate a killed process: the journal holds the writes, the snapshot does not, the last line is torn.
    fs.appendFileSync(path.join(dir, 'a4b.journal.jsonl'), '{"c":"rooms","k":"arn:aws:a4b:');
    const second = await A4bEmulator.start({ stateDir: dir });
    const again = a4bClient(second);
    expect((await again.send(new GetRoomCommand({ RoomArn }))).Room!.RoomName).toBe('Kept');
    const another = (await again.send(new CreateRoomCommand({ RoomName: 'New', ProfileArn }))).RoomArn!;
    expect(another.split('/')[1]).toBe(RoomArn!.split('/')[1]);
    again.destroy();
    await second.stop();
    await first.stop().catch(() => undefined);
  });
});

describe('emulator connections', () => {
  /** The headers of one GET on a keep-alive agent, and whether the server kept the socket open after answering. */
  function get(url: string, ca?: string): Promise<{ connection?: string; keepAlive?: string }> {
    const mod = url.startsWith('https:') ? https : http;
    const agent = new mod.Agent({ keepAlive: true, ...(ca ? { ca } : {}) });
    return new Promise((resolve, reject) => {
      mod.get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          agent.destroy();
          resolve({ connection: res.headers.connection, keepAlive: res.headers['keep-alive'] as string | undefined });
        });
      }).on('error', reject);
    });
  }

  test('A4B and Graph leave idle keep-alive connections to the client: no Keep-Alive timeout for it to race (ECONNRESET under load)', async () => {
    const a4b = await A4bEmulator.start();
    const graph = await GraphEmulator.start({ stateDir: tempDir() });
    try {
      expect(await get(`${a4b.endpoint}/_emulator/health`)).toEqual({ connection: 'keep-alive', keepAlive: undefined });
      expect(await get(`${graph.url}/_emulator/health`, graph.caPem)).toEqual({ connection: 'keep-alive', keepAlive: undefined });
    } finally {
      await a4b.stop();
      await graph.stop();
    }
  });
});
