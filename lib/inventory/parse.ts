// Reads an inventory file (YAML or JSON: JSON is YAML) keeping where every value stands, so a problem can be
// reported as FILE:LINE:COL.
import * as fs from 'fs';
import type { Document } from 'yaml';
import { Inventory } from './model';

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
}

export interface ParsedInventory {
  readonly file: string;
  readonly inventory: Inventory;
  /** `FILE:LINE:COL` of a path, falling back to its nearest ancestor that exists in the file. */
  locate(path: InventoryPath, at?: 'key'): string;
  /** Problems found while parsing (YAML syntax). */
  readonly syntaxProblems: string[];
}

export function parseInventoryText(text: string, file: string): ParsedInventory {
  // JSON is read by JSON.parse, ten times faster than a YAML parser on a 10,000-room file; the YAML document that
  // knows positions is built only when a problem needs one.
  if (/^\s*\{/.test(text)) {
    try {
      const inventory = JSON.parse(text) as Inventory;
      let located: ParsedInventory | undefined;
      return { file, inventory, syntaxProblems: [], locate: (path, where) => (located ??= parseYaml(text, file)).locate(path, where) };
    } catch {
      // not valid JSON: the YAML parser says where
    }
  }
  return parseYaml(text, file);
}

/** The YAML library, loaded when a file needs it (a JSON inventory without problems never does). */
function yaml(): typeof import('yaml') {
  return require('yaml');
}

function parseYaml(text: string, file: string): ParsedInventory {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const syntaxProblems = doc.errors.map((e) => `${at(e.pos[0])}: ${e.message.split('\n')[0]}`);
  const inventory = (syntaxProblems.length ? {} : doc.toJS({ maxAliasCount: 100 }) ?? {}) as Inventory;
  return {
    file,
    inventory,
    syntaxProblems,
    locate: (path, where) => at(offsetOf(doc, path, where)),
  };
}

export function parseInventoryFile(file: string): ParsedInventory {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read the inventory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseInventoryText(text, file);
}

function offsetOf(doc: Document, path: InventoryPath, where?: 'key'): number {
  const { isMap, isSeq } = yaml();
  if (where === 'key' && typeof path[path.length - 1] === 'string') {
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    const pair = isMap(parent) ? parent.items.find((p: any) => p.key?.value === path[path.length - 1]) : undefined;
    if (pair && (pair.key as any)?.range) return (pair.key as any).range[0];
  }
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (node && typeof node === 'object' && 'range' in node && (node as any).range) {
      // For a map entry, point at the key rather than the value when the value is a collection.
      if (n > 0 && (isMap(node) || isSeq(node))) {
        const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
        if (isMap(parent)) {
          const pair = parent.items.find((p: any) => p.key?.value === path[n - 1]);
          if (pair && (pair.key as any)?.range) return (pair.key as any).range[0];
        }
      }
      return (node as any).range[0];
    }
  }
  return 0;
}
