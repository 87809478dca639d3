// The plain YAML reader against the YAML library: whatever it returns must be what the library's `parse` returns,
// and whatever the library refuses it must leave to the library (undefined).
import * as YAML from 'yaml';
import { parsePlainYaml } from '../../lib/inventory/plain-yaml';
import { MAX_NESTING, parseInventoryText } from '../../lib/inventory/parse';

type LibraryResult = { error: true } | { value: unknown };

function library(text: string): LibraryResult {
  const doc = YAML.parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) return { error: true };
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }) };
  } catch {
    return { error: true };
  }
}

/** Same value, same key order, same -0. */
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b) && Object.is(a, b) === Object.is(b, a);

function expectAgrees(text: string): 'plain' | 'library' {
  const plain = parsePlainYaml(text, MAX_NESTING);
  if (plain === undefined) return 'library';
  const lib = library(text);
  if ('error' in lib) throw new Error(`plain reader accepted a text the library refuses:\n${text}`);
  if (!same(plain, lib.value)) throw new Error(`plain reader and library differ:\n${text}\nplain:   ${JSON.stringify(plain)}\nlibrary: ${JSON.stringify(lib.value)}`);
  return 'plain';
}

/** A deterministic PRNG (mulberry32), so a failure names a seed that reproduces it. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Strings that YAML reads as something else unless quoted, and characters that change how a line is read.
const TRICKY = ['2', '007', '-1', '+5', '1.5', '1e3', '0x1F', '0o17', '.inf', '.NaN', 'true', 'False', 'NULL', '~', 'yes', 'no', 'on',
  '', ' ', 'a: b', 'a:b', 'C#', 'a #b', '#x', '- x', '-x', '[x]', '{x}', 'x, y', '"q"', '\'s\'', 'it\'s', '&a', '*a', '!t', '|', '>', '%', '@',
  '`', '?', ':', 'Raum Müller', 'x\u00a0', '\u00a0x', '会议室', 'line\nbreak', 'back\\slash', 'tab\tx', '  lead', 'trail  ', '---', '...',
  'https://contoso.sharepoint.com/x', 'arn:aws:a4b:us-east-1:123456789012:device/abc', '__proto__', '<<', '9007199254740993'];

function randomInventory(r: () => number): unknown {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const word = () => (r() < 0.3 ? pick(TRICKY) : `Room ${Math.floor(r() * 1000)}`);
  const rooms = Array.from({ length: 1 + Math.floor(r() * 6) }, () => {
    const room: Record<string, unknown> = { name: word(), mailbox: `${pick(['a', 'b', 'c'])}@contoso.com`, profile: word() };
    if (r() < 0.5) room.skillGroups = Array.from({ length: Math.floor(r() * 3) }, word);
    if (r() < 0.5) room.tags = { [word() || 'k']: word(), floor: pick(['2', 2, '3']) };
    if (r() < 0.3) room.description = word();
    if (r() < 0.2) room.devices = [];
    return room;
  });
  return {
    calendarLink: { tenantId: 'contoso.onmicrosoft.com', method: 'delegate', grantMissingPermissions: r() < 0.5 },
    profiles: [{ name: word(), address: word(), timezone: 'Europe/Berlin', maxVolume: Math.floor(r() * 10), meetingRoom: { instantBooking: { durationMinutes: 30 } } }],
    rooms,
  };
}

const STYLES: YAML.ToStringOptions[] = [
  {},
  { indentSeq: false },
  { indent: 4 },
  { collectionStyle: 'flow', lineWidth: 0 },
  { defaultStringType: 'QUOTE_SINGLE' },
  { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' },
  { lineWidth: 20 },
];

// `npm run mutation` runs these generated cases once per mutant: it asks for a tenth of them (A4B_PROPERTY_CASES=0.1).
const CASES = Number(process.env.A4B_PROPERTY_CASES ?? 1);

describe('plain YAML reader', () => {
  test('reads generated inventories in every style exactly as the YAML library does, or leaves them to it', () => {
    const r = rng(1);
    const read = { plain: 0, library: 0 };
    for (let i = 0; i < 300 * CASES; i++) {
      const inventory = randomInventory(r);
      for (const style of STYLES) read[expectAgrees(YAML.stringify(inventory, style))]++;
    }
    // Most of them are plain: the fast path is taken, not skipped every time.
    expect(read.plain).toBeGreaterThan(read.library);
  });

  test('reads inventories written as people write them: one room a line, comments, lists at their key\'s indentation', () => {
    const text = [
      '# yaml-language-server: $schema=../schema/rooms.schema.json',
      'calendarLink:',
      '  tenantId: contoso.onmicrosoft.com # the tenant',
      '  grantMissingPermissions: false',
      '',
      'profiles:',
      '- name: Berlin',
      '  address: Friedrichstraße 100, 10117 Berlin',
      '  meetingRoom:',
      '    instantBooking: { enabled: true, durationMinutes: 30 }',
      'rooms:',
      '  - { name: Spree (2.01), mailbox: spree@contoso.com, profile: Berlin, skillGroups: [Conferencing, Facilities], tags: { floor: "2" } }',
      '  -   name: \'Havel\'\'s room\'',
      '      mailbox: "havel@contoso.com"   # quoted',
      '      skillGroups:',
      '      - Conferencing',
      '      tags: {}',
      '  - name: Dahme',
      '    skillGroups: []',
      '    description:',
    ].join('\r\n');
    expect(parsePlainYaml(text, MAX_NESTING)).toEqual({
      calendarLink: { tenantId: 'contoso.onmicrosoft.com', grantMissingPermissions: false },
      profiles: [{ name: 'Berlin', address: 'Friedrichstraße 100, 10117 Berlin', meetingRoom: { instantBooking: { enabled: true, durationMinutes: 30 } } }],
      rooms: [
        { name: 'Spree (2.01)', mailbox: 'spree@contoso.com', profile: 'Berlin', skillGroups: ['Conferencing', 'Facilities'], tags: { floor: '2' } },
        { name: 'Havel\'s room', mailbox: 'havel@contoso.com', skillGroups: ['Conferencing'], tags: {} },
        { name: 'Dahme', skillGroups: [], description: null },
      ],
    });
    expectAgrees(text);
  });

  test.each([
    ['a duplicate key', 'rooms: []\nrooms: []\n'],
    ['a duplicate key in a flow mapping', 'a: { b: 1, b: 2 }\n'],
    ['an anchor and alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a folded scalar', 'a: >\n  text\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['an escape', 'a: "x\\ty"\n'],
    ['a float', 'a: 1.5\n'],
    ['a hexadecimal integer', 'a: 0x1F\n'],
    ['an integer past 2^53', 'a: 9007199254740993\n'],
    ['a mapping in a plain scalar', 'a: b: c\n'],
    ['a bad indentation', 'a: 1\n  b: 2\n'],
    ['a list under a scalar', 'a: 1\n- x\n'],
    ['a trailing comma', 'a: [x, y,]\n'],
    ['an empty flow entry', 'a: [x, , y]\n'],
    ['a flow collection over two lines', 'a: [x,\n  y]\n'],
    ['a key without value in a flow mapping', 'a: { b }\n'],
    ['a tab', 'a:\t1\n'],
    ['a document marker', '---\na: 1\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a __proto__ key', '__proto__: x\n'],
    ['a boolean key', 'true: x\n'],
    ['a numeric key', '1: x\n'],
    ['a complex key', '? a\n: b\n'],
    ['only comments', '# nothing\n'],
    ['an empty text', ''],
    ['a lone CR', 'a: 1\rb: 2\n'],
    ['a byte order mark', '\ufeffa: 1\n'],
    ['a next-line character', 'a: x\u0085y\n'],
  ])('leaves %s to the YAML library', (_what, text) => {
    expect(parsePlainYaml(text, MAX_NESTING)).toBeUndefined();
  });

  test.each([
    ['decimal integers, signs and leading zeros', 'a: 007\nb: -3\nc: +5\n', { a: 7, b: -3, c: 5 }],
    ['the core schema\'s null and booleans, and YAML 1.1 words as strings', 'a: ~\nb: Null\nc: TRUE\nd: false\ne: yes\nf: on\n', { a: null, b: null, c: true, d: false, e: 'yes', f: 'on' }],
    ['colons and hashes inside plain scalars', 'a: arn:aws:a4b:us-east-1:123456789012:device/x\nb: C# room\nc: https://x.example/y\n', { a: 'arn:aws:a4b:us-east-1:123456789012:device/x', b: 'C# room', c: 'https://x.example/y' }],
    ['a no-break space at the end of a name (YAML trims only spaces)', 'name: Spree\u00a0\n', { name: 'Spree\u00a0' }],
    ['keys with colons and spaces', 'aws:cost center: x\n"quoted key": y\n', { 'aws:cost center': 'x', 'quoted key': 'y' }],
    ['a top-level list', '- a\n- b # comment\n', ['a', 'b']],
    ['nested flow collections', 'a: { b: [c, { d: "e" }], f: [] }\n', { a: { b: ['c', { d: 'e' }], f: [] } }],
  ])('reads %s', (_what, text, expected) => {
    expect(parsePlainYaml(text, MAX_NESTING)).toEqual(expected);
    expectAgrees(text);
  });

  test('leaves nesting past the limit to the library, block and flow alike, and reads it up to the limit', () => {
    const block = (levels: number) => Array.from({ length: levels }, (_, i) => `${' '.repeat(2 * i)}k${i}:`).join('\n') + ' x\n';
    expect(parsePlainYaml(block(MAX_NESTING), MAX_NESTING)).toBeDefined();
    expect(parsePlainYaml(block(MAX_NESTING + 1), MAX_NESTING)).toBeUndefined();
    const flow = (levels: number) => `a: ${'['.repeat(levels - 1)}x${']'.repeat(levels - 1)}\n`;
    expect(parsePlainYaml(flow(MAX_NESTING), MAX_NESTING)).toBeDefined();
    expect(parsePlainYaml(flow(MAX_NESTING + 1), MAX_NESTING)).toBeUndefined();
  });

  test('never accepts a damaged inventory the library refuses, nor reads one differently (3,000 random edits)', () => {
    const r = rng(7);
    const base = [
      'calendarLink:', '  tenantId: contoso.onmicrosoft.com', 'rooms:',
      '  - name: Spree', '    mailbox: spree@contoso.com # comment', '    tags:', '      floor: "2"', '    skillGroups:', '    - Conferencing',
      '  - { name: \'Havel\', skillGroups: [a, b], tags: { floor: 3 } }', '  - name: Dahme', '    maxVolume: 7', '',
    ].join('\n');
    expect(expectAgrees(base)).toBe('plain');
    const marks = [' ', ':', '-', '#', '\'', '"', '[', ']', '{', '}', ',', '\n', '&', '*', '!', '|', '>', '?', '\\', '0', '.', 'x'];
    const read = { plain: 0, library: 0 };
    for (let i = 0; i < 3000 * CASES; i++) {
      let text = base;
      for (let e = 0; e < 1 + Math.floor(r() * 3); e++) {
        const at = Math.floor(r() * text.length);
        const mark = marks[Math.floor(r() * marks.length)];
        const op = r();
        // Insert, delete or replace a character.
        const rest = op < 0.4 ? text.slice(at) : text.slice(at + 1);
        text = text.slice(0, at) + (op >= 0.4 && op < 0.7 ? '' : mark) + rest;
      }
      read[expectAgrees(text)]++;
    }
    expect(read.plain).toBeGreaterThan(100);
    expect(read.library).toBeGreaterThan(100);
  });

  test('an inventory read without the library still says where a problem is, FILE:LINE:COL', () => {
    const text = 'rooms:\n  - name: Spree\n    mailbox: not-an-address\n';
    const parsed = parseInventoryText(text, 'rooms.yaml');
    expect(parsePlainYaml(text, MAX_NESTING)).toBeDefined();
    expect(parsed.syntaxProblems).toEqual([]);
    expect(parsed.locate(['rooms', 0, 'mailbox'])).toBe('rooms.yaml:3:14');
    expect(parsed.locate(['rooms', 0, 'mailbox'], 'key')).toBe('rooms.yaml:3:5');
  });
});

// The reader's boundaries, one line of YAML at a time: what it reads (and the library reads the same), and what it
// must leave to the library (which reads it otherwise, or refuses it).
describe('plain YAML reader, line by line', () => {
  const reads = (text: string, expected: unknown, maxDepth = MAX_NESTING) => {
    expect(parsePlainYaml(text, maxDepth)).toEqual(expected);
    expect(library(text)).toEqual({ value: expected });
  };
  const leaves = (text: string, maxDepth = MAX_NESTING) => {
    expect(parsePlainYaml(text, maxDepth)).toBeUndefined();
  };

  test.each([
    ['a CRLF line end', 'a: x\r\nb: y\r\n', { a: 'x', b: 'y' }],
    ['spaces after a value', 'a: x   \nb: 1  \n', { a: 'x', b: 1 }],
    ['a blank line of spaces', 'a: 1\n   \nb: 2\n', { a: 1, b: 2 }],
    ['a comment indented past a scalar', 'a: 1\n    # c\nb: 2\n', { a: 1, b: 2 }],
    ['a comment inside a mapping', 'a:\n  # c\n  b: 1\n', { a: { b: 1 } }],
    ['keys starting with --- and ... below the top level', 'a:\n  ---x: 1\n  ...y: 2\n', { a: { '---x': 1, '...y': 2 } }],
    ['a list at its key\'s indentation, then a key', 'a:\n- x\nb: 1\n', { a: ['x'], b: 1 }],
    ['the core words as list items', '- null\n- True\n- ~\n- FALSE\n- x\n', [null, true, null, false, 'x']],
    ['every spelling of the core words', 'a: ~\nb: null\nc: Null\nd: NULL\ne: true\nf: True\ng: TRUE\nh: false\ni: False\nj: FALSE\n',
      { a: null, b: null, c: null, d: null, e: true, f: true, g: true, h: false, i: false, j: false }],
    ['the core words quoted are strings', 'a: "true"\nb: "null"\nc: \'False\'\n', { a: 'true', b: 'null', c: 'False' }],
    ['a mapping under an empty item', '-\n  a: 1\n', [{ a: 1 }]],
    ['a mapping under an item with a comment', '- # c\n  a: 1\n', [{ a: 1 }]],
    ['an empty item', '-\n- x\n', [null, 'x']],
    ['an indented list of mappings', '  - a: 1\n    b: 2\n  - c: 3\n', [{ a: 1, b: 2 }, { c: 3 }]],
    ['a mapping item after spaces', '-   a: 1\n    b: 2\n', [{ a: 1, b: 2 }]],
    ['quoted, flow and number items', '- "q"\n- [a]\n- 1\n- \'r\' # c\n', ['q', ['a'], 1, 'r']],
    ['a quoted string with a colon in a flow list item', '- [x, "a: b"]\n', [['x', 'a: b']]],
    ['a flow mapping item', '- { a: 1 }\n', [{ a: 1 }]],
    ['a quoted item and a quoted key item', '- "a b"\n- "a": x\n- \'c\': y\n', ['a b', { a: 'x' }, { c: 'y' }]],
    ['an item after two spaces', '-  x\n', ['x']],
    ['an item that is a key without a value', '- x:\n', [{ x: null }]],
    ['a single-quoted key holding a colon and a space', '\'a: b\': c\n', { 'a: b': 'c' }],
    ['a single-quoted key holding a colon and a space, in a list', '- \'a: b\': c\n', [{ 'a: b': 'c' }]],
    ['two single quotes in a double-quoted item', '- "a\'\'b"\n', ['a\'\'b']],
    ['a hash before a space in a flow entry', 'a: [a# b]\n', { a: ['a# b'] }],
    ['spaces after a key', 'a:   1\n', { a: 1 }],
    ['a comment after a key', 'a: # c\n  b: 1\n', { a: { b: 1 } }],
    ['an empty value before a key', 'a:\nb: 1\n', { a: null, b: 1 }],
    ['an empty value at the end', 'b: 1\na:\n', { b: 1, a: null }],
    ['an empty value before a dedent', 'a:\n  b:\nc: 1\n', { a: { b: null }, c: 1 }],
    ['a key starting with a dash', '-x: 1\n', { '-x': 1 }],
    ['a quoted key with nothing after it', '"a":\n  b: 1\n\'c\':\n', { a: { b: 1 }, c: null }],
    ['a key holding colons', 'a:b: c\nd:e:\n', { 'a:b': 'c', 'd:e': null }],
    ['spaces before the colon of a key', 'a  : x\n', { a: 'x' }],
    ['a backslash and a double quote in single quotes', 'a: \'x\\y\'\nb: \'say "hi"\'\nc: \'x\'\'\'\n', { a: 'x\\y', b: 'say "hi"', c: 'x\'' }],
    ['a double-quoted value, an empty one, and a comment after one', 'a: "4"\nb: ""\nc: "x" # c\nd: "a\'\'b"\n', { a: '4', b: '', c: 'x', d: 'a\'\'b' }],
    ['a flow collection and a comment', 'a: [x] # c\nb: {c: d}  # e\n', { a: ['x'], b: { c: 'd' } }],
    ['empty flow collections with spaces', 'a: { }\nb: [ ]\nc: []\n', { a: {}, b: [], c: [] }],
    ['quoted keys in a flow mapping', 'a: { "a": 1, \'b\' : 2, c:  3 }\n', { a: { a: 1, b: 2, c: 3 } }],
    ['spaces in and around flow entries', 'a: [a b ,  c,d ]\n', { a: ['a b', 'c', 'd'] }],
    ['a hash and a colon inside flow entries', 'a: [a#b, a:b]\n', { a: ['a#b', 'a:b'] }],
    ['a quoted flow entry', 'a: ["x", \'y\'\'s\']\n', { a: ['x', 'y\'s'] }],
    ['a comment after a plain value', 'a: x  # c\nb: 1 # c\nc: x#c\n', { a: 'x', b: 1, c: 'x#c' }],
    ['a dash starting a plain value', 'a: -x\nb: -\u00e9\nc: -x1\n', { a: '-x', b: '-\u00e9', c: '-x1' }],
    ['signed and zero integers', 'a: -0\nb: 0\nc: +0\nd: 90\n', { a: -0, b: 0, c: 0, d: 90 }],
    ['the largest safe integers', 'a: 9007199254740991\nb: -9007199254740991\n', { a: 9007199254740991, b: -9007199254740991 }],
    ['strings that only start like numbers', 'a: 10x1F\nb: 0x1Fz\nc: 0xg\nd: +.nan\ne: 1_000\nf: 9x\n', { a: '10x1F', b: '0x1Fz', c: '0xg', d: '+.nan', e: '1_000', f: '9x' }],
  ])('reads %s', (_what, text, expected) => reads(text, expected));

  test.each([
    ...['\t', '\u0000', '\u0008', '\u000b', '\u000c', '\u000e', '\u001f', '\u007f', '\u009f', '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff']
      .map((c) => [`U+${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} in a value`, `a: x${c}y\n`]),
    ['a tab after a value', 'a: x\t\n'],
    ['a tab before a comment', 'a: x\t#c\n'],
    ['a CR alone at the end', 'a: x\r'],
    ['a document marker before a key', '--- x: 1\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['a document end marker before a key', 'a: 1\n... x: 1\n'],
    ['a mapping after a top-level list', '- x\na: y\n'],
    ['a plain item over two lines', '- one\n  two\n'],
    ['a quoted item over two lines', '- "one"\n  two\n'],
    ['a plain value over two lines, after a number', 'a: 1\n  two\n'],
    ['a list in a list on one line', '- - x\n'],
    ['the word null as a key', 'null: x\n'],
    ['a duplicate key with plain values', 'a: x\na: y\n'],
    ['a duplicate key with numbers', 'a: 1\na: 2\n'],
    ['a duplicate key after a nested mapping', 'a:\n  x: 1\na: 2\n'],
    ['a quoted __proto__ key', '"__proto__": 1\n'],
    ['a __proto__ key with a number', '__proto__: 1\n'],
    ['a quoted key with its colon away', '"a" : x\n'],
    ['a quoted key without a space after its colon', '"a":x\n'],
    ['an escaped quote', 'a: "a\\"b"\n'],
    ['a backslash before the closing quote', 'a: "\\"\n'],
    ['text after a quoted item', '- "a"  x\n'],
    ['a letter right after a quoted item', '- "a"b\n'],
    ['two double quotes in a double-quoted value', 'a: "x""y"\n'],
    ['a double quote closed before a single quote', 'a: "x"\'y"\n'],
    ['text and a comment after a quoted value', 'a: "x"y # c\n'],
    ['text between a quoted flow key and a value', 'a: { "a" x y }\n'],
    ['a quoted flow key without a space after its colon', 'a: { "a":12 }\n'],
    ['text after a quoted value', 'a: "x"y\n'],
    ['a hash right after a quoted value', 'a: "x"#c\n'],
    ['text after a flow collection', 'a: [x]y\n'],
    ['a hash right after a flow collection', 'a: [x]#c\n'],
    ['a flow key without a space after its colon', 'a: { a:1 }\n'],
    ['a number as a flow key', 'a: { 1: x }\n'],
    ['__proto__ as a flow key', 'a: { __proto__: 1 }\n'],
    ['a mapping in a flow list', 'a: [a: b]\n'],
    ['an escape in a flow list', 'a: ["a\\"b"]\n'],
    ['a bracket in a flow entry', 'a: [a[b]]\n'],
    ['a brace in a flow entry', 'a: [a{b}]\n'],
    ['a comment in a flow list', 'a: [a #b]\n'],
    ['a flow key without a value', 'a: { a: }\n'],
    ['an unclosed flow list', 'a: [x\n'],
    ['a lone dash as a value', 'a: -\n'],
    ['a dash and a space as a value', 'a: - x\n'],
    ['a key in a value', 'a: b:\n'],
    ['floats starting with 9', 'a: 9\nb: 9.5\n'],
    ['an integer past the safe ones', 'a: 9007199254740992\n'],
    ['a negative integer past the safe ones', 'a: -9007199254740992\n'],
    ...['?', ':', ',', ']', '}', '&', '*', '!', '|', '>', '%', '@', '`'].map((c) => [`a value starting with the indicator ${c}`, `a: ${c} x\n`]),
    ['a flow entry starting with #', 'a: [#x]\n'],
  ])('leaves %s to the YAML library', (_what, text) => leaves(text));

  // The core schema's other numbers (octal, hexadecimal, floats): the library reads a number; the reader leaves it.
  test.each(['0o17', '0x09afAF', '1e3', '+1e3', '-1e3', '.55e3', '.5e3', '12e3', '1.25e3', '1e+3', '1e10', '+1.5', '-1.5', '.55', '.5', '12.5', '1.25', '1.'])(
    'leaves the number %s to the YAML library', (n) => {
      const text = `a: ${n}\n`;
      expect(library(text)).toEqual({ value: { a: expect.any(Number) } });
      leaves(text);
    });
});

describe('plain YAML reader, nesting', () => {
  // The depth of the deepest collection: read at that limit, left to the library one below it.
  test.each([
    ['a mapping', 'a: x\n', 1],
    ['a list at its key\'s indentation', 'a:\n- x\n', 2],
    ['a mapping in a list item', '- a: x\n', 2],
    ['a mapping under a key', 'a:\n  b: x\n', 2],
    ['a list under an empty item', '-\n  - x\n', 2],
    ['a flow list as a value', 'a: [x]\n', 2],
    ['a flow list as an item', '- [x]\n', 2],
    ['a flow list in a flow list', 'a: [[x]]\n', 3],
    ['a flow list in a flow mapping', 'a: {b: [x]}\n', 3],
    ['a flow list in a list at its key\'s indentation', 'a:\n- [x]\n', 3],
    ['a flow list in a mapping in a list item', '- a: [x]\n', 3],
    ['a flow list in a mapping item at its key\'s indentation', 'a:\n- b: [x]\n', 4],
  ])('%s is %d deep', (_what, text, depth) => {
    const lib = library(text);
    expect(lib).toHaveProperty('value');
    expect(parsePlainYaml(text, depth)).toEqual((lib as { value: unknown }).value);
    expect(parsePlainYaml(text, depth - 1)).toBeUndefined();
  });
});
