import * as path from 'path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
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
    logGroup: new logs.LogGroup(scope, 'Logs', {
      retention: options.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    }),
  });
}
