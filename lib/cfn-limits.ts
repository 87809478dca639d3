// CloudFormation's per-template limits, and the errors CloudFormation gives when a template breaks one. Pure: no CDK,
// no I/O; used by the synth-time check and by the local deploy engine (lib/local/deploy-engine.ts).
//
// The limits are those of the CloudFormation User Guide's quotas page (raised on 2020-10-22: "AWS CloudFormation now
// supports increased limits on five service quotas": template body in S3 1 MB, resources 500, parameters 200,
// mappings 200, outputs 200), quoted in aws-cloudformation/cfn-lint#1747 and dougmoscrop/serverless-plugin-split-stacks#141.
//
// The wording of each error, as CloudFormation answers CreateStack / UpdateStack (a ValidationError, nothing deployed)
// or, for a nested stack, as the event of its AWS::CloudFormation::Stack resource:
// - resources: "Template format error: Number of resources, 202, is greater than maximum allowed, 200"
//   (serverless/serverless#2387, amplify-education/serverless-log-forwarding#26; with 500 since 2020, as quoted from
//   dougmoscrop/serverless-plugin-split-stacks#159 in ministackorg/ministack#1661).
// - parameters: "Template format error: Parameter count 86 is greater than max allowed 60" (remind101/empire#861,
//   convox/rack#816, aws/aws-cdk#8736).
// - outputs: "Template format error: Outputs count 62 is greater than max allowed 60"
//   (aditmalik-synechron/serverless-nested-stack#5, dougmoscrop/serverless-plugin-split-stacks#43).
// - mappings: NOT FOUND in any report; a guess in the shape of the two above ("Mappings count N is greater than max
//   allowed 200").
// - template body read from S3: "Template may not exceed 1000000 bytes in size." (formkiq/formkiq-core#204,
//   aws-amplify/amplify-category-api#2153; earlier "Template may not exceed 460800 bytes in size." in
//   aws-amplify/amplify-cli#185). The service counts 1,000,000 bytes, not 1,048,576.
// - a parameter's Default over 4,096 bytes: "Template format error: Parameter 'EnvironmentVariables' default value
//   '[****]' length is greater than 4096." (meteor-up/mup-aws-beanstalk#42; the value is masked).
// - a parameter value passed in (a nested stack's Parameters, or CreateStack's): NOT FOUND; a guess in the shape of
//   the default-value error ("Parameter 'X' value '[****]' length is greater than 4096.").
// A body passed inline (TemplateBody, at most 51,200 bytes) never applies to a CDK deploy: the CDK CLI uploads a
// template over 50 KiB to S3 and deploys it by URL, and nested stacks are always deployed from S3.

/** CloudFormation's per-template limits. */
export const CFN_LIMITS = {
  /** Resources declared in one template. */
  resources: 500,
  /** Parameters declared in one template. */
  parameters: 200,
  /** Outputs declared in one template. */
  outputs: 200,
  /** Mappings declared in one template. */
  mappings: 200,
  /** Bytes of a template body read from S3 (TemplateURL): how cdk deploys templates over 51,200 bytes, and every nested stack. */
  templateBodyBytes: 1_000_000,
  /** Bytes of a template body passed inline (TemplateBody); cdk uploads bigger ones to S3, so it does not apply to a cdk deploy. */
  inlineTemplateBodyBytes: 51_200,
  /** Bytes of one parameter value (a Default, or a value passed in). */
  parameterValueBytes: 4096,
} as const;

export type CfnLimitName = 'resources' | 'parameters' | 'outputs' | 'mappings' | 'templateBodyBytes' | 'parameterValueBytes';

export interface LimitBreach {
  /** Which limit (a key of CFN_LIMITS). */
  readonly limit: CfnLimitName;
  /** The template's figure. */
  readonly actual: number;
  /** The limit. */
  readonly maximum: number;
  /** CloudFormation's own error for it (see the top of this file for which are quoted and which are guessed). */
  readonly message: string;
  /** For parameterValueBytes: the parameter. */
  readonly parameter?: string;
}

const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length;
const count = (section: unknown): number => (section && typeof section === 'object' ? Object.keys(section).length : 0);

/**
 * Every CloudFormation template limit `template` (whose text is `body`, as CloudFormation reads it from S3) breaks:
 * size, resources, parameters, outputs, mappings, then parameter values (each parameter's Default, or the value passed
 * in `parameterValues`, which replaces it). CloudFormation stops at the first it finds; this lists them all.
 */
export function templateLimitBreaches(body: string, template: object, parameterValues?: Readonly<Record<string, string>>): LimitBreach[] {
  const t = template as { Resources?: unknown; Parameters?: Record<string, { Default?: unknown }>; Outputs?: unknown; Mappings?: unknown };
  const out: LimitBreach[] = [];
  const bytes = utf8Bytes(body);
  if (bytes > CFN_LIMITS.templateBodyBytes) {
    out.push({ limit: 'templateBodyBytes', actual: bytes, maximum: CFN_LIMITS.templateBodyBytes, message: `Template may not exceed ${CFN_LIMITS.templateBodyBytes} bytes in size.` });
  }
  const resources = count(t.Resources);
  if (resources > CFN_LIMITS.resources) {
    out.push({ limit: 'resources', actual: resources, maximum: CFN_LIMITS.resources, message: `Template format error: Number of resources, ${resources}, is greater than maximum allowed, ${CFN_LIMITS.resources}` });
  }
  const parameters = count(t.Parameters);
  if (parameters > CFN_LIMITS.parameters) {
    out.push({ limit: 'parameters', actual: parameters, maximum: CFN_LIMITS.parameters, message: `Template format error: Parameter count ${parameters} is greater than max allowed ${CFN_LIMITS.parameters}` });
  }
  const outputs = count(t.Outputs);
  if (outputs > CFN_LIMITS.outputs) {
    out.push({ limit: 'outputs', actual: outputs, maximum: CFN_LIMITS.outputs, message: `Template format error: Outputs count ${outputs} is greater than max allowed ${CFN_LIMITS.outputs}` });
  }
  const mappings = count(t.Mappings);
  if (mappings > CFN_LIMITS.mappings) {
    out.push({ limit: 'mappings', actual: mappings, maximum: CFN_LIMITS.mappings, message: `Template format error: Mappings count ${mappings} is greater than max allowed ${CFN_LIMITS.mappings}` });
  }
  for (const [name, p] of Object.entries(t.Parameters ?? {})) {
    const given = parameterValues?.[name];
    const value = given ?? (p && typeof p === 'object' && p.Default !== undefined ? String(p.Default) : undefined);
    if (value === undefined) continue;
    const length = utf8Bytes(value);
    if (length <= CFN_LIMITS.parameterValueBytes) continue;
    out.push({
      limit: 'parameterValueBytes', actual: length, maximum: CFN_LIMITS.parameterValueBytes, parameter: name,
      message: `Template format error: Parameter '${name}' ${given !== undefined ? 'value' : 'default value'} '[****]' length is greater than ${CFN_LIMITS.parameterValueBytes}.`,
    });
  }
  return out;
}
