// Time, for the logic that waits or measures (deadlines, pacing, backoff, polls, lock waits): injected, so that tests
// drive it with a fake clock instead of waiting, and their verdicts do not depend on how busy the machine is.

/** Milliseconds since the epoch, and waits measured on the same clock. */
export interface Clock {
  now(): number;
  /**
   * Resolves after `ms` (at once when `signal` is or gets aborted). `unref`: the wait does not keep the process alive
   * (a bound on something else, such as a deadline, which must not hold a finished CLI for an hour).
   */
  sleep(ms: number, signal?: AbortSignal, unref?: boolean): Promise<void>;
}

/** The wall clock and timers. */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal, unref) => new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (unref) timer.unref();
    signal?.addEventListener('abort', done);
  }),
};

/**
 * A clock that moves only when told: `sleep` resolves once `advance` has moved time past its end. For tests of
 * time-based logic, which then run in no time and the same way on a busy machine.
 */
export class ManualClock implements Clock {
  private readonly sleepers: Array<{ until: number; wake: () => void }> = [];

  constructor(private at = 0) {}

  now(): number {
    return this.at;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const sleeper = { until: this.at + Math.max(0, ms), wake: () => resolve() };
      if (sleeper.until <= this.at) return resolve();
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', () => {
        const i = this.sleepers.indexOf(sleeper);
        if (i >= 0) this.sleepers.splice(i, 1);
        resolve();
      });
    });
  }

  /** How many sleeps are waiting for time to move. */
  get sleeping(): number {
    return this.sleepers.length;
  }

  /** Moves time to the end of the earliest sleep, waking it (and any ending at the same time); false if none sleeps. */
  advanceToNextWake(): boolean {
    if (!this.sleepers.length) return false;
    this.advance(Math.min(...this.sleepers.map((s) => s.until)) - this.at);
    return true;
  }

  /** Moves time forward by `ms`, waking (in time order) every sleep that ends by then. */
  advance(ms: number): void {
    this.at += ms;
    const due = this.sleepers.filter((s) => s.until <= this.at).sort((a, b) => a.until - b.until);
    for (const s of due) {
      this.sleepers.splice(this.sleepers.indexOf(s), 1);
      s.wake();
    }
  }
}
