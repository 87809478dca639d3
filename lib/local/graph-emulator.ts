// A local Entra ID (token endpoint) and Microsoft Graph v1.0, over HTTPS with a certificate made at first start:
// what @azure/identity and @microsoft/microsoft-graph-client need to validate an Office 365 calendar link
// (users, room places, calendar permissions, service principals and their app-role assignments, $batch).
// Tokens are JWT-shaped and carry the app's Graph application permissions (`roles`), and every Graph route
// checks them as Graph does. The tenant comes from a tenant file and persists in the state directory.
import { createHmac, randomBytes, randomUUID, verify, constants as cryptoConstants } from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as path from 'path';
import { JournaledStore } from './journaled-store';

/** The tenant file: what `--tenant FILE` loads (YAML or JSON). */
export interface TenantFile {
  /** Tenant id (GUID) or primary domain. */
  readonly tenantId: string;
  /** Other names the tenant answers to (e.g. `contoso.onmicrosoft.com`). */
  readonly domains?: string[];
  /** App registrations and the Graph application permissions granted to them. */
  readonly apps?: Array<{ clientId: string; clientSecret?: string; certificatePem?: string; displayName?: string; roles?: string[] }>;
  readonly users?: Array<{ upn: string; displayName?: string }>;
  /** Room mailboxes. */
  readonly rooms?: Array<{ mailbox: string; displayName?: string }>;
  readonly calendarPermissions?: Array<{ mailbox: string; user: string; role: string }>;
  /** Service principals (enterprise apps) holding Graph app roles, e.g. A4B's after an admin consent. */
  readonly consents?: Array<{ applicationId: string; displayName?: string; roles?: string[] }>;
}

export interface GraphFaultSpec {
  /** Matched against `METHOD /path` (Graph paths without /v1.0; `POST /token`, `GET /openid-configuration`). */
  readonly match: string;
  /** `request`: top-level requests only; `item`: $batch items only; @default any */
  readonly scope?: 'request' | 'item' | 'any';
  readonly status: number;
  readonly code?: string;
  readonly message?: string;
  readonly retryAfterSeconds?: number;
  /** @default unlimited */
  readonly count?: number;
}

export interface GraphRequestRecord {
  readonly method: string;
  /** Graph path without `/v1.0`, or `/token`, `/openid-configuration`. */
  readonly path: string;
  readonly status: number;
  /** True for an item inside a $batch. */
  readonly batchItem: boolean;
  /** The number of items, for a $batch. */
  readonly items?: number;
}

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** Graph's application permissions as the emulator's Microsoft Graph service principal lists them. */
export const GRAPH_APP_ROLES: Record<string, string> = {
  'Calendars.ReadWrite': 'ef54d2bf-783f-4e0f-bca1-3210c0444d99',
  'Calendars.Read': '798ee544-9d2d-430c-a058-570e29e34338',
  'Calendars.ReadBasic.All': '8ba4a692-bc31-4128-9094-475872af8a53',
  'Place.Read.All': '913b9306-0ce1-42b8-9137-6a7df690a760',
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
  'Application.Read.All': '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30',
  'Directory.Read.All': '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
  'MailboxSettings.Read': '40f97065-3a51-4ebb-8a3c-4a5f9b0e5c66',
  'User.ReadWrite.All': '741f803b-c850-494e-b5df-cde7c675a1ca',
};
const CALENDAR_ROLES = ['none', 'freeBusyRead', 'limitedRead', 'read', 'write', 'delegateWithoutPrivateEventAccess', 'delegateWithPrivateEventAccess', 'custom'];

interface AppState { clientId: string; clientSecret?: string; certificatePem?: string; displayName: string }
interface DirectoryObject { id: string; upn: string; displayName: string; room: boolean }
interface Permission { id: string; role: string; address?: string; name: string; isRemovable: boolean; isInsideOrganization: boolean }
interface ServicePrincipal { id: string; appId: string; displayName: string; roles: string[] }

class GraphError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly retryAfterSeconds?: number) {
    super(message);
  }
}

interface GraphResponse { status: number; body?: unknown; headers?: Record<string, string> }

export interface GraphEmulatorOptions {
  /** Directory for the tenant's state and the TLS certificate; memory only when absent. */
  readonly stateDir?: string;
  /** Seeds a state that has no tenant yet. */
  readonly tenant?: TenantFile;
  readonly port?: number;
}

export class GraphEmulator {
  static async start(options: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
    const tls = await certificate(options.stateDir);
    const emulator = new GraphEmulator(options, tls);
    await new Promise<void>((resolve, reject) => {
      emulator.server.once('error', reject);
      emulator.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return emulator;
  }

  readonly requests: GraphRequestRecord[] = [];
  private readonly store: JournaledStore;
  private readonly server: https.Server;
  private readonly faults: Array<GraphFaultSpec & { remaining: number }> = [];
  private readonly signingKey: string;

  private constructor(options: GraphEmulatorOptions, readonly tls: { cert: string; key: string; caFile?: string }) {
    this.store = new JournaledStore(options.stateDir, 'graph');
    let key = this.store.get<string>('meta', 'signingKey');
    if (!key) this.store.put('meta', 'signingKey', (key = randomBytes(32).toString('hex')));
    this.signingKey = key;
    if (!this.hasTenant && options.tenant) this.seed(options.tenant);
    this.server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => this.handle(req, res));
  }

  /** Base URL: the authority host and the Graph base URL (`/v1.0` is added by the Graph client). */
  get url(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The CA certificate (PEM) that signs the emulator's TLS certificate. */
  get caPem(): string {
    return this.tls.cert;
  }

  get hasTenant(): boolean {
    return this.store.get('meta', 'tenantId') !== undefined;
  }

  get tenantId(): string | undefined {
    return this.store.get<string>('meta', 'tenantId');
  }

  /** Loads a tenant file into the state (only into a state without a tenant: afterwards the state wins). */
  seed(tenant: TenantFile): void {
    // One journal line for the whole tenant: a process killed while seeding leaves no half tenant behind.
    this.store.batch(() => this.seedTenant(tenant));
  }

  private seedTenant(tenant: TenantFile): void {
    if (this.hasTenant) throw new Error(`the state already holds tenant ${this.tenantId}; start from an empty state directory to load another`);
    this.store.put('meta', 'tenantId', tenant.tenantId);
    this.store.put('meta', 'domains', [tenant.tenantId, ...(tenant.domains ?? [])].map((d) => d.toLowerCase()));
    this.store.put('sps', GRAPH_APP_ID, { id: randomUUID(), appId: GRAPH_APP_ID, displayName: 'Microsoft Graph', roles: [] } satisfies ServicePrincipal);
    for (const app of tenant.apps ?? []) {
      this.store.put('apps', app.clientId, { clientId: app.clientId, clientSecret: app.clientSecret, certificatePem: app.certificatePem, displayName: app.displayName ?? app.clientId } satisfies AppState);
      this.store.put('sps', app.clientId, { id: randomUUID(), appId: app.clientId, displayName: app.displayName ?? app.clientId, roles: app.roles ?? [] } satisfies ServicePrincipal);
    }
    for (const c of tenant.consents ?? []) {
      this.store.put('sps', c.applicationId, { id: randomUUID(), appId: c.applicationId, displayName: c.displayName ?? c.applicationId, roles: c.roles ?? [] } satisfies ServicePrincipal);
    }
    for (const u of tenant.users ?? []) this.addObject(u.upn, u.displayName ?? u.upn, false);
    for (const r of tenant.rooms ?? []) this.addObject(r.mailbox, r.displayName ?? r.mailbox, true);
    for (const p of tenant.calendarPermissions ?? []) {
      if (!CALENDAR_ROLES.includes(p.role)) throw new Error(`tenant file: calendarPermissions role ${p.role} must be one of ${CALENDAR_ROLES.join(', ')}`);
      if (!this.object(p.mailbox)) throw new Error(`tenant file: calendarPermissions mailbox ${p.mailbox} is not a user or room of the tenant`);
      this.addPermission(p.mailbox, p.user, p.role);
    }
  }

  /** Added delay before every top-level answer (a $batch counts once), for benchmarks. */
  latencyMs = 0;

  injectFault(fault: GraphFaultSpec): void {
    this.faults.push({ ...fault, remaining: fault.count ?? Infinity });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** The calendar permissions of a mailbox, for assertions. */
  permissions(mailbox: string): Permission[] {
    return this.store.get<Permission[]>('perms', mailbox.toLowerCase()) ?? [];
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    this.store.close();
  }

  // ---- state ----

  private addObject(upn: string, displayName: string, room: boolean): void {
    this.store.put('objects', upn.toLowerCase(), { id: randomUUID(), upn, displayName, room } satisfies DirectoryObject);
    if (!this.store.get('perms', upn.toLowerCase())) {
      this.store.put('perms', upn.toLowerCase(), [{ id: 'RGVmYXVsdA==', role: 'freeBusyRead', name: 'My Organization', isRemovable: false, isInsideOrganization: true } satisfies Permission]);
    }
  }

  private object(idOrUpn: string): DirectoryObject | undefined {
    const key = decodeURIComponent(idOrUpn).toLowerCase();
    return this.store.get<DirectoryObject>('objects', key) ?? this.store.values<DirectoryObject>('objects').find((o) => o.id === key);
  }

  private addPermission(mailbox: string, user: string, role: string): Permission {
    const key = mailbox.toLowerCase();
    const list = this.store.get<Permission[]>('perms', key) ?? [];
    const member = this.object(user);
    const perm: Permission = {
      // Graph's permission ids are base64 and may hold '/' and '+'; these always do, so a client that forgets to
      // encode them fails every time, not one run in four.
      id: Buffer.concat([Buffer.from([0xff, 0xfb, 0xef]), randomBytes(9)]).toString('base64'), role, address: member?.upn ?? user, name: member?.displayName ?? user,
      isRemovable: true, isInsideOrganization: !!member,
    };
    this.store.put('perms', key, [...list, perm]);
    return perm;
  }

  // ---- HTTP ----

  private handle(req: import('http').IncomingMessage, res: import('http').ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let out: GraphResponse;
      try {
        out = this.route(req.method ?? 'GET', req.url ?? '/', req.headers, body);
      } catch (e) {
        out = errorResponse(e);
      }
      const text = out.body === undefined ? '' : JSON.stringify(out.body);
      const answer = () => {
        res.writeHead(out.status, { 'content-type': 'application/json', 'request-id': randomUUID(), ...out.headers });
        res.end(text);
      };
      if (this.latencyMs > 0) setTimeout(answer, this.latencyMs);
      else answer();
    });
  }

  private route(method: string, url: string, headers: import('http').IncomingHttpHeaders, body: string): GraphResponse {
    const u = new URL(url, 'https://127.0.0.1');
    const p = u.pathname;
    if (p.startsWith('/_emulator/')) return this.admin(method, p, body);
    const oidc = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(p);
    if (oidc) return this.recorded(method, '/openid-configuration', false, () => this.openidConfiguration(oidc[1]));
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(p);
    if (token && method === 'POST') return this.recorded(method, '/token', false, () => this.issueToken(token[1], body));
    if (!p.startsWith('/v1.0/')) return { status: 404, body: { error: { code: 'BadRequest', message: `Invalid version: ${p.split('/')[1]}` } } };
    const graphPath = p.slice('/v1.0'.length) + u.search;
    if (method === 'POST' && u.pathname === '/v1.0/$batch') {
      const roles = this.authorize(headers.authorization);
      return this.recorded(method, '/$batch', false, () => this.batch(roles, body), this.countItems(body));
    }
    return this.recorded(method, graphPath, false, () => this.graph(method, graphPath, this.authorize(headers.authorization), body, headers['content-type']));
  }

  private countItems(body: string): number | undefined {
    try {
      return JSON.parse(body).requests?.length;
    } catch {
      return undefined;
    }
  }

  private recorded(method: string, p: string, batchItem: boolean, run: () => GraphResponse, items?: number): GraphResponse {
    let out: GraphResponse;
    try {
      const fault = this.takeFault(method, p, batchItem);
      if (fault) {
        throw new GraphError(fault.status, fault.code ?? (fault.status === 429 ? 'ApplicationThrottled' : 'ServiceUnavailable'),
          fault.message ?? (fault.status === 429 ? 'Application is over its MailboxConcurrency limit.' : 'injected fault'), fault.retryAfterSeconds);
      }
      out = run();
    } catch (e) {
      out = errorResponse(e, p === '/token' || p === '/openid-configuration');
    }
    this.requests.push({ method, path: p.split('?')[0], status: out.status, batchItem, items });
    return out;
  }

  private takeFault(method: string, p: string, item: boolean): (GraphFaultSpec & { remaining: number }) | undefined {
    const target = `${method} ${p}`;
    const fault = this.faults.find((f) => f.remaining > 0 && target.includes(f.match)
      && ((f.scope ?? 'any') === 'any' || (f.scope === 'item') === item));
    if (fault) fault.remaining--;
    return fault;
  }

  private knowsTenant(tenant: string): boolean {
    return (this.store.get<string[]>('meta', 'domains') ?? []).includes(tenant.toLowerCase());
  }

  private openidConfiguration(tenant: string): GraphResponse {
    if (!this.knowsTenant(tenant)) {
      return { status: 400, body: { error: 'invalid_tenant', error_description: `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`, error_codes: [90002] } };
    }
    const base = `${this.url}/${tenant}`;
    return {
      status: 200,
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        issuer: `${base}/v2.0`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
      },
    };
  }

  private issueToken(tenant: string, body: string): GraphResponse {
    const form = new URLSearchParams(body);
    const clientId = form.get('client_id') ?? '';
    const fail = (status: number, error: string, code: number, text: string): GraphResponse =>
      ({ status, body: { error, error_description: `AADSTS${code}: ${text}`, error_codes: [code], timestamp: new Date().toISOString(), trace_id: randomUUID(), correlation_id: randomUUID() } });
    if (!this.knowsTenant(tenant)) return fail(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`);
    const app = this.store.get<AppState>('apps', clientId);
    if (!app) return fail(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
    if (form.get('grant_type') !== 'client_credentials') return fail(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (secret !== null) {
      if (!app.clientSecret || secret !== app.clientSecret) {
        return fail(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
      }
    } else if (assertion !== null) {
      const problem = checkAssertion(assertion, app, `${this.url}/${tenant}/oauth2/v2.0/token`);
      if (problem) return fail(401, 'invalid_client', 700027, problem);
    } else {
      return fail(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    const sp = this.store.get<ServicePrincipal>('sps', clientId);
    const now = Math.floor(Date.now() / 1000);
    const payload = { aud: 'https://graph.microsoft.com', iss: `https://sts.windows.net/${this.tenantId}/`, tid: this.tenantId, appid: clientId, roles: sp?.roles ?? [], iat: now, nbf: now, exp: now + 3599 };
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: this.sign(payload) } };
  }

  private sign(payload: object): string {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${b64({ typ: 'JWT', alg: 'HS256', kid: 'graph-emulator' })}.${b64(payload)}`;
    return `${unsigned}.${createHmac('sha256', this.signingKey).update(unsigned).digest('base64url')}`;
  }

  /** The roles of a valid bearer token; 401 as Graph answers otherwise. */
  private authorize(header: string | undefined): string[] {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (!token) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const [h, p, s] = token.split('.');
    if (!s || createHmac('sha256', this.signingKey).update(`${h}.${p}`).digest('base64url') !== s) {
      throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    }
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    if (payload.exp * 1000 < Date.now()) throw new GraphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
    return payload.roles ?? [];
  }

  private batch(roles: string[], body: string): GraphResponse {
    let requests: Array<{ id: string; method: string; url: string; body?: unknown; headers?: Record<string, string> }>;
    try {
      requests = JSON.parse(body).requests;
    } catch {
      throw new GraphError(400, 'BadRequest', 'Invalid batch payload format.');
    }
    if (!Array.isArray(requests)) throw new GraphError(400, 'BadRequest', 'Invalid batch payload format.');
    if (requests.length > 20) throw new GraphError(400, 'BadRequest', 'Number of requests in a batch exceeds the limit of 20.');
    const ids = new Set<string>();
    const responses = requests.map((item) => {
      if (!item.id || ids.has(item.id)) return { id: item.id, status: 400, body: { error: { code: 'BadRequest', message: 'Batch request ids must be unique and present.' } } };
      ids.add(item.id);
      const out = this.recorded(item.method, item.url, true, () => {
        if (item.url.startsWith('/v1.0/')) throw new GraphError(400, 'BadRequest', "Resource not found for the segment 'v1.0'.");
        const contentType = Object.entries(item.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
        if (item.body !== undefined && !contentType) throw new GraphError(400, 'BadRequest', 'Write request id : ' + item.id + ' does not contain Content-Type header or body.');
        return this.graph(item.method, item.url, roles, item.body === undefined ? '' : JSON.stringify(item.body), contentType);
      });
      return { id: item.id, status: out.status, headers: { 'Content-Type': 'application/json', ...out.headers }, body: out.body };
    });
    // Graph answers batch items in any order; so does the emulator, so that clients correlate by id.
    return { status: 200, body: { responses: responses.reverse() } };
  }

  private graph(method: string, url: string, roles: string[], body: string, contentType?: string): GraphResponse {
    const u = new URL(url, 'https://graph.invalid');
    // Match on the encoded path and decode each segment: ids (base64) may hold '/'.
    const p = u.pathname.replace(/%28/gi, '(').replace(/%29/gi, ')').replace(/%27/g, "'");
    const need = (anyOf: string[], directory: boolean) => {
      if (!anyOf.some((r) => roles.includes(r))) {
        throw directory
          ? new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.')
          : new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      }
    };
    const json = () => {
      if (method !== 'GET' && method !== 'DELETE' && !/json/i.test(contentType ?? '')) throw new GraphError(415, 'UnsupportedMediaType', 'Content type must be application/json.');
      try {
        return JSON.parse(body || '{}');
      } catch {
        throw new GraphError(400, 'BadRequest', 'Unable to read JSON request payload.');
      }
    };
    let m: RegExpExecArray | null;
    if (method === 'GET' && p === '/places/microsoft.graph.room') {
      need(['Place.Read.All'], false);
      const rooms = this.store.values<DirectoryObject>('objects').filter((o) => o.room);
      const top = Number(u.searchParams.get('$top') ?? 100);
      const skip = Number(u.searchParams.get('$skip') ?? 0);
      const page = rooms.slice(skip, skip + top).map((r) => placeOf(r));
      const next = skip + top < rooms.length ? `${this.url}/v1.0/places/microsoft.graph.room?$top=${top}&$skip=${skip + top}` : undefined;
      return { status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#places/microsoft.graph.room', value: page, ...(next ? { '@odata.nextLink': next } : {}) } };
    }
    if (method === 'GET' && (m = /^\/places\/([^/]+)$/.exec(p))) {
      need(['Place.Read.All'], false);
      const o = this.object(m[1]);
      if (!o?.room) throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      return { status: 200, body: placeOf(o) };
    }
    if ((m = /^\/users\/([^/]+)\/calendar\/calendarPermissions(?:\/([^/]+))?$/.exec(p))) {
      need(method === 'GET' ? ['Calendars.ReadBasic.All', 'Calendars.Read', 'Calendars.ReadWrite'] : ['Calendars.ReadWrite'], false);
      const owner = this.object(m[1]);
      if (!owner) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${m[1]}' is invalid.`);
      const key = owner.upn.toLowerCase();
      const list = this.permissions(key);
      if (!m[2]) {
        if (method === 'GET') return { status: 200, body: { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${owner.upn}')/calendar/calendarPermissions`, value: list.map(permissionOf) } };
        if (method === 'POST') {
          const req = json();
          const address = req.emailAddress?.address;
          if (!address) throw new GraphError(400, 'ErrorInvalidRequest', 'emailAddress.address is required.');
          if (!CALENDAR_ROLES.includes(req.role)) throw new GraphError(400, 'ErrorInvalidRequest', `Requested value '${req.role}' was not found.`);
          if (list.some((x) => x.address?.toLowerCase() === String(address).toLowerCase())) {
            throw new GraphError(409, 'ErrorItemAlreadyExists', `A permission for ${address} already exists on this calendar.`);
          }
          return { status: 201, body: permissionOf(this.addPermission(key, address, req.role)) };
        }
      } else {
        const permId = decodeURIComponent(m[2]);
        const perm = list.find((x) => x.id === permId);
        if (!perm) throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
        if (method === 'GET') return { status: 200, body: permissionOf(perm) };
        if (method === 'PATCH') {
          const req = json();
          const extra = Object.keys(req).filter((k) => k !== 'role');
          if (extra.length) throw new GraphError(400, 'ErrorInvalidRequest', `Only role can be updated; ${extra.join(', ')} cannot.`);
          if (!CALENDAR_ROLES.includes(req.role)) throw new GraphError(400, 'ErrorInvalidRequest', `Requested value '${req.role}' was not found.`);
          const updated = { ...perm, role: req.role };
          this.store.put('perms', key, list.map((x) => (x.id === perm.id ? updated : x)));
          return { status: 200, body: permissionOf(updated) };
        }
        if (method === 'DELETE') {
          if (!perm.isRemovable) throw new GraphError(403, 'ErrorAccessDenied', 'This permission cannot be removed.');
          this.store.put('perms', key, list.filter((x) => x.id !== perm.id));
          return { status: 204 };
        }
      }
    }
    if (method === 'DELETE' && (m = /^\/users\/([^/]+)$/.exec(p))) {
      // An administrator removing a mailbox (its account) from the tenant.
      need(['User.ReadWrite.All', 'Directory.ReadWrite.All'], true);
      const o = this.object(m[1]);
      if (!o) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${m[1]}' does not exist or one of its queried reference-property objects are not present.`);
      this.store.delete('objects', o.upn.toLowerCase());
      this.store.delete('perms', o.upn.toLowerCase());
      return { status: 204 };
    }
    if (method === 'GET' && (m = /^\/users\/([^/]+)$/.exec(p))) {
      need(['User.Read.All', 'User.ReadBasic.All', 'Directory.Read.All'], true);
      const o = this.object(m[1]);
      if (!o) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${m[1]}' does not exist or one of its queried reference-property objects are not present.`);
      return { status: 200, body: { id: o.id, userPrincipalName: o.upn, mail: o.upn, displayName: o.displayName } };
    }
    if (method === 'GET' && (m = /^\/servicePrincipals\(appId='([^']+)'\)$/.exec(p))) {
      need(['Application.Read.All', 'Directory.Read.All'], true);
      const sp = this.store.get<ServicePrincipal>('sps', decodeURIComponent(m[1]));
      if (!sp) throw new GraphError(404, 'Request_ResourceNotFound', `Resource 'servicePrincipals(appId='${m[1]}')' does not exist or one of its queried reference-property objects are not present.`);
      const appRoles = sp.appId === GRAPH_APP_ID ? Object.entries(GRAPH_APP_ROLES).map(([value, id]) => ({ id, value, allowedMemberTypes: ['Application'], isEnabled: true })) : [];
      return { status: 200, body: { id: sp.id, appId: sp.appId, displayName: sp.displayName, appRoles } };
    }
    if (method === 'GET' && (m = /^\/servicePrincipals\/([^/]+)\/appRoleAssignments$/.exec(p))) {
      need(['Application.Read.All', 'Directory.Read.All'], true);
      const sp = this.store.values<ServicePrincipal>('sps').find((s) => s.id === m![1]);
      if (!sp) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${m[1]}' does not exist or one of its queried reference-property objects are not present.`);
      const graph = this.store.get<ServicePrincipal>('sps', GRAPH_APP_ID)!;
      return {
        status: 200,
        body: { value: sp.roles.filter((r) => GRAPH_APP_ROLES[r]).map((r) => ({ id: Buffer.from(`${sp.id}:${r}`).toString('base64url'), appRoleId: GRAPH_APP_ROLES[r], principalId: sp.id, principalType: 'ServicePrincipal', principalDisplayName: sp.displayName, resourceId: graph.id, resourceDisplayName: 'Microsoft Graph' })) },
      };
    }
    throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${p.split('/')[1] ?? ''}'.`);
  }

  private admin(method: string, p: string, body: string): GraphResponse {
    switch (`${method} ${p}`) {
      case 'GET /_emulator/health': return { status: 200, body: { ok: true, tenant: this.tenantId ?? null } };
      case 'GET /_emulator/requests': return { status: 200, body: { requests: this.requests } };
      case 'POST /_emulator/faults': this.injectFault(JSON.parse(body)); return { status: 200, body: {} };
      case 'POST /_emulator/tenant': {
        // Seeds a state without a tenant; afterwards the persisted state wins. Answers with an app's credentials
        // (local fixtures, not secrets) so the local Secrets Manager can hold what the handler will read.
        const seeded = !this.hasTenant;
        if (seeded) this.seed(JSON.parse(body));
        const app = this.store.values<AppState>('apps').find((a) => a.clientSecret);
        return { status: 200, body: { seeded, tenantId: this.tenantId, app: app && { clientId: app.clientId, clientSecret: app.clientSecret } } };
      }
      case 'DELETE /_emulator/faults': this.clearFaults(); return { status: 200, body: {} };
      default: return { status: 404, body: { message: `no emulator route ${method} ${p}` } };
    }
  }
}

function placeOf(o: DirectoryObject) {
  return { '@odata.type': '#microsoft.graph.room', id: o.id, emailAddress: o.upn, displayName: o.displayName, bookingType: 'standard' };
}

function permissionOf(p: Permission) {
  return {
    id: p.id, role: p.role, isRemovable: p.isRemovable, isInsideOrganization: p.isInsideOrganization,
    allowedRoles: p.isRemovable ? CALENDAR_ROLES.filter((r) => r !== 'custom') : ['none', 'freeBusyRead', 'limitedRead', 'read'],
    emailAddress: { name: p.name, ...(p.address ? { address: p.address } : {}) },
  };
}

function errorResponse(e: unknown, oauth = false): GraphResponse {
  if (e instanceof GraphError) {
    const headers: Record<string, string> = e.retryAfterSeconds !== undefined ? { 'Retry-After': String(e.retryAfterSeconds) } : {};
    if (oauth) return { status: e.status, headers, body: { error: e.code, error_description: e.message } };
    return { status: e.status, headers, body: { error: { code: e.code, message: e.message, innerError: { 'request-id': randomUUID(), date: new Date().toISOString() } } } };
  }
  return { status: 500, body: { error: { code: 'generalException', message: (e as Error)?.message ?? 'error' } } };
}

/** A client assertion (certificate credential): a PS256 or RS256 JWT signed by the app's registered certificate. */
function checkAssertion(assertion: string, app: AppState, audience: string): string | undefined {
  if (!app.certificatePem) return `The app '${app.clientId}' has no certificate registered; use its client secret.`;
  const [h, p, s] = assertion.split('.');
  if (!s) return 'Client assertion is not a valid JWT.';
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  const key = app.certificatePem;
  const data = Buffer.from(`${h}.${p}`);
  const sig = Buffer.from(s, 'base64url');
  const ok = header.alg === 'PS256'
    ? verify('sha256', data, { key, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: cryptoConstants.RSA_PSS_SALTLEN_DIGEST }, sig)
    : header.alg === 'RS256' && verify('sha256', data, key, sig);
  if (!ok) return `Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${header['x5t#S256'] ?? header.x5t ?? '?'}']`;
  if (payload.aud !== audience) return `The audience claim ${payload.aud} of the client assertion does not match ${audience}.`;
  if (payload.iss !== app.clientId || payload.sub !== app.clientId) return 'The client assertion issuer and subject must be the client id.';
  if (payload.exp * 1000 < Date.now()) return 'The client assertion is expired.';
  return undefined;
}

/** The TLS certificate, made on first start (IP SAN 127.0.0.1, as clients connect to https://127.0.0.1) and kept in the state dir. */
async function certificate(stateDir?: string): Promise<{ cert: string; key: string; caFile?: string }> {
  const certFile = stateDir && path.join(stateDir, 'graph-tls.cert.pem');
  const keyFile = stateDir && path.join(stateDir, 'graph-tls.key.pem');
  if (certFile && keyFile && fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    return { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8'), caFile: certFile };
  }
  const selfsigned = await import('selfsigned');
  const generate = (selfsigned as any).generate ?? (selfsigned as any).default.generate;
  const notAfterDate = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048, algorithm: 'sha256', notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  });
  if (certFile && keyFile) {
    // Made only by the process that holds the state directory's emulator lock, and each file appears whole
    // (written aside, then renamed), key first: a reader never sees a half certificate or a cert without its key.
    fs.mkdirSync(stateDir!, { recursive: true });
    writeWhole(keyFile, pems.private, 0o600);
    writeWhole(certFile, pems.cert, 0o644);
  }
  return { cert: pems.cert, key: pems.private, caFile: certFile };
}

function writeWhole(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode });
  fs.renameSync(tmp, file);
}
