// Faults on the wire, seen through the bundled handler: what the SDK retries (with the provider's retry
// strategy), what it must not, and that no fault leaves a duplicate or half-configured room behind.
import { Room, RoomProfile, SkillGroup } from '../../lib';
import { roomSkillGroups } from '../../lib/local/a4b-emulator';
import { ownerId, ownerTags, providerName } from '../../lib/handlers/a4b/ownership';
import { requestToken } from '../../lib/handlers/a4b/steps';
import { Template } from '../../lib/local/template';
import { idsOfType, ProviderHarness, synth } from '../helpers';

let h: ProviderHarness;
let template: Template;
let roomId: string;

beforeEach(async () => {
  h = await ProviderHarness.start({}, { A4B_MAX_ATTEMPTS: '4' });
  template = synth((stack) => {
    const profile = new RoomProfile(stack, 'Profile', { roomProfileName: 'Std', address: '1 Main St', timezone: 'UTC' });
    const sg = new SkillGroup(stack, 'Sg', { skillGroupName: 'Conferencing' });
    new Room(stack, 'Board', { roomName: 'Board Room', mailbox: 'board@contoso.com', profile, skillGroups: [sg] });
  });
  roomId = idsOfType(template, 'Custom::A4BRoom')[0];
  await h.createAll(template, [...idsOfType(template, 'Custom::A4BRoomProfile'), ...idsOfType(template, 'Custom::A4BSkillGroup')]);
});
afterEach(() => h.stop());

function attempts(operation: string): number[] {
  return h.emulator.requests.filter((r) => r.operation === operation).map((r) => r.status);
}

describe.each([
  ['HTTP 429 without a type', { status: 429 }],
  ['HTTP 500 InternalFailure', { status: 500, errorType: 'InternalFailure' }],
  ['HTTP 503 ServiceUnavailable', { status: 503, errorType: 'ServiceUnavailableException' }],
  ['ThrottlingException', { status: 400, errorType: 'ThrottlingException' }],
])('%s twice, then success', (_, fault) => {
  test('CreateRoom is retried and makes exactly one room', async () => {
    h.emulator.injectFault({ operation: 'CreateRoom', retryAfterSeconds: 0, count: 2, ...fault });
    const res = await h.create(template, roomId);
    expect(res.Status).toBe('SUCCESS');
    expect(attempts('CreateRoom')).toEqual([fault.status, fault.status, 200]);
    expect(h.emulator.rooms()).toHaveLength(1);
    expect(roomSkillGroups(h.emulator, res.PhysicalResourceId)).toHaveLength(1);
  });
});

test('ConcurrentModificationException, which the SDK does not retry, is retried by the provider', async () => {
  h.emulator.injectFault({ operation: 'AssociateSkillGroupWithRoom', status: 400, errorType: 'ConcurrentModificationException', count: 2 });
  const res = await h.create(template, roomId);
  expect(res.Status).toBe('SUCCESS');
  expect(attempts('AssociateSkillGroupWithRoom')).toEqual([400, 400, 200]);
  expect(roomSkillGroups(h.emulator, res.PhysicalResourceId)).toHaveLength(1);
});

test('ConcurrentModificationException that does not clear fails after the configured attempts, and the new room is removed', async () => {
  h.emulator.injectFault({ operation: 'AssociateSkillGroupWithRoom', status: 400, errorType: 'ConcurrentModificationException' });
  const res = await h.create(template, roomId);
  expect(res.Status).toBe('FAILED');
  expect(attempts('AssociateSkillGroupWithRoom')).toHaveLength(4);
  expect(res.Reason).toContain('A4B still reported a concurrent change after 4 attempts');
  expect(res.Reason).toContain('was deleted again, so nothing is left behind');
  expect(h.emulator.rooms()).toHaveLength(0);
});

test('LimitExceededException is an account quota: one attempt, and the message says so', async () => {
  h.emulator.injectFault({ operation: 'CreateRoom', status: 400, errorType: 'LimitExceededException', message: 'You have reached the limit of 10000 rooms' });
  const res = await h.create(template, roomId);
  expect(res.Status).toBe('FAILED');
  expect(attempts('CreateRoom')).toEqual([400]);
  expect(res.Reason).toContain("room 'Board Room' (" + roomId + '): CreateRoom failed with LimitExceededException: You have reached the limit of 10000 rooms.');
  expect(res.Reason).toContain('This is an A4B account quota, not a rate limit, so it was not retried');
  expect(h.emulator.rooms()).toHaveLength(0);
});

test('the real quota, reached in the emulator, gives the same answer', async () => {
  const full = await ProviderHarness.start({ quotas: { ROOMS: 1 } });
  try {
    await full.createAll(template, idsOfType(template, 'Custom::A4BRoomProfile').concat(idsOfType(template, 'Custom::A4BSkillGroup')));
    full.emulator.call('CreateRoom', { RoomName: 'Existing', ProfileArn: full.created.get(idsOfType(template, 'Custom::A4BRoomProfile')[0])!.PhysicalResourceId });
    const res = await full.create(template, roomId);
    expect(res.Status).toBe('FAILED');
    expect(res.Reason).toContain('LimitExceededException: You have reached the limit of 1 rooms for this account');
    expect(full.emulator.requests.filter((r) => r.operation === 'CreateRoom' && r.errorType === 'LimitExceededException')).toHaveLength(1);
  } finally {
    await full.stop();
  }
});

test('a 500 that never clears fails after the configured attempts with a message to retry later, and no room exists', async () => {
  h.emulator.injectFault({ operation: 'CreateRoom', status: 500, errorType: 'InternalFailure' });
  const res = await h.create(template, roomId);
  expect(res.Status).toBe('FAILED');
  expect(attempts('CreateRoom')).toEqual([500, 500, 500, 500]);
  expect(res.Reason).toContain('A4B kept failing after 4 attempts: deploy again later');
  expect(res.PhysicalResourceId).toMatch(/^failed-create-/);
  expect(h.emulator.rooms()).toHaveLength(0);
});

test('a CreateRoom whose response is lost after the room was made is retried with the same token: still one room', async () => {
  h.emulator.injectFault({ operation: 'CreateRoom', status: 500, errorType: 'InternalFailure', phase: 'after', count: 1 });
  const res = await h.create(template, roomId);
  expect(res.Status).toBe('SUCCESS');
  expect(attempts('CreateRoom')).toEqual([500, 200]);
  const tokens = new Set(h.emulator.requests.filter((r) => r.operation === 'CreateRoom').map((r) => r.input.ClientRequestToken));
  expect(tokens.size).toBe(1);
  expect(h.emulator.rooms()).toHaveLength(1);
});

test('a Lambda re-invocation of a Create whose first run was cut off after CreateRoom makes no second room', async () => {
  // The first run made the room with the request's token, then the function timed out before it answered.
  const props = h.properties(template, roomId);
  const token = requestToken({ StackId: h.stackId, LogicalResourceId: roomId, RequestId: 'same-request' } as any);
  const first = h.emulator.call('CreateRoom', {
    RoomName: props.RoomName, ProviderCalendarId: props.ProviderCalendarId, ProfileArn: props.ProfileArn, ClientRequestToken: token,
    Tags: [...((props.Tags as unknown[]) ?? []), ...ownerTags(ownerId(h.stackId, roomId), providerName(props.ServiceToken))],
  }).RoomArn;
  const again = await h.create(template, roomId, 'same-request');
  expect(again).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: first });
  expect(h.emulator.rooms()).toHaveLength(1);
  expect(roomSkillGroups(h.emulator, first)).toHaveLength(1);
});

test('a huge error message is cut so the response stays under CloudFormation\'s 4 KB', async () => {
  h.emulator.injectFault({ operation: 'CreateRoom', status: 400, errorType: 'ValidationException', message: 'é'.repeat(6000) });
  const res = await h.create(template, roomId);
  expect(res.Status).toBe('FAILED');
  expect(res.Reason).toMatch(/^room 'Board Room' \(Board[0-9A-F]{8}\): CreateRoom failed with ValidationException: é+/);
  expect(res.Reason).toMatch(/… \(truncated\)$/);
  expect(Buffer.byteLength(res.Reason!)).toBeLessThanOrEqual(3000);
});
