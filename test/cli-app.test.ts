// `--app` means one thing in every command that reads a declaration, as `cdk --app` does: a synthesized cloud assembly
// folder, or the command that runs the app. Run as a user runs the CLI (compiled, in a child process), against a local
// deploy of the example inventory.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './helpers';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'a4b-rooms.js');
const APP = `node ${path.join(ROOT, 'bin', 'app.js')}`;
const EXAMPLE = path.join(ROOT, 'examples', 'rooms.yaml');
jest.setTimeout(120_000);

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
