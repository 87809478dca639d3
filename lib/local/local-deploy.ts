// `a4b-rooms local deploy`: synthesize an app, then apply its A4B resources to the local emulators through the
// prebundled provider handler, exactly the code that runs in Lambda.
import * as fs from 'fs';
import * as path from 'path';
import { HandlerEnv } from '../contract';
import { readAssembly, synthesize } from './cloud-assembly';
import { DeployEngine, ResourceOutcome, StackDeployResult } from './deploy-engine';
import { A4B_PROVIDER_BUNDLE, LocalLambda } from './local-lambda';
import { Endpoints, openLocalWorld } from './local-world';

export interface LocalDeployOptions {
  /** Command that runs the CDK app (as cdk.json's `app`); or give `assemblyDir`. */
  readonly app?: string;
  /** An already synthesized cloud assembly. */
  readonly assemblyDir?: string;
  /** Where emulator state and the last applied templates live. */
  readonly stateDir: string;
  /** Context for the app (`-c key=value`). */
  readonly context?: Record<string, string>;
  readonly concurrency?: number;
  readonly onProgress?: (outcome: ResourceOutcome, done: number, total: number) => void;
  /** Working directory for the app command. */
  readonly cwd?: string;
}

export interface LocalDeployResult {
  readonly ok: boolean;
  readonly stacks: StackDeployResult[];
  readonly endpoints: Endpoints;
}

export async function localDeploy(options: LocalDeployOptions): Promise<LocalDeployResult> {
  fs.mkdirSync(options.stateDir, { recursive: true });
  let assemblyDir = options.assemblyDir;
  if (!assemblyDir) {
    if (!options.app) throw new Error('local deploy needs an app command or a cloud assembly directory');
    assemblyDir = path.join(options.stateDir, 'cdk.out');
    fs.rmSync(assemblyDir, { recursive: true, force: true });
    synthesize(options.app, assemblyDir, options.context, options.cwd);
  }
  const stacks = readAssembly(assemblyDir);
  const world = await openLocalWorld(options.stateDir);
  const log = fs.createWriteStream(path.join(options.stateDir, 'provider.log'), { flags: 'a' });
  const lambda = await LocalLambda.start(A4B_PROVIDER_BUNDLE, { env: localProviderEnv(world.endpoints), log });
  try {
    const engine = new DeployEngine({ lambda, stateDir: options.stateDir, concurrency: options.concurrency, onProgress: options.onProgress });
    const results: StackDeployResult[] = [];
    for (const stack of stacks) {
      const result = await engine.deployStack(stack.stackName, stack.template);
      results.push(result);
      if (!result.ok) break;
    }
    return { ok: results.every((r) => r.ok), stacks: results, endpoints: world.endpoints };
  } finally {
    await lambda.stop();
    await new Promise((r) => log.end(r));
    await world.close();
  }
}

/** The provider function's environment when it runs against the local emulators. */
export function localProviderEnv(endpoints: Endpoints): Record<string, string | undefined> {
  return {
    [HandlerEnv.A4B_ENDPOINT]: endpoints.a4b,
    [HandlerEnv.A4B_REGION]: 'us-east-1',
    // The emulator does not check signatures; fixed keys keep real credentials out of local requests.
    AWS_ACCESS_KEY_ID: 'AKIDLOCALEMULATOR',
    AWS_SECRET_ACCESS_KEY: 'local-emulator-not-a-secret',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
  };
}
