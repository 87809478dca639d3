// Crash consistency of `a4b-rooms local deploy`, as a user meets it: the compiled CLI in a child process, killed
// with SIGKILL at chosen points (watched from outside: the engine's operations journals, the emulator's request
// log), then run again. Whatever the kill interrupted, the next run must finish the deploy with every room once,
// nothing left stuck, and `drift --local` clean. Two processes on one state directory must not both write it.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { A4bEmulator } from '../../lib/local/a4b-emulator';
import { scaled, tempDir, waitFor } from '../helpers';

jest.setTimeout(scaled(120_000));

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'a4b-rooms.js');
const EXAMPLE = path.join(ROOT, 'examples', 'rooms.yaml');
const exampleRooms = (file = EXAMPLE): string[] => (parseYaml(fs.readFileSync(file, 'utf8')).rooms as Array<{ name: string }>).map((r) => r.name).sort();

interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; pid: number }

/** Runs the CLI; `killWhen` is polled every 10 ms and, once true, the child gets SIGKILL (kill -9). */
function run(
  args: string[], options: { killWhen?: () => boolean; env?: Record<string, string>; started?: (child: ChildProcess) => void } = {},
): Promise<Run> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  options.started?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const poll = options.killWhen && setInterval(() => {
    if (options.killWhen!()) child.kill('SIGKILL');
  }, 10);
  const bound = setTimeout(() => child.kill('SIGKILL'), scaled(90_000)); // bounds the wait only
  return new Promise((resolve) => child.on('close', (code, signal) => {
    if (poll) clearInterval(poll);
    clearTimeout(bound);
    resolve({ code, signal, stdout, stderr, pid: child.pid! });
  }));
}

const deploy = (stateDir: string, options: Parameters<typeof run>[1] = {}, file = EXAMPLE, extra: string[] = []) => run(['local', 'deploy', file, '--state', stateDir, ...extra], options);

const journalFiles = (stateDir: string) => fs.existsSync(path.join(stateDir, 'stacks'))
  ? (fs.readdirSync(path.join(stateDir, 'stacks'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ops.jsonl')) : [];

/**
 * The requests the provider handlers received so far (each logs its request to STATE/provider.log as it starts):
 * the kill points are chosen from what the handlers and the emulator see, not from the engine's own bookkeeping.
 */
function handlerRequests(stateDir: string): Array<{ RequestType: string; PhysicalResourceId?: string; ResourceType: string }> {
  const file = path.join(stateDir, 'provider.log');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').flatMap((l) => {
    try {
      const entry = JSON.parse(l);
      return entry.request ? [entry.request] : [];
    } catch {
      return [];
    }
  });
}

/** A kill condition on the handler requests of this run only (provider.log is appended to by every run). */
function afterRequests(stateDir: string, predicate: (requests: ReturnType<typeof handlerRequests>) => boolean): () => boolean {
  const before = handlerRequests(stateDir).length;
  return () => predicate(handlerRequests(stateDir).slice(before));
}

/** The A4B emulator's state on disk, read after every process is gone. */
async function a4bState(stateDir: string): Promise<{ rooms: string[]; profiles: number; skillGroups: number }> {
  const emulator = await A4bEmulator.start({ stateDir });
  try {
    return { rooms: emulator.rooms().map((r) => r.RoomName).sort(), profiles: emulator.db.count('profiles'), skillGroups: emulator.db.count('skillGroups') };
  } finally {
    await emulator.stop();
  }
}

/** After a finished deploy: every declared room exactly once, no journal left, and drift --local exits 0. */
async function expectComplete(stateDir: string, file = EXAMPLE): Promise<void> {
  const drift = await run(['drift', file, '--local', '--state', stateDir]);
  expect({ code: drift.code, out: drift.stdout.split('\n')[0] }).toEqual({ code: 0, out: expect.stringContaining('A4B drift: in sync (') });
  const state = await a4bState(stateDir);
  expect(state.rooms).toEqual(exampleRooms(file));
  expect(state.profiles).toBe(3);
  expect(state.skillGroups).toBe(3);
  expect(journalFiles(stateDir)).toEqual([]);
}

async function serve(stateDir: string, extra: string[] = []): Promise<{ child: ChildProcess; a4b: string; stop: () => Promise<void> }> {
  const file = path.join(stateDir, 'endpoints.json');
  fs.rmSync(file, { force: true }); // left by a serve that was killed
  const child = spawn(process.execPath, [CLI, 'local', 'serve', '--state', stateDir, ...extra], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  await waitFor(`${file} from local serve`, () => fs.existsSync(file));
  const closed = new Promise((r) => child.on('close', r));
  return { child, a4b: JSON.parse(fs.readFileSync(file, 'utf8')).a4b, stop: async () => { child.kill('SIGTERM'); await closed; } };
}

/** The PID in a state directory's lock file, once its holder has written it. */
function lockHolder(stateDir: string, name: string): number | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(stateDir, `${name}.lock`), 'utf8')).pid;
  } catch {
    return undefined; // not there, or not yet written
  }
}

async function admin(url: string, method: string, body?: unknown): Promise<any> {
  const res = await fetch(url, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return res.json();
}

describe('local deploy killed with SIGKILL, then run again', () => {
  test('killed before any A4B write, after the first writes, and deep in the shards (three kills in a row): the fourth run finishes', async () => {
    const stateDir = tempDir('a4b-crash-');
    // A full deploy sends the deletion guard, the calendar link's check, 10 shard checks side by side and their gate,
    // 3 profiles and 3 skill groups, then 12 rooms in their shards. Counted per run; the killed runs' unanswered
    // requests are re-sent.
    const kills: Array<(r: ReturnType<typeof handlerRequests>) => boolean> = [
      (r) => r.length >= 1, // the guard has begun: nothing written to A4B yet
      (r) => r.length >= 6, // shard checks under way (the first run's request re-sent)
      (r) => r.filter((x) => x.ResourceType === 'Custom::A4BRoom').length >= 2, // profiles and skill groups done, rooms being created
    ];
    for (const when of kills) {
      const killed = await deploy(stateDir, { killWhen: afterRequests(stateDir, when) });
      expect(killed.signal).toBe('SIGKILL');
    }
    expect(await a4bState(stateDir)).toMatchObject({ profiles: 3, skillGroups: 3 }); // the last kill came after A4B writes
    const final = await deploy(stateDir);
    expect(final.stderr).toBe('');
    expect(final.code).toBe(0);
    await expectComplete(stateDir);
  });

  test('killed mid-Create (the room exists in A4B, its response never recorded): the Create is re-sent with its RequestId and A4B answers with the same room', async () => {
    const stateDir = tempDir('a4b-crash-');
    const world = await serve(stateDir);
    try {
      // The first skill-group association hangs: the room's CreateRoom has been answered, its handler not.
      await admin(`${world.a4b}/_emulator/faults`, 'POST', { operation: 'AssociateSkillGroupWithRoom', latencyMs: 60_000, count: 1 });
      const requests = async () => (await admin(`${world.a4b}/_emulator/requests`, 'GET')).requests as Array<{ operation: string; status: number; input: { RoomName?: string } }>;
      let created: string | undefined;
      const watcher = setInterval(() => void requests().then((r) => (created = r.find((x) => x.operation === 'CreateRoom' && x.status === 200)?.input.RoomName), () => undefined), 20);
      const killed = await deploy(stateDir, { killWhen: () => created !== undefined });
      clearInterval(watcher);
      expect(killed.signal).toBe('SIGKILL');
      await admin(`${world.a4b}/_emulator/faults`, 'DELETE');
      const again = await deploy(stateDir);
      expect(again.code).toBe(0);
      // Sent twice, created once: the second CreateRoom carried the first one's token.
      const creates = (await requests()).filter((r) => r.operation === 'CreateRoom' && r.input.RoomName === created);
      expect(creates.map((r) => r.status)).toEqual([200, 200]);
    } finally {
      await world.stop();
    }
    await expectComplete(stateDir);
  });

  test('killed during a rollback: the next run continues from what the rollback had undone and finishes', async () => {
    const stateDir = tempDir('a4b-crash-');
    const world = await serve(stateDir);
    try {
      // One room cannot be created (not retried), so its stack fails and everything rolls back; the rollback's first DeleteRoom hangs.
      await admin(`${world.a4b}/_emulator/faults`, 'POST', { operation: 'CreateRoom', status: 400, errorType: 'ValidationException', match: { RoomName: 'Wannsee (3.02)' } });
      await admin(`${world.a4b}/_emulator/faults`, 'POST', { operation: 'DeleteRoom', latencyMs: 60_000, count: 1 });
      const rollingBack = afterRequests(stateDir, (r) => r.some((x) => x.RequestType === 'Delete' && !!x.PhysicalResourceId?.startsWith('arn:aws:a4b:')));
      const killed = await deploy(stateDir, { killWhen: rollingBack });
      expect(killed.signal).toBe('SIGKILL');
      await admin(`${world.a4b}/_emulator/faults`, 'DELETE');
      const again = await deploy(stateDir);
      expect(again.code).toBe(0);
    } finally {
      await world.stop();
    }
    await expectComplete(stateDir);
  });

  test('killed during the cleanup deletes of a smaller inventory: the next run deletes the rest, and keeps the others', async () => {
    const stateDir = tempDir('a4b-crash-');
    expect((await deploy(stateDir)).code).toBe(0);
    const doc = parseYaml(fs.readFileSync(EXAMPLE, 'utf8'));
    doc.rooms = doc.rooms.slice(0, 6);
    const smaller = path.join(tempDir('a4b-inv-'), 'rooms.yaml');
    fs.writeFileSync(smaller, stringifyYaml(doc));
    // Six rooms go: more than the deletion guard allows without saying so.
    const allow = ['-c', 'allowRoomDeletions=6'];
    const killed = await deploy(stateDir, { killWhen: afterRequests(stateDir, (r) => r.filter((x) => x.RequestType === 'Delete').length >= 2) }, smaller, allow);
    expect(killed.signal).toBe('SIGKILL');
    expect((await a4bState(stateDir)).rooms.length).toBeGreaterThan(6); // some deletes still to do
    const again = await deploy(stateDir, {}, smaller, allow);
    expect(again.code).toBe(0);
    await expectComplete(stateDir, smaller);
  });
});

/** An inventory of `count` rooms (no calendar link), every room tagged `wave: <wave>`. */
function inventory(count: number, wave: string): string {
  const file = path.join(tempDir('a4b-inv-'), 'rooms.yaml');
  fs.writeFileSync(file, stringifyYaml({
    tags: { wave }, profiles: [{ name: 'Berlin', address: 'Friedrichstraße 100, 10117 Berlin', timezone: 'Europe/Berlin' }],
    rooms: Array.from({ length: count }, (_, i) => ({ name: `Room ${String(i).padStart(3, '0')}`, profile: 'Berlin' })),
  }));
  return file;
}

describe('a crash followed by a failing re-run', () => {
  test('killed during the rollback of an update that removes rooms, re-run with the fault still on: the rollback deletes none of the rooms the last finished deploy held', async () => {
    const stateDir = tempDir('a4b-crash-');
    expect((await deploy(stateDir, {}, inventory(30, 'a'))).code).toBe(0);
    // Every room's tag changes and 3 rooms go; one room's TagResource always fails, every TagResource takes 400 ms.
    const update = inventory(27, 'b');
    const allow = ['-c', 'allowRoomDeletions=3'];
    const world = await serve(stateDir);
    let after: { rooms: Array<{ RoomName: string; RoomArn: string }>; deletes: number };
    try {
      const rooms = async () => ((await (await fetch(world.a4b, {
        method: 'POST', body: '{"MaxResults":50}', headers: { 'x-amz-target': 'AlexaForBusiness.SearchRooms', 'content-type': 'application/x-amz-json-1.1' },
      })).json()) as { Rooms: Array<{ RoomName: string; RoomArn: string }> }).Rooms;
      const victim = (await rooms()).find((r) => r.RoomName === 'Room 005')!.RoomArn;
      await admin(`${world.a4b}/_emulator/faults`, 'POST', { operation: 'TagResource', match: { Arn: victim }, status: 400, errorType: 'BadRequestException' });
      await admin(`${world.a4b}/_emulator/faults`, 'POST', { operation: 'TagResource', latencyMs: 400 });
      const requests = async () => (await admin(`${world.a4b}/_emulator/requests`, 'GET')).requests as Array<{ operation: string; status: number; input: any }>;
      // Killed once the failing room's own rollback was refused: the other shards are updated (their removed rooms kept
      // for the cleanup), and the parent's restores of them (400 ms a room, one shard after the other) have only begun.
      let rollingBack = false;
      const watcher = setInterval(() => void requests().then((r) => (rollingBack = r.some((x) => x.operation === 'TagResource' && x.status === 400
        && x.input.Tags?.some((t: { Key: string; Value: string }) => t.Key === 'wave' && t.Value === 'a'))), () => undefined), 20);
      const killed = await deploy(stateDir, { killWhen: () => rollingBack }, update, allow);
      clearInterval(watcher);
      expect(killed.signal).toBe('SIGKILL');
      const again = await deploy(stateDir, {}, update, allow);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('TagResource failed with BadRequestException');
      after = { rooms: await rooms(), deletes: (await requests()).filter((r) => r.operation === 'DeleteRoom').length };
      await admin(`${world.a4b}/_emulator/faults`, 'DELETE');
    } finally {
      await world.stop();
    }
    expect(after.deletes).toBe(0);
    expect(after.rooms.map((r) => r.RoomName).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `Room ${String(i).padStart(3, '0')}`));
    // Rolled back to the last finished deploy: every room but the failing one has its old tag again.
    const emulator = await A4bEmulator.start({ stateDir });
    try {
      const waves = emulator.rooms().filter((r) => r.RoomName !== 'Room 005').map((r) => emulator.db.get<Record<string, string>>('tags', r.RoomArn)?.wave);
      expect(new Set(waves)).toEqual(new Set(['a']));
    } finally {
      await emulator.stop();
    }
    // Without the fault the update goes through: 27 rooms, each once.
    const fixed = await deploy(stateDir, {}, update, allow);
    expect(fixed.code).toBe(0);
    expect((await a4bState(stateDir)).rooms).toEqual(Array.from({ length: 27 }, (_, i) => `Room ${String(i).padStart(3, '0')}`));
    expect(journalFiles(stateDir)).toEqual([]);
  });
});

describe('the emulators killed in the middle of a deploy', () => {
  test.each(['SIGKILL', 'SIGTERM'] as const)('serve stopped with %s mid-deploy: the deploy says what happened; after a restart the re-run finishes, every room once with its profile', async (signal) => {
    const stateDir = tempDir('a4b-crash-');
    const file = inventory(60, 'a');
    let world = await serve(stateDir, ['--a4b-rate-limit', '20']);
    const served = world.a4b;
    let killed: Run;
    try {
      // Killed once a third of the rooms are made (the emulator's own request counter), while the rest are in flight.
      const rooms = async () => (await admin(`${world.a4b}/_emulator/requests`, 'GET')).requests.filter((r: any) => r.operation === 'CreateRoom' && r.status === 200).length;
      let made = 0;
      const watcher = setInterval(() => void rooms().then((n) => {
        made = n;
        if (n >= 20) world.child.kill(signal);
      }, () => undefined), 20);
      killed = await deploy(stateDir, {}, file);
      clearInterval(watcher);
      expect(made).toBeGreaterThanOrEqual(20);
    } finally {
      await world.stop();
    }
    expect(killed.code).toBe(1);
    expect(killed.stderr).toContain(`the A4B emulator at ${served} stopped answering`);
    expect(killed.stderr).toContain(`restart \`a4b-rooms local serve --state ${stateDir}\` and run the deploy again; it continues where it stopped`);
    world = await serve(stateDir, ['--a4b-rate-limit', '20']);
    try {
      const again = await deploy(stateDir, {}, file);
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
    } finally {
      await world.stop();
    }
    const emulator = await A4bEmulator.start({ stateDir });
    try {
      const rooms = emulator.rooms();
      expect(rooms.map((r) => r.RoomName).sort()).toEqual(Array.from({ length: 60 }, (_, i) => `Room ${String(i).padStart(3, '0')}`));
      expect(rooms.filter((r) => !r.ProfileArn)).toEqual([]);
    } finally {
      await emulator.stop();
    }
    expect(journalFiles(stateDir)).toEqual([]);
  });
});

describe('two processes on one state directory', () => {
  test('a second deploy refuses (no wait) naming the first one\'s PID, a drift --local does too, and the first deploy finishes unharmed', async () => {
    const stateDir = tempDir('a4b-lock-');
    // The example with 300 more rooms: a first deploy long enough that the other two run while it holds its locks.
    const doc = parseYaml(fs.readFileSync(EXAMPLE, 'utf8'));
    doc.rooms.push(...Array.from({ length: 300 }, (_, i) => ({ name: `Extra ${i}`, profile: doc.profiles[0].name })));
    const big = path.join(tempDir('a4b-inv-'), 'rooms.yaml');
    fs.writeFileSync(big, stringifyYaml(doc));
    let first: ChildProcess | undefined;
    const firstRun = deploy(stateDir, { started: (c) => (first = c) }, big);
    // Both locks held by the first deploy before the others start (a bound that ran out silently let them race it).
    await waitFor('the first deploy\'s locks', () => ['deploy', 'emulators'].every((l) => lockHolder(stateDir, l) === first?.pid));
    const [second, drift] = await Promise.all([
      deploy(stateDir, { env: { A4B_ROOMS_LOCK_WAIT: '0' } }),
      run(['drift', EXAMPLE, '--local', '--state', stateDir], { env: { A4B_ROOMS_LOCK_WAIT: '0' } }),
    ]);
    const done = await firstRun;
    expect(done.code).toBe(0);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`is in use by a4b-rooms local deploy ${big} --state ${stateDir} (PID ${first!.pid} on `);
    expect(second.stderr).toContain(path.join(stateDir, 'deploy.lock'));
    expect(drift.code).toBe(1);
    expect(drift.stderr).toContain(`(PID ${first!.pid} on `);
    expect(drift.stderr).toContain('emulators');
    expect(fs.readdirSync(stateDir).filter((f) => f.endsWith('.lock'))).toEqual([]);
    await expectComplete(stateDir, big);
  });

  test('a second deploy waits for the first and then finds nothing to do; a deploy beside a running serve uses it', async () => {
    const stateDir = tempDir('a4b-lock-');
    const world = await serve(stateDir);
    try {
      let firstChild: ChildProcess | undefined;
      const first = deploy(stateDir, { started: (c) => (firstChild = c) });
      await waitFor('the first deploy\'s lock', () => lockHolder(stateDir, 'deploy') === firstChild?.pid);
      const [a, b] = await Promise.all([first, deploy(stateDir)]);
      expect([a.code, b.code]).toEqual([0, 0]);
      expect(b.stderr).toContain(`waiting up to 60 s for a4b-rooms local deploy ${EXAMPLE} --state ${stateDir} (PID ${a.pid}) to release ${path.join(stateDir, 'deploy.lock')}`);
      expect(b.stdout).toContain('created 0, updated 0, deleted 0');
      expect(a.stdout).toContain(`endpoint during this run: ${world.a4b}`);
    } finally {
      await world.stop();
    }
    await expectComplete(stateDir);
  });

  test('a lock left by a killed deploy is taken over', async () => {
    const stateDir = tempDir('a4b-lock-');
    const killed = await deploy(stateDir, { killWhen: afterRequests(stateDir, (r) => r.length >= 1) });
    expect(killed.signal).toBe('SIGKILL');
    expect(fs.readdirSync(stateDir).filter((f) => f.endsWith('.lock')).sort()).toEqual(['deploy.lock', 'emulators.lock']);
    const again = await deploy(stateDir, { env: { A4B_ROOMS_LOCK_WAIT: '0' } });
    expect(again.code).toBe(0);
    await expectComplete(stateDir);
  });
});

describe('damaged or private state files', () => {
  test('a garbage line in the middle of the A4B journal: deploy and serve refuse naming file and line, and leave the state as it was', async () => {
    const stateDir = tempDir('a4b-damage-');
    expect((await deploy(stateDir)).code).toBe(0);
    const journal = path.join(stateDir, 'a4b.journal.jsonl');
    // As a killed process leaves it: writes journaled after the last compaction, then damage in the middle.
    const arn = 'arn:aws:a4b:us-east-1:123456789012:device/x/DEV1';
    const entry = JSON.stringify({ c: 'devices', k: arn, v: { DeviceArn: arn, DeviceName: 'Echo Show', DeviceSerialNumber: 'DEV1', DeviceType: 'A3VRME03NAXFUB' } });
    fs.writeFileSync(journal, `${entry}\nthis is not json\n${entry}\n`);
    const before = Object.fromEntries(['a4b.json', 'a4b.journal.jsonl'].map((f) => [f, fs.readFileSync(path.join(stateDir, f), 'utf8')]));
    const again = await deploy(stateDir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${journal}:2: unreadable journal line`);
    const served = await run(['local', 'serve', '--state', stateDir], { env: { A4B_ROOMS_LOCK_WAIT: '0' } });
    expect(served.code).toBe(1);
    expect(served.stderr).toContain(`${journal}:2: unreadable journal line`);
    for (const [f, text] of Object.entries(before)) expect(fs.readFileSync(path.join(stateDir, f), 'utf8')).toBe(text);
    expect(fs.readdirSync(stateDir).filter((f) => f.endsWith('.lock'))).toEqual([]);
  });

  test('a truncated snapshot is refused with its file name', async () => {
    const stateDir = tempDir('a4b-damage-');
    expect((await deploy(stateDir)).code).toBe(0);
    const graph = path.join(stateDir, 'graph.json');
    fs.writeFileSync(graph, fs.readFileSync(graph, 'utf8').slice(0, 100));
    const again = await deploy(stateDir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${graph} is not a readable snapshot`);
  });

  test('the files that hold secrets (Secrets Manager store, tenant with app credentials, TLS key) are 0600', async () => {
    const stateDir = tempDir('a4b-modes-');
    expect((await deploy(stateDir)).code).toBe(0);
    const secretHolders = ['a4b.json', 'a4b.journal.jsonl', 'graph.json', 'graph.journal.jsonl', 'graph-tls.key.pem'];
    expect(secretHolders.map((f) => [f, (fs.statSync(path.join(stateDir, f)).mode & 0o777).toString(8)])).toEqual(secretHolders.map((f) => [f, '600']));
    // They do hold them: the client secret the deploy put into the credentials secret is in both stores.
    const secret = JSON.parse(JSON.parse(fs.readFileSync(path.join(stateDir, 'a4b.json'), 'utf8')).secrets['a4b-rooms/graph-validator'].secretString).clientSecret;
    expect(fs.readFileSync(path.join(stateDir, 'graph.json'), 'utf8')).toContain(secret);
  });
});
