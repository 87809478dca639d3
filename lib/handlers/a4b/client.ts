// One A4B client per container. Endpoint from AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS (the SDK reads it itself).
import { AlexaForBusinessClient } from '@aws-sdk/client-alexa-for-business';
import { StandardRetryStrategy } from '@smithy/util-retry';
import { HandlerEnv } from '../../contract';

/**
 * The SDK's standard retry, adjusted to A4B: LimitExceededException is an account quota, not a rate, so retrying
 * it only wastes time (the SDK counts it as throttling); ConcurrentModificationException clears by itself, so it
 * is retried like a 5xx (the SDK does not retry it).
 */
export class A4bRetryStrategy extends StandardRetryStrategy {
  override async refreshRetryTokenForRetry(token: Parameters<StandardRetryStrategy['refreshRetryTokenForRetry']>[0],
    errorInfo: Parameters<StandardRetryStrategy['refreshRetryTokenForRetry']>[1]) {
    const name = (errorInfo.error as { name?: string } | undefined)?.name;
    if (name === 'LimitExceededException') throw new Error('account quota: not retried');
    if (name === 'ConcurrentModificationException') return super.refreshRetryTokenForRetry(token, { ...errorInfo, errorType: 'TRANSIENT' });
    return super.refreshRetryTokenForRetry(token, errorInfo);
  }
}

export const maxAttempts = Number(process.env[HandlerEnv.A4B_MAX_ATTEMPTS] ?? 8);

export const a4b = new AlexaForBusinessClient({
  region: process.env[HandlerEnv.A4B_REGION] ?? process.env.AWS_REGION ?? 'us-east-1',
  retryStrategy: new A4bRetryStrategy(maxAttempts),
});
