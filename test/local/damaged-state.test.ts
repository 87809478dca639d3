// State that is damaged is named, never silently reset: a state directory that lost a file it must hold (an
// emulator's snapshot, a stack's state) is refused by every command that opens it, naming the file and the two ways
// back (restore it, or --reset-state, which moves the directory aside), unless the file can be rebuilt exactly.
// Run as a user meets it: the compiled CLI in a child process on the example inventory.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { A4bEmulator } from '../../lib/local/a4b-emulator';
import { GraphEmulator } from '../../lib/local/graph-emulator';
import { EMULATOR_STORES } from '../../lib/local/state-manifest';
import { scaled, tempDir } from '../helpers';

jest.setTimeout(scaled(120_000));

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'a4b-rooms.js');
const EXAMPLE = path.join(ROOT, 'examples', 'rooms.yaml');

interface Run { code: number | null; stdout: string; stderr: string }

function run(args: string[]): Promise<Run> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, A4B_ROOMS_LOCK_WAIT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const deploy = (state: string, ...extra: string[]) => run(['local', 'deploy', EXAMPLE, '--state', state, '-c', 'driftMonitor=false', ...extra]);
const drift = (state: string) => run(['drift', EXAMPLE, '--local', '--state', state]);

/** A new state directory holding a finished deploy of the example. */
async function deployed(): Promise<string> {
  const state = path.join(tempDir('a4b-damaged-'), 'state');
  const first = await deploy(state);
  expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
  return state;
}

/** Every file under `dir` with its bytes: what "nothing was changed" compares. */
function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile() && !f.startsWith('cdk.out')) out[f] = fs.readFileSync(p, 'utf8');
  }
  return out;
}

/** Exit 1 with one line naming each of `names` and both ways back; the state directory exactly as it was. */
async function expectRefused(state: string, command: Promise<Run>, ...names: string[]): Promise<void> {
  const before = files(state);
  const res = await command;
  expect(res.code).toBe(1);
  expect(res.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  for (const n of names) expect(res.stderr).toContain(n);
  expect(res.stderr).toContain('Restore the file from a backup');
  expect(res.stderr).toContain(`a4b-rooms local deploy --reset-state --state ${state}`);
  expect(files(state)).toEqual(before);
}

describe('damaged local state', () => {
  test('a4b.json deleted (its journal kept): deploy, drift, import and serve refuse naming it; --reset-state moves the directory aside and deploys afresh', async () => {
    const state = await deployed();
    const snapshot = path.join(state, 'a4b.json');
    fs.rmSync(snapshot);
    const says = [`${snapshot} is missing, but its journal ${path.join(state, 'a4b.journal.jsonl')} is there`];
    await expectRefused(state, deploy(state), ...says);
    await expectRefused(state, drift(state), ...says);
    await expectRefused(state, run(['import', '--local', '--state', state]), ...says);
    await expectRefused(state, run(['local', 'serve', '--state', state]), ...says);

    const kept = files(state);
    const reset = await deploy(state, '--reset-state');
    expect(reset.code).toBe(0);
    const aside = /^notice: moved the state directory (\S+) aside to (\S+); starting from an empty state$/m.exec(reset.stderr);
    expect(aside?.[1]).toBe(state);
    expect(aside?.[2]).toMatch(new RegExp(`^${state.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.broken-\\d{8}T\\d{6}Z$`));
    // Moved, not deleted: every file as it was (the locks this run took for the move are not left in it).
    expect(files(aside![2])).toEqual(kept);
    expect(reset.stdout).toContain('created 51, updated 0, deleted 0');
    expect((await drift(state)).code).toBe(0);
  });

  test('graph.json and its journal both deleted: the manifest names the loss; local serve refuses', async () => {
    const state = await deployed();
    fs.rmSync(path.join(state, 'graph.json'));
    fs.rmSync(path.join(state, 'graph.journal.jsonl'));
    await expectRefused(state, run(['local', 'serve', '--state', state]),
      `${path.join(state, 'graph.json')} is missing (${path.join(state, 'emulators.manifest.json')} lists it): it held the Entra ID and Graph tenant`);
    await expectRefused(state, run(['check', EXAMPLE, '--local', '--state', state]), `${path.join(state, 'graph.json')} is missing`);
  });

  test('one shard\'s stack state deleted: deploy and drift refuse naming the file and its parent; restoring the file deploys with nothing to do', async () => {
    const state = await deployed();
    const shards = fs.readdirSync(path.join(state, 'stacks', 'A4BRooms')).filter((f) => f.includes('Shard'));
    const file = path.join(state, 'stacks', 'A4BRooms', shards[0]);
    const saved = fs.readFileSync(file);
    expect(JSON.parse(saved.toString()).resources).not.toEqual({}); // a shard that holds rooms
    fs.rmSync(file);
    const says = [`${file} is missing: the state of nested stack A4BRooms/${shards[0].replace(/\.json$/, '')}, which ${path.join(state, 'stacks', 'A4BRooms.json')} records`,
      'a deploy would meet its rooms as AlreadyExists'];
    await expectRefused(state, deploy(state), ...says);
    await expectRefused(state, drift(state), ...says);

    fs.writeFileSync(file, saved);
    const again = await deploy(state);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
    expect(again.stdout).toContain('created 0, updated 0, deleted 0');
  });

  test('the root stack\'s state deleted: refused, named through the stacks manifest', async () => {
    const state = await deployed();
    const root = path.join(state, 'stacks', 'A4BRooms.json');
    fs.rmSync(root);
    await expectRefused(state, deploy(state), `${root} is missing: the state of stack A4BRooms, which ${path.join(state, 'stacks.manifest.json')} lists`);
  });

  test('a4b.json lost while its journal holds every write since the state was made (a serve killed with kill -9): rebuilt with a notice, nothing lost', async () => {
    const state = path.join(tempDir('a4b-damaged-'), 'state');
    const serve = spawn(process.execPath, [CLI, 'local', 'serve', '--state', state], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve) => {
      let err = '';
      serve.stderr.on('data', (d) => {
        err += d;
        if (err.includes('emulators running for')) resolve();
      });
    });
    expect((await deploy(state)).code).toBe(0); // through the serve: every write in its journal, never compacted
    await kill(serve);
    const snapshot = path.join(state, 'a4b.json');
    fs.rmSync(snapshot);
    const res = await drift(state);
    expect(res.stderr).toBe(`notice: rebuilt ${snapshot} from ${path.join(state, 'a4b.journal.jsonl')}, which holds every write since the state was created\n`);
    expect(res.code).toBe(0); // in sync: every room, profile and skill group back
    expect(fs.existsSync(snapshot)).toBe(true);
    const second = await drift(state);
    expect({ code: second.code, stderr: second.stderr }).toEqual({ code: 0, stderr: '' });
  });

  test('killed at the end of a cleanup that removes a shard (emptied, its parent\'s state being written): the next run finishes, nothing refused or left', async () => {
    const state = await deployed();
    const file = path.join(path.dirname(state), 'rooms.yaml');
    // Lech (2.01) is the only room of its shard: removing it removes the shard's nested stack in the root's cleanup,
    // which then deletes the resources the deploy replaced (the deletion guard's Delete) before the root's state is written.
    // The kill lands somewhere in those last steps: before the root's state is written (the root still records the
    // emptied shard, whose state must still be there), or after it (an empty shard state nobody records, dropped later).
    fs.writeFileSync(file, fs.readFileSync(EXAMPLE, 'utf8').split('\n').filter((l) => !l.includes('Lech (2.01)')).join('\n'));
    const log = path.join(state, 'provider.log');
    const before = fs.readFileSync(log, 'utf8').length;
    const guardDeleted = () => fs.readFileSync(log, 'utf8').slice(before).split('\n')
      .some((l) => l.includes('"RequestType":"Delete"') && l.includes('Custom::A4BRoomDeletionGuard'));
    const child = spawn(process.execPath, [CLI, 'local', 'deploy', file, '--state', state, '-c', 'driftMonitor=false'], { cwd: ROOT, stdio: 'ignore' });
    const poll = setInterval(() => guardDeleted() && child.kill('SIGKILL'), 10);
    const signal = await new Promise((r) => child.on('close', (_, sig) => r(sig)));
    clearInterval(poll);
    expect(signal).toBe('SIGKILL');
    const again = await run(['local', 'deploy', file, '--state', state, '-c', 'driftMonitor=false']);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
    const inSync = await run(['drift', file, '--local', '--state', state]);
    expect({ code: inSync.code, stderr: inSync.stderr }).toEqual({ code: 0, stderr: '' });
    expect(fs.readdirSync(path.join(state, 'stacks', 'A4BRooms')).filter((f) => f.includes('Shard01'))).toEqual([]);
  });

  test('a state directory from before the manifests keeps working and gets them', async () => {
    const state = await deployed();
    const manifests = ['emulators.manifest.json', 'stacks.manifest.json'].map((f) => path.join(state, f));
    const written = manifests.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
    expect(written).toEqual([{ version: 1, snapshots: ['a4b.json', 'graph.json'] }, { version: 1, roots: ['A4BRooms'] }]);
    for (const f of manifests) fs.rmSync(f);
    const again = await deploy(state);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
    expect(again.stdout).toContain('created 0, updated 0, deleted 0');
    expect(manifests.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')))).toEqual(written);
    expect(manifests.map((f) => (fs.statSync(f).mode & 0o777).toString(8))).toEqual(['600', '600']);
  });

  test('--reset-state refuses a directory that holds no local state, and local deploy one that holds a cdk.out but no state', async () => {
    const dir = tempDir('a4b-damaged-');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const reset = await run(['local', 'serve', '--state', dir, '--reset-state']);
    expect({ code: reset.code, stderr: reset.stderr }).toEqual({
      code: 1, stderr: `a4b-rooms: --reset-state: ${dir} holds no local state (no a4b.json, graph.json, stacks/ or manifest), so it was not moved; give the --state directory of a local deploy or local serve\n`,
    });
    fs.mkdirSync(path.join(dir, 'cdk.out'));
    const project = await deploy(dir);
    expect(project.code).toBe(1);
    expect(project.stderr).toContain(`--state ${dir} holds a cdk.out but no local state`);
    expect(fs.readdirSync(dir).sort()).toEqual(['cdk.out', 'notes.txt']);
  });

  test.each(EMULATOR_STORES.map((s) => [s.name, s.firstWrite] as const))('a new %s store journals its firstWrite first (what makes a journal a full history)', async (name, firstWrite) => {
    const dir = tempDir('a4b-damaged-');
    const emulator = name === 'a4b' ? await A4bEmulator.start({ stateDir: dir }) : await GraphEmulator.start({ stateDir: dir });
    try {
      const first = JSON.parse(fs.readFileSync(path.join(dir, `${name}.journal.jsonl`), 'utf8').split('\n')[0]);
      expect({ c: first.c, k: first.k, v: typeof first.v }).toEqual({ ...firstWrite, v: 'string' });
    } finally {
      await emulator.stop();
    }
  });
});

function kill(child: ChildProcess): Promise<void> {
  const closed = new Promise<void>((r) => child.once('close', () => r()));
  child.kill('SIGKILL');
  return closed;
}
