// scripts/mutation-changed.js (CI's mutation run over the lines a landing changed) reads `git diff --unified=0`:
// driven here by real git, so a change in what it reads from git's hunks shows.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './helpers';
const { changedRanges, diffArguments, mutateArgument, pathspecs } = require('../scripts/mutation-changed.js');

function repo(): (...args: string[]) => string {
  const dir = tempDir('a4b-git-');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });
  git('init', '-q');
  const write = (file: string, lines: string[]) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), lines.join('\n') + '\n');
  };
  write('lib/inventory/a.ts', ['1', '2', '3', '4', '5', '6', '7', '8']);
  write('lib/inventory/gone.ts', ['x']);
  write('lib/inventory/moved.ts', ['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
  write('lib/other.ts', ['1']);
  git('add', '.');
  git('commit', '-qm', 'base');
  // line 2 changed, 4-5 deleted, two lines added after 7 (new lines 6-7 of 8), a new file, a deleted file, a file
  // outside, a file renamed unchanged (git would see a rename: its lines are new to the mutated set all the same).
  write('lib/inventory/a.ts', ['1', 'two', '3', '6', '7', 'seven-a', 'seven-b', '8']);
  write('lib/inventory/b.ts', ['a', 'b', 'c']);
  write('lib/inventory/b.d.ts', ['declare const x: 1;']);
  fs.rmSync(path.join(dir, 'lib/inventory/gone.ts'));
  write('lib/other.ts', ['one']);
  fs.renameSync(path.join(dir, 'lib/inventory/moved.ts'), path.join(dir, 'lib/inventory/renamed.ts'));
  git('add', '-A');
  git('commit', '-qm', 'change');
  return git;
}

test('the ranges are the new lines of each changed module in the mutated set: pure deletions and deleted files give none', () => {
  const git = repo();
  expect(pathspecs(['lib/inventory/**/*.ts', '!lib/**/*.d.ts'])).toEqual([':(glob)lib/inventory/**/*.ts', ':(exclude,glob)lib/**/*.d.ts']);
  const diff = git(...diffArguments('HEAD~1', ['lib/inventory/**/*.ts', '!lib/**/*.d.ts']));
  const ranges = changedRanges(diff);
  expect([...ranges]).toEqual([
    ['lib/inventory/a.ts', [[2, 2], [6, 7]]],
    ['lib/inventory/b.ts', [[1, 3]]],
    ['lib/inventory/renamed.ts', [[1, 6]]],
  ]);
  expect(mutateArgument(ranges)).toBe('lib/inventory/a.ts:2-2,lib/inventory/a.ts:6-7,lib/inventory/b.ts:1-3,lib/inventory/renamed.ts:1-6');
});

test('no change in the mutated set: no range', () => {
  const git = repo();
  expect(changedRanges(git(...diffArguments('HEAD', ['lib/inventory/**/*.ts'])))).toEqual(new Map());
});
