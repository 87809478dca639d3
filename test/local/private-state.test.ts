// The state directory holds the Graph emulator's TLS key, the tenant's client secrets and the deploy's state: the
// compiled CLI, run with umask 000 (what would make every file world-writable), must still leave the directory and
// everything in it 0700/0600, and make a key that an older version left readable private again.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makePrivate, openPrivate, privateDir, writePrivate } from '../../lib/local/private-files';
import { scaled, tempDir } from '../helpers';

jest.setTimeout(scaled(120_000));

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'a4b-rooms.js');

/** The CLI under umask 000. */
function cliUnmasked(args: string[]) {
  return spawnSync('sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
}

/** Every path under `dir` (itself included) whose mode is not 0700 (directories) or 0600 (files), with its mode. */
function notPrivate(dir: string): string[] {
  const out: string[] = [];
  const visit = (p: string) => {
    const stat = fs.lstatSync(p);
    const mode = stat.mode & 0o777;
    if (stat.isDirectory()) {
      if (mode !== 0o700) out.push(`${path.relative(dir, p) || '.'} ${mode.toString(8)}`);
      for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    } else if (mode !== 0o600) out.push(`${path.relative(dir, p)} ${mode.toString(8)}`);
  };
  visit(dir);
  return out;
}

describe('private state', () => {
  test('the helpers set 0700/0600 under umask 0, also on a file that existed with another mode', () => {
    const old = process.umask(0);
    try {
      const dir = path.join(tempDir(), 'state');
      privateDir(dir);
      writePrivate(path.join(dir, 'a.json'), '{}');
      fs.writeFileSync(path.join(dir, 'b.log'), '', { mode: 0o666 });
      fs.closeSync(openPrivate(path.join(dir, 'b.log'), 'a'));
      fs.writeFileSync(path.join(dir, 'c.pem'), 'key', { mode: 0o644 });
      expect(notPrivate(dir)).toEqual(['c.pem 644']);
      expect([makePrivate(path.join(dir, 'c.pem')), makePrivate(path.join(dir, 'c.pem'))]).toEqual([true, false]);
      expect(notPrivate(dir)).toEqual([]);
    } finally {
      process.umask(old);
    }
  });

  test('local deploy under umask 000: the state directory and every file in it are private; a readable TLS key is fixed with a notice', () => {
    const state = path.join(tempDir(), 'state');
    const first = cliUnmasked(['local', 'deploy', 'examples/rooms.yaml', '--state', state]);
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    expect(fs.readdirSync(state)).toEqual(expect.arrayContaining(['a4b.json', 'graph-tls.key.pem', 'graph-tls.cert.pem', 'provider.log', 'stacks', 'cdk.out']));
    expect(notPrivate(state)).toEqual([]);

    const key = path.join(state, 'graph-tls.key.pem');
    fs.chmodSync(key, 0o644);
    const again = cliUnmasked(['local', 'deploy', 'examples/rooms.yaml', '--state', state]);
    expect(again.status).toBe(0);
    expect(again.stderr).toBe(`notice: ${key} could be read by other users; made it 0600\n`);
    expect(notPrivate(state)).toEqual([]);
  });
});
