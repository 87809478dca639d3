// The A4B client's send rate (lib/runtime/a4b/pacing.ts), on a fake clock: unlimited until throttled, then AIMD.
import { Readable } from 'stream';
import { AlexaForBusinessClient, GetRoomCommand } from '@aws-sdk/client-alexa-for-business';
import { HttpResponse } from '@smithy/protocol-http';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import { countThrottles, isThrottling, pace, SendRate } from '../../lib/runtime/a4b/pacing';
import { ManualClock } from '../../lib/runtime/clock';
import { waitFor } from '../helpers';

function clocked() {
  let t = 10_000;
  const rate = new SendRate(() => t);
  return { rate, advance: (ms: number) => { t += ms; } };
}

test('unthrottled, nothing waits however fast calls come', () => {
  const { rate } = clocked();
  expect(Array.from({ length: 100 }, () => rate.reserve())).toEqual(Array(100).fill(0));
  expect(rate.perSecond).toBe(Number.POSITIVE_INFINITY);
});

test('the first throttle sets the rate to 70% of what was sent in the last second, and calls are spaced by it', () => {
  const { rate } = clocked();
  for (let i = 0; i < 20; i++) rate.reserve();
  rate.throttled();
  expect(rate.perSecond).toBeCloseTo(14);
  const waits = Array.from({ length: 4 }, () => rate.reserve());
  // The first slot is one interval after the throttle, then one interval each.
  expect(waits.map((w) => Math.round(w))).toEqual([71, 143, 214, 286]);
});

test('throttles in the same second decrease once (the calls in flight all come back throttled); a later one again', () => {
  const { rate, advance } = clocked();
  for (let i = 0; i < 10; i++) rate.reserve();
  rate.throttled();
  rate.throttled();
  rate.throttled();
  expect(rate.perSecond).toBeCloseTo(7);
  advance(1000);
  rate.throttled();
  expect(rate.perSecond).toBeCloseTo(4.9);
});

test('after a decrease, throttles for the next 1000 ms (a round trip of calls in flight) do not decrease again', () => {
  const { rate, advance } = clocked();
  for (let i = 0; i < 10; i++) rate.reserve();
  rate.throttled();
  expect(rate.perSecond).toBeCloseTo(7);
  for (const step of [250, 250, 250, 249]) {
    advance(step);
    rate.throttled();
    expect(rate.perSecond).toBeCloseTo(7);
  }
  advance(1);
  rate.throttled();
  expect(rate.perSecond).toBeCloseTo(4.9);
});

test('the first throttle counts only the calls sent in the second before it', () => {
  const { rate, advance } = clocked();
  for (let i = 0; i < 30; i++) rate.reserve();
  advance(500);
  for (let i = 0; i < 10; i++) rate.reserve();
  // 1100 ms after the first 30: only the 10 sent 600 ms ago count.
  advance(600);
  rate.throttled();
  expect(rate.perSecond).toBeCloseTo(7);
});

test('calls sent exactly a second before the first throttle no longer count; with none left it starts from 1 a second', () => {
  const { rate, advance } = clocked();
  for (let i = 0; i < 5; i++) rate.reserve();
  advance(1000);
  rate.throttled();
  expect(rate.perSecond).toBeCloseTo(0.7);
});

test('successes raise the rate by about one request a second per second, and it never falls below the minimum', () => {
  const { rate, advance } = clocked();
  rate.reserve();
  rate.throttled();
  expect(rate.perSecond).toBe(0.7);
  for (let i = 0; i < 10; i++) {
    advance(1000);
    rate.throttled();
  }
  expect(rate.perSecond).toBe(0.5);
  const before = rate.perSecond;
  for (let i = 0; i < 20; i++) rate.succeeded();
  expect(rate.perSecond).toBeGreaterThan(before + 3);
  expect(rate.perSecond).toBeLessThan(before + 20);
});

test.each([
  [{ name: 'ThrottlingException' }, true],
  [{ name: 'TooManyRequestsException' }, true],
  [{ name: '429', $metadata: { httpStatusCode: 429 } }, true],
  [{ name: 'LimitExceededException', $metadata: { httpStatusCode: 400 } }, false],
  [{ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } }, false],
  // Not an SDK error: no $metadata.
  [new TypeError('fetch failed'), false],
  [undefined, false],
])('isThrottling(%p) is %p', (error, expected) => {
  expect(isThrottling(error)).toBe(expected);
});

/**
 * A real A4B client whose HTTP handler answers from a script (`[status, body]` per attempt, taken in order), with the
 * SDK's own retries but not their backoff: pacing and counting must see each attempt, not only the call's outcome.
 */
function scriptedClient(answers: Array<[number, string]>, attempts: number, onSend: () => void = () => undefined): AlexaForBusinessClient {
  return new AlexaForBusinessClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    retryStrategy: new ConfiguredRetryStrategy(attempts, () => 0),
    requestHandler: {
      handle: async () => {
        onSend();
        const [statusCode, body] = answers.shift()!;
        return { response: new HttpResponse({ statusCode, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: Readable.from([Buffer.from(body)]) }) };
      },
    },
  });
}
const get = () => new GetRoomCommand({ RoomArn: 'arn:aws:a4b:us-east-1:123456789012:room/r' });
const ok: [number, string] = [200, '{"Room":{}}'];
const throttle: [number, string] = [400, '{"__type":"ThrottlingException","message":"Rate exceeded"}'];
const invalid: [number, string] = [400, '{"__type":"NotFoundException","message":"no such room"}'];

describe('pace(): every attempt of a real A4B client takes its slot', () => {
  // The client's HTTP handler answers from a script; the rate's clock is fake, and calls are 10 s apart so none waits.
  function pacedClient(answers: Array<[number, string]>, attempts = 1) {
    let t = 10_000;
    const rate = new SendRate(() => t);
    const sent: number[] = [];
    const client = scriptedClient(answers, attempts, () => sent.push(t));
    expect(pace(client, rate)).toBe(rate);
    return { client, rate, sent, advance: (ms: number) => { t += ms; } };
  }

  test('a throttle lowers the rate, another error does not, a success raises it', async () => {
    const { client, rate, sent, advance } = pacedClient([ok, ok, throttle, invalid, ok]);
    await client.send(get());
    await client.send(get());
    expect(rate.perSecond).toBe(Number.POSITIVE_INFINITY);
    await expect(client.send(get())).rejects.toMatchObject({ name: 'ThrottlingException' });
    // 3 calls in the last second: 2.1 a second.
    expect(rate.perSecond).toBeCloseTo(2.1);
    advance(10_000);
    await expect(client.send(get())).rejects.toMatchObject({ name: 'NotFoundException' });
    expect(rate.perSecond).toBeCloseTo(2.1);
    advance(10_000);
    await client.send(get());
    expect(rate.perSecond).toBeCloseTo(2.1 + 1 / 2.1);
    expect(sent).toHaveLength(5);
  });

  test('after a throttle an attempt waits for its slot on the clock: it is not sent until the rate\'s spacing has passed', async () => {
    const clock = new ManualClock(10_000);
    const rate = new SendRate(() => clock.now());
    const sent: number[] = [];
    const client = scriptedClient([ok, throttle, ok], 1, () => sent.push(clock.now()));
    pace(client, rate, clock);
    await client.send(get());
    await expect(client.send(get())).rejects.toMatchObject({ name: 'ThrottlingException' });
    // 2 calls in the last second: 1.4 a second, the next slot 1000 / 1.4 = 714.3 ms after the throttle.
    const third = client.send(get());
    await waitFor('the third call to wait for its slot', () => clock.sleeping === 1);
    clock.advance(714);
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([10_000, 10_000]);
    clock.advance(1);
    await third;
    expect(sent).toEqual([10_000, 10_000, 10_715]);
  });

  test('an attempt the SDK retries counts: its throttle lowers the rate though the call succeeds', async () => {
    const { client, rate, sent } = pacedClient([throttle, ok], 3);
    await client.send(get());
    expect(sent).toHaveLength(2);
    // One attempt before the throttle: 0.7 a second; the retried attempt's success adds 1 / max(1, 0.7).
    expect(rate.perSecond).toBeCloseTo(1.7);
  });
});

describe('countThrottles(): the drift monitor counts every throttled attempt of a real A4B client', () => {
  function countedClient(answers: Array<[number, string]>, attempts: number) {
    let throttled = 0;
    const client = scriptedClient(answers, attempts);
    countThrottles(client, () => throttled++);
    return { client, throttled: () => throttled, left: () => answers.length };
  }

  test('each throttled attempt inside the SDK\'s retries counts once; a call that then succeeds still counted them; other errors do not', async () => {
    const { client, throttled, left } = countedClient([throttle, throttle, ok, invalid, throttle, throttle, throttle], 3);
    await client.send(get());
    expect(throttled()).toBe(2);
    await expect(client.send(get())).rejects.toMatchObject({ name: 'NotFoundException' });
    expect(throttled()).toBe(2);
    await expect(client.send(get())).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(throttled()).toBe(5);
    expect(left()).toBe(0);
  });
});
