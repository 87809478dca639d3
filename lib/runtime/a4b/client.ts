// The one way an A4B client is made (the provider, the drift monitor, the CLI's drift and import) and the one
// ListTags pager; searches are in query.ts. The endpoint comes from the options, or from
// AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS (the SDK reads it).
import { AlexaForBusinessClient, ListTagsCommand } from '@aws-sdk/client-alexa-for-business';
import { A4B_MAX_RESULTS, HandlerEnv } from '../../contract';
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
  /** Attempts for errors other than throttling, when fewer than maxAttempts. @default maxAttempts */
  readonly otherErrorAttempts?: number;
  /**
   * How long one call may take, its retries included, before it is abandoned (its request aborted) with a
   * RequestTimeout error naming the operation and resource. For readers that must not hang on one answer (drift).
   * @default no limit (the handlers have their request's deadline instead)
   */
  readonly callTimeoutMs?: number;
}

/** The A4B region: the one given, else A4B_REGION, else AWS_REGION, else us-east-1 (the only region A4B ran in). */
export function a4bRegion(region?: string): string {
  return region ?? process.env[HandlerEnv.A4B_REGION] ?? process.env.AWS_REGION ?? 'us-east-1';
}

export function a4bClient(options: A4bClientOptions = {}): AlexaForBusinessClient {
  const client = new AlexaForBusinessClient({
    region: a4bRegion(options.region),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    retryStrategy: new A4bRetryStrategy(
      options.maxAttempts ?? Number(process.env[HandlerEnv.A4B_MAX_ATTEMPTS] ?? DEFAULT_MAX_ATTEMPTS), options.otherErrorAttempts),
  });
  if (options.callTimeoutMs !== undefined) limitCallTime(client, options.callTimeoutMs);
  return client;
}

/** The error of a call that got no answer in time; `name` RequestTimeout. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeout';
}

function limitCallTime(client: AlexaForBusinessClient, ms: number): void {
  // The operation's name as the SDK knows it (class names do not survive minifying), by the call's input object.
  const operations = new WeakMap<object, string>();
  client.middlewareStack.add((next, context) => (args) => {
    operations.set(args.input as object, String(context.commandName ?? 'A4B call').replace(/Command$/, ''));
    return next(args);
  }, { step: 'initialize', name: 'a4bOperationName' });
  const send = client.send.bind(client);
  client.send = ((command: { input: Record<string, unknown> }, options?: { abortSignal?: AbortSignal }) => {
    const abort = new AbortController();
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, ms);
    options?.abortSignal?.addEventListener('abort', () => abort.abort(), { once: true });
    return (send as (c: unknown, o: unknown) => Promise<unknown>)(command, { ...options, abortSignal: abort.signal })
      .catch((e: unknown) => {
        if (!timedOut) throw e;
        const input = command.input ?? {};
        const subject = ['Arn', 'RoomArn', 'ProfileArn', 'SkillGroupArn'].map((k) => input[k]).find((v) => typeof v === 'string');
        throw new RequestTimeoutError(`${operations.get(input) ?? 'the A4B call'}${subject ? ` of ${subject}` : ''} got no answer within ${ms / 1000} s`);
      })
      .finally(() => clearTimeout(timeout));
  }) as typeof client.send;
}

/** Every tag of an A4B resource, system tags included, as { Key, Value }. */
export async function listTags(a4b: AlexaForBusinessClient, arn: string): Promise<Array<{ Key: string; Value: string }>> {
  const tags = await allPages((NextToken) =>
    a4b.send(new ListTagsCommand({ Arn: arn, MaxResults: A4B_MAX_RESULTS, NextToken })).then((o) => ({ items: o.Tags, NextToken: o.NextToken })));
  return tags.map((t) => ({ Key: t.Key!, Value: t.Value ?? '' }));
}
