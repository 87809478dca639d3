// The bench is run by hand (npm run bench), not by CI: this keeps it from pointing at modules that have moved, or at
// exports that are gone, which only a ten-minute run would otherwise show.
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');

describe('bench', () => {
  const scripts = fs.readdirSync(path.join(root, 'bench')).filter((f) => f.endsWith('.js'));
  const uses = scripts.flatMap((script) => {
    const text = fs.readFileSync(path.join(root, 'bench', script), 'utf8');
    return [...text.matchAll(/const \{ ([^}]+) \} = require\(path\.join\(root, ((?:'[^']+', )*'[^']+')\)\)/g)]
      .map((m) => ({ script, names: m[1].split(',').map((n) => n.trim()), file: path.join(root, ...m[2].split(', ').map((s) => s.slice(1, -1))) }));
  });

  test('finds the modules it uses', () => {
    expect(uses.length).toBeGreaterThanOrEqual(5);
  });

  test.each(uses.map((u) => [u.script, path.relative(root, u.file), u.names]))('%s: %s exports %p', (_script, file, names) => {
    const mod = require(path.join(root, file as string));
    for (const name of names as string[]) expect(typeof mod[name]).toBe('function');
  });
});
