// The bundled provider handler answers CloudFormation before its Lambda function's timeout: with a Lambda context whose
// remaining time is short and an A4B that answers slower than that, it reports FAILED (naming what it applied and the
// call that had not answered) instead of timing out silently, and CloudFormation's rollback then leaves nothing behind,
// even once A4B applies the call the handler gave up on.
import { isSystemTag } from '../../lib/contract';
import { randomUUID } from 'crypto';
import { Room, RoomProfile, SkillGroup } from '../../lib';
import { pendingCreateId, pendingCreateToken, requestToken } from '../../lib/handlers/a4b/steps';
import * as http from 'http';
import { AddressInfo } from 'net';
import { CfnEvent, cfnHandler, CfnResult, currentRequest, deadlineReason, RequestScope, responseReserveMillis } from '../../lib/handlers/cfn';
import { A4bRetryStrategy } from '../../lib/runtime/a4b/retry';
import { ManualClock } from '../../lib/runtime/clock';
import { runInRequest } from '../../lib/runtime/request';
import { roomSkillGroups } from '../../lib/local/a4b-emulator';
import { CfnResponse } from '../../lib/local/local-lambda';
import { Template } from '../../lib/local/template';
import { idsOfType, ProviderHarness, scaled, synth, waitFor, writesIn } from '../helpers';

// The function's timeout, longer on a machine told to be slow (TEST_TIME_SCALE): the calls before the held one must
// finish inside it. A "slow" call is held by the emulator until the test releases it, so it is slower than any deadline.
const TIMEOUT_SECONDS = Math.ceil(scaled(2000) / 1000);

let h: ProviderHarness;
let template: Template;
let roomId: string;

beforeEach(async () => {
  h = await ProviderHarness.start();
  template = synth((stack) => {
    const profile = new RoomProfile(stack, 'Profile', { roomProfileName: 'Std', address: '1 Main St', timezone: 'UTC' });
    const sg = new SkillGroup(stack, 'Sg', { skillGroupName: 'Conferencing' });
    new Room(stack, 'Board', { roomName: 'Board Room', mailbox: 'board@contoso.com', profile, skillGroups: [sg], tags: { floor: '5' } });
  });
  roomId = idsOfType(template, 'Custom::A4BRoom')[0];
  await h.createAll(template, [...idsOfType(template, 'Custom::A4BRoomProfile'), ...idsOfType(template, 'Custom::A4BSkillGroup')]);
});
afterEach(() => h.stop());

/** A request with a Lambda context of TIMEOUT_SECONDS, as the function's configured timeout gives it. */
function invoke(event: Record<string, unknown>): Promise<CfnResponse> {
  return h.lambda.invoke({ StackId: h.stackId, ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider', RequestId: randomUUID(), ...event },
    { timeoutSeconds: TIMEOUT_SECONDS, serviceTimeoutSeconds: TIMEOUT_SECONDS + 30 });
}

/** Releases the held call and waits until the emulator has answered `count` requests of `operation` (it included). */
async function released(operation: string, count = 1): Promise<void> {
  expect(h.emulator.held).toBe(1);
  h.emulator.releaseHeld();
  await waitFor(`${count} ${operation} answered`, () => h.emulator.requests.filter((r) => r.operation === operation).length >= count);
}

test('a slow association after the create: FAILED before the deadline, naming the new room; the rollback Delete removes it', async () => {
  h.emulator.injectFault({ operation: 'AssociateSkillGroupWithRoom', hold: true, count: 1 });
  const res = await invoke({ RequestType: 'Create', LogicalResourceId: roomId, ResourceType: 'Custom::A4BRoom', ResourceProperties: h.properties(template, roomId) });
  expect(res.Status).toBe('FAILED');
  const [room] = h.emulator.rooms();
  expect(res.PhysicalResourceId).toBe(room.RoomArn);
  expect(res.Reason).toContain(`room 'Board Room' (${roomId}): Create stopped while still waiting on AssociateSkillGroupWithRoom, to answer CloudFormation before the Lambda function's timeout`);
  expect(res.Reason).toContain(`Already applied in this request: created room ${room.RoomArn}.`);
  expect(res.Reason).toContain("CloudFormation's rollback deletes what this request created");
  // The emulator holds the slow call: the answer came first.
  expect(h.emulator.held).toBe(1);
  expect(h.emulator.requests.filter((r) => r.operation === 'AssociateSkillGroupWithRoom')).toHaveLength(0);

  const back = await h.delete(roomId, 'Custom::A4BRoom', res.PhysicalResourceId, h.properties(template, roomId));
  expect(back.Status).toBe('SUCCESS');
  await released('AssociateSkillGroupWithRoom');
  expect(h.emulator.rooms()).toHaveLength(0);
  expect(roomSkillGroups(h.emulator, room.RoomArn)).toEqual([]);
}, scaled(20_000));

test('a slow CreateRoom: FAILED with a pending id; the rollback Delete finds the room A4B made late through the token and deletes it', async () => {
  h.emulator.injectFault({ operation: 'CreateRoom', hold: true, count: 1 });
  const requestId = randomUUID();
  const res = await h.lambda.invoke({ StackId: h.stackId, RequestId: requestId, RequestType: 'Create', LogicalResourceId: roomId, ResourceType: 'Custom::A4BRoom',
    ResourceProperties: h.properties(template, roomId) }, { timeoutSeconds: TIMEOUT_SECONDS });
  expect(res.Status).toBe('FAILED');
  expect(res.PhysicalResourceId).toBe(pendingCreateId({ StackId: h.stackId, LogicalResourceId: roomId, RequestId: requestId } as never));
  expect(res.Reason).toContain('Create stopped while still waiting on CreateRoom');
  expect(res.Reason).toContain("Nothing was applied in this request. A4B may still complete the CreateRoom: CloudFormation's rollback Delete asks A4B for it by this request's token and deletes it");
  expect(h.emulator.rooms()).toHaveLength(0);

  const back = await h.delete(roomId, 'Custom::A4BRoom', res.PhysicalResourceId, h.properties(template, roomId));
  expect(back.Status).toBe('SUCCESS');
  // The slow call lands after the rollback: its token was already answered, so it makes no second room.
  await released('CreateRoom', 2); // recorded once answered, so the room it made (none) is in the store by now
  expect(h.emulator.rooms()).toHaveLength(0);
  expect(writesIn(h.emulator).filter((w) => w === 'DeleteRoom')).toHaveLength(1);
}, scaled(20_000));

test('the rollback Delete of a pending create that A4B never made deletes nothing it does not own', async () => {
  const pending = pendingCreateId({ StackId: h.stackId, LogicalResourceId: roomId, RequestId: randomUUID() } as never);
  h.emulator.call('CreateRoom', { RoomName: 'Board Room', ProfileArn: h.created.get(idsOfType(template, 'Custom::A4BRoomProfile')[0])!.PhysicalResourceId });
  const back = await h.delete(roomId, 'Custom::A4BRoom', pending, h.properties(template, roomId));
  expect(back.Status).toBe('SUCCESS');
  // The name belongs to a room made outside this request: A4B refused the replay, and that room stays.
  expect(h.emulator.rooms().map((r) => r.RoomName)).toEqual(['Board Room']);
});

test('a slow TagResource in an update: FAILED before the deadline naming what was applied; the rollback Update restores the old state', async () => {
  const created = await h.create(template, roomId);
  const arn = created.PhysicalResourceId;
  const before = h.properties(template, roomId);
  const after = { ...before, RoomName: 'Board Room 2', Tags: [{ Key: 'floor', Value: '6' }] };
  h.emulator.injectFault({ operation: 'TagResource', hold: true, count: 1 });
  const res = await invoke({ RequestType: 'Update', LogicalResourceId: roomId, ResourceType: 'Custom::A4BRoom', PhysicalResourceId: arn, ResourceProperties: after, OldResourceProperties: before });
  expect(res.Status).toBe('FAILED');
  expect(res.PhysicalResourceId).toBe(arn);
  expect(res.Reason).toContain(`room 'Board Room 2' (${roomId}): Update stopped while still waiting on TagResource`);
  expect(res.Reason).toContain('Already applied in this request: updated RoomName.');
  expect(res.Reason).toContain("CloudFormation's rollback Update restores the previous properties");
  expect(h.emulator.call('GetRoom', { RoomArn: arn }).Room.RoomName).toBe('Board Room 2');

  // A call given up on may still be applied by A4B; here it lands before the rollback (a later landing is the one
  // case a rollback cannot order, and what drift then reports).
  await released('TagResource');
  const back = await invoke({ RequestType: 'Update', LogicalResourceId: roomId, ResourceType: 'Custom::A4BRoom', PhysicalResourceId: arn, ResourceProperties: before, OldResourceProperties: after });
  expect(back.Status).toBe('SUCCESS');
  expect(h.emulator.call('GetRoom', { RoomArn: arn }).Room.RoomName).toBe('Board Room');
  expect(h.emulator.call('ListTags', { Arn: arn }).Tags.filter((t: { Key: string }) => !isSystemTag(t.Key))).toEqual([{ Key: 'floor', Value: '5' }]);
}, scaled(20_000));

test('A4B throttling that the SDK keeps retrying past the deadline: FAILED before it, the retries stopped', async () => {
  h.emulator.injectFault({ operation: 'CreateRoom', status: 400, errorType: 'ThrottlingException', latencyMs: scaled(700) });
  const res = await invoke({ RequestType: 'Create', LogicalResourceId: roomId, ResourceType: 'Custom::A4BRoom', ResourceProperties: h.properties(template, roomId) });
  expect(res.Status).toBe('FAILED');
  expect(res.Reason).toContain('Create stopped while still waiting on CreateRoom');
  const attemptsAtAnswer = h.emulator.requests.filter((r) => r.operation === 'CreateRoom').length;
  // The harness allows 4 attempts; the deadline came first. That no retry starts after it is the retry strategy's
  // (below, on an aborted request), not something to watch for here by waiting.
  expect(attemptsAtAnswer).toBeLessThan(4);
  expect(h.emulator.rooms()).toHaveLength(0);
}, scaled(20_000));

test('with time enough, the same slow call succeeds: the deadline only cuts what would not finish', async () => {
  h.emulator.injectFault({ operation: 'AssociateSkillGroupWithRoom', latencyMs: 300, count: 1 });
  // 30 s: "enough" on a loaded machine too (with 2 s, the 1.6 s left for the work is close to a slow run's).
  const res = await h.lambda.invoke({ StackId: h.stackId, ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider', RequestId: randomUUID(),
    RequestType: 'Create', LogicalResourceId: roomId, ResourceType: 'Custom::A4BRoom', ResourceProperties: h.properties(template, roomId) }, { timeoutSeconds: 30 });
  expect(res.Status).toBe('SUCCESS');
  expect(roomSkillGroups(h.emulator, res.PhysicalResourceId)).toHaveLength(1);
});

describe('the deadline on an injected clock (cfnHandler in this process)', () => {
  let server: http.Server;
  let bodies: Array<Record<string, unknown>>;
  let event: CfnEvent;
  beforeEach(async () => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined); // the handler's request log
    bodies = [];
    server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (d) => (text += d));
      req.on('end', () => {
        bodies.push(JSON.parse(text));
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    event = { RequestType: 'Create', LogicalResourceId: 'A', StackId: 's', RequestId: 'r', ResourceType: 'Custom::A4BRoom', ResourceProperties: {},
      ResponseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await new Promise((resolve) => server.close(resolve));
  });
  const turn = () => new Promise((resolve) => setImmediate(resolve)); // lets the handler run what is due; no wall-clock wait

  test('10 s left: the work gets 8 s, then the calls are aborted and FAILED names what was applied and what was running', async () => {
    const clock = new ManualClock(1_000_000);
    let signal: AbortSignal | undefined;
    const handler = cfnHandler(async () => {
      const scope = currentRequest()!;
      scope.resource = "room 'A' (A)";
      scope.applied.push(['created room x']);
      scope.inFlight.push('TagResource');
      signal = scope.signal;
      return new Promise<CfnResult>(() => undefined); // A4B never answers
    }, () => 'failed-A', clock);
    const done = handler(event, { getRemainingTimeInMillis: () => 10_000 });
    await turn();
    expect(clock.sleeping).toBe(1); // the wait for the deadline is on the injected clock
    clock.advance(7_999);
    await turn();
    expect({ answered: bodies.length, aborted: signal!.aborted }).toEqual({ answered: 0, aborted: false });
    clock.advance(1);
    await done;
    expect(signal!.aborted).toBe(true);
    expect(bodies).toEqual([expect.objectContaining({ Status: 'FAILED', PhysicalResourceId: 'failed-A', LogicalResourceId: 'A' })]);
    expect(bodies[0].Reason).toMatch(/^room 'A' \(A\): Create stopped while still waiting on TagResource, .*\(10\.0 s left .*Already applied in this request: created room x\./);
  });

  test('work that finishes in time is answered as it is, and the deadline wait is ended', async () => {
    const clock = new ManualClock();
    const handler = cfnHandler(async () => ({ PhysicalResourceId: 'arn:x', Data: { Name: 'A' } }), () => 'failed-A', clock);
    await handler(event, { getRemainingTimeInMillis: () => 10_000 });
    expect(bodies).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'arn:x', Data: { Name: 'A' } })]);
    expect(clock.sleeping).toBe(0);
  });

  test('an aborted request is not retried: the retry strategy refuses once the deadline has aborted it', async () => {
    const scope = new RequestScope();
    const strategy = new A4bRetryStrategy(4);
    const token = await strategy.acquireInitialRetryToken('a4b');
    const throttled = { errorType: 'THROTTLING' as const, error: Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }) };
    await expect(runInRequest(scope, () => strategy.refreshRetryTokenForRetry(token, throttled))).resolves.toBeDefined();
    scope.abort();
    await expect(runInRequest(scope, () => strategy.refreshRetryTokenForRetry(token, throttled))).rejects.toThrow('the request reached its deadline: not retried');
  });
});

describe('deadline arithmetic', () => {
  test.each([
    [300_000, 5000], [60_000, 5000], [25_000, 5000], [3000, 600], [100, 20], [0, 0],
  ])('%d ms left keeps %d ms for the answer', (remaining, reserve) => {
    expect(responseReserveMillis(remaining)).toBe(reserve);
  });

  test('a pending-create id carries the whole request token; other ids carry none', () => {
    const event = { StackId: 's', LogicalResourceId: 'L', RequestId: 'r' } as never;
    expect(pendingCreateToken(pendingCreateId(event))).toBe(requestToken(event));
    expect(pendingCreateToken('failed-create-0123')).toBeUndefined();
    expect(pendingCreateToken('arn:aws:a4b:us-east-1:123456789012:room/x')).toBeUndefined();
    expect(pendingCreateToken(undefined)).toBeUndefined();
  });

  test('the reason lists every applied step, each unanswered call once, and the hint', () => {
    const scope = new RequestScope();
    scope.resource = "room 'A' (A)";
    scope.applied.push(['created room x'], ['added skill group y']);
    scope.inFlight.push('TagResource', 'TagResource');
    scope.retryHint = 'Deploy again.';
    expect(deadlineReason({ RequestType: 'Create', LogicalResourceId: 'A' } as never, scope, 2500)).toBe(
      "room 'A' (A): Create stopped while still waiting on TagResource, to answer CloudFormation before the Lambda function's timeout "
      + '(2.5 s left when the request started; the service was slow or kept failing and was being retried). '
      + 'Already applied in this request: created room x; added skill group y. Deploy again.');
    expect(deadlineReason({ RequestType: 'Delete', LogicalResourceId: 'B' } as never, new RequestScope(), 1000))
      .toMatch(/^B: Delete stopped before it could finish, .* Nothing was applied in this request\. Deploy again to retry\.$/);
  });
});
