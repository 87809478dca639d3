import { StandardRetryStrategy } from '@smithy/util-retry';
import { currentRequest } from '../request';
import { isThrottling } from './pacing';

/**
 * The SDK's standard retry, adjusted to A4B: LimitExceededException is an account quota, not a rate, so retrying
 * it only wastes time (the SDK counts it as throttling); ConcurrentModificationException clears by itself, so it
 * is retried like a 5xx (the SDK does not retry it).
 */
export class A4bRetryStrategy extends StandardRetryStrategy {
  /**
   * @param maxAttempts attempts per call
   * @param otherErrorAttempts attempts per call for errors other than throttling, when fewer (a reader that would
   * rather report a failing read than wait on it, but under a rate limit keeps going at the pace it is let)
   */
  constructor(maxAttempts: number, private readonly otherErrorAttempts = maxAttempts) {
    super(maxAttempts);
  }

  override async refreshRetryTokenForRetry(token: Parameters<StandardRetryStrategy['refreshRetryTokenForRetry']>[0],
    errorInfo: Parameters<StandardRetryStrategy['refreshRetryTokenForRetry']>[1]) {
    const name = (errorInfo.error as { name?: string } | undefined)?.name;
    if (currentRequest()?.signal.aborted) throw new Error('the request reached its deadline: not retried');
    if (name === 'LimitExceededException') throw new Error('account quota: not retried');
    if (!isThrottling(errorInfo.error) && token.getRetryCount() + 1 >= this.otherErrorAttempts) throw new Error('not a throttle: no more attempts');
    if (name === 'ConcurrentModificationException') return super.refreshRetryTokenForRetry(token, { ...errorInfo, errorType: 'TRANSIENT' });
    return super.refreshRetryTokenForRetry(token, errorInfo);
  }
}

