// The A4B client's send rate (lib/runtime/a4b/pacing.ts), on a fake clock: unlimited until throttled, then AIMD.
import { isThrottling, SendRate } from '../../lib/runtime/a4b/pacing';

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
  [undefined, false],
])('isThrottling(%p) is %p', (error, expected) => {
  expect(isThrottling(error)).toBe(expected);
});
