// The Secrets Manager client the CLI reads a calendar link's credentials secret with (drift, check, test-booking).
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { a4bRegion } from '../runtime/a4b/client';

/**
 * In the secret's region when it is an ARN, else in A4B's (--region, A4B_REGION, AWS_REGION, us-east-1): the stack
 * that made the secret runs where A4B does, and a client without a region fails with a bare "Region is missing".
 */
export function secretsClient(secret: string, region?: string): SecretsManagerClient {
  return new SecretsManagerClient({ region: /^arn:[^:]+:secretsmanager:([^:]+):/.exec(secret)?.[1] ?? a4bRegion(region) });
}
