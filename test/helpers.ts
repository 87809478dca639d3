import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { AlexaForBusinessClient } from '@aws-sdk/client-alexa-for-business';
import { App, Stack } from 'aws-cdk-lib';
import { Template as AssertTemplate } from 'aws-cdk-lib/assertions';
import { A4bEmulator, A4bEmulatorOptions, isWriteOperation } from '../lib/local/a4b-emulator';
import { localProviderEnv } from '../lib/local/local-deploy';
import { Endpoints } from '../lib/local/local-world';
import { A4B_PROVIDER_BUNDLE, CfnResponse, LocalLambda } from '../lib/local/local-lambda';
import { resolve, stringifyScalars, Template } from '../lib/local/template';

/**
 * A test's time bound (jest timeouts, how long to wait for an event) times TEST_TIME_SCALE (default 1): a loaded
 * machine gets more time by setting it (TEST_TIME_SCALE=3 npx jest ...), instead of bounds tuned to a quiet one.
 * A bound only ends a wait that would otherwise hang; no verdict depends on it.
 */
export function scaled(ms: number): number {
  return Math.round(ms * timeScale(process.env.TEST_TIME_SCALE));
}

/** TEST_TIME_SCALE as a number; anything but a positive number is an error naming the variable. */
export function timeScale(text: string | undefined): number {
  if (text === undefined || text === '') return 1;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`TEST_TIME_SCALE=${text}: must be a number greater than 0 (a factor for the tests' time bounds, e.g. 3 on a loaded machine)`);
  return n;
}

/**
 * Resolves once `ready()` is true, checking every `everyMs` (a poll of a file or a request log, not a sleep the
 * verdict depends on); rejects naming `what` if it is still false after scaled(`boundMs`).
 */
export async function waitFor(what: string, ready: () => boolean | Promise<boolean>, boundMs = 30_000, everyMs = 10): Promise<void> {
  const bound = Date.now() + scaled(boundMs);
  while (!(await ready())) {
    if (Date.now() > bound) throw new Error(`gave up waiting for ${what} after ${scaled(boundMs)} ms (TEST_TIME_SCALE=${process.env.TEST_TIME_SCALE ?? 1})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function tempDir(prefix = 'a4b-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A stack built by `build`, synthesized, as the CloudFormation template JSON. */
export function synth(build: (stack: Stack) => void): Template {
  const app = new App();
  const stack = new Stack(app, 'Test');
  build(stack);
  return AssertTemplate.fromStack(stack).toJSON() as Template;
}

/** A real SDK client on the emulator, no retries (tests want to see the first answer). */
export function a4bClient(emulator: A4bEmulator, maxAttempts = 1): AlexaForBusinessClient {
  return new AlexaForBusinessClient({
    region: 'us-east-1', endpoint: emulator.endpoint, maxAttempts,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
  });
}

export function writesIn(emulator: A4bEmulator): string[] {
  return emulator.requests.filter((r) => isWriteOperation(r.operation) && r.status === 200).map((r) => r.operation);
}

/**
 * The A4B provider's environment against an A4B emulator alone: its room, profile and skill-group handlers read no
 * Secrets Manager, Graph or Entra ID endpoint, so those are left unset.
 */
export function a4bProviderEnv(a4b: string): Record<string, string | undefined> {
  return localProviderEnv({ a4b } as Endpoints);
}

/**
 * The A4B emulator plus the bundled provider handler (assets/a4b-provider/index.js, what ships), driven with
 * CloudFormation-shaped events built from a synthesized template: intrinsics resolved against what was created,
 * every scalar a string, responses read from the ResponseURL PUT.
 */
export class ProviderHarness {
  static async start(options: A4bEmulatorOptions = {}, env: Record<string, string> = {}): Promise<ProviderHarness> {
    const emulator = await A4bEmulator.start(options);
    const lambda = await LocalLambda.start(A4B_PROVIDER_BUNDLE, {
      env: { ...a4bProviderEnv(emulator.endpoint), A4B_MAX_ATTEMPTS: '4', ...env },
      log: fs.createWriteStream('/dev/null'),
    });
    return new ProviderHarness(emulator, lambda);
  }

  readonly stackId = `arn:aws:cloudformation:us-east-1:123456789012:stack/Test/${randomUUID()}`;
  /** Physical id and attributes of what the harness created, by logical id. */
  readonly created = new Map<string, CfnResponse>();

  private constructor(readonly emulator: A4bEmulator, readonly lambda: LocalLambda) {}

  /** Resolved, stringified properties of a template resource. */
  properties(template: Template, logicalId: string): Record<string, unknown> {
    const ctx = {
      region: 'us-east-1', accountId: '123456789012', stackName: 'Test', stackId: this.stackId,
      physicalId: (id: string) => this.created.get(id)?.PhysicalResourceId ?? `local-${id}`,
      attribute: (id: string, name: string) => this.created.get(id)?.Data?.[name] ?? `arn:aws:lambda:us-east-1:123456789012:function:${id}`,
    };
    return stringifyScalars(resolve(template.Resources![logicalId].Properties, ctx, template)) as Record<string, unknown>;
  }

  /** Creates every custom resource of `type` in the template, in the order given. */
  async createAll(template: Template, logicalIds: string[]): Promise<void> {
    for (const id of logicalIds) {
      const res = await this.create(template, id);
      if (res.Status !== 'SUCCESS') throw new Error(`${id}: ${res.Reason}`);
    }
  }

  async create(template: Template, logicalId: string, requestId: string = randomUUID()): Promise<CfnResponse> {
    const res = await this.send({ RequestType: 'Create', LogicalResourceId: logicalId, ResourceType: template.Resources![logicalId].Type,
      ResourceProperties: this.properties(template, logicalId), RequestId: requestId });
    if (res.Status === 'SUCCESS') this.created.set(logicalId, res);
    return res;
  }

  async update(
    logicalId: string, type: string, props: Record<string, unknown>, oldProps: Record<string, unknown>, physicalId?: string,
  ): Promise<CfnResponse> {
    return this.send({ RequestType: 'Update', LogicalResourceId: logicalId, ResourceType: type, ResourceProperties: props,
      OldResourceProperties: oldProps, PhysicalResourceId: physicalId ?? this.created.get(logicalId)!.PhysicalResourceId, RequestId: randomUUID() });
  }

  async delete(logicalId: string, type: string, physicalId: string, props: Record<string, unknown> = {}): Promise<CfnResponse> {
    return this.send({ RequestType: 'Delete', LogicalResourceId: logicalId, ResourceType: type, PhysicalResourceId: physicalId,
      ResourceProperties: props, RequestId: randomUUID() });
  }

  send(event: Record<string, unknown> & { RequestId: string }): Promise<CfnResponse> {
    return this.lambda.invoke({ StackId: this.stackId, ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider', ...event });
  }

  async stop(): Promise<void> {
    await this.lambda.stop();
    await this.emulator.stop();
  }
}

/** Logical ids of the template's resources of one type, in template order. */
export function idsOfType(template: Template, type: string): string[] {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === type).map(([id]) => id);
}

/**
 * A fake provider for engine tests: `handlerSource` (a CommonJS handler that appends what it is asked to the file in
 * $CALLS) written to a fresh folder and served as a LocalLambda. `calls()` reads what it recorded, `forget()` empties it.
 */
export async function recordingLambda(handlerSource: string): Promise<{ dir: string; lambda: LocalLambda; calls: () => any[]; forget: () => void }> {
  const dir = tempDir();
  const file = path.join(dir, 'calls.jsonl');
  fs.writeFileSync(file, '');
  const bundle = path.join(dir, 'handler.js');
  fs.writeFileSync(bundle, handlerSource);
  const lambda = await LocalLambda.start(bundle, { env: { CALLS: file }, log: fs.createWriteStream('/dev/null') });
  return { dir, lambda, calls: () => fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)), forget: () => fs.writeFileSync(file, '') };
}

/** One raw HTTPS request to the Graph emulator (its CA trusted), the answer's status and JSON body. */
export function graphRequest(
  graph: { url: string; caPem: string }, method: string, p: string, token: string, body?: unknown,
): Promise<{ status: number; body: any }> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(`${graph.url}${p}`, {
      method, ca: graph.caPem, headers: { ...(text ? { 'content-type': 'application/json' } : {}), authorization: `Bearer ${token}` },
    }, (res) => {
      let out = '';
      res.on('data', (d) => (out += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: out ? JSON.parse(out) : undefined }));
    });
    req.on('error', reject);
    req.end(text);
  });
}
