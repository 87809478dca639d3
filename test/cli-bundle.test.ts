// The CLI as npm installs it: bin/a4b-rooms.js is an esbuild bundle (scripts/bundle-handlers.js) that runs with node's
// own modules alone (its clients are devDependencies, not installed beside the package) and finds the handler bundles
// through the package it sits in, wherever that is installed. scripts/pack-check.sh runs every command from the
// packed tarball; these run in `npm test`.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { A4B_PROVIDER_BUNDLE, CALENDAR_LINK_BUNDLE } from '../lib/local/local-lambda';
import { packageDirFrom } from '../lib/local/package-dir';
import { tempDir, waitFor } from './helpers';

const ROOT = path.join(__dirname, '..');

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value));
}

describe('packageDirFrom', () => {
  // An app with the package installed: the app's own package.json is passed over.
  const app = tempDir('a4b-package-dir-');
  const installed = path.join(app, 'node_modules', 'cdk-a4b-rooms');
  writeJson(path.join(app, 'package.json'), { name: 'my-rooms-app' });
  writeJson(path.join(installed, 'package.json'), { name: 'cdk-a4b-rooms' });
  for (const dir of ['bin', 'lib/local', 'src']) fs.mkdirSync(path.join(dir === 'src' ? app : installed, dir), { recursive: true });

  test.each([
    ['the checkout, from lib/local (compiled in place)', path.join(ROOT, 'lib', 'local'), ROOT],
    ['the checkout, from bin (the CLI bundle)', path.join(ROOT, 'bin'), ROOT],
    ['an installed package, from its bin', path.join(installed, 'bin'), installed],
    ['an installed package, from its lib/local', path.join(installed, 'lib', 'local'), installed],
    ['an installed package, from its own directory', installed, installed],
  ])('%s', (_, from, expected) => {
    expect(packageDirFrom(from)).toBe(expected);
  });

  test('outside the package (an app that has other packages only), a clear error', () => {
    const from = path.join(app, 'src');
    expect(() => packageDirFrom(from)).toThrow(`no cdk-a4b-rooms package.json at or above ${from}: the package's files are incomplete, reinstall it`);
  });

  test('the handler bundles local deploy runs are the package\'s assets', () => {
    expect([A4B_PROVIDER_BUNDLE, CALENDAR_LINK_BUNDLE]).toEqual([
      path.join(ROOT, 'assets', 'a4b-provider', 'index.js'), path.join(ROOT, 'assets', 'calendar-link-provider', 'index.js'),
    ]);
  });
});

describe('the CLI bundle, copied where no node_modules is above it', () => {
  const pkg = path.join(tempDir('a4b-cli-bundle-'), 'cdk-a4b-rooms');
  fs.mkdirSync(path.join(pkg, 'bin'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
  fs.copyFileSync(path.join(ROOT, 'bin', 'a4b-rooms.js'), path.join(pkg, 'bin', 'a4b-rooms.js'));
  const cli = (args: string[]) => spawnSync('node', [path.join(pkg, 'bin', 'a4b-rooms.js'), ...args], { cwd: pkg, encoding: 'utf8' });

  test('is a bundle: it requires no package, only node\'s modules', () => {
    const text = fs.readFileSync(path.join(pkg, 'bin', 'a4b-rooms.js'), 'utf8');
    const required = [...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((r) => !require('module').isBuiltin(r))).toEqual([]);
  });

  test('--help lists the commands', () => {
    const res = cli(['--help']);
    expect(res.status).toBe(0);
    for (const command of ['init', 'validate', 'drift', 'check', 'test-booking', 'import', 'local']) expect(res.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  test('--version and -V print the version of the package the bundle sits in', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8'));
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-V']) expect([cli([flag]).status, cli([flag]).stdout]).toEqual([0, `${version}\n`]);
  });

  test('validate: the example inventory is valid, a misspelt field is reported at its line (yaml and the schema check are inside)', () => {
    const good = path.join(pkg, 'rooms.yaml');
    fs.copyFileSync(path.join(ROOT, 'examples', 'rooms.yaml'), good);
    expect([cli(['validate', good]).status, cli(['validate', good]).stdout]).toEqual([0, `${good}: valid\n`]);
    const bad = path.join(pkg, 'bad.yaml');
    fs.writeFileSync(bad, 'rooms:\n  - name: Spree\n    mailBox: spree@contoso.com\n');
    const res = cli(['validate', bad]);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(`${bad}:3:5: room 'Spree': mailBox is not a field here: did you mean mailbox?`);
    expect(res.stderr).toContain(`\n2 problems in ${bad}\n`);

    // --json: the same problems as a document on stdout, nothing on stderr, the same exit codes.
    const json = cli(['validate', bad, '--json']);
    expect([json.status, json.stderr]).toEqual([1, '']);
    expect(JSON.parse(json.stdout)).toEqual({
      version: 1, status: 'invalid', file: bad, problems: [
        { file: bad, line: 2, column: 5, message: "room 'Spree': profile is required" },
        { file: bad, line: 3, column: 5, message: expect.stringMatching(/^room 'Spree': mailBox is not a field here: did you mean mailbox\?/) },
      ],
    });
    const valid = cli(['validate', good, '--json']);
    expect([valid.status, JSON.parse(valid.stdout)]).toEqual([0, { version: 1, status: 'valid', file: good, problems: [] }]);
    const one = path.join(pkg, 'one.yaml');
    fs.writeFileSync(one, 'rooms:\n  - { name: Spree, profile: P }\n');
    expect(cli(['validate', one]).stderr).toContain(`\n1 problem in ${one}\n`);
  });

  test('a failure is one line and exit 1, as from the compiled CLI: drift with no credentials, JSON with status error', () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: pkg, AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: 'nope' };
    fs.copyFileSync(path.join(ROOT, 'examples', 'rooms.yaml'), path.join(pkg, 'drift.yaml'));
    const res = spawnSync('node', [path.join(pkg, 'bin', 'a4b-rooms.js'), 'drift', 'drift.yaml', '--json'], { cwd: pkg, encoding: 'utf8', env });
    expect({ status: res.status, stderr: res.stderr }).toEqual({ status: 1, stderr: '' });
    const doc = JSON.parse(res.stdout);
    expect(doc.status).toBe('error');
    expect(doc.errors[0]).toContain('no AWS credentials for AWS_PROFILE=nope');
  });

  test('local serve starts the emulators (the TLS certificate is made inside) and stops on SIGINT', async () => {
    const state = path.join(pkg, 'state');
    const child = spawn('node', [path.join(pkg, 'bin', 'a4b-rooms.js'), 'local', 'serve', '--state', state], { cwd: pkg, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const file = path.join(state, 'endpoints.json');
    try {
      await waitFor(`${file} from local serve (stderr: ${stderr})`, () => fs.existsSync(file) || child.exitCode !== null);
      const endpoints = JSON.parse(fs.readFileSync(file, 'utf8'));
      expect((await fetch(`${endpoints.a4b}/_emulator/health`)).status).toBe(200);
      expect(fs.readFileSync(endpoints.ca, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe(`emulators running for ${state}; Ctrl-C stops them\n`);
  });
});
