// The local stand-ins for the cloud, found or started for one state directory: A4B and Secrets Manager on one
// AWS JSON endpoint, Entra ID and Graph on one HTTPS endpoint. A running `local serve` for that directory is used
// when there is one (its endpoints.json answers); otherwise they start inside this process, which then holds the
// directory's emulator lock (state-lock.ts) until it closes them.
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { A4bEmulator } from './a4b-emulator';
import { GraphEmulator, TenantFile } from './graph-emulator';
import { StateLock } from './state-lock';

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
}

export function endpointsFile(stateDir: string): string {
  return path.join(stateDir, 'endpoints.json');
}

/** A tenant file, YAML or JSON. */
export function readTenantFile(file: string): TenantFile {
  const text = fs.readFileSync(file, 'utf8');
  const tenant = parseYaml(text) as TenantFile;
  if (!tenant || typeof tenant.tenantId !== 'string') throw new Error(`${file}: a tenant file needs tenantId (and apps, users, rooms, calendarPermissions, consents)`);
  return tenant;
}

async function startWorld(stateDir: string, options: LocalWorldOptions, lock: StateLock): Promise<LocalWorld & { a4b: A4bEmulator; graph: GraphEmulator }> {
  let graph: GraphEmulator | undefined;
  try {
    graph = await GraphEmulator.start({ stateDir, tenant: options.tenant, port: options.graphPort });
    const a4b = await A4bEmulator.start({ stateDir, port: options.a4bPort });
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
  const tmp = `${endpointsFile(stateDir)}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(world.endpoints, null, 2) + '\n');
  fs.renameSync(tmp, endpointsFile(stateDir));
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
  if (options.tenant) await postJson(`${lockOrServe.graph}/_emulator/tenant`, options.tenant, fs.readFileSync(lockOrServe.ca, 'utf8'));
  return { endpoints: lockOrServe, close: async () => {} };
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
