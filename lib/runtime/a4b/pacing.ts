// Client-side pacing of one container's A4B calls: additive increase, multiplicative decrease (AIMD), as TCP and the
// SDK's "adaptive" retry mode do. Backoff alone is not enough under a rate limit: every throttled call retries on its
// own schedule, the containers keep sending at full speed, and an unlucky call can spend all its attempts (and the
// client's retry quota) on a bucket the others keep empty. Paced, a container sends no faster than A4B has recently
// let it, so a first deploy of thousands of rooms completes under the limit instead of rolling back.
// A4B's real rate limit was never documented; this assumes only that throttling means "send less".
import type { AlexaForBusinessClient } from '@aws-sdk/client-alexa-for-business';
import { Clock, realClock } from '../clock';
import { sleep } from '../request';

/** The send rate of one container: unlimited until A4B first throttles, then adapted to what A4B lets through. */
export class SendRate {
  /** Requests per second; Infinity until the first throttle. */
  private rate = Number.POSITIVE_INFINITY;
  private nextAt = 0;
  private lastDecrease = Number.NEGATIVE_INFINITY;
  // Stryker disable next-line ArrayDeclaration: a non-number entry is never counted (x > t - 1000 is false) and only stops the pruning, which bounds memory
  private readonly sent: number[] = [];

  constructor(private readonly now: () => number = Date.now, private readonly minimum = 0.5) {}

  /** The current rate (requests per second). */
  get perSecond(): number {
    return this.rate;
  }

  /** Reserves the next send slot; returns how many milliseconds to wait for it. */
  reserve(): number {
    const t = this.now();
    const at = Number.isFinite(this.rate) ? Math.max(t, this.nextAt) : t;
    // Stryker disable next-line ConditionalExpression: unlimited, the slot is at + 0 and `at` is always now
    if (Number.isFinite(this.rate)) this.nextAt = at + 1000 / this.rate;
    this.sent.push(at);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: pruning only bounds memory; throttled() counts the last second with its own filter
    while (this.sent.length && this.sent[0] <= t - 1000) this.sent.shift();
    return at - t;
  }

  /**
   * A4B throttled a call: send at 70% of the rate (the first time, of what was sent in the last second). Once a second
   * at most, as TCP decreases once a round trip: the calls in flight when the bucket ran dry all come back throttled.
   */
  throttled(): void {
    const t = this.now();
    if (t - this.lastDecrease < 1000) return;
    this.lastDecrease = t;
    const base = Number.isFinite(this.rate) ? this.rate : Math.max(1, this.sent.filter((x) => x > t - 1000).length);
    this.rate = Math.max(this.minimum, base * 0.7);
    this.nextAt = Math.max(this.nextAt, t + 1000 / this.rate);
  }

  /** A call went through: about one more request per second, each second (1/rate per call). */
  succeeded(): void {
    // Stryker disable next-line ConditionalExpression: Infinity + 0 is Infinity
    if (Number.isFinite(this.rate)) this.rate += 1 / Math.max(1, this.rate);
  }
}

/** Whether an SDK error is A4B (or a proxy) saying "too many requests". */
export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === 'ThrottlingException' || e?.name === 'TooManyRequestsException' || e?.$metadata?.httpStatusCode === 429;
}

/**
 * Makes every attempt of the client's calls (inside the SDK's retries) wait for its slot in `rate`, which throttling
 * lowers and successes raise: the provider handler's container and the CLI's drift and import send alike.
 */
export function pace(client: AlexaForBusinessClient, rate = new SendRate(), clock: Clock = realClock): SendRate {
  client.middlewareStack.add((next) => async (args) => {
    const wait = rate.reserve();
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a sleep of 0 or less resolves at once
    if (wait > 0) await sleep(wait, undefined, clock);
    try {
      const out = await next(args);
      rate.succeeded();
      return out;
    } catch (e) {
      if (isThrottling(e)) rate.throttled();
      throw e;
    }
  }, {
    step: 'finalizeRequest',
    // Stryker disable next-line StringLiteral: after the retry middleware (priority high) whatever the priority in this step
    priority: 'low',
    // Stryker disable next-line StringLiteral: the name only identifies the middleware in the stack
    name: 'a4bPacing',
  });
  return rate;
}

/** Calls `onThrottled` for every attempt of the client's calls (inside the SDK's retries) that A4B throttled. */
export function countThrottles(client: AlexaForBusinessClient, onThrottled: () => void): void {
  client.middlewareStack.add((next) => async (args) => {
    try {
      return await next(args);
    } catch (e) {
      if (isThrottling(e)) onThrottled();
      throw e;
    }
  }, {
    step: 'finalizeRequest',
    // Stryker disable next-line StringLiteral: after the retry middleware (priority high) whatever the priority in this step
    priority: 'low',
    // Stryker disable next-line StringLiteral: the name only identifies the middleware in the stack
    name: 'a4bThrottleCount',
  });
}
