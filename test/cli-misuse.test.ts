// The a4b-rooms command line misused, run as a user runs it (compiled, in a child process): each mistake is one
// line on stderr naming the path and what is wrong, exit 1, and nothing created, started or half-written.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { A4bEmulator } from '../lib/local/a4b-emulator';
import { tempDir } from './helpers';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'a4b-rooms.js');

function cli(args: string[], cwd = ROOT) {
  return spawnSync('node', [CLI, ...args], { cwd, encoding: 'utf8' });
}

/** Exit 1 with exactly this one line on stderr and nothing on stdout. */
function refused(args: string[], line: string, cwd = ROOT) {
  const res = cli(args, cwd);
  expect({ status: res.status, stderr: res.stderr, stdout: res.stdout }).toEqual({ status: 1, stderr: `a4b-rooms: ${line}\n`, stdout: '' });
}

describe('a4b-rooms misuse', () => {
  const NO_STATE = (dir: string, missing = false) => `no local state in ${dir}${missing ? ' (no such directory)' : ''}; give the --state directory of a local deploy or local serve (default .a4b-local)`;

  test('drift --local and import --local on a directory without local state: no emulator started, nothing reported missing or written', () => {
    const empty = tempDir();
    const out = path.join(tempDir(), 'rooms.yaml');
    refused(['drift', 'examples/rooms.yaml', '--local', '--state', empty], NO_STATE(empty));
    refused(['import', '--local', '--state', empty, '-o', out], NO_STATE(empty));
    expect(fs.readdirSync(empty)).toEqual([]);
    expect(fs.existsSync(out)).toBe(false);
    const missing = path.join(empty, 'typo');
    // With --json, the same line and a document with status error on stdout, for a pipeline that posts it.
    const json = cli(['drift', 'examples/rooms.yaml', '--local', '--state', missing, '--json']);
    expect({ status: json.status, stderr: json.stderr }).toEqual({ status: 1, stderr: `a4b-rooms: ${NO_STATE(missing, true)}\n` });
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'error', errors: [NO_STATE(missing, true)] });
    refused(['import', '--local', '--state', missing], NO_STATE(missing, true));
    expect(fs.existsSync(missing)).toBe(false);
  });

  test('--state without --local is refused: the command would read real AWS and Microsoft 365, not that state', () => {
    const state = tempDir();
    const fix = (command: string) => `${command} --state ${state}: --state is the local emulators' state directory; add --local to read them `
      + '(without --local the command reads A4B and Microsoft 365)';
    refused(['drift', 'examples/rooms.yaml', '--state', state], fix('drift'));
    refused(['check', 'examples/rooms.yaml', '--state', state], fix('check'));
    refused(['test-booking', 'examples/rooms.yaml', '--state', state], fix('test-booking'));
    refused(['import', '--state', state], fix('import'));
    const json = cli(['drift', 'examples/rooms.yaml', '--state', state, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'error', errors: [fix('drift')] });
    expect(fs.readdirSync(state)).toEqual([]);
  });

  test('--state that is a file', () => {
    const file = path.join(tempDir(), 'state');
    fs.writeFileSync(file, 'not a directory');
    refused(['drift', 'examples/rooms.yaml', '--local', '--state', file], `--state ${file} is a file, not a directory; give the state directory that local deploy or local serve wrote`);
    refused(['import', '--local', '--state', file], `--state ${file} is a file, not a directory; give the state directory that local deploy or local serve wrote`);
    refused(['local', 'serve', '--state', file], `--state ${file}: it is a file, not a directory; give a directory for the emulators' state (it is created when missing)`);
    refused(['local', 'deploy', 'examples/rooms.yaml', '--state', file], `--state ${file}: it is a file, not a directory; give a directory for the emulators' state (it is created when missing)`);
    refused(['local', 'deploy', 'examples/rooms.yaml', '--state', path.join(file, 'sub')], `--state ${path.join(file, 'sub')}: ${file} is a file, not a directory; give a directory for the emulators' state (it is created when missing)`);
    expect(fs.readFileSync(file, 'utf8')).toBe('not a directory');
  });

  describe('import -o', () => {
    let state: string;
    beforeAll(async () => {
      // A state directory an emulator has run in, with one room: what a local deploy leaves.
      state = tempDir();
      const a4b = await A4bEmulator.start({ stateDir: state });
      const { ProfileArn } = a4b.call('CreateProfile', { ProfileName: 'Std', Address: '1 Main St', Timezone: 'UTC', DistanceUnit: 'METRIC', TemperatureUnit: 'CELSIUS', WakeWord: 'ALEXA' });
      a4b.call('CreateRoom', { RoomName: 'Spree', ProfileArn, ProviderCalendarId: 'spree@contoso.com' });
      await a4b.stop();
    });

    test('an output that cannot be written is refused in one line, nothing created', () => {
      const dir = tempDir();
      refused(['import', '--local', '--state', state, '-o', path.join(dir, 'missing', 'rooms.yaml')], `cannot write ${path.join(dir, 'missing', 'rooms.yaml')}: its directory ${path.join(dir, 'missing')} does not exist`);
      refused(['import', '--local', '--state', state, '-o', dir], `cannot write ${dir}: it is a directory; give a file name, e.g. ${path.join(dir, 'rooms.yaml')}`);
      fs.writeFileSync(path.join(dir, 'file'), 'x');
      refused(['import', '--local', '--state', state, '-o', path.join(dir, 'file', 'rooms.yaml')], `cannot write ${path.join(dir, 'file', 'rooms.yaml')}: ${path.join(dir, 'file')} is a file, not a directory`);
      expect(fs.readdirSync(dir)).toEqual(['file']);
    });

    test('--html to a path that cannot be written: refused in one line before anything is read, for drift, check and test-booking', () => {
      const dir = tempDir();
      for (const [command, example] of [['drift', 'drift.html'], ['check', 'check.html'], ['test-booking', 'test-booking.html']]) {
        refused([command, 'examples/rooms.yaml', '--local', '--state', state, '--html', path.join(dir, 'missing', 'r.html')],
          `cannot write ${path.join(dir, 'missing', 'r.html')}: its directory ${path.join(dir, 'missing')} does not exist`);
        refused([command, 'examples/rooms.yaml', '--local', '--state', state, '--html', dir], `cannot write ${dir}: it is a directory; give a file name, e.g. ${path.join(dir, example)}`);
      }
      expect(fs.readdirSync(dir)).toEqual([]);
    });

    test('replaces the output whole, leaves no temporary file, and writes an inventory that validates', () => {
      const dir = tempDir();
      const out = path.join(dir, 'rooms.yaml');
      fs.writeFileSync(out, 'the previous inventory\n'.repeat(1000));
      const res = cli(['import', '--local', '--state', state, '-o', out]);
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      // What it wrote, counts in the right number (one room, one profile, no skill group).
      expect(res.stdout).toBe(`wrote 1 room, 1 profile, 0 skill groups to ${out}\n`);
      expect(fs.readdirSync(dir)).toEqual(['rooms.yaml']);
      const text = fs.readFileSync(out, 'utf8');
      expect(text).not.toContain('the previous inventory');
      expect(text).toContain('name: Spree');
      expect(cli(['validate', out]).status).toBe(0);
    });
  });

  test('validate and local deploy refuse an empty inventory and one with rooms twice; nothing is deployed', () => {
    const dir = tempDir();
    const empty = path.join(dir, 'rooms.yaml');
    fs.writeFileSync(empty, '# all rooms moved to rooms-2027.yaml\n');
    const twice = path.join(dir, 'rooms.json');
    fs.writeFileSync(twice, '{\n  "profiles": [{ "name": "Std", "address": "a", "timezone": "UTC" }],\n  "rooms": [{ "name": "A", "profile": "Std" }],\n  "rooms": []\n}\n');
    const v1 = cli(['validate', empty]);
    expect([v1.status, v1.stderr]).toEqual([1, `${empty}:1:1: the file holds no inventory (it is empty or only comments): write \`rooms: []\` to declare no rooms\n\n1 problem in ${empty}\n`]);
    const v2 = cli(['validate', twice]);
    expect(v2.status).toBe(1);
    expect(v2.stderr.split('\n')[0]).toBe(`${twice}:4:3: duplicate key 'rooms': a mapping may hold each key once (of two, one would silently replace the other); merge them or remove one`);
    const state = path.join(dir, 'state');
    for (const file of [empty, twice]) {
      const res = cli(['local', 'deploy', file, '--state', state]);
      expect(res.status).toBe(1);
      expect(res.stderr).toContain(`a4b-rooms: 1 problem in ${file}; nothing was deployed:\n${file}:`);
    }
    expect(fs.existsSync(state)).toBe(false);
  });

  test('a malformed --tenant file names the file and the place, before anything starts', () => {
    const dir = tempDir();
    const tenant = path.join(dir, 'tenant.yaml');
    fs.writeFileSync(tenant, 'tenantId: contoso.onmicrosoft.com\napps:\n  - { clientId: c1, clientSecret: s1, roles: Place.Read.All }\n');
    const state = path.join(dir, 'state');
    for (const args of [['local', 'serve', '--state', state, '--tenant', tenant], ['local', 'deploy', 'examples/rooms.yaml', '--state', state, '--tenant', tenant]]) {
      const res = cli(args);
      expect([res.status, res.stderr]).toEqual([1, `a4b-rooms: 1 problem in tenant file ${tenant}:\n${tenant}:3:46: apps[0].roles must be a list of strings\n`]);
    }
    expect(fs.existsSync(state)).toBe(false);
  });

  test('local deploy refuses two sources at once, naming both, before anything is touched', () => {
    const dir = tempDir();
    const state = path.join(dir, 'state');
    const assembly = path.join(dir, 'cdk.out');
    fs.mkdirSync(assembly);
    const ALONE = 'give the inventory file, --app or --assembly alone';
    refused(['local', 'deploy', 'examples/rooms.yaml', '--assembly', assembly, '--state', state],
      `local deploy takes one source, not inventory examples/rooms.yaml and --assembly ${assembly}: ${ALONE}`);
    refused(['local', 'deploy', '--app', 'node app.js', '--assembly', assembly, '--state', state],
      `local deploy takes one source, not --app node app.js and --assembly ${assembly}: ${ALONE}`);
    refused(['local', 'deploy', 'examples/rooms.yaml', '--app', 'node app.js', '--assembly', assembly, '--state', state],
      `local deploy takes one source, not inventory examples/rooms.yaml and --app node app.js and --assembly ${assembly}: ${ALONE}`);
    expect(fs.readdirSync(dir)).toEqual(['cdk.out']);
    expect(fs.readdirSync(assembly)).toEqual([]);
  });

  test('--state that is the working directory, a parent of it, the root or empty is refused by every command that takes it', () => {
    // The working directory holds a cdk.out that local deploy would have replaced with its own.
    const work = path.join(tempDir(), 'project');
    fs.mkdirSync(path.join(work, 'cdk.out'), { recursive: true });
    fs.writeFileSync(path.join(work, 'cdk.out', 'manifest.json'), '{}');
    fs.writeFileSync(path.join(work, 'rooms.yaml'), fs.readFileSync(path.join(ROOT, 'examples', 'rooms.yaml')));
    const REST = "where the emulators' state and local deploy's cdk.out would go (replacing ./cdk.out); give a directory of its own, such as the default .a4b-local";
    const states: Array<[string, string]> = [
      ['', "--state '': an empty path is the working directory"],
      ['.', '--state .: that is the working directory'],
      [work, `--state ${work}: that is the working directory`],
      ['./', '--state ./: that is the working directory'],
      ['..', '--state ..: that is a parent of the working directory'],
      ['/', '--state /: that is the root directory'],
    ];
    const commands = [
      ['drift', 'rooms.yaml', '--local'], ['check', 'rooms.yaml', '--local'], ['test-booking', 'rooms.yaml', '--local'], ['import', '--local'],
      ['local', 'serve'], ['local', 'deploy', 'rooms.yaml'], ['local', 'deploy', '--assembly', 'cdk.out'],
    ];
    // Every form with one command, every command with one form (one helper checks them all).
    for (const [state, says] of states) refused(['local', 'deploy', 'rooms.yaml', '--state', state], `${says}, ${REST}`, work);
    commands.forEach((command, i) => {
      const [state, says] = states[i % states.length];
      refused([...command, '--state', state], `${says}, ${REST}`, work);
    });
    expect(fs.readdirSync(work).sort()).toEqual(['cdk.out', 'rooms.yaml']);
    expect(fs.readdirSync(path.join(work, 'cdk.out'))).toEqual(['manifest.json']);
  });

  test('validate: a device in two rooms, .nan and .inf, and a second YAML document, each at FILE:LINE:COL (the device at both places)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'rooms.yaml');
    const device = 'arn:aws:a4b:us-east-1:123456789012:device/echo/1';
    fs.writeFileSync(file, [
      'profiles:',
      '  - name: Std',
      '    address: 1 Main St',
      '    timezone: UTC',
      '    maxVolume: .nan',
      '    meetingRoom: { requireCheckIn: { releaseAfterMinutes: -.inf } }',
      'rooms:',
      '  - name: Spree',
      '    profile: Std',
      `    devices: [${device}]`,
      '  - name: Havel',
      '    profile: Std',
      '    devices:',
      `      - ${device}`,
      '',
    ].join('\n'));
    const res = cli(['validate', file]);
    expect([res.status, res.stdout]).toEqual([1, '']);
    expect(res.stderr.split('\n')).toEqual([
      `${file}:5:16: profile 'Std': maxVolume: .nan is not a number A4B accepts: give a whole number from 0 to 10`,
      `${file}:6:59: profile 'Std': meetingRoom.requireCheckIn.releaseAfterMinutes: -.inf is not a number A4B accepts: give a whole number from 5 to 20`,
      `${file}:14:9: room 'Havel': devices '${device}' is also a device of room 'Spree' (rooms[0], ${file}:10:15): a device is in one room at a time; remove it from one of them`,
      '',
      `3 problems in ${file}`,
      '',
    ]);

    const two = path.join(dir, 'two.yaml');
    fs.writeFileSync(two, 'profiles: []\nrooms: []\n---\nrooms: []\n');
    const res2 = cli(['validate', two]);
    expect([res2.status, res2.stderr]).toEqual([1, `${two}:3:1: a second YAML document starts here (---): an inventory is one document; merge the two or split them into two files\n\n1 problem in ${two}\n`]);
    // Tenant files are read the same way, and say what they are.
    const tenant = path.join(dir, 'tenant.yaml');
    fs.writeFileSync(tenant, 'tenantId: contoso.onmicrosoft.com\n---\ntenantId: fabrikam.onmicrosoft.com\n');
    const res3 = cli(['local', 'serve', '--state', path.join(dir, 'state'), '--tenant', tenant]);
    expect([res3.status, res3.stderr]).toEqual([1, `a4b-rooms: 1 problem in tenant file ${tenant}:\n${tenant}:2:1: a second YAML document starts here (---): a tenant file is one document; merge the two or split them into two files\n`]);
    expect(fs.existsSync(path.join(dir, 'state'))).toBe(false);
  });
});
