// Inventory files that must never be accepted: each would deploy as something else than what was meant (an empty
// or truncated file as "no rooms", which deletes them all; a duplicate key as its last value) or exhaust the parser.
// Every one is refused at FILE:LINE:COL with the fix, by validate and by synth alike.
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { RoomInventory } from '../../lib';
import { MAX_INVENTORY_BYTES, MAX_NESTING, parseInventoryFile } from '../../lib/inventory/parse';
import { validateInventory } from '../../lib/inventory/validate';
import { tempDir } from '../helpers';

const NO_ROOMS = 'write `rooms: []` to declare no rooms';
const EMPTY = `the file holds no inventory (it is empty or only comments): ${NO_ROOMS}`;
const ROOMS_REQUIRED = `inventory: rooms is required: ${NO_ROOMS} (an inventory without rooms would delete every room deployed before)`;
const DUPLICATE = (key: string) => `duplicate key '${key}': a mapping may hold each key once (of two, one would silently replace the other); merge them or remove one`;
const TOO_DEEP = `lists and mappings nest more than ${MAX_NESTING} levels deep (an inventory needs 5): is this the right file?`;
const PROFILE = 'profiles:\n  - { name: Std, address: a, timezone: UTC }\n';

function write(name: string, content: string | Buffer): string {
  const file = path.join(tempDir('a4b-refused-'), name);
  fs.writeFileSync(file, content);
  return file;
}

const problemsOf = (file: string) => validateInventory(parseInventoryFile(file));

describe('inventories that are refused', () => {
  test.each<[string, string, string | Buffer, string[]]>([
    ['an empty file', 'rooms.yaml', '', [`1:1: ${EMPTY}`]],
    ['a file of blank lines', 'rooms.yaml', '\n\n  \n', [`1:1: ${EMPTY}`]],
    ['a file of comments only', 'rooms.yaml', '# rooms to come\n# (after the move)\n', [`1:1: ${EMPTY}`]],
    ['YAML without rooms', 'rooms.yaml', PROFILE, [`1:1: ${ROOMS_REQUIRED}`]],
    ['JSON {}', 'rooms.json', '{}\n', [`1:1: ${ROOMS_REQUIRED}`]],
    ['JSON without rooms', 'rooms.json', '{\n  "profiles": []\n}\n', [`1:1: ${ROOMS_REQUIRED}`]],
    ['rooms: with no value', 'rooms.yaml', 'rooms:\n', ['1:7: inventory: rooms null must be a list']],
    ['a JSON key twice at the top (the second rooms would replace the first)', 'rooms.json',
      `{\n  "profiles": [{ "name": "Std", "address": "a", "timezone": "UTC" }],\n  "rooms": [{ "name": "A", "profile": "Std" }],\n  "rooms": []\n}\n`, [`4:3: ${DUPLICATE('rooms')}`]],
    ['a JSON key twice in a room', 'rooms.json', '{"rooms": [{"name": "A", "profile": "Std", "name": "B"}]}', [`1:44: ${DUPLICATE('name')}`]],
    ['a JSON key twice, spaced before its colon', 'rooms.json', '{"rooms" : [], "rooms"\n  : []}', [`1:16: ${DUPLICATE('rooms')}`]],
    ['a YAML key twice', 'rooms.yaml', `${PROFILE}rooms:\n  - { name: A, profile: Std }\nrooms: []\n`, [`5:1: ${DUPLICATE('rooms')}`]],
    ['a byte that is not UTF-8 (Latin-1 é) in YAML', 'rooms.yaml', Buffer.concat([Buffer.from(`${PROFILE}rooms:\n  - { name: Caf`), Buffer.from([0xe9]), Buffer.from(', profile: Std }\n')]),
      [`4:16: byte 0xe9 is not UTF-8 (at byte ${PROFILE.length + 22}): save the file as UTF-8`]],
    ['a byte that is not UTF-8 after a U+FFFD that is', 'rooms.json', Buffer.concat([Buffer.from('{"rooms": [{"name": "\uFFFDä'), Buffer.from([0xc3, 0x28]), Buffer.from('", "profile": "Std"}]}')]),
      ['1:24: byte 0xc3 is not UTF-8 (at byte 26): save the file as UTF-8']],
    ['JSON nested 10,000 levels', 'rooms.json', `{"rooms": ${'['.repeat(10000)}${']'.repeat(10000)}}`, [`1:${10 + MAX_NESTING}: ${TOO_DEEP}`]],
    ['YAML nested 100 levels', 'rooms.yaml', `rooms:\n${Array.from({ length: 100 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`, [`${MAX_NESTING + 1}:${MAX_NESTING + 1}: ${TOO_DEEP}`]],
    ['an alias bomb', 'rooms.yaml', `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${'*a, '.repeat(9)}*a]\nc: &c [${'*b, '.repeat(9)}*b]\nrooms: [${'*c, '.repeat(9)}*c]\n`,
      ['2:8: its aliases (*name) expand to too many copies (an alias bomb?): write the values out instead']],
    ['an alias inside the value its anchor marks (the value would contain itself)', 'rooms.yaml', `${PROFILE}rooms:\n  - &r { name: A, profile: Std, tags: { x: *r } }\n`,
      ['4:44: the alias *r is inside the value its anchor &r marks, which would contain itself: write the values out instead']],
    ['an alias without its anchor', 'rooms.yaml', `${PROFILE}rooms:\n  - { name: *a, profile: Std }\n`,
      ['4:13: the alias *a has no anchor &a before it: put the anchor on an earlier value, or write the value out']],
    ['an unclosed flow mapping', 'rooms.yaml', 'rooms: [ { name: A, profile: Std\n', ['2:1: Flow map in block collection must be sufficiently indented and end with a }', '2:1: Flow sequence in block collection must be sufficiently indented and end with a ]']],
  ])('%s', (_, name, content, expected) => {
    const file = write(name, content);
    expect(problemsOf(file)).toEqual(expected.map((e) => `${file}:${e}`));
  });

  test.each([
    ['YAML nested 10,000 levels in flow lists', `rooms: ${'['.repeat(10000)}${']'.repeat(10000)}\n`],
    ['YAML nested 10,000 levels in compact block lists', `rooms:\n  ${'- '.repeat(10000)}x\n`],
  ])('%s: too deep, at a position, never a stack overflow', (_, content) => {
    const file = write('rooms.yaml', content);
    const problems = problemsOf(file);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: lists and mappings nest more than ${MAX_NESTING} levels deep`));
  });

  test('a file over the size limit is refused before it is read, naming its size, the limit and why', () => {
    const file = write('rooms.json', '');
    fs.truncateSync(file, MAX_INVENTORY_BYTES + 1024 * 1024); // sparse: nothing to read, only its size
    expect(() => parseInventoryFile(file)).toThrow(`${file}: 17 MB is over the 16 MB limit for inventory files: parsing takes 25 to 60 times the file's size in memory, `
      + 'and a 10,000-room inventory (the A4B quota) is about 2 MB; is this the right file?');
  });

  test('a directory or a missing file names the file', () => {
    const dir = tempDir();
    expect(() => parseInventoryFile(dir)).toThrow(`${dir}: cannot read the inventory (EISDIR: it is a directory)`);
    expect(() => parseInventoryFile(path.join(dir, 'nope.yaml'))).toThrow(`${path.join(dir, 'nope.yaml')}: cannot read the inventory (ENOENT)`);
  });
});

describe('inventories that are accepted', () => {
  test('`rooms: []` declares no rooms, in YAML and JSON', () => {
    expect(problemsOf(write('rooms.yaml', `${PROFILE}rooms: []\n`))).toEqual([]);
    expect(problemsOf(write('rooms.json', '{ "rooms": [] }'))).toEqual([]);
  });

  test('a UTF-8 byte order mark is skipped, in YAML and in JSON; other characters stay as written', () => {
    for (const [name, text] of [['rooms.yaml', `${PROFILE}rooms:\n  - { name: Café Zürich, profile: Std }\n`], ['rooms.json', '{"profiles": [{"name": "Std", "address": "a", "timezone": "UTC"}], "rooms": [{"name": "Café Zürich", "profile": "Std"}]}']]) {
      const parsed = parseInventoryFile(write(name, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])));
      expect(validateInventory(parsed)).toEqual([]);
      expect(parsed.inventory.rooms![0].name).toBe('Café Zürich');
    }
  });

  test('JSON strings that hold `":` are not taken for duplicate keys', () => {
    const text = '{"profiles": [{"name": "Std", "address": "a", "timezone": "UTC"}], "rooms": [{"name": "A", "profile": "Std", "description": "say \\": here\\" : twice"}]}';
    const parsed = parseInventoryFile(write('rooms.json', text));
    expect(validateInventory(parsed)).toEqual([]);
    expect(parsed.inventory.rooms![0].description).toBe('say ": here" : twice');
  });

  test('nesting up to the limit is not refused for its depth', () => {
    const deep = `{"rooms": [], "tags": ${'{"a": '.repeat(MAX_NESTING - 1)}"x"${'}'.repeat(MAX_NESTING - 1)}}`;
    expect(validateInventory(parseInventoryFile(write('rooms.json', deep))).join('\n')).not.toContain('nest more than');
    expect(validateInventory(parseInventoryFile(write('rooms.json', deep.replace('"x"', '{"a": "x"}')))).join('\n')).toContain('nest more than');
  });
});

describe('RoomInventory refuses them at synth', () => {
  test.each<[string, object]>([
    ['an inventory object {}', {}],
    ['an inventory object without rooms', { profiles: [{ name: 'Std', address: 'a', timezone: 'UTC' }] }],
  ])('%s', (_, inventory) => {
    expect(() => new RoomInventory(new Stack(new App(), 'S'), 'Inventory', { inventory })).toThrow(`1 problem in inventory <inventory>:\n<inventory>:1:1: ${ROOMS_REQUIRED}`);
  });

  test.each([
    ['an empty file', 'rooms.yaml', '', `1:1: ${EMPTY}`],
    ['a JSON file with rooms twice', 'rooms.json', '{"rooms": [{"name": "A", "profile": "Std"}], "rooms": []}', `1:46: ${DUPLICATE('rooms')}`],
  ])('%s', (_, name, content, expected) => {
    const file = write(name, content);
    expect(() => new RoomInventory(new Stack(new App(), 'S'), 'Inventory', { file })).toThrow(`1 problem in inventory ${file}:\n${file}:${expected}`);
  });

  test('`rooms: []` synthesizes the profiles and no room', () => {
    const inv = new RoomInventory(new Stack(new App(), 'S'), 'Inventory', { inventory: { profiles: [{ name: 'Std', address: 'a', timezone: 'UTC' }], rooms: [] } });
    expect(inv.roomCount).toBe(0);
    expect(inv.shardCount).toBe(0);
  });
});
