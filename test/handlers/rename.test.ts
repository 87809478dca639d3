// A case-only rename (Bravo -> BRAVO) through the bundled handler, in CloudFormation's order: the new resource is
// created before the old one is deleted, and A4B names are unique ignoring case. The room must survive the forward
// path (take over, then cleanup) and the rollback path (Delete of the new resource), keeping its ARN.
import { Stack } from 'aws-cdk-lib';
import { Room, RoomProfile } from '../../lib';
import { OWNER_PROVIDER_TAG, OWNER_TAG, PREVIOUS_OWNER_TAG, RENAMED_FROM_TAG } from '../../lib/contract';
import { Template } from '../../lib/local/template';
import { idsOfType, ProviderHarness, synth } from '../helpers';

const ROOM = 'Custom::A4BRoom';
let h: ProviderHarness;
let template: Template;
let oldId: string;
let newId: string;
let arn: string;

function build(stack: Stack) {
  const profile = new RoomProfile(stack, 'Profile', { roomProfileName: 'Std', address: '1 Main St', timezone: 'UTC' });
  new RoomProfile(stack, 'Other', { roomProfileName: 'Other', address: '2 Main St', timezone: 'UTC' });
  // Two construct ids, as RoomInventory gives a room before and after a case-only rename.
  new Room(stack, 'Bravo', { roomName: 'Bravo', mailbox: 'bravo@contoso.com', profile, tags: { floor: '1' } });
  new Room(stack, 'BRAVO', { roomName: 'BRAVO', mailbox: 'bravo@contoso.com', profile, tags: { floor: '1' } });
}

const rooms = () => h.emulator.rooms().map((r) => `${r.RoomName} ${r.RoomArn}`);
const held = (by: string) => ({ [OWNER_TAG]: `${h.stackId}/${by}`, [OWNER_PROVIDER_TAG]: expect.stringMatching(/^A4BRoomsProvider/) });
const tagsOf = (a: string) => Object.fromEntries(h.emulator.call('ListTags', { Arn: a }).Tags.map((t: any) => [t.Key, t.Value]));

beforeEach(async () => {
  h = await ProviderHarness.start();
  template = synth(build);
  const ids = idsOfType(template, ROOM);
  oldId = ids.find((i) => i.startsWith('Bravo'))!;
  newId = ids.find((i) => i.startsWith('BRAVO'))!;
  await h.createAll(template, idsOfType(template, 'Custom::A4BRoomProfile'));
  await h.createAll(template, [oldId]);
  arn = h.created.get(oldId)!.PhysicalResourceId;
});
afterEach(() => h.stop());

test('forward: the new resource takes the room over and renames it; the old resource\'s cleanup Delete keeps it', async () => {
  const created = await h.create(template, newId);
  expect(created).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: arn });
  expect(rooms()).toEqual([`BRAVO ${arn}`]);
  // Held by the new resource, with what a rollback needs to hand it back: the previous holder and the old name.
  expect(tagsOf(arn)).toEqual({
    floor: '1', ...held(newId), [PREVIOUS_OWNER_TAG]: `${h.stackId}/${oldId}`, [RENAMED_FROM_TAG]: Buffer.from('Bravo').toString('base64url'),
  });
  const cleanup = await h.delete(oldId, ROOM, arn, h.properties(template, oldId));
  expect(cleanup.Status).toBe('SUCCESS');
  expect(rooms()).toEqual([`BRAVO ${arn}`]);
  // The old resource's leaving confirms the handover.
  expect(tagsOf(arn)).toEqual({ floor: '1', ...held(newId) });
  // Later, removing the room from the stack deletes it as usual.
  expect((await h.delete(newId, ROOM, arn, h.properties(template, newId))).Status).toBe('SUCCESS');
  expect(rooms()).toEqual([]);
});

test('rollback: the Delete of the new resource gives the room its old name back and hands it back', async () => {
  await h.create(template, newId);
  const rollback = await h.delete(newId, ROOM, arn, h.properties(template, newId));
  expect(rollback.Status).toBe('SUCCESS');
  expect(rooms()).toEqual([`Bravo ${arn}`]);
  expect(tagsOf(arn)).toEqual({ floor: '1', ...held(oldId) });
  // The stack still holds the old resource, which deletes the room when it goes.
  expect((await h.delete(oldId, ROOM, arn, h.properties(template, oldId))).Status).toBe('SUCCESS');
  expect(rooms()).toEqual([]);
});

test('an unmarked room (made outside the stack) that shares the name but for case, with another mailbox, is not taken: AlreadyExists, with adoptExisting named', async () => {
  h.emulator.call('UntagResource', { Arn: arn, TagKeys: [OWNER_TAG, OWNER_PROVIDER_TAG] });
  h.emulator.call('UpdateRoom', { RoomArn: arn, ProviderCalendarId: 'someone-else@contoso.com' });
  const res = await h.create(template, newId);
  expect(res.Status).toBe('FAILED');
  expect(res.Reason).toContain('AlreadyExistsException');
  expect(res.Reason).toContain('adoptExisting');
  expect(rooms()).toEqual([`Bravo ${arn}`]);
  expect(tagsOf(arn)).toEqual({ floor: '1' });
});

test('an unmarked room with the same profile and mailbox, renamed in case only, is taken over (rooms made before ownership was recorded)', async () => {
  h.emulator.call('UntagResource', { Arn: arn, TagKeys: [OWNER_TAG, OWNER_PROVIDER_TAG] });
  expect(await h.create(template, newId)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: arn });
  expect(rooms()).toEqual([`BRAVO ${arn}`]);
  // A rollback's Delete hands it back to nobody: the room stays, under its old name, unmarked.
  expect((await h.delete(newId, ROOM, arn, h.properties(template, newId))).Status).toBe('SUCCESS');
  expect(rooms()).toEqual([`Bravo ${arn}`]);
  expect(tagsOf(arn)).toEqual({ floor: '1' });
});

test('a room held through another provider is not taken without adoptExisting; the message names its holder', async () => {
  const other = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Elsewhere/0f0e0d0c-0000-4000-8000-000000000000/Room1';
  h.emulator.call('TagResource', { Arn: arn, Tags: [{ Key: OWNER_TAG, Value: other }, { Key: OWNER_PROVIDER_TAG, Value: 'OtherProvider' }] });
  const res = await h.create(template, newId);
  expect(res.Status).toBe('FAILED');
  expect(res.Reason).toContain('held by resource Room1 of stack Elsewhere, through another provider');
  expect(res.Reason).toContain('adoptExisting');
  expect(rooms()).toEqual([`Bravo ${arn}`]);
});

test('a room of another profile is not taken either', async () => {
  const other = h.created.get(idsOfType(template, 'Custom::A4BRoomProfile').find((i) => i.startsWith('Other'))!)!.PhysicalResourceId;
  h.emulator.call('UpdateRoom', { RoomArn: arn, ProfileArn: other });
  expect((await h.create(template, newId)).Status).toBe('FAILED');
  expect(rooms()).toEqual([`Bravo ${arn}`]);
});
