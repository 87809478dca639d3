// A reader for the plain block YAML that inventories are written in (and that `a4b-rooms import` writes): nested
// mappings and lists, one scalar a line, comments. It is many times faster than the YAML library, which builds a
// document with positions for every node (figures: docs/benchmarks.md, `npm run bench`). It gives up, returning undefined, on
// anything it does not know for certain: anchors and aliases, tags, block and multi-line scalars, escapes, floats,
// flow collections over more than one line, duplicate keys, deep nesting, document markers. The
// caller then reads the text with the YAML library, which also says where a problem is. Whatever it does return is
// what the YAML library's `parse` returns for the same text (YAML 1.2 core schema): test/inventory/plain-yaml.test.ts
// holds the two to that over generated and hand-written inventories.

/** undefined: not plain; the YAML library must read the text. */
type Value = unknown;

class NotPlain extends Error {}

const notPlain = (): never => {
  throw new NotPlain();
};

/** The YAML core schema's plain scalars other than strings, decimal integers, booleans and null: left to the library. */
const OTHER_CORE_FORMS = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/;
/** The first characters of every plain scalar the core schema reads as other than a string. */
const NOT_ONLY_STRINGS = new Set([...'~nNtTfF0123456789+-.']);
/** The core schema's null and booleans (`[Nn]ull|NULL|~`, `[Tt]rue|TRUE`, `[Ff]alse|FALSE`). */
const CORE_WORDS = new Map<string, null | boolean>([
  ['~', null], ['null', null], ['Null', null], ['NULL', null],
  ['true', true], ['True', true], ['TRUE', true], ['false', false], ['False', false], ['FALSE', false],
]);
/**
 * The commonest lines, in one regular expression each: read cold, the general path makes a dozen calls a line. An
 * entry `key: value` with a plain key and a value that can only be a string (`name: Board Room`), or a double-quoted
 * one without escapes (`floor: "4"`); a list item that can only be a string (`- Conferencing`). A plain value may not
 * start with what starts anything else (an indicator, a quote, `-`, a number, `~`) nor hold `:` or `#`; the words
 * null, true and false are turned away after the match. Everything else takes the general path.
 */
// Stryker disable next-line Regex: a narrower pattern only sends more lines down the general path, which reads them the same
const SIMPLE_ENTRY = /^([A-Za-z_][\w-]*): +(?:([^-\s~+.0-9?:,[\]{}#&*!|>'"%@`][^:#]*)|"([^"\\]*)")$/;
// Stryker disable next-line Regex: a narrower pattern only sends more lines down the general path, which reads them the same
const SIMPLE_ITEM = /^- +([^-\s~+.0-9?:,[\]{}#&*!|>'"%@`][^:#]*)$/;
/** Characters that start something other than a plain scalar (YAML 1.2, c-indicator), `-` handled apart. */
const INDICATORS = new Set([
  '?', ',', ']', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`',
  // Stryker disable next-line StringLiteral: plain() never sees these first: quotes and flow collections are read before it
  '[', '{', '\'', '"',
  // Stryker disable next-line StringLiteral: `: ` is refused below (the includes test); `:x` the library reads as the same string
  ':',
]);

/**
 * The value of a plain block YAML text, or undefined when the text uses anything else (including every error): then
 * only the YAML library may read it. `maxDepth` bounds nesting as the library's reader is bounded by its caller.
 */
export function parsePlainYaml(text: string, maxDepth: number): Value | undefined {
  // Tabs, control characters, the line breaks and byte order mark YAML treats specially, CR not before LF.
  if (/[\t\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|\r(?!\n)/.test(text)) return undefined;
  // Each line that is not blank nor a comment: its indentation and its text after it, in two arrays (a cold read
  // spends its time per line; objects per line were a third of it).
  const indents: number[] = [];
  const texts: string[] = [];
  for (const line of text.split('\n')) {
    // A CR stands only before an LF (checked above); YAML's white space is the space (tabs are refused above), not
    // JavaScript's trim() set: a no-break space at the end of a room's name is part of the name.
    let end = line.length;
    if (end > 0 && line.charCodeAt(end - 1) === 13) end--;
    while (end > 0 && line.charCodeAt(end - 1) === 32) end--;
    let start = 0;
    while (start < end && line.charCodeAt(start) === 32) start++;
    if (start === end || line.charCodeAt(start) === 35) continue;
    // Stryker disable next-line ConditionalExpression: the slice is the same text; the test only saves a copy
    const trimmed = start === 0 && end === line.length ? line : line.slice(start, end);
    // Directives and document markers.
    if (start === 0 && (trimmed[0] === '%' || trimmed.startsWith('---') || trimmed.startsWith('...'))) return undefined;
    indents.push(start);
    texts.push(trimmed);
  }
  if (!texts.length) return undefined;
  // Stryker disable BlockStatement: the reader throws nothing but NotPlain, so an empty catch returns the same undefined (a directive reaches the catch's block only from here)
  try {
    const reader = new PlainReader(indents, texts, maxDepth);
    const value = reader.block(indents[0], 1);
    return reader.done() ? value : undefined;
  } catch (e) {
    // Stryker disable next-line ConditionalExpression: as above: every error the reader throws is a NotPlain
    if (e instanceof NotPlain) return undefined;
    throw e;
  }
}

// Stryker restore BlockStatement
class PlainReader {
  private i = 0;

  constructor(private readonly indents: number[], private readonly texts: string[], private readonly maxDepth: number) {}

  done(): boolean {
    return this.i === this.texts.length;
  }

  /** The mapping or list starting at the current line, which is indented by `indent`. */
  block(indent: number, depth: number): Value {
    // Stryker disable next-line ConditionalExpression: list() and mapping(), called with the same depth, check it too
    if (depth > this.maxDepth) notPlain();
    return isItem(this.texts[this.i]) ? this.list(indent, depth) : this.mapping(indent, depth);
  }

  private list(indent: number, depth: number): Value[] {
    if (depth > this.maxDepth) notPlain();
    const { indents, texts } = this;
    const out: Value[] = [];
    while (this.i < texts.length && indents[this.i] === indent && isItem(texts[this.i])) {
      const text = texts[this.i];
      const simple = SIMPLE_ITEM.exec(text);
      // Stryker disable next-line ConditionalExpression,BlockStatement: the fast path only; the general path below reads the item the same
      if (simple && !CORE_WORDS.has(simple[1])) {
        out.push(simple[1]);
        // Stryker disable next-line EqualityOperator: an early exit only: a deeper line left unread ends every loop above it, and done() is false
        if (++this.i < texts.length && indents[this.i] > indent) notPlain();
        continue;
      }
      const rest = spacesOffStart(text.slice(1));
      if (rest === '' || rest[0] === '#') {
        this.i++;
        out.push(this.nested(indent, depth));
      } else if (isItem(rest)) {
        notPlain();
      } else if (keyEnd(rest) !== undefined) {
        // `- name: Spree`: a mapping whose keys stand where `name` does.
        const column = indent + text.length - rest.length;
        indents[this.i] = column;
        texts[this.i] = rest;
        out.push(this.mapping(column, depth + 1));
      } else {
        this.i++;
        out.push(scalar(rest, depth + 1, this.maxDepth));
        this.noDeeper(indent);
      }
    }
    this.noDeeper(indent);
    return out;
  }

  private mapping(indent: number, depth: number): Record<string, Value> {
    if (depth > this.maxDepth) notPlain();
    const { indents, texts } = this;
    const out: Record<string, Value> = {};
    while (this.i < texts.length && indents[this.i] === indent && !isItem(texts[this.i])) {
      const text = texts[this.i];
      const simple = SIMPLE_ENTRY.exec(text);
      // Stryker disable next-line ConditionalExpression,LogicalOperator,BlockStatement: the fast path only; the general path below reads the entry the same
      if (simple && !CORE_WORDS.has(simple[1]) && (simple[2] === undefined || !CORE_WORDS.has(simple[2]))) {
        // Duplicate keys are an error the library words; `__proto__` it stores as an own property.
        if (Object.prototype.hasOwnProperty.call(out, simple[1]) || simple[1] === '__proto__') notPlain();
        out[simple[1]] = simple[2] ?? simple[3];
        // A line indented further after a scalar continues it (a multi-line scalar) or is an error.
        // Stryker disable next-line EqualityOperator: an early exit only: a deeper line left unread ends every loop above it, and done() is false
        if (++this.i < texts.length && indents[this.i] > indent) notPlain();
        continue;
      }
      const end = keyEnd(text) ?? notPlain();
      const key = mappingKey(text.slice(0, end));
      if (Object.prototype.hasOwnProperty.call(out, key) || key === '__proto__') notPlain();
      const rest = spacesOffStart(text.slice(end + 1));
      this.i++;
      if (rest === '' || rest[0] === '#') {
        // A list may stand at its key's own indentation.
        const listHere = this.i < texts.length && indents[this.i] === indent && isItem(texts[this.i]);
        out[key] = listHere ? this.list(indent, depth + 1) : this.nested(indent, depth);
      } else {
        out[key] = scalar(rest, depth + 1, this.maxDepth);
        this.noDeeper(indent);
      }
    }
    this.noDeeper(indent);
    return out;
  }

  /** The block under an empty `key:` or `-`, or null when the next line is not indented further. */
  private nested(indent: number, depth: number): Value {
    return this.i < this.texts.length && this.indents[this.i] > indent ? this.block(this.indents[this.i], depth + 1) : null;
  }

  /** A line indented further after a scalar continues it (a multi-line scalar) or is an error. */
  // Stryker disable next-line BlockStatement: an early exit only: a deeper line left unread ends every loop above it, and done() is false
  private noDeeper(indent: number): void {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: as above
    if (this.i < this.texts.length && this.indents[this.i] > indent) notPlain();
  }
}

function isItem(text: string): boolean {
  return text[0] === '-' && (text.length === 1 || text[1] === ' ');
}

/** Where the `:` that ends a mapping key is (followed by a space or the end of the line), if the line is a mapping entry. */
function keyEnd(text: string): number | undefined {
  // A flow collection (`- { name: Spree }`) is a value; as a key it is left to the library.
  if (text[0] === '{' || text[0] === '[') return undefined;
  if (text[0] === '"' || text[0] === '\'') {
    const close = closingQuote(text);
    // Stryker disable next-line ConditionalExpression: text[NaN] is undefined, not ':', so the line below returns undefined too
    if (close === undefined) return undefined;
    return text[close + 1] === ':' && (close + 2 === text.length || text[close + 2] === ' ') ? close + 1 : undefined;
  }
  for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) {
    if (i + 1 === text.length || text[i + 1] === ' ') return i;
  }
  return undefined;
}

function mappingKey(text: string): string {
  const key = text[0] === '"' || text[0] === '\'' ? quoted(spacesOffEnd(text)) : plain(spacesOffEnd(text));
  // Keys of other types (`true:`, `1:`) the library turns into strings its own way.
  return typeof key === 'string' ? key : notPlain();
}

/** The index of the quote closing the quoted scalar `text` starts with, if on this line. */
function closingQuote(text: string): number | undefined {
  const q = text[0];
  // Stryker disable next-line EqualityOperator: text[text.length] is undefined, neither a backslash nor a quote
  for (let i = 1; i < text.length; i++) {
    if (q === '"' && text[i] === '\\') return undefined;
    if (text[i] === q) {
      if (q === '\'' && text[i + 1] === '\'') {
        i++;
        continue;
      }
      return i;
    }
  }
  return undefined;
}

/** A value on the rest of a line: quoted, plain, or a flow collection (which would nest at `depth`). */
function scalar(text: string, depth: number, maxDepth: number): Value {
  if (text[0] === '"' || text[0] === '\'') {
    const close = closingQuote(text) ?? notPlain();
    const after = text.slice(close + 1);
    if (after !== '' && !/^ +#/.test(after)) notPlain();
    return quoted(text.slice(0, close + 1));
  }
  if (text[0] === '[' || text[0] === '{') return flow(text, depth, maxDepth);
  return plain(uncommented(text));
}

function quoted(text: string): string {
  const body = text.slice(1, -1);
  return text[0] === '\'' ? body.replace(/''/g, '\'') : body;
}

/** A flow collection written on one line (`{ name: Spree, skillGroups: [Conferencing] }`), then spaces and a comment. */
function flow(text: string, depth: number, maxDepth: number): Value {
  const reader = new FlowReader(text, maxDepth);
  const value = reader.collection(depth);
  reader.spaces();
  if (!reader.atEnd() && !reader.at(' #', -1)) notPlain();
  return value;
}

/**
 * Flow mappings and lists on one line: `{ key: value, ... }` and `[value, ...]`, values plain, quoted or nested.
 * Keys must be followed by `: `; empty entries, trailing commas, keys without values and `?` are left to the library.
 */
class FlowReader {
  private pos = 0;

  constructor(private readonly text: string, private readonly maxDepth: number) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  at(s: string, offset = 0): boolean {
    return this.text.startsWith(s, this.pos + offset);
  }

  spaces(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }

  collection(depth: number): Value {
    if (depth > this.maxDepth) notPlain();
    const open = this.text[this.pos++];
    const close = open === '{' ? '}' : ']';
    const out: any = open === '{' ? {} : [];
    this.spaces();
    if (this.text[this.pos] === close) {
      this.pos++;
      return out;
    }
    for (;;) {
      if (open === '{') {
        const key = this.key();
        if (Object.prototype.hasOwnProperty.call(out, key) || key === '__proto__') notPlain();
        out[key] = this.value(depth);
      } else {
        out.push(this.value(depth));
      }
      this.spaces();
      const c = this.text[this.pos++];
      if (c === close) return out;
      if (c !== ',') notPlain();
      this.spaces();
      // A trailing comma, or an empty entry.
      // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: plain('') refuses the empty entry as well
      if (this.text[this.pos] === close || this.text[this.pos] === ',') notPlain();
    }
  }

  private key(): string {
    const c = this.text[this.pos];
    let key: Value;
    if (c === '"' || c === '\'') {
      key = this.quoted();
      this.spaces();
    } else {
      key = plain(this.plainText());
    }
    if (typeof key !== 'string' || this.text[this.pos] !== ':' || this.text[this.pos + 1] !== ' ') notPlain();
    this.pos += 2;
    this.spaces();
    return key as string;
  }

  private value(depth: number): Value {
    const c = this.text[this.pos];
    if (c === '{' || c === '[') return this.collection(depth + 1);
    if (c === '"' || c === '\'') return this.quoted();
    return plain(this.plainText());
  }

  private quoted(): string {
    const close = closingQuote(this.text.slice(this.pos)) ?? notPlain();
    const value = quoted(this.text.slice(this.pos, this.pos + close + 1));
    this.pos += close + 1;
    return value;
  }

  /** Up to a flow indicator or `: `; a `[`, `{` or ` #` inside is left to the library. */
  private plainText(): string {
    const start = this.pos;
    // Stryker disable next-line EqualityOperator: one step past the end reads undefined, which stops nothing, and slices the same text
    for (; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos];
      if (c === ',' || c === ']' || c === '}' || (c === ':' && this.text[this.pos + 1] === ' ')) break;
      if (c === '[' || c === '{' || (c === '#' && this.text[this.pos - 1] === ' ')) notPlain();
    }
    return spacesOffEnd(this.text.slice(start, this.pos));
  }
}

/** A plain scalar without its comment (`#` after a space starts one). */
function uncommented(text: string): string {
  const hash = text.indexOf(' #');
  return hash === -1 ? text : spacesOffEnd(text.slice(0, hash));
}

function plain(text: string): Value {
  if (text === '' || INDICATORS.has(text[0]) || (text[0] === '-' && (text.length === 1 || text[1] === ' '))) notPlain();
  if (text.includes(': ') || text.endsWith(':') || text.includes(' #')) notPlain();
  // Null, booleans, numbers and the other core forms all start with one of these: anything else is a string, known
  // without the regular expressions below (most names, addresses and mailboxes; it halves a cold read).
  // Stryker disable next-line ConditionalExpression: a shortcut only: the tests below find nothing else in such a text
  if (!NOT_ONLY_STRINGS.has(text[0])) return text;
  if (CORE_WORDS.has(text)) return CORE_WORDS.get(text);
  // Of the forms starting with a letter the core schema knows only those words (`name`, `tags`, `floor` are strings).
  // Stryker disable next-line ConditionalExpression: a shortcut only: the tests below find nothing else in such a text
  if (text[0] > '9') return text;
  if (/^[-+]?[0-9]+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : notPlain();
  }
  if (OTHER_CORE_FORMS.test(text)) notPlain();
  return text;
}

// YAML's white space is the space and the tab (tabs are refused above), not JavaScript's trim() set: a no-break
// space at the end of a room's name is part of the name.
function spacesOffEnd(text: string): string {
  let end = text.length;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: charCodeAt(-1) is NaN, not a space
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  // Stryker disable next-line ConditionalExpression: the slice is the same text; the test only saves a copy
  return end === text.length ? text : text.slice(0, end);
}

function spacesOffStart(text: string): string {
  let start = 0;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: charCodeAt(text.length) is NaN, not a space
  while (start < text.length && text.charCodeAt(start) === 32) start++;
  // Stryker disable next-line ConditionalExpression: the slice is the same text; the test only saves a copy
  return start === 0 ? text : text.slice(start);
}
