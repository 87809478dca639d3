// A local deploy of the example inventory against an A4B that throttles: the deploy reports what Lambda and A4B did
// (invocations, queue waits against ServiceTimeout, throttled requests), and the SDK's retries carry it through.
import * as path from 'path';
import { deployStatsLine, localDeploy } from '../../lib/local/local-deploy';
import { serveLocalWorld } from '../../lib/local/local-world';
import { scaled, tempDir } from '../helpers';

const APP = `node ${path.join(__dirname, '..', '..', 'bin', 'app.js')}`;
const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'rooms.yaml');

test('the example inventory under --a4b-rate-limit 10: throttled requests are retried, the deploy succeeds, and its stats say so', async () => {
  const stateDir = tempDir('a4b-state-');
  // The rate limit refills by a clock that moves 80 ms per request the emulator sees: to the bucket the deploy sends
  // 12.5 requests a second however fast or slow this machine is, so the same requests (by number) are throttled.
  let requests = 0;
  const world = await serveLocalWorld(stateDir, { a4bRateLimit: 10, a4bClock: { now: () => 80 * requests++ } });
  try {
    const result = await localDeploy({ app: APP, context: { inventory: EXAMPLE }, stateDir, a4bRateLimit: 10 });
    expect(result.stacks.map((s) => s.error)).toEqual([undefined]);
    expect(result.ok).toBe(true);
    expect(result.a4b.rateLimit).toBe(10);
    // The emulator's own counters: the burst of 10 is spent after 50 requests, then one in five is throttled.
    expect(world.a4b!.stats().throttled).toBe(result.a4b.throttled);
    expect(result.a4b.throttled).toBeGreaterThanOrEqual(Math.floor((result.a4b.requests - 50) / 5));
    expect(result.a4b.requests).toBeGreaterThan(result.a4b.throttled);
    // Both functions of the stack were invoked, none past its ServiceTimeout.
    const names = result.lambda.map((f) => f.functionArn.replace(/^.*:function:local-/, ''));
    expect(names).toHaveLength(2);
    for (const f of result.lambda) expect(f).toMatchObject({ outlivedServiceTimeout: 0, maxInFlight: expect.any(Number) });
    expect(result.lambda.reduce((n, f) => n + f.invocations, 0)).toBeGreaterThan(12);
    const line = deployStatsLine(result);
    expect(line).toContain(`A4B: ${result.a4b.requests} requests, ${result.a4b.throttled} throttled (rate limit 10/s)`);
    expect(line.match(/none outlived its ServiceTimeout/g)).toHaveLength(2);
  } finally {
    await world.close();
  }
}, scaled(120_000));
