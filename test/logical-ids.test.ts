// The logical ids of the example inventory and of a generated 2,000-room inventory are locked (logical-ids.lock.json):
// a renamed construct id or a room moved to another nested stack would make CloudFormation delete and re-create
// rooms on an upgrade. A change of the lock is deliberate: `npm run lock:update`, and a README changelog entry naming
// the new digest.
import * as fs from 'fs';
import * as path from 'path';


const { LOCK, currentLock, lockChanges } = require('../scripts/logical-ids.js');

const locked = JSON.parse(fs.readFileSync(LOCK, 'utf8'));

test('every logical id, and the nested stack that holds it, is as locked', () => {
  const current = currentLock();
  const changes = lockChanges(locked, current);
  const shown = changes.map((c: any) => `${c.inventory}: ${c.gone.length} gone (CloudFormation would delete or replace them), e.g. ${c.gone.slice(0, 3).join(', ')}; `
    + `${c.added.length} new, e.g. ${c.added.slice(0, 3).join(', ')}`);
  expect(shown).toEqual([]);
  expect(current.digest).toBe(locked.digest);
});

test('the lock is whole: both inventories, every shard of the generated one, and its digest is named in the README changelog', () => {
  const generated = Object.entries<any>(locked.inventories).find(([name]) => name.startsWith('generated'))![1];
  expect(Object.keys(generated).filter((s) => /\/Shard\d\d$/.test(s))).toHaveLength(32);
  const rooms = Object.values<string[]>(generated).flat().filter((id) => id.startsWith('Room'));
  expect(rooms).toHaveLength(2000);
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const changelog = readme.slice(readme.indexOf('## Changelog'));
  expect(changelog).toContain(`logical ids ${locked.digest}`);
});

test('a moved or renamed resource is reported as gone and new', () => {
  const moved = JSON.parse(JSON.stringify(locked));
  const [name, stacks] = Object.entries<any>(moved.inventories)[1];
  const [from, to] = Object.keys(stacks).filter((s) => s.includes('Shard'));
  const room = stacks[from].find((id: string) => id.startsWith('Room'));
  stacks[from] = stacks[from].filter((id: string) => id !== room);
  stacks[to] = [...stacks[to], room];
  expect(lockChanges(locked, moved)).toEqual([{ inventory: name, gone: [`${from} ${room}`], added: [`${to} ${room}`] }]);
});
