// One A4B client per container. Endpoint from AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS (the SDK reads it itself).
import { AlexaForBusinessClient } from '@aws-sdk/client-alexa-for-business';
import { HandlerEnv } from '../../contract';
import { A4bRetryStrategy } from './retry';

export { A4bRetryStrategy };

export const maxAttempts = Number(process.env[HandlerEnv.A4B_MAX_ATTEMPTS] ?? 8);

export const a4b = new AlexaForBusinessClient({
  region: process.env[HandlerEnv.A4B_REGION] ?? process.env.AWS_REGION ?? 'us-east-1',
  retryStrategy: new A4bRetryStrategy(maxAttempts),
});
