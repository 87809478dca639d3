// Reading a synthesized CloudFormation template the way CloudFormation does for custom resources: which
// resources depend on which, intrinsic functions resolved against what is deployed, scalars turned to strings.
// Pure.

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
}

export interface Template {
  readonly Resources?: Record<string, TemplateResource>;
  readonly Parameters?: Record<string, { Default?: unknown }>;
}

/** Logical ids a resource depends on: DependsOn, Ref and Fn::GetAtt anywhere in its properties. */
export function dependencies(resource: TemplateResource, known: ReadonlySet<string>): string[] {
  const out = new Set<string>([resource.DependsOn ?? []].flat());
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (typeof o.Ref === 'string' && known.has(o.Ref)) out.add(o.Ref);
    const att = o['Fn::GetAtt'];
    if (Array.isArray(att) && known.has(String(att[0]))) out.add(String(att[0]));
    if (typeof att === 'string' && known.has(att.split('.')[0])) out.add(att.split('.')[0]);
    Object.values(o).forEach(walk);
  };
  walk(resource.Properties);
  return [...out].filter((d) => known.has(d));
}

/** Resources in an order where every one comes after what it depends on; throws on a cycle. */
export function topologicalOrder(deps: ReadonlyMap<string, readonly string[]>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`circular dependency: ${[...path, id].join(' -> ')}`);
    state.set(id, 'visiting');
    for (const d of deps.get(id) ?? []) visit(d, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of [...deps.keys()].sort()) visit(id, []);
  return order;
}

export interface ResolveContext {
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  readonly stackId: string;
  /** Physical id of a resource (Ref). */
  physicalId(logicalId: string): string | undefined;
  /** An attribute of a resource (Fn::GetAtt). */
  attribute(logicalId: string, name: string): string | undefined;
  /** Values of the template's parameters (nested stacks get them from the parent). */
  readonly parameters?: Record<string, unknown>;
}

export function resolve(value: unknown, ctx: ResolveContext, template: Template): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, ctx, template));
  if (!value || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1) {
    const [fn] = keys;
    const arg = o[fn];
    switch (fn) {
      case 'Ref': return ref(String(arg), ctx, template);
      case 'Fn::GetAtt': {
        const [id, name] = Array.isArray(arg) ? arg.map(String) : String(arg).split('.');
        const v = ctx.attribute(id, name);
        if (v === undefined) throw new Error(`Fn::GetAtt ${id}.${name}: ${id} has no attribute ${name}`);
        return v;
      }
      case 'Fn::Join': {
        const [sep, parts] = arg as [string, unknown[]];
        return (resolve(parts, ctx, template) as unknown[]).join(sep);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        return (resolve(list, ctx, template) as unknown[])[Number(resolve(index, ctx, template))];
      }
      case 'Fn::Split': {
        const [sep, str] = arg as [string, unknown];
        return String(resolve(str, ctx, template)).split(sep);
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
        return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
          if (name in vars) return String(resolve(vars[name], ctx, template));
          return name.includes('.') ? String(resolve({ 'Fn::GetAtt': name }, ctx, template)) : String(ref(name, ctx, template));
        });
      }
    }
  }
  return Object.fromEntries(keys.map((k) => [k, resolve(o[k], ctx, template)]));
}

function ref(name: string, ctx: ResolveContext, template: Template): unknown {
  switch (name) {
    case 'AWS::Region': return ctx.region;
    case 'AWS::AccountId': return ctx.accountId;
    case 'AWS::Partition': return 'aws';
    case 'AWS::URLSuffix': return 'amazonaws.com';
    case 'AWS::StackName': return ctx.stackName;
    case 'AWS::StackId': return ctx.stackId;
    case 'AWS::NoValue': return undefined;
  }
  if (template.Parameters && name in template.Parameters) return ctx.parameters?.[name] ?? template.Parameters[name].Default;
  const id = ctx.physicalId(name);
  if (id === undefined) throw new Error(`Ref ${name}: no such resource or parameter`);
  return id;
}

/** Every scalar as a string, as CloudFormation hands properties to custom resources. Undefined members vanish. */
export function stringifyScalars(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(stringifyScalars);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, stringifyScalars(v)]));
  }
  return value === undefined || value === null ? value : String(value);
}
