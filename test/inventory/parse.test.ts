// Reading an inventory or tenant file: what is refused and where (FILE:LINE:COL), what is read and how a value is
// located. Without aws-cdk-lib or the CLI (test/inventory/refused.test.ts runs the same files through validate and
// synth), so mutation testing can run it for every mutant of lib/inventory/parse.ts.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MAX_INVENTORY_BYTES, MAX_NESTING, parseDataText, parseInventoryFile, parseInventoryText, readTextFile } from '../../lib/inventory/parse';

// The YAML library, counting the documents it builds (see the last describe).
jest.mock('yaml', () => {
  const actual = jest.requireActual('yaml');
  return { ...actual, parseDocument: jest.fn(actual.parseDocument) };
});
const parseDocument = jest.requireMock('yaml').parseDocument as jest.Mock;

const EMPTY = 'the file holds no inventory (it is empty or only comments): write `rooms: []` to declare no rooms';
const DUPLICATE = (key?: string) => `duplicate key${key === undefined ? '' : ` '${key}'`}: a mapping may hold each key once (of two, one would silently replace the other); merge them or remove one`;
const TOO_DEEP = `lists and mappings nest more than ${MAX_NESTING} levels deep (an inventory needs 5): is this the right file?`;
const SECOND_DOC = (dashes: boolean, one = 'an inventory') =>
  `a second YAML document starts here${dashes ? ' (---)' : ''}: ${one} is one document; merge the two or split them into two files`;

// test/helpers.ts loads aws-cdk-lib and the emulators: too slow for every mutant, so the temp folder is made here.
let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'a4b-parse-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('syntax problems, at FILE:LINE:COL', () => {
  test.each<[string, string, string[]]>([
    ['an empty text', '', [`f:1:1: ${EMPTY}`]],
    ['comments only', '# later\n', [`f:1:1: ${EMPTY}`]],
    ['a JSON key twice', '{"a": 1, "a": 2}', [`f:1:10: ${DUPLICATE('a')}`]],
    ['a JSON key twice, a newline and a tab before its colon', '{"a": 1,\n "a"\t: 2}', [`f:2:2: ${DUPLICATE('a')}`]],
    ['a JSON key twice, CR LF before its colon', '{"a": 1, "a"\r\n: 2}', [`f:1:10: ${DUPLICATE('a')}`]],
    ['a JSON key twice, spaces before its colon', '{"a": 1, "a"  : 2}', [`f:1:10: ${DUPLICATE('a')}`]],
    ['a YAML plain key twice', 'a: 1\na: 2\n', [`f:2:1: ${DUPLICATE('a')}`]],
    ['a YAML double-quoted key twice, as written', '"a\\"b": 1\n"a\\"b": 2\n', [`f:2:1: ${DUPLICATE('a\\"b')}`]],
    ['a YAML single-quoted key twice, as written', "'it''s': 1\n'it''s': 2\n", [`f:2:1: ${DUPLICATE("it''s")}`]],
    ['a YAML key with a space twice', '"a b": 1\n"a b": 2\n', [`f:2:1: ${DUPLICATE('a b')}`]],
    ['a YAML key twice in a flow mapping', '{a: 1, a: 2}\n', [`f:1:8: ${DUPLICATE('a')}`]],
    ['a YAML key twice whose name cannot be read back', 'a#b: 1\na#b: 2\n', [`f:2:1: ${DUPLICATE()}`]],
    ['a second document after ---', 'rooms: []\n---\nrooms: []\n', [`f:2:1: ${SECOND_DOC(true)}`]],
    ['a second document after ...', 'rooms: []\n...\nrooms: []\n', [`f:3:1: ${SECOND_DOC(false)}`]],
    ['an unclosed flow list: the library\'s words, first line', '[1,2', ['f:1:5: Flow sequence must end with a ]']],
  ])('%s', (_, text, expected) => {
    const parsed = parseInventoryText(text, 'f');
    expect(parsed.syntaxProblems).toEqual(expected);
    expect(parsed.inventory).toEqual({});
  });

  test('a tenant file says what it is', () => {
    expect(parseDataText('a: 1\n---\na: 2\n', 't.yaml', 'no tenant', 'a tenant file').syntaxProblems).toEqual([`t.yaml:2:1: ${SECOND_DOC(true, 'a tenant file')}`]);
    expect(parseDataText('', 't.yaml', 'no tenant', 'a tenant file').syntaxProblems).toEqual(['t.yaml:1:1: no tenant']);
  });
});

/** How deeply lists and mappings nest in a value. */
const depthOf = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0);

describe('nesting: up to MAX_NESTING levels read, one more refused where it starts', () => {
  const lists = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const block = (n: number) => `${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n`;
  test.each<[string, string, string | undefined]>([
    ['JSON lists', lists(MAX_NESTING), undefined],
    ['JSON lists', lists(MAX_NESTING + 1), `f:1:${MAX_NESTING + 1}`],
    // Brackets and an escaped quote inside a string are not nesting.
    ['JSON lists after a string of brackets', `{"s": "[[\\"{", "x": ${lists(MAX_NESTING - 1)}}`, undefined],
    ['JSON lists after a string of brackets', `{"s": "[[\\"{", "x": ${lists(MAX_NESTING)}}`, `f:1:${20 + MAX_NESTING}`],
    ['JSON on three lines', `{"s": "x",\n "x": ${lists(MAX_NESTING)}\n}`, `f:2:${6 + MAX_NESTING}`],
    // Closed lists and mappings before are no longer open.
    ['JSON lists after closed ones', `{"a": [{}], "b": {"c": []}, "x": ${lists(MAX_NESTING)}}`, `f:1:${33 + MAX_NESTING}`],
    // null is a value, not a mapping.
    ['JSON lists holding null', `{"a": ${'['.repeat(MAX_NESTING - 1)}null${']'.repeat(MAX_NESTING - 1)}}`, undefined],
    ['YAML flow lists', `x: ${lists(MAX_NESTING - 1)}\n`, undefined],
    ['YAML flow lists', `x: ${lists(MAX_NESTING)}\n`, `f:1:${MAX_NESTING + 3}`],
    ['YAML block mappings', block(MAX_NESTING), undefined],
    ['YAML block mappings', block(MAX_NESTING + 1), `f:${MAX_NESTING + 1}:${MAX_NESTING + 1}`],
    ['YAML lists as a key', `? ${lists(MAX_NESTING)}\n: 1\n`, `f:1:${MAX_NESTING + 2}`],
  ])('%s: %#', (_, text, refusedAt) => {
    const parsed = parseInventoryText(text, 'f');
    if (refusedAt === undefined) {
      expect(parsed.syntaxProblems).toEqual([]);
      expect(depthOf(parsed.inventory)).toBe(MAX_NESTING);
    } else {
      expect(parsed.syntaxProblems).toEqual([`${refusedAt}: ${TOO_DEEP}`]);
      expect(parsed.inventory).toEqual({});
      expect(parsed.locate([])).toBe('f:1:1');
    }
  });
});

describe('JSON: read as JSON, with YAML positions when a problem needs one', () => {
  test.each<[string, string, string]>([
    // Keys inside lists and mappings count, so a duplicate beside them is still seen.
    ['beside a list', '{"a": [1, 2, 3], "b": 1, "b": 2}', 'f:1:26'],
    ['beside a mapping', '{"a": {"c": 1}, "b": 1, "b": 2}', 'f:1:25'],
    ['beside lists of lists', '{"a": [[1]], "a": null}', 'f:1:14'],
  ])('a key twice %s', (_, text, at) => {
    expect(parseInventoryText(text, 'f').syntaxProblems).toEqual([`${at}: ${DUPLICATE(text.includes('"b"') ? 'b' : 'a')}`]);
  });

  test.each<[string, string, unknown]>([
    ['a string holding `":`', '{"a": "x\\": y"}', { a: 'x": y' }],
    ['a string holding `" :` after a key', '{"a": "x\\" : y", "b": [1]}', { a: 'x" : y', b: [1] }],
    ['leading whitespace', ' \n\t{"rooms": []}', { rooms: [] }],
    ['null values', '{"a": null, "b": [null]}', { a: null, b: [null] }],
  ])('%s', (_, text, value) => {
    const parsed = parseInventoryText(text, 'f');
    expect(parsed.syntaxProblems).toEqual([]);
    expect(parsed.inventory).toEqual(value);
  });

  test('a value is located in the JSON text', () => {
    const parsed = parseInventoryText('{\n  "rooms": [\n    { "name": "A", "tags": { "k": "v" } }\n  ]\n}\n', 'rooms.json');
    expect(parsed.locate(['rooms', 0, 'name'])).toBe('rooms.json:3:15');
    expect(parsed.locate(['rooms', 0, 'name'], 'key')).toBe('rooms.json:3:7');
    expect(parsed.locate(['rooms', 0, 'tags'])).toBe('rooms.json:3:20');
    expect(parsed.locate(['rooms'])).toBe('rooms.json:2:3');
  });
});

describe('YAML the library refuses or cannot hold', () => {
  // Past about 900 levels the library overflows the stack once per collection it unwinds through; the first says it.
  test.each([
    ['flow lists', `rooms: ${'['.repeat(10000)}${']'.repeat(10000)}\n`],
    ['compact block lists', `rooms:\n  ${'- '.repeat(10000)}x\n`],
  ])('YAML nested 10,000 levels in %s: one problem, too deep', (_, text) => {
    const parsed = parseInventoryText(text, 'f');
    expect(parsed.syntaxProblems).toHaveLength(1);
    expect(parsed.syntaxProblems[0]).toMatch(/^f:\d+:\d+: lists and mappings nest more than 64 levels deep \(an inventory needs 5\): is this the right file\?$/);
  });

  test('JSON nested 10,000 levels is refused where it passes the limit (read as JSON: the YAML library would overflow)', () => {
    expect(parseInventoryText(`{"rooms": ${'['.repeat(10000)}${']'.repeat(10000)}}`, 'f').syntaxProblems).toEqual([`f:1:${10 + MAX_NESTING}: ${TOO_DEEP}`]);
  });

  const NO_ANCHOR = (name: string) => `the alias *${name} has no anchor &${name} before it: put the anchor on an earlier value, or write the value out`;
  const INSIDE = (name: string) => `the alias *${name} is inside the value its anchor &${name} marks, which would contain itself: write the values out instead`;
  test.each<[string, string, string]>([
    ['an alias bomb, at its first alias', `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${'*a, '.repeat(9)}*a]\nc: &c [${'*b, '.repeat(9)}*b]\nrooms: [${'*c, '.repeat(9)}*c]\n`,
      'f:2:8: its aliases (*name) expand to too many copies (an alias bomb?): write the values out instead'],
    ['an alias without an anchor', 'rooms: []\nx: *nope\n', `f:2:4: ${NO_ANCHOR('nope')}`],
    ['an alias before its anchor', 'rooms: []\nx: *a\ny: &a 2\n', `f:2:4: ${NO_ANCHOR('a')}`],
    ['an alias inside the list its anchor marks', 'rooms: &a [*a]\n', `f:1:12: ${INSIDE('a')}`],
    ['an alias inside the mapping its anchor marks, deeper', 'rooms: []\ntags: &t {a: [b, {c: *t}]}\n', `f:2:22: ${INSIDE('t')}`],
    ['an alias inside a key its anchor marks', '? &k [*k]\n: 1\n', `f:1:7: ${INSIDE('k')}`],
    // An anchor set again marks the later value: the alias inside it repeats that one.
    ['an alias inside the second value of an anchor', 'a: &a 1\nb: &a [*a]\n', `f:2:8: ${INSIDE('a')}`],
    // A YAML 1.1 merge key `<<` takes mappings: the library's words, where the alias is (or at the start).
    ['a YAML 1.1 merge of a scalar alias', '%YAML 1.1\n---\nx: &x 5\na:\n  <<: *x\n', 'f:5:7: cannot be read as YAML (Merge sources must be maps or map aliases)'],
    ['a YAML 1.1 merge of a scalar', '%YAML 1.1\n---\na: 1\n<<: 5\n', 'f:1:1: cannot be read as YAML (Merge sources must be maps or map aliases)'],
  ])('%s', (_, text, problem) => {
    const parsed = parseInventoryText(text, 'f');
    expect(parsed.syntaxProblems).toEqual([problem]);
    expect(parsed.inventory).toEqual({});
  });

  test.each<[string, string, unknown]>([
    ['an alias repeated', 'a: &a [1]\nb: [*a, *a]\n', { a: [1], b: [[1], [1]] }],
    ['an alias of the earlier of two values with its anchor', 'a: &a 1\nb: *a\nc: &a 2\n', { a: 1, b: 1, c: 2 }],
    ['an alias beside the value its anchor marks', 'a: &a {k: 1}\nb: {c: *a}\n', { a: { k: 1 }, b: { c: { k: 1 } } }],
    ['a YAML 1.1 merge of a mapping alias', '%YAML 1.1\n---\nx: &x {k: 1}\na:\n  <<: *x\n', { x: { k: 1 }, a: { k: 1 } }],
  ])('%s is read', (_, text, value) => {
    const parsed = parseInventoryText(text, 'f');
    expect(parsed.syntaxProblems).toEqual([]);
    expect(parsed.inventory).toEqual(value);
  });
});

describe('locate: FILE:LINE:COL of a path, or of its nearest ancestor in the file', () => {
  const text = '# rooms of Berlin\n\nrooms:\n  - name: Spree\n    tags: {floor: "1"}\n    devices:\n      - arn:d\n';
  test.each<[string, Array<string | number>, 'key' | undefined, string]>([
    ['a scalar value', ['rooms', 0, 'name'], undefined, 'f:4:11'],
    ['the key of a scalar', ['rooms', 0, 'name'], 'key', 'f:4:5'],
    ['a mapping value: its key', ['rooms', 0, 'tags'], undefined, 'f:5:5'],
    ['a list value: its key', ['rooms', 0, 'devices'], undefined, 'f:6:5'],
    ['a top-level list: its key', ['rooms'], undefined, 'f:3:1'],
    ['a list item', ['rooms', 0, 'devices', 0], undefined, 'f:7:9'],
    ['a list item with key: the item', ['rooms', 0, 'devices', 0], 'key', 'f:7:9'],
    ['a room', ['rooms', 0], undefined, 'f:4:5'],
    ['a field that is missing: its room', ['rooms', 0, 'mailbox'], undefined, 'f:4:5'],
    ['the key of a field that is missing: its room', ['rooms', 0, 'mailbox'], 'key', 'f:4:5'],
    ['a room that is missing: the list', ['rooms', 3, 'name'], undefined, 'f:3:1'],
    ['a path not in the file: the document, after its comments', ['profiles', 0], undefined, 'f:3:1'],
    ['the key of a top-level field that is missing: the document', ['profiles'], 'key', 'f:3:1'],
    ['the document', [], undefined, 'f:3:1'],
  ])('%s', (_, at, where, expected) => {
    const parsed = parseInventoryText(text, 'f');
    expect(parsed.syntaxProblems).toEqual([]);
    expect(parsed.locate(at, where)).toBe(expected);
  });

  test('the document has no key: a key at the top of it is not the document\'s', () => {
    // (A second document makes it a syntax problem, so the library never turns the list key into a string with a warning.)
    const parsed = parseInventoryText('\n? [a]\n: 1\n---\nb: 1\n', 'f');
    expect(parsed.syntaxProblems).toHaveLength(1);
    expect(parsed.locate([], 'key')).toBe('f:2:1');
  });

  test('a problem in a file that holds nothing is at its start', () => {
    expect(parseInventoryText('# none\n', 'f').locate(['rooms'])).toBe('f:1:1');
  });
});

describe('reading a file', () => {
  const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
  const NOT_UTF8 = (at: string, byte: string, offset: number) => `${at}: byte 0x${byte} is not UTF-8 (at byte ${offset}): save the file as UTF-8`;

  test.each<[string, Buffer, string, string, number]>([
    // The byte offset counts each character's UTF-8 length, at each length's first and last code point.
    ['after U+007F (1 byte)', bytes('\u007f', [0xff]), '1:2', 'ff', 1],
    ['after U+0080 (2 bytes)', bytes('\u0080', [0xff]), '1:2', 'ff', 2],
    ['after U+07FF (2 bytes)', bytes('\u07ff', [0xff]), '1:2', 'ff', 2],
    ['after U+0800 (3 bytes)', bytes('\u0800', [0xff]), '1:2', 'ff', 3],
    ['after U+FFFF (3 bytes)', bytes('\uffff', [0xff]), '1:2', 'ff', 3],
    ['after U+10000 (4 bytes, two UTF-16 units)', bytes('\u{10000}', [0xff]), '1:3', 'ff', 4],
    ['on a later line', bytes('a\u00e9\n\u20ac: ', [0xc3]), '2:4', 'c3', 9],
    ['first', bytes([0x80], 'a'), '1:1', '80', 0],
    // A U+FFFD written in the file (EF BF BD) is a character; bytes that only start like it are not.
    ['after a U+FFFD written as such', bytes('a\uFFFD', [0xff]), '1:3', 'ff', 4],
    ['EF then not BF', bytes('a', [0xef, 0x41, 0xbd]), '1:2', 'ef', 1],
    ['EF BF then not BD', bytes('a', [0xef, 0xbf, 0x41]), '1:2', 'ef', 1],
    ['not EF, then BF BD', bytes('a', [0xff, 0xbf, 0xbd]), '1:2', 'ff', 1],
    // The byte order mark is skipped: it is no column.
    ['after a byte order mark', bytes([0xef, 0xbb, 0xbf], 'ab', [0x80]), '1:3', '80', 5],
  ])('a byte that is not UTF-8 %s', (_, content, at, byte, offset) => {
    const file = write('rooms.yaml', content);
    expect(readTextFile(file, 'inventory', 100)).toEqual({ problem: NOT_UTF8(`${file}:${at}`, byte, offset) });
    const parsed = parseInventoryFile(file);
    expect(parsed.syntaxProblems).toEqual([NOT_UTF8(`${file}:${at}`, byte, offset)]);
    expect(parsed.inventory).toEqual({});
    expect(parsed.locate(['rooms', 0])).toBe(`${file}:1:1`);
  });

  test('UTF-8 is read as written, without its byte order mark', () => {
    const file = write('rooms.yaml', bytes([0xef, 0xbb, 0xbf], 'rooms: [{name: Café Zürich 😀}]\n'));
    expect(readTextFile(file, 'inventory', 100)).toBe('rooms: [{name: Café Zürich 😀}]\n');
    expect(parseInventoryFile(file).inventory).toEqual({ rooms: [{ name: 'Café Zürich 😀' }] });
  });

  test('a file of exactly the limit is read; one byte more is refused before it is read, naming its size and the limit', () => {
    const file = write('tenant.yaml', 'a: 1\n');
    expect(readTextFile(file, 'tenant', 5)).toBe('a: 1\n');
    fs.truncateSync(file, 1.5 * 1024 * 1024);
    expect(() => readTextFile(file, 'tenant', 1024 * 1024)).toThrow(`${file}: 1.5 MB is over the 1 MB limit for tenant files: parsing takes 25 to 60 times the file's size in memory, `
      + 'and a 10,000-room inventory (the A4B quota) is about 2 MB; is this the right file?');
    expect(() => readTextFile(file, 'tenant', 1.5 * 1024 * 1024 - 1)).toThrow(`${file}: 1.5 MB is over the 1.5 MB limit for tenant files`);
  });

  test('an inventory file over 16 MB is refused', () => {
    const file = write('rooms.json', '');
    fs.truncateSync(file, MAX_INVENTORY_BYTES + 1024 * 1024); // sparse: nothing to read, only its size
    expect(() => parseInventoryFile(file)).toThrow(`${file}: 17 MB is over the 16 MB limit for inventory files: parsing takes`);
  });

  test('a directory or a missing file names the file', () => {
    expect(() => parseInventoryFile(dir)).toThrow(`${dir}: cannot read the inventory (EISDIR: it is a directory)`);
    expect(() => readTextFile(path.join(dir, 'nope.yaml'), 'tenant', 100)).toThrow(`${path.join(dir, 'nope.yaml')}: cannot read the tenant (ENOENT)`);
  });
});

describe('the YAML library builds a document only when a problem needs a position', () => {
  // It takes 0.8-1.2 s for 10,000 rooms where the plain reader or JSON.parse take 0.1 s (docs/benchmarks.md): a
  // valid inventory must not pay for it, and a located one pays once.
  beforeEach(() => parseDocument.mockClear());

  test.each<[string, string, unknown, number, string]>([
    ['plain block YAML', 'rooms:\n  - name: A\n', { rooms: [{ name: 'A' }] }, 0, 'f:2:11'],
    ['JSON', '{"rooms": [{"name": "A"}]}', { rooms: [{ name: 'A' }] }, 0, 'f:1:21'],
    // A colon in a value is no key.
    ['JSON with a colon in a value', '{"rooms": [{"name": "A", "description": "10:30"}]}', { rooms: [{ name: 'A', description: '10:30' }] }, 0, 'f:1:21'],
    // `":` in a string looks like one key more than JSON.parse found: the library tells it from a duplicate.
    ['JSON with `":` in a string', '{"rooms": [{"name": "A\\": B"}]}', { rooms: [{ name: 'A": B' }] }, 1, 'f:1:21'],
    ['flow YAML', '{rooms: [{name: A}]}', { rooms: [{ name: 'A' }] }, 1, 'f:1:17'],
  ])('%s', (_, text, value, documentsToRead, nameAt) => {
    const parsed = parseInventoryText(text, 'f');
    expect(parsed.inventory).toEqual(value);
    expect(parseDocument).toHaveBeenCalledTimes(documentsToRead);
    expect(parsed.locate(['rooms', 0, 'name'])).toBe(nameAt);
    expect(parsed.locate(['rooms', 0], 'key')).toBe(text.startsWith('rooms') ? 'f:2:5' : `f:1:${text.indexOf('{', 1) + 1}`);
    expect(parseDocument).toHaveBeenCalledTimes(1);
  });
});
