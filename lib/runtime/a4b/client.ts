// The one way an A4B client is made (the provider, the drift monitor, the CLI's drift and import), and the one
// ListTags pager. The endpoint comes from the options, or from AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS (the SDK reads it).
import { AlexaForBusinessClient, ListTagsCommand } from '@aws-sdk/client-alexa-for-business';
import { HandlerEnv } from '../../contract';
import { allPages } from './pages';
import { A4bRetryStrategy } from './retry';

/** Attempts per call (throttling, 5xx, concurrent modification) unless A4B_MAX_ATTEMPTS or the caller says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 8;

export interface A4bClientOptions {
  /** @default A4B_REGION, else AWS_REGION, else us-east-1 (the only region A4B ran in) */
  readonly region?: string;
  readonly endpoint?: string;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
  /** @default A4B_MAX_ATTEMPTS, else DEFAULT_MAX_ATTEMPTS */
  readonly maxAttempts?: number;
}

export function a4bClient(options: A4bClientOptions = {}): AlexaForBusinessClient {
  return new AlexaForBusinessClient({
    region: options.region ?? process.env[HandlerEnv.A4B_REGION] ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    retryStrategy: new A4bRetryStrategy(options.maxAttempts ?? Number(process.env[HandlerEnv.A4B_MAX_ATTEMPTS] ?? DEFAULT_MAX_ATTEMPTS)),
  });
}

/** Every tag of an A4B resource, system tags included, as { Key, Value }. */
export async function listTags(a4b: AlexaForBusinessClient, arn: string): Promise<Array<{ Key: string; Value: string }>> {
  const tags = await allPages((NextToken) => a4b.send(new ListTagsCommand({ Arn: arn, NextToken })).then((o) => ({ items: o.Tags, NextToken: o.NextToken })));
  return tags.map((t) => ({ Key: t.Key!, Value: t.Value ?? '' }));
}
