// Validates the Office 365 side of the calendar link before any A4B write: the service account (exists, enabled, has a
// mailbox) or the A4B app's consent, and every linked room mailbox (exists, is a room by its mailboxSettings, the
// service account can write its calendar, directly or through a group), batched; then grants what is missing when
// asked. Fails with one message for all rooms. `checkLink` is the check without the throw and the grants: what
// `a4b-rooms check` prints.
import { Clock, realClock } from '../clock';
import { currentRequest, ResourceError } from '../request';
import { HandlerEnv } from '../../contract';
import { decideConsent, consentNames, DEFAULT_CONSENT_RESOURCES } from '../../o365/consent';
import { addressesOfEntry, GraphAnswer, mailboxProblem, unreachableFix, unreachableMailbox, unreachableWhy } from '../../o365/mailbox';
import { AccountAddresses, CalendarPermission, decidePermission, editorCommand, permissionProblem } from '../../o365/permissions';
import { BatchItem, BatchResult, runBatches } from './batch';
import { RoomFindingsError } from './findings';
import { formatReport, LinkedRoom, LinkSpec, READ_PERMISSIONS, RequiredPermission, RoomProblem, tokenRoles } from '../../o365/link-checks';
import { Graph, GRAPH_SCOPE } from './clients';
import { getter, readAccount, readConsent, readMailboxes } from './mailboxes';

export interface ValidationResult {
  readonly checked: number;
  readonly granted: string[];
}

/** A grant the check would make (delegate, grantMissingPermissions), once nothing else is wrong. */
export interface PlannedGrant {
  readonly room: LinkedRoom;
  readonly item: BatchItem;
  readonly description: string;
  /** The calendar's permissions, to read again when the grant fails; who must hold an accepted role there. */
  readonly permissionsUrl: string;
  readonly holder: AccountAddresses;
}

/** What one check found. */
export interface LinkFindings {
  readonly header: string;
  /** Problems of the link itself (service account, consent, the Graph app's permissions), each with its fix. */
  readonly linkProblems: string[];
  /** Every bad room, in the order of the rooms checked. */
  readonly problems: RoomProblem[];
  readonly grants: PlannedGrant[];
  /** What could not be checked without being a problem (e.g. the service account's mailbox outside an RBAC scope). */
  readonly notes: string[];
  readonly checked: number;
  /** Graph answered 403 somewhere (a fresh token may see a consent granted since). */
  readonly denied: boolean;
}

/** How long a token is trusted after a 403 before one fresh token is asked for. */
const FRESH_TOKEN_MS = 5 * 60_000;
const tokenSince = new WeakMap<Graph, number>();

/** Checks the link and its rooms; notes and a token renewal are logged as JSON lines (to the function's log in Lambda). */
export async function validateLink(
  spec: LinkSpec, rooms: LinkedRoom[], graph: Graph, env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log,
  clock: Pick<Clock, 'now'> = realClock,
): Promise<ValidationResult> {
  let findings = await checkLink(spec, rooms, graph, env, clock);
  // A 403 on a token older than a few minutes: ask once for a fresh token (a consent granted since must be seen).
  const freshMs = env[HandlerEnv.GRAPH_FRESH_TOKEN_SECONDS] !== undefined ? Number(env[HandlerEnv.GRAPH_FRESH_TOKEN_SECONDS]) * 1000 : FRESH_TOKEN_MS;
  if (findings.denied && graph.renew && clock.now() - (tokenSince.get(graph) ?? clock.now()) >= freshMs) {
    const fresh = graph.renew();
    log(JSON.stringify({ renewedToken: true, reason: 'Graph answered 403 on a token older than the fresh-token window' }));
    findings = await checkLink(spec, rooms, fresh, env, clock);
    graph = fresh;
  }
  for (const note of findings.notes) log(JSON.stringify({ note }));
  if (findings.linkProblems.length) {
    const also = findings.problems.length ? `${formatReport(` Also ${findings.problems.length} of ${rooms.length} room${rooms.length > 1 ? 's' : ''} failed:`, findings.problems, 2000)}\n` : ' ';
    throw new ResourceError(`${findings.header}: ${findings.linkProblems.join(' ')}${also}Nothing was changed.`);
  }
  if (findings.problems.length) {
    throw new RoomFindingsError(formatReport(`${findings.header}: ${findings.problems.length} of ${rooms.length} room${rooms.length > 1 ? 's' : ''} failed validation; nothing was changed in A4B or Exchange:`, findings.problems), findings.problems);
  }
  return { checked: findings.checked, granted: await applyGrants(spec, findings, graph, env) };
}

/** The batch runner of a check: the handler's limits, transport failures as ResourceErrors. */
function batcher(graph: Graph, env: NodeJS.ProcessEnv, header: string) {
  return (items: BatchItem[]) => guard(header, 'a Graph $batch request', () => runBatches(items, (body) => graph.client.api('/$batch').post(body), {
    concurrency: numericSetting(env, HandlerEnv.GRAPH_CONCURRENCY, 4, 1),
    maxWaitSeconds: numericSetting(env, HandlerEnv.GRAPH_MAX_RETRY_WAIT, 60, 0),
  }));
}

/**
 * A numeric setting from the environment, or its default. A setting below `minimum` or not a number is refused by
 * name: a concurrency of 0 (or NaN) would start no batch at all, and every mailbox would read as unknown with no
 * reason given; a NaN wait would retry without waiting.
 */
export function numericSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, minimum: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < minimum) throw new ResourceError(`the setting ${name}=${raw} must be a number of at least ${minimum} (default ${fallback})`);
  return value;
}

async function guard<T>(header: string, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw new ResourceError(`${header}: ${what} failed: ${explainGraphError(e)}. Nothing was changed.`);
  }
}

/** A check's state, as its phases share it: what Graph answered 403, and what was found. */
interface CheckState {
  readonly spec: LinkSpec;
  readonly graph: Graph;
  readonly header: string;
  /** The token's roles; undefined for an opaque token. */
  readonly roles: string[] | undefined;
  readonly get: (path: string, headers?: Record<string, string>) => Promise<GraphAnswer>;
  readonly batch: ReturnType<typeof batcher>;
  readonly denied: Set<keyof typeof READ_PERMISSIONS>;
  /** Reads Graph allowed for at least one mailbox: a 403 on another is its scope (RBAC for Applications), not a missing permission. */
  readonly answered: Set<keyof typeof READ_PERMISSIONS>;
  /** Link-level reads answered 403. */
  readonly linkDenied: Set<keyof typeof READ_PERMISSIONS>;
  /** Room problems that are a 403, with the read that got it. */
  readonly deniedRooms: Map<RoomProblem, keyof typeof READ_PERMISSIONS>;
  readonly linkProblems: string[];
  readonly problems: RoomProblem[];
  readonly grants: PlannedGrant[];
  readonly notes: string[];
}

/** The service account as the room checks need it; `groupsUnread` says why its groups are not known. */
interface Account { addresses: string[]; groups?: string[]; groupsUnread?: string; primary: string }

/** Every problem of the link and its rooms, read from Graph; nothing is written. */
export async function checkLink(
  spec: LinkSpec, rooms: LinkedRoom[], graph: Graph, env: NodeJS.ProcessEnv = process.env, clock: Pick<Clock, 'now'> = realClock,
): Promise<LinkFindings> {
  const who = spec.method === 'delegate' ? `delegate ${spec.serviceAccount}` : `application ${spec.applicationId}`;
  const header = `calendar link (tenant ${spec.tenant}, ${who})`;
  const token = await appToken(spec, graph, header, clock);
  const rawGet = getter(graph.client);
  const s: CheckState = {
    spec, graph, header, roles: tokenRoles(token),
    get: (path: string, headers?: Record<string, string>) => guard(header, `GET ${path.split('?')[0]}`, () => rawGet(path, headers)),
    batch: batcher(graph, env, header),
    denied: new Set(), answered: new Set(), linkDenied: new Set(), deniedRooms: new Map(),
    linkProblems: [], problems: [], grants: [], notes: [],
  };

  // 2. The link itself.
  let account: Account | undefined;
  if (spec.method === 'delegate') {
    const checked = await checkServiceAccount(s);
    if (checked.stop) return finish(s, rooms);
    account = checked.account;
  } else {
    await checkConsent(s);
  }
  // 3. Every room mailbox.
  await checkRooms(s, rooms, account);
  return finish(s, rooms);
}

/** 1. The app-only token. Its roles only word a 403: mailbox-scoped grants (RBAC for Applications) never show in it. */
async function appToken(spec: LinkSpec, graph: Graph, header: string, clock: Pick<Clock, 'now'>): Promise<string> {
  let token: string;
  try {
    const scope = currentRequest();
    const get = () => graph.credential.getToken(GRAPH_SCOPE, { abortSignal: scope?.signal });
    token = (await (scope ? scope.track('Entra ID token request', get) : get()))!.token;
  } catch (e) {
    throw new ResourceError(`${header}: ${explainCredentialError(e, spec, graph.clientId)}`);
  }
  if (!tokenSince.has(graph)) tokenSince.set(graph, clock.now());
  return token;
}

function deniedProblem(s: CheckState, room: LinkedRoom, read: keyof typeof READ_PERMISSIONS, res: GraphAnswer | undefined): RoomProblem {
  s.denied.add(read);
  const problem: RoomProblem = { room, kind: 'unknown', ...explainDenied(res, READ_PERMISSIONS[read], s.graph.clientId, room.mailbox) };
  s.deniedRooms.set(problem, read);
  return problem;
}

function denyLink(s: CheckState, read: keyof typeof READ_PERMISSIONS): void {
  s.denied.add(read);
  s.linkDenied.add(read);
}

/** 2a. Delegate: the service account exists, is enabled and has a mailbox. `stop` when nothing more can be checked. */
async function checkServiceAccount(s: CheckState): Promise<{ account?: Account; stop: boolean }> {
  const { spec, linkProblems, notes } = s;
  let account: Account | undefined;
  const sa = spec.serviceAccount!;
  const a = await readAccount(sa, s.get);
  if (a.lookup.status === 403) denyLink(s, 'lookup');
  else if (a.lookup.status !== 200) linkProblems.push(`looking up the service account ${sa} failed (${describe(a.lookup)}).`);
  else if (!a.entry) {
    linkProblems.push(`the service account ${sa} does not exist in tenant ${spec.tenant} (no user has it as UPN, primary SMTP or proxy address). Fix: create it (New-Mailbox -UserPrincipalName ${sa} ...), or correct serviceAccount.`);
  } else {
    // Selected, but not returned: the app reads users with User.ReadBasic.All only (basic profile). Whether the account is
    // enabled and which aliases a calendar may list it under cannot be known: not a pass.
    if (a.entry.accountEnabled === undefined || a.entry.accountEnabled === null || !Array.isArray(a.entry.proxyAddresses)) {
      linkProblems.push(`Graph returned the service account ${a.entry.userPrincipalName} without accountEnabled and proxyAddresses: the Graph app ${s.graph.clientId} reads users with User.ReadBasic.All, `
        + 'which returns only displayName, givenName, mail, photo, surname and userPrincipalName, so whether the account is enabled and which of its addresses a calendar lists cannot be checked. '
        + `Fix: give the Graph app ${s.graph.clientId} the application permission User.Read.All (Entra ID > App registrations > API permissions > Microsoft Graph > Application permissions), then "Grant admin consent".`);
    }
    if (a.entry.accountEnabled === false) linkProblems.push(`the service account ${a.entry.userPrincipalName} is disabled, so the console's "Link account" cannot sign in as it. Fix: enable it (Update-MgUser -UserId ${a.entry.userPrincipalName} -AccountEnabled:$true, or Entra admin center > Users > ${a.entry.userPrincipalName} > Edit properties > Account enabled).`);
    if (unreachableMailbox(a.settings)) {
      linkProblems.push(`the service account ${a.entry.userPrincipalName} has no mailbox Graph can reach, and A4B signs in as it to reach room calendars: ${unreachableWhy(a.settings!.body?.error?.message, a.entry)}. `
        + `Fix: ${unreachableFix(a.entry.userPrincipalName, a.entry, `give it a mailbox: assign it an Exchange Online license, or create it with New-Mailbox -UserPrincipalName ${a.entry.userPrincipalName} ...`)}.`);
    } else if (a.settings?.status === 403) {
      // RBAC for Applications is often scoped to the room mailboxes only (Microsoft's own example is a room-booking
      // system): the account's mailbox then cannot be read. Not a reason to fail; say what was not checked.
      notes.push(`whether the service account ${a.entry.userPrincipalName} has a mailbox was not checked: Graph denied reading its mailbox settings (403)`);
    } else if (a.settings && a.settings.status !== 200) linkProblems.push(`reading the service account's mailbox settings failed (${describe(a.settings)}).`);
    // Groups not read: a 403 or groups without their addresses (limited information) is a missing permission; any other
    // answer is said as Graph gave it, never blamed on GroupMember.Read.All.
    const g = a.groupsAnswer;
    const groupsUnread = a.groups !== undefined ? undefined
      : !g || g.status === 200 || g.status === 403 ? 'the Graph app needs GroupMember.Read.All to read group addresses'
        : `reading the service account's groups failed: ${describe(g)}`;
    account = { addresses: addressesOfEntry(a.entry), groups: a.groups, groupsUnread, primary: a.entry.mail ?? a.entry.userPrincipalName };
    if (g?.status === 403) denyLink(s, 'groups');
    else if (g && g.status !== 200) notes.push(`calendar permissions given through groups were not counted: ${groupsUnread}`);
  }
  return { account, stop: linkProblems.length > 0 && !a.entry };
}

/** 2b. Application: the app's service principal holds Calendars.ReadWrite on the consent resources. */
async function checkConsent(s: CheckState): Promise<void> {
  const { spec, linkProblems } = s;
  const keys = spec.consentResources ?? DEFAULT_CONSENT_RESOURCES;
  const c = await readConsent(spec.applicationId!, keys, s.get);
  const consentFix = `Fix: in the A4B console choose Calendar > Office 365 > Application permissions > Link account, sign in as a Global Administrator of ${spec.tenant} and accept the consent for read and write access to all calendars.`;
  if (c.failed) {
    if (c.failed.answer.status === 403) denyLink(s, 'consent');
    else linkProblems.push(`reading ${c.failed.what} failed (${describe(c.failed.answer)}).`);
  } else if (!c.app) {
    linkProblems.push(`application ${spec.applicationId} has no service principal in tenant ${spec.tenant}, so nobody has consented to it. ${consentFix}`);
  } else {
    const d = decideConsent(c.assignments, c.resources);
    // A4B's own app may be scoped too, and Graph shows this check neither mechanism for another app.
    if (d.kind === 'ok') {
      s.notes.push(`whether an Application Access Policy or an RBAC for Applications scope keeps A4B's app ${spec.applicationId} from some room mailboxes cannot be seen through Graph, so it was not checked; `
        + `check with Test-ApplicationAccessPolicy -Identity <room mailbox> -AppId ${spec.applicationId} and Get-ManagementRoleAssignment -RoleAssignee <its service principal> in Exchange Online PowerShell`);
    }
    if (d.kind === 'missing') {
      linkProblems.push(`application ${spec.applicationId} holds ${keys.length > 1 ? 'neither' : 'no'} application permission ${consentNames(keys)} in tenant ${spec.tenant}`
        + `${d.held.length ? ` (it holds ${d.held.join(', ')})` : ''}. ${consentFix}`);
    }
  }
}

/** 3. Every room mailbox: a room (by its mailbox), and may the service account write its calendar? */
async function checkRooms(s: CheckState, rooms: LinkedRoom[], account: Account | undefined): Promise<void> {
  const { spec, answered, denied, problems, grants } = s;
  const delegate = spec.method === 'delegate' && account !== undefined;
  const reads = await readMailboxes(rooms.map((r) => r.mailbox), s.batch, delegate);
  rooms.forEach((room, i) => {
    const r = reads[i];
    const c = r.class;
    if (r.settings?.status === 200) answered.add('settings');
    if (r.permissions?.status === 200) answered.add('permissionsRead');
    // Read at the same time as the settings: a 403 here is worded with the rest even when the room is not judged.
    if (r.permissions?.status === 403 && c.kind !== 'room') denied.add('permissionsRead');
    if (c.kind === 'unknown') {
      const res = c.answer;
      if (res?.status === 403) problems.push(deniedProblem(s, room, r.settings ? 'settings' : r.place ? 'places' : 'lookup', res));
      else problems.push({ room, kind: 'unknown', problem: `${c.read}: ${describe(res)}`, fix: res && (res.status === 429 || res.status >= 500) ? 'deploy again later' : 'check the mailbox address' });
      return;
    }
    const bad = mailboxProblem(c, room.mailbox, spec.tenant);
    if (bad) {
      problems.push({ room, kind: c.kind === 'missing' ? 'mailbox-missing' : 'not-a-room', ...bad });
      return;
    }
    if (!delegate || c.kind !== 'room') return;
    const perms = r.permissions;
    if (perms?.status === 403) return void problems.push(deniedProblem(s, room, 'permissionsRead', perms));
    if (perms?.status !== 200) return void problems.push({ room, kind: 'unknown', problem: `reading the calendar's permissions: ${describe(perms)}`, fix: 'deploy again later' });
    const sa = spec.serviceAccount!;
    const holder: AccountAddresses = { own: account!.addresses, groups: account!.groups };
    const decision = decidePermission((perms.body?.value ?? []) as CalendarPermission[], holder, spec.acceptedRoles);
    if (decision.kind === 'ok') return;
    const mailboxPath = `/users/${encodeURIComponent(c.entry.id)}/calendar/calendarPermissions`;
    if (spec.grantMissingPermissions && decision.kind === 'below') {
      grants.push({ room, item: { id: String(i), method: 'PATCH', url: `${mailboxPath}/${encodeURIComponent(decision.permissionId)}`, body: { role: 'write' } }, description: `raised ${sa} from ${decision.role} to write on ${room.mailbox}`, permissionsUrl: mailboxPath, holder });
    } else if (spec.grantMissingPermissions && decision.kind === 'missing' && spec.acceptedRoles.includes('write')) {
      grants.push({ room, item: { id: String(i), method: 'POST', url: mailboxPath, body: { emailAddress: { address: account!.primary }, role: 'write' } }, description: `granted ${sa} write on ${room.mailbox}`, permissionsUrl: mailboxPath, holder });
    } else {
      problems.push({ room, kind: 'permission', ...permissionProblem(decision, room.mailbox, sa, spec.acceptedRoles, spec.grantMissingPermissions, account!.groupsUnread)! });
    }
  });
}

/** 4. The findings, the 403s worded once for the app when its (readable) token lacks the permission. */
function finish(s: CheckState, rooms: LinkedRoom[]): LinkFindings {
  const { header, roles, graph, answered, denied, linkDenied, deniedRooms, linkProblems, problems, grants, notes } = s;
  // A 403 for a permission the (readable) token lacks: one message for the app, not one per room. Otherwise (an
  // opaque token, or a tenant-wide role that Exchange still refuses) each 403 is said where it happened.
  const lacks = (read: keyof typeof READ_PERMISSIONS) =>
    roles !== undefined && !answered.has(read) && !READ_PERMISSIONS[read].anyOf.some((x) => roles.includes(x));
  const lacking = (Object.keys(READ_PERMISSIONS) as Array<keyof typeof READ_PERMISSIONS>).filter((d) => denied.has(d) && lacks(d));
  if (lacking.length) {
    linkProblems.unshift(`the Graph app ${graph.clientId} lacks application permissions: `
      + lacking.map((d) => `${READ_PERMISSIONS[d].anyOf.join(' or ')} (${READ_PERMISSIONS[d].why})`).join('; ')
      + `. Add them in Entra ID (App registrations > ${graph.clientId} > API permissions > Add a permission > Microsoft Graph > Application permissions), then choose "Grant admin consent" (or, when it holds them through RBAC for Applications in Exchange Online, add the mailboxes to that assignment's scope).`);
  }
  for (const d of linkDenied) {
    // Group addresses are a bonus: without them a room's permission problem says they were not counted.
    if (!lacks(d) && d !== 'groups') linkProblems.push(`${explainDenied(undefined, READ_PERMISSIONS[d], graph.clientId).problem}. Fix: ${explainDenied(undefined, READ_PERMISSIONS[d], graph.clientId).fix}.`);
  }
  for (let i = problems.length - 1; i >= 0; i--) {
    const read = deniedRooms.get(problems[i]);
    if (read && lacks(read)) problems.splice(i, 1);
  }
  return { header, linkProblems, problems, grants, notes, checked: rooms.length, denied: denied.size > 0 };
}

async function applyGrants(spec: LinkSpec, findings: LinkFindings, graph: Graph, env: NodeJS.ProcessEnv): Promise<string[]> {
  const granted: string[] = [];
  if (!findings.grants.length) return granted;
  const batch = batcher(graph, env, findings.header);
  const results = await batch(findings.grants.map((g) => g.item));
  const ok = (res: BatchResult | undefined) => res && (res.status === 200 || res.status === 201);
  // A 429 inside a $batch may still have been applied, so a retried grant can meet its own first attempt (whatever
  // Graph answers to that: GRAPH_GUESSES.permissionExists). The calendar decides: read again, a grant in place counts.
  const unsure = findings.grants.filter((g) => !ok(results.get(g.item.id)));
  const reread = unsure.length ? await batch(unsure.map((g) => ({ id: g.item.id, method: 'GET' as const, url: g.permissionsUrl }))) : new Map<string, BatchResult>();
  const failed: RoomProblem[] = [];
  for (const g of findings.grants) {
    const res = results.get(g.item.id);
    const now = reread.get(g.item.id);
    if (ok(res)) granted.push(g.description);
    else if (now?.status === 200 && decidePermission((now.body?.value ?? []) as CalendarPermission[], g.holder, spec.acceptedRoles).kind === 'ok') {
      granted.push(`${g.description} (Graph answered ${describe(res)}; the calendar shows the permission in place)`);
    } else failed.push({ room: g.room, kind: 'permission', problem: `Graph answered ${describe(res)}`, fix: editorCommand(g.room.mailbox, spec.serviceAccount!) });
  }
  if (failed.length) {
    throw new RoomFindingsError(formatReport(`${findings.header}: granting write access failed for ${failed.length} room${failed.length > 1 ? 's' : ''} (granted for ${granted.length}; those grants stay, nothing was removed); no A4B change was made:`, failed), failed);
  }
  return granted;
}

function describe(res: GraphAnswer | BatchResult | undefined): string {
  if (!res) return 'no answer';
  const code = res.body?.error?.code ?? '';
  const message = res.body?.error?.message ?? '';
  if (res.status === 429 || res.status >= 500) return `Graph kept answering ${res.status} (${code}) after retries`;
  return `Graph answered ${res.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
}

/**
 * A 403: the permission the read needs, or an Exchange Online scope that leaves the mailbox out. Two mechanisms scope
 * tenant-wide grants to some mailboxes and neither shows in the token: Application Access Policies (their 403 is
 * ErrorAccessDenied "Access to OData is disabled.", concepts/auth-limit-mailbox-access.md) and RBAC for Applications
 * (learn.microsoft.com/exchange/permissions-exo/application-rbac). Changes to either "can take longer than 1 hour to
 * take effect in Microsoft Graph" (same page).
 */
export function explainDenied(res: GraphAnswer | undefined, needs: RequiredPermission, clientId: string,
  mailbox?: string): { problem: string; fix: string } {
  const code = res?.body?.error?.code ?? 'Forbidden';
  const policy = res?.body?.error?.message === ACCESS_POLICY_DENIED;
  const it = mailbox ?? 'the mailbox';
  return {
    problem: `Graph denied access (403 ${code}${policy ? ` "${ACCESS_POLICY_DENIED}": an Application Access Policy leaves the mailbox out` : ''}) ${needs.why}`,
    fix: `give the Graph app ${clientId} the application permission ${needs.anyOf.join(' or ')} (admin consent); if it holds it, an Exchange Online scope leaves ${it} out: `
      + `an Application Access Policy (Get-ApplicationAccessPolicy; Test-ApplicationAccessPolicy -Identity ${it} -AppId ${clientId}) or an RBAC for Applications assignment `
      + `(Get-ManagementRoleAssignment -RoleAssignee <the app's service principal>; Test-ServicePrincipalAuthorization -Identity <it> -Resource ${it}): add ${it} to its scope, `
      + 'and allow up to an hour or more for the change to reach Graph',
  };
}

/** The message of a 403 from an Application Access Policy (concepts/auth-limit-mailbox-access.md, "Handling API errors"). */
export const ACCESS_POLICY_DENIED = 'Access to OData is disabled.';

/** Which credential problem it is and how to fix it, from @azure/identity's error; never the secret. */
export function explainCredentialError(e: unknown, spec: Pick<LinkSpec, 'tenant' | 'credentialsSecretArn'>, clientId: string): string {
  const message = String((e as Error)?.message ?? e);
  const aadsts = /AADSTS(\d+)/.exec(message)?.[1];
  const secret = spec.credentialsSecretArn;
  if (aadsts === '7000215' || aadsts === '7000222') return `Entra ID refused the client secret of app ${clientId} (AADSTS${aadsts}: invalid or expired client secret). Fix: create a new client secret for the app and store it in ${secret}. Nothing was changed.`;
  if (aadsts === '700027' || aadsts === '700024') return `Entra ID refused the certificate assertion of app ${clientId} (AADSTS${aadsts}). Fix: upload the certificate in ${secret} to the app registration. Nothing was changed.`;
  if (aadsts === '700016') return `app ${clientId} does not exist in tenant ${spec.tenant} (AADSTS700016). Fix: check clientId in ${secret} and the tenant. Nothing was changed.`;
  if (aadsts === '90002') return `tenant ${spec.tenant} does not exist (AADSTS90002). Fix: the tenant must be the directory id (GUID) or a verified domain. Nothing was changed.`;
  if (/endpoints_resolution_error/.test(message)) {
    return `could not get the tenant's OpenID configuration from the authority (unknown tenant ${spec.tenant}, untrusted TLS certificate, or no network). `
      + 'Fix: check the tenant; for a private authority set NODE_EXTRA_CA_CERTS to its CA file and AZURE_AUTHORITY_HOST. Nothing was changed.';
  }
  const kind = /^(\w+):/.exec(message)?.[1];
  return `getting a Graph token failed (${(e as Error)?.name ?? 'Error'}${kind ? `: ${kind}` : ''}${aadsts ? `, AADSTS${aadsts}` : ''}). Nothing was changed.`;
}

export function explainGraphError(e: unknown): string {
  const err = e as { statusCode?: number; code?: string; message?: string; cause?: { code?: string } };
  const tls = /CERT|certificate|self.signed/i.test(`${err.code} ${err.message}`);
  if (tls) return `the Graph endpoint's TLS certificate is not trusted (${err.message}); set NODE_EXTRA_CA_CERTS to its CA file`;
  if (err.statusCode === 403) return `Graph denied access (${err.code}: ${err.message}); check the app's application permissions`;
  return `${err.statusCode ?? ''} ${err.code ?? ''}: ${err.message ?? String(e)}`.trim();
}
