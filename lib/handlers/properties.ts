// CloudFormation hands custom resources every scalar as a string ("true", "30"), nested in the same lists and
// objects the template had. These readers accept both the typed and the stringified form and nothing else.
import { ResourceError } from './cfn';

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

export class PropertyReader {
  constructor(private readonly props: Record<string, unknown>, private readonly resource: string) {}

  string(name: string): string | undefined {
    const v = this.props[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw this.bad(name, v, 'a string');
  }

  requiredString(name: string): string {
    const v = this.string(name);
    if (v === undefined || v === '') throw this.bad(name, v, 'a non-empty string');
    return v;
  }

  boolean(name: string, from: Record<string, unknown> = this.props, path = name): boolean | undefined {
    const v = from[name];
    if (v === undefined || v === null) return undefined;
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    throw this.bad(path, v, 'true or false');
  }

  requiredBoolean(name: string, from: Record<string, unknown> = this.props, path = name): boolean {
    const v = this.boolean(name, from, path);
    if (v === undefined) throw this.bad(path, from[name], 'true or false');
    return v;
  }

  integer(name: string, from: Record<string, unknown> = this.props, path = name): number | undefined {
    const v = from[name];
    if (v === undefined || v === null) return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isInteger(n)) throw this.bad(path, v, 'a whole number');
    return n;
  }

  stringList(name: string): string[] | undefined {
    const v = this.props[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw this.bad(name, v, 'a list of strings');
    return v as string[];
  }

  tags(name: string): Tag[] {
    const v = this.props[name];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw this.bad(name, v, 'a list of { Key, Value }');
    return v.map((t, i) => {
      if (!t || typeof t !== 'object' || typeof (t as any).Key !== 'string') throw this.bad(`${name}[${i}]`, t, 'a { Key, Value } pair');
      return { Key: (t as any).Key, Value: String((t as any).Value ?? '') };
    });
  }

  object(name: string, from: Record<string, unknown> = this.props, path = name): Record<string, unknown> | undefined {
    const v = from[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw this.bad(path, v, 'an object');
    return v as Record<string, unknown>;
  }

  private bad(name: string, value: unknown, expected: string): ResourceError {
    const shown = JSON.stringify(value);
    return new ResourceError(`${this.resource}: property ${name} is ${shown === undefined ? 'missing' : shown.slice(0, 80)}; it must be ${expected}`);
  }
}
