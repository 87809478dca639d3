// The A4B service model (alexaforbusiness 2017-11-09: botocore 1.29.27's with the ProactiveJoin shapes of the Smithy
// model the shipped SDK was generated from; see a4b-model/PROVENANCE.md) as the emulator reads it: the subset
// scripts/a4b-model.js generates into a4b-model.generated.ts, the model's Java-style patterns as JavaScript regular expressions, and the projection of a
// value onto a modelled shape (what A4B answers holds only modelled members).

export interface ModelShape {
  readonly type: 'string' | 'integer' | 'boolean' | 'timestamp' | 'list' | 'structure' | 'long' | 'double' | 'float' | 'blob' | 'map';
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly required?: readonly string[];
  /** Member name to shape name. */
  readonly members?: Readonly<Record<string, string>>;
  /** List member's shape name. */
  readonly member?: string;
  readonly [extra: string]: unknown;
}

export interface A4bModel {
  readonly metadata: { readonly apiVersion: string; readonly targetPrefix: string };
  readonly operations: Readonly<Record<string, { readonly input: string; readonly output: string; readonly errors: readonly string[] }>>;
  /** The filter and sort keys each Search operation's documentation names as supported. */
  readonly searchKeys: Readonly<Record<string, { readonly filter: readonly string[]; readonly sort: readonly string[] }>>;
  readonly shapes: Readonly<Record<string, ModelShape>>;
}

/**
 * A model pattern as a JavaScript RegExp matching the whole value (AWS checks patterns against the whole member).
 * The model's patterns are Java regular expressions; the one difference that matters is `\u10000-\u10FFFF` in the
 * text pattern, which names the astral planes and becomes `\u{10000}-\u{10FFFF}` under the `u` flag.
 */
export function modelPattern(pattern: string): RegExp {
  const js = pattern.replace(/\\u([0-9A-Fa-f]{5,6})/g, '\\u{$1}');
  return new RegExp(`^(?:${js})$`, 'u');
}

/**
 * The longest value a pattern allows when the model gives no `max`: ARNs have none, but their pattern
 * (`arn:` and four fields of at most 63 characters, then one character and at most 1,023 more) caps them at 1,284.
 */
export function patternMaxLength(pattern: string): number | undefined {
  if (/[*+]|\{\d+,\}/.test(pattern.replace(/\\./g, ''))) return undefined;
  let total = 0;
  // Each atom: a class, an escape or a literal, with an optional {m,n} or {n}.
  for (const m of pattern.matchAll(/(\[(?:\\.|[^\]])*\]|\\.|[^[\\{])(\{(\d+)(?:,(\d+))?\})?/g)) {
    total += m[2] ? Number(m[4] ?? m[3]) : 1;
  }
  return total;
}

/**
 * `value` with only the members `shapeName` models, recursively (what A4B would answer with); undefined and null
 * members dropped.
 */
export function project(model: A4bModel, shapeName: string, value: unknown): unknown {
  const shape = model.shapes[shapeName];
  if (value === undefined || value === null) return undefined;
  if (shape.type === 'structure' && typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      const v = project(model, ref, (value as Record<string, unknown>)[name]);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }
  if (shape.type === 'list' && Array.isArray(value)) return value.map((v) => project(model, shape.member!, v));
  return value;
}
