// Validates the Office 365 side of the calendar link before any A4B write: the Graph app's permissions, the
// service account or the A4B app's consent, and every linked room mailbox (exists, is a room, the service account
// can write its calendar), batched; then grants what is missing when asked. Fails with one message for all rooms.
import { currentRequest, ResourceError } from '../cfn';
import { HandlerEnv } from '../../contract';
import { BatchItem, BatchResult, runBatches } from './batch';
import {
  CalendarPermission, decidePermission, editorCommand, formatReport, LinkedRoom, LinkSpec, missingPermissions, requiredPermissions, RoomProblem, tokenRoles,
} from './checks';
import { Graph, GRAPH_SCOPE } from './clients';
import { RoomFindingsError } from './findings';
import { readMailboxes } from './mailboxes';

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export interface ValidationResult {
  readonly checked: number;
  readonly granted: string[];
}

export async function validateLink(spec: LinkSpec, rooms: LinkedRoom[], graph: Graph, env: NodeJS.ProcessEnv = process.env): Promise<ValidationResult> {
  const who = spec.method === 'delegate' ? `delegate ${spec.serviceAccount}` : `application ${spec.applicationId}`;
  const header = `calendar link (tenant ${spec.tenant}, ${who})`;

  // 1. The app-only token: its permissions decide what can be checked at all.
  let token: string;
  try {
    const scope = currentRequest();
    const get = () => graph.credential.getToken(GRAPH_SCOPE, { abortSignal: scope?.signal });
    token = (await (scope ? scope.track('Entra ID token request', get) : get()))!.token;
  } catch (e) {
    throw new ResourceError(`${header}: ${explainCredentialError(e, spec, graph.clientId)}`);
  }
  const missing = missingPermissions(tokenRoles(token), requiredPermissions(spec));
  if (missing.length) {
    throw new ResourceError(`${header}: the Graph app ${graph.clientId} lacks application permissions: `
      + missing.map((m) => `${m.anyOf.join(' or ')} (${m.why})`).join('; ')
      + `. Add them in Entra ID (App registrations > ${graph.clientId} > API permissions > Add a permission > Microsoft Graph > Application permissions), `
      + 'then choose "Grant admin consent". Nothing was changed.');
  }

  const call = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      throw new ResourceError(`${header}: ${what} failed: ${explainGraphError(e)}. Nothing was changed.`);
    }
  };
  const batch = (items: BatchItem[]) => call('a Graph $batch request', () => runBatches(items, (body) => graph.client.api('/$batch').post(body), {
    concurrency: Number(env[HandlerEnv.GRAPH_CONCURRENCY] ?? 4),
    maxWaitSeconds: Number(env[HandlerEnv.GRAPH_MAX_RETRY_WAIT] ?? 60),
  }));

  // 2. The link itself.
  if (spec.method === 'delegate') {
    const account = await call(`looking up service account ${spec.serviceAccount}`, () => getOrNull(graph, `/users/${encodeURIComponent(spec.serviceAccount!)}`));
    if (!account) {
      throw new ResourceError(`${header}: the service account ${spec.serviceAccount} does not exist in tenant ${spec.tenant}. Fix: create it (New-Mailbox -UserPrincipalName ${spec.serviceAccount} ...), `
        + 'or correct serviceAccount. Nothing was changed.');
    }
  } else {
    await checkConsent(spec, graph, header, call);
  }

  // 3. Every room mailbox: a room? (if not: does it exist?) may the service account write its calendar?
  const problems: RoomProblem[] = [];
  const grants: BatchItem[] = [];
  const grantDescriptions = new Map<string, string>();
  const reads = await readMailboxes(rooms.map((r) => r.mailbox), batch, spec.method === 'delegate');
  rooms.forEach((room, i) => {
    const { place, user, permissions } = reads[i];
    if (place?.status === 404) {
      if (user?.status === 200) problems.push({ room, problem: 'this is a user mailbox, not a room mailbox (or a room hidden from the address list)', fix: `use the room's resource mailbox, or convert it with Set-Mailbox ${room.mailbox} -Type Room` });
      else if (user?.status === 404) problems.push({ room, problem: `there is no mailbox with this address in tenant ${spec.tenant}`, fix: 'create the room mailbox (New-Mailbox -Room), or correct the address' });
      else problems.push(itemProblem(room, user));
      return;
    }
    if (place?.status !== 200) {
      problems.push(itemProblem(room, place));
      return;
    }
    if (spec.method !== 'delegate') return;
    if (permissions?.status !== 200) {
      problems.push(itemProblem(room, permissions));
      return;
    }
    const sa = spec.serviceAccount!;
    const id = String(i);
    const enc = encodeURIComponent(room.mailbox);
    const decision = decidePermission((permissions.body?.value ?? []) as CalendarPermission[], sa, spec.acceptedRoles);
    const editor = editorCommand(room.mailbox, sa);
    if (decision.kind === 'ok') return;
    if (decision.kind === 'unaccepted') {
      problems.push({ room, problem: `the service account has role '${decision.role}' on the calendar, which is not an accepted role (${spec.acceptedRoles.join(', ')})`, fix: `Set-MailboxFolderPermission ${room.mailbox}:\\Calendar -User ${sa} -AccessRights Editor, or add '${decision.role}' to acceptedRoles` });
    } else if (!spec.grantMissingPermissions) {
      const has = decision.kind === 'below' ? `only '${decision.role}'` : 'no permission';
      const command = decision.kind === 'below' ? editor.replace('Add-MailboxFolderPermission', 'Set-MailboxFolderPermission') : editor;
      problems.push({ room, problem: `the service account ${sa} has ${has} on the room's calendar, and A4B needs Editor`, fix: `${command} (or set grantMissingPermissions)` });
    } else if (decision.kind === 'below') {
      grants.push({ id, method: 'PATCH', url: `/users/${enc}/calendar/calendarPermissions/${encodeURIComponent(decision.permissionId)}`, body: { role: 'write' } });
      grantDescriptions.set(id, `raised ${sa} from ${decision.role} to write on ${room.mailbox}`);
    } else {
      grants.push({ id, method: 'POST', url: `/users/${enc}/calendar/calendarPermissions`, body: { emailAddress: { address: sa }, role: 'write' } });
      grantDescriptions.set(id, `granted ${sa} write on ${room.mailbox}`);
    }
  });

  if (problems.length) {
    problems.sort((a, b) => rooms.indexOf(a.room) - rooms.indexOf(b.room));
    throw new RoomFindingsError(formatReport(`${header}: ${problems.length} of ${rooms.length} room${rooms.length > 1 ? 's' : ''} failed validation; nothing was changed in A4B or Exchange:`, problems), problems);
  }

  // 4. Grants, only once nothing else is wrong.
  const granted: string[] = [];
  if (grants.length) {
    const results = await batch(grants);
    const failed: RoomProblem[] = [];
    for (const [id, res] of results) {
      if (res.status === 200 || res.status === 201) granted.push(grantDescriptions.get(id)!);
      else failed.push({ ...itemProblem(rooms[Number(id)], res), fix: editorCommand(rooms[Number(id)].mailbox, spec.serviceAccount!) });
    }
    if (failed.length) {
      throw new RoomFindingsError(formatReport(`${header}: granting write access failed for ${failed.length} room${failed.length > 1 ? 's' : ''} (granted for ${granted.length}; those grants stay, nothing was removed); no A4B change was made:`, failed), failed);
    }
  }
  return { checked: rooms.length, granted };
}

function itemProblem(room: LinkedRoom, res: BatchResult | undefined = { id: '', status: 0 }): RoomProblem {
  const code = res.body?.error?.code ?? String(res.status);
  const message = res.body?.error?.message ?? '';
  if (res.status === 403) {
    return { room, problem: `Graph denied access (${code}: ${message})`, fix: 'an application access policy or RBAC for Applications scope in Exchange excludes this mailbox: add it to the scope' };
  }
  if (res.status === 429 || res.status >= 500) {
    return { room, problem: `Graph kept answering ${res.status} (${code}) after retries`, fix: 'deploy again later' };
  }
  return { room, problem: `Graph answered ${res.status} ${code}: ${message}`, fix: 'check the mailbox address' };
}

async function getOrNull(graph: Graph, path: string): Promise<any | undefined> {
  try {
    return await graph.client.api(path).get();
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
}

async function checkConsent(spec: LinkSpec, graph: Graph, header: string, call: <T>(what: string, run: () => Promise<T>) => Promise<T>): Promise<void> {
  const graphSp = await call('reading the Microsoft Graph service principal', () => graph.client.api(`/servicePrincipals(appId='${GRAPH_APP_ID}')`).select(['id', 'appRoles']).get());
  const role = (graphSp.appRoles ?? []).find((r: any) => r.value === 'Calendars.ReadWrite');
  const app = await call(`reading the service principal of application ${spec.applicationId}`, () => getOrNull(graph, `/servicePrincipals(appId='${spec.applicationId}')`));
  const consent = `Fix: in the A4B console choose Calendar > Office 365 > Application permissions > Link account, sign in as a Global Administrator of ${spec.tenant} and accept the consent for read and write access to all calendars.`;
  if (!app) throw new ResourceError(`${header}: application ${spec.applicationId} has no service principal in tenant ${spec.tenant}, so nobody has consented to it. ${consent} Nothing was changed.`);
  const assignments = await call('reading the application\'s app role assignments', () => graph.client.api(`/servicePrincipals/${app.id}/appRoleAssignments`).get());
  const ok = (assignments.value ?? []).some((a: any) => a.resourceId === graphSp.id && role && a.appRoleId === role.id);
  if (!ok) throw new ResourceError(`${header}: application ${spec.applicationId} holds no Microsoft Graph Calendars.ReadWrite application permission in tenant ${spec.tenant}. ${consent} Nothing was changed.`);
}

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
