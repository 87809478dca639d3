import * as path from 'path';
import { CfnResource, Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HandlerSecurityOptions } from './handler-options';

/**
 * The default runtime: nodejs24.x, the successor of nodejs22.x (deprecated on 2027-04-30). aws-cdk-lib 2.220 (the
 * peer minimum) has no constant for it; a later one that has it is used as is.
 */
export const DEFAULT_RUNTIME: lambda.Runtime = (lambda.Runtime as unknown as Record<string, lambda.Runtime | undefined>).NODEJS_24_X
  ?? new lambda.Runtime('nodejs24.x', lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });

/** The oldest Node.js the handler bundles run on: scripts/bundle-handlers.js builds them for node22. */
const OLDEST_NODE = 22;

/** @internal */
export interface BundledFunctionOptions extends HandlerSecurityOptions {
  /** What error messages name, e.g. `RoomsProvider Stack/A4BRoomsProvider`. */
  readonly owner: string;
  /** The folder under assets/ that scripts/bundle-handlers.js writes. */
  readonly asset: string;
  /** The code, when it is not the asset folder as it is (the drift monitor's carries its inventory). */
  readonly code?: lambda.Code;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly logRetention?: logs.RetentionDays;
  /** The retention of the function's own log group when `logRetention` is not given. */
  readonly defaultLogRetention?: logs.RetentionDays;
  readonly reservedConcurrentExecutions?: number;
}

/**
 * @internal A function on one of the package's prebundled handlers, as every handler of this library has it: arm64,
 * a Node.js runtime, a log group kept for a bounded time, and a role that may write to that log group only (and,
 * in a VPC, manage the function's network interfaces) before the construct grants what its handler calls.
 */
export function bundledFunction(scope: Construct, options: BundledFunctionOptions): lambda.Function {
  const problems = securityProblems(options);
  if (problems.length) throw new Error(problems.map((p) => `${options.owner}: ${p}`).join('\n'));
  const logGroup = options.logGroup ?? new logs.LogGroup(scope, 'Logs', {
    retention: options.logRetention ?? options.defaultLogRetention ?? logs.RetentionDays.ONE_MONTH,
    encryptionKey: options.logEncryptionKey,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // Instead of the AWS managed AWSLambdaBasicExecutionRole (logs:CreateLogGroup, CreateLogStream and PutLogEvents on
  // every log group of the account) and AWSLambdaVPCAccessExecutionRole (the same logs actions, and the network
  // interfaces), which lambda.Function attaches to a role it makes.
  const inlinePolicies: Record<string, iam.PolicyDocument> = {
    // As LogGroup#grantWrite grants it: the log group's ARN ends in `:*`, which covers its log streams.
    Logs: new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] })],
    }),
  };
  if (options.vpc) {
    inlinePolicies.NetworkInterfaces = new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({ actions: [...VPC_ACCESS_ACTIONS], resources: ['*'] })],
    });
  }
  const role = new iam.Role(scope, 'ServiceRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), inlinePolicies });
  const fn = new lambda.Function(scope, 'Handler', {
    code: options.code ?? lambda.Code.fromAsset(path.join(__dirname, '..', 'assets', options.asset)),
    handler: 'index.handler',
    runtime: options.runtime ?? DEFAULT_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    memorySize: options.memorySize,
    timeout: options.timeout,
    description: options.description,
    environment: options.environment,
    reservedConcurrentExecutions: options.reservedConcurrentExecutions,
    logGroup,
    role,
    vpc: options.vpc,
    vpcSubnets: options.vpcSubnets,
    securityGroups: options.securityGroups,
  });
  const roleFindings: NagSuppression[] = [];
  if (options.vpc) roleFindings.push(VPC_NETWORK_INTERFACES);
  // A log group of the app is referenced by its ARN attribute; an imported one by a literal ARN that ends in `:*`.
  if (!Token.isUnresolved(logGroup.logGroupArn) || logGroup.logGroupArn.endsWith(':*')) roleFindings.push(LOG_STREAMS);
  addNagSuppressions(role.node.defaultChild as CfnResource, roleFindings);
  addNagSuppressions(fn.node.defaultChild as CfnResource, runtimeFindings(fn.runtime));
  return fn;
}

/**
 * The EC2 actions of AWSLambdaVPCAccessExecutionRole (its logs actions left out), which Lambda needs to create, find
 * and delete the function's network interfaces ("Giving Lambda functions access to resources in an Amazon VPC",
 * Required IAM permissions, AWS Lambda Developer Guide).
 */
export const VPC_ACCESS_ACTIONS = [
  'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses',
] as const;

/** @internal The security options of a construct's props, and nothing else (as bundledFunction takes them). */
export function securityOptionsOf(props: HandlerSecurityOptions): HandlerSecurityOptions {
  return {
    logGroup: props.logGroup, logEncryptionKey: props.logEncryptionKey, vpc: props.vpc, vpcSubnets: props.vpcSubnets,
    securityGroups: props.securityGroups, runtime: props.runtime,
  };
}

/**
 * @internal A construct's own security options, the rest from `from` (the drift monitor's inventory). The log group,
 * its key and its retention are one choice, and so are the VPC, its subnets and security groups: a construct that
 * gives one of a choice takes none of the other's (a monitor with a `logRetention` keeps a log group of its own).
 */
export function inheritedSecurity(
  own: HandlerSecurityOptions & { logRetention?: logs.RetentionDays }, from: HandlerSecurityOptions,
): HandlerSecurityOptions {
  const logsFrom = own.logGroup || own.logEncryptionKey || own.logRetention !== undefined ? own : from;
  const networkFrom = own.vpc || own.vpcSubnets || own.securityGroups ? own : from;
  return {
    logGroup: logsFrom.logGroup, logEncryptionKey: logsFrom.logEncryptionKey,
    vpc: networkFrom.vpc, vpcSubnets: networkFrom.vpcSubnets, securityGroups: networkFrom.securityGroups,
    runtime: own.runtime ?? from.runtime,
  };
}

/** @internal Whether any security option is set. */
export function hasSecurityOptions(o: HandlerSecurityOptions): boolean {
  return Object.values(securityOptionsOf(o)).some((v) => v !== undefined);
}

/** @internal What is wrong with a function's security options, each with its fix (pure; table-tested). */
export function securityProblems(o: HandlerSecurityOptions & { logRetention?: logs.RetentionDays }): string[] {
  const problems: string[] = [];
  if (o.logGroup && o.logEncryptionKey) {
    problems.push('logGroup and logEncryptionKey are both given: encrypt your log group with the key yourself, and remove logEncryptionKey');
  }
  if (o.logGroup && o.logRetention !== undefined) {
    problems.push('logGroup and logRetention are both given: set the retention on your log group, and remove logRetention');
  }
  if (!o.vpc && o.vpcSubnets) problems.push('vpcSubnets is given without vpc: give the vpc the subnets belong to, or remove vpcSubnets');
  if (!o.vpc && o.securityGroups) problems.push('securityGroups is given without vpc: give the vpc the security groups belong to, or remove securityGroups');
  if (o.runtime) {
    const m = /^nodejs(\d+)(\.x)?$/.exec(o.runtime.name);
    if (o.runtime.family !== lambda.RuntimeFamily.NODEJS || !m || Number(m[1]) < OLDEST_NODE) {
      problems.push(`runtime ${o.runtime.name} cannot run the handler, a JavaScript bundle for Node.js ${OLDEST_NODE}: give nodejs${OLDEST_NODE}.x or later, or leave runtime out for ${DEFAULT_RUNTIME.name}`);
    }
  }
  return problems;
}

/** @internal A cdk-nag finding that is accepted, with the reason a reviewer reads. */
export interface NagSuppression {
  readonly id: string;
  readonly reason: string;
  /** Finding ids or `{ regex }`, for rules that report per resource or policy. */
  readonly appliesTo?: Array<string | { regex: string }>;
}

/**
 * @internal Records accepted cdk-nag findings on the function's role and policy, in the `cdk_nag` metadata cdk-nag
 * reads (as `NagSuppressions` writes it), so the library needs no dependency on cdk-nag.
 */
export function acceptNagFindings(fn: lambda.Function, policyFindings: NagSuppression[]): void {
  addNagSuppressions(fn.role?.node.tryFindChild('DefaultPolicy')?.node.defaultChild as CfnResource | undefined, policyFindings);
}

function addNagSuppressions(resource: CfnResource | undefined, rules: NagSuppression[]): void {
  if (!resource || !rules.length) return;
  const current = resource.getMetadata('cdk_nag') ?? {};
  resource.addMetadata('cdk_nag', {
    ...current,
    rules_to_suppress: [
      ...(current.rules_to_suppress ?? []),
      ...rules.map((r) => ({ id: r.id, reason: r.reason, ...(r.appliesTo ? { applies_to: r.appliesTo } : {}) })),
    ],
  });
}

/**
 * @internal The newest Node.js runtime the installed aws-cdk-lib lists (what cdk-nag's AwsSolutions-L1 compares a
 * function's runtime with); nodejs24.x counts, as DEFAULT_RUNTIME adds it to the list where aws-cdk-lib lacks it.
 */
export function newestNodeRuntime(): string {
  const version = (r: lambda.Runtime) => Number(/^nodejs(\d+)/.exec(r.name)?.[1] ?? -1);
  return lambda.Runtime.ALL.filter((r) => r.family === lambda.RuntimeFamily.NODEJS && version(r) >= 0)
    .reduce((a, b) => (version(b) > version(a) ? b : a)).name;
}

/**
 * @internal A runtime older than the newest aws-cdk-lib lists (a later aws-cdk-lib than this library is tested with,
 * or a `runtime` the user chose) is AwsSolutions-L1; accepted with what it is, as the library does not move its
 * functions to a runtime its handlers were never run on.
 */
export function runtimeFindings(runtime: lambda.Runtime): NagSuppression[] {
  const newest = newestNodeRuntime();
  if (runtime.name === newest) return [];
  const why = runtime.name === DEFAULT_RUNTIME.name
    ? `${runtime.name} is the library's default, the newest runtime its handlers are tested on (Node.js 22 and 24)`
    : `${runtime.name} was chosen through the runtime option`;
  return [{ id: 'AwsSolutions-L1', reason: `${why}; the installed aws-cdk-lib also lists ${newest}, which the runtime option selects once wanted` }];
}

/** @internal Why a role in a VPC may manage network interfaces on '*'. */
export const VPC_NETWORK_INTERFACES: NagSuppression = {
  id: 'AwsSolutions-IAM5',
  reason: 'Lambda creates, describes and deletes the network interfaces of a function in a VPC with its role, on interfaces whose ids '
    + 'are known only then; ec2:DescribeNetworkInterfaces works only on all resources ("Giving Lambda functions access to resources in an '
    + 'Amazon VPC", AWS Lambda Developer Guide). These are the EC2 actions of AWSLambdaVPCAccessExecutionRole, without its logs actions',
  appliesTo: ['Resource::*'],
};

/** @internal Why a role may write to the log streams of an imported log group. */
export const LOG_STREAMS: NagSuppression = {
  id: 'AwsSolutions-IAM5',
  reason: 'The function writes to the log streams of its one log group, named in full (log-group:NAME:*), as LogGroup#grantWrite grants it; '
    + 'Lambda names the streams at run time',
  // cdk-nag writes a pseudo parameter as <AWS::Region>, which has colons of its own.
  appliesTo: [{ regex: '/^Resource::arn:(<AWS::Partition>|[^:<]+):logs:(<AWS::Region>|[^:<]*):(<AWS::AccountId>|[^:<]*):log-group:[^*]+:\\*$/g' }],
};

/** @internal Why the A4B statements of a function use wildcards. */
export const A4B_WILDCARDS: NagSuppression = {
  id: 'AwsSolutions-IAM5',
  reason: "A4B's Search actions, CreateProfile and CreateSkillGroup support no resource-level permissions (Resource '*', Service Authorization "
    + 'Reference for Alexa for Business); the rooms, profiles and skill groups are created by A4B at deploy time with ARNs that cannot be '
    + 'known in advance, so the other actions (CreateRoom on profiles) are scoped to the A4B resource types',
  appliesTo: ['Resource::*', { regex: '/^Resource::arn:<AWS::Partition>:a4b:[^:]*:<AWS::AccountId>:(room|profile|skill-group|device)\\/\\*$/g' }],
};

/** @internal Why a grant on a secret referenced by name ends in a wildcard. */
export const SECRET_BY_NAME: NagSuppression = {
  id: 'AwsSolutions-IAM5',
  reason: 'A secret referenced by name is matched with the six characters Secrets Manager appends to its name (-??????), as Secret.fromSecretNameV2 grants it',
  appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:secretsmanager:.*-\\?\\?\\?\\?\\?\\?$/g' }],
};
