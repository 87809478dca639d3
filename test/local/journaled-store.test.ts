// The emulators' persistence: a snapshot plus an append-only journal. What a crash or a damaged file leaves
// behind must either load completely or refuse to load with the file named, never lose entries silently.
import * as fs from 'fs';
import * as path from 'path';
import { JournaledStore } from '../../lib/local/journaled-store';
import { tempDir } from '../helpers';

const journal = (dir: string) => path.join(dir, 'db.journal.jsonl');
const snapshot = (dir: string) => path.join(dir, 'db.json');

/** A state directory whose journal holds three rooms (the process "crashed": no close, so no compaction). */
function crashedWithThreeRooms(): string {
  const dir = tempDir('a4b-store-');
  const store = new JournaledStore(dir, 'db');
  store.put('rooms', 'a', { name: 'A' });
  store.put('rooms', 'b', { name: 'B' });
  store.put('rooms', 'c', { name: 'C' });
  expect(fs.readFileSync(journal(dir), 'utf8').trim().split('\n')).toHaveLength(3);
  return dir;
}

const names = (store: JournaledStore) => store.values<{ name: string }>('rooms').map((r) => r.name).sort();

describe('JournaledStore', () => {
  test('a restart after a crash sees every journaled write, and compacts them into the snapshot', () => {
    const dir = crashedWithThreeRooms();
    const store = new JournaledStore(dir, 'db');
    expect(names(store)).toEqual(['A', 'B', 'C']);
    expect(fs.readFileSync(journal(dir), 'utf8')).toBe('');
    expect(Object.keys(JSON.parse(fs.readFileSync(snapshot(dir), 'utf8')).rooms).sort()).toEqual(['a', 'b', 'c']);
  });

  test('a torn last line (an append cut off by a kill) is left out and everything before it kept', () => {
    const dir = crashedWithThreeRooms();
    fs.appendFileSync(journal(dir), '{"c":"rooms","k":"d","v":{"na');
    expect(names(new JournaledStore(dir, 'db'))).toEqual(['A', 'B', 'C']);
  });

  test.each([
    ['a journal filled with zero bytes', (text: string) => '\0'.repeat(text.length)],
    ['zero bytes after the last record (no newline)', (text: string) => `${text}${'\0'.repeat(64)}`],
    ['a line of zero bytes in the middle', (text: string) => text.replace('\n', `\n${'\0'.repeat(20)}\n`)],
  ])('%s is damage, not a torn write: the load stops naming the file and line, files untouched', (_, damage) => {
    const dir = crashedWithThreeRooms();
    fs.writeFileSync(journal(dir), damage(fs.readFileSync(journal(dir), 'utf8')));
    const before = fs.readFileSync(journal(dir));
    expect(() => new JournaledStore(dir, 'db')).toThrow(new RegExp(`^${journal(dir)}:\\d+: zero bytes in the journal, which no write of a4b-rooms leaves`));
    expect(fs.readFileSync(journal(dir)).equals(before)).toBe(true);
  });

  test('a garbage line in the middle stops the load naming the file and line, and leaves both files untouched', () => {
    const dir = crashedWithThreeRooms();
    const lines = fs.readFileSync(journal(dir), 'utf8').split('\n');
    fs.writeFileSync(journal(dir), [lines[0], '{"c":"secrets","k":"s","v":{"secretString":"hunter2"', ...lines.slice(1)].join('\n'));
    const journalBefore = fs.readFileSync(journal(dir), 'utf8');
    const snapshotBefore = fs.readFileSync(snapshot(dir), 'utf8');
    expect(() => new JournaledStore(dir, 'db')).toThrow(`${journal(dir)}:2: unreadable journal line`);
    expect(() => new JournaledStore(dir, 'db')).toThrow('(not valid JSON at character 52); 2 lines after it');
    expect(() => new JournaledStore(dir, 'db')).not.toThrow(/hunter2/); // the damaged line may hold a secret: never quoted
    expect(fs.readFileSync(journal(dir), 'utf8')).toBe(journalBefore);
    expect(fs.readFileSync(snapshot(dir), 'utf8')).toBe(snapshotBefore);
  });

  test('a complete last line that is not an entry is damage, not a torn write', () => {
    const dir = crashedWithThreeRooms();
    fs.appendFileSync(journal(dir), '{"collection":"rooms"}\n');
    expect(() => new JournaledStore(dir, 'db')).toThrow(`${journal(dir)}:4: unreadable journal line (not a journal entry`);
  });

  test.each([
    ['truncated', (text: string) => text.slice(0, text.length / 2)],
    ['garbled', () => '{"secrets": hunter2'],
    ['not an object', () => '[1, 2]'],
  ])('a %s snapshot fails with the file name, and is not overwritten', (_, damage) => {
    const dir = crashedWithThreeRooms();
    new JournaledStore(dir, 'db').close();
    fs.writeFileSync(snapshot(dir), damage(fs.readFileSync(snapshot(dir), 'utf8')));
    const damaged = fs.readFileSync(snapshot(dir), 'utf8');
    expect(() => new JournaledStore(dir, 'db')).toThrow(`${snapshot(dir)} is not a readable snapshot`);
    expect(() => new JournaledStore(dir, 'db')).not.toThrow(/hunter2/);
    expect(fs.readFileSync(snapshot(dir), 'utf8')).toBe(damaged);
  });

  test('a crash between writing the snapshot and emptying the journal: replaying the journal over the newer snapshot gives the same state', () => {
    const dir = tempDir('a4b-store-');
    const store = new JournaledStore(dir, 'db');
    store.put('rooms', 'a', { name: 'A' });
    store.put('rooms', 'b', { name: 'B' });
    store.put('rooms', 'a', { name: 'A2' });
    store.delete('rooms', 'b');
    const journaled = fs.readFileSync(journal(dir), 'utf8');
    store.close(); // snapshot written, journal emptied
    fs.writeFileSync(journal(dir), journaled); // as if the process died before the truncation
    const again = new JournaledStore(dir, 'db');
    expect(names(again)).toEqual(['A2']);
    expect(again.count('rooms')).toBe(1);
  });

  test('a batch is one journal line: a kill keeps all of its writes or none', () => {
    const dir = tempDir('a4b-store-');
    const store = new JournaledStore(dir, 'db');
    store.batch(() => {
      store.put('rooms', 'a', { name: 'A' });
      store.put('tokens', 't', { arn: 'a' });
    });
    const text = fs.readFileSync(journal(dir), 'utf8');
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(new JournaledStore(dir, 'db').get('tokens', 't')).toEqual({ arn: 'a' });
    const tornDir = tempDir('a4b-store-');
    fs.writeFileSync(journal(tornDir), text.slice(0, -10)); // the same line torn: neither write survives
    const torn = new JournaledStore(tornDir, 'db');
    expect(torn.count('rooms')).toBe(0);
    expect(torn.count('tokens')).toBe(0);
  });

  test('snapshot and journal are readable by the owner only (they hold secrets), also when they existed with a wider mode', () => {
    const dir = crashedWithThreeRooms();
    fs.chmodSync(journal(dir), 0o644);
    const store = new JournaledStore(dir, 'db');
    store.put('secrets', 's', { secretString: 'x' });
    store.close();
    expect(fs.statSync(snapshot(dir)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(journal(dir)).mode & 0o777).toBe(0o600);
  });
});
