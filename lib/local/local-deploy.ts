// `a4b-rooms local deploy`: synthesize an app, then apply its custom resources to the local emulators through the
// prebundled provider handlers, exactly the code that runs in Lambda.
import { randomBytes, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CalendarLinkProps as L, HandlerEnv, ResourceTypes } from '../contract';
import { AssemblyStack, readAssembly, runAssemblyDir, synthesize } from './cloud-assembly';
import { A4bEmulatorStats } from './a4b-emulator';
import {
  DeployEngine, functionReservedConcurrency, functionTimeouts, FunctionStats, nestedOutputs, ResourceOutcome, StackDeployResult, staticProperties,
} from './deploy-engine';
import { Template } from './template';
import { GRAPH_APP_ROLES, TenantFile } from './graph-emulator';
import { A4B_PROVIDER_BUNDLE, CALENDAR_LINK_BUNDLE, LocalLambda } from './local-lambda';
import { Endpoints, openLocalWorld, postJson } from './local-world';
import { makeTreePrivate, privateAppendStream, privateDir } from './private-files';
import { damagedState, emulatorStateCheck, recordRootStacks, rootStacks, stackStateProblems } from './state-manifest';
import { StateLock } from './state-lock';

export interface LocalDeployOptions {
  /** Command that runs the CDK app (as cdk.json's `app`); or give `assemblyDir`. */
  readonly app?: string;
  /** An already synthesized cloud assembly. */
  readonly assemblyDir?: string;
  /** Where emulator state and the last applied templates live. */
  readonly stateDir: string;
  /** Context for the app (`-c key=value`). */
  readonly context?: Record<string, string>;
  /**
   * The Office 365 tenant, for a state directory that has none yet. Without it the tenant is made from the
   * app's calendar link so that it passes validation.
   */
  readonly tenant?: TenantFile;
  /** Resource operations in flight at once per stack. @default no cap, as CloudFormation */
  readonly concurrency?: number;
  /** The account's Lambda concurrency, shared by functions without ReservedConcurrentExecutions. @default 1000 */
  readonly accountConcurrency?: number;
  /** A4B requests per second per account in the emulator (see A4bEmulatorOptions.rateLimit). @default no limit */
  readonly a4bRateLimit?: number;
  readonly onProgress?: (outcome: ResourceOutcome, done: number, total: number) => void;
  /** Each phase as it starts (synthesizing, deploying a stack), for a person watching. */
  readonly onPhase?: (message: string) => void;
  /** Working directory for the app command. */
  readonly cwd?: string;
}

export interface LocalDeployResult {
  readonly ok: boolean;
  readonly stacks: StackDeployResult[];
  readonly endpoints: Endpoints;
  /** Per function: invocations, the most at once, queue waits and the longest wait for an answer against ServiceTimeout. */
  readonly lambda: FunctionStats[];
  /** The A4B emulator during this deploy: requests, and how many of them its rate limit throttled. */
  readonly a4b: A4bEmulatorStats;
}

/** The deploy's Lambda and A4B figures in one line, for `local deploy`. */
export function deployStatsLine(result: Pick<LocalDeployResult, 'lambda' | 'a4b'>): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const fns = result.lambda.map((f) => `${f.functionArn.replace(/^.*:function:local-/, '')}: ${f.invocations} invocations, at most ${f.maxInFlight} at once`
    + `${f.reservedConcurrency !== undefined ? ` (reserved ${f.reservedConcurrency})` : ''}, longest queue wait ${s(f.maxQueueWaitMs)}, `
    + `longest wait for an answer ${s(f.maxWaitForAnswerMs)} (${Math.round(f.maxShareOfServiceTimeout * 100)}% of ServiceTimeout ${f.serviceTimeoutSeconds ?? '-'} s), `
    + `${f.outlivedServiceTimeout ? `${f.outlivedServiceTimeout} outlived their ServiceTimeout` : 'none outlived its ServiceTimeout'}`);
  const a4b = `A4B: ${result.a4b.requests} requests, ${result.a4b.throttled} throttled${result.a4b.rateLimit !== undefined ? ` (rate limit ${result.a4b.rateLimit}/s)` : ''}`;
  return [...fns, a4b].join('; ');
}

export async function localDeploy(options: LocalDeployOptions): Promise<LocalDeployResult> {
  privateDir(options.stateDir);
  // One deploy at a time per state directory (stacks/ and cdk.out are its own); a running serve may be shared.
  const lock = await StateLock.acquire(options.stateDir, 'deploy');
  try {
    // The state before anything (synth, emulators): a stack whose state is gone would make its rooms again.
    const damage = damagedState(options.stateDir, [...emulatorStateCheck(options.stateDir).problems, ...stackStateProblems(options.stateDir)]);
    if (damage) throw damage;
    // A state directory from before the manifest gets one now, from the root stacks it holds.
    recordRootStacks(options.stateDir, rootStacks(options.stateDir));
    return await deployLocked(options);
  } finally {
    lock.release();
  }
}

async function deployLocked(options: LocalDeployOptions): Promise<LocalDeployResult> {
  let assemblyDir = options.assemblyDir;
  if (!assemblyDir) {
    if (!options.app) throw new Error('local deploy needs an app command or a cloud assembly directory');
    // Synthesized into a folder of this run's own, then renamed: an app left running by a killed deploy can only
    // write into its own folder, never into the one this run reads.
    const synthDir = runAssemblyDir(options.stateDir);
    options.onPhase?.(`synthesizing: ${options.app}`);
    try {
      await synthesize(options.app, synthDir, options.context, options.cwd);
      makeTreePrivate(synthDir);
      assemblyDir = path.join(options.stateDir, 'cdk.out');
      fs.rmSync(assemblyDir, { recursive: true, force: true });
      fs.renameSync(synthDir, assemblyDir);
    } finally {
      fs.rmSync(synthDir, { recursive: true, force: true });
    }
  }
  const stacks = readAssembly(assemblyDir);
  // What the app said at synth, as `cdk deploy` shows it (the calendar link's DeleteComments script, say).
  for (const n of stacks.flatMap((x) => x.notices)) options.onPhase?.(`[${n.level === 'info' ? 'Info' : 'Warning'} at ${n.path}] ${n.message}`);
  const world = await openLocalWorld(options.stateDir, { a4bRateLimit: options.a4bRateLimit });
  const log = privateAppendStream(path.join(options.stateDir, 'provider.log'));
  const lambdas: LocalLambda[] = [];
  try {
    await prepareTenant(world.endpoints, stacks, options.tenant);
    const env = localProviderEnv(world.endpoints);
    const a4b = await LocalLambda.start(A4B_PROVIDER_BUNDLE, { env, log });
    const link = await LocalLambda.start(CALENDAR_LINK_BUNDLE, { env: { ...env, [HandlerEnv.LOG_FILE]: path.resolve(options.stateDir, 'provider.log') }, log });
    lambdas.push(a4b, link);
    const engine = new DeployEngine({
      lambdas: {
        [ResourceTypes.ROOM]: a4b, [ResourceTypes.ROOM_PROFILE]: a4b, [ResourceTypes.SKILL_GROUP]: a4b,
        [ResourceTypes.ROOM_DELETION_GUARD]: a4b, [ResourceTypes.DEVICE_RELEASE]: a4b,
        [ResourceTypes.CALENDAR_LINK]: link, [ResourceTypes.MAILBOX_CHECK_GATE]: link,
      },
      stateDir: options.stateDir, concurrency: options.concurrency, onProgress: options.onProgress, accountConcurrency: options.accountConcurrency,
      functionTimeouts: Object.assign({}, ...stacks.map((s) => functionTimeouts(s.template, s.nestedTemplate, s.stackName))),
      reservedConcurrency: Object.assign({}, ...stacks.map((s) => functionReservedConcurrency(s.template, s.nestedTemplate, s.stackName))),
      // Emulators inside this process cannot go away; a `local serve` can (killed, stopped).
      servicesGone: world.a4b ? undefined : () => emulatorGone(world.endpoints.a4b, options.stateDir),
    });
    const a4bBefore = await a4bStats(world.endpoints);
    const results: StackDeployResult[] = [];
    for (const stack of stacks) {
      options.onPhase?.(`deploying stack ${stack.stackName} to the local emulators (A4B at ${world.endpoints.a4b})`);
      const result = await engine.deployStack(stack.stackName, stack.template, undefined, stack.nestedTemplate,
        { files: { root: stack.templateFile, nested: stack.nestedTemplateFile } });
      const outputs = result.ok ? nestedOutputs(stack.template, stack.stackName, engine.readState(stack.stackName)) : {};
      results.push({ ...result, outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k.replace(/^Outputs\./, ''), v])) });
      if (!result.ok) break;
    }
    const a4bAfter = await a4bStats(world.endpoints);
    return {
      ok: results.every((r) => r.ok), stacks: results, endpoints: world.endpoints, lambda: engine.lambdaStats(),
      a4b: { ...a4bAfter, requests: a4bAfter.requests - a4bBefore.requests, throttled: a4bAfter.throttled - a4bBefore.throttled },
    };
  } finally {
    for (const l of lambdas) await l.stop();
    await new Promise((r) => log.end(r));
    await world.close();
  }
}

/** Why the `local serve` whose A4B emulator the deploy uses does not answer, if it does not. */
async function emulatorGone(a4b: string, stateDir: string): Promise<string | undefined> {
  try {
    await fetch(`${a4b}/_emulator/health`, { signal: AbortSignal.timeout(5000) });
    return undefined;
  } catch (e) {
    const cause = (e as Error).name === 'TimeoutError' ? 'no answer within 5 s' : (e as Error).message;
    return `the A4B emulator at ${a4b} stopped answering (${cause}): restart \`a4b-rooms local serve --state ${stateDir}\` and run the deploy again; `
      + 'it continues where it stopped';
  }
}

async function a4bStats(endpoints: Endpoints): Promise<A4bEmulatorStats> {
  return await (await fetch(`${endpoints.a4b}/_emulator/stats`)).json() as A4bEmulatorStats;
}

/** The provider functions' environment when they run against the local emulators. */
export function localProviderEnv(endpoints: Endpoints): Record<string, string | undefined> {
  return {
    [HandlerEnv.A4B_ENDPOINT]: endpoints.a4b,
    [HandlerEnv.A4B_REGION]: 'us-east-1',
    [HandlerEnv.SECRETS_MANAGER_ENDPOINT]: endpoints.secretsManager,
    [HandlerEnv.AUTHORITY_HOST]: endpoints.authority,
    [HandlerEnv.GRAPH_BASE_URL]: endpoints.graph,
    [HandlerEnv.EXTRA_CA_FILE]: endpoints.ca,
    AWS_REGION: 'us-east-1',
    // The emulators do not check signatures; fixed keys keep real credentials out of local requests.
    AWS_ACCESS_KEY_ID: 'AKIDLOCALEMULATOR',
    AWS_SECRET_ACCESS_KEY: 'local-emulator-not-a-secret',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
  };
}

/**
 * Makes the local world hold what the app's calendar links read: a tenant (the given one, or one made from the
 * links so they validate) and, in Secrets Manager, the credentials secret each link names.
 */
export async function prepareTenant(endpoints: Endpoints, stacks: AssemblyStack[], tenant?: TenantFile): Promise<void> {
  const links = stacks.flatMap((s) => linkProperties(s.stackName, s.template, s.nestedTemplate));
  if (!links.length && !tenant) return;
  const ca = fs.readFileSync(endpoints.ca, 'utf8');
  const seed = tenant ?? tenantFromLinks(links);
  const answer = await postJson(`${endpoints.graph}/_emulator/tenant`, seed, ca) as { app?: { clientId: string; clientSecret: string } };
  for (const link of links.filter((l) => typeof l[L.CREDENTIALS_SECRET_ARN] === 'string')) {
    if (!answer.app) throw new Error(`the local tenant has no app with a client secret to put into ${link[L.CREDENTIALS_SECRET_ARN]}: add one to the tenant file's apps`);
    await postJson(`${endpoints.secretsManager}/_emulator/secrets`, { SecretId: link[L.CREDENTIALS_SECRET_ARN], SecretString: JSON.stringify(answer.app) });
  }
}

/** The calendar link validations of a stack and its nested stacks (shards), properties resolved. */
function linkProperties(stackName: string, template: Template, nestedTemplate: (url: string) => Template): Array<Record<string, unknown>> {
  return Object.entries(template.Resources ?? {}).flatMap(([id, r]) => {
    if (r.Type === ResourceTypes.CALENDAR_LINK) return [staticProperties(stackName, template, id)];
    if (r.Type !== 'AWS::CloudFormation::Stack') return [];
    const url = String(staticProperties(stackName, template, id).TemplateURL);
    // A shard's validation takes the secret and tenant from its parent; its rooms are its own.
    return linkProperties(`${stackName}/${id}`, nestedTemplate(url), nestedTemplate)
      .map((l) => ({ ...l, [L.CREDENTIALS_SECRET_ARN]: undefined }));
  });
}

/**
 * A tenant in which the links validate: every linked mailbox a room (each once, keeping the comments of meeting
 * requests), the service account (with a mailbox, enabled) holding write on each, and the validator app holding every Graph permission the checks read with
 * (MailboxSettings.Read and GroupMember.Read.All among them).
 */
export function tenantFromLinks(links: Array<Record<string, unknown>>): TenantFile {
  const first = links[0];
  // A room checked by two validations (the link's own and a shard's) is one mailbox.
  const linked = links.flatMap((l) => (l[L.ROOMS] as Array<{ Name: string; Mailbox: string }>) ?? []);
  const rooms = [...new Map(linked.map((r) => [r.Mailbox.toLowerCase(), r] as const)).values()];
  const accounts = [...new Set(links.map((l) => l[L.SERVICE_ACCOUNT]).filter((a): a is string => typeof a === 'string'))];
  const apps = [...new Set(links.map((l) => l[L.APPLICATION_ID]).filter((a): a is string => typeof a === 'string'))];
  return {
    tenantId: String(first[L.TENANT]),
    apps: [{ clientId: randomUUID(), clientSecret: randomBytes(24).toString('base64url'), displayName: 'cdk-a4b-rooms validator', roles: Object.keys(GRAPH_APP_ROLES) }],
    users: accounts.map((upn) => ({ upn, displayName: 'Alexa for Business Service Account' })),
    // As the manual asks of every room (Set-CalendarProcessing -DeleteComments $FALSE), so the booking test passes.
    rooms: rooms.map((r) => ({ mailbox: r.Mailbox, displayName: r.Name, calendarProcessing: { deleteComments: false } })),
    calendarPermissions: accounts.flatMap((user) => rooms.map((r) => ({ mailbox: r.Mailbox, user, role: 'write' }))),
    consents: apps.map((applicationId) => ({ applicationId, displayName: 'Alexa for Business', roles: ['Calendars.ReadWrite'] })),
  };
}
