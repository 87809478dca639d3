// `a4b-rooms init`, run as a user runs it (the built CLI in a child process). The generated app is type-checked and
// run against this checkout, linked into its node_modules as npm link would; installing the packed tarball and
// `npx cdk synth` through ts-node is scripts/pack-check.sh's job.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { inventoryYaml } from '../lib/cli/import';
import { scaled, tempDir } from './helpers';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'a4b-rooms.js');
const OWN = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const semver = require('semver') as { satisfies(version: string, range: string): boolean };

function cli(args: string[], cwd = ROOT) {
  return spawnSync('node', [CLI, ...args], { cwd, encoding: 'utf8' });
}

/** What `npm install` would put in the project's node_modules, linked from this checkout. */
function linkModules(dir: string): void {
  fs.mkdirSync(path.join(dir, 'node_modules', '@types'), { recursive: true });
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'cdk-a4b-rooms'));
  for (const m of ['aws-cdk-lib', 'constructs', '@types/node']) fs.symlinkSync(path.join(ROOT, 'node_modules', m), path.join(dir, 'node_modules', m));
}

/** The room names of every template a synth wrote. */
function synthesizedRooms(outdir: string): string[] {
  return fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).flatMap((f) => {
    const template = JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8'));
    return Object.values(template.Resources ?? {}).filter((r: any) => r.Type === 'Custom::A4BRoom').map((r: any) => r.Properties.RoomName);
  }).sort();
}

describe('a4b-rooms init', () => {
  test('writes a TypeScript CDK app that type-checks and synthesizes the starter rooms.yaml, which validates', () => {
    const dir = path.join(tempDir(), 'Our Rooms');
    const res = cli(['init', dir]);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const files = ['package.json', 'cdk.json', 'bin/app.ts', 'rooms.yaml', '.gitignore', 'README.md', 'tsconfig.json'];
    expect(res.stdout.split('\n').filter((l) => l.startsWith('wrote '))).toEqual(files.map((f) => `wrote ${path.join(dir, f)}`));
    expect(res.stdout).toContain(`\nNext:\n  cd "${dir}"\n  npm install\n`);
    expect(res.stdout).toContain('  npx cdk synth\n  npx a4b-rooms local deploy rooms.yaml\n  npx a4b-rooms drift rooms.yaml --local\n');
    expect(fs.readdirSync(dir).sort()).toEqual(['.gitignore', 'README.md', 'bin', 'cdk.json', 'package.json', 'rooms.yaml', 'tsconfig.json']);

    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('our-rooms');
    expect(pkg.dependencies).toEqual({
      'cdk-a4b-rooms': OWN.version, 'aws-cdk-lib': OWN.devDependencies['aws-cdk-lib'], 'constructs': OWN.devDependencies.constructs,
    });
    // The pinned versions are the ones this package is tested with, and its peerDependencies accept them.
    for (const peer of ['aws-cdk-lib', 'constructs']) expect(semver.satisfies(pkg.dependencies[peer], OWN.peerDependencies[peer])).toBe(true);
    expect(pkg.devDependencies).toMatchObject({ 'aws-cdk': OWN.devDependencies['aws-cdk'], 'typescript': '~5.9.3', 'ts-node': expect.any(String) });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'cdk.json'), 'utf8')).app).toBe('npx ts-node --prefer-ts-exts bin/app.ts');
    expect(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['node_modules/', 'cdk.out/', '.a4b-local/']));
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    for (const command of ['npm install', 'npx cdk synth', 'npx a4b-rooms local deploy rooms.yaml', 'npx a4b-rooms drift rooms.yaml --local']) expect(readme).toContain(command);
    expect(readme).toContain('TypeScript 7 breaks ts-node');
    expect(readme).toContain('node_modules/cdk-a4b-rooms/README.md');

    const validate = cli(['validate', 'rooms.yaml'], dir);
    expect(validate.stdout).toBe('rooms.yaml: valid\n');
    expect(validate.status).toBe(0);

    // Type-checked with the project's own tsconfig (strict), then run as ts-node would, from the project folder.
    linkModules(dir);
    const tsc = spawnSync('node', [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--noEmit', 'false', '--outDir', 'out'], { cwd: dir, encoding: 'utf8' });
    expect(tsc.stdout).toBe('');
    expect(tsc.status).toBe(0);
    const outdir = path.join(dir, 'cdk.out');
    const synth = spawnSync('node', ['out/app.js'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CDK_OUTDIR: outdir } });
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    expect(fs.existsSync(path.join(outdir, 'A4BRooms.template.json'))).toBe(true);
    expect(synthesizedRooms(outdir)).toEqual(['Room 1.01', 'Room 1.02']);
  }, scaled(180_000));

  test('--language javascript writes app.js, which synthesizes; no tsconfig and no TypeScript', () => {
    const dir = path.join(tempDir(), 'rooms');
    const res = cli(['init', dir, '--language', 'javascript']);
    expect(res.status).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['.gitignore', 'README.md', 'app.js', 'cdk.json', 'package.json', 'rooms.yaml']);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'cdk.json'), 'utf8')).app).toBe('node app.js');
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.devDependencies)).toEqual(['aws-cdk']);
    linkModules(dir);
    const outdir = path.join(dir, 'cdk.out');
    const synth = spawnSync('node', ['app.js'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CDK_OUTDIR: outdir } });
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    expect(synthesizedRooms(outdir)).toEqual(['Room 1.01', 'Room 1.02']);

    const unknown = cli(['init', path.join(tempDir(), 'x'), '--language', 'python']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("option '--language <language>' argument 'python' is invalid. Allowed choices are typescript, javascript.");
  });

  test('refuses a folder with files in it, naming them; --force writes the project over them and leaves the others', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'keep me');
    fs.writeFileSync(path.join(dir, 'rooms.yaml'), 'rooms: []\n');
    fs.mkdirSync(path.join(dir, '.git'));
    const refused = cli(['init', dir]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(`a4b-rooms: ${dir} is not empty (notes.txt, rooms.yaml): give a new or empty directory, or --force to write the project's files over these\n`);
    expect(refused.stdout).toBe('');
    expect(fs.readdirSync(dir).sort()).toEqual(['.git', 'notes.txt', 'rooms.yaml']);

    // Only .git there: the folder counts as empty (git init first is common).
    const gitOnly = tempDir();
    fs.mkdirSync(path.join(gitOnly, '.git'));
    expect(cli(['init', gitOnly]).status).toBe(0);

    const forced = cli(['init', dir, '--force']);
    expect(forced.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(fs.readFileSync(path.join(dir, 'rooms.yaml'), 'utf8')).toContain('name: Room 1.01');
    expect(fs.existsSync(path.join(dir, 'bin', 'app.ts'))).toBe(true);

    const file = path.join(tempDir(), 'taken');
    fs.writeFileSync(file, '');
    const onFile = cli(['init', file]);
    expect(onFile.status).toBe(1);
    expect(onFile.stderr).toBe(`a4b-rooms: ${file} is a file, not a directory: give a new or empty directory for the project\n`);
  });

  test('--from-import copies a valid import file to rooms.yaml as it is; an invalid one is refused with its problems, nothing written', () => {
    const work = tempDir();
    const imported = path.join(work, 'imported.yaml');
    // What `a4b-rooms import -o` writes (its own function), with the calendar link the author adds after importing.
    fs.writeFileSync(imported, inventoryYaml({
      calendarLink: { tenantId: 'fabrikam.onmicrosoft.com', method: 'delegate', serviceAccount: 'a4b@fabrikam.onmicrosoft.com', credentialsSecret: 'graph' },
      profiles: [{ name: 'Lobby', address: '1 Way', timezone: 'UTC', adoptExisting: true }],
      rooms: [{ name: 'Atrium', mailbox: 'atrium@fabrikam.onmicrosoft.com', profile: 'Lobby', adoptExisting: true }],
    } as any));
    const dir = path.join(work, 'app');
    const res = cli(['init', dir, '--from-import', imported]);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'rooms.yaml'), 'utf8')).toBe(fs.readFileSync(imported, 'utf8'));

    const bad = path.join(work, 'bad.yaml');
    fs.writeFileSync(bad, 'profiles:\n  - { name: Lobby, address: 1 Way, timezone: UTC }\nrooms:\n  - name: Atrium\n    profile: Lobby\n    mailBox: atrium@fabrikam.onmicrosoft.com\n');
    const target = path.join(work, 'refused');
    const refused = cli(['init', target, '--from-import', bad]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`a4b-rooms: --from-import ${bad}: `);
    expect(refused.stderr).toContain(`1 problem; fix them (a4b-rooms validate ${bad}), nothing was written:\n${bad}:6:5: room 'Atrium': mailBox is not a field here: did you mean mailbox?`);
    expect(fs.existsSync(target)).toBe(false);

    const missing = cli(['init', target, '--from-import', path.join(work, 'nope.yaml')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('nope.yaml');
    expect(fs.existsSync(target)).toBe(false);
  });
});
