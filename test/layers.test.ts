import * as fs from 'fs';
import * as path from 'path';

// Layers run one way: constructs and the shared contract at the bottom, handlers as thin entry points over shared
// clients and checks, the CLI on top. Read from the sources' relative imports, folder by folder under lib/.
const root = path.join(__dirname, '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** The folder under lib/ a path is in ('lib' for lib/*.ts, 'bin' outside lib/). */
function folderOf(file: string): string {
  const rel = path.relative(path.join(root, 'lib'), file);
  if (rel.startsWith('..')) return 'bin';
  const parts = rel.split(path.sep);
  if (parts.length === 1) return fs.existsSync(file) && fs.statSync(file).isDirectory() ? parts[0] : 'lib';
  return parts[0];
}

/** Folder -> the folders its files import (relative imports and requires). */
function folderImports(files: string[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/(?:from|require\()\s*'(\.{1,2}\/[^']*|\.{1,2})'/g)) {
      const from = folderOf(file);
      const to = folderOf(path.resolve(path.dirname(file), m[1]));
      if (from === to) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** A cycle of folders, if the graph has one. */
function folderCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, trail: string[]): string[] | undefined => {
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...trail.slice(trail.indexOf(next)), node, next];
      if (!state.has(next)) {
        const found = visit(next, [...trail, node]);
        if (found) return found;
      }
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    if (state.has(node)) continue;
    const found = visit(node, []);
    if (found) return found;
  }
  return undefined;
}

describe('layers', () => {
  const graph = folderImports([...sources(path.join(root, 'lib')), ...sources(path.join(root, 'bin'))]);

  test('no folder imports a folder that imports it back, directly or around a cycle', () => {
    expect(graph.size).toBeGreaterThan(5);
    expect(folderCycle(graph)).toBeUndefined();
  });

  test('shared folders import nothing above them: not the CLI, the local emulators, the handlers or bin', () => {
    for (const shared of ['contract', 'constraints', 'inventory', 'o365', 'runtime', 'drift']) {
      const above = [...(graph.get(shared) ?? [])].filter((f) => ['cli', 'local', 'handlers', 'bin'].includes(f));
      expect({ shared, above }).toEqual({ shared, above: [] });
    }
    // The handlers ship to Lambda: nothing of the CLI side.
    expect([...(graph.get('handlers') ?? [])].filter((f) => ['cli', 'local'].includes(f))).toEqual([]);
  });

  test.each<[string, Record<string, string[]>, string[] | undefined]>([
    ['a chain', { a: ['b'], b: ['c'] }, undefined],
    ['two folders importing each other', { a: ['b'], b: ['a'] }, ['a', 'b', 'a']],
    ['a cycle of three', { a: ['b'], b: ['c'], c: ['a'] }, ['a', 'b', 'c', 'a']],
    ['a diamond', { a: ['b', 'c'], b: ['d'], c: ['d'] }, undefined],
  ])('folderCycle: %s', (_name, edges, expected) => {
    const graph = new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));
    expect(folderCycle(graph)).toEqual(expected);
  });
});
