// The packaged app (bin/app.js, what cdk.json and `a4b-rooms local deploy FILE` run): the rooms of the inventory the
// context names, else of ./rooms.yaml, never a default one.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './helpers';

const ROOT = path.join(__dirname, '..');
const EXAMPLE = path.join(ROOT, 'examples', 'rooms.yaml');

function synth(cwd: string, context?: Record<string, string>) {
  const outdir = tempDir('a4b-app-out-');
  const res = spawnSync('node', [path.join(ROOT, 'bin', 'app.js')], {
    cwd, encoding: 'utf8',
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ driftMonitor: 'false', ...context }) },
  });
  const file = path.join(outdir, 'A4BRooms.template.json');
  return { ...res, description: fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).Description : undefined };
}

describe('bin/app.js', () => {
  test('without -c inventory and no rooms.yaml here, exit 1 naming the command that gives one; nothing synthesized', () => {
    const cwd = tempDir();
    const res = synth(cwd);
    expect(res.status).toBe(1);
    expect(res.stderr).toBe(`no inventory: give one with \`npx cdk synth -c inventory=FILE\` (\`a4b-rooms local deploy FILE\`), or put rooms.yaml in ${cwd}\n`);
    expect(res.description).toBeUndefined();
  });

  test('rooms.yaml in the working directory is the inventory when the context names none', () => {
    const cwd = tempDir();
    fs.copyFileSync(EXAMPLE, path.join(cwd, 'rooms.yaml'));
    const res = synth(cwd);
    expect([res.status, res.stderr]).toEqual([0, '']);
    expect(res.description).toBe('cdk-a4b-rooms: Alexa for Business rooms of rooms.yaml');
  });

  test('-c inventory=FILE wins over ./rooms.yaml', () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'rooms.yaml'), 'not: an inventory\n');
    fs.copyFileSync(EXAMPLE, path.join(cwd, 'berlin.yaml'));
    const res = synth(cwd, { inventory: 'berlin.yaml' });
    expect([res.status, res.stderr]).toEqual([0, '']);
    expect(res.description).toBe('cdk-a4b-rooms: Alexa for Business rooms of berlin.yaml');
  });
});
