// Graph JSON batching with what the SDK does not do: at most 20 items a request, a bounded number of requests in
// flight, and a retry of the items that came back 429/503/504 (the envelope is 200, so the SDK's retry never sees
// them), honouring their Retry-After.
import { currentRequest, sleep as abortableSleep } from '../request';

export interface BatchItem {
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PATCH';
  /** Relative to the Graph version: `/users/x`, never `/v1.0/users/x`. */
  readonly url: string;
  readonly body?: unknown;
}

export interface BatchResult {
  readonly id: string;
  readonly status: number;
  readonly body?: any;
}

export interface BatchOptions {
  /** Batch requests in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Attempts per item for 429/503/504. @default 5 */
  readonly maxAttempts?: number;
  /** The longest wait between attempts, in seconds. @default 60 */
  readonly maxWaitSeconds?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told how many items of a batch came back 429 (each is retried). */
  readonly onThrottled?: (items: number) => void;
}

const RETRYABLE = new Set([429, 503, 504]);
export const MAX_BATCH_ITEMS = 20;

/** `post` sends one `$batch` body and returns its `responses`. */
export async function runBatches(items: BatchItem[], post: (body: { requests: unknown[] }) => Promise<{ responses: BatchResult[] & any[] }>,
  options: BatchOptions = {}): Promise<Map<string, BatchResult>> {
  const results = new Map<string, BatchResult>();
  const maxAttempts = options.maxAttempts ?? 5;
  // Ends early at the request's deadline, whose abort then fails the next call.
  const sleep = options.sleep ?? ((ms) => abortableSleep(ms));
  let pending = items;
  const statusOf = new Map<string, number>();
  for (let attempt = 1; pending.length; attempt++) {
    const chunks: BatchItem[][] = [];
    for (let i = 0; i < pending.length; i += MAX_BATCH_ITEMS) chunks.push(pending.slice(i, i + MAX_BATCH_ITEMS));
    const retry: BatchItem[] = [];
    let waitSeconds = 0;
    await mapConcurrent(chunks, options.concurrency ?? 4, async (chunk) => {
      const res = await post({ requests: chunk.map(toRequest) });
      for (const r of res.responses) {
        const item = chunk.find((c) => c.id === r.id);
        if (!item) continue;
        if (RETRYABLE.has(r.status) && attempt < maxAttempts) {
          retry.push(item);
          statusOf.set(item.id, r.status);
          const h = r.headers ?? {};
          const after = Number(h['Retry-After'] ?? h['retry-after']);
          waitSeconds = Math.max(waitSeconds, Number.isFinite(after) ? after : 2 ** attempt);
        } else {
          results.set(r.id, { id: r.id, status: r.status, body: r.body });
        }
      }
    });
    const throttled = retry.filter((i) => statusOf.get(i.id) === 429).length;
    if (throttled) options.onThrottled?.(throttled);
    if (retry.length) {
      const seconds = Math.min(waitSeconds, options.maxWaitSeconds ?? 60);
      const wait = () => sleep(seconds * 1000);
      const scope = currentRequest();
      await (scope ? scope.track(`Graph's Retry-After (${seconds} s, ${retry.length} item${retry.length === 1 ? '' : 's'} answered ${[...new Set(retry.map((i) => statusOf.get(i.id)))].join('/')})`, wait) : wait());
    }
    pending = retry;
  }
  return results;
}

function toRequest(item: BatchItem) {
  return item.body === undefined
    ? { id: item.id, method: item.method, url: item.url }
    : { id: item.id, method: item.method, url: item.url, body: item.body, headers: { 'Content-Type': 'application/json' } };
}

/** Runs `work` over `items` with at most `concurrency` at a time. */
export async function mapConcurrent<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
