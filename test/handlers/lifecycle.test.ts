// The bundled provider handler (what ships), driven with CloudFormation-shaped events built from a synthesized
// template, with string properties, against the A4B emulator; every case checks the emulator's state afterwards.
import { GetProfileCommand } from '@aws-sdk/client-alexa-for-business';
import { Stack } from 'aws-cdk-lib';
import { EndOfMeetingReminderType, Room, RoomProfile, SkillGroup } from '../../lib';
import { isSystemTag, OWNER_NONE, OWNER_PROVIDER_TAG, OWNER_TAG, PREVIOUS_OWNER_TAG } from '../../lib/contract';
import { roomSkillGroups } from '../../lib/local/a4b-emulator';
import { Template } from '../../lib/local/template';
import { a4bClient, idsOfType, ProviderHarness, synth, writesIn } from '../helpers';

let h: ProviderHarness;
let devices: string[];
let template: Template;
let roomId: string;
let g1: string;
let g2: string;

function build(stack: Stack, devs: string[]) {
  const profile = new RoomProfile(stack, 'Profile', {
    roomProfileName: 'Std', address: '1 Main St', timezone: 'Europe/Berlin', maxVolumeLimit: 8, locale: 'en-US',
    instantBooking: { durationMinutes: 30 }, endOfMeetingReminder: { reminderAtMinutes: 5, type: EndOfMeetingReminderType.CHIME },
    proactiveJoin: { enabledByMotion: true },
  });
  new RoomProfile(stack, 'Other', { roomProfileName: 'Other', address: '2 Main St', timezone: 'UTC' });
  const sg1 = new SkillGroup(stack, 'G1', { skillGroupName: 'Conferencing', description: 'Meetings' });
  new SkillGroup(stack, 'G2', { skillGroupName: 'Facilities' });
  new Room(stack, 'Board', {
    roomName: 'Board Room', mailbox: 'board@contoso.com', description: 'Floor 5', profile, skillGroups: [sg1], deviceArns: [devs[0]], tags: { floor: '5' },
  });
}

const ROOM = 'Custom::A4BRoom';

beforeEach(async () => {
  h = await ProviderHarness.start();
  devices = [h.emulator.registerDevice('Echo 1'), h.emulator.registerDevice('Echo 2')];
  template = synth((s) => build(s, devices));
  const ids = Object.keys(template.Resources!);
  const find = (prefix: string) => ids.find((i) => i.startsWith(prefix))!;
  roomId = find('Board');
  g1 = find('G1');
  g2 = find('G2');
  await h.createAll(template, [find('Profile'), find('Other'), g1, g2]);
});
afterEach(() => h.stop());

function roomArn(): string {
  return h.created.get(roomId)!.PhysicalResourceId;
}
function liveRoom(): Record<string, any> {
  return h.emulator.call('GetRoom', { RoomArn: roomArn() }).Room;
}
function allTags(arn = roomArn()): Record<string, string> {
  return Object.fromEntries(h.emulator.call('ListTags', { Arn: arn }).Tags.map((t: any) => [t.Key, t.Value]));
}
/** The room's declared tags: the library's own (who holds it) left out. */
function liveTags(arn = roomArn()): Record<string, string> {
  return Object.fromEntries(Object.entries(allTags(arn)).filter(([k]) => !isSystemTag(k)));
}
function sgArn(id: string): string {
  return h.created.get(id)!.PhysicalResourceId;
}
function devicesIn(name: string): string[] {
  return h.emulator.call('SearchDevices', { Filters: [{ Key: 'RoomName', Values: [name] }] }).Devices.map((d: any) => d.DeviceArn);
}

describe('room lifecycle through the bundled handler', () => {
  test('properties reach the handler as strings, as CloudFormation sends them', () => {
    const profileProps = h.properties(template, idsOfType(template, 'Custom::A4BRoomProfile')[0]);
    expect(profileProps.MaxVolumeLimit).toBe('8');
    expect((profileProps.MeetingRoomConfiguration as any).InstantBooking).toEqual({ Enabled: 'true', DurationInMinutes: '30' });
    expect((profileProps.MeetingRoomConfiguration as any).ProactiveJoin).toEqual({ EnabledByMotion: 'true' });
  });

  test('create: room with mailbox, description, profile, skill group, device and tags; ARN as physical id and attribute', async () => {
    const res = await h.create(template, roomId);
    expect(res.Status).toBe('SUCCESS');
    expect(res.PhysicalResourceId).toMatch(/^arn:aws:a4b:us-east-1:123456789012:room\//);
    expect(res.Data).toEqual({ Arn: res.PhysicalResourceId, Name: 'Board Room' });
    expect(liveRoom()).toMatchObject({ RoomName: 'Board Room', ProviderCalendarId: 'board@contoso.com', Description: 'Floor 5', ProfileArn: h.created.get(idsOfType(template, 'Custom::A4BRoomProfile')[0])!.PhysicalResourceId });
    expect(roomSkillGroups(h.emulator, roomArn())).toEqual([sgArn(g1)]);
    expect(devicesIn('Board Room')).toEqual([devices[0]]);
    // Made with the tags that say which resource of which stack holds it, in the CreateRoom call itself.
    expect(allTags()).toEqual({ floor: '5', [OWNER_TAG]: `${h.stackId}/${roomId}`, [OWNER_PROVIDER_TAG]: expect.stringMatching(/^A4BRoomsProvider/) });
    expect(h.emulator.requests.filter((r) => r.operation === 'TagResource')).toEqual([]);
  });

  test('the same Create delivered twice makes one room', async () => {
    const first = await h.create(template, roomId, 'request-1');
    const second = await h.create(template, roomId, 'request-1');
    expect(second.PhysicalResourceId).toBe(first.PhysicalResourceId);
    expect(h.emulator.rooms()).toHaveLength(1);
  });

  test.each([
    ['name', { RoomName: 'Boardroom 5.01' }, { RoomName: 'Boardroom 5.01' }],
    ['description', { Description: 'Top floor' }, { Description: 'Top floor' }],
    ['mailbox', { ProviderCalendarId: 'boardroom@contoso.com' }, { ProviderCalendarId: 'boardroom@contoso.com' }],
    ['mailbox removed', { ProviderCalendarId: undefined }, { ProviderCalendarId: '' }],
  ])('update of the %s is in place', async (_, change, expected) => {
    await h.create(template, roomId);
    const old = h.properties(template, roomId);
    const res = await h.update(roomId, ROOM, { ...old, ...change }, old);
    expect(res).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: roomArn() });
    expect(liveRoom()).toMatchObject(expected);
    expect(h.emulator.rooms()).toHaveLength(1);
  });

  test('update of the profile is in place', async () => {
    await h.create(template, roomId);
    const old = h.properties(template, roomId);
    const other = h.created.get(idsOfType(template, 'Custom::A4BRoomProfile')[1])!.PhysicalResourceId;
    expect((await h.update(roomId, ROOM, { ...old, ProfileArn: other }, old)).Status).toBe('SUCCESS');
    expect(liveRoom().ProfileArn).toBe(other);
  });

  test('skill groups, devices and tags change as set differences', async () => {
    await h.create(template, roomId);
    const old = h.properties(template, roomId);
    const res = await h.update(roomId, ROOM, { ...old, SkillGroupArns: [sgArn(g2)], DeviceArns: [devices[1]], Tags: [{ Key: 'floor', Value: '6' }, { Key: 'team', Value: 'it' }] }, old);
    expect(res.Status).toBe('SUCCESS');
    expect(roomSkillGroups(h.emulator, roomArn())).toEqual([sgArn(g2)]);
    expect(devicesIn('Board Room')).toEqual([devices[1]]);
    expect(liveTags()).toEqual({ floor: '6', team: 'it' });
    const later = await h.update(roomId, ROOM, { ...old, SkillGroupArns: undefined, DeviceArns: [], Tags: undefined }, { ...old, SkillGroupArns: [sgArn(g2)], DeviceArns: [devices[1]], Tags: [{ Key: 'floor', Value: '6' }, { Key: 'team', Value: 'it' }] });
    expect(later.Status).toBe('SUCCESS');
    expect(roomSkillGroups(h.emulator, roomArn())).toEqual([]);
    expect(devicesIn('Board Room')).toEqual([]);
    expect(liveTags()).toEqual({});
  });

  test('an unchanged update makes no A4B write', async () => {
    await h.create(template, roomId);
    const writes = writesIn(h.emulator).length;
    const old = h.properties(template, roomId);
    expect((await h.update(roomId, ROOM, old, old)).Status).toBe('SUCCESS');
    expect(writesIn(h.emulator)).toHaveLength(writes);
  });

  test('removing a description fails with the fix, and changes nothing', async () => {
    await h.create(template, roomId);
    const old = h.properties(template, roomId);
    const writes = writesIn(h.emulator).length;
    const res = await h.update(roomId, ROOM, { ...old, Description: undefined, RoomName: 'Renamed' }, old);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toBe("room 'Renamed': A4B cannot remove a room's Description once set: give it a new value instead of removing it");
    expect(res.PhysicalResourceId).toBe(roomArn());
    expect(writesIn(h.emulator)).toHaveLength(writes);
  });

  test('a failed update says what it applied, and CloudFormation\'s rollback update restores the old state', async () => {
    await h.create(template, roomId);
    const old = h.properties(template, roomId);
    const next = { ...old, RoomName: 'Renamed', SkillGroupArns: [sgArn(g1), sgArn(g2)], Tags: [{ Key: 'floor', Value: '9' }] };
    h.emulator.injectFault({ operation: 'AssociateSkillGroupWithRoom', errorType: 'ValidationException', message: 'injected', status: 400 });
    const failed = await h.update(roomId, ROOM, next, old);
    expect(failed.Status).toBe('FAILED');
    expect(failed.Reason).toContain("room 'Renamed' (" + roomId + '): AssociateSkillGroupWithRoom failed with ValidationException: injected');
    expect(failed.Reason).toContain('Already applied in this request: updated RoomName.');
    expect(liveRoom().RoomName).toBe('Renamed');
    h.emulator.clearFaults();
    const rollback = await h.update(roomId, ROOM, old, next);
    expect(rollback.Status).toBe('SUCCESS');
    expect(liveRoom()).toMatchObject({ RoomName: 'Board Room', Description: 'Floor 5' });
    expect(roomSkillGroups(h.emulator, roomArn())).toEqual([sgArn(g1)]);
    expect(liveTags()).toEqual({ floor: '5' });
  });

  test('delete removes the room; deleting it again, or a placeholder id, succeeds without a call', async () => {
    await h.create(template, roomId);
    const arn = roomArn();
    expect((await h.delete(roomId, ROOM, arn)).Status).toBe('SUCCESS');
    expect(h.emulator.rooms()).toHaveLength(0);
    expect((await h.delete(roomId, ROOM, arn)).Status).toBe('SUCCESS');
    const before = h.emulator.requests.length;
    expect((await h.delete(roomId, ROOM, 'failed-create-0123456789abcdef0123')).Status).toBe('SUCCESS');
    expect(h.emulator.requests).toHaveLength(before);
  });

  test('an existing room of the same name fails the create with its ARN and the fix, and creates nothing', async () => {
    const profileArn = h.created.get(idsOfType(template, 'Custom::A4BRoomProfile')[0])!.PhysicalResourceId;
    const existing = h.emulator.call('CreateRoom', { RoomName: 'Board Room', ProfileArn: profileArn }).RoomArn;
    const res = await h.create(template, roomId);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toContain(`AlreadyExistsException`);
    expect(res.Reason).toContain(`(${existing}): set adoptExisting to true to manage it from this stack, or choose another name`);
    expect(res.PhysicalResourceId).toMatch(/^failed-create-/);
    expect(h.emulator.rooms()).toHaveLength(1);
  });

  test('adoptExisting takes over the room of the same name and brings it to the declared state', async () => {
    const profileArn = h.created.get(idsOfType(template, 'Custom::A4BRoomProfile')[1])!.PhysicalResourceId;
    const existing = h.emulator.call('CreateRoom', { RoomName: 'Board Room', ProfileArn: profileArn, Description: 'old', Tags: [{ Key: 'legacy', Value: 'yes' }] }).RoomArn;
    h.emulator.call('AssociateDeviceWithRoom', { RoomArn: existing, DeviceArn: devices[1] });
    const props: Record<string, unknown> = { ...h.properties(template, roomId), AdoptExisting: 'true' };
    const res = await h.send({ RequestType: 'Create', LogicalResourceId: roomId, ResourceType: ROOM, ResourceProperties: props, RequestId: 'adopt-1' });
    expect(res).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: existing });
    expect(h.emulator.rooms()).toHaveLength(1);
    expect(h.emulator.call('GetRoom', { RoomArn: existing }).Room).toMatchObject({ Description: 'Floor 5', ProviderCalendarId: 'board@contoso.com', ProfileArn: props.ProfileArn });
    expect(liveTags(existing)).toEqual({ floor: '5' });
    // Held by this resource now; taken from no recorded holder, so a rollback's Delete would leave it in A4B.
    expect(allTags(existing)).toMatchObject({ [OWNER_TAG]: `${h.stackId}/${roomId}`, [PREVIOUS_OWNER_TAG]: OWNER_NONE });
    expect(devicesIn('Board Room')).toEqual([devices[0]]);
    expect(roomSkillGroups(h.emulator, existing)).toEqual([sgArn(g1)]);
  });

  test('adoptExisting with no room of that name creates one', async () => {
    const res = await h.send({ RequestType: 'Create', LogicalResourceId: roomId, ResourceType: ROOM, ResourceProperties: { ...h.properties(template, roomId), AdoptExisting: 'true' }, RequestId: 'adopt-2' });
    expect(res.Status).toBe('SUCCESS');
    expect(h.emulator.rooms()).toHaveLength(1);
  });

  test('a create that fails after the room exists deletes it again and says so', async () => {
    h.emulator.injectFault({ operation: 'AssociateDeviceWithRoom', errorType: 'DeviceNotRegisteredException', message: 'gone', status: 400 });
    const res = await h.create(template, roomId);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toMatch(/AssociateDeviceWithRoom failed with DeviceNotRegisteredException: gone\. Check deviceArns.*Already applied in this request: created room arn:[^;]+; added skill group [^.]+\. The new room arn:\S+ was deleted again, so nothing is left behind\./);
    expect(res.PhysicalResourceId).toMatch(/:room\//);
    expect(h.emulator.rooms()).toHaveLength(0);
  });

  test('a property CloudFormation could not have produced is refused with its name', async () => {
    const res = await h.send({ RequestType: 'Create', LogicalResourceId: 'X', ResourceType: 'Custom::A4BRoomProfile', RequestId: 'bad-1',
      ResourceProperties: { ...h.properties(template, idsOfType(template, 'Custom::A4BRoomProfile')[1]), ProfileName: 'New', MaxVolumeLimit: 'eight' } });
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toBe("room profile 'New' (X): property MaxVolumeLimit is \"eight\"; it must be a whole number");
  });

  test('an unknown resource type fails, and its delete succeeds', async () => {
    const res = await h.send({ RequestType: 'Create', LogicalResourceId: 'X', ResourceType: 'Custom::Other', ResourceProperties: {}, RequestId: 'u-1' });
    expect(res).toMatchObject({ Status: 'FAILED', Reason: 'X: resource type Custom::Other is not served by this provider' });
    expect((await h.delete('X', 'Custom::Other', res.PhysicalResourceId)).Status).toBe('SUCCESS');
  });
});

describe('room profile and skill group lifecycle through the bundled handler', () => {
  const PROFILE = 'Custom::A4BRoomProfile';

  test('profile update: fields in place, a removed meeting-room feature switched off, a removed locale refused', async () => {
    const id = idsOfType(template, PROFILE)[0];
    const arn = h.created.get(id)!.PhysicalResourceId;
    const old = h.properties(template, id);
    const { InstantBooking, ...meeting } = old.MeetingRoomConfiguration as Record<string, unknown>;
    expect(InstantBooking).toBeDefined();
    const next = { ...old, Address: '3 Main St', MaxVolumeLimit: '5', MeetingRoomConfiguration: meeting };
    expect((await h.update(id, PROFILE, next, old)).Status).toBe('SUCCESS');
    const live = h.emulator.call('GetProfile', { ProfileArn: arn }).Profile;
    expect(live).toMatchObject({ Address: '3 Main St', MaxVolumeLimit: 5 });
    expect(live.MeetingRoomConfiguration.InstantBooking).toEqual({ DurationInMinutes: 30, Enabled: false });
    const res = await h.update(id, PROFILE, { ...next, Locale: undefined }, next);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toContain("A4B cannot unset a profile's Locale once set");
  });

  test('ProactiveJoin: created as declared, EnabledByMotion changed in place, switched off when removed', async () => {
    const id = idsOfType(template, PROFILE)[0];
    const arn = h.created.get(id)!.PhysicalResourceId;
    // Read back as a user of the SDK reads it.
    const sdk = a4bClient(h.emulator);
    const join = async () => (await sdk.send(new GetProfileCommand({ ProfileArn: arn }))).Profile!.MeetingRoomConfiguration!.ProactiveJoin;
    expect(await join()).toEqual({ EnabledByMotion: true });
    const old = h.properties(template, id);
    const meeting = old.MeetingRoomConfiguration as Record<string, unknown>;
    const off = { ...old, MeetingRoomConfiguration: { ...meeting, ProactiveJoin: { EnabledByMotion: 'false' } } };
    expect((await h.update(id, PROFILE, off, old)).Status).toBe('SUCCESS');
    expect(await join()).toEqual({ EnabledByMotion: false });
    expect((await h.update(id, PROFILE, old, off)).Status).toBe('SUCCESS');
    expect(await join()).toEqual({ EnabledByMotion: true });
    const { ProactiveJoin, ...rest } = meeting;
    expect((await h.update(id, PROFILE, { ...old, MeetingRoomConfiguration: rest }, old)).Status).toBe('SUCCESS');
    expect(await join()).toEqual({ EnabledByMotion: false });
    sdk.destroy();
    // The other meeting-room settings were left as they were.
    expect(h.emulator.call('GetProfile', { ProfileArn: arn }).Profile.MeetingRoomConfiguration.InstantBooking).toEqual({ DurationInMinutes: 30, Enabled: true });
    expect(ProactiveJoin).toBeDefined();
  });

  test('profile rename onto another profile\'s name is NameInUse with the fix', async () => {
    const [id] = idsOfType(template, PROFILE);
    const old = h.properties(template, id);
    const res = await h.update(id, PROFILE, { ...old, ProfileName: 'other' }, old);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toContain('UpdateProfile failed with NameInUseException');
    expect(res.Reason).toContain('rename one of them');
  });

  test('skill group: rename, description change, delete', async () => {
    const arn = sgArn(g1);
    const old = h.properties(template, g1);
    expect((await h.update(g1, 'Custom::A4BSkillGroup', { ...old, SkillGroupName: 'Meetings', Description: 'Start meetings' }, old)).Status).toBe('SUCCESS');
    expect(h.emulator.call('GetSkillGroup', { SkillGroupArn: arn }).SkillGroup).toMatchObject({ SkillGroupName: 'Meetings', Description: 'Start meetings' });
    expect((await h.delete(g1, 'Custom::A4BSkillGroup', arn)).Status).toBe('SUCCESS');
    expect(h.emulator.call('SearchSkillGroups', {}).SkillGroups.map((g: any) => g.SkillGroupName)).toEqual(['Facilities']);
  });
});
