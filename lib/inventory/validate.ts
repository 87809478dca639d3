// Checks an inventory: its structure against the shipped JSON Schema (ajv), then every inventory rule. Returns all
// problems at once as `FILE:LINE:COL: <entity>: <field> <value> <what is allowed>`, in file order.
import type { ErrorObject } from 'ajv';
import { showValue } from '../constraints';
import { Inventory } from './model';
import { InventoryPath, InventoryProblem, NO_ROOMS_FIX, ParsedInventory } from './parse';
import { INVENTORY_RULES, yamlNumber } from './rules';

type SchemaCheck = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
let compiled: SchemaCheck | undefined;

/**
 * The schema check, compiled to standalone code by the build (scripts/bundle-handlers.js writes schema-validator.js
 * with ajv's standalone code), so that neither a synth nor the CLI loads or runs ajv's compiler: the package ships
 * without ajv.
 */
function schemaCheck(): SchemaCheck {
  try {
    return require('./schema-validator');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !(e as Error).message.includes('schema-validator')) throw e;
    throw new Error('lib/inventory/schema-validator.js is missing: run npm run build (it compiles the inventory schema)');
  }
}

/** Problems ajv finds that the rules do not word better (lengths, ranges and patterns are the rules'). */
const SCHEMA_KEYWORDS = new Set(['type', 'required', 'additionalProperties', 'enum']);

export function schemaProblems(inventory: unknown): InventoryProblem[] {
  compiled ??= schemaCheck();
  compiled(inventory);
  // Stryker disable next-line ArrayDeclaration: errors is null only when the data is valid, and an entry without a keyword is filtered out
  return (compiled.errors ?? []).filter((e) => SCHEMA_KEYWORDS.has(e.keyword) && !nanForInteger(e, inventory))
    .map((e) => fromAjv(e, inventory as Inventory));
}

/** `.nan` where a whole number goes: the integer rules word it, with the range (ajv passes ±.inf as integers). */
function nanForInteger(e: ErrorObject, inventory: unknown): boolean {
  return e.keyword === 'type' && (e.params as { type: string }).type === 'integer' && Number.isNaN(valueAt(e, inventory));
}

function valueAt(e: ErrorObject, inventory: unknown): unknown {
  return valueOf(pathOf(e), inventory);
}

/** The error's place in the data: its JSON Pointer (RFC 6901: ~1 is /, ~0 is ~) as keys and list indexes. */
function pathOf(e: ErrorObject): Array<string | number> {
  return e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
}

function valueOf(path: InventoryPath, inventory: unknown): unknown {
  // Stryker disable next-line OptionalChaining: ajv's instancePath leads through the data it checked
  return path.reduce<any>((v, k) => v?.[k], inventory);
}

function fromAjv(e: ErrorObject, inventory: Inventory): InventoryProblem {
  const path = pathOf(e);
  const entity = entityOf(path, inventory);
  const value = valueOf(path, inventory);
  const field = fieldOf(path);
  if (typeof value === 'number' && !Number.isFinite(value) && (e.keyword === 'type' || e.keyword === 'enum')) {
    return { path, entity, field, message: nonFiniteValue(field, value, e) };
  }
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      // Without `rooms` a deploy would delete every room the stack holds (an empty or truncated file, a typo).
      if (missing === 'rooms' && path.length === 0) return { path, entity, field: missing, message: `rooms is required: ${NO_ROOMS_FIX} (an inventory without rooms would delete every room deployed before)` };
      return { path, entity, field: missing, message: `${missing} is required` };
    }
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      // Stryker disable next-line OptionalChaining: the build compiles the schema with verbose, which gives every error its parentSchema
      const allowed = Object.keys((e.parentSchema as any)?.properties ?? {});
      const near = allowed.find((a) => a.toLowerCase() === extra.toLowerCase() || editDistance(a, extra) <= 2);
      return { path: [...path, extra], at: 'key', entity, field: extra, message: `${extra} is not a field here${near ? `: did you mean ${near}?` : ''} (allowed: ${allowed.join(', ')})` };
    }
    case 'enum':
      return { path, entity, field, message: `${field} ${showValue(value)} must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).join(', ')}` };
    default: {
      const type = (e.params as { type: string }).type;
      return { path, entity, field, message: `${field} ${showValue(value)} must be ${article(type)}${type === 'boolean' ? ': write true or false' : ''}` };
    }
  }
}

/** `.nan` or `.inf` where text, a boolean or one of a list goes: YAML read a number; say what was meant. */
function nonFiniteValue(field: string, value: number, e: ErrorObject): string {
  const written = yamlNumber(value);
  const head = `${field}: ${written} is a number to YAML (${Number.isNaN(value) ? 'not-a-number' : 'infinity'})`;
  if (e.keyword === 'enum') return `${head}: give one of ${((e.params as { allowedValues: unknown[] }).allowedValues).join(', ')}`;
  const type = (e.params as { type: string }).type;
  if (type === 'string') return `${head}, not text: write '${written}' in quotes if you mean those characters`;
  return `${head}, not ${article(type)}${type === 'boolean' ? ': write true or false' : ''}`;
}

function article(type: string): string {
  return type === 'integer' ? 'a whole number' : type === 'array' ? 'a list' : type === 'object' ? 'a mapping' : `a ${type}`;
}

function fieldOf(path: InventoryPath): string {
  const inEntry = typeof path[1] === 'number';
  const rest = inEntry ? path.slice(2) : path[0] === 'calendarLink' ? path.slice(1) : path;
  const text = rest.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
  return text || (inEntry ? `${String(path[0])}[${path[1]}]` : String(path[0] ?? 'inventory'));
}

export function entityOf(path: InventoryPath, inventory: Inventory): string {
  const [list, i] = path;
  const name = typeof i === 'number' ? (inventory as any)?.[list]?.[i]?.name : undefined;
  const label = { rooms: 'room', profiles: 'profile', skillGroups: 'skill group' }[String(list)];
  if (label && typeof i === 'number') return `${label} ${showValue(typeof name === 'string' ? name : `#${i + 1}`)}`;
  if (list === 'calendarLink') return 'calendarLink';
  return 'inventory';
}

/** A copy without the values the schema found of the wrong type, so the rules read only what they understand. */
function withoutBadTypes(inventory: unknown, problems: InventoryProblem[]): Inventory {
  const bad = problems.filter((p) => / must be (a |one of)| is a number to YAML /.test(p.message) && p.path.length > 0);
  // The rules only read: without bad values the inventory itself will do, and a synth copies no rooms.
  if (!bad.length) return (inventory ?? {}) as Inventory;
  // structuredClone, not JSON: JSON would turn a -.inf the rules still have to refuse into a null they skip.
  const copy = structuredClone(inventory ?? {}) as any;
  for (const p of bad) {
    // Stryker disable next-line OptionalChaining: the schema does not look inside a value of the wrong type, so no bad value holds another
    const parent = p.path.slice(0, -1).reduce<any>((v, k) => v?.[k], copy);
    if (parent && typeof parent === 'object') delete parent[p.path[p.path.length - 1]];
  }
  return copy;
}

export function inventoryProblems(inventory: unknown): InventoryProblem[] {
  if (inventory === null || typeof inventory !== 'object' || Array.isArray(inventory)) {
    return [{ path: [], entity: 'inventory', field: 'inventory', message: 'an inventory is a mapping with calendarLink, profiles, skillGroups and rooms' }];
  }
  const structural = schemaProblems(inventory);
  const clean = withoutBadTypes(inventory, structural);
  return [...structural, ...INVENTORY_RULES.flatMap((rule) => rule(clean))];
}

/** Every problem of a parsed inventory file, formatted and in file order. */
export function validateInventory(parsed: ParsedInventory): string[] {
  if (parsed.syntaxProblems.length) return parsed.syntaxProblems;
  const located = inventoryProblems(parsed.inventory).map((p) => ({ where: parsed.locate(p.path, p.at), text: `${p.entity}: ${withOtherPlace(p, parsed)}` }));
  const key = (where: string) => where.split(':').slice(-2).map(Number);
  located.sort((a, b) => {
    const [la, ca] = key(a.where);
    const [lb, cb] = key(b.where);
    return la - lb || ca - cb;
  });
  return [...new Set(located.map((l) => `${l.where}: ${l.text}`))];
}

/** The message, its `(rooms[0])` given the other entry's place: `(rooms[0], rooms.yaml:8:13)`. */
function withOtherPlace(p: InventoryProblem, parsed: ParsedInventory): string {
  if (!p.also) return p.message;
  const entry = `(${String(p.also[0])}[${String(p.also[1])}])`;
  return p.message.replace(entry, `${entry.slice(0, -1)}, ${parsed.locate(p.also)})`);
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}
