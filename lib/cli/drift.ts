// `a4b-rooms drift`: the desired state from an inventory, the live state from A4B and Graph (real, or the local
// emulators of a state directory), compared.
import { a4bClient } from '../runtime/a4b/client';
import { pace } from '../runtime/a4b/pacing';
import { graphFor } from '../runtime/graph/clients';
import { parseInventoryFile } from '../inventory/parse';
import { validateInventory } from '../inventory/validate';
import { compare, DriftReport } from '../drift/compare';
import { DesiredState, LiveState } from '../drift/model';
import { desiredFromInventory } from '../drift/desired';
import { desiredFromAssembly } from './desired-assembly';
import { readLive } from '../drift/live';
import { describeRead } from './errors';
import { LOCAL_AWS_CREDENTIALS, withLocalEmulators } from './local-emulators';
import { secretsClient } from './secrets';

export interface DriftOptions {
  /** The desired state: an inventory file... */
  readonly inventoryFile?: string;
  /** ...or a synthesized cloud assembly directory (cdk.out). */
  readonly assemblyDir?: string;
  /** Read the local emulators of this state directory instead of AWS and Microsoft 365. */
  readonly localStateDir?: string;
  readonly ignoreUnmanaged?: boolean;
  /** A4B region. @default us-east-1 */
  readonly region?: string;
  /** How long one A4B read may take, retries included, before its room or profile is reported unknown. @default 30 */
  readonly requestTimeoutSeconds?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;

function desiredFromFile(file: string | undefined) {
  if (!file) throw new Error('drift needs an inventory file or a cloud assembly (--app cdk.out)');
  const parsed = parseInventoryFile(file);
  const problems = validateInventory(parsed);
  if (problems.length) throw new Error(`${problems.length} problem${problems.length > 1 ? 's' : ''} in ${file}:\n${problems.join('\n')}`);
  return desiredFromInventory(parsed.inventory);
}

export async function drift(options: DriftOptions): Promise<DriftReport> {
  return (await driftRead(options)).report;
}

/** The report with the desired and live state it came from (the HTML report charts and links rooms by them). */
export async function driftRead(options: DriftOptions): Promise<{ report: DriftReport; desired: DesiredState; live: LiveState }> {
  const desired = options.assemblyDir ? desiredFromAssembly(options.assemblyDir) : desiredFromFile(options.inventoryFile);
  const callTimeoutMs = (options.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS) * 1000;

  if (options.localStateDir) {
    return withLocalEmulators(options.localStateDir, async ({ endpoints, env, secrets }) => {
      // The emulators answer at once: a read that fails three times is reported rather than retried for minutes.
      // Throttling is not such a failure: the client paces itself, as the provider does, and has all its attempts.
      const a4b = a4bClient({ region: 'us-east-1', endpoint: endpoints.a4b, credentials: LOCAL_AWS_CREDENTIALS, otherErrorAttempts: 3, callTimeoutMs });
      pace(a4b);
      const live = await readLive(desired, {
        a4b, maxRetryWaitSeconds: 5, describeError: describeRead,
        graph: desired.link && (() => graphFor(desired.link!.credentialsSecret, desired.link!.tenant, env, secrets)),
      });
      a4b.destroy();
      return { report: compare(desired, live, options), desired, live };
    });
  }

  const a4b = a4bClient({ region: options.region, callTimeoutMs });
  pace(a4b);
  const link = desired.link;
  const secrets = link && secretsClient(link.credentialsSecret, options.region);
  try {
    const live = await readLive(desired, {
      a4b, describeError: describeRead,
      graph: link && (() => graphFor(link.credentialsSecret, link.tenant, process.env, secrets)),
    });
    return { report: compare(desired, live, options), desired, live };
  } finally {
    a4b.destroy();
    secrets?.destroy();
  }
}

