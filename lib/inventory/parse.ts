// Reads an inventory file (YAML or JSON: JSON is YAML) keeping where every value stands, so a problem can be
// reported as FILE:LINE:COL.
import * as fs from 'fs';
import type { Document, Node } from 'yaml';
import { Inventory } from './model';
import { parsePlainYaml } from './plain-yaml';

export type InventoryPath = ReadonlyArray<string | number>;

export interface InventoryProblem {
  /** Where the bad value is (or the entry it is missing from). */
  readonly path: InventoryPath;
  /** `room 'Spree'`, `profile 'Berlin'`, `calendarLink`, or `inventory`. */
  readonly entity: string;
  readonly field: string;
  readonly message: string;
  /** Point at the key of the last path element rather than its value (an unknown field, a bad tag key). */
  readonly at?: 'key';
  /**
   * For a problem between two entries (one name, mailbox or device twice), where the other one stands: its
   * `(rooms[0])` in the message is then given with its FILE:LINE:COL, so both places are in the report.
   */
  readonly also?: InventoryPath;
}

export interface ParsedInventory {
  readonly file: string;
  /** What the file holds; null when it holds no document (empty, or only comments). */
  readonly inventory: Inventory;
  /** `FILE:LINE:COL` of a path, falling back to its nearest ancestor that exists in the file. */
  locate(path: InventoryPath, at?: 'key'): string;
  /** Problems that make the file unreadable (encoding, YAML syntax, duplicate keys, nesting, an empty file), each `FILE:LINE:COL: ...`. */
  readonly syntaxProblems: string[];
}

/**
 * The largest inventory file read. Parsing costs memory: the YAML document takes 25 to 60 times the file's size
 * (measured: 520 MB for a 19 MB file, 2.4-3 GB for a 50 MB one). A 10,000-room inventory (the A4B quota) as a platform
 * team writes it is about 2 MB, so 16 MB leaves 8 times that while keeping the parse under about 1 GB. A cap on bytes
 * does not bound files of tiny nodes (4 MB of one-character list items took the YAML library 2 GB); none is legitimate.
 */
export const MAX_INVENTORY_BYTES = 16 * 1024 * 1024;

/**
 * How deeply lists and mappings may nest. An inventory needs 5 levels (profiles[].meetingRoom.instantBooking.durationMinutes);
 * the YAML library overflows the stack at about 900 and every later step (schema check, rules) recurses too.
 */
export const MAX_NESTING = 64;

/** The fix for an inventory without rooms, which would otherwise deploy as "delete every room". */
export const NO_ROOMS_FIX = 'write `rooms: []` to declare no rooms';

export function parseInventoryText(text: string, file: string): ParsedInventory {
  return parseDataText(text, file, `the file holds no inventory (it is empty or only comments): ${NO_ROOMS_FIX}`);
}

/**
 * A YAML or JSON text with positions, refused (as `syntaxProblems`) when it has a syntax error, a duplicate key,
 * nests too deeply, holds nothing (`empty`: what to say then) or more than one document (`one`: what the file is, as
 * in "an inventory is one document"). Shared by inventories and tenant files.
 */
export function parseDataText(text: string, file: string, empty: string, one = 'an inventory'): ParsedInventory {
  // JSON is read by JSON.parse, far faster than a YAML parser on a large file; the YAML document that
  // knows positions is built only when a problem needs one.
  // Stryker disable next-line ConditionalExpression,Regex: JSON that is not an object (a list, a scalar) reads to the same value either way (YAML 1.2 holds JSON), only slower; a text that is not JSON fails JSON.parse and goes on as YAML
  if (/^\s*\{/.test(text)) {
    let inventory: Inventory | undefined;
    try {
      inventory = JSON.parse(text) as Inventory;
    } catch {
      // not valid JSON: the YAML parser says where
    }
    if (inventory !== undefined) {
      let located: ParsedInventory | undefined;
      const yamlDoc = () => (located ??= parseYaml(text, file, empty, one));
      const locate = (path: InventoryPath, where?: 'key') => yamlDoc().locate(path, where);
      const { depth, keys } = shape(inventory);
      if (depth > MAX_NESTING) return { file, inventory: {}, syntaxProblems: [`${lineCol(text, file, deepOffset(text))}: ${tooDeep()}`], locate: () => `${file}:1:1` };
      // JSON.parse keeps the last of two equal keys without a word (a second `rooms` would replace the first and a
      // deploy would delete the rooms it lost). Every key is a string followed by a colon, so fewer keys in the
      // parsed value than `"` + `:` pairs in the text means a duplicate (or a string holding `\":`, which the YAML
      // parser, run only then, tells apart).
      if (keys < countKeyColons(text)) {
        const problems = yamlDoc().syntaxProblems;
        if (problems.length) return { file, inventory: {}, syntaxProblems: problems, locate };
      }
      return { file, inventory, syntaxProblems: [], locate };
    }
  }
  // Plain block YAML (most inventories) is read without the YAML library, which is slow to build a document with every
  // position (docs/benchmarks.md, `npm run bench`); that document is built only if a problem needs a position.
  const plainValue = parsePlainYaml(text, MAX_NESTING);
  if (plainValue !== undefined) {
    let located: ParsedInventory | undefined;
    const locate = (path: InventoryPath, where?: 'key') => (located ??= parseYaml(text, file, empty, one)).locate(path, where);
    return { file, inventory: plainValue as Inventory, syntaxProblems: [], locate };
  }
  return parseYaml(text, file, empty, one);
}

/** The YAML library, loaded when a file needs it (a JSON inventory without problems never does). */
function yaml(): typeof import('yaml') {
  return require('yaml');
}

function parseYaml(text: string, file: string, empty: string, one: string): ParsedInventory {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const locate = (path: InventoryPath, where?: 'key') => at(offsetOf(doc, path, where));
  const failed = (syntaxProblems: string[]) => ({ file, inventory: {}, syntaxProblems, locate });
  if (doc.errors.length) {
    // A stack overflow surfaces once per collection it unwinds through: the first says it.
    const errors = doc.errors.filter((e, i) => !/Maximum call stack/.test(e.message) || doc.errors.findIndex((x) => /Maximum call stack/.test(x.message)) === i);
    return failed(errors.map((e) => `${at(e.pos[0])}: ${yamlMessage(e, text, one)}`));
  }
  if (doc.contents === null) return failed([`${at(0)}: ${empty}`]);
  const deep = deepNode(doc);
  if (deep !== undefined) return failed([`${at(deep)}: ${tooDeep()}`]);
  const badAlias = aliasProblem(doc);
  if (badAlias) return failed([`${at(badAlias.offset)}: ${badAlias.why}`]);
  let inventory: Inventory;
  try {
    inventory = doc.toJS({ maxAliasCount: 100 }) as Inventory;
  } catch (e) {
    // The YAML library throws for an alias bomb (anchors whose aliases expand exponentially) and little else (a YAML
    // 1.1 merge key `<<` on a scalar).
    const alias = firstAlias(doc);
    const why = /Excessive alias count/.test((e as Error).message)
      ? 'its aliases (*name) expand to too many copies (an alias bomb?): write the values out instead'
      : `cannot be read as YAML (${(e as Error).message.split('\n')[0]})`;
    return failed([`${at(alias ?? 0)}: ${why}`]);
  }
  return { file, inventory, syntaxProblems: [], locate };
}

/** The YAML library's message, worded for this file (its first line otherwise). */
function yamlMessage(e: { code: string; pos: [number, number]; message: string }, text: string, one: string): string {
  // The library's own words send the user to its parseAllDocuments().
  if (e.code === 'MULTIPLE_DOCS') {
    return `a second YAML document starts here${text.startsWith('---', e.pos[0]) ? ' (---)' : ''}: ${one} is one document; merge the two or split them into two files`;
  }
  if (e.code === 'DUPLICATE_KEY') {
    const key = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^:\n#]+?))\s*:/.exec(text.slice(e.pos[0], e.pos[0] + 300));
    const name = key ? key[1] ?? key[2] ?? key[3] : undefined;
    return `duplicate key${name === undefined ? '' : ` '${name}'`}: a mapping may hold each key once (of two, one would silently replace the other); merge them or remove one`;
  }
  if (/Maximum call stack/.test(e.message)) return tooDeep();
  return e.message.split('\n')[0];
}

function tooDeep(): string {
  return `lists and mappings nest more than ${MAX_NESTING} levels deep (an inventory needs 5): is this the right file?`;
}

/** Nesting depth and the number of mapping keys of a parsed JSON value, without recursion (the value may be deep). */
function shape(value: unknown): { depth: number; keys: number } {
  let depth = 0;
  let keys = 0;
  // Two flat stacks and for...in: a 10,000-room inventory takes under a millisecond (tuples and Object.values, 5).
  const values: unknown[] = [value];
  const depths: number[] = [1];
  // Stryker disable next-line ConditionalExpression: stopping past the limit only saves time: depth never decreases
  while (values.length && depth <= MAX_NESTING) {
    const v = values.pop() as any;
    const d = depths.pop()!;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a value past the limit ends the loop at once with depth past it; without one, depth stays within it either way
    if (d > depth) depth = d;
    const push = (c: unknown) => {
      if (c !== null && typeof c === 'object') {
        values.push(c);
        depths.push(d + 1);
      }
    };
    if (Array.isArray(v)) {
      for (const c of v) push(c);
    } else {
      for (const k in v) {
        keys++;
        push(v[k]);
      }
    }
  }
  return { depth, keys };
}

/** Occurrences of `"` then `:` (JSON whitespace between allowed): at least one per key of a JSON text. */
function countKeyColons(text: string): number {
  let n = 0;
  // Stryker disable next-line StringLiteral: indexOf('') is 0, where no quote comes before: nothing is counted there
  let i = text.indexOf(':');
  while (i !== -1) {
    let j = i - 1;
    while (text[j] === ' ' || text[j] === '\n' || text[j] === '\r' || text[j] === '\t') j--;
    if (text[j] === '"') n++;
    i = text.indexOf(':', i + 1);
  }
  return n;
}

/** Where a JSON text first nests deeper than MAX_NESTING: brackets counted outside strings. */
function deepOffset(text: string): number {
  let depth = 0;
  // Stryker disable next-line EqualityOperator: called only for a text nested past the limit, so it returns before the end
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      // JSON.parse read the text: each string ends before the text does.
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_NESTING) return i;
    } else if (c === ']' || c === '}') {
      depth--;
    }
  }
  return 0;
}

/** The offset of the first YAML node nested deeper than MAX_NESTING, found without recursion. */
function deepNode(doc: Document): number | undefined {
  const { isCollection, isPair } = yaml();
  const stack: Array<[unknown, number]> = [[doc.contents, 1]];
  while (stack.length) {
    const [node, d] = stack.pop()!;
    if (isPair(node)) {
      stack.push([node.value, d], [node.key, d]);
    } else if (isCollection(node)) {
      if (d > MAX_NESTING) return node.range![0];
      // In reverse, so that the first item is searched first.
      // Stryker disable next-line ArithmeticOperator: items past the end are undefined, neither pair nor collection
      for (let i = node.items.length - 1; i >= 0; i--) {
        stack.push([node.items[i], d + 1]);
      }
    }
  }
  return undefined;
}

/**
 * The first alias that names no anchor before it (the library would throw without saying where) or that stands inside
 * the value its anchor marks (the value would contain itself: every later step, down to JSON.stringify, would loop).
 */
function aliasProblem(doc: Document): { offset: number; why: string } | undefined {
  const { visit, isAlias } = yaml();
  const anchored = new Map<string, Node>();
  let problem: { offset: number; why: string } | undefined;
  // Pre-order, as the library resolves an alias: to the last node with its anchor before it.
  visit(doc, {
    Node: (_, node, path) => {
      if (!isAlias(node)) {
        // Stryker disable next-line ConditionalExpression: a node kept under `undefined` is never looked up (every alias has a name)
        if (node.anchor) anchored.set(node.anchor, node);
        return undefined;
      }
      const name = node.source;
      const target = anchored.get(name);
      const why = target === undefined ? `the alias *${name} has no anchor &${name} before it: put the anchor on an earlier value, or write the value out`
        : path.includes(target) ? `the alias *${name} is inside the value its anchor &${name} marks, which would contain itself: write the values out instead`
          : undefined;
      if (why === undefined) return undefined;
      problem = { offset: node.range![0], why };
      return visit.BREAK;
    },
  });
  return problem;
}

function firstAlias(doc: Document): number | undefined {
  const { visit } = yaml();
  let offset: number | undefined;
  visit(doc, { Alias: (_, node) => { offset = node.range![0]; return visit.BREAK; } });
  return offset;
}

/** `FILE:LINE:COL` of an offset in a text (columns in UTF-16 code units, as the YAML library counts them). */
function lineCol(text: string, file: string, offset: number): string {
  const before = text.slice(0, offset);
  return `${file}:${before.split('\n').length}:${offset - before.lastIndexOf('\n')}`;
}

/**
 * Reads an inventory file. Bytes that are not UTF-8 are refused where they are (decoding them would put U+FFFD into
 * a room's name, which a deploy would then write to A4B); a UTF-8 byte order mark is skipped.
 */
export function parseInventoryFile(file: string): ParsedInventory {
  const read = readTextFile(file, 'inventory', MAX_INVENTORY_BYTES);
  if (typeof read !== 'string') return { file, inventory: {}, syntaxProblems: [read.problem], locate: () => `${file}:1:1` };
  return parseInventoryText(read, file);
}

/**
 * A file's text, or the problem with it at FILE:LINE:COL (bytes that are not UTF-8). Throws, naming the file, when it
 * cannot be read or is over `maxBytes`.
 */
export function readTextFile(file: string, what: string, maxBytes: number): string | { problem: string } {
  let bytes: Buffer;
  try {
    const size = fs.statSync(file).size;
    if (size > maxBytes) {
      throw new Error(`${file}: ${mb(size)} is over the ${mb(maxBytes)} limit for ${what} files: parsing takes 25 to 60 times the file's size in memory, `
        + 'and a 10,000-room inventory (the A4B quota) is about 2 MB; is this the right file?');
    }
    bytes = fs.readFileSync(file);
  } catch (e) {
    if (!(e as NodeJS.ErrnoException).code) throw e;
    throw new Error(`${file}: cannot read the ${what} (${(e as NodeJS.ErrnoException).code}${(e as NodeJS.ErrnoException).code === 'EISDIR' ? ': it is a directory' : ''})`);
  }
  try {
    // fatal: throw on the first byte that is not UTF-8; the default ignoreBOM: false drops a leading byte order mark.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const { offset, text } = firstBadUtf8(bytes);
    return { problem: `${lineCol(text, file, text.length)}: byte 0x${bytes[offset].toString(16)} is not UTF-8 (at byte ${offset}): save the file as UTF-8` };
  }
}

/** The byte offset of the first byte that is not UTF-8 and the text before it, decoded. */
function firstBadUtf8(bytes: Buffer): { offset: number; text: string } {
  // Decoding replaces each bad sequence with U+FFFD; before the first one, every character's UTF-8 length is known,
  // so walking the decoded text finds it (a U+FFFD written in the file as EF BF BD is a character like any other).
  const decoded = bytes.toString('utf8');
  let offset = 0;
  let index = 0;
  for (const ch of decoded) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0xfffd && !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) break;
    offset += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    index += ch.length;
  }
  const text = decoded.slice(0, index);
  return { offset, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

function mb(bytes: number): string {
  return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
}

function offsetOf(doc: Document, path: InventoryPath, where?: 'key'): number {
  const { isCollection, isMap } = yaml();
  // Where the key of `at`'s last element stands in its parent, if that is a mapping holding it.
  const keyOf = (at: InventoryPath): number | undefined => {
    const parent = doc.getIn(at.slice(0, -1));
    const pair = isMap(parent) ? parent.items.find((p: any) => p.key.value === at[at.length - 1]) : undefined;
    return (pair?.key as Node | undefined)?.range![0];
  };
  if (where === 'key' && typeof path[path.length - 1] === 'string') {
    const key = keyOf(path);
    if (key !== undefined) return key;
  }
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
    if (node?.range) {
      // For a map entry, point at the key rather than the value when the value is a collection.
      return (n > 0 && isCollection(node) ? keyOf(path.slice(0, n)) : undefined) ?? node.range[0];
    }
  }
  return 0;
}
