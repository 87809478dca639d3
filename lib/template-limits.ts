import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis, CfnMapping, CfnOutput, DefaultStackSynthesizer, CfnParameter, CfnResource, ISynthesisSession, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CFN_LIMITS } from './cfn-limits';

// CloudFormation refuses a template over its limits only at deploy time, after the assets are published; aws-cdk-lib
// throws a minified stack dump for 500 resources and only warns for 1 MB. These checks fail synth first, naming the
// template, the limit and what to change. Counts are taken from the construct tree before synthesis (validation);
// sizes and parameter values after the templates are written (custom synthesis, once per stage).

/** @internal What to change when a stack is over a limit: set by the construct that made it (RoomInventory). */
export const limitAdvice = new WeakMap<Stack, string>();

const COUNT_ADVICE = 'move some of its resources to another stack';
const SIZE_ADVICE = 'move some of its resources to another stack, or shorten long names, descriptions and tags';

/** @internal Checks every template of `root` (a top-level stack) and of its nested stacks against CloudFormation's limits. */
export function checkTemplateLimits(root: Stack): void {
  root.node.addValidation({ validate: () => countProblems(root) });
  const stage = Stage.of(root);
  if (!stage) return;
  let roots = sizeChecked.get(stage);
  if (!roots) {
    const checked = new Set<Stack>();
    roots = checked;
    sizeChecked.set(stage, checked);
    // Stages run custom synthesis after every template under them is written (post-order), so sizes are final. A
    // stage has room for one; if another library took it, sizes go unchecked here (CloudFormation still checks).
    if ((stage as unknown as Record<symbol, unknown>)[Symbol.for('@aws-cdk/core:customSynthesis')] === undefined) {
      attachCustomSynthesis(stage, { onSynthesize: (session) => { for (const s of checked) sizeProblems(s, session); } });
    }
  }
  roots.add(root);
}

const sizeChecked = new WeakMap<Stage, Set<Stack>>();

function describe(stack: Stack): string {
  return stack.nestedStackParent ? `nested stack ${stack.node.path}` : `stack ${stack.stackName}`;
}

function advice(stack: Stack, generic: string): string {
  return limitAdvice.get(stack) ?? generic;
}

function countProblems(root: Stack): string[] {
  const counts = new Map<Stack, { resources: number; parameters: number; outputs: number; mappings: number }>();
  const walk = (c: IConstruct, stack: Stack) => {
    const own = Stack.isStack(c) ? c : stack;
    let n = counts.get(own);
    if (!n) counts.set(own, n = { resources: 0, parameters: 0, outputs: 0, mappings: 0 });
    if (c instanceof CfnResource) n.resources++;
    else if (c instanceof CfnParameter) n.parameters++;
    else if (c instanceof CfnOutput) n.outputs++;
    else if (c instanceof CfnMapping) n.mappings++;
    for (const child of c.node.children) walk(child, own);
  };
  walk(root, root);
  // The default synthesizer adds its BootstrapVersion parameter only when it writes the template, after validation.
  const synthesizer = root.synthesizer as unknown as { props?: { generateBootstrapVersionRule?: boolean } };
  if (root.synthesizer instanceof DefaultStackSynthesizer && synthesizer.props?.generateBootstrapVersionRule !== false && !root.node.tryFindChild('BootstrapVersion')) {
    counts.get(root)!.parameters++;
  }
  const problems: string[] = [];
  for (const [stack, n] of counts) {
    const over = (what: string, count: number, max: number) => {
      if (count > max) problems.push(`${describe(stack)} would have ${count} ${what}, over CloudFormation's ${max} per template: ${advice(stack, COUNT_ADVICE)}`);
    };
    over('resources', n.resources, CFN_LIMITS.resources);
    over('parameters', n.parameters, CFN_LIMITS.parameters);
    over('outputs', n.outputs, CFN_LIMITS.outputs);
    over('mappings', n.mappings, CFN_LIMITS.mappings);
  }
  return problems;
}

function sizeProblems(root: Stack, session: ISynthesisSession): void {
  const problems: string[] = [];
  const stacks = [root, ...root.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack)];
  const parents = new Set(stacks.map((s) => s.nestedStackParent));
  for (const stack of stacks) {
    const file = path.join(session.outdir, stack.templateFile);
    if (!fs.existsSync(file)) continue;
    const bytes = fs.statSync(file).size;
    if (bytes > CFN_LIMITS.templateBodyBytes) {
      problems.push(`${describe(stack)}: its template (${stack.templateFile}) is ${bytes.toLocaleString('en-US')} bytes, over CloudFormation's `
        + `${CFN_LIMITS.templateBodyBytes.toLocaleString('en-US')} per template: ${advice(stack, SIZE_ADVICE)}`);
    }
    // Nested stacks' parameters as the parent passes them: a literal value is known now (references resolve at deploy).
    if (!parents.has(stack)) continue;
    const template = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
      if (r.Type !== 'AWS::CloudFormation::Stack') continue;
      for (const [name, value] of Object.entries<any>(r.Properties?.Parameters ?? {})) {
        if (typeof value === 'string' && Buffer.byteLength(value) > CFN_LIMITS.parameterValueBytes) {
          problems.push(`${describe(stack)}: parameter ${name} of nested stack ${id} is ${Buffer.byteLength(value)} bytes, over CloudFormation's ${CFN_LIMITS.parameterValueBytes} per parameter value: pass less in it`);
        }
      }
    }
  }
  if (problems.length) throw new Error(`CloudFormation would refuse ${problems.length === 1 ? 'a template' : `${problems.length} templates`}:\n  ${problems.join('\n  ')}`);
}
