// The CLI's reads against the local emulators of a state directory (`--local --state DIR`): one place that opens
// them, points the Graph and Secrets Manager clients at them, and closes them again.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { HandlerEnv } from '../contract';
import type { Endpoints } from '../local/local-world';

/** The emulators do not check signatures; fixed keys keep real credentials out of local requests. */
export const LOCAL_AWS_CREDENTIALS = { accessKeyId: 'AKIDLOCALEMULATOR', secretAccessKey: 'local-emulator-not-a-secret' };

export interface LocalEmulators {
  readonly endpoints: Endpoints;
  /** The Graph client's environment: authority, Graph URL, the emulators' CA, a short Retry-After cap. */
  readonly env: NodeJS.ProcessEnv;
  readonly secrets: SecretsManagerClient;
}

export async function withLocalEmulators<T>(stateDir: string, work: (local: LocalEmulators) => Promise<T>): Promise<T> {
  const { openLocalWorld } = await import('../local/local-world');
  const world = await openLocalWorld(stateDir);
  const e = world.endpoints;
  const secrets = new SecretsManagerClient({ region: 'us-east-1', endpoint: e.secretsManager, credentials: LOCAL_AWS_CREDENTIALS });
  try {
    const env = { [HandlerEnv.AUTHORITY_HOST]: e.authority, [HandlerEnv.GRAPH_BASE_URL]: e.graph, [HandlerEnv.EXTRA_CA_FILE]: e.ca, [HandlerEnv.GRAPH_MAX_RETRY_WAIT]: '5' };
    return await work({ endpoints: e, env, secrets });
  } finally {
    secrets.destroy();
    await world.close();
  }
}
