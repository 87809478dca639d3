// The fake clock the time-based tests run on: sleeps wake when time is moved past their end, in time order, and
// not before; an aborted sleep ends at once.
import { ManualClock, realClock } from '../../lib/runtime/clock';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('ManualClock', () => {
  test('sleeps wake in the order they end, only once time reaches their end', async () => {
    const clock = new ManualClock(1000);
    const woke: string[] = [];
    for (const [name, ms] of [['c', 300], ['a', 100], ['b', 200], ['a2', 100]] as const) void clock.sleep(ms).then(() => woke.push(name));
    expect(clock.sleeping).toBe(4);
    clock.advance(99);
    await turn();
    expect(woke).toEqual([]);
    clock.advance(1);
    await turn();
    expect(woke).toEqual(['a', 'a2']);
    expect(clock.advanceToNextWake()).toBe(true);
    await turn();
    expect({ now: clock.now(), woke }).toEqual({ now: 1200, woke: ['a', 'a2', 'b'] });
    clock.advance(10_000);
    await turn();
    expect(woke).toEqual(['a', 'a2', 'b', 'c']);
    expect(clock.advanceToNextWake()).toBe(false);
  });

  test.each([
    ['a sleep of 0', 0, false],
    ['a negative sleep', -5, false],
    ['a sleep with an aborted signal', 1000, true],
  ])('%s resolves at once', async (_name, ms, aborted) => {
    const clock = new ManualClock();
    const signal = aborted ? AbortSignal.abort() : undefined;
    let done = false;
    void clock.sleep(ms, signal).then(() => (done = true));
    await turn();
    expect({ done, sleeping: clock.sleeping }).toEqual({ done: true, sleeping: 0 });
  });

  test('aborting a sleep ends it and forgets it', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    let done = false;
    void clock.sleep(1000, controller.signal).then(() => (done = true));
    controller.abort();
    await turn();
    expect({ done, sleeping: clock.sleeping, now: clock.now() }).toEqual({ done: true, sleeping: 0, now: 0 });
  });
});

test('the real clock: an aborted sleep ends without waiting for its timer', async () => {
  const controller = new AbortController();
  const slept = realClock.sleep(60_000, controller.signal);
  controller.abort();
  await expect(slept).resolves.toBeUndefined();
});
