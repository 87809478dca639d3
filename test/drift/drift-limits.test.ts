// `a4b-rooms drift --local` (the compiled CLI) against emulators that throttle or hold an answer back: drift paces
// itself under a rate limit as the provider does, so every room is read; and one read that does not answer makes
// that room unknown after --request-timeout instead of holding the whole run.
import { spawn } from 'child_process';
import * as path from 'path';
import { localDeploy } from '../../lib/local/local-deploy';
import { LocalWorld, serveLocalWorld } from '../../lib/local/local-world';
import { scaled, tempDir } from '../helpers';

jest.setTimeout(scaled(120_000));

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'a4b-rooms.js');
const APP = `node ${path.join(ROOT, 'bin', 'app.js')}`;
const EXAMPLE = path.join(ROOT, 'examples', 'rooms.yaml');

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('drift --local against emulators that throttle or stall', () => {
  let stateDir: string;
  let world: LocalWorld | undefined;
  beforeAll(async () => {
    stateDir = tempDir('a4b-drift-limits-');
    const deployed = await localDeploy({ app: APP, context: { inventory: EXAMPLE }, stateDir });
    expect(deployed.ok).toBe(true);
  });
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  test.each([2, 5])('under --a4b-rate-limit %i every room is read: in sync, exit 0, and the emulator did throttle', async (rateLimit) => {
    // The bucket refills by a clock that moves 1000 / (2 x limit) ms per request: drift sends twice the limit to it
    // however fast the machine is, so it is throttled (with the wall clock a slow machine might never reach the limit).
    let requests = 0;
    world = await serveLocalWorld(stateDir, { a4bRateLimit: rateLimit, a4bClock: { now: () => (requests++ * 1000) / (2 * rateLimit) } });
    const res = await cli(['drift', EXAMPLE, '--local', '--state', stateDir, '--json']);
    const report = JSON.parse(res.stdout);
    expect({ code: res.code, status: report.status, findings: report.findings, errors: report.errors }).toEqual({ code: 0, status: 'in-sync', findings: [], errors: [] });
    expect(report.checked.rooms).toBe(12);
    expect(world.a4b!.stats().throttled).toBeGreaterThan(0);
  });

  test('a ListTags that does not answer: that room is unknown after --request-timeout, naming the request; the others are read', async () => {
    world = await serveLocalWorld(stateDir);
    const room = world.a4b!.rooms().find((r) => r.RoomName === 'Spree (1.01)') ?? world.a4b!.rooms()[0];
    // Answers after a minute, far past what the run allows itself: the run must not wait for it. Each other read has
    // that long too, so a slow machine does not make them unknown (2 s, or more under TEST_TIME_SCALE).
    const requestTimeout = scaled(2000) / 1000;
    world.a4b!.injectFault({ operation: 'ListTags', match: { Arn: room.RoomArn }, latencyMs: 60_000, count: 1 });
    const res = await cli(['drift', EXAMPLE, '--local', '--state', stateDir, '--json', '--request-timeout', String(requestTimeout)]);
    const report = JSON.parse(res.stdout);
    expect(res.code).toBe(1);
    expect(report.findings).toEqual([{
      resource: 'room', name: room.RoomName, kind: 'unknown',
      detail: `A4B ListTags of ${room.RoomArn} got no answer within ${requestTimeout} s: --request-timeout gives it longer`,
    }]);
    expect(report.errors).toEqual([]);
  });
});
