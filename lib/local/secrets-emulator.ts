// Secrets Manager as the local world serves it, on the A4B emulator's endpoint: GetSecretValue
// (`X-Amz-Target: secretsmanager.GetSecretValue`) for the secrets the local world holds, so handlers read their
// credentials the way they do in AWS. The secrets live in the A4B emulator's state (its `secrets` collection).
import { randomBytes, randomUUID } from 'crypto';
import { JournaledStore } from './journaled-store';

/** A secret as the emulator keeps it. */
export interface StoredSecret {
  readonly arn: string;
  readonly name: string;
  readonly secretString: string;
  readonly versionId: string;
}

/** One answer on the wire (AWS JSON 1.1). */
export interface SecretsAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export class SecretsEmulator {
  /**
   * @param store the A4B emulator's state
   * @param accountId account id in minted ARNs
   * @param served called with the SecretId of each GetSecretValue answered 200 (the A4B emulator records it)
   */
  constructor(private readonly store: JournaledStore, private readonly accountId: string, private readonly served: (secretId: string) => void) {}

  /** Stores a secret; returns its ARN. */
  put(nameOrArn: string, secretString: string): string {
    // An ARN (complete, or partial as fromSecretNameV2 makes it) is kept as given, so a template's reference finds it.
    const fromArn = /^arn:[^:]+:secretsmanager:[^:]*:\d*:secret:(.+)$/.exec(nameOrArn);
    const name = fromArn ? fromArn[1] : nameOrArn;
    const existing = this.store.get<{ arn: string }>('secrets', name);
    const arn = existing?.arn ?? (fromArn ? nameOrArn : `arn:aws:secretsmanager:us-east-1:${this.accountId}:secret:${name}-${randomBytes(3).toString('hex')}`);
    this.store.put('secrets', name, { arn, name, secretString, versionId: randomUUID() });
    return arn;
  }

  find(id: string): StoredSecret | undefined {
    // A name, a full ARN, or a partial ARN (the name without the random suffix), as Secrets Manager accepts.
    return this.store.values<StoredSecret>('secrets')
      .find((s) => s.name === id || s.arn === id || s.arn.replace(/-[0-9a-f]{6}$/, '') === id);
  }

  /** The answer to one `secretsmanager.<operation>` request with this body. */
  answer(operation: string, body: string): SecretsAnswer {
    const fail = (type: string, message: string): SecretsAnswer => ({ status: 400, body: { __type: type, message }, headers: { 'x-amzn-errortype': type } });
    if (operation !== 'GetSecretValue') return fail('UnknownOperationException', `Unknown operation secretsmanager.${operation}`);
    let input: { SecretId?: string };
    try {
      input = JSON.parse(body || '{}');
    } catch {
      return fail('SerializationException', 'Request body is not valid JSON');
    }
    if (!input.SecretId) return fail('ValidationException', "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
    const secret = this.find(input.SecretId);
    if (!secret) return fail('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    this.served(input.SecretId);
    return { status: 200, body: { ARN: secret.arn, Name: secret.name, SecretString: secret.secretString, VersionId: secret.versionId, VersionStages: ['AWSCURRENT'], CreatedDate: 1764000000 } };
  }
}
