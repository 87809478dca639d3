// `a4b-rooms local deploy` stopped from outside, as a user stops it: the compiled CLI in a child process, sent SIGINT
// or SIGTERM mid-deploy (it says what stopped, releases its locks, exits 130/143), or killed with SIGKILL while its
// app is still synthesizing (the app dies with it, and the next run is not disturbed by what the app left).
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { isAlive } from '../../lib/local/state-lock';
import { scaled, tempDir, waitFor } from '../helpers';

jest.setTimeout(scaled(120_000));

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'a4b-rooms.js');
const EXAMPLE = path.join(ROOT, 'examples', 'rooms.yaml');

interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Runs the CLI; `when` is polled every 10 ms and, once true, the child gets `signal`. */
function run(args: string[], options: { when?: () => boolean; signal?: NodeJS.Signals; started?: (child: ChildProcess) => void } = {}): Promise<Run> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  options.started?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  let sent = false;
  const poll = options.when && setInterval(() => {
    if (!sent && options.when!()) {
      sent = true;
      child.kill(options.signal);
    }
  }, 10);
  const bound = setTimeout(() => child.kill('SIGKILL'), scaled(90_000)); // bounds the wait only
  return new Promise((resolve) => child.on('close', (code, signal) => {
    if (poll) clearInterval(poll);
    clearTimeout(bound);
    resolve({ code, signal, stdout, stderr });
  }));
}

/** How many requests the provider handlers have received (each logs its request to STATE/provider.log as it starts). */
function handlerRequests(stateDir: string): number {
  const file = path.join(stateDir, 'provider.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('"request"')).length : 0;
}


/** Resolves once `condition` holds, checked every 10 ms; rejects after `ms` (a bound, not a pace). */
async function until(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  await waitFor(what, condition, ms);
}

const locks = (stateDir: string) => fs.readdirSync(stateDir).filter((f) => f.endsWith('.lock'));

describe('local deploy interrupted', () => {
  test.each<[NodeJS.Signals, number, string]>([
    ['SIGINT', 130, 'interrupted'],
    ['SIGTERM', 143, 'terminated'],
  ])('%s mid-deploy: a message naming the journal, exit %i, no lock left, and the next run finishes', async (signal, code, word) => {
    const stateDir = tempDir('a4b-interrupt-');
    const stopped = await run(['local', 'deploy', EXAMPLE, '--state', stateDir], { signal, when: () => handlerRequests(stateDir) >= 2 });
    expect({ code: stopped.code, stderr: stopped.stderr }).toEqual({
      code,
      stderr: `a4b-rooms: ${word}: the local deploy to ${stateDir} stopped part way; the next local deploy continues from its journal in ${path.join(stateDir, 'stacks')}\n`,
    });
    expect(locks(stateDir)).toEqual([]);
    const again = await run(['local', 'deploy', EXAMPLE, '--state', stateDir]);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
    const drift = await run(['drift', EXAMPLE, '--local', '--state', stateDir]);
    expect({ code: drift.code, first: drift.stdout.split('\n')[0] }).toEqual({ code: 0, first: expect.stringContaining('A4B drift: in sync (') });
  });

  test('killed with SIGKILL while the app synthesizes: the app dies too, and the next run succeeds without a leftover assembly folder', async () => {
    const dir = tempDir('a4b-synth-kill-');
    const stateDir = path.join(dir, 'state');
    const marker = path.join(dir, 'app.pid');
    // An app that starts writing its assembly, says so with its PID, and never finishes.
    const app = path.join(dir, 'blocking-app.js');
    fs.writeFileSync(app, `const fs = require('fs');
fs.writeFileSync(require('path').join(process.env.CDK_OUTDIR, 'partial.json'), '{}');
fs.writeFileSync(${JSON.stringify(marker)}, String(process.pid));
setInterval(() => fs.writeFileSync(require('path').join(process.env.CDK_OUTDIR, 'partial.json'), '{}'), 5);
`);
    const killed = await run(['local', 'deploy', '--app', `node ${JSON.stringify(app)}`, '--state', stateDir], { signal: 'SIGKILL', when: () => fs.existsSync(marker) });
    expect(killed.signal).toBe('SIGKILL');
    const appPid = Number(fs.readFileSync(marker, 'utf8'));
    await until(() => !isAlive(appPid), `the app (PID ${appPid}) to exit`);
    // What the killed run left: its own synthesis folder.
    expect(fs.readdirSync(stateDir).filter((f) => f.startsWith('cdk.out'))).toEqual([expect.stringMatching(/^cdk\.out\.\d+-[0-9a-f]+$/)]);

    const again = await run(['local', 'deploy', EXAMPLE, '--state', stateDir]);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
    expect(fs.readdirSync(stateDir).filter((f) => f.startsWith('cdk.out'))).toEqual(['cdk.out']);
    expect(locks(stateDir)).toEqual([]);
  });
});
