// The a4b-rooms command line, run as a user runs it (compiled, in a child process).
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CreateProfileCommand, CreateRoomCommand, GetRoomCommand } from '@aws-sdk/client-alexa-for-business';
import { AlexaForBusinessClient } from '@aws-sdk/client-alexa-for-business';
import * as https from 'https';
import { tempDir, waitFor } from './helpers';

function getHttps(url: string, ca: string): Promise<any> {
  return new Promise((resolve, reject) => https.get(url, { ca }, (res) => {
    let text = '';
    res.on('data', (d) => (text += d));
    res.on('end', () => resolve(JSON.parse(text)));
  }).on('error', reject));
}

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'a4b-rooms.js');

function cli(args: string[]) {
  return spawnSync('node', [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
}

async function serve(stateDir: string, extra: string[] = []): Promise<{ child: ChildProcess; endpoints: Record<string, string> }> {
  const child = spawn('node', [CLI, 'local', 'serve', '--state', stateDir, ...extra], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const file = path.join(stateDir, 'endpoints.json');
  await waitFor(`${file} from local serve`, () => fs.existsSync(file));
  return { child, endpoints: JSON.parse(fs.readFileSync(file, 'utf8')) };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await exited;
}

function client(endpoint: string) {
  return new AlexaForBusinessClient({ region: 'us-east-1', endpoint, maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
}

describe('a4b-rooms CLI', () => {
  test('local deploy of the default app (cdk.json: the example inventory) creates it, a second run changes nothing', () => {
    const state = tempDir();
    const first = cli(['local', 'deploy', '--state', state]);
    expect(first.status).toBe(0);
    const created = /created (\d+), updated 0, deleted 0, retained 0, unchanged 0, failed 0/.exec(first.stdout)?.[1];
    // 12 rooms, 3 profiles, 3 skill groups, the deletion guard, the calendar link and its 10 shards' checks, their gate
    // (31 custom resources), and 20 nested stacks (10 shards, 7 mailbox-check stacks, the profiles', 2 skill-group stacks).
    expect(Number(created)).toBe(51);
    expect(first.stdout).toMatch(/create\s+Custom::A4BRoom\s+Spree \(2\.01\)\s+arn:aws:a4b:us-east-1:123456789012:room\//);
    const inSync = cli(['drift', 'examples/rooms.yaml', '--local', '--state', state, '--json']);
    expect(inSync.status).toBe(0);
    expect(JSON.parse(inSync.stdout)).toMatchObject({ version: 1, status: 'in-sync', findings: [] });
    const second = cli(['local', 'deploy', '--state', state]);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('created 0, updated 0, deleted 0, retained 0, unchanged ');
    expect(second.stdout).toContain(', failed 0');
  });

  test('local serve writes endpoints.json, keeps state across restarts, and deploys use it', async () => {
    const state = tempDir();
    const tenantFile = path.join(state, 'tenant.json');
    fs.writeFileSync(tenantFile, JSON.stringify({ tenantId: 'fabrikam.onmicrosoft.com', apps: [{ clientId: 'c1', clientSecret: 's1', roles: [] }] }));
    const first = await serve(state, ['--tenant', tenantFile]);
    expect(Object.keys(first.endpoints).sort()).toEqual(['a4b', 'authority', 'ca', 'graph', 'secretsManager']);
    expect(first.endpoints.graph).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(fs.readFileSync(first.endpoints.ca, 'utf8')).toContain('BEGIN CERTIFICATE');
    const c1 = client(first.endpoints.a4b);
    const { ProfileArn } = await c1.send(new CreateProfileCommand({ ProfileName: 'P', Address: 'a', Timezone: 'UTC', DistanceUnit: 'METRIC', TemperatureUnit: 'CELSIUS', WakeWord: 'ALEXA' }));
    const { RoomArn } = await c1.send(new CreateRoomCommand({ RoomName: 'Survivor', ProfileArn }));
    c1.destroy();
    await stop(first.child);
    expect(fs.existsSync(path.join(state, 'endpoints.json'))).toBe(false);

    const second = await serve(state);
    try {
      const c2 = client(second.endpoints.a4b);
      expect((await c2.send(new GetRoomCommand({ RoomArn }))).Room!.RoomName).toBe('Survivor');
      c2.destroy();
      expect((await getHttps(`${second.endpoints.graph}/_emulator/health`, fs.readFileSync(second.endpoints.ca, 'utf8'))).tenant).toBe('fabrikam.onmicrosoft.com');
      // A deploy on the same state dir talks to this serve; its persisted tenant (fabrikam) is not the app's, so the
      // calendar link fails the deploy with exit 1 before any room is written.
      const deploy = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn('node', [CLI, 'local', 'deploy', '--state', state], { cwd: ROOT });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('exit', (code) => resolve({ code, out, err }));
      });
      expect(deploy.code).toBe(1);
      expect(deploy.err).toContain('failed: ');
      expect(deploy.err).toContain('unknown tenant contoso.onmicrosoft.com');
      expect(deploy.err).toContain('rollback: ');
      // The deletion guard goes first (nothing to compare on a first deploy); the link fails, and the rollback removes the guard again.
      expect(deploy.out).toContain('created 1, updated 0, deleted 0, retained 0, unchanged 0, failed 1');
      expect(deploy.err).toMatch(/rollback: InventoryRoomDeletionGuard\w+: deleted room-deletion-guard-/);
      expect(deploy.out).toContain(`endpoint during this run: ${second.endpoints.a4b}`);
    } finally {
      await stop(second.child);
    }
  });

  test('validate: exit 0 on the example, exit 1 with every problem located on a bad inventory; deploy refuses it', () => {
    const ok = cli(['validate', 'examples/rooms.yaml']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('examples/rooms.yaml: valid');
    const file = path.join(tempDir(), 'rooms.yaml');
    fs.writeFileSync(file, 'profiles:\n  - { name: Std, address: a, timezone: UTC }\nrooms:\n  - { name: A, profile: Std, mailbox: nope }\n  - { name: a, profile: Std }\n');
    const bad = cli(['validate', file]);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual([
      `${file}:4:39: room 'A': mailbox 'nope' must be the email address of the room's resource mailbox, e.g. board-room@contoso.com`,
      `${file}:5:13: room 'a': name 'a' is also the name of room 'A' (rooms[0], ${file}:4:13): names are unique per A4B account, ignoring case`,
      '',
      `2 problems in ${file}`,
    ]);
    const state = tempDir();
    const deploy = cli(['local', 'deploy', file, '--state', state]);
    expect(deploy.status).toBe(1);
    expect(deploy.stderr).toContain(`2 problems in ${file}; nothing was deployed`);
    expect(fs.existsSync(path.join(state, 'a4b.json'))).toBe(false);
  });

  test('validate: a ProactiveJoin that is not a boolean is refused at its place, with the fix', () => {
    const file = path.join(tempDir(), 'rooms.yaml');
    fs.writeFileSync(file, 'profiles:\n  - name: Std\n    address: a\n    timezone: UTC\n    meetingRoom:\n      proactiveJoin:\n        enabledByMotion: on\nrooms: []\n');
    const bad = cli(['validate', file]);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')[0]).toBe(`${file}:7:26: profile 'Std': meetingRoom.proactiveJoin.enabledByMotion 'on' must be a boolean: write true or false`);
  });

  test('bad arguments are refused with a message', () => {
    const res = cli(['local', 'deploy', '--concurrency', '0']);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('--concurrency 0 must be a whole number of at least 1');
    for (const command of ['serve', 'deploy']) {
      const rate = cli(['local', command, '--a4b-rate-limit', '-2']);
      expect(rate.status).not.toBe(0);
      expect(rate.stderr).toContain('--a4b-rate-limit -2 must be a number of requests per second greater than 0');
    }
    const account = cli(['local', 'deploy', '--account-concurrency', '1.5']);
    expect(account.stderr).toContain('--account-concurrency 1.5 must be a whole number of at least 1');
  });

  test('local serve --a4b-rate-limit: the emulator throttles above it, and says so in its stats', async () => {
    const { child, endpoints } = await serve(tempDir(), ['--a4b-rate-limit', '2']);
    try {
      const a4b = client(endpoints.a4b);
      const results = await Promise.allSettled([1, 2, 3].map(() => a4b.send(new GetRoomCommand({ RoomArn: 'arn:aws:a4b:us-east-1:123456789012:room/x/y' }))));
      a4b.destroy();
      expect(results.map((r) => (r as PromiseRejectedResult).reason?.name).sort()).toEqual(['NotFoundException', 'NotFoundException', 'ThrottlingException']);
      expect(await (await fetch(`${endpoints.a4b}/_emulator/stats`)).json()).toEqual({ requests: 3, throttled: 1, rateLimit: 2 });
    } finally {
      await stop(child);
    }
  });
});
