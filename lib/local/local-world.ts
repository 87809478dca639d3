// The local stand-ins for the cloud, found or started for one state directory: A4B and Secrets Manager on one
// AWS JSON endpoint, Entra ID and Graph on one HTTPS endpoint. A running `local serve` for that directory is used
// when there is one (its endpoints.json answers); otherwise they start inside this process, which then holds the
// directory's emulator lock (state-lock.ts) until it closes them.
import * as fs from 'fs';
import * as path from 'path';
import { Clock } from '../runtime/clock';
import { MAX_INVENTORY_BYTES, parseDataText, readTextFile } from '../inventory/parse';
import { A4bEmulator } from './a4b-emulator';
import { calendarProcessingProblems, workingHoursProblems } from './graph-calendar';
import { GraphEmulator, TenantFile } from './graph-emulator';
import { tenantProblems as tenantModelProblems } from './graph-tenant';
import { writePrivate } from './private-files';
import { damagedState, emulatorStateCheck, isStateDir, recordEmulatorSnapshots, stackStateProblems } from './state-manifest';
import { lockFile, StateLock } from './state-lock';

/** What endpoints.json holds. */
export interface Endpoints {
  /** A4B endpoint URL (AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS). */
  readonly a4b: string;
  /** Secrets Manager endpoint URL (AWS_ENDPOINT_URL_SECRETS_MANAGER). */
  readonly secretsManager: string;
  /** Graph base URL, without /v1.0 (GRAPH_BASE_URL). */
  readonly graph: string;
  /** Entra ID authority host (AZURE_AUTHORITY_HOST). */
  readonly authority: string;
  /** The CA certificate of the HTTPS endpoints, a PEM file (NODE_EXTRA_CA_CERTS). */
  readonly ca: string;
}

export interface LocalWorld {
  readonly endpoints: Endpoints;
  /** The emulators, when they run in this process. */
  readonly a4b?: A4bEmulator;
  readonly graph?: GraphEmulator;
  close(): Promise<void>;
}

export interface LocalWorldOptions {
  /** Seeds a state directory that has no tenant yet. */
  readonly tenant?: TenantFile;
  readonly a4bPort?: number;
  readonly graphPort?: number;
  /** A4B requests per second per account (see A4bEmulatorOptions.rateLimit). @default no limit */
  readonly a4bRateLimit?: number;
  /** The clock the A4B rate limit refills by (tests make throttling independent of how fast the machine is). @default the wall clock */
  readonly a4bClock?: Pick<Clock, 'now'>;
  /** Told what was repaired on the way (a snapshot rebuilt from its journal). @default a `notice:` line on stderr */
  readonly onNotice?: (message: string) => void;
}

export function endpointsFile(stateDir: string): string {
  return path.join(stateDir, 'endpoints.json');
}

/** A tenant file, YAML or JSON; throws with every problem at FILE:LINE:COL (never a value: a tenant file holds secrets). */
export function readTenantFile(file: string): TenantFile {
  const text = readTextFile(file, 'tenant', MAX_INVENTORY_BYTES);
  const parsed = typeof text === 'string' ? parseDataText(text, file, 'the file holds no tenant (it is empty or only comments): a tenant file needs tenantId', 'a tenant file') : undefined;
  const problems = !parsed ? [(text as { problem: string }).problem]
    : parsed.syntaxProblems.length ? parsed.syntaxProblems
      : tenantProblems(parsed.inventory).map((p) => `${parsed.locate(p.path)}: ${p.message}`);
  // Then what the fields mean together (members, addresses, roles), as the emulator checks it before it loads a tenant.
  if (!problems.length) problems.push(...tenantModelProblems(parsed!.inventory as unknown as TenantFile).map((p) => `${file}: ${p}`));
  if (problems.length) throw new Error(`${problems.length} problem${problems.length > 1 ? 's' : ''} in tenant file ${file}:\n${problems.join('\n')}`);
  return parsed!.inventory as unknown as TenantFile;
}

type FieldType = 'string' | 'strings' | 'map' | 'boolean' | 'list';

/**
 * The entries of a tenant file's lists: their fields and which are required; every key the Graph emulator models
 * (TENANT_KEYS in graph-tenant.ts, which a test keeps equal to this table). Types are checked here, at FILE:LINE:COL;
 * what the fields mean together (unknown members, duplicate addresses, roles) the emulator's tenantProblems checks.
 */
export const TENANT_ENTRIES: Record<string, { fields: Record<string, FieldType>; required: string[] }> = {
  apps: { fields: { clientId: 'string', clientSecret: 'string', certificatePem: 'string', displayName: 'string', roles: 'strings', scopedRoles: 'list', accessPolicies: 'list' }, required: ['clientId'] },
  users: { fields: { upn: 'string', displayName: 'string', mail: 'string', proxyAddresses: 'strings', mailbox: 'boolean', accountEnabled: 'boolean', purpose: 'string', mailboxState: 'string', external: 'boolean' }, required: ['upn'] },
  // calendarProcessing's own fields are checked by the emulator's tenant model (graph-calendar.ts), naming the room.
  rooms: {
    fields: { mailbox: 'string', upn: 'string', displayName: 'string', proxyAddresses: 'strings', inPlaces: 'boolean', accountEnabled: 'boolean', calendarProcessing: 'map', mailboxState: 'string', workingHours: 'map' },
    required: ['mailbox'],
  },
  roomLists: { fields: { mailbox: 'string', displayName: 'string', rooms: 'strings' }, required: ['mailbox'] },
  groups: { fields: { mail: 'string', displayName: 'string', members: 'strings' }, required: ['mail'] },
  calendarPermissions: { fields: { mailbox: 'string', user: 'string', role: 'string', allowedRoles: 'strings' }, required: ['mailbox', 'user', 'role'] },
  consents: { fields: { applicationId: 'string', displayName: 'string', roles: 'strings', resource: 'string' }, required: ['applicationId'] },
};

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStrings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
const FIELD_TYPES: Record<FieldType, { ok: (v: unknown) => boolean; words: string }> = {
  string: { ok: (v) => typeof v === 'string', words: 'a string' },
  strings: { ok: isStrings, words: 'a list of strings' },
  map: { ok: isMap, words: 'a mapping' },
  boolean: { ok: (v) => typeof v === 'boolean', words: 'true or false' },
  list: { ok: Array.isArray, words: 'a list' },
};

export function tenantProblems(tenant: unknown): Array<{ path: Array<string | number>; message: string }> {
  const allowed = ['tenantId', 'domains', 'opaqueTokens', 'propagationDelaySeconds', ...Object.keys(TENANT_ENTRIES)];
  if (!isMap(tenant)) return [{ path: [], message: `a tenant file is a mapping with ${allowed.join(', ')}` }];
  const problems: Array<{ path: Array<string | number>; message: string }> = [];
  if (typeof tenant.tenantId !== 'string') problems.push({ path: tenant.tenantId === undefined ? [] : ['tenantId'], message: tenant.tenantId === undefined ? 'tenantId is required (the directory GUID or primary domain)' : 'tenantId must be a string' });
  if (tenant.domains !== undefined && !isStrings(tenant.domains)) problems.push({ path: ['domains'], message: 'domains must be a list of strings' });
  if (tenant.opaqueTokens !== undefined && typeof tenant.opaqueTokens !== 'boolean') problems.push({ path: ['opaqueTokens'], message: 'opaqueTokens must be true or false' });
  if (tenant.propagationDelaySeconds !== undefined && typeof tenant.propagationDelaySeconds !== 'number') problems.push({ path: ['propagationDelaySeconds'], message: 'propagationDelaySeconds must be a number of seconds' });
  for (const k of Object.keys(tenant).filter((x) => !allowed.includes(x))) problems.push({ path: [k], message: `${k} is not a field of a tenant file (allowed: ${allowed.join(', ')})` });
  for (const [list, { fields, required }] of Object.entries(TENANT_ENTRIES)) {
    const entries = tenant[list];
    if (entries === undefined) continue;
    if (!Array.isArray(entries)) {
      problems.push({ path: [list], message: `${list} must be a list` });
      continue;
    }
    entries.forEach((e, i) => {
      if (!isMap(e)) return problems.push({ path: [list, i], message: `${list}[${i}] must be a mapping with ${Object.keys(fields).join(', ')}` });
      for (const r of required.filter((f) => e[f] === undefined)) problems.push({ path: [list, i], message: `${list}[${i}].${r} is required` });
      for (const [f, v] of Object.entries(e)) {
        const type = fields[f];
        if (!type) problems.push({ path: [list, i, f], message: `${list}[${i}].${f} is not a field here (allowed: ${Object.keys(fields).join(', ')})` });
        else if (!FIELD_TYPES[type].ok(v)) {
          problems.push({ path: [list, i, f], message: `${list}[${i}].${f} must be ${FIELD_TYPES[type].words}` });
        } else if (f === 'calendarProcessing') {
          for (const message of calendarProcessingProblems(`${list}[${i}]`, v)) problems.push({ path: [list, i, f], message });
        } else if (f === 'workingHours') {
          for (const message of workingHoursProblems(`${list}[${i}]`, v)) problems.push({ path: [list, i, f], message });
        }
      }
      return undefined;
    });
  }
  return problems;
}

async function startWorld(
  stateDir: string, options: LocalWorldOptions, lock: StateLock,
): Promise<LocalWorld & { a4b: A4bEmulator; graph: GraphEmulator }> {
  let graph: GraphEmulator | undefined;
  try {
    // Before any store is opened: an emulator without its snapshot would start empty and write a new one.
    const check = emulatorStateCheck(stateDir);
    const damage = damagedState(stateDir, [...check.problems, ...stackStateProblems(stateDir)]);
    if (damage) throw damage;
    graph = await GraphEmulator.start({ stateDir, tenant: options.tenant, port: options.graphPort });
    const a4b = await A4bEmulator.start({ stateDir, port: options.a4bPort, rateLimit: options.a4bRateLimit, clock: options.a4bClock });
    recordEmulatorSnapshots(stateDir);
    for (const line of check.rebuilt) (options.onNotice ?? ((m: string) => process.stderr.write(`notice: ${m}\n`)))(line);
    const endpoints: Endpoints = { a4b: a4b.endpoint, secretsManager: a4b.endpoint, graph: graph.url, authority: graph.url, ca: graph.tls.caFile! };
    const started = graph;
    return {
      endpoints, a4b, graph,
      close: async () => {
        try {
          await a4b.stop();
          await started.stop();
        } finally {
          lock.release();
        }
      },
    };
  } catch (e) {
    // A damaged state file, say: the emulators did not start, and leave the files as they are for the next try.
    await graph?.stop().catch(() => undefined);
    lock.release();
    throw e;
  }
}

/** Starts the emulators for `stateDir` and publishes their endpoints there, for `local serve`. */
export async function serveLocalWorld(stateDir: string, options: LocalWorldOptions = {}): Promise<LocalWorld> {
  if (await runningWorld(stateDir)) throw new Error(`a local serve already runs for ${stateDir} (see ${endpointsFile(stateDir)})`);
  const lock = await StateLock.acquire(stateDir, 'emulators', { meanwhile: () => runningWorld(stateDir) });
  if (!(lock instanceof StateLock)) throw new Error(`a local serve already runs for ${stateDir} (see ${endpointsFile(stateDir)})`);
  const world = await startWorld(stateDir, options, lock);
  // Written aside and renamed: a deploy reading it never sees half of it.
  writePrivate(endpointsFile(stateDir), JSON.stringify(world.endpoints, null, 2) + '\n');
  return {
    ...world,
    close: async () => {
      fs.rmSync(endpointsFile(stateDir), { force: true });
      await world.close();
    },
  };
}

/** The world for `stateDir`: the one `local serve` runs, or a new in-process one. */
export async function openLocalWorld(stateDir: string, options: LocalWorldOptions = {}): Promise<LocalWorld> {
  const running = await runningWorld(stateDir);
  const lockOrServe = running ?? await StateLock.acquire(stateDir, 'emulators', { meanwhile: () => runningWorld(stateDir) });
  if (lockOrServe instanceof StateLock) return startWorld(stateDir, options, lockOrServe);
  if (options.a4bRateLimit !== undefined) {
    // The running serve keeps the rate limit it was started with; a deploy cannot quietly deploy under another.
    const stats = await (await fetch(`${lockOrServe.a4b}/_emulator/stats`)).json() as { rateLimit?: number };
    if (stats.rateLimit !== options.a4bRateLimit) {
      throw new Error(`the local serve of ${stateDir} runs with ${stats.rateLimit === undefined ? 'no A4B rate limit' : `an A4B rate limit of ${stats.rateLimit} requests per second`}, `
        + `not ${options.a4bRateLimit}: give --a4b-rate-limit ${options.a4bRateLimit} to local serve, or leave it out of local deploy`);
    }
  }
  if (options.tenant) await postJson(`${lockOrServe.graph}/_emulator/tenant`, options.tenant, fs.readFileSync(lockOrServe.ca, 'utf8'));
  return { endpoints: lockOrServe, close: async () => {} };
}

/**
 * `--reset-state`: moves the state directory aside to `<DIR>.broken-<UTC time>` (never deleting it) so the command
 * starts from an empty one; returns where it went, or undefined when there was no state directory. Refused while a
 * `local serve` runs on it or another process holds one of its locks (both are taken for the move).
 */
export async function resetStateDir(stateDir: string, now: Date = new Date()): Promise<string | undefined> {
  if (!fs.existsSync(stateDir)) return undefined;
  if (!isStateDir(stateDir)) {
    throw new Error(`--reset-state: ${stateDir} holds no local state (no a4b.json, graph.json, stacks/ or manifest), so it was not moved; give the --state directory of a local deploy or local serve`);
  }
  const serving = `a local serve runs for ${stateDir} (see ${endpointsFile(stateDir)}): stop it before --reset-state`;
  if (await runningWorld(stateDir)) throw new Error(serving);
  const deploy = await StateLock.acquire(stateDir, 'deploy');
  try {
    const emulators = await StateLock.acquire(stateDir, 'emulators', { meanwhile: () => runningWorld(stateDir) });
    if (!(emulators instanceof StateLock)) throw new Error(serving);
    let aside = `${stateDir}.broken-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
    for (let n = 2; fs.existsSync(aside); n++) aside = aside.replace(/(-\d+)?$/, `-${n}`);
    try {
      fs.renameSync(stateDir, aside);
    } finally {
      emulators.release(); // after the move: finds no lock at the old path, and leaves any new one alone
    }
    // This process's locks moved with the directory; the copy aside is not in use.
    for (const name of ['deploy', 'emulators'] as const) fs.rmSync(lockFile(aside, name), { force: true });
    return aside;
  } finally {
    deploy.release();
  }
}

async function runningWorld(stateDir: string): Promise<Endpoints | undefined> {
  const file = endpointsFile(stateDir);
  if (!fs.existsSync(file)) return undefined;
  try {
    const endpoints = JSON.parse(fs.readFileSync(file, 'utf8')) as Endpoints;
    const res = await fetch(`${endpoints.a4b}/_emulator/health`, { signal: AbortSignal.timeout(1000) });
    return res.ok ? endpoints : undefined;
  } catch {
    return undefined; // a serve that died without cleaning up
  }
}

/** POST to an emulator's admin route, trusting the emulators' CA (node's fetch cannot take one; https can). */
export async function postJson(url: string, body: unknown, ca?: string): Promise<unknown> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? await import('https') : await import('http');
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = mod.request(u, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }, ...(ca ? { ca } : {}) } as any, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const out = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 500) >= 300) reject(new Error(`${url}: ${res.statusCode} ${out}`));
        else resolve(out ? JSON.parse(out) : undefined);
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}
