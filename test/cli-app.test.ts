// `--app` means one thing in every command that reads a declaration, as `cdk --app` does: a synthesized cloud assembly
// folder, or the command that runs the app. Run as a user runs the CLI (compiled, in a child process), against a local
// deploy of the example inventory.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { scaled, tempDir } from './helpers';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'a4b-rooms.js');
const APP = `node ${path.join(ROOT, 'bin', 'app.js')}`;
const EXAMPLE = path.join(ROOT, 'examples', 'rooms.yaml');
jest.setTimeout(scaled(120_000));

const cli = (args: string[]) => spawnSync('node', [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });

describe('--app, a command or a cloud assembly, in every command', () => {
  let state: string;
  let assembly: string;
  beforeAll(() => {
    state = tempDir('a4b-app-');
    const deployed = cli(['local', 'deploy', EXAMPLE, '--state', state]);
    expect(deployed.status).toBe(0);
    // What local deploy synthesized: a cloud assembly folder, as cdk synth writes one.
    assembly = path.join(tempDir('a4b-app-'), 'cdk.out');
    fs.cpSync(path.join(state, 'cdk.out'), assembly, { recursive: true });
  });

  test('drift: the app command (synthesized for the run, -c as cdk -c) and its assembly folder give the same in-sync report', () => {
    const byCommand = cli(['drift', '--app', APP, '-c', `inventory=${EXAMPLE}`, '--local', '--state', state, '--json']);
    const byFolder = cli(['drift', '--app', assembly, '--local', '--state', state, '--json']);
    expect([byCommand.status, byFolder.status]).toEqual([0, 0]);
    expect(JSON.parse(byCommand.stdout)).toMatchObject({ status: 'in-sync', checked: { rooms: 12, profiles: 3, skillGroups: 3, mailboxes: 12 } });
    expect(JSON.parse(byFolder.stdout)).toEqual(JSON.parse(byCommand.stdout));
  });

  test('check and test-booking read the calendar link and the rooms from the app, for users of the constructs without a file', () => {
    const checked = cli(['check', '--app', assembly, '--local', '--state', state, '--json']);
    expect(checked.status).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ status: 'clean', checked: 12, link: 'calendar link (tenant contoso.onmicrosoft.com, delegate alexaforbusiness@contoso.onmicrosoft.com)' });
    const booked = cli(['test-booking', '--app', APP, '-c', `inventory=${EXAMPLE}`, '--rooms', 'Spree (2.01),Isar (1.01)', '--local', '--state', state, '--json']);
    expect(booked.status).toBe(0);
    // In the templates' order (an assembly has no file order).
    expect(JSON.parse(booked.stdout).rooms.map((r: { name: string; check: string }) => `${r.name} ${r.check}`).sort()).toEqual(['Isar (1.01) passed', 'Spree (2.01) passed']);
  });

  test('local deploy --app FOLDER deploys the assembly as --assembly does: nothing to change', () => {
    const again = cli(['local', 'deploy', '--app', assembly, '--state', state]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/created 0, updated 0, deleted 0, retained 0, unchanged \d+, failed 0/);
  });

  test('a file and --app together, and a folder that is no assembly, are refused in one line', () => {
    const both = cli(['check', EXAMPLE, '--app', assembly, '--local', '--state', state]);
    expect({ status: both.status, stderr: both.stderr }).toEqual({
      status: 1, stderr: `a4b-rooms: give the inventory file ${EXAMPLE} or --app ${assembly}, not both: one would be read and the other ignored\n`,
    });
    const empty = tempDir();
    const none = cli(['drift', '--app', empty, '--local', '--state', state]);
    expect({ status: none.status, stderr: none.stderr }).toEqual({
      status: 1, stderr: `a4b-rooms: --app ${empty} is a folder without a cloud assembly (no manifest.json): give a cdk.out folder that cdk synth wrote, or the command that runs your app\n`,
    });
    const neither = cli(['drift', '--local', '--state', state]);
    expect(neither.stderr).toBe('a4b-rooms: drift needs the declaration: an inventory file, or --app (a cdk.out folder or the command that runs your app)\n');
  });
});

describe('where A4B is, from cdk.json', () => {
  test('drift without --local reads A4B at the cdk.json context\'s a4bEndpoint; the environment\'s endpoint wins over it', async () => {
    const { A4bEmulator } = await import('../lib/local/a4b-emulator');
    const emulator = await A4bEmulator.start({});
    try {
      const project = tempDir('a4b-project-');
      fs.writeFileSync(path.join(project, 'cdk.json'), JSON.stringify({ app: 'node app.js', context: { a4bRegion: 'us-east-1', a4bEndpoint: emulator.endpoint } }));
      fs.writeFileSync(path.join(project, 'rooms.yaml'), 'profiles: []\nrooms: []\n');
      const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'local-emulator', AWS_REGION: 'eu-central-1' };
      delete env.AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS;
      delete env.AWS_PROFILE;
      // Asynchronous: the emulator answers from this process.
      const run = (extra: NodeJS.ProcessEnv = {}) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('node', [CLI, 'drift', 'rooms.yaml', '--json'], { cwd: project, env: { ...env, ...extra } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
      const read = await run();
      expect({ status: read.status, stderr: read.stderr }).toEqual({ status: 0, stderr: '' });
      expect(JSON.parse(read.stdout)).toMatchObject({ status: 'in-sync' });
      expect(emulator.requests.map((r) => r.operation)).toContain('SearchRooms');
      const seen = emulator.requests.length;
      const elsewhere = await run({ AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS: 'http://127.0.0.1:9' });
      expect(elsewhere.status).toBe(1);
      expect(JSON.parse(elsewhere.stdout)).toMatchObject({ status: 'error' });
      expect(emulator.requests).toHaveLength(seen);
    } finally {
      await emulator.stop();
    }
  });
});
