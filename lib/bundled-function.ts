import * as path from 'path';
import { CfnResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** @internal */
export interface BundledFunctionOptions {
  /** The folder under assets/ that scripts/bundle-handlers.js writes. */
  readonly asset: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly logRetention?: logs.RetentionDays;
  readonly reservedConcurrentExecutions?: number;
}

/**
 * @internal A function on one of the package's prebundled handlers, with the same runtime and a log group that is
 * kept for a bounded time, as every handler of this library has.
 */
export function bundledFunction(scope: Construct, options: BundledFunctionOptions): lambda.Function {
  return new lambda.Function(scope, 'Handler', {
    code: lambda.Code.fromAsset(path.join(__dirname, '..', 'assets', options.asset)),
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: options.memorySize,
    timeout: options.timeout,
    description: options.description,
    environment: options.environment,
    reservedConcurrentExecutions: options.reservedConcurrentExecutions,
    logGroup: new logs.LogGroup(scope, 'Logs', {
      retention: options.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    }),
  });
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
  const add = (resource: CfnResource | undefined, rules: NagSuppression[]) => {
    if (!resource || !rules.length) return;
    const current = resource.getMetadata('cdk_nag') ?? {};
    resource.addMetadata('cdk_nag', {
      ...current,
      rules_to_suppress: [
        ...(current.rules_to_suppress ?? []),
        ...rules.map((r) => ({ id: r.id, reason: r.reason, ...(r.appliesTo ? { applies_to: r.appliesTo } : {}) })),
      ],
    });
  };
  add(fn.role?.node.defaultChild as CfnResource | undefined, [{
    id: 'AwsSolutions-IAM4',
    reason: 'The function writes to its own log group through the AWS managed basic execution policy, which grants nothing else',
    appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
  }]);
  add(fn.role?.node.tryFindChild('DefaultPolicy')?.node.defaultChild as CfnResource | undefined, policyFindings);
}

/** @internal Why the A4B statements of a function use wildcards. */
export const A4B_WILDCARDS: NagSuppression = {
  id: 'AwsSolutions-IAM5',
  reason: "A4B's Create and Search actions support no resource-level permissions (Resource '*'); the rooms, profiles and skill groups "
    + 'are created by A4B at deploy time with ARNs that cannot be known in advance, so the other actions are scoped to the A4B resource types',
  appliesTo: ['Resource::*', { regex: '/^Resource::arn:<AWS::Partition>:a4b:[^:]*:<AWS::AccountId>:(room|profile|skill-group|device)\\/\\*$/g' }],
};

/** @internal Why a grant on a secret referenced by name ends in a wildcard. */
export const SECRET_BY_NAME: NagSuppression = {
  id: 'AwsSolutions-IAM5',
  reason: 'A secret referenced by name is matched with the six characters Secrets Manager appends to its name (-??????), as Secret.fromSecretNameV2 grants it',
  appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:secretsmanager:.*-\\?\\?\\?\\?\\?\\?$/g' }],
};
