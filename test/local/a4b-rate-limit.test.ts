// The A4B emulator's per-account rate limit, through the real SDK client over loopback: a burst above it is answered
// ThrottlingException, which the SDK retries with backoff; a caller that keeps under it is never throttled.
import * as http from 'http';
import { SearchRoomsCommand } from '@aws-sdk/client-alexa-for-business';
import { A4bEmulator } from '../../lib/local/a4b-emulator';
import { a4bClient as runtimeA4bClient } from '../../lib/runtime/a4b/client';
import { ManualClock } from '../../lib/runtime/clock';
import { openLocalWorld, serveLocalWorld } from '../../lib/local/local-world';
import { a4bClient, scaled, tempDir } from '../helpers';

/** One raw AWS JSON 1.1 request: status, headers and body as the wire carries them. */
function raw(endpoint: string, operation: string): Promise<{ status: number; type?: string; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(endpoint, { method: 'POST', headers: { 'x-amz-target': `AlexaForBusiness.${operation}`, 'content-type': 'application/x-amz-json-1.1' } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['x-amzn-errortype'] as string | undefined, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

describe('A4B emulator rate limit', () => {
  let emulator: A4bEmulator;
  afterEach(() => emulator.stop());

  test('over the limit the answer is 400 ThrottlingException "Rate exceeded" in AWS JSON 1.1, and it is counted', async () => {
    emulator = await A4bEmulator.start({ rateLimit: 3 });
    const answers = await Promise.all(Array.from({ length: 6 }, () => raw(emulator.endpoint, 'SearchRooms')));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 400)).toEqual(Array(3).fill({ status: 400, type: 'ThrottlingException', body: { __type: 'ThrottlingException', message: 'Rate exceeded' } }));
    expect(emulator.stats()).toEqual({ requests: 6, throttled: 3, rateLimit: 3 });
  });

  test('the SDK sees ThrottlingException and retries it with backoff: a burst above the limit gets through', async () => {
    emulator = await A4bEmulator.start({ rateLimit: 5 });
    const client = a4bClient(emulator, 8);
    const results = await Promise.allSettled(Array.from({ length: 15 }, () => client.send(new SearchRoomsCommand({}))));
    client.destroy();
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(15);
    expect(emulator.stats().throttled).toBeGreaterThan(0);
    const throttled = emulator.requests.filter((r) => r.errorType === 'ThrottlingException');
    expect(throttled.length).toBe(emulator.stats().throttled);
    // Every throttled request was sent again (amz-sdk-request: attempt=N), and retries succeeded.
    expect(emulator.requests.filter((r) => r.attempt > 1 && r.status === 200).length).toBeGreaterThan(0);
    expect(emulator.requests.filter((r) => r.attempt > 1)).toHaveLength(throttled.length);
  }, scaled(30_000));

  test('with one attempt the SDK surfaces ThrottlingException as the error', async () => {
    emulator = await A4bEmulator.start({ rateLimit: 1 });
    const client = a4bClient(emulator, 1);
    const results = await Promise.allSettled([client.send(new SearchRoomsCommand({})), client.send(new SearchRoomsCommand({}))]);
    client.destroy();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(failed.reason).toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded', $metadata: { httpStatusCode: 400, attempts: 1 } });
  });

  test('a caller paced at the limit is never throttled; one request more in the same time is', async () => {
    // The bucket's clock is the test's: 200 ms between requests is 5 a second whatever the machine's speed.
    const clock = new ManualClock();
    emulator = await A4bEmulator.start({ rateLimit: 5, clock });
    const client = a4bClient(emulator, 1);
    for (let i = 0; i < 5; i++) await client.send(new SearchRoomsCommand({})); // the burst
    for (let i = 0; i < 10; i++) {
      clock.advance(200);
      await client.send(new SearchRoomsCommand({}));
    }
    expect(emulator.stats()).toEqual({ requests: 15, throttled: 0, rateLimit: 5 });
    clock.advance(199);
    await expect(client.send(new SearchRoomsCommand({}))).rejects.toMatchObject({ name: 'ThrottlingException' });
    client.destroy();
    expect(emulator.stats()).toEqual({ requests: 16, throttled: 1, rateLimit: 5 });
  });

  test.each<[string, { errorType: string; status: number }, number]>([
    ['a 500 stops at otherErrorAttempts', { errorType: 'InternalFailure', status: 500 }, 2],
    ['throttling has every attempt', { errorType: 'ThrottlingException', status: 400 }, 4],
  ])('a reader client with maxAttempts 4 and otherErrorAttempts 2: %s', async (_, fault, attempts) => {
    emulator = await A4bEmulator.start();
    emulator.injectFault({ operation: 'SearchRooms', ...fault });
    const client = runtimeA4bClient({ endpoint: emulator.endpoint, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' }, maxAttempts: 4, otherErrorAttempts: 2 });
    const error = await client.send(new SearchRoomsCommand({})).catch((e) => e);
    client.destroy();
    expect({ name: error.name, attempts: error.$metadata?.attempts, sent: emulator.requests.length })
      .toEqual({ name: fault.errorType, attempts, sent: attempts });
  }, scaled(30_000));

  test('without a rate limit nothing is throttled; a limit that is not a positive number is refused', async () => {
    emulator = await A4bEmulator.start();
    await Promise.all(Array.from({ length: 50 }, () => raw(emulator.endpoint, 'SearchRooms')));
    expect(emulator.stats()).toEqual({ requests: 50, throttled: 0 });
    await expect(A4bEmulator.start({ rateLimit: 0 })).rejects.toThrow('A4B rate limit 0 must be a number of requests per second greater than 0');
  });
});

describe('the rate limit of a local world', () => {
  test('local serve takes it and publishes it in /_emulator/stats; a deploy asking for another one is refused, naming both', async () => {
    const stateDir = tempDir('a4b-state-');
    const world = await serveLocalWorld(stateDir, { a4bRateLimit: 7 });
    try {
      expect(await (await fetch(`${world.endpoints.a4b}/_emulator/stats`)).json()).toEqual({ requests: 0, throttled: 0, rateLimit: 7 });
      const same = await openLocalWorld(stateDir, { a4bRateLimit: 7 });
      await same.close();
      await expect(openLocalWorld(stateDir, { a4bRateLimit: 50 })).rejects.toThrow(
        `the local serve of ${stateDir} runs with an A4B rate limit of 7 requests per second, not 50: give --a4b-rate-limit 50 to local serve, or leave it out of local deploy`);
    } finally {
      await world.close();
    }
  });
});
