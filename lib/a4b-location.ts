import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { A4bContext } from './contract';

/**
 * @internal Where the functions of `scope` find A4B: the construct's own props first, then the app's context
 * (cdk.json `a4bRegion` / `a4bEndpoint`, the one place the CLI reads too), then us-east-1 and the SDK's endpoint.
 */
export function a4bLocation(
  scope: IConstruct, props: { readonly a4bRegion?: string; readonly a4bEndpoint?: string },
): { region: string; endpoint?: string } {
  const context = (key: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' || (!Token.isUnresolved(value) && value.trim() === '')) {
      throw new Error(`${scope.node.path}: context ${key} must be a string (cdk.json "context": { "${key}": "…" } or -c ${key}=…), not ${JSON.stringify(value)}`);
    }
    return value;
  };
  return { region: props.a4bRegion ?? context(A4bContext.REGION) ?? 'us-east-1', endpoint: props.a4bEndpoint ?? context(A4bContext.ENDPOINT) };
}
