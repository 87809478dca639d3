// Graph JSON batching's decisions, as tables, with `post` and `sleep` as plain functions (no clock, no network):
// at most 20 items a request, the request shape, which answers are retried and how long it waits, and the bound on
// requests in flight. The Graph transport itself is driven against the emulator in test/handlers/calendar-link.test.ts.
import { BatchItem, BatchOptions, BatchResult, mapConcurrent, MAX_BATCH_ITEMS, runBatches } from '../../lib/runtime/graph/batch';
import { RequestScope, runInRequest } from '../../lib/runtime/request';

const get = (id: string): BatchItem => ({ id, method: 'GET', url: `/users/${id}` });
const items = (n: number) => Array.from({ length: n }, (_, i) => get(String(i + 1)));

/** Answers with `answer(id, attempt)` (attempt counted per item from 1) and records each request's ids. */
function fakeGraph(answer: (id: string, attempt: number) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 })) {
  const posts: unknown[][] = [];
  const attempts = new Map<string, number>();
  const post = async (body: { requests: unknown[] }) => {
    posts.push(body.requests);
    return {
      responses: (body.requests as { id: string }[]).map(({ id }) => {
        const attempt = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, attempt);
        return { id, body: { id }, ...answer(id, attempt) } as BatchResult & { headers?: Record<string, string> };
      }),
    };
  };
  return { post, posts, ids: () => posts.map((r) => (r as { id: string }[]).map((x) => x.id)) };
}

describe('runBatches: chunks of at most 20', () => {
  test('the limit is Graph\'s: 20 requests a batch', () => {
    expect(MAX_BATCH_ITEMS).toBe(20);
  });

  test.each<[number, number[]]>([[0, []], [1, [1]], [20, [20]], [21, [20, 1]], [40, [20, 20]], [41, [20, 20, 1]]])('%d items: requests of %j', async (n, sizes) => {
    const graph = fakeGraph();
    const results = await runBatches(items(n), graph.post);
    expect(graph.ids().map((ids) => ids.length)).toEqual(sizes);
    expect(graph.ids().flat()).toEqual(items(n).map((i) => i.id));
    expect([...results.keys()].sort()).toEqual(items(n).map((i) => i.id).sort());
  });
});

describe('runBatches: the request of an item', () => {
  test.each<[string, BatchItem, object]>([
    ['a GET: no body, no headers', get('a'), { id: 'a', method: 'GET', url: '/users/a' }],
    ['a POST with a body: JSON', { id: 'b', method: 'POST', url: '/users/b/calendar/calendarPermissions', body: { role: 'write' } },
      { id: 'b', method: 'POST', url: '/users/b/calendar/calendarPermissions', body: { role: 'write' }, headers: { 'Content-Type': 'application/json' } }],
    ['a PATCH with a null body keeps it', { id: 'c', method: 'PATCH', url: '/x', body: null }, { id: 'c', method: 'PATCH', url: '/x', body: null, headers: { 'Content-Type': 'application/json' } }],
  ])('%s', async (_, item, request) => {
    const graph = fakeGraph();
    await runBatches([item], graph.post);
    expect(graph.posts).toEqual([[request]]);
  });
});

describe('runBatches: retries of 429/503/504', () => {
  type Answer = { status: number; headers?: Record<string, string> };
  test.each<[string, Answer[], BatchOptions, number, number[]]>([
    ['200: no retry', [{ status: 200 }], {}, 200, []],
    ['404: an answer, not retried', [{ status: 404 }, { status: 200 }], {}, 404, []],
    ['500: not retried', [{ status: 500 }, { status: 200 }], {}, 500, []],
    ['429 with Retry-After', [{ status: 429, headers: { 'Retry-After': '3' } }, { status: 200 }], {}, 200, [3000]],
    ['retry-after in lower case', [{ status: 429, headers: { 'retry-after': '7' } }, { status: 200 }], {}, 200, [7000]],
    ['Retry-After 0', [{ status: 429, headers: { 'Retry-After': '0' } }, { status: 200 }], {}, 200, [0]],
    ['503 without Retry-After: 2 s, then 4 s', [{ status: 503 }, { status: 503 }, { status: 200 }], {}, 200, [2000, 4000]],
    ['504 with a Retry-After that is not a number: 2 s', [{ status: 504, headers: { 'Retry-After': 'Wed, 21 Oct 2026 07:28:00 GMT' } }, { status: 200 }], {}, 200, [2000]],
    ['a Retry-After over a minute is capped at 60 s', [{ status: 429, headers: { 'Retry-After': '120' } }, { status: 200 }], {}, 200, [60_000]],
    ['maxWaitSeconds caps it', [{ status: 429, headers: { 'Retry-After': '120' } }, { status: 200 }], { maxWaitSeconds: 10 }, 200, [10_000]],
    ['the last attempt\'s 429 is the answer', [{ status: 429 }, { status: 429 }, { status: 429 }, { status: 200 }], { maxAttempts: 3 }, 429, [2000, 4000]],
    ['5 attempts by default', Array.from({ length: 6 }, () => ({ status: 503 })), {}, 503, [2000, 4000, 8000, 16000]],
    ['maxAttempts 1: never retried', [{ status: 429 }, { status: 200 }], { maxAttempts: 1 }, 429, []],
  ])('%s', async (_, answers, options, status, waits) => {
    const graph = fakeGraph((_id, attempt) => answers[attempt - 1]);
    const slept: number[] = [];
    const results = await runBatches([get('a')], graph.post, { ...options, sleep: async (ms) => { slept.push(ms); } });
    expect(results.get('a')).toEqual({ id: 'a', status, body: { id: 'a' } });
    expect(slept).toEqual(waits);
    expect(graph.posts).toHaveLength(waits.length + 1);
  });

  test('only the retried items are sent again, after the longest wait any of them asked for', async () => {
    const first: Record<string, { status: number; headers?: Record<string, string> }> = {
      a: { status: 429, headers: { 'Retry-After': '1' } }, b: { status: 200 }, c: { status: 503, headers: { 'Retry-After': '5' } }, d: { status: 404 },
    };
    const graph = fakeGraph((id, attempt) => (attempt === 1 ? first[id] : { status: 200 }));
    const slept: number[] = [];
    const results = await runBatches(['a', 'b', 'c', 'd'].map(get), graph.post, { sleep: async (ms) => { slept.push(ms); } });
    expect(graph.ids()).toEqual([['a', 'b', 'c', 'd'], ['a', 'c']]);
    expect(slept).toEqual([5000]);
    expect(Object.fromEntries([...results].map(([id, r]) => [id, r.status]))).toEqual({ a: 200, b: 200, c: 200, d: 404 });
  });

  // What a deadline's answer names as still in flight when the request's time runs out during the wait.
  test.each<[string, Record<string, number>, string]>([
    ['one item', { a: 429 }, "Graph's Retry-After (2 s, 1 item answered 429)"],
    ['three items, two statuses', { a: 429, b: 503, c: 429 }, "Graph's Retry-After (2 s, 3 items answered 429/503)"],
  ])('inside a request, the wait is in flight as what it waits for: %s', async (_, first, operation) => {
    const graph = fakeGraph((id, attempt) => ({ status: attempt === 1 ? first[id] : 200 }));
    const scope = new RequestScope();
    const during: string[][] = [];
    const sleep = async () => { during.push([...scope.inFlight]); };
    await runInRequest(scope, () => runBatches(Object.keys(first).map(get), graph.post, { sleep }));
    expect(during).toEqual([[operation]]);
    expect(scope.inFlight).toEqual([]);
  });

  // Without a sleep of its own it waits on the timers (faked here: the test never waits), ending early at the
  // request's deadline.
  test('without a sleep option, the retry goes out when Retry-After has passed, not before', async () => {
    jest.useFakeTimers();
    try {
      const graph = fakeGraph((_id, attempt) => (attempt === 1 ? { status: 429, headers: { 'Retry-After': '3' } } : { status: 200 }));
      const done = runBatches([get('a')], graph.post);
      await jest.advanceTimersByTimeAsync(2999);
      expect(graph.posts).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(graph.posts).toHaveLength(2);
      expect((await done).get('a')?.status).toBe(200);
    } finally {
      jest.useRealTimers();
    }
  });

  test('without a sleep option, the request\'s deadline ends the wait at once', async () => {
    jest.useFakeTimers();
    try {
      const graph = fakeGraph((_id, attempt) => (attempt === 1 ? { status: 503, headers: { 'Retry-After': '60' } } : { status: 200 }));
      const scope = new RequestScope();
      const done = runInRequest(scope, () => runBatches([get('a')], graph.post));
      await jest.advanceTimersByTimeAsync(1000);
      expect(graph.posts).toHaveLength(1);
      scope.abort();
      expect((await done).get('a')?.status).toBe(200);
      expect(graph.posts).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });

  test('an answer for an id that was not asked for is left out', async () => {
    const results = await runBatches([get('a')], async () => ({ responses: [{ id: 'a', status: 200 }, { id: 'zzz', status: 200 }] }));
    expect([...results.keys()]).toEqual(['a']);
  });
});

describe('mapConcurrent', () => {
  test.each<[number, number, number]>([[0, 4, 0], [3, 4, 3], [10, 4, 4], [10, 1, 1], [5, 5, 5]])('%d items, concurrency %d: %d at most in flight', async (n, concurrency, most) => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    await mapConcurrent(Array.from({ length: n }, (_, i) => i), concurrency, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      done.push(i);
    });
    expect(peak).toBe(most);
    expect([...done].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  });
});

describe('the link check\'s batch settings', () => {

  const { numericSetting } = require('../../lib/runtime/graph/link-validation');
  test.each([
    [undefined, 1, 4],
    ['', 1, 4],
    ['8', 1, 8],
    ['1', 1, 1],
    ['0', 0, 0],
  ])('%p with a minimum of %p gives %p', (raw, minimum, expected) => {
    expect(numericSetting(raw === undefined ? {} : { S: raw }, 'S', 4, minimum)).toBe(expected);
  });
  test.each([['0', 1], ['0.5', 1], ['-1', 0], ['four', 0], ['Infinity', 1]])('%p below %p or not a number is refused by name, not read as "start no batch"', (raw, minimum) => {
    expect(() => numericSetting({ GRAPH_CONCURRENCY: raw }, 'GRAPH_CONCURRENCY', 4, minimum)).toThrow(`the setting GRAPH_CONCURRENCY=${raw} must be a number of at least ${minimum} (default 4)`);
  });
});

describe('runBatches: throttled items are told', () => {
  test.each<[string, (id: string, attempt: number) => { status: number }, number[]]>([
    ['none throttled', () => ({ status: 200 }), []],
    ['two items 429 once, then 200', (id, attempt) => ({ status: ['1', '2'].includes(id) && attempt === 1 ? 429 : 200 }), [2]],
    ['one item 429 twice', (id, attempt) => ({ status: id === '3' && attempt < 3 ? 429 : 200 }), [1, 1]],
    ['503 is retried but is not throttling', (id, attempt) => ({ status: id === '1' && attempt === 1 ? 503 : 200 }), []],
  ])('%s', async (_, answer, told) => {
    const graph = fakeGraph(answer);
    const counts: number[] = [];
    await runBatches(items(5), graph.post, { sleep: async () => undefined, onThrottled: (n) => counts.push(n) });
    expect(counts).toEqual(told);
  });
});
