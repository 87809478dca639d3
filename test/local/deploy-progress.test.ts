// `local deploy` shows its progress as it goes: a first line before the app is synthesized, each resource event as it
// happens, and on a terminal a status line under them (ProgressLine, with an injected clock).
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { elapsed, ProgressLine } from '../../lib/cli/progress';
import { scaled, tempDir, waitFor } from '../helpers';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'a4b-rooms.js');
const EXAMPLE = path.join(ROOT, 'examples', 'rooms.yaml');
jest.setTimeout(scaled(120_000));

describe('ProgressLine', () => {
  const fake = (isTTY: boolean) => {
    const written: string[] = [];
    const printed: string[] = [];
    let now = 1_000;
    const line = new ProgressLine({ isTTY, write: (t) => written.push(t) }, (l) => printed.push(l), () => now);
    return { line, written, printed, tick: (ms: number) => (now += ms) };
  };

  test('on a terminal: events above, the status line redrawn under them with the time, erased at the end', () => {
    const { line, written, printed, tick } = fake(true);
    line.event('synthesizing');
    tick(2_500);
    line.status('1 resource done');
    line.event('  create  Custom::A4BRoom  Spree');
    tick(61_000);
    line.status('2 resources done');
    line.clear();
    expect(printed).toEqual(['synthesizing', '  create  Custom::A4BRoom  Spree']);
    expect(written).toEqual([
      '\r\x1b[K1 resource done · 2 s', '\r\x1b[K', '\r\x1b[K1 resource done · 2 s', '\r\x1b[K2 resources done · 1 min 03 s', '\r\x1b[K',
    ]);
  });

  test('elsewhere (CI): the events only, no status line, no control characters', () => {
    const { line, written, printed } = fake(false);
    line.event('synthesizing');
    line.status('1 resource done');
    line.event('  create');
    line.clear();
    expect(printed).toEqual(['synthesizing', '  create']);
    expect(written).toEqual([]);
  });

  test.each([[0, '0 s'], [59_999, '59 s'], [60_000, '1 min 00 s'], [605_000, '10 min 05 s'], [-5, '0 s']])('elapsed(%d) is %s', (ms, text) => {
    expect(elapsed(ms)).toBe(text);
  });
});

describe('a4b-rooms local deploy, as it runs', () => {
  test('the first line says what it synthesizes; resource events are printed while later resources are still being made', async () => {
    const stateDir = tempDir('a4b-progress-');
    const endpoints = path.join(stateDir, 'endpoints.json');
    const serve = spawn(process.execPath, [CLI, 'local', 'serve', '--state', stateDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    const served = new Promise((r) => serve.on('close', r));
    try {
      await waitFor(`${endpoints} from local serve`, () => fs.existsSync(endpoints));
      const a4b = JSON.parse(fs.readFileSync(endpoints, 'utf8')).a4b as string;
      const admin = (p: string, method: string, body?: unknown) => fetch(`${a4b}${p}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })
        .then((r) => r.json() as Promise<any>);
      // One room of the last shards answers slowly: everything printed before its answer was printed while the deploy ran.
      await admin('/_emulator/faults', 'POST', { operation: 'CreateRoom', match: { RoomName: 'Lech (2.01)' }, latencyMs: 3000, count: 1 });
      const deploy = spawn(process.execPath, [CLI, 'local', 'deploy', EXAMPLE, '--state', stateDir, '-c', 'driftMonitor=false'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      deploy.stderr.on('data', (d) => (err += d));
      const exited = new Promise<number | null>((r) => deploy.on('exit', r));
      // Resolves at the first profile event, with what was known then.
      const seen = await new Promise<{ out: string; lechAnswered: boolean; running: boolean }>((resolve) => {
        deploy.stdout.on('data', (d) => {
          out += d;
          if (/create\s+Custom::A4BRoomProfile/.test(out)) {
            const snapshot = out;
            const running = deploy.exitCode === null;
            void admin('/_emulator/requests', 'GET').then(({ requests }) => resolve({
              out: snapshot, running, lechAnswered: requests.some((r: any) => r.operation === 'CreateRoom' && r.input?.RoomName === 'Lech (2.01)'),
            }));
          }
        });
      });
      expect(await exited).toBe(0);
      expect(err).toBe('');
      expect(seen.out.split('\n')[0]).toBe(`synthesizing: node ${JSON.stringify(path.join(ROOT, 'bin', 'app.js'))}`);
      expect(seen.out).toMatch(/^deploying stack A4BRooms to the local emulators \(A4B at http:\/\/127\.0\.0\.1:\d+\)$/m);
      expect(seen.running).toBe(true);
      expect(seen.lechAnswered).toBe(false);
      // The slow room is printed later, and the summary last.
      expect(out.indexOf('Lech (2.01)')).toBeGreaterThan(seen.out.length);
      expect(out).toMatch(/\nStack A4BRooms: created 51, updated 0, deleted 0, retained 0, unchanged 0, failed 0\n/);
      // What `cdk deploy` would show: the app's notices (the DeleteComments script) before, the outputs (the console step) after.
      expect(seen.out).toMatch(/^\[Info at \/A4BRooms\/Inventory\/CalendarLink\] Graph cannot read whether room mailboxes keep meeting descriptions.* Set-CalendarProcessing/m);
      expect(out).toMatch(/\nOutputs:\nA4BRooms\.InventoryCalendarLinkConsoleStep\w+ = In the A4B console choose Calendar > Office 365 > Service account using delegate access > Link account, sign in as alexaforbusiness@contoso\.onmicrosoft\.com/);
    } finally {
      serve.kill('SIGTERM');
      await served;
    }
  });
});
