// Applies the A4B custom resources of synthesized templates to A4B the way CloudFormation would: dependency
// order (independent resources in parallel), properties resolved and stringified, Create / Update / Delete
// against the last applied state, replacement when a handler returns a new physical id, and rollback of the
// whole stack when one resource fails. Other resource types (the provider's Lambda, role, logs) exist only in AWS.
//
// Crash consistency. CloudFormation keeps its own state and survives anything; this engine runs in a process that
// can be killed at any moment, so it keeps per stack, next to the snapshot of the last finished deploy
// (STATE/stacks/<stack>.json), an operations journal (<stack>.ops.jsonl): before a handler is invoked, the
// complete request (its RequestId included) and what the resource becomes if it succeeds, fsync'd; after, the
// answer. A finished deploy writes its snapshot (aside, fsync'd, renamed) and then removes the journal. The next
// run of the stack first folds the journal into the snapshot and re-sends every request that has no answer,
// unchanged, with the same RequestId, as CloudFormation re-delivers a request. The A4B handler derives its
// ClientRequestToken from StackId, LogicalResourceId and RequestId, so a Create that reached A4B before the kill
// is answered with the resource it made (A4B's token replay) instead of a duplicate or AlreadyExists; a Create
// that never reached A4B is made now; Update and Delete are idempotent. Only then is the new template applied,
// against the state as it really is. Re-sending the exact request, rather than adopting by name, never takes over
// a same-named resource the stack did not make. A stack killed during a rollback continues from what the rollback
// had undone (the journal records every step), not from the state before the failed deploy.
import { createHash, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { LimitBreach, templateLimitBreaches } from '../cfn-limits';
import { Clock, realClock } from '../runtime/clock';
import { fsyncDir, jsonProblem, zeroBytesProblem } from './journaled-store';
import { openPrivate, privateDir, writePrivate } from './private-files';
import { recordRootStacks } from './state-manifest';
import { CfnResponse, LocalLambda, NO_RESPONSE_REASON } from './local-lambda';
import { dependencies, resolve, ResolveContext, stringifyScalars, Template, TemplateResource, topologicalOrder } from './template';

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
  /** Commits so far; an operations journal belongs to the snapshot whose serial its first line names. */
  readonly serial?: number;
}

/** What resource `id` of the stack becomes when a request succeeds (null: gone); `fromResponse` takes the physical id and data from the answer. */
interface StateChange {
  readonly id: string;
  readonly resource: AppliedResource | null;
  readonly fromResponse?: boolean;
}

type JournalRecord =
  | { readonly t: 'begin'; readonly serial: number; readonly stackId: string }
  | { readonly t: 'call'; readonly event: Record<string, unknown> & { RequestId: string }; readonly change?: StateChange }
  | { readonly t: 'done'; readonly requestId: string; readonly status: string; readonly physicalId: string; readonly data?: Record<string, string> };

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
  /** What the handler said of a success (a Delete that kept the room another resource holds now). */
  readonly note?: string;
}

export interface StackDeployResult {
  readonly stack: string;
  readonly ok: boolean;
  readonly outcomes: ResourceOutcome[];
  /** Set when the stack failed: the failing resource's reason. */
  readonly error?: string;
  /** What the rollback did, when there was one. */
  readonly rollback?: string[];
  /** A top-level stack's outputs after it deployed (CfnOutput values), by output name, as `cdk deploy` prints them. */
  readonly outputs?: Record<string, string>;
  /** A nested stack deployed with `deferCleanup`: its cleanup phase, which the root runs once every stack of the tree is updated. */
  readonly cleanup?: () => Promise<CleanupResult>;
  /** Set when a template of the deploy breaks a CloudFormation template limit: each breach and the template it is in. */
  readonly limitBreaches?: TemplateLimitBreach[];
}

/** A CloudFormation template limit broken by one template of a deploy. */
export interface TemplateLimitBreach extends LimitBreach {
  /** Which template: the stack (and for a nested stack, its logical id in its parent) and the file, when known. */
  readonly template: string;
}

/** The files of a stack's templates, measured as CloudFormation receives them (cdk uploads these bytes to S3). */
export interface TemplateFiles {
  /** The stack's own template file. @default the template as cdk writes it (JSON, one-space indent) */
  readonly root?: string;
  /** A nested stack's template file, by its TemplateURL. @default the template as cdk writes it */
  readonly nested?: (templateUrl: string) => string;
}

export interface DeployStackOptions {
  /** A nested stack: its cleanup phase is returned for the root to run once the whole tree is updated. */
  readonly deferCleanup?: boolean;
  /** Where the templates' bytes are, for the template size limit. */
  readonly files?: TemplateFiles;
  /** The templates were checked against CloudFormation's limits already (the engine's own nested deploys, restores and cleanups). */
  readonly limitsChecked?: boolean;
}

/** What the local Lambda did for one function during the engine's deploys (see `DeployEngine.lambdaStats`). */
export interface FunctionStats {
  /** The function, as its ServiceToken resolves here (`arn:aws:lambda:…:function:local-<logical id>`). */
  readonly functionArn: string;
  /** Its ReservedConcurrentExecutions, when set; else it shares the account's unreserved concurrency. */
  readonly reservedConcurrency?: number;
  readonly invocations: number;
  /** The most invocations of it that ran at once. */
  readonly maxInFlight: number;
  /** The longest an invocation waited in the queue for a free slot, in ms. */
  readonly maxQueueWaitMs: number;
  /** The longest CloudFormation waited for an answer (queue wait plus run), in ms. */
  readonly maxWaitForAnswerMs: number;
  /** The largest share of its custom resource's ServiceTimeout that queue wait plus run took (1 or more: CloudFormation stopped waiting). */
  readonly maxShareOfServiceTimeout: number;
  /** The ServiceTimeout (s) of the invocation that took that share. */
  readonly serviceTimeoutSeconds?: number;
  /** Invocations CloudFormation stopped waiting for: queue wait plus run reached the ServiceTimeout. */
  readonly outlivedServiceTimeout: number;
}

export interface CleanupResult {
  readonly outcomes: ResourceOutcome[];
  readonly errors: string[];
}

export interface DeployEngineOptions {
  /** The provider function of each custom resource type; other types exist only in AWS and are skipped. */
  readonly lambdas: Readonly<Record<string, LocalLambda>>;
  /** Directory keeping the last applied state per stack. */
  readonly stateDir: string;
  /**
   * Resource operations in flight at once in each stack. CloudFormation has no such cap: it starts every resource whose
   * dependencies are met, and sibling nested stacks deploy side by side. @default no cap, as CloudFormation
   */
  readonly concurrency?: number;
  /**
   * Each function's reserved concurrency (ReservedConcurrentExecutions), by the ARN a ServiceToken resolves to here
   * (see `functionReservedConcurrency`): at most that many invocations of it run at once, the rest wait in a FIFO queue.
   */
  readonly reservedConcurrency?: Readonly<Record<string, number>>;
  /**
   * The account's Lambda concurrency: functions without reserved concurrency share what the reserved ones leave of it.
   * @default 1000 (Lambda's default account quota)
   */
  readonly accountConcurrency?: number;
  /** Called after each resource operation (progress output). */
  readonly onProgress?: (outcome: ResourceOutcome, done: number, total: number) => void;
  /**
   * Each function's timeout in seconds, by the ARN a ServiceToken resolves to here (see `functionTimeouts`); a
   * handler gets that much time, as in Lambda. @default no limit for functions not listed
   */
  readonly functionTimeouts?: Readonly<Record<string, number>>;
  /**
   * Asked when a handler fails: why the services it calls stopped answering, when they did (a `local serve` killed).
   * The run then stops at once, without recording that answer and without a rollback, which could not reach them either;
   * the next run re-sends the request with its RequestId and continues. @default never
   */
  readonly servicesGone?: () => Promise<string | undefined>;
  /** The clock of queue waits, ServiceTimeouts and function timeouts (tests). @default the wall clock */
  readonly clock?: Clock;
}

/** The services the handlers call stopped answering: the run stopped, its journal kept for the next run. */
export class ServicesGone extends Error {}

/** The timeouts of a template's Lambda functions (and its nested stacks'), keyed as the engine resolves ServiceTokens. */
export function functionTimeouts(template: Template, nestedTemplate?: (templateUrl: string) => Template, stackName = 'stack'): Record<string, number> {
  // Lambda's default timeout is 3 seconds (AWS::Lambda::Function Timeout).
  return functionSetting(template, nestedTemplate, stackName, (p) => Number(p.Timeout ?? 3));
}

/** The reserved concurrency (ReservedConcurrentExecutions) of a template's functions that set one (and its nested stacks'), keyed as `functionTimeouts`. */
export function functionReservedConcurrency(
  template: Template, nestedTemplate?: (templateUrl: string) => Template, stackName = 'stack',
): Record<string, number> {
  return functionSetting(template, nestedTemplate, stackName,
    (p) => (p.ReservedConcurrentExecutions === undefined ? undefined : Number(p.ReservedConcurrentExecutions)));
}

function functionSetting(template: Template, nestedTemplate: ((templateUrl: string) => Template) | undefined, stackName: string,
  read: (properties: Record<string, unknown>) => number | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    const value = r.Type === 'AWS::Lambda::Function' ? read(r.Properties ?? {}) : undefined;
    if (value !== undefined) out[`arn:aws:lambda:${REGION}:${ACCOUNT}:function:local-${id}`] = value;
    if (r.Type === NESTED_STACK && nestedTemplate) {
      Object.assign(out, functionSetting(nestedTemplate(String(staticProperties(stackName, template, id).TemplateURL)), nestedTemplate, `${stackName}/${id}`, read));
    }
  }
  return out;
}

/** One deploy of one stack, as its phases share it: the inputs, the recovered state, the plan and what was applied. */
interface StackRun {
  readonly stackName: string;
  readonly template: Template;
  readonly parameters: Record<string, unknown> | undefined;
  readonly nestedTemplate: ((templateUrl: string) => Template) | undefined;
  readonly options: DeployStackOptions;
  readonly previous: StackState;
  readonly journal: OpsJournal;
  readonly send: (event: Record<string, unknown>, change?: StateChange) => Promise<CfnResponse>;
  readonly declared: Record<string, TemplateResource>;
  readonly known: ReadonlySet<string>;
  readonly deps: Map<string, string[]>;
  readonly current: Record<string, AppliedResource>;
  readonly ctx: ResolveContext;
  readonly outcomes: ResourceOutcome[];
  readonly undo: Array<() => Promise<string>>;
  /** Resources an Update replaced (a new physical id), by logical id: their old physical ids are deleted in cleanup. */
  readonly replaced: Array<[string, AppliedResource]>;
  readonly nestedCleanups: Array<() => Promise<CleanupResult>>;
  /** Nested stacks the cleanup emptied and removed: their files go once this stack's state no longer records them. */
  readonly removedNested: string[];
  readonly total: number;
  readonly report: (o: ResourceOutcome) => void;
}

export class DeployEngine {
  /** Lambda concurrency: one FIFO pool per function with reserved concurrency, one shared by the others. */
  private readonly pools = new Map<string, ConcurrencyPool>();
  private readonly stats = new Map<string, Mutable<FunctionStats> & { inFlight: number }>();
  /** Root stacks this engine has seen in the state directory's stacks manifest (state-manifest.ts). */
  private readonly recordedRoots = new Set<string>();
  private readonly clock: Clock;

  constructor(private readonly options: DeployEngineOptions) {
    this.clock = options.clock ?? realClock;
    const reserved = Object.values(options.reservedConcurrency ?? {}).reduce((a, b) => a + b, 0);
    // "You can reserve up to the Unreserved account concurrency value minus 100" (Lambda developer guide, quoted in
    // aws-samples/one-observability-demo#278); Lambda's refusal as stack events show it (aws-samples/siem-on-amazon-opensearch-service#175).
    if ((options.accountConcurrency ?? 1000) - reserved < 100) {
      throw new Error(`Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]. `
        + `(account concurrency ${options.accountConcurrency ?? 1000}, reserved ${reserved})`);
    }
  }

  /**
   * Per function, over every deploy of this engine (`localDeploy` makes one per deploy): invocations, the most in
   * flight at once, the longest queue wait, the longest wait for an answer against ServiceTimeout.
   */
  lambdaStats(): FunctionStats[] {
    return [...this.stats.values()].map(({ inFlight: _, ...s }) => ({ ...s }));
  }

  stateFile(stackName: string): string {
    return path.join(this.options.stateDir, 'stacks', `${stackName}.json`);
  }

  /** The stack's operations journal (see the top of this file). */
  journalFile(stackName: string): string {
    return path.join(this.options.stateDir, 'stacks', `${stackName}.ops.jsonl`);
  }

  /** A nested stack's template by its hash, kept so that a rollback of its parent can go back to it. */
  private templateFile(nestedName: string, hash: string): string {
    return path.join(this.options.stateDir, 'stacks', `${nestedName.split('/')[0]}.templates`, `${hash}.json`);
  }

  private keepTemplate(nestedName: string, hash: string, template: Template): void {
    const file = this.templateFile(nestedName, hash);
    if (fs.existsSync(file)) return;
    // 0600 like every file of the state directory (private-files.ts), durable like the state that names it.
    privateDir(path.dirname(file));
    writePrivate(file, JSON.stringify(template));
  }

  /** The kept template of that hash; or the nested stack's snapshot's, when it is that one (state made before templates were kept). */
  private keptTemplate(nestedName: string, hash: string): Template | undefined {
    const file = this.templateFile(nestedName, hash);
    if (fs.existsSync(file)) {
      const text = fs.readFileSync(file, 'utf8');
      if (templateHash(text) === hash) return JSON.parse(text);
    }
    const own = this.readState(nestedName).template;
    return own && templateHash(JSON.stringify(own)) === hash ? own : undefined;
  }

  /** Whether the nested stack's own state is that template with those parameters, nothing more, and no run of it unfinished. */
  private nestedStackAt(nestedName: string, properties: { TemplateHash: string; Parameters: Record<string, unknown> }, template: Template): boolean {
    const state = this.readState(nestedName);
    return !!state.template && templateHash(JSON.stringify(state.template)) === properties.TemplateHash
      && sameJson(state.parameters ?? {}, properties.Parameters)
      && Object.keys(state.resources).every((id) => template.Resources?.[id])
      && !this.readJournal(nestedName);
  }

  /** Drops the kept templates that no committed state of the root stack's tree names (after the root committed). */
  private pruneTemplates(rootName: string, state: StackState): void {
    const dir = path.dirname(this.templateFile(rootName, 'x'));
    if (!fs.existsSync(dir)) return;
    const named = new Set<string>();
    const visit = (name: string, s: StackState) => {
      for (const [id, r] of Object.entries(s.resources)) {
        if (r.type !== NESTED_STACK) continue;
        named.add(String(r.properties.TemplateHash));
        if (fs.existsSync(this.stateFile(`${name}/${id}`))) visit(`${name}/${id}`, this.readState(`${name}/${id}`));
      }
    };
    visit(rootName, state);
    for (const f of fs.readdirSync(dir)) if (!named.has(f.replace(/\.json$/, ''))) fs.rmSync(path.join(dir, f), { force: true });
  }

  /**
   * Drops the states of nested stacks under the root's folder that no committed state of its tree records and that
   * hold nothing (a cleanup's emptied stack left by a kill before its files went, a rolled-back new one). One that
   * still holds resources, or has a journal, is kept: its resources exist, and only its state says where.
   */
  private pruneEmptyNested(rootName: string, state: StackState): void {
    const dir = path.join(this.options.stateDir, 'stacks', rootName);
    if (!fs.existsSync(dir)) return;
    const recorded = new Set<string>();
    const visit = (name: string, s: StackState) => {
      for (const [id, r] of Object.entries(s.resources)) {
        if (r.type !== NESTED_STACK || !fs.existsSync(this.stateFile(`${name}/${id}`))) continue;
        recorded.add(`${name}/${id}`);
        visit(`${name}/${id}`, this.readState(`${name}/${id}`));
      }
    };
    visit(rootName, state);
    const files = fs.readdirSync(dir, { recursive: true }) as string[];
    for (const f of files.filter((x) => x.endsWith('.json'))) {
      const name = `${rootName}/${f.slice(0, -'.json'.length).split(path.sep).join('/')}`;
      if (recorded.has(name) || fs.existsSync(this.journalFile(name))) continue;
      let empty = false;
      try {
        empty = Object.keys(this.readState(name).resources).length === 0;
      } catch {
        // unreadable: not this cleanup's to judge
      }
      if (empty) fs.rmSync(this.stateFile(name), { force: true });
    }
  }

  /** The state of the last finished deploy (without what an unfinished run's journal holds). */
  readState(stackName: string): StackState {
    const file = this.stateFile(stackName);
    if (fs.existsSync(file)) {
      const text = fs.readFileSync(file, 'utf8');
      try {
        return JSON.parse(text);
      } catch (e) {
        // Written aside and renamed, so only outside damage can cut it short.
        throw new Error(`${file} is not a readable stack state (${jsonProblem(e)}): restore it from a backup; deleting it makes the next deploy create every resource of ${stackName} again`);
      }
    }
    // A stack's id is part of every request token, so a stack that never finished a deploy keeps the id its journal began with.
    const begun = this.readJournal(stackName)?.begin;
    return { stackId: begun?.stackId ?? `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${stackName}/${randomUUID()}`, resources: {} };
  }

  /** Writes the stack's state (aside, fsync'd, renamed) and then drops its journal, whose operations it now holds. */
  private writeState(stackName: string, state: StackState): void {
    const file = this.stateFile(stackName);
    privateDir(path.dirname(file));
    const fd = openPrivate(`${file}.tmp`, 'w');
    try {
      fs.writeSync(fd, JSON.stringify({ ...state, serial: (this.readSerial(stackName)) + 1 }, null, 1));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(`${file}.tmp`, file);
    fsyncDir(path.dirname(file));
    // A crash here leaves a journal that names the previous serial: the next run sees it is already folded in.
    fs.rmSync(this.journalFile(stackName), { force: true });
    // Listed once it has a state, so that losing the file later is named as damage (a nested stack is recorded by its parent's state).
    if (!stackName.includes('/') && !this.recordedRoots.has(stackName)) {
      recordRootStacks(this.options.stateDir, [stackName]);
      this.recordedRoots.add(stackName);
    }
  }

  /**
   * The files of nested stacks that a cleanup emptied, removed only after their parent's new state (which no longer
   * records them) is written: a kill in between leaves an empty state nobody records, never a parent's record of a
   * nested stack whose state is gone (which the next run would refuse as damage). Journal first, for the same reason.
   */
  private dropNestedState(names: readonly string[]): void {
    for (const name of names) {
      fs.rmSync(this.journalFile(name), { force: true });
      fs.rmSync(this.stateFile(name), { force: true });
    }
  }

  private readSerial(stackName: string): number {
    const file = this.stateFile(stackName);
    return fs.existsSync(file) ? (this.readState(stackName).serial ?? 0) : 0;
  }

  /** The journal of an unfinished run of the stack, when there is one that belongs to the current snapshot. */
  private readJournal(stackName: string): { begin: JournalRecord & { t: 'begin' }; records: JournalRecord[] } | undefined {
    const file = this.journalFile(stackName);
    if (!fs.existsSync(file)) return undefined;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const records: JournalRecord[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].includes('\0')) throw new Error(zeroBytesProblem(file, i + 1, `what the interrupted deploy of ${stackName} did`));
      if (!lines[i].trim()) continue;
      try {
        records.push(JSON.parse(lines[i]));
      } catch (e) {
        if (i === lines.length - 1) break; // a line cut off by the kill: its request was never sent
        throw new Error(`${file}:${i + 1}: unreadable operations journal line (${jsonProblem(e)}): repair or remove that line; deleting the file loses what the interrupted deploy did`);
      }
    }
    const begin = records[0];
    if (begin?.t !== 'begin' || begin.serial !== this.readSerial(stackName)) return undefined; // already folded into the snapshot
    return { begin, records: records.slice(1) };
  }

  /**
   * The stack's state as it really is: the snapshot with the journal's answered requests applied, after re-sending
   * (same RequestId) each request the interrupted run sent without recording the answer; committed, so the journal is gone.
   */
  private async recover(stackName: string): Promise<StackState> {
    const journal = this.readJournal(stackName);
    const state = this.readState(stackName);
    if (!journal) {
      fs.rmSync(this.journalFile(stackName), { force: true });
      return state;
    }
    const resources = { ...state.resources };
    const answers = new Map(journal.records.flatMap((r) => (r.t === 'done' ? [[r.requestId, r] as const] : [])));
    const resend = new OpsJournal(this.journalFile(stackName));
    try {
      for (const record of journal.records) {
        if (record.t !== 'call') continue;
        let answer = answers.get(record.event.RequestId);
        if (!answer) {
          const res = await this.call(record.event, String(record.event.StackId));
          await this.stopIfServicesGone(res);
          answer = { t: 'done', requestId: record.event.RequestId, status: res.Status, physicalId: res.PhysicalResourceId, data: res.Data };
          resend.append(answer);
          if (res.Status !== 'SUCCESS' && record.event.RequestType === 'Create' && res.PhysicalResourceId) {
            // What CloudFormation's rollback does with a failed Create: Delete its physical id (a placeholder is nothing to delete).
            await this.send(resend, journal.begin.stackId, { RequestType: 'Delete', LogicalResourceId: record.event.LogicalResourceId, ResourceType: record.event.ResourceType,
              PhysicalResourceId: res.PhysicalResourceId, ResourceProperties: record.event.ResourceProperties });
          }
        }
        applyChange(resources, record.change, answer);
      }
    } finally {
      resend.close();
    }
    const recovered = { ...state, stackId: journal.begin.stackId, resources };
    this.writeState(stackName, recovered);
    return recovered;
  }

  /** A failed answer that only says the services went away is no answer: the request stays unanswered in the journal. */
  private async stopIfServicesGone(res: CfnResponse): Promise<void> {
    if (res.Status === 'SUCCESS' || !this.options.servicesGone) return;
    const gone = await this.options.servicesGone();
    if (gone) throw new ServicesGone(gone);
  }

  /** Journals the request, sends it, journals the answer. */
  private async send(journal: OpsJournal, stackId: string, event: Record<string, unknown>, change?: StateChange): Promise<CfnResponse> {
    const full = { ...event, StackId: stackId, RequestId: randomUUID() };
    await journal.appendDurable({ t: 'call', event: full, change });
    const res = await this.call(full, stackId);
    await this.stopIfServicesGone(res);
    journal.append({ t: 'done', requestId: full.RequestId, status: res.Status, physicalId: res.PhysicalResourceId, data: res.Data });
    return res;
  }

  /**
   * Deploys one stack's template; on failure rolls back and keeps the previous state. Nested stacks (read with
   * `nestedTemplate`) are deployed as resources of their parent, each with its own state, and rolled back with it.
   */
  async deployStack(stackName: string, template: Template, parameters?: Record<string, unknown>,
    nestedTemplate?: (templateUrl: string) => Template, options: DeployStackOptions = {}): Promise<StackDeployResult> {
    const refused = options.limitsChecked ? undefined : this.limitsRefusal(stackName, template, parameters, nestedTemplate, options);
    if (refused) return refused;
    const run = await this.plan(stackName, template, parameters, nestedTemplate, options);
    try {
      await runInOrder(run.deps, this.options.concurrency ?? Infinity, (id) => this.apply(run, id));
    } catch (e) {
      if (e instanceof ServicesGone) run.journal.close();
      if (e instanceof ServicesGone) throw e;
      return this.rollBack(run, e);
    }
    return this.commit(run);
  }

  /**
   * Limits check. Every template of the tree, before anything is touched. CloudFormation refuses a parent template at
   * CreateStack / UpdateStack (nothing happens) and a nested one when it reaches that nested stack (which fails, and the
   * parent rolls back); checking the whole tree first ends the same way, with nothing applied.
   */
  private limitsRefusal(stackName: string, template: Template, parameters: Record<string, unknown> | undefined,
    nestedTemplate: ((templateUrl: string) => Template) | undefined, options: DeployStackOptions): StackDeployResult | undefined {
    const limitBreaches = this.templateTreeBreaches(stackName, template, parameters, nestedTemplate, options.files);
    if (!limitBreaches.length) return undefined;
    return { stack: stackName, ok: false, outcomes: [], limitBreaches,
      error: `nothing was deployed: ${limitBreaches.map((b) => `${b.template}: ${b.message}`).join('; ')}` };
  }

  /** Recovery (the journal folded into the state) and plan: the resources this engine applies, their order, the run's state. */
  private async plan(stackName: string, template: Template, parameters: Record<string, unknown> | undefined,
    nestedTemplate: ((templateUrl: string) => Template) | undefined, options: DeployStackOptions): Promise<StackRun> {
    const previous = await this.recover(stackName);
    const journal = new OpsJournal(this.journalFile(stackName), { t: 'begin', serial: this.readSerial(stackName), stackId: previous.stackId });
    const send = (event: Record<string, unknown>, change?: StateChange) => this.send(journal, previous.stackId, event, change);
    const declared = Object.fromEntries(Object.entries(template.Resources ?? {})
      .filter(([, r]) => this.options.lambdas[r.Type] || (r.Type === NESTED_STACK && nestedTemplate)));
    const known = new Set(Object.keys(declared));
    const deps = declaredDependencies(template, known);
    topologicalOrder(deps); // throws on a cycle before anything is touched

    const current: Record<string, AppliedResource> = {};
    const ctx: ResolveContext = {
      region: REGION, accountId: ACCOUNT, stackName, stackId: previous.stackId, parameters,
      physicalId: (id: string) => current[id]?.physicalId ?? (template.Resources?.[id] ? `local-${id}` : undefined),
      attribute: (id: string, name: string) => current[id]?.data[name]
        ?? (template.Resources?.[id] && !known.has(id) ? `arn:aws:lambda:${REGION}:${ACCOUNT}:function:local-${id}` : undefined),
    };
    const outcomes: ResourceOutcome[] = [];
    const total = known.size + Object.keys(previous.resources).filter((id) => !known.has(id)).length;
    const report = (o: ResourceOutcome) => {
      outcomes.push(o);
      this.options.onProgress?.(o, outcomes.length, total);
    };
    return {
      stackName, template, parameters, nestedTemplate, options, previous, journal, send, declared, known, deps, current, ctx,
      outcomes, undo: [], replaced: [], nestedCleanups: [], removedNested: [], total, report,
    };
  }

  /** A rollback Delete of what a Create (or a replacing Update) made; its line in the rollback report. */
  private rollbackDelete(
    run: StackRun, id: string, type: string, properties: Record<string, unknown>, physicalId: string, change: StateChange,
  ): Promise<string> {
    const request = { RequestType: 'Delete', LogicalResourceId: id, ResourceType: type, PhysicalResourceId: physicalId, ResourceProperties: properties } as const;
    return run.send(request, change)
      .then((res) => (res.Status === 'SUCCESS' ? `${id}: deleted ${physicalId}` : `${id}: rollback delete failed: ${res.Reason}`));
  }

  /** Apply: one resource of the template (Create, Update or nothing), its undo step recorded for a rollback. */
  private async apply(run: StackRun, id: string): Promise<void> {
    const { stackName, template, previous, deps, current, ctx, undo, replaced, report, send } = run;
    const r = run.declared[id];
    if (r.Type === NESTED_STACK) return this.applyNested(run, id);
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
      const gone = { id, resource: before ?? null };
      const res = await send({ RequestType: 'Create', LogicalResourceId: id, ResourceType: r.Type, ResourceProperties: properties }, { id, resource: { ...base, physicalId: '', data: {} }, fromResponse: true });
      if (res.Status !== 'SUCCESS') {
        // CloudFormation sends the rollback Delete to whatever physical id the failed Create reported.
        undo.push(() => this.rollbackDelete(run, id, r.Type, properties, res.PhysicalResourceId, gone));
        throw new StackFailure(id, res.Reason ?? 'failed');
      }
      current[id] = { ...base, physicalId: res.PhysicalResourceId, data: res.Data ?? {} };
      undo.push(() => this.rollbackDelete(run, id, r.Type, properties, res.PhysicalResourceId, gone));
      report({ stack: stackName, logicalId: id, type: r.Type, action: 'create', name, physicalId: res.PhysicalResourceId });
      return;
    }
    const res = await send({
      RequestType: 'Update', LogicalResourceId: id, ResourceType: r.Type, PhysicalResourceId: before.physicalId,
      ResourceProperties: properties, OldResourceProperties: before.properties,
    }, { id, resource: { ...base, physicalId: '', data: {} }, fromResponse: true });
    // A failed update is rolled back with the old and new properties swapped, the failed resource included.
    const rollbackUpdate = (physicalId: string) => async () => {
      const back = await send({
        RequestType: 'Update', LogicalResourceId: id, ResourceType: r.Type, PhysicalResourceId: physicalId,
        ResourceProperties: before.properties, OldResourceProperties: properties,
      }, { id, resource: before });
      return back.Status === 'SUCCESS' ? `${id}: restored` : `${id}: rollback update failed: ${back.Reason}`;
    };
    if (res.Status !== 'SUCCESS') {
      undo.push(rollbackUpdate(before.physicalId));
      throw new StackFailure(id, res.Reason ?? 'failed');
    }
    const isReplacement = res.PhysicalResourceId !== before.physicalId;
    current[id] = { ...base, physicalId: res.PhysicalResourceId, data: res.Data ?? {} };
    if (isReplacement) {
      replaced.push([id, before]);
      undo.push(() => this.rollbackDelete(run, id, r.Type, properties, res.PhysicalResourceId, { id, resource: before }));
    } else {
      undo.push(rollbackUpdate(before.physicalId));
    }
    report({ stack: stackName, logicalId: id, type: r.Type, action: isReplacement ? 'replace' : 'update', name, physicalId: res.PhysicalResourceId });
  }

  /** Apply, for a nested stack: deployed as a stack of its own (cleanup deferred to the root's), restored on a rollback. */
  private async applyNested(run: StackRun, id: string): Promise<void> {
    const { stackName, template, nestedTemplate, options, previous, deps, current, ctx, outcomes, undo, nestedCleanups, report } = run;
    const r = run.declared[id];
    const props = resolve(r.Properties ?? {}, ctx, template) as { TemplateURL: string; Parameters?: Record<string, unknown> };
    const nested = nestedTemplate!(props.TemplateURL);
    const nestedName = `${stackName}/${id}`;
    const properties = {
      TemplateHash: templateHash(JSON.stringify(nested)), Parameters: stringifyScalars(props.Parameters ?? {}) as Record<string, unknown>,
    };
    const before = previous.resources[id];
    const base = { type: NESTED_STACK, properties, dependsOn: deps.get(id) ?? [], retain: r.DeletionPolicy === 'Retain', physicalId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${nestedName}` };
    // Unchanged only when the nested stack itself is where its parent's record says: a run killed (or failed) after
    // the nested stack was updated, before its parent committed, leaves it elsewhere, and it is deployed again.
    if (before && sameJson(before.properties, properties) && this.nestedStackAt(nestedName, properties, nested)) {
      // An unchanged nested template with unchanged parameters: CloudFormation leaves the nested stack alone.
      current[id] = { ...before, ...base };
      report({ stack: stackName, logicalId: id, type: NESTED_STACK, action: 'unchanged', name: nestedName, physicalId: base.physicalId });
      return;
    }
    // The parameter values as passed, which only now are all known (ARNs of what this deploy made): CloudFormation checks
    // them when it creates or updates the nested stack, which then fails, and the parent rolls back.
    const valueBreaches = templateLimitBreaches('', nested, properties.Parameters as Record<string, string>).filter((b) => b.limit === 'parameterValueBytes');
    if (valueBreaches.length) throw new StackFailure(id, valueBreaches.map((b) => b.message).join('; '));
    this.keepTemplate(nestedName, properties.TemplateHash, nested);
    const result = await this.deployStack(nestedName, nested, properties.Parameters, nestedTemplate, {
      deferCleanup: true, limitsChecked: true, files: options.files,
    });
    outcomes.push(...result.outcomes);
    if (result.cleanup) nestedCleanups.push(result.cleanup);
    // When the parent rolls back, the nested stack goes back to what the parent's last finished deploy gave it (or is
    // emptied when that had none). Not to the nested stack's own last snapshot: after a killed or failed run that is
    // the new template, whose rollback would run the cleanup and delete rooms the last finished deploy held.
    const restore = async () => {
      if (!before) {
        const back = await this.deployStack(nestedName, EMPTY_TEMPLATE, undefined, nestedTemplate, { limitsChecked: true });
        return back.ok ? `${nestedName}: restored` : `${nestedName}: restore failed: ${back.error}`;
      }
      const target = before.properties as { TemplateHash: string; Parameters: Record<string, unknown> };
      const kept = this.keptTemplate(nestedName, target.TemplateHash);
      if (!kept) {
        const dir = path.dirname(this.templateFile(nestedName, target.TemplateHash));
        return `${nestedName}: not restored: the template of its last finished deploy is not kept in ${dir}; its resources stay as they are`;
      }
      const back = await this.deployStack(nestedName, kept, target.Parameters, nestedTemplate, { limitsChecked: true });
      return back.ok ? `${nestedName}: restored` : `${nestedName}: restore failed: ${back.error}`;
    };
    // A failed nested stack rolled itself back to its own snapshot; restored too, in case that was not the parent's record.
    undo.push(restore);
    if (!result.ok) throw new StackFailure(id, `${result.error}${result.rollback?.length ? ` (rolled back: ${result.rollback.join('; ')})` : ''}`);
    current[id] = { ...base, data: nestedOutputs(nested, nestedName, this.readState(nestedName)) };
    report({ stack: stackName, logicalId: id, type: NESTED_STACK, action: before ? 'update' : 'create', name: nestedName, physicalId: base.physicalId });
  }

  /** Rollback: the undo steps in reverse, then the journal folded into the state; the previous state stays. */
  private async rollBack(run: StackRun, e: unknown): Promise<StackDeployResult> {
    const failure = e instanceof StackFailure ? e : new StackFailure('(engine)', (e as Error).message);
    const rollback: string[] = [];
    try {
      for (const step of run.undo.reverse()) {
        rollback.push(await step().catch((err: Error) => {
          if (err instanceof ServicesGone) throw err;
          return `rollback step failed: ${err.message}`;
        }));
      }
    } finally {
      run.journal.close();
    }
    // The journal holds what the deploy and its rollback did (a resource whose rollback failed stays in the state); fold it in.
    // When that fails too (a handler that throws), the journal stays for the next run to finish.
    await this.recover(run.stackName).catch(() => undefined);
    return { stack: run.stackName, ok: false, outcomes: run.outcomes, error: `${failure.logicalId}: ${failure.reason}`, rollback };
  }

  /**
   * Cleanup phase, as CloudFormation's: resources gone from the template and replaced ones, dependents first. A nested
   * stack's cleanup waits for the root's: CloudFormation deletes nothing of a stack tree until every stack of it is
   * updated (it pauses a nested stack's cleanup while a sibling still updates or rolls back: AWS re:Post knowledge
   * center, "cloudformation-stack-cleanup-stuck"), so a failure in a later shard never finds rooms already deleted.
   */
  private async cleanUp(run: StackRun, removed: Array<[string, AppliedResource]>, cleanupSend: StackRun['send']): Promise<CleanupResult> {
    const { stackName, nestedTemplate, previous, current, outcomes, replaced, nestedCleanups, total } = run;
    const done: ResourceOutcome[] = [];
    const errors: string[] = [];
    const note = (o: ResourceOutcome) => {
      done.push(o);
      this.options.onProgress?.(o, outcomes.length + done.length, total);
    };
    for (const nestedCleanup of nestedCleanups) {
      const r = await nestedCleanup();
      done.push(...r.outcomes);
      errors.push(...r.errors);
    }
    const removedDeps = new Map(removed.map(([id, r]) => [id, r.dependsOn.filter((d) => removed.some(([x]) => x === d))]));
    for (const id of topologicalOrder(removedDeps).reverse()) {
      const r = previous.resources[id];
      if (r.retain) {
        note({ stack: stackName, logicalId: id, type: r.type, action: 'retain', name: nameOf(r.properties), physicalId: r.physicalId });
        continue;
      }
      if (r.type === NESTED_STACK) {
        const nestedName = `${stackName}/${id}`;
        const emptied = await this.deployStack(nestedName, EMPTY_TEMPLATE, undefined, nestedTemplate, { limitsChecked: true });
        done.push(...emptied.outcomes);
        if (!emptied.ok) {
          errors.push(`${id}: ${emptied.error}`);
          current[id] = r;
          continue;
        }
        run.removedNested.push(nestedName);
        note({ stack: stackName, logicalId: id, type: r.type, action: 'delete', name: nestedName, physicalId: r.physicalId });
        continue;
      }
      const res = await cleanupSend({ RequestType: 'Delete', LogicalResourceId: id, ResourceType: r.type, PhysicalResourceId: r.physicalId, ResourceProperties: r.properties }, { id, resource: null });
      if (res.Status !== 'SUCCESS') {
        // CloudFormation skips a resource whose delete fails in cleanup and reports it; it stays in the state to retry.
        errors.push(`${id}: ${res.Reason}`);
        current[id] = r;
        continue;
      }
      note({ stack: stackName, logicalId: id, type: r.type, action: 'delete', name: nameOf(r.properties), physicalId: r.physicalId, ...(res.Reason ? { note: res.Reason } : {}) });
    }
    for (const [id, old] of replaced) {
      // CloudFormation names the resource's own logical id in the Delete of the physical id it replaced.
      await cleanupSend({ RequestType: 'Delete', LogicalResourceId: id, ResourceType: old.type, PhysicalResourceId: old.physicalId, ResourceProperties: old.properties });
    }
    return { outcomes: done, errors };
  }

  /** Commit: the cleanup (now, or deferred to the root's for a nested stack) and the new state written. */
  private async commit(run: StackRun): Promise<StackDeployResult> {
    const { stackName, template, parameters, options, previous, journal, current, outcomes } = run;
    const removed = Object.entries(previous.resources).filter(([id]) => !run.known.has(id));
    const finalState = () => ({ stackId: previous.stackId, resources: current, ...(parameters !== undefined || stackName.includes('/') ? { template, parameters } : {}) });

    if (options.deferCleanup) {
      // Updated, not yet cleaned up: the removed resources still exist, and the state says so until the root's cleanup.
      journal.close();
      this.writeState(stackName, { ...finalState(), resources: { ...current, ...Object.fromEntries(removed) } });
      return {
        stack: stackName, ok: true, outcomes,
        cleanup: async () => {
          const later = new OpsJournal(this.journalFile(stackName), { t: 'begin', serial: this.readSerial(stackName), stackId: previous.stackId });
          let gone = false;
          try {
            return await this.cleanUp(run, removed, (event, change) => this.send(later, previous.stackId, event, change));
          } catch (e) {
            gone = e instanceof ServicesGone; // the journal keeps the cleanup's unanswered request for the next run
            throw e;
          } finally {
            later.close();
            if (!gone) {
              this.writeState(stackName, finalState());
              this.dropNestedState(run.removedNested);
            }
          }
        },
      };
    }
    const cleaned = await this.cleanUp(run, removed, run.send);
    outcomes.push(...cleaned.outcomes);
    journal.close();
    this.writeState(stackName, finalState());
    this.dropNestedState(run.removedNested);
    if (!stackName.includes('/')) {
      this.pruneTemplates(stackName, finalState());
      this.pruneEmptyNested(stackName, finalState());
    }
    if (cleaned.errors.length) return { stack: stackName, ok: false, outcomes, error: `cleanup failed: ${cleaned.errors.join('; ')}` };
    return { stack: stackName, ok: true, outcomes };
  }

  /**
   * Every CloudFormation template limit broken by the stack's template or a nested one (recursively), with the nested
   * stacks' parameter values as far as they are known before the deploy (literals, the parent's parameters); values
   * made by the deploy itself (a profile's ARN) are checked when the nested stack is applied, as CloudFormation does.
   */
  templateTreeBreaches(stackName: string, template: Template, parameters: Record<string, unknown> | undefined,
    nestedTemplate: ((templateUrl: string) => Template) | undefined, files: TemplateFiles = {}): TemplateLimitBreach[] {
    const body = (t: Template, file?: string) => (file ? fs.readFileSync(file, 'utf8') : JSON.stringify(t, undefined, 1));
    const out: TemplateLimitBreach[] = [];
    const visit = (name: string, t: Template, where: string, file: string | undefined, values: Record<string, unknown> | undefined) => {
      const known = values && Object.fromEntries(Object.entries(values).filter(([, v]) => v !== UNKNOWN).map(([k, v]) => [k, String(v)]));
      for (const b of templateLimitBreaches(body(t, file), t, known)) out.push({ ...b, template: file ? `${where}, ${file}` : where });
      if (!nestedTemplate) return;
      for (const [id, r] of Object.entries(t.Resources ?? {})) {
        if (r.Type !== NESTED_STACK) continue;
        const props = r.Properties as { TemplateURL?: unknown; Parameters?: Record<string, unknown> } | undefined;
        const ctx = {
          region: REGION, accountId: ACCOUNT, stackName: name, stackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${name}/static`, parameters: values,
          physicalId: (x: string) => (t.Resources?.[x] ? `local-${x}` : undefined),
          attribute: (x: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:local-${x}`,
        };
        const url = String(resolve(props?.TemplateURL, ctx, t));
        const nestedValues: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(props?.Parameters ?? {})) {
          // A value that refers to a resource of the deploy is not known yet.
          const unknownParameters = new Set(Object.entries(values ?? {}).filter(([, x]) => x === UNKNOWN).map(([p]) => p));
          nestedValues[k] = refersToResource(v, t, unknownParameters) ? UNKNOWN : resolvedOrUnknown(() => stringifyScalars(resolve(v, ctx, t)));
        }
        visit(`${name}/${id}`, nestedTemplate(url), `nested stack ${name}/${id} (logical id ${id} in ${name})`, files.nested?.(url), nestedValues);
      }
    };
    visit(stackName, template, `stack ${stackName}`, files.root, parameters);
    return out;
  }

  private pool(functionArn: string, reserved: number | undefined): ConcurrencyPool {
    const key = reserved === undefined ? '(unreserved)' : functionArn;
    let pool = this.pools.get(key);
    if (!pool) {
      const reservedTotal = Object.values(this.options.reservedConcurrency ?? {}).reduce((a, b) => a + b, 0);
      pool = new ConcurrencyPool(reserved ?? (this.options.accountConcurrency ?? 1000) - reservedTotal, this.clock);
      this.pools.set(key, pool);
    }
    return pool;
  }

  /**
   * Invokes the resource's function as CloudFormation does, asynchronously: the request waits in the function's queue
   * (Lambda's asynchronous invocation queue) while it already runs as many invocations as its reserved concurrency (or
   * the account's unreserved concurrency) allows, first in, first out. CloudFormation's wait starts when it sends the
   * request, so the queue wait counts against the custom resource's ServiceTimeout: a request still queued, or still
   * running, when it has passed fails the resource in CloudFormation's words. Lambda would still run such a queued
   * event later (it keeps events up to six hours: AWS::Lambda::EventInvokeConfig), and whatever it made then would be
   * left behind; this model drops it, so a deploy must never get there: the stats say how close it came.
   */
  private async call(event: Record<string, unknown>, stackId: string): Promise<CfnResponse> {
    const lambda = this.options.lambdas[event.ResourceType as string];
    if (!lambda) return { Status: 'FAILED', Reason: `no local provider for ${event.ResourceType}`, PhysicalResourceId: String(event.PhysicalResourceId ?? '') };
    const props = event.ResourceProperties as { ServiceToken?: unknown; ServiceTimeout?: unknown };
    const fn = String(props.ServiceToken);
    const reserved = this.options.reservedConcurrency?.[fn];
    const serviceTimeoutSeconds = props.ServiceTimeout === undefined ? 3600 : Number(props.ServiceTimeout);
    const requestId = (event.RequestId as string | undefined) ?? randomUUID();
    const sentAt = this.clock.now();
    const stats = this.stats.get(fn) ?? { functionArn: fn, ...(reserved !== undefined ? { reservedConcurrency: reserved } : {}),
      invocations: 0, maxInFlight: 0, maxQueueWaitMs: 0, maxWaitForAnswerMs: 0, maxShareOfServiceTimeout: 0, outlivedServiceTimeout: 0, inFlight: 0 };
    this.stats.set(fn, stats);
    stats.invocations++;
    const answered = (res: CfnResponse, queuedMs: number): CfnResponse => {
      const waited = this.clock.now() - sentAt;
      stats.maxQueueWaitMs = Math.max(stats.maxQueueWaitMs, queuedMs);
      stats.maxWaitForAnswerMs = Math.max(stats.maxWaitForAnswerMs, waited);
      const outlived = res.Status === 'FAILED' && res.Reason?.startsWith(NO_RESPONSE_REASON) === true;
      const share = outlived ? Math.max(1, waited / (serviceTimeoutSeconds * 1000)) : waited / (serviceTimeoutSeconds * 1000);
      if (share >= stats.maxShareOfServiceTimeout) Object.assign(stats, { maxShareOfServiceTimeout: share, serviceTimeoutSeconds });
      if (outlived) stats.outlivedServiceTimeout++;
      return res;
    };
    const pool = this.pool(fn, reserved);
    if (!(await pool.acquire(sentAt + serviceTimeoutSeconds * 1000))) {
      return answered({ Status: 'FAILED', PhysicalResourceId: String(event.PhysicalResourceId ?? ''), Reason: noResponseReason(requestId) }, this.clock.now() - sentAt);
    }
    const queuedMs = this.clock.now() - sentAt;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let released = false;
    // The slot is Lambda's: it is free when the function ends (returns, or is ended at its timeout), not when CloudFormation stops waiting.
    const release = () => {
      if (released) return;
      released = true;
      stats.inFlight--;
      pool.release();
    };
    const timeouts = {
      timeoutSeconds: this.options.functionTimeouts?.[fn], serviceTimeoutSeconds, sentAt, onFunctionEnd: release, clock: this.clock,
    };
    const res = await lambda.invoke({
      ...event,
      StackId: stackId,
      RequestId: requestId,
      ServiceToken: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:local-a4b-provider`,
      ResourceProperties: { ServiceToken: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:local-a4b-provider`, ...(event.ResourceProperties as object) },
      ...(event.OldResourceProperties ? { OldResourceProperties: { ServiceToken: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:local-a4b-provider`, ...(event.OldResourceProperties as object) } } : {}),
    }, timeouts).catch((e: unknown) => {
      release();
      throw e;
    });
    return answered(res, queuedMs);
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A value of a nested stack parameter that the deploy itself makes. */
const UNKNOWN = Symbol('unknown before the deploy');

/** A value resolved before the deploy, or UNKNOWN when it cannot be (the deploy then reports why, where it applies it). */
function resolvedOrUnknown(value: () => unknown): unknown {
  try {
    return value();
  } catch {
    return UNKNOWN;
  }
}

/** Whether a template value refers (Ref, Fn::GetAtt, Fn::Sub) to a resource of the template, or to one of `unknownParameters`. */
function refersToResource(value: unknown, template: Template, unknownParameters: ReadonlySet<string>): boolean {
  const resources = new Set([...Object.keys(template.Resources ?? {}), ...unknownParameters]);
  const subRefs = (text: string) => [...text.matchAll(/\$\{([^}!.]+)[^}]*\}/g)].some((m) => resources.has(m[1]));
  const walk = (v: unknown): boolean => {
    if (Array.isArray(v)) return v.some(walk);
    if (!v || typeof v !== 'object') return false;
    const o = v as Record<string, unknown>;
    if (typeof o.Ref === 'string' && resources.has(o.Ref)) return true;
    const att = o['Fn::GetAtt'];
    if (att !== undefined) return true;
    const sub = o['Fn::Sub'];
    if (typeof sub === 'string' && subRefs(sub)) return true;
    if (Array.isArray(sub) && typeof sub[0] === 'string' && subRefs(sub[0])) return true;
    return Object.values(o).some(walk);
  };
  return walk(value);
}

/** CloudFormation's reason for a custom resource that did not answer within its ServiceTimeout. */
function noResponseReason(requestId: string): string {
  return `${NO_RESPONSE_REASON} Please check your logs for requestId [${requestId}]. `
    + 'If you are using the Python cfn-response module, you may need to update your Lambda function code so that CloudFormation can attach the updated version.';
}

/** A concurrency limit with a FIFO queue, as Lambda's for one function (or for the account's unreserved concurrency). */
class ConcurrencyPool {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number, private readonly clock: Clock) {}

  /** True once a slot is taken; false when `deadline` (epoch ms) passes first, and the request leaves the queue. */
  acquire(deadline: number): Promise<boolean> {
    if (this.inFlight < this.limit && this.waiting.length === 0) {
      this.inFlight++;
      return Promise.resolve(true);
    }
    return new Promise((resolveSlot) => {
      const granted = new AbortController();
      const grant = () => {
        granted.abort();
        this.inFlight++;
        resolveSlot(true);
      };
      void this.clock.sleep(Math.max(0, deadline - this.clock.now()), granted.signal, true).then(() => {
        if (granted.signal.aborted) return;
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        resolveSlot(false);
      });
      this.waiting.push(grant);
    });
  }

  release(): void {
    this.inFlight--;
    if (this.inFlight < this.limit) this.waiting.shift()?.();
  }
}

/** An operations journal open for appending; a written record survives a kill of this process (write(2) returned). */
class OpsJournal {
  private fd?: number;

  constructor(private readonly file: string, begin?: JournalRecord) {
    privateDir(path.dirname(file));
    this.fd = openPrivate(file, begin ? 'w' : 'a');
    if (begin) this.append(begin);
    if (begin) fsyncDir(path.dirname(file));
  }

  append(record: JournalRecord): void {
    if (this.fd === undefined) throw new Error(`${this.file} is closed`);
    fs.writeSync(this.fd, JSON.stringify(record) + '\n');
  }

  /**
   * Appends a request and waits until it is on disk (fdatasync), so that not even a power cut can lose a request
   * that was sent (a re-run would send a new RequestId: a duplicate). The sync runs off the event loop, so requests
   * in flight overlap their syncs. Answers are only appended: one lost to a power cut makes the next run re-send
   * its request with the same RequestId, which finds the same result.
   */
  async appendDurable(record: JournalRecord): Promise<void> {
    this.append(record);
    await new Promise<void>((resolve, reject) => fs.fdatasync(this.fd!, (e) => (e ? reject(e) : resolve())));
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

function applyChange(
  resources: Record<string, AppliedResource>,
  change: StateChange | undefined,
  answer: { status: string; physicalId: string; data?: Record<string, string> },
): void {
  if (!change || answer.status !== 'SUCCESS') return;
  if (change.resource === null) delete resources[change.id];
  else resources[change.id] = change.fromResponse ? { ...change.resource, physicalId: answer.physicalId, data: answer.data ?? {} } : change.resource;
}

class StackFailure extends Error {
  constructor(readonly logicalId: string, readonly reason: string) {
    super(`${logicalId}: ${reason}`);
  }
}

/**
 * What each applied resource waits for: its dependencies among the applied resources, through the resources that
 * exist only in AWS (the provider's function, an inventory's wave barriers, which are WaitConditionHandles): such a
 * resource is done as soon as what it depends on is, so a room that waits for a barrier waits for the rooms the
 * barrier waits for, as in CloudFormation.
 */
export function declaredDependencies(template: Template, declared: ReadonlySet<string>): Map<string, string[]> {
  const resources = template.Resources ?? {};
  const all = new Set(Object.keys(resources));
  const through = new Map<string, Set<string>>();
  const reach = (id: string, path: Set<string>): Set<string> => {
    const known = through.get(id);
    if (known) return known;
    if (path.has(id)) throw new Error(`circular dependency: ${[...path, id].join(' -> ')}`);
    path.add(id);
    const out = new Set<string>();
    for (const d of dependencies(resources[id], all)) {
      if (declared.has(d)) out.add(d);
      else for (const x of reach(d, path)) out.add(x);
    }
    path.delete(id);
    through.set(id, out);
    return out;
  };
  return new Map([...declared].map((id) => [id, [...reach(id, new Set())]]));
}

/**
 * Runs `work` on every node as soon as its dependencies are done, at most `concurrency` at a time (CloudFormation has
 * no cap: pass Infinity); stops starting work after the first failure. In an update, `work` for a resource with no
 * change returns at once, so it is done as soon as its dependencies are: this is the model of CloudFormation's update
 * (an unchanged resource is not touched and does not hold its dependents back beyond its own dependencies), so pacing
 * by DependsOn chains holds in updates as in creates.
 */
export async function runInOrder(
  deps: ReadonlyMap<string, readonly string[]>, concurrency: number, work: (id: string) => Promise<void>,
): Promise<void> {
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
/**
 * The outputs of a stack as last deployed, resolved against its state (those of resources that exist only in AWS are
 * left out), keyed `Outputs.<name>` as a nested stack's attributes are.
 */
export function nestedOutputs(
  template: Template & { Outputs?: Record<string, { Value: unknown }> }, stackName: string, state: StackState,
): Record<string, string> {
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

function templateHash(json: string): string {
  return createHash('sha256').update(json).digest('hex');
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function nameOf(props: Record<string, unknown>): string | undefined {
  const n = props.RoomName ?? props.ProfileName ?? props.SkillGroupName;
  return typeof n === 'string' ? n : undefined;
}
