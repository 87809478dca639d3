// The progress of drift, check, test-booking and import as a user sees it: the built CLI in a child process against
// the local emulators of the example fleet (12 rooms). Off a terminal, plain lines on stderr (every update with the
// A4B_PROGRESS_INTERVAL_MS=0 test hook); on a terminal (a pseudo-terminal from util-linux's script), one line redrawn
// by log-update and erased at the end. stdout, the report, is the same with and without progress.
import { execFile, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { scaled, tempDir } from '../helpers';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'a4b-rooms.js');
const EXAMPLE = path.join(ROOT, 'examples', 'rooms.yaml');
const ROOMS = 12;
jest.setTimeout(scaled(180_000));

let state: string;

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error as { code?: number }).code ?? 1 : 0, stdout, stderr });
    });
  });
}

/** The progress lines of `command` on stderr, as [done, total, errors]; every line has to be one in the documented form. */
function progressLines(stderr: string, command: string, noun: string, verb: string): Array<[number, number, number]> {
  const form = new RegExp(`^${command}: (\\d+)/(\\d+) ${noun}s? ${verb}, (\\d+) errors?, \\d+ (s|min \\d\\d s)(, .+)?$`);
  return stderr.split('\n').filter((l) => l.startsWith(`${command}:`)).map((l) => {
    const m = form.exec(l);
    if (!m) throw new Error(`not a progress line: ${l}`);
    return [Number(m[1]), Number(m[2]), Number(m[3])];
  });
}

/** Counts that only grow, and end at all of the total with no error. */
function expectRun(lines: Array<[number, number, number]>, total: number): void {
  expect(lines.length).toBeGreaterThan(1);
  lines.forEach(([done], i) => expect(done).toBeGreaterThanOrEqual(i ? lines[i - 1][0] : 0));
  expect(lines[lines.length - 1]).toEqual([total, total, 0]);
}

const EVERY = { A4B_PROGRESS_INTERVAL_MS: '0' };

beforeAll(async () => {
  state = path.join(tempDir('a4b-progress-cli-'), 'state');
  const deploy = await cli(['local', 'deploy', EXAMPLE, '--state', state]);
  if (deploy.code !== 0) throw new Error(deploy.stdout + deploy.stderr);
});

describe('off a terminal', () => {
  test('drift: a line per update on stderr (rooms read of 12), the report on stdout as with --quiet (one run after the other: they share the state directory)', async () => {
    const shown = await cli(['drift', EXAMPLE, '--local', '--state', state], EVERY);
    const quiet = await cli(['drift', EXAMPLE, '--local', '--state', state, '--quiet'], EVERY);
    expect([shown.code, quiet.code]).toEqual([0, 0]);
    expectRun(progressLines(shown.stderr, 'drift', 'room', 'read'), ROOMS);
    expect(shown.stdout).toBe(quiet.stdout);
    expect(shown.stdout).toMatch(/^A4B drift: in sync \(12 rooms/);
    expect(quiet.stderr).toBe('');
  });

  test('drift with an interval longer than the run: no line at all (a quick run stays as quiet as it was)', async () => {
    const run = await cli(['drift', EXAMPLE, '--local', '--state', state], { A4B_PROGRESS_INTERVAL_MS: '3600000' });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });

  test('drift --json: no progress at all, stderr stays for errors, stdout parses', async () => {
    const run = await cli(['drift', EXAMPLE, '--local', '--state', state, '--json'], EVERY);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).status).toBe('in-sync');
  });

  test('check: rooms checked of 12, the note while Graph reads, the report unchanged', async () => {
    const shown = await cli(['check', EXAMPLE, '--local', '--state', state], EVERY);
    const quiet = await cli(['check', EXAMPLE, '--local', '--state', state, '--quiet'], EVERY);
    expect([shown.code, quiet.code]).toEqual([0, 0]);
    expectRun(progressLines(shown.stderr, 'check', 'room', 'checked'), ROOMS);
    expect(shown.stderr).toMatch(/^check: 0\/12 rooms checked, 0 errors, \d+ s, checking the link and reading 12 mailboxes from Graph$/m);
    expect(shown.stdout).toBe(quiet.stdout);
    expect(quiet.stderr).toBe('');
  });

  test('import: rooms read of those A4B lists; the inventory on stdout is the one --quiet writes', async () => {
    const shown = await cli(['import', '--local', '--state', state], EVERY);
    const quiet = await cli(['import', '--local', '--state', state, '--quiet'], EVERY);
    expect([shown.code, quiet.code]).toEqual([0, 0]);
    expectRun(progressLines(shown.stderr, 'import', 'room', 'read'), ROOMS);
    expect(shown.stdout).toBe(quiet.stdout);
    expect(quiet.stderr).toBe('');
  });

  test('test-booking: rooms settled of those tested, under its own event lines; the table unchanged', async () => {
    const rooms = ['Spree (2.01)', 'Havel (2.02)', 'Dahme (2.03)'];
    const args = ['test-booking', EXAMPLE, '--local', '--state', state, '--rooms', rooms.join(',')];
    const shown = await cli(args, EVERY);
    const quiet = await cli([...args, '--quiet'], EVERY);
    expect([shown.code, quiet.code]).toEqual([0, 0]);
    expectRun(progressLines(shown.stderr, 'test-booking', 'room', 'settled'), rooms.length);
    expect(shown.stderr.split('\n')[0]).toMatch(/^booked 3 rooms from /);
    expect(shown.stdout).toBe(quiet.stdout);
    expect(quiet.stderr).toMatch(/^booked 3 rooms from [^\n]*\n$/);
  });
});

const hasScript = spawnSync('script', ['--version']).status === 0;
(hasScript ? describe : describe.skip)('on a terminal (a pseudo-terminal from script)', () => {
  test('drift: one line redrawn in place by log-update, erased at the end; stdout, redirected, is the plain report', async () => {
    const dir = tempDir('a4b-progress-tty-');
    const out = path.join(dir, 'out.txt');
    const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
    // The pseudo-terminal is sized as a terminal window is (script's own has no rows, where nothing can be drawn).
    const inner = `stty rows 24 cols 200; ${quote(process.execPath)} ${quote(CLI)} drift ${quote(EXAMPLE)} --local --state ${quote(state)} > ${quote(out)}`;
    const pty = await new Promise<{ code: number | null; text: string }>((resolve) => {
      execFile('script', ['-qfec', inner, '/dev/null'], { cwd: ROOT, env: { ...process.env, A4B_PROGRESS_INTERVAL_MS: '' } }, (error, stdout) => {
        resolve({ code: error ? (error as { code?: number }).code ?? 1 : 0, text: stdout });
      });
    });
    expect(pty.code).toBe(0);
    const quiet = await cli(['drift', EXAMPLE, '--local', '--state', state, '--quiet']);
    expect(fs.readFileSync(out, 'utf8')).toBe(quiet.stdout);
    const text = pty.text;
    // Every count drawn, each after erasing the one before (log-update's eraseLines: erase line, cursor up).
    for (let done = 1; done <= ROOMS; done++) expect(text).toContain(`\x1b[2K\x1b[1A\x1b[2K\x1b[Gdrift: ${done}/12 rooms read, 0 errors`);
    // At the end the line is erased and the cursor shown again: nothing of the progress stays on the screen.
    const last = text.lastIndexOf('drift: 12/12 rooms read');
    const after = text.slice(last).split('\n').slice(1).join('\n');
    expect(after).toContain('\x1b[2K\x1b[1A\x1b[2K\x1b[G');
    expect(after).not.toMatch(/drift:/);
    expect(text.endsWith('\x1b[?25h')).toBe(true);
  });
});
