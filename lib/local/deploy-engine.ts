// Applies the A4B custom resources of synthesized templates to A4B the way CloudFormation would: dependency
// order (independent resources in parallel), properties resolved and stringified, Create / Update / Delete
// against the last applied state, replacement when a handler returns a new physical id, and rollback of the
// whole stack when one resource fails. Other resource types (the provider's Lambda, role, logs) exist only in AWS.
import { createHash, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CfnResponse, LocalLambda } from './local-lambda';
import { dependencies, resolve, stringifyScalars, Template, topologicalOrder } from './template';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '123456789012';
const REGION = LOCAL_REGION;
const ACCOUNT = LOCAL_ACCOUNT;

/**
 * Properties of a resource that references no custom resource (the calendar link's, say), resolved as a deploy
 * would resolve them: what the local world must hold before the deploy starts.
 */
export function staticProperties(stackName: string, template: Template, logicalId: string): Record<string, unknown> {
  const ctx = {
    region: REGION, accountId: ACCOUNT, stackName, stackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${stackName}/static`,
    physicalId: (id: string) => (template.Resources?.[id] ? `local-${id}` : undefined),
    attribute: (id: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:local-${id}`,
  };
  return resolve(template.Resources?.[logicalId]?.Properties ?? {}, ctx, template) as Record<string, unknown>;
}

export interface AppliedResource {
  readonly type: string;
  readonly physicalId: string;
  /** Properties as last sent to the handler (resolved, stringified). */
  readonly properties: Record<string, unknown>;
  readonly data: Record<string, string>;
  readonly dependsOn: string[];
  readonly retain: boolean;
}

export interface StackState {
  readonly stackId: string;
  readonly resources: Record<string, AppliedResource>;
  /** For a nested stack: the template and parameters last applied, to restore it on a rollback of its parent. */
  readonly template?: Template;
  readonly parameters?: Record<string, unknown>;
}

const NESTED_STACK = 'AWS::CloudFormation::Stack';
const EMPTY_TEMPLATE: Template = { Resources: {} };

export type Action = 'create' | 'update' | 'replace' | 'delete' | 'retain' | 'unchanged';

export interface ResourceOutcome {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly action: Action;
  readonly name?: string;
  readonly physicalId?: string;
}

export interface StackDeployResult {
  readonly stack: string;
  readonly ok: boolean;
  readonly outcomes: ResourceOutcome[];
  /** Set when the stack failed: the failing resource's reason. */
  readonly error?: string;
  /** What the rollback did, when there was one. */
  readonly rollback?: string[];
}

export interface DeployEngineOptions {
  /** The provider function of each custom resource type; other types exist only in AWS and are skipped. */
  readonly lambdas: Readonly<Record<string, LocalLambda>>;
  /** Directory keeping the last applied state per stack. */
  readonly stateDir: string;
  /** Requests in flight at once, like CloudFormation's parallel resource operations. @default 10 */
  readonly concurrency?: number;
  /** Called after each resource operation (progress output). */
  readonly onProgress?: (outcome: ResourceOutcome, done: number, total: number) => void;
  /**
   * Each function's timeout in seconds, by the ARN a ServiceToken resolves to here (see `functionTimeouts`); a
   * handler gets that much time, as in Lambda. @default no limit for functions not listed
   */
  readonly functionTimeouts?: Readonly<Record<string, number>>;
}

/** The timeouts of a template's Lambda functions (and its nested stacks'), keyed as the engine resolves ServiceTokens. */
export function functionTimeouts(template: Template, nestedTemplate?: (templateUrl: string) => Template, stackName = 'stack'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    // Lambda's default timeout is 3 seconds (AWS::Lambda::Function Timeout).
    if (r.Type === 'AWS::Lambda::Function') out[`arn:aws:lambda:${REGION}:${ACCOUNT}:function:local-${id}`] = Number((r.Properties as { Timeout?: unknown })?.Timeout ?? 3);
    if (r.Type === NESTED_STACK && nestedTemplate) {
      Object.assign(out, functionTimeouts(nestedTemplate(String(staticProperties(stackName, template, id).TemplateURL)), nestedTemplate, `${stackName}/${id}`));
    }
  }
  return out;
}

export class DeployEngine {
  constructor(private readonly options: DeployEngineOptions) {}

  stateFile(stackName: string): string {
    return path.join(this.options.stateDir, 'stacks', `${stackName}.json`);
  }

  readState(stackName: string): StackState {
    const file = this.stateFile(stackName);
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
    return { stackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${stackName}/${randomUUID()}`, resources: {} };
  }

  private writeState(stackName: string, state: StackState): void {
    const file = this.stateFile(stackName);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 1));
    fs.renameSync(`${file}.tmp`, file);
  }

  /**
   * Deploys one stack's template; on failure rolls back and keeps the previous state. Nested stacks (read with
   * `nestedTemplate`) are deployed as resources of their parent, each with its own state, and rolled back with it.
   */
  async deployStack(stackName: string, template: Template, parameters?: Record<string, unknown>,
    nestedTemplate?: (templateUrl: string) => Template): Promise<StackDeployResult> {
    const previous = this.readState(stackName);
    const declared = Object.fromEntries(Object.entries(template.Resources ?? {})
      .filter(([, r]) => this.options.lambdas[r.Type] || (r.Type === NESTED_STACK && nestedTemplate)));
    const known = new Set(Object.keys(declared));
    const deps = new Map(Object.entries(declared).map(([id, r]) => [id, dependencies(r, known)]));
    topologicalOrder(deps); // throws on a cycle before anything is touched

    const current: Record<string, AppliedResource> = {};
    const ctx = {
      region: REGION, accountId: ACCOUNT, stackName, stackId: previous.stackId, parameters,
      physicalId: (id: string) => current[id]?.physicalId ?? (template.Resources?.[id] ? `local-${id}` : undefined),
      attribute: (id: string, name: string) => current[id]?.data[name]
        ?? (template.Resources?.[id] && !known.has(id) ? `arn:aws:lambda:${REGION}:${ACCOUNT}:function:local-${id}` : undefined),
    };
    const outcomes: ResourceOutcome[] = [];
    const undo: Array<() => Promise<string>> = [];
    const replaced: AppliedResource[] = [];
    const total = known.size + Object.keys(previous.resources).filter((id) => !known.has(id)).length;
    const report = (o: ResourceOutcome) => {
      outcomes.push(o);
      this.options.onProgress?.(o, outcomes.length, total);
    };

    const apply = async (id: string): Promise<void> => {
      const r = declared[id];
      if (r.Type === NESTED_STACK) return applyNested(id);
      const properties = stringifyScalars(resolve(r.Properties ?? {}, ctx, template)) as Record<string, unknown>;
      const before = previous.resources[id];
      const base = { type: r.Type, properties, dependsOn: deps.get(id) ?? [], retain: r.DeletionPolicy === 'Retain' };
      const name = nameOf(properties);
      if (before && before.type === r.Type && sameJson(before.properties, properties)) {
        current[id] = { ...before, ...base };
        report({ stack: stackName, logicalId: id, type: r.Type, action: 'unchanged', name, physicalId: before.physicalId });
        return;
      }
      if (!before || before.type !== r.Type) {
        const res = await this.call({ RequestType: 'Create', LogicalResourceId: id, ResourceType: r.Type, ResourceProperties: properties }, previous.stackId);
        if (res.Status !== 'SUCCESS') {
          // CloudFormation sends the rollback Delete to whatever physical id the failed Create reported.
          undo.push(() => this.rollbackDelete(previous.stackId, id, r.Type, properties, res.PhysicalResourceId));
          throw new StackFailure(id, res.Reason ?? 'failed');
        }
        current[id] = { ...base, physicalId: res.PhysicalResourceId, data: res.Data ?? {} };
        undo.push(() => this.rollbackDelete(previous.stackId, id, r.Type, properties, res.PhysicalResourceId));
        report({ stack: stackName, logicalId: id, type: r.Type, action: 'create', name, physicalId: res.PhysicalResourceId });
        return;
      }
      const res = await this.call({
        RequestType: 'Update', LogicalResourceId: id, ResourceType: r.Type, PhysicalResourceId: before.physicalId,
        ResourceProperties: properties, OldResourceProperties: before.properties,
      }, previous.stackId);
      // A failed update is rolled back with the old and new properties swapped, the failed resource included.
      const rollbackUpdate = (physicalId: string) => async () => {
        const back = await this.call({
          RequestType: 'Update', LogicalResourceId: id, ResourceType: r.Type, PhysicalResourceId: physicalId,
          ResourceProperties: before.properties, OldResourceProperties: properties,
        }, previous.stackId);
        return back.Status === 'SUCCESS' ? `${id}: restored` : `${id}: rollback update failed: ${back.Reason}`;
      };
      if (res.Status !== 'SUCCESS') {
        undo.push(rollbackUpdate(before.physicalId));
        throw new StackFailure(id, res.Reason ?? 'failed');
      }
      const isReplacement = res.PhysicalResourceId !== before.physicalId;
      current[id] = { ...base, physicalId: res.PhysicalResourceId, data: res.Data ?? {} };
      if (isReplacement) {
        replaced.push(before);
        undo.push(() => this.rollbackDelete(previous.stackId, id, r.Type, properties, res.PhysicalResourceId));
      } else {
        undo.push(rollbackUpdate(before.physicalId));
      }
      report({ stack: stackName, logicalId: id, type: r.Type, action: isReplacement ? 'replace' : 'update', name, physicalId: res.PhysicalResourceId });
    };

    const applyNested = async (id: string): Promise<void> => {
      const r = declared[id];
      const props = resolve(r.Properties ?? {}, ctx, template) as { TemplateURL: string; Parameters?: Record<string, unknown> };
      const nested = nestedTemplate!(props.TemplateURL);
      const nestedName = `${stackName}/${id}`;
      const properties = { TemplateHash: createHash('sha256').update(JSON.stringify(nested)).digest('hex'), Parameters: stringifyScalars(props.Parameters ?? {}) as Record<string, unknown> };
      const before = previous.resources[id];
      const base = { type: NESTED_STACK, properties, dependsOn: deps.get(id) ?? [], retain: r.DeletionPolicy === 'Retain', physicalId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${nestedName}` };
      if (before && sameJson(before.properties, properties)) {
        // An unchanged nested template with unchanged parameters: CloudFormation leaves the nested stack alone.
        current[id] = { ...before, ...base };
        report({ stack: stackName, logicalId: id, type: NESTED_STACK, action: 'unchanged', name: nestedName, physicalId: base.physicalId });
        return;
      }
      const prior = this.readState(nestedName);
      const result = await this.deployStack(nestedName, nested, properties.Parameters, nestedTemplate);
      outcomes.push(...result.outcomes);
      // A nested stack that was applied is restored to its last template (or emptied) when the parent rolls back.
      const restore = async () => {
        const back = await this.deployStack(nestedName, prior.template ?? EMPTY_TEMPLATE, prior.parameters, nestedTemplate);
        return back.ok ? `${nestedName}: restored` : `${nestedName}: restore failed: ${back.error}`;
      };
      if (!result.ok) throw new StackFailure(id, `${result.error}${result.rollback?.length ? ` (rolled back: ${result.rollback.join('; ')})` : ''}`);
      undo.push(restore);
      current[id] = { ...base, data: nestedOutputs(nested, nestedName, this.readState(nestedName)) };
      report({ stack: stackName, logicalId: id, type: NESTED_STACK, action: before ? 'update' : 'create', name: nestedName, physicalId: base.physicalId });
    };

    try {
      await runInOrder(deps, this.options.concurrency ?? 10, apply);
    } catch (e) {
      const failure = e instanceof StackFailure ? e : new StackFailure('(engine)', (e as Error).message);
      const rollback: string[] = [];
      for (const step of undo.reverse()) rollback.push(await step().catch((err: Error) => `rollback step failed: ${err.message}`));
      return { stack: stackName, ok: false, outcomes, error: `${failure.logicalId}: ${failure.reason}`, rollback };
    }

    // Cleanup phase, as CloudFormation's: resources gone from the template and replaced ones, dependents first.
    const removed = Object.entries(previous.resources).filter(([id]) => !known.has(id));
    const removedDeps = new Map(removed.map(([id, r]) => [id, r.dependsOn.filter((d) => removed.some(([x]) => x === d))]));
    const deleteOrder = topologicalOrder(removedDeps).reverse();
    const cleanupErrors: string[] = [];
    for (const id of deleteOrder) {
      const r = previous.resources[id];
      if (r.retain) {
        report({ stack: stackName, logicalId: id, type: r.type, action: 'retain', name: nameOf(r.properties), physicalId: r.physicalId });
        continue;
      }
      if (r.type === NESTED_STACK) {
        const nestedName = `${stackName}/${id}`;
        const emptied = await this.deployStack(nestedName, EMPTY_TEMPLATE, undefined, nestedTemplate);
        outcomes.push(...emptied.outcomes);
        if (!emptied.ok) {
          cleanupErrors.push(`${id}: ${emptied.error}`);
          current[id] = r;
          continue;
        }
        fs.rmSync(this.stateFile(nestedName), { force: true });
        report({ stack: stackName, logicalId: id, type: r.type, action: 'delete', name: nestedName, physicalId: r.physicalId });
        continue;
      }
      const res = await this.call({ RequestType: 'Delete', LogicalResourceId: id, ResourceType: r.type, PhysicalResourceId: r.physicalId, ResourceProperties: r.properties }, previous.stackId);
      if (res.Status !== 'SUCCESS') {
        // CloudFormation skips a resource whose delete fails in cleanup and reports it; it stays in the state to retry.
        cleanupErrors.push(`${id}: ${res.Reason}`);
        current[id] = r;
        continue;
      }
      report({ stack: stackName, logicalId: id, type: r.type, action: 'delete', name: nameOf(r.properties), physicalId: r.physicalId });
    }
    for (const old of replaced) {
      await this.call({ RequestType: 'Delete', LogicalResourceId: 'replaced', ResourceType: old.type, PhysicalResourceId: old.physicalId, ResourceProperties: old.properties }, previous.stackId);
    }
    this.writeState(stackName, { stackId: previous.stackId, resources: current, ...(parameters !== undefined || stackName.includes('/') ? { template, parameters } : {}) });
    if (cleanupErrors.length) return { stack: stackName, ok: false, outcomes, error: `cleanup failed: ${cleanupErrors.join('; ')}` };
    return { stack: stackName, ok: true, outcomes };
  }

  private async rollbackDelete(stackId: string, id: string, type: string, properties: Record<string, unknown>, physicalId: string): Promise<string> {
    const res = await this.call({ RequestType: 'Delete', LogicalResourceId: id, ResourceType: type, PhysicalResourceId: physicalId, ResourceProperties: properties }, stackId);
    return res.Status === 'SUCCESS' ? `${id}: deleted ${physicalId}` : `${id}: rollback delete failed: ${res.Reason}`;
  }

  private call(event: Record<string, unknown>, stackId: string): Promise<CfnResponse> {
    const lambda = this.options.lambdas[event.ResourceType as string];
    if (!lambda) return Promise.resolve({ Status: 'FAILED', Reason: `no local provider for ${event.ResourceType}`, PhysicalResourceId: String(event.PhysicalResourceId ?? '') });
    const props = event.ResourceProperties as { ServiceToken?: unknown; ServiceTimeout?: unknown };
    const timeouts = {
      timeoutSeconds: this.options.functionTimeouts?.[String(props.ServiceToken)],
      serviceTimeoutSeconds: props.ServiceTimeout === undefined ? undefined : Number(props.ServiceTimeout),
    };
    return lambda.invoke({
      ...event,
      StackId: stackId,
      RequestId: randomUUID(),
      ServiceToken: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:local-a4b-provider`,
      ResourceProperties: { ServiceToken: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:local-a4b-provider`, ...(event.ResourceProperties as object) },
      ...(event.OldResourceProperties ? { OldResourceProperties: { ServiceToken: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:local-a4b-provider`, ...(event.OldResourceProperties as object) } } : {}),
    }, timeouts);
  }
}

class StackFailure extends Error {
  constructor(readonly logicalId: string, readonly reason: string) {
    super(`${logicalId}: ${reason}`);
  }
}

/** Runs `work` on every node after its dependencies, at most `concurrency` at a time; stops starting work after the first failure. */
export async function runInOrder(deps: ReadonlyMap<string, readonly string[]>, concurrency: number, work: (id: string) => Promise<void>): Promise<void> {
  const remaining = new Map([...deps].map(([id, d]) => [id, new Set(d)]));
  const dependents = new Map<string, string[]>();
  for (const [id, ds] of deps) for (const d of ds) dependents.set(d, [...(dependents.get(d) ?? []), id]);
  const ready = [...remaining].filter(([, d]) => d.size === 0).map(([id]) => id).sort();
  let running = 0;
  let failure: unknown;
  await new Promise<void>((resolveAll) => {
    const pump = () => {
      if (failure !== undefined && running === 0) return resolveAll();
      if (failure === undefined && ready.length === 0 && running === 0) return resolveAll();
      while (failure === undefined && running < concurrency && ready.length) {
        const id = ready.shift()!;
        running++;
        work(id).then(() => {
          for (const next of dependents.get(id) ?? []) {
            const left = remaining.get(next)!;
            left.delete(id);
            if (left.size === 0) ready.push(next);
          }
        }, (e) => {
          if (failure === undefined) failure = e;
        }).finally(() => {
          running--;
          pump();
        });
      }
    };
    pump();
  });
  if (failure !== undefined) throw failure;
}

/** A nested stack's Outputs, resolved against its applied resources, as `Outputs.<name>` attributes. */
function nestedOutputs(template: Template & { Outputs?: Record<string, { Value: unknown }> }, stackName: string, state: StackState): Record<string, string> {
  const ctx = {
    region: REGION, accountId: ACCOUNT, stackName, stackId: state.stackId, parameters: state.parameters,
    physicalId: (id: string) => state.resources[id]?.physicalId ?? `local-${id}`,
    attribute: (id: string, name: string) => state.resources[id]?.data[name],
  };
  const out: Record<string, string> = {};
  for (const [name, o] of Object.entries(template.Outputs ?? {})) {
    try {
      out[`Outputs.${name}`] = String(resolve(o.Value, ctx, template));
    } catch {
      // an output of a resource that exists only in AWS
    }
  }
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function nameOf(props: Record<string, unknown>): string | undefined {
  const n = props.RoomName ?? props.ProfileName ?? props.SkillGroupName;
  return typeof n === 'string' ? n : undefined;
}
