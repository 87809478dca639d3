// A local Entra ID (token endpoint) and Microsoft Graph v1.0, over HTTPS with a certificate made at first start:
// what @azure/identity and @microsoft/microsoft-graph-client need to validate an Office 365 calendar link
// (users, mailbox settings, places and room lists, groups, calendar permissions, service principals and their
// app-role assignments, $batch). Tokens are JWT-shaped, or opaque when the tenant says so, and carry the app's Graph
// application permissions (`roles`); every Graph route checks them as Graph does, and Exchange-backed routes also
// honour RBAC for Applications scopes, which no token shows. The tenant comes from a tenant file (graph-tenant.ts)
// and persists in the state directory.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomUUID, verify, constants as cryptoConstants } from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as path from 'path';
import { ACCESS_POLICY_ROLES, addressesOf, allowedRolesFor, CALENDAR_ROLES, consentRoleProblems, EXCHANGE_APP_ID, EXCHANGE_APP_ROLES, GRAPH_GUESSES, matchesUserFilter, parseUserFilter, recipientAddresses, TenantConsent, TenantFile, tenantProblems, transitiveGroups } from './graph-tenant';
import {
  CALENDAR_GUESSES, calendarProcessingOf, DEFAULT_WORKING_HOURS, eventInstant, eventOf, matchesEventFilter, overlaps, parseEventFilter,
  roomCopyContent, roomDecision, StoredEvent,
} from './graph-calendar';
import { CONSENT_RESOURCES } from '../o365/consent';
import { JournaledStore } from './journaled-store';
import { leaveIdleConnectionsToClients } from './keep-alive';
import { makePrivate, privateDir, writePrivate } from './private-files';

export { EXCHANGE_APP_ID } from './graph-tenant';
export type { TenantFile } from './graph-tenant';

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
  /** The request is carried out, then answered with the fault: a 429 inside a $batch may still have been applied. */
  readonly applied?: boolean;
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

export const GRAPH_APP_ID = CONSENT_RESOURCES.graph.appId;
/** Graph's application permissions as the emulator's Microsoft Graph service principal lists them. */
export const GRAPH_APP_ROLES: Record<string, string> = {
  'Calendars.ReadWrite': 'ef54d2bf-783f-4e0f-bca1-3210c0444d99',
  'Calendars.Read': '798ee544-9d2d-430c-a058-570e29e34338',
  'Calendars.ReadBasic.All': '8ba4a692-bc31-4128-9094-475872af8a53',
  'Place.Read.All': '913b9306-0ce1-42b8-9137-6a7df690a760',
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
  'Application.Read.All': '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30',
  'Directory.Read.All': '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
  'MailboxSettings.Read': '40f97065-369a-49f4-947c-6a255697ae91',
  'User.ReadWrite.All': '741f803b-c850-494e-b5df-cde7c675a1ca',
  'MailboxSettings.ReadWrite': '6931bccd-447a-43d1-b442-00a195474933',
  'GroupMember.Read.All': '98830695-27a2-44f7-8c18-0c3ebc9698f6',
  'Group.Read.All': '5b567255-7703-4780-807c-7be8301ae99b',
};

/** When a change reaches Graph (`from`) and stops applying (`until`), on the emulator's clock; absent: always. */
interface InForce { from?: number; until?: number }
interface AppState {
  clientId: string; clientSecret?: string; certificatePem?: string; displayName: string;
  scopedRoles?: Array<{ role: string; mailboxes: string[] } & InForce>;
  accessPolicies?: Array<{ accessRight: string; group: string; description?: string } & InForce>;
}
/**
 * A user or room. Fields added after the first release are optional so that older states read as they did:
 * mail = upn, a mailbox, enabled, listed in places.
 */
interface DirectoryObject {
  id: string; upn: string; displayName: string; room: boolean;
  mail?: string | null; proxyAddresses?: string[]; mailbox?: boolean; accountEnabled?: boolean; inPlaces?: boolean; purpose?: string;
  calendarProcessing?: import('./graph-calendar').CalendarProcessing; mailboxState?: string;
  workingHours?: import('./graph-calendar').WorkingHours; external?: boolean;
}
/** A meeting request or cancellation on its way to a room (objects by their key, the lowercased UPN). */
interface Delivery { id: string; kind: 'request' | 'cancel'; room: string; organizer: string; eventId?: string; iCalUId?: string; due: number }
interface Group { id: string; mail: string; displayName: string; members: string[] }
interface RoomList { id: string; mail: string; displayName: string; rooms: string[] }
interface Permission {
  id: string; role: string; address?: string; name: string; isRemovable: boolean; isInsideOrganization: boolean; allowedRoles?: string[];
}
/** `roles`: Microsoft Graph app roles; `exchangeRoles`: Office 365 Exchange Online app roles. */
interface ServicePrincipal { id: string; appId: string; displayName: string; roles: string[]; exchangeRoles?: string[] }
/** Who calls Graph: the token's roles (tenant-wide grants) and its app (whose RBAC scopes are looked up per request). */
interface Caller { roles: string[]; appId?: string }

class GraphError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly retryAfterSeconds?: number) {
    super(message);
  }
}

interface GraphResponse { status: number; body?: unknown; headers?: Record<string, string> }

/** What a Graph route handler sees of its request: the path, the query, the caller's roles and the request's helpers. */
interface RouteContext {
  method: string;
  p: string;
  u: URL;
  roles: string[];
  /** A request header by name, any case (a $batch item's own headers). */
  header: (name: string) => string | undefined;
  need: (anyOf: string[], directory: boolean) => void;
  /** `outlook`: an Outlook route, {id | userPrincipalName} only (GRAPH_GUESSES.outlookRoutesResolveSmtp). */
  mailboxRoute: (anyOf: string[], key: string, outlook?: boolean) => DirectoryObject;
  json: () => any;
  page: <T>(all: T[], base: string) => { value: T[]; '@odata.nextLink'?: string };
  select: (o: Record<string, unknown>) => Record<string, unknown>;
  listedRooms: () => DirectoryObject[];
  place: (key: string) => Record<string, unknown> | undefined;
}

/** A Graph route: a method (any when absent) and a path pattern; a handler that answers, or returns undefined to let later routes try. */
interface Route { method?: string; pattern: RegExp; handle: (c: RouteContext, m: RegExpExecArray) => GraphResponse | undefined }

export interface GraphEmulatorOptions {
  /** Directory for the tenant's state and the TLS certificate; memory only when absent. */
  readonly stateDir?: string;
  /** Seeds a state that has no tenant yet. */
  readonly tenant?: TenantFile;
  readonly port?: number;
  /**
   * The clock (ms since the epoch) that times when a change to access policies or scoped roles reaches Graph
   * (propagationDelaySeconds). Tests inject one and move it; nothing waits. @default Date.now
   */
  readonly clock?: () => number;
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

  private readonly clock: () => number;

  private constructor(options: GraphEmulatorOptions, readonly tls: { cert: string; key: string; caFile?: string }) {
    this.clock = options.clock ?? Date.now;
    this.store = new JournaledStore(options.stateDir, 'graph');
    let key = this.store.get<string>('meta', 'signingKey');
    if (!key) this.store.put('meta', 'signingKey', (key = randomBytes(32).toString('hex')));
    this.signingKey = key;
    if (!this.hasTenant && options.tenant) this.seed(options.tenant);
    // Meeting requests and cancellations still on their way when the last process stopped are delivered now, as
    // Exchange delivers them whatever happened to the client that sent them.
    for (const d of this.store.values<Delivery>('deliveries')) this.schedule(d);
    this.server = leaveIdleConnectionsToClients(https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => this.handle(req, res)));
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
    const problems = tenantProblems(tenant);
    if (problems.length) throw new Error(`tenant file: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n- ${problems.join('\n- ')}`}`);
    this.store.put('sps', GRAPH_APP_ID, { id: randomUUID(), appId: GRAPH_APP_ID, displayName: 'Microsoft Graph', roles: [] } satisfies ServicePrincipal);
    this.store.put('sps', EXCHANGE_APP_ID, { id: randomUUID(), appId: EXCHANGE_APP_ID, displayName: 'Office 365 Exchange Online', roles: [] } satisfies ServicePrincipal);
    for (const app of tenant.apps ?? []) {
      this.store.put('apps', app.clientId, {
        clientId: app.clientId, clientSecret: app.clientSecret, certificatePem: app.certificatePem, displayName: app.displayName ?? app.clientId,
        scopedRoles: app.scopedRoles, ...(app.accessPolicies ? { accessPolicies: app.accessPolicies.map((p) => ({ ...p })) } : {}),
      } satisfies AppState);
      this.store.put('sps', app.clientId, { id: randomUUID(), appId: app.clientId, displayName: app.displayName ?? app.clientId, roles: app.roles ?? [] } satisfies ServicePrincipal);
    }
    for (const c of tenant.consents ?? []) this.grantConsent(c);
    for (const u of tenant.users ?? []) {
      const mailbox = u.mailbox ?? true;
      // A user without a mailbox has no mail unless one is set (user resource: mail is the SMTP address, set by Exchange).
      const { mail, proxyAddresses } = recipientAddresses(u.upn, u.mail ?? (mailbox ? u.upn : undefined), u.proxyAddresses);
      this.putObject({ id: randomUUID(), upn: u.upn, displayName: u.displayName ?? u.upn, room: false, mail: mail ?? null, proxyAddresses, mailbox, accountEnabled: u.accountEnabled ?? true, inPlaces: false, purpose: u.purpose ?? 'user', ...(u.mailboxState ? { mailboxState: u.mailboxState } : {}), ...(u.external ? { external: true } : {}) });
    }
    for (const r of tenant.rooms ?? []) {
      const { mail, proxyAddresses } = recipientAddresses(r.mailbox, r.mailbox, r.proxyAddresses);
      // A room's Entra account: "created with an associated account that has an unknown password. This account is active"
      // (New-Mailbox, EnableRoomMailboxAccount, Exchange Online); newer tenants are reported to create it disabled. A
      // client must not decide anything about a room from accountEnabled; the tenant file may set either.
      this.putObject({ id: randomUUID(), upn: r.upn ?? r.mailbox, displayName: r.displayName ?? r.mailbox, room: true, mail, proxyAddresses, mailbox: true, accountEnabled: r.accountEnabled ?? true, inPlaces: r.inPlaces ?? true, purpose: 'room', calendarProcessing: r.calendarProcessing, ...(r.mailboxState ? { mailboxState: r.mailboxState } : {}), ...(r.workingHours ? { workingHours: r.workingHours } : {}) });
    }
    for (const g of tenant.groups ?? []) {
      this.store.put('groups', g.mail.toLowerCase(), { id: randomUUID(), mail: g.mail, displayName: g.displayName ?? g.mail, members: (g.members ?? []).map((m) => m.toLowerCase()) } satisfies Group);
    }
    for (const l of tenant.roomLists ?? []) {
      const rooms = (l.rooms ?? []).map((r) => this.object(r, 'any')!.upn.toLowerCase());
      this.store.put('roomLists', l.mailbox.toLowerCase(), { id: randomUUID(), mail: l.mailbox, displayName: l.displayName ?? l.mailbox, rooms } satisfies RoomList);
    }
    for (const p of tenant.calendarPermissions ?? []) this.addPermission(this.object(p.mailbox, 'any')!.upn, p.user, p.role, p.allowedRoles);
    if (tenant.opaqueTokens) this.store.put('meta', 'opaqueTokens', true);
    if (tenant.propagationDelaySeconds) this.store.put('meta', 'propagationDelaySeconds', tenant.propagationDelaySeconds);
    this.store.put('meta', 'domains', [tenant.tenantId, ...(tenant.domains ?? [])].map((d) => d.toLowerCase()));
    // Last: a state holds a tenant once all of it is written.
    this.store.put('meta', 'tenantId', tenant.tenantId);
  }

  /**
   * An admin consent given after the tenant was loaded: the app's service principal holds these roles on Microsoft
   * Graph (in tokens issued from now on; a token already issued keeps its roles until it expires) or on Office 365
   * Exchange Online.
   */
  grantConsent(consent: TenantConsent): void {
    const resource = consent.resource ?? 'graph';
    if (resource !== 'graph' && resource !== 'exchange') throw new GraphError(400, 'BadRequest', `consent resource '${resource}' must be graph (Microsoft Graph) or exchange (Office 365 Exchange Online)`);
    const problem = consentRoleProblems('consent', { ...consent, resource })[0];
    if (problem) throw new GraphError(400, 'BadRequest', problem);
    const sp = this.store.get<ServicePrincipal>('sps', consent.applicationId)
      ?? { id: randomUUID(), appId: consent.applicationId, displayName: consent.displayName ?? consent.applicationId, roles: [] };
    const add = (held: string[] | undefined) => [...new Set([...(held ?? []), ...(consent.roles ?? [])])];
    this.store.put('sps', consent.applicationId, resource === 'graph' ? { ...sp, roles: add(sp.roles) } : { ...sp, exchangeRoles: add(sp.exchangeRoles) });
  }

  /**
   * An RBAC for Applications assignment added to an app: a request after the tenant's propagation delay sees it (at
   * once when the delay is 0), whatever its token.
   */
  grantScopedRole(clientId: string, scoped: { role: string; mailboxes: string[] }): void {
    const app = this.app(clientId);
    const unknown = (scoped.mailboxes ?? []).filter((m) => !this.object(m, 'any'));
    if (!scoped.role || unknown.length) throw new GraphError(400, 'BadRequest', `a scoped role needs a role and the tenant's mailboxes${unknown.length ? `; not mailboxes of the tenant: ${unknown.join(', ')}` : ''}`);
    this.store.put('apps', clientId, { ...app, scopedRoles: [...(app.scopedRoles ?? []), { role: scoped.role, mailboxes: scoped.mailboxes, from: this.propagated() }] });
  }

  /** New-ApplicationAccessPolicy on an app: in force once the tenant's propagation delay has passed. */
  addAccessPolicy(clientId: string, policy: { accessRight: string; group: string; description?: string }): void {
    const app = this.app(clientId);
    const problem = tenantProblems({ tenantId: 't', groups: this.store.values<Group>('groups').map((g) => ({ mail: g.mail })), apps: [{ clientId, accessPolicies: [policy] }] })[0];
    if (problem) throw new GraphError(400, 'BadRequest', problem);
    this.store.put('apps', clientId, { ...app, accessPolicies: [...(app.accessPolicies ?? []), { ...policy, from: this.propagated() }] });
  }

  /** Remove-ApplicationAccessPolicy: the app's policies on `group` stop applying once the propagation delay has passed. */
  removeAccessPolicy(clientId: string, group: string): void {
    const app = this.app(clientId);
    const until = this.propagated();
    this.store.put('apps', clientId, { ...app, accessPolicies: (app.accessPolicies ?? []).map((p) => (p.group.toLowerCase() === group.toLowerCase() && p.until === undefined ? { ...p, until } : p)) });
  }

  private app(clientId: string): AppState {
    const app = this.store.get<AppState>('apps', clientId);
    if (!app) throw new GraphError(400, 'BadRequest', `no app registration ${clientId} in the tenant`);
    return app;
  }

  /** When a change made now reaches Graph. */
  private propagated(): number {
    return this.clock() + (this.store.get<number>('meta', 'propagationDelaySeconds') ?? 0) * 1000;
  }

  private inForce(x: InForce): boolean {
    const now = this.clock();
    return (x.from ?? -Infinity) <= now && (x.until === undefined || now < x.until);
  }

  /**
   * Whether the app's Application Access Policies in force block it from `owner`'s mailbox for a call made with its
   * tenant-wide `used` roles: only when every one of them is a role policies restrict (ACCESS_POLICY_ROLES). A
   * DenyAccess group holding the mailbox blocks; so do RestrictAccess policies none of whose groups holds it.
   */
  private blockedByPolicy(appId: string | undefined, owner: DirectoryObject, used: string[]): boolean {
    const policies = (this.store.get<AppState>('apps', appId ?? '')?.accessPolicies ?? []).filter((p) => this.inForce(p));
    if (!policies.length || !used.every((r) => ACCESS_POLICY_ROLES.includes(r))) return false;
    const groups = (GRAPH_GUESSES.accessPolicyNestedMembers ? this.groupsOf(owner) : this.store.values<Group>('groups').filter((g) => addressesOf(owner).some((a) => g.members.includes(a))))
      .map((g) => g.mail.toLowerCase());
    const holds = (p: { group: string }) => groups.includes(p.group.toLowerCase());
    const restrict = policies.filter((p) => p.accessRight === 'RestrictAccess');
    return policies.some((p) => p.accessRight === 'DenyAccess' && holds(p)) || (restrict.length > 0 && !restrict.some(holds));
  }

  /** A room reaching places (the ~48 h replication done) or leaving it (hidden from the address list). */
  setInPlaces(mailbox: string, inPlaces: boolean): void {
    const room = this.object(mailbox, 'any');
    if (!room?.room) throw new GraphError(400, 'BadRequest', `${mailbox} is not a room of the tenant`);
    this.putObject({ ...this.store.get<DirectoryObject>('objects', room.upn.toLowerCase())!, inPlaces });
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
    const key = this.object(mailbox, 'any')?.upn.toLowerCase() ?? mailbox.toLowerCase();
    return this.store.get<Permission[]>('perms', key) ?? [];
  }

  /** Meeting requests and cancellations on their way to rooms (each room's processingDelayMs). */
  private readonly inFlight = new Set<NodeJS.Timeout>();

  /** The events of a mailbox's calendar, for assertions (stored form: extended properties included). */
  events(mailbox: string): StoredEvent[] {
    const o = this.object(mailbox, 'any');
    return o ? this.store.get<StoredEvent[]>('events', o.upn.toLowerCase()) ?? [] : [];
  }

  /** Resolves when no meeting request or cancellation is on its way to a room. */
  async settled(): Promise<void> {
    while (this.inFlight.size) await new Promise((r) => setTimeout(r, 20));
  }

  async stop(): Promise<void> {
    for (const t of this.inFlight) clearTimeout(t);
    this.inFlight.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    this.store.close();
  }

  // ---- state ----

  /** Lowercased address or id → object key; rebuilt after a change to the objects. */
  private addressIndex?: Map<string, string>;

  private putObject(o: DirectoryObject): void {
    const key = o.upn.toLowerCase();
    this.store.put('objects', key, o);
    this.addressIndex = undefined;
    if (!this.store.get('perms', key)) {
      this.store.put('perms', key, [{ id: 'RGVmYXVsdA==', role: 'freeBusyRead', name: 'My Organization', isRemovable: false, isInsideOrganization: true } satisfies Permission]);
    }
  }

  private deleteObject(o: DirectoryObject): void {
    this.store.delete('objects', o.upn.toLowerCase());
    this.store.delete('perms', o.upn.toLowerCase());
    this.addressIndex = undefined;
  }

  /**
   * A user or room by id or userPrincipalName (`directory`: what /users/{id | userPrincipalName} documents; a maintainer
   * in microsoft-graph-docs #3979: "UPN != email address"), or also by any SMTP address (`any`: Exchange-backed routes,
   * see GRAPH_GUESSES.exchangeRoutesResolveSmtp; and the tenant file, which names recipients by any address).
   */
  private object(idOrAddress: string, by: 'directory' | 'any' = 'directory'): DirectoryObject | undefined {
    const key = safeDecode(idOrAddress).toLowerCase();
    if (!this.addressIndex) {
      this.addressIndex = new Map();
      for (const o of this.store.values<DirectoryObject>('objects')) {
        for (const a of addressesOf(withDefaults(o))) if (a !== o.upn.toLowerCase()) this.addressIndex.set(`smtp:${a}`, o.upn.toLowerCase());
        this.addressIndex.set(`id:${o.id.toLowerCase()}`, o.upn.toLowerCase());
      }
    }
    const found = this.store.get<DirectoryObject>('objects', key)
      ?? (this.addressIndex.has(`id:${key}`) ? this.store.get<DirectoryObject>('objects', this.addressIndex.get(`id:${key}`)!) : undefined)
      ?? (by === 'any' && this.addressIndex.has(`smtp:${key}`) ? this.store.get<DirectoryObject>('objects', this.addressIndex.get(`smtp:${key}`)!) : undefined);
    return found && withDefaults(found);
  }

  private group(address: string): Group | undefined {
    const key = safeDecode(address).toLowerCase();
    return this.store.get<Group>('groups', key) ?? this.store.values<Group>('groups').find((g) => g.id === key);
  }

  /** The groups `o` belongs to, directly or through nested groups, members being named by any of their addresses. */
  private groupsOf(o: DirectoryObject): Group[] {
    const groups = this.store.values<Group>('groups');
    return transitiveGroups(addressesOf(o), (address) => groups.filter((g) => g.members.includes(address)));
  }

  private addPermission(mailboxKey: string, sharee: string, role: string, allowedRoles?: string[]): Permission {
    const key = mailboxKey.toLowerCase();
    const list = this.store.get<Permission[]>('perms', key) ?? [];
    const member = this.object(sharee, 'any');
    const group = member ? undefined : this.group(sharee);
    const perm: Permission = {
      // Graph's permission ids are base64 and may hold '/' and '+'; these always do, so a client that forgets to
      // encode them fails every time, not one run in four.
      id: Buffer.concat([Buffer.from([0xff, 0xfb, 0xef]), randomBytes(9)]).toString('base64'), role,
      // emailAddress.address is the sharee's SMTP address, not its UPN (calendarpermission.md; #3979 for UPN != mail);
      // a group's permission shows under the group's address.
      address: member?.mail ?? group?.mail ?? member?.upn ?? sharee, name: member?.displayName ?? group?.displayName ?? sharee,
      isRemovable: true, isInsideOrganization: !!(member ?? group),
      allowedRoles: allowedRoles ?? allowedRolesFor(member ? 'user' : group ? 'group' : 'external'),
    };
    this.store.put('perms', key, [...list, perm]);
    return perm;
  }

  // ---- calendars and the rooms' booking assistants ----

  private putEvents(key: string, list: StoredEvent[]): void {
    this.store.put('events', key, list);
  }

  /** A delivery to a room, kept in the state until the room has processed it. */
  private later(delayMs: number, d: Omit<Delivery, 'id' | 'due'>): void {
    const delivery = { ...d, id: randomUUID(), due: Date.now() + delayMs };
    this.store.put('deliveries', delivery.id, delivery);
    this.schedule(delivery);
  }

  private schedule(d: Delivery): void {
    const t = setTimeout(() => {
      this.inFlight.delete(t);
      const room = this.store.get<DirectoryObject>('objects', d.room);
      const organizer = this.store.get<DirectoryObject>('objects', d.organizer);
      if (room && organizer) {
        if (d.kind === 'request') this.processRequest(withDefaults(room), withDefaults(organizer), d.eventId!);
        else this.processCancel(withDefaults(room), d.iCalUId!);
      }
      this.store.delete('deliveries', d.id);
    }, Math.max(0, d.due - Date.now()));
    this.inFlight.add(t);
  }

  /** The meeting request of `organizer`'s event `eventId` reaching each room among its attendees. */
  private sendToRooms(organizer: DirectoryObject, ev: StoredEvent): void {
    for (const a of ev.attendees) {
      const room = this.object(a.emailAddress.address, 'any');
      if (!room?.room) continue;
      const cp = calendarProcessingOf(room.calendarProcessing);
      this.later(cp.processingDelayMs, { kind: 'request', room: room.upn.toLowerCase(), organizer: organizer.upn.toLowerCase(), eventId: ev.id });
    }
  }

  /**
   * A room's booking assistant processing a request (Set-CalendarProcessing: AutomateProcessing, AllowConflicts
   * $false, DeleteComments, DeleteSubject, AddOrganizerToSubject; see graph-calendar.ts).
   */
  private processRequest(room: DirectoryObject, organizer: DirectoryObject, eventId: string): void {
    const orgKey = organizer.upn.toLowerCase();
    const request = (this.store.get<StoredEvent[]>('events', orgKey) ?? []).find((e) => e.id === eventId);
    if (!request || request.isCancelled) return;
    const cp = calendarProcessingOf(room.calendarProcessing);
    const roomKey = room.upn.toLowerCase();
    const calendar = this.store.get<StoredEvent[]>('events', roomKey) ?? [];
    if (calendar.some((e) => e.iCalUId === request.iCalUId)) return;
    const conflict = calendar.some((e) => !e.isCancelled && e.showAs !== 'free' && overlaps(e, request));
    const decision = roomDecision(cp, room.workingHours ?? DEFAULT_WORKING_HOURS, {
      start: eventInstant(request.start, 'start'), end: eventInstant(request.end, 'end'), conflict, external: !!organizer.external,
      organizerAddresses: [...addressesOf(organizer), ...this.groupsOf(organizer).map((g) => g.mail.toLowerCase())],
    }, Date.now());
    const action = decision.action;
    if (action === 'nothing') return;
    const now = new Date().toISOString();
    if (action !== 'decline') {
      const content = roomCopyContent(request, cp, organizer.displayName, action);
      const { transactionId: _t, singleValueExtendedProperties: props, ...shared } = request;
      this.putEvents(roomKey, [...calendar, {
        ...shared, ...content, id: eventIdFor(), isOrganizer: false, createdDateTime: now, lastModifiedDateTime: now,
        showAs: action === 'accept' ? 'busy' : 'tentative',
        responseStatus: { response: action === 'accept' ? 'accepted' : 'notResponded', time: now },
        ...(CALENDAR_GUESSES.copyKeepsExtendedProperties && props ? { singleValueExtendedProperties: props } : {}),
      }]);
    }
    // The organizer's copy shows the room's answer; AutoUpdate sends none.
    if (action === 'tentative') return;
    const response = action === 'accept' ? 'accepted' : 'declined';
    const addresses = addressesOf(room);
    const events = this.store.get<StoredEvent[]>('events', orgKey) ?? [];
    this.putEvents(orgKey, events.map((e) => (e.id !== eventId ? e : {
      ...e, lastModifiedDateTime: now,
      attendees: e.attendees.map((a) => (addresses.includes(a.emailAddress.address.toLowerCase()) ? { ...a, status: { response, time: now } } : a)),
    })));
    if (GRAPH_GUESSES.declineReasonIn !== 'message') return;
    // The reply (eventMessageResponse, resources/eventmessageresponse.md), its reasons only with EnableResponseDetails.
    const text = cp.enableResponseDetails ? decision.reason ?? CALENDAR_GUESSES.acceptReason : '';
    const messages = this.store.get<Array<Record<string, unknown>>>('messages', orgKey) ?? [];
    this.store.put('messages', orgKey, [...messages, {
      '@odata.type': '#microsoft.graph.eventMessageResponse', 'id': eventIdFor(), 'receivedDateTime': now, 'sentDateTime': now,
      'subject': `${action === 'accept' ? 'Accepted' : 'Declined'}: ${request.subject}`, 'body': { contentType: 'text', content: text }, 'bodyPreview': text.slice(0, 255),
      'from': { emailAddress: { name: room.displayName, address: room.mail ?? room.upn } }, 'meetingMessageType': action === 'accept' ? 'meetingAccepted' : 'meetingDeclined',
      'responseType': response,
    }].slice(-200));
  }

  /** A cancellation reaching the rooms of a meeting: their copies are marked cancelled, or go (RemoveCanceledMeetings). */
  private cancelAtRooms(organizer: DirectoryObject, ev: StoredEvent): void {
    for (const a of ev.attendees) {
      const room = this.object(a.emailAddress.address, 'any');
      if (!room?.room) continue;
      this.later(calendarProcessingOf(room.calendarProcessing).processingDelayMs, { kind: 'cancel', room: room.upn.toLowerCase(), organizer: organizer.upn.toLowerCase(), iCalUId: ev.iCalUId });
    }
  }

  private processCancel(room: DirectoryObject, iCalUId: string): void {
    const key = room.upn.toLowerCase();
    const list = this.store.get<StoredEvent[]>('events', key) ?? [];
    if (!list.some((e) => e.iCalUId === iCalUId && !e.isCancelled)) return;
    this.putEvents(key, calendarProcessingOf(room.calendarProcessing).removeCanceledMeetings
      ? list.filter((e) => e.iCalUId !== iCalUId)
      : list.map((e) => (e.iCalUId === iCalUId ? CALENDAR_GUESSES.cancelledCopy(e) : e)));
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
      const caller = this.authorize(headers.authorization);
      return this.recorded(method, '/$batch', false, () => this.batch(caller, body), this.countItems(body));
    }
    const plain = Object.fromEntries(Object.entries(headers).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    return this.recorded(method, graphPath, false, () => this.graph(method, graphPath, this.authorize(headers.authorization), body, headers['content-type'], plain));
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
      if (fault?.applied) run();
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
    const opaque = this.store.get<boolean>('meta', 'opaqueTokens') === true;
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: opaque ? this.seal(payload) : this.sign(payload) } };
  }

  /**
   * An opaque access token: the claims encrypted (AES-256-GCM under the state's key), no dots, nothing a client can
   * read. Microsoft: "Tokens for Microsoft services can use a special format that will not validate as a JWT" (identity
   * platform docs, "Don't validate access tokens for Microsoft Graph"), and since October 2024 access tokens of more
   * Microsoft APIs are encrypted ("access tokens ... should be treated as opaque strings", Microsoft identity blog).
   */
  private seal(payload: object): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey(), iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
    return `EwB${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  private unseal(token: string): any {
    try {
      const raw = Buffer.from(token.slice(3), 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.sealKey(), raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
    } catch {
      return undefined;
    }
  }

  private sealKey(): Buffer {
    return createHash('sha256').update(`opaque:${this.signingKey}`).digest();
  }

  private sign(payload: object): string {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${b64({ typ: 'JWT', alg: 'HS256', kid: 'graph-emulator' })}.${b64(payload)}`;
    return `${unsigned}.${createHmac('sha256', this.signingKey).update(unsigned).digest('base64url')}`;
  }

  /** The caller of a valid bearer token (JWT or opaque); 401 as Graph answers otherwise. */
  private authorize(header: string | undefined): Caller {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (!token) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const invalid = () => new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    let payload: any;
    if (!token.includes('.')) {
      payload = this.unseal(token);
      if (!payload) throw invalid();
    } else {
      const [h, p, s] = token.split('.');
      if (!s || createHmac('sha256', this.signingKey).update(`${h}.${p}`).digest('base64url') !== s) throw invalid();
      payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    }
    if (payload.exp * 1000 < Date.now()) throw new GraphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
    return { roles: payload.roles ?? [], appId: payload.appid };
  }

  private batch(caller: Caller, body: string): GraphResponse {
    let requests: Array<{ id: string; method: string; url: string; body?: unknown; headers?: Record<string, string>; dependsOn?: string[] }>;
    try {
      requests = JSON.parse(body).requests;
    } catch {
      throw new GraphError(400, 'BadRequest', 'Invalid batch payload format.');
    }
    if (!Array.isArray(requests)) throw new GraphError(400, 'BadRequest', 'Invalid batch payload format.');
    if (requests.length > 20) throw new GraphError(400, 'BadRequest', 'Number of requests in a batch exceeds the limit of 20.');
    // "id ... Not case-sensitive. Must be unique in the batch, otherwise, the batch request fails with a 400 error code"
    // (concepts/json-batching.md): the whole batch, not the item.
    const ids = requests.map((item) => String(item?.id ?? '').toLowerCase());
    if (ids.some((id) => !id)) throw new GraphError(400, 'BadRequest', 'A batch request id is missing.');
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup !== undefined) throw new GraphError(400, 'BadRequest', `Batch request id '${dup}' is not unique; ids must be unique in a batch (not case-sensitive).`);
    for (const item of requests) {
      for (const d of item.dependsOn ?? []) {
        if (!ids.includes(String(d).toLowerCase())) throw new GraphError(400, 'BadRequest', `Batch request '${item.id}' depends on '${d}', which is not in the batch.`);
      }
    }
    // dependsOn orders the items; "If an individual request fails, any request that depends on that request fails
    // with status code 424 (Failed Dependency)" (json-batching.md). Items run in request order, so a dependency named
    // later than its dependant is refused as Graph cannot order it either.
    const statusById = new Map<string, number>();
    const responses = requests.map((item) => {
      const id = String(item.id).toLowerCase();
      const deps = (item.dependsOn ?? []).map((d) => String(d).toLowerCase());
      if (deps.some((d) => !statusById.has(d))) {
        statusById.set(id, 400);
        return { id: item.id, status: 400, body: { error: { code: 'BadRequest', message: `Batch request '${item.id}' depends on a request that comes after it.` } } };
      }
      if (deps.some((d) => statusById.get(d)! >= 400)) {
        statusById.set(id, 424);
        return { id: item.id, status: 424, body: { error: { code: 'BadRequest', message: 'Failed dependency.' } } };
      }
      const out = this.recorded(item.method, item.url, true, () => {
        if (item.url.startsWith('/v1.0/')) throw new GraphError(400, 'BadRequest', "Resource not found for the segment 'v1.0'.");
        const contentType = Object.entries(item.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
        if (item.body !== undefined && !contentType) throw new GraphError(400, 'BadRequest', 'Write request id : ' + item.id + ' does not contain Content-Type header or body.');
        // "To use advanced query capabilities in batch requests, specify the ConsistencyLevel header in the JSON body"
        // (concepts/aad-advanced-queries.md): an item's own headers.
        return this.graph(item.method, item.url, caller, item.body === undefined ? '' : JSON.stringify(item.body), contentType, item.headers ?? {});
      });
      statusById.set(id, out.status);
      return { id: item.id, status: out.status, headers: { 'Content-Type': 'application/json', ...out.headers }, body: out.body };
    });
    // Graph answers batch items in any order; so does the emulator, so that clients correlate by id.
    return { status: 200, body: { responses: responses.reverse() } };
  }

  /** Graph routes, tried in order: the first whose method and path match and that answers wins; none answers 400. */
  private readonly routes: Route[] = [
    { method: 'GET', pattern: /^\/places\/microsoft\.graph\.room$/, handle: (c) => this.placeRooms(c) },
    { method: 'GET', pattern: /^\/places\/microsoft\.graph\.roomlist$/i, handle: (c) => this.roomLists(c) },
    { method: 'GET', pattern: /^\/places\/([^/]+)\/microsoft\.graph\.roomlist\/rooms$/i, handle: (c, m) => this.roomListRooms(c, m) },
    { method: 'GET', pattern: /^\/places\/([^/]+)$/, handle: (c, m) => this.getPlace(c, m) },
    { method: 'GET', pattern: /^\/users\/([^/]+)\/mailboxSettings(\/workingHours)?$/i, handle: (c, m) => this.mailboxSettings(c, m) },
    { method: 'POST', pattern: /^\/users\/([^/]+)\/calendar\/getSchedule$/i, handle: (c, m) => this.getSchedule(c, m) },
    { method: 'GET', pattern: /^\/users\/([^/]+)\/(?:mailFolders\/inbox\/)?messages$/i, handle: (c, m) => this.messages(c, m) },
    { pattern: /^\/users\/([^/]+)\/calendar\/calendarPermissions(?:\/([^/]+))?$/, handle: (c, m) => this.calendarPermissions(c, m) },
    { pattern: /^\/users\/([^/]+)\/(?:calendar\/)?events(?:\/([^/]+))?(\/cancel)?$/i, handle: (c, m) => this.userEvents(c, m) },
    { method: 'GET', pattern: /^\/users\/([^/]+)\/transitiveMemberOf(\/microsoft\.graph\.group)?$/i, handle: (c, m) => this.transitiveMemberOf(c, m) },
    { method: 'DELETE', pattern: /^\/users\/([^/]+)$/, handle: (c, m) => this.deleteUser(c, m) },
    { method: 'GET', pattern: /^\/users(?:\/([^/]+))?$/, handle: (c, m) => this.getUsers(c, m) },
    { method: 'GET', pattern: /^\/servicePrincipals\(appId='([^']+)'\)$/, handle: (c, m) => this.servicePrincipal(c, m) },
    { method: 'GET', pattern: /^\/servicePrincipals\/([^/]+)\/appRoleAssignments$/, handle: (c, m) => this.appRoleAssignments(c, m) },
  ];

  private graph(method: string, url: string, caller: Caller, body: string, contentType?: string,
    headers: Record<string, string> = {}): GraphResponse {
    const header = (name: string) => Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    const u = new URL(url, 'https://graph.invalid');
    // Match on the encoded path and decode each segment: ids (base64) may hold '/'.
    const p = u.pathname.replace(/%28/gi, '(').replace(/%29/gi, ')').replace(/%27/g, "'");
    const roles = caller.roles;
    const need = (anyOf: string[], directory: boolean) => {
      if (!anyOf.some((r) => roles.includes(r))) {
        throw directory
          ? new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.')
          : new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      }
    };
    // An Exchange-backed route: a tenant-wide grant (in the token) or an RBAC for Applications assignment whose scope
    // holds this mailbox (read per request, never from the token; the two are additive: application-rbac docs).
    // Without either, 403 before the mailbox is even looked up, as before; with a scope elsewhere, the mailbox decides.
    const scoped = (anyOf: string[]) => (this.store.get<AppState>('apps', caller.appId ?? '')?.scopedRoles ?? []).filter((s) => anyOf.includes(s.role) && this.inForce(s));
    const mailboxRoute = (anyOf: string[], key: string, outlook = false): DirectoryObject => {
      const used = anyOf.filter((r) => roles.includes(r));
      const tenantWide = used.length > 0;
      const scopes = tenantWide ? [] : scoped(anyOf);
      if (!tenantWide && !scopes.length) need(anyOf, false);
      const owner = this.object(key, (outlook ? GRAPH_GUESSES.outlookRoutesResolveSmtp : GRAPH_GUESSES.exchangeRoutesResolveSmtp) ? 'any' : 'directory');
      if (!owner) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${safeDecode(key)}' is invalid.`);
      // Application Access Policies restrict tenant-wide grants (auth-limit-mailbox-access.md, "Handling API errors").
      if (tenantWide && this.blockedByPolicy(caller.appId, owner, used)) throw new GraphError(403, 'ErrorAccessDenied', 'Access to OData is disabled.');
      if (!tenantWide && !scopes.some((s) => s.mailboxes.some((m) => this.object(m, 'any')?.id === owner.id))) {
        throw new GraphError(GRAPH_GUESSES.outOfScope.status, GRAPH_GUESSES.outOfScope.code, GRAPH_GUESSES.outOfScope.message);
      }
      return owner;
    };
    const json = () => {
      if (method !== 'GET' && method !== 'DELETE' && !/json/i.test(contentType ?? '')) throw new GraphError(415, 'UnsupportedMediaType', 'Content type must be application/json.');
      try {
        return JSON.parse(body || '{}');
      } catch {
        throw new GraphError(400, 'BadRequest', 'Unable to read JSON request payload.');
      }
    };
    // Paging by an opaque $skiptoken in the nextLink, as directory collections page ("/users ... $skip isn't
    // supported", api/user-list.md; a client follows @odata.nextLink as given, concepts/paging.md). The token here is
    // the offset in base64url: clients must not read it, and the emulator refuses one it did not make.
    const page = <T>(all: T[], base: string) => {
      const top = Number(u.searchParams.get('$top') ?? 100);
      const token = u.searchParams.get('$skiptoken');
      const skip = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
      if (!Number.isInteger(skip) || skip < 0) throw new GraphError(400, 'Request_BadRequest', 'The specified page token value has expired or is invalid.');
      // The next page keeps the request's other options ($select, $count, ...), as Graph's nextLinks do.
      const query = [...u.searchParams].filter(([k]) => k !== '$top' && k !== '$skiptoken').map(([k, v]) => `&${k}=${encodeURIComponent(v)}`).join('');
      const next = skip + top < all.length ? `${this.url}/v1.0${base}?$top=${top}&$skiptoken=${Buffer.from(String(skip + top)).toString('base64url')}${query}` : undefined;
      return { value: all.slice(skip, skip + top), ...(next ? { '@odata.nextLink': next } : {}) };
    };
    const select = (o: Record<string, unknown>) => {
      const fields = u.searchParams.get('$select')?.split(',').map((f) => f.trim()).filter(Boolean);
      return fields ? Object.fromEntries(fields.filter((f) => f in o).map((f) => [f, o[f]])) : o;
    };
    // Places lists rooms that reached it: a new room takes up to ~48 h (microsoft-graph-docs #7192, #15460, #20558), a
    // room hidden from the address list never does; both are inPlaces: false.
    const listedRooms = () => this.store.values<DirectoryObject>('objects').map(withDefaults).filter((o) => o.room && o.inPlaces);
    const place = (key: string) => {
      const k = safeDecode(key).toLowerCase();
      const room = this.object(k, 'any');
      const byProxy = GRAPH_GUESSES.placesResolveProxyAddresses && room?.upn.toLowerCase() !== k;
      if (room?.room && room.inPlaces && (room.id === k || room.mail?.toLowerCase() === k || byProxy)) return placeOf(room);
      const list = this.store.get<RoomList>('roomLists', k) ?? this.store.values<RoomList>('roomLists').find((l) => l.id === k);
      return list && roomListOf(list);
    };
    const c: RouteContext = { method, p, u, roles, header, need, mailboxRoute, json, page, select, listedRooms, place };
    for (const r of this.routes) {
      if (r.method && r.method !== method) continue;
      const m = r.pattern.exec(p);
      const out = m ? r.handle(c, m) : undefined;
      if (out) return out;
    }
    throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${p.split('/')[1] ?? ''}'.`);
  }

  private placeRooms(c: RouteContext): GraphResponse {
    const { need, page, listedRooms } = c;
    need(['Place.Read.All'], false);
    return { status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#places/microsoft.graph.room', ...page(listedRooms().map(placeOf), '/places/microsoft.graph.room') } };
  }

  // Room lists: GET /places/microsoft.graph.roomlist, and a list's rooms by the list's emailAddress, "not by its id"
  // (api/place-list.md).
  private roomLists(c: RouteContext): GraphResponse {
    const { need, page } = c;
    need(['Place.Read.All'], false);
    return { status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#places/microsoft.graph.roomList', ...page(this.store.values<RoomList>('roomLists').map(roomListOf), '/places/microsoft.graph.roomlist') } };
  }

  private roomListRooms(c: RouteContext, m: RegExpExecArray): GraphResponse {
    const { need, page, listedRooms } = c;
    need(['Place.Read.All'], false);
    const list = this.store.get<RoomList>('roomLists', safeDecode(m[1]).toLowerCase());
    if (!list) throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const listed = new Set(listedRooms().map((r) => r.upn.toLowerCase()));
    const rooms = list.rooms.filter((k) => listed.has(k)).map((k) => placeOf(withDefaults(this.store.get<DirectoryObject>('objects', k)!)));
    return { status: 200, body: { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#places('${list.mail}')/microsoft.graph.roomList/rooms`, ...page(rooms, `/places/${encodeURIComponent(list.mail)}/microsoft.graph.roomlist/rooms`) } };
  }

  private getPlace(c: RouteContext, m: RegExpExecArray): GraphResponse {
    const { need, select, place } = c;
    need(['Place.Read.All'], false);
    const found = place(m[1]);
    if (!found) throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    return { status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#places/$entity', ...select(found) } };
  }

  private mailboxSettings(c: RouteContext, m: RegExpExecArray): GraphResponse {
    const { mailboxRoute, select } = c;
    // Application MailboxSettings.Read or MailboxSettings.ReadWrite (api/user-get-mailboxsettings.md).
    const owner = mailboxRoute(['MailboxSettings.Read', 'MailboxSettings.ReadWrite'], m[1]);
    reachable(owner);
    // workingHours: daysOfWeek, startTime, endTime, timeZone {name} (resources/workinghours.md); also its own route.
    const workingHours = owner.workingHours ?? DEFAULT_WORKING_HOURS;
    if (m[2]) return { status: 200, body: { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${owner.id}')/mailboxSettings/workingHours`, ...workingHours } };
    const settings = { userPurpose: owner.purpose, timeZone: 'UTC', language: { locale: 'en-US', displayName: 'English (United States)' }, dateFormat: 'yyyy-MM-dd', timeFormat: 'HH:mm', workingHours };
    return { status: 200, body: { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${owner.id}')/mailboxSettings`, ...select(settings) } };
  }

  /**
   * POST /users/{id | userPrincipalName}/calendar/getSchedule (api/calendar-getschedule.md, application Calendars.Read):
   * `schedules` are "SMTP addresses of users, distribution lists, or resources"; each answer has the busy items between
   * startTime and endTime and the mailbox's workingHours. An address the tenant lacks answers an error item.
   */
  private getSchedule(c: RouteContext, m: RegExpExecArray): GraphResponse {
    const { mailboxRoute, json } = c;
    mailboxRoute(['Calendars.Read', 'Calendars.ReadWrite'], m[1], true);
    const req = json();
    if (!Array.isArray(req.schedules) || !req.schedules.length) throw new GraphError(400, 'ErrorInvalidRequest', 'schedules: a list of SMTP addresses is required.');
    let from: number;
    let to: number;
    try {
      from = eventInstant(req.startTime, 'startTime');
      to = eventInstant(req.endTime, 'endTime');
    } catch (e) {
      throw new GraphError(400, 'ErrorInvalidRequest', (e as Error).message);
    }
    const utc = (ms: number) => ({ dateTime: new Date(ms).toISOString().replace('Z', '0000').slice(0, 27), timeZone: 'UTC' });
    const value = req.schedules.map((address: string) => {
      const o = this.object(String(address), 'any');
      if (!o?.mailbox) return { scheduleId: address, error: { message: `The recipient ${address} wasn't found.`, responseCode: 'ErrorMailRecipientNotFound' } };
      const items = (this.store.get<StoredEvent[]>('events', o.upn.toLowerCase()) ?? [])
        .filter((e) => !e.isCancelled && e.showAs !== 'free' && eventInstant(e.start, 'start') < to && from < eventInstant(e.end, 'end'))
        .map((e) => ({ isPrivate: false, status: e.showAs, start: utc(eventInstant(e.start, 'start')), end: utc(eventInstant(e.end, 'end')) }));
      return { scheduleId: address, scheduleItems: items, workingHours: o.workingHours ?? DEFAULT_WORKING_HOURS };
    });
    return { status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)', value } };
  }

  /**
   * GET /users/{id | userPrincipalName}/messages (api/user-list-messages.md, application Mail.Read or Mail.ReadWrite):
   * the replies rooms sent the mailbox (eventMessageResponse). `$filter=from/emailAddress/address eq '...'` only.
   */
  private messages(c: RouteContext, m: RegExpExecArray): GraphResponse {
    const { u, mailboxRoute, select } = c;
    const owner = mailboxRoute(['Mail.Read', 'Mail.ReadWrite'], m[1], true);
    reachable(owner);
    const filter = u.searchParams.get('$filter');
    const from = filter === null ? undefined : /^\s*from\/emailAddress\/address\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter)?.[1]?.replace(/''/g, "'").toLowerCase();
    if (filter !== null && from === undefined) throw new GraphError(400, 'ErrorInvalidUrlQueryFilter', `The emulator's /messages take $filter=from/emailAddress/address eq '...'; not: ${filter}`);
    const top = Math.min(Number(u.searchParams.get('$top') ?? 10), 1000);
    const all = (this.store.get<Array<Record<string, any>>>('messages', owner.upn.toLowerCase()) ?? [])
      .filter((x) => from === undefined || x.from.emailAddress.address.toLowerCase() === from);
    return { status: 200, body: { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${owner.id}')/messages`, value: all.slice(-top).reverse().map(select) } };
  }

  private calendarPermissions(c: RouteContext, m: RegExpExecArray): GraphResponse | undefined {
    const { method, mailboxRoute, json } = c;
    const owner = mailboxRoute(method === 'GET' ? ['Calendars.ReadBasic.All', 'Calendars.Read', 'Calendars.ReadWrite'] : ['Calendars.ReadWrite'], m[1]);
    const key = owner.upn.toLowerCase();
    const list = this.store.get<Permission[]>('perms', key) ?? [];
    reachable(owner);
    if (!m[2]) {
      if (method === 'GET') return { status: 200, body: { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${owner.upn}')/calendar/calendarPermissions`, value: list.map(permissionOf) } };
      if (method === 'POST') {
        const req = json();
        const address = req.emailAddress?.address;
        if (!address) throw new GraphError(400, 'ErrorInvalidRequest', 'emailAddress.address is required.');
        if (!CALENDAR_ROLES.includes(req.role)) throw new GraphError(400, 'ErrorInvalidRequest', `Requested value '${req.role}' was not found.`);
        // One permission per sharee, whichever of its addresses the request names.
        const sharee = this.object(String(address), 'any');
        const addresses = sharee ? addressesOf(sharee) : [String(address).toLowerCase()];
        if (list.some((x) => x.address && addresses.includes(x.address.toLowerCase()))) {
          const e = GRAPH_GUESSES.permissionExists(String(address));
          throw new GraphError(e.status, e.code, e.message);
        }
        const allowed = allowedRolesFor(sharee ? 'user' : this.group(String(address)) ? 'group' : 'external');
        if (!allowed.includes(req.role)) {
          const e = GRAPH_GUESSES.roleNotAllowed(req.role, allowed);
          throw new GraphError(e.status, e.code, e.message);
        }
        // "If successful, this method returns a 200 OK response code" (api/calendar-post-calendarpermissions.md).
        return { status: 200, body: permissionOf(this.addPermission(key, address, req.role)) };
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
        const allowed = allowedRolesOf(perm);
        if (!allowed.includes(req.role)) {
          const e = GRAPH_GUESSES.roleNotAllowed(req.role, allowed);
          throw new GraphError(e.status, e.code, e.message);
        }
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
    return undefined;
  }

  private userEvents(c: RouteContext, m: RegExpExecArray): GraphResponse {
    const { method, u, mailboxRoute, json, select } = c;
    return this.eventsRoute(method, m[1], m[2] && safeDecode(m[2]), !!m[3], u, mailboxRoute, json, select);
  }

  private transitiveMemberOf(c: RouteContext, m: RegExpExecArray): GraphResponse {
    const { roles, need, page, select } = c;
    // Application: User.Read.All, or Directory.Read.All, Directory.ReadWrite.All, Group.Read.All, GroupMember.Read.All
    // (learn.microsoft.com user-list-transitivememberof, "Permissions for another user's memberships"). Without one
    // that reads groups, "members of that type are returned but with limited information ... only the @odata.type
    // property for the object type and the id is returned, while other properties are indicated as null"
    // ("Limited information returned for inaccessible member objects"): no mail to match a permission with.
    need(['User.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Group.Read.All', 'GroupMember.Read.All'], true);
    const full = ['Directory.Read.All', 'Directory.ReadWrite.All', 'Group.Read.All', 'GroupMember.Read.All'].some((r) => roles.includes(r));
    // An OData cast is an advanced query: ConsistencyLevel: eventual and $count=true, or 400 Request_UnsupportedQuery
    // (user-list-transitivememberof.md, Request headers; aad-advanced-queries.md, "Error handling"). $count=true
    // alone, without the cast, is ignored without the header (same page).
    const advanced = c.header('ConsistencyLevel')?.toLowerCase() === 'eventual' && c.u.searchParams.get('$count') === 'true';
    if (m[2] && !advanced) {
      const e = GRAPH_GUESSES.castWithoutAdvancedQuery;
      throw new GraphError(e.status, e.code, e.message);
    }
    const o = this.object(m[1]);
    if (!o) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${safeDecode(m[1])}' does not exist or one of its queried reference-property objects are not present.`);
    const groups = this.groupsOf(o).map((g) => select({
      '@odata.type': '#microsoft.graph.group', id: g.id,
      ...(full ? { displayName: g.displayName, mail: g.mail, mailEnabled: true, securityEnabled: true, proxyAddresses: [`SMTP:${g.mail}`] }
        : { displayName: null, mail: null, mailEnabled: null, securityEnabled: null, proxyAddresses: null }),
    }));
    return {
      status: 200,
      body: {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects', ...(advanced ? { '@odata.count': groups.length } : {}),
        ...page(groups, `/users/${encodeURIComponent(o.id)}/transitiveMemberOf${m[2] ?? ''}`),
      },
    };
  }

  private deleteUser(c: RouteContext, m: RegExpExecArray): GraphResponse {
    const { need } = c;
    // An administrator removing a mailbox (its account) from the tenant.
    need(['User.ReadWrite.All', 'Directory.ReadWrite.All'], true);
    const o = this.object(m[1]);
    if (!o) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${m[1]}' does not exist or one of its queried reference-property objects are not present.`);
    this.deleteObject(o);
    return { status: 204 };
  }

  private getUsers(c: RouteContext, m: RegExpExecArray): GraphResponse {
    const { p, u, roles, need, page } = c;
    need([...FULL_PROFILE_ROLES, 'User.ReadBasic.All'], true);
    // User.ReadBasic.All reads the basic profile only; $select of anything else is dropped (see basicUserOf).
    const basic = !FULL_PROFILE_ROLES.some((r) => roles.includes(r));
    const select = (o: Record<string, unknown>) => c.select(basic ? basicUserOf(o) : o);
    if (p === '/users') {
      // "$skip isn't supported" (api/user-list.md); the answer's wording is not documented (GRAPH_GUESSES.skipOnUsers).
      if (u.searchParams.has('$skip')) throw new GraphError(GRAPH_GUESSES.skipOnUsers.status, GRAPH_GUESSES.skipOnUsers.code, GRAPH_GUESSES.skipOnUsers.message);
      // Finding a user by address: $filter on mail, userPrincipalName or proxyAddresses (user resource).
      const filter = u.searchParams.get('$filter');
      let terms;
      try {
        terms = filter ? parseUserFilter(filter) : undefined;
      } catch (e) {
        throw new GraphError(400, 'Request_UnsupportedQuery', (e as Error).message);
      }
      // Candidates from the address index (one lookup per term, not a scan per request), then the filter itself.
      const candidates = terms ? terms.map((t) => this.object(t.value.replace(/^smtp:/i, ''), 'any')).filter((o): o is DirectoryObject => !!o)
        : this.store.values<DirectoryObject>('objects').map(withDefaults);
      const all = [...new Map(candidates.filter((o) => !terms || matchesUserFilter(o, terms)).map((o) => [o.id, o])).values()];
      return { status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users', ...page(all.map((o) => select(userOf(o, !!u.searchParams.get('$select')))), '/users') } };
    }
    // By id or userPrincipalName only: "UPN != email address" (maintainer, microsoft-graph-docs #3979).
    const o = this.object(m[1]);
    if (!o) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${safeDecode(m[1])}' does not exist or one of its queried reference-property objects are not present.`);
    return { status: 200, body: select(userOf(o, !!u.searchParams.get('$select'))) };
  }

  private servicePrincipal(c: RouteContext, m: RegExpExecArray): GraphResponse {
    const { need } = c;
    need(['Application.Read.All', 'Directory.Read.All'], true);
    const sp = this.store.get<ServicePrincipal>('sps', decodeURIComponent(m[1]));
    if (!sp) throw new GraphError(404, 'Request_ResourceNotFound', `Resource 'servicePrincipals(appId='${m[1]}')' does not exist or one of its queried reference-property objects are not present.`);
    const appRoles = sp.appId === GRAPH_APP_ID ? Object.entries(GRAPH_APP_ROLES).map(([value, id]) => ({ id, value, allowedMemberTypes: ['Application'], isEnabled: true }))
      : sp.appId === EXCHANGE_APP_ID ? EXCHANGE_APP_ROLES.map((value) => ({ id: exchangeRoleId(value), value, allowedMemberTypes: ['Application'], isEnabled: true }))
        : [];
    return { status: 200, body: { id: sp.id, appId: sp.appId, displayName: sp.displayName, appRoles } };
  }

  private appRoleAssignments(c: RouteContext, m: RegExpExecArray): GraphResponse {
    const { need } = c;
    need(['Application.Read.All', 'Directory.Read.All'], true);
    const sp = this.store.values<ServicePrincipal>('sps').find((s) => s.id === m[1]);
    if (!sp) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${m[1]}' does not exist or one of its queried reference-property objects are not present.`);
    const graph = this.store.get<ServicePrincipal>('sps', GRAPH_APP_ID)!;
    const exchange = this.store.get<ServicePrincipal>('sps', EXCHANGE_APP_ID);
    const assignment = (r: string, appRoleId: string, resource: ServicePrincipal) => ({
      id: Buffer.from(`${sp.id}:${resource.appId}:${r}`).toString('base64url'), appRoleId, principalId: sp.id, principalType: 'ServicePrincipal', principalDisplayName: sp.displayName,
      resourceId: resource.id, resourceDisplayName: resource.displayName,
    });
    return {
      status: 200,
      body: {
        value: [
          ...sp.roles.filter((r) => GRAPH_APP_ROLES[r]).map((r) => assignment(r, GRAPH_APP_ROLES[r], graph)),
          ...(exchange ? (sp.exchangeRoles ?? []).map((r) => assignment(r, exchangeRoleId(r), exchange)) : []),
        ],
      },
    };
  }

  /**
   * /users/{id}/events and /users/{id}/calendar/events: create (application Calendars.ReadWrite, api/user-post-events.md),
   * list and get (Calendars.ReadBasic reads no body; Calendars.Read or Calendars.ReadWrite, api/user-list-events.md),
   * cancel (organizer only, api/event-cancel.md), delete (Calendars.ReadWrite, api/event-delete.md). RBAC scopes apply
   * per mailbox as on every Exchange route.
   */
  private eventsRoute(method: string, mailbox: string, eventId: string | undefined, cancel: boolean, u: URL,
    mailboxRoute: (anyOf: string[], key: string, outlook?: boolean) => DirectoryObject, json: () => any,
    select: (o: Record<string, unknown>) => Record<string, unknown>): GraphResponse {
    const read = method === 'GET';
    const owner = mailboxRoute(read ? ['Calendars.Read', 'Calendars.ReadWrite'] : ['Calendars.ReadWrite'], mailbox, true);
    reachable(owner);
    const key = owner.upn.toLowerCase();
    const list = this.store.get<StoredEvent[]>('events', key) ?? [];
    const notFound = () => new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const expand = /^singleValueExtendedProperties/i.test(u.searchParams.get('$expand') ?? '') ? u.searchParams.get('$expand')! : undefined;
    if (!eventId) {
      if (method === 'GET') {
        let filter;
        try {
          filter = u.searchParams.get('$filter') ? parseEventFilter(u.searchParams.get('$filter')!) : undefined;
        } catch (e) {
          throw new GraphError(400, 'ErrorInvalidUrlQueryFilter', (e as Error).message);
        }
        const top = Math.min(Number(u.searchParams.get('$top') ?? 10), 1000);
        const found = list.filter((e) => !filter || matchesEventFilter(e, filter)).slice(0, top);
        return { status: 200, body: { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${owner.id}')/events`, value: found.map((e) => select(eventOf(e, expand))) } };
      }
      if (method !== 'POST') throw new GraphError(405, 'ErrorInvalidRequest', `${method} is not supported on events.`);
      const req = json();
      // transactionId: "A custom identifier specified by a client app for the server to avoid redundant POST operations
      // in case of client retries to create the same event" (resources/event.md).
      const again = req.transactionId && list.find((e) => e.transactionId === req.transactionId);
      if (again) return { status: 201, body: eventOf(again, undefined) };
      let start: number;
      let end: number;
      try {
        start = eventInstant(req.start, 'start');
        end = eventInstant(req.end, 'end');
      } catch (e) {
        throw new GraphError(400, 'ErrorInvalidRequest', (e as Error).message);
      }
      if (end <= start) throw new GraphError(400, 'ErrorInvalidRequest', 'The end of the event must be after its start.');
      const now = new Date().toISOString();
      const attendees = (Array.isArray(req.attendees) ? req.attendees : []).map((a: any) => {
        if (!a?.emailAddress?.address) throw new GraphError(400, 'ErrorInvalidRequest', 'Each attendee needs emailAddress.address.');
        const o = this.object(String(a.emailAddress.address), 'any');
        return { type: a.type ?? 'required', emailAddress: { name: a.emailAddress.name ?? o?.displayName ?? a.emailAddress.address, address: String(a.emailAddress.address) }, status: { response: 'none', time: '0001-01-01T00:00:00Z' } };
      });
      const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '0000');
      const ev: StoredEvent = {
        id: eventIdFor(), iCalUId: `040000008200E00074C5B7101A82E008${randomBytes(28).toString('hex').toUpperCase()}`,
        subject: String(req.subject ?? ''), body: { contentType: req.body?.contentType ?? 'text', content: String(req.body?.content ?? '') },
        start: { dateTime: iso(start).slice(0, 27), timeZone: 'UTC' }, end: { dateTime: iso(end).slice(0, 27), timeZone: 'UTC' },
        organizer: { emailAddress: { name: owner.displayName, address: owner.mail ?? owner.upn } }, attendees,
        isOrganizer: true, isCancelled: false, showAs: req.showAs ?? 'busy', responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' },
        ...(req.transactionId ? { transactionId: String(req.transactionId) } : {}),
        ...(Array.isArray(req.singleValueExtendedProperties) ? {
          singleValueExtendedProperties: req.singleValueExtendedProperties.map((x: any) => ({ id: String(x.id), value: String(x.value) })),
        } : {}),
        createdDateTime: now, lastModifiedDateTime: now,
      };
      this.putEvents(key, [...list, ev]);
      this.sendToRooms(owner, ev);
      return { status: 201, body: eventOf(ev, undefined) };
    }
    const ev = list.find((e) => e.id === eventId);
    if (!ev) throw notFound();
    if (method === 'GET' && !cancel) return { status: 200, body: select(eventOf(ev, expand)) };
    if (method === 'POST' && cancel) {
      if (!ev.isOrganizer) throw new GraphError(400, 'ErrorInvalidRequest', 'Your request can\'t be completed. You need to be an organizer to cancel a meeting.');
      this.putEvents(key, list.filter((e) => e.id !== eventId));
      this.cancelAtRooms(owner, ev);
      return { status: 202 };
    }
    if (method === 'DELETE' && !cancel) {
      this.putEvents(key, list.filter((e) => e.id !== eventId));
      // "If the event is a meeting, deleting the event on the organizer's calendar sends a cancellation message to the
      // meeting attendees" (api/event-delete.md).
      if (ev.isOrganizer) this.cancelAtRooms(owner, ev);
      return { status: 204 };
    }
    throw new GraphError(405, 'ErrorInvalidRequest', `${method} is not supported here.`);
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
      case 'POST /_emulator/consents': this.grantConsent(JSON.parse(body)); return { status: 200, body: {} };
      case 'POST /_emulator/scoped-roles': {
        const { clientId, role, mailboxes } = JSON.parse(body);
        this.grantScopedRole(clientId, { role, mailboxes });
        return { status: 200, body: {} };
      }
      case 'POST /_emulator/access-policies': {
        const { clientId, accessRight, group, remove } = JSON.parse(body);
        if (remove) this.removeAccessPolicy(clientId, group);
        else this.addAccessPolicy(clientId, { accessRight, group });
        return { status: 200, body: {} };
      }
      case 'POST /_emulator/places': {
        const { mailbox, inPlaces } = JSON.parse(body);
        this.setInPlaces(mailbox, inPlaces !== false);
        return { status: 200, body: {} };
      }
      default: return { status: 404, body: { message: `no emulator route ${method} ${p}` } };
    }
  }
}

/** An object as stored by any version of the emulator, with today's fields filled (older states: mail = upn, ...). */
function withDefaults(o: DirectoryObject): DirectoryObject {
  const mail = o.mail === undefined ? o.upn : o.mail;
  return {
    ...o, mail, proxyAddresses: o.proxyAddresses ?? (mail ? [`SMTP:${mail}`] : []), mailbox: o.mailbox ?? true,
    accountEnabled: o.accountEnabled ?? true, inPlaces: o.inPlaces ?? o.room, purpose: o.purpose ?? (o.room ? 'room' : 'user'),
  };
}

/**
 * A mailbox route's owner must have an active Exchange Online mailbox: a user without one (microsoft-graph-docs #5888,
 * #6305), or one whose mailbox is inactive, soft-deleted or on-premises (MAILBOX_STATES), answers 404
 * MailboxNotEnabledForRESTAPI with Graph's message, the same for all of them.
 */
function reachable(o: DirectoryObject): void {
  if (!o.mailbox || (o.mailboxState ?? 'active') !== 'active') {
    throw new GraphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
  }
}

/** An event id: base64 with '/' and '+' often, as Exchange's ids (clients must encode them). */
function eventIdFor(): string {
  return `AAMk${Buffer.concat([Buffer.from([0xff, 0xfb, 0xef]), randomBytes(30)]).toString('base64')}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The application permissions that read a user's full profile (api/user-list.md, application permissions). */
const FULL_PROFILE_ROLES = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

/**
 * A user as an app holding only User.ReadBasic.All reads it: the basic profile, "display name, first and last name,
 * email address, open extensions and photo" (permissions-reference.md, User.ReadBasic.All), i.e. displayName,
 * givenName, mail, photo, surname and userPrincipalName (Microsoft Q&A 285432, "constrains app access to a limited
 * set of properties known as the basic profile"), and the id. No accountEnabled, no proxyAddresses, whatever $select asks.
 */
function basicUserOf(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => ['id', 'displayName', 'givenName', 'mail', 'surname', 'userPrincipalName'].includes(k)));
}

/**
 * A user as GET /users answers: the default properties, and accountEnabled and proxyAddresses only on $select
 * (user resource: "Returned only on $select").
 */
function userOf(o: DirectoryObject, selected: boolean) {
  return {
    id: o.id, userPrincipalName: o.upn, mail: o.mail ?? null, displayName: o.displayName,
    ...(selected ? { accountEnabled: o.accountEnabled, proxyAddresses: o.proxyAddresses } : {}),
  };
}

function placeOf(o: DirectoryObject) {
  return { '@odata.type': '#microsoft.graph.room', id: o.id, emailAddress: o.mail ?? o.upn, displayName: o.displayName, bookingType: 'standard' };
}

/** A room list in places: "@odata.type": "#microsoft.graph.roomList" (api/place-get.md, example 2). */
function roomListOf(l: RoomList) {
  return { '@odata.type': '#microsoft.graph.roomList', id: l.id, emailAddress: l.mail, displayName: l.displayName };
}

/** Exchange Online's app role ids are not the emulator's to know: stable made-up ids, so clients must match by value. */
function exchangeRoleId(value: string): string {
  const h = createHash('sha256').update(`exchange-app-role:${value}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function allowedRolesOf(p: Permission): string[] {
  return p.allowedRoles ?? allowedRolesFor(p.isRemovable ? 'user' : 'organization');
}

function permissionOf(p: Permission) {
  return {
    id: p.id, role: p.role, isRemovable: p.isRemovable, isInsideOrganization: p.isInsideOrganization,
    allowedRoles: allowedRolesOf(p),
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
    // A key another user may read (written by an older version, or copied in) is made private before it is used.
    if (makePrivate(keyFile)) process.stderr.write(`notice: ${keyFile} could be read by other users; made it 0600\n`);
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
    privateDir(stateDir!);
    writePrivate(keyFile, pems.private);
    writePrivate(certFile, pems.cert);
  }
  return { cert: pems.cert, key: pems.private, caFile: certFile };
}

