#!/usr/bin/env node
// Mutation testing of the lines that changed: the modules of stryker.config.json's `mutate`, only the lines added or
// changed since a base commit (default HEAD~1: in CI, what the newest landing changed), through Stryker's mutation
// ranges (`--mutate file:start-end`). A whole run is over an hour; the lines of one change take a minute or two.
// The run fails under the configuration's break threshold like `npm run mutation`.
//   node scripts/mutation-changed.js [BASE]     (or MUTATION_BASE=...)
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

/**
 * The new-side line ranges of a `git diff --unified=0` output, per file.
 * A hunk whose header reads `-a,b +c,d` changed lines c..c+d-1 (d defaults to 1); d = 0 is a pure deletion, which leaves no line
 * to mutate.
 */
function changedRanges(diff) {
  const ranges = new Map();
  let file;
  for (const line of diff.split('\n')) {
    const target = /^\+\+\+ (?:b\/(.*)|\/dev\/null)$/.exec(line);
    if (target) {
      file = target[1];
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk && file) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      if (count === 0) continue;
      const list = ranges.get(file) ?? [];
      list.push([start, start + count - 1]);
      ranges.set(file, list);
    }
  }
  return ranges;
}

/** Stryker's `--mutate` list for those ranges: `file:start-end` each. */
function mutateArgument(ranges) {
  return [...ranges].flatMap(([file, list]) => list.map(([s, e]) => `${file}:${s}-${e}`)).join(',');
}

/** stryker.config.json's `mutate` globs as git pathspecs (`!x` excludes). */
function pathspecs(mutate) {
  return mutate.map((g) => (g.startsWith('!') ? `:(exclude,glob)${g.slice(1)}` : `:(glob)${g}`));
}

/** git's arguments for the diff of the mutated modules since `base`: new and changed files, a rename as a new file. */
function diffArguments(base, mutate) {
  return ['diff', '--unified=0', '--no-color', '--no-ext-diff', '--no-renames', '--diff-filter=AM', base, '--', ...pathspecs(mutate)];
}

function main() {
  const root = path.join(__dirname, '..');
  const base = process.argv[2] ?? process.env.MUTATION_BASE ?? 'HEAD~1';
  const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
  try {
    git('rev-parse', '--verify', '--quiet', `${base}^{commit}`);
  } catch {
    console.log(`mutation of changed lines: skipped, no commit ${base} here (a shallow clone?)`);
    return 0;
  }
  const config = JSON.parse(fs.readFileSync(path.join(root, 'stryker.config.json'), 'utf8'));
  const ranges = changedRanges(git(...diffArguments(base, config.mutate)));
  if (ranges.size === 0) {
    console.log(`mutation of changed lines: no line of a mutation-tested module changed since ${base}`);
    return 0;
  }
  const mutate = mutateArgument(ranges);
  console.log(`mutation of changed lines since ${base}: ${mutate.split(',').join(' ')}`);
  // Every mutant of the ranges runs (--force), and the developer's incremental cache is left alone.
  const cache = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'a4b-mutation-')), 'incremental.json');
  const run = spawnSync('npx', ['stryker', 'run', '--mutate', mutate, '--force', '--incrementalFile', cache, '--reporters', 'clear-text,progress'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, A4B_PROPERTY_CASES: process.env.A4B_PROPERTY_CASES ?? '0.1' },
  });
  fs.rmSync(path.dirname(cache), { recursive: true, force: true });
  return run.status ?? 1;
}

module.exports = { changedRanges, diffArguments, mutateArgument, pathspecs };
if (require.main === module) process.exitCode = main();
