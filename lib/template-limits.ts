import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis, CfnResource, ISynthesisSession, NestedStack, Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { CFN_LIMITS } from './cfn-limits';
import { attached } from './markers';

// CloudFormation refuses a template over its limits only at deploy time, after the assets are published; aws-cdk-lib
// throws a minified stack dump for 500 resources and only warns for 1 MB. These checks fail synth first, naming the
// template, the limit and what to change. They are opt-in and scoped: RoomInventory checks the nested stacks it makes,
// and a user's stack is checked only through TemplateLimits.check. Counts are taken from the construct tree before
// synthesis (a validation); sizes after the templates are written, by a construct of the check's own placed after
// them (custom synthesis runs in post-order), never through a Stage's single custom-synthesis slot.

const COUNT_ADVICE = 'move some of its resources to another stack';
const SIZE_ADVICE = 'move some of its resources to another stack, or shorten long names, descriptions and tags';

/**
 * Options for TemplateLimits.check.
 */
export interface TemplateLimitsOptions {
  /**
   * What to tell the user to change when a template is over a limit.
   *
   * @default - move some of its resources to another stack (or, for the 1 MB limit, shorten names, descriptions and tags)
   */
  readonly advice?: string;
}

/**
 * Fails synth when a stack's template, or a template of one of its nested stacks, would be over CloudFormation's
 * per-template limits: 500 resources, 200 parameters, 200 outputs, 200 mappings, 1 MB, and 4 KB per parameter value a
 * nested stack is passed. The error names the template, the limit and what to change, where CloudFormation would
 * refuse the deploy only after the assets are published.
 *
 * RoomInventory checks the nested stacks it makes; nothing else is checked unless you ask for it here.
 */
export class TemplateLimits {
  /**
   * Checks `stack` and the nested stacks under it at synth: counts when the construct tree is validated, sizes once
   * the templates are written. The size check is a construct (with no resources) next to `stack`, under its
   * scope. Checking a stack twice checks it once.
   */
  public static check(stack: Stack, options: TemplateLimitsOptions = {}): void {
    let first = false;
    attached(stack, 'TemplateLimits', () => first = true);
    if (!first) return;
    const stacks = () => [stack, ...nestedStacksUnder(stack)];
    const advice = () => options.advice;
    stack.node.addValidation({ validate: () => countProblems(stacks(), advice) });
    // Added after `stack`, so custom synthesis reaches it after the stack and its nested stacks wrote their templates.
    new SizeCheck(stack.node.scope as Construct, `${stack.node.id}.TemplateLimits`, stacks, advice);
  }

  private constructor() {}
}

/**
 * @internal Checks the nested stacks `stacks()` lists (all under `owner`) the way TemplateLimits.check does, with
 * advice per stack: RoomInventory's own stacks. Call it after the last of them is made (its size check is the child
 * of `owner` made now, which custom synthesis reaches after them).
 */
export function checkNestedStackLimits(owner: Construct, stacks: () => NestedStack[], advice: (stack: Stack) => string | undefined): void {
  owner.node.addValidation({ validate: () => countProblems(stacks(), advice) });
  new SizeCheck(owner, 'TemplateLimits', stacks, advice);
}

/** Reads the templates of `stacks` once they are written: their size, and the values their nested stacks are passed. */
class SizeCheck extends Construct {
  constructor(scope: Construct, id: string, stacks: () => Stack[], advice: (stack: Stack) => string | undefined) {
    super(scope, id);
    attachCustomSynthesis(this, { onSynthesize: (session) => sizeProblems(stacks(), advice, session) });
  }
}

function nestedStacksUnder(stack: Stack): NestedStack[] {
  return stack.node.findAll().filter((c): c is NestedStack => c !== stack && NestedStack.isNestedStack(c));
}

function describe(stack: Stack): string {
  return stack.nestedStackParent ? `nested stack ${stack.node.path}` : `stack ${stack.stackName}`;
}

/** The kind of CloudFormation element `c` is, by what it offers (no `instanceof`: an app may hold two aws-cdk-libs). */
function elementKind(c: IConstruct): 'resources' | 'parameters' | 'outputs' | 'mappings' | undefined {
  if (CfnResource.isCfnResource(c)) return 'resources';
  const x = c as unknown as Record<string, unknown>;
  if (!('logicalId' in x)) return undefined;
  if ('valueAsString' in x && 'noEcho' in x) return 'parameters';
  if ('exportName' in x && 'importValue' in x) return 'outputs';
  if ('findInMap' in x) return 'mappings';
  return undefined;
}

type Counts = Record<'resources' | 'parameters' | 'outputs' | 'mappings', number>;

function countProblems(stacks: Stack[], advice: (stack: Stack) => string | undefined): string[] {
  const checked = new Set(stacks);
  const counts = new Map<Stack, Counts>();
  const walk = (c: IConstruct, stack: Stack) => {
    const own = Stack.isStack(c) ? c : stack;
    if (own !== stack && !checked.has(own)) return;
    let n = counts.get(own);
    if (!n) counts.set(own, n = { resources: 0, parameters: 0, outputs: 0, mappings: 0 });
    const kind = elementKind(c);
    if (kind) n[kind]++;
    for (const child of c.node.children) walk(child, own);
  };
  for (const s of stacks) if (!s.nestedStackParent || !checked.has(s.nestedStackParent)) walk(s, s);
  const problems: string[] = [];
  for (const [stack, n] of counts) {
    const over = (what: keyof Counts, max: number) => {
      if (n[what] > max) problems.push(`${describe(stack)} would have ${n[what]} ${what}, over CloudFormation's ${max} per template: ${advice(stack) ?? COUNT_ADVICE}`);
    };
    over('resources', CFN_LIMITS.resources);
    over('parameters', CFN_LIMITS.parameters);
    over('outputs', CFN_LIMITS.outputs);
    over('mappings', CFN_LIMITS.mappings);
    // Nested stacks' parameters as the parent passes them: references were resolved before validation, so a literal
    // value is final here (a reference resolves at deploy).
    if (NestedStack.isNestedStack(stack)) {
      const resource = stack.nestedStackResource as (CfnResource & { parameters?: unknown }) | undefined;
      const values = resource && stack.nestedStackParent!.resolve(resource.parameters);
      for (const [name, value] of Object.entries<unknown>(values ?? {})) {
        if (typeof value === 'string' && Buffer.byteLength(value) > CFN_LIMITS.parameterValueBytes) {
          problems.push(`${describe(stack.nestedStackParent!)}: parameter ${name} of nested stack ${stack.node.path} is ${Buffer.byteLength(value)} bytes, `
            + `over CloudFormation's ${CFN_LIMITS.parameterValueBytes} per parameter value: pass less in it`);
        }
      }
    }
  }
  return problems;
}

function sizeProblems(stacks: Stack[], advice: (stack: Stack) => string | undefined, session: ISynthesisSession): void {
  const problems: string[] = [];
  for (const stack of stacks) {
    const file = path.join(session.outdir, stack.templateFile);
    if (!fs.existsSync(file)) continue;
    const bytes = fs.statSync(file).size;
    if (bytes > CFN_LIMITS.templateBodyBytes) {
      problems.push(`${describe(stack)}: its template (${stack.templateFile}) is ${bytes.toLocaleString('en-US')} bytes, over CloudFormation's `
        + `${CFN_LIMITS.templateBodyBytes.toLocaleString('en-US')} per template: ${advice(stack) ?? SIZE_ADVICE}`);
    }
    // A top-level stack's synthesizer may add parameters as it writes the template (the default one's
    // BootstrapVersion), after the count before synthesis: counted again in the template as written.
    if (!stack.nestedStackParent) {
      const parameters = Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).Parameters ?? {}).length;
      if (parameters > CFN_LIMITS.parameters) {
        problems.push(`${describe(stack)} has ${parameters} parameters, over CloudFormation's ${CFN_LIMITS.parameters} per template: ${advice(stack) ?? COUNT_ADVICE}`);
      }
    }
  }
  if (problems.length) throw new Error(`CloudFormation would refuse ${problems.length === 1 ? 'a template' : `${problems.length} templates`}:\n  ${problems.join('\n  ')}`);
}
