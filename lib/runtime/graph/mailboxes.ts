// The Graph reads of the Office 365 checks, shared by the calendar link's handler, `a4b-rooms check` and drift; the
// decisions are lib/o365's (pure). Mailboxes are read in `$batch`es: N addresses cost ⌈N/20⌉ requests per phase.
import { addressFilter, classifyMailbox, DirectoryEntry, entryOf, GraphAnswer, LOOKUP_SELECT, MailboxAnswers, MailboxClass, nextReads } from '../../o365/mailbox';
import { Assignment, CONSENT_RESOURCES, ResourcePrincipal } from '../../o365/consent';
import { BatchItem, BatchResult } from './batch';

/** What Graph answered about one mailbox, and its classification. */
export interface MailboxReads extends MailboxAnswers {
  readonly class: MailboxClass;
  /** `GET /users/{id}/calendar/calendarPermissions`, for every address that resolved, when asked (used for rooms only). */
  readonly permissions?: BatchResult;
}

type Batch = (items: BatchItem[]) => Promise<Map<string, BatchResult>>;

const enc = encodeURIComponent;

/**
 * Reads each mailbox as the checks need it: the directory object by any of its addresses, then its mailboxSettings
 * (and its calendar's permissions when `withPermissions`), or, for an address no user has, places (a room list?) and
 * the list's rooms. The answers are in the order of `mailboxes`.
 */
export async function readMailboxes(mailboxes: readonly string[], batch: Batch, withPermissions: boolean): Promise<MailboxReads[]> {
  const answers: Array<{ -readonly [K in keyof MailboxAnswers]: MailboxAnswers[K] } & { permissions?: BatchResult }> = mailboxes.map(() => ({}));
  const lookups = await batch(mailboxes.map((m, i) => ({ id: String(i), method: 'GET' as const, url: `/users?$filter=${enc(addressFilter(m))}&$select=${LOOKUP_SELECT}` })));
  mailboxes.forEach((_, i) => (answers[i].lookup = lookups.get(String(i))));
  for (let phase = 0; phase < 2; phase++) {
    const items: BatchItem[] = [];
    answers.forEach((a, i) => {
      for (const read of nextReads(a)) {
        const entry = entryOf(a.lookup);
        if (read === 'settings') {
          items.push({ id: `s${i}`, method: 'GET', url: `/users/${enc(entry!.id)}/mailboxSettings` });
          if (withPermissions) items.push({ id: `p${i}`, method: 'GET', url: `/users/${enc(entry!.id)}/calendar/calendarPermissions` });
        } else if (read === 'place') {
          items.push({ id: `l${i}`, method: 'GET', url: `/places/${enc(mailboxes[i])}` });
        } else {
          items.push({ id: `r${i}`, method: 'GET', url: `/places/${enc(mailboxes[i])}/microsoft.graph.roomlist/rooms` });
        }
      }
    });
    if (!items.length) break;
    const results = await batch(items);
    for (const [id, res] of results) {
      const a = answers[Number(id.slice(1))];
      if (id[0] === 's') a.settings = res;
      else if (id[0] === 'p') a.permissions = res;
      else if (id[0] === 'l') a.place = res;
      else a.roomListRooms = res;
    }
  }
  return answers.map((a) => {
    const c = classifyMailbox(a);
    return { ...a, class: c };
  });
}

/** A Graph call's answer, never thrown: status and body. `headers` are request headers (e.g. ConsistencyLevel). */
export interface Get {
  (path: string, headers?: Record<string, string>): Promise<GraphAnswer>;
}

/**
 * An OData cast on transitiveMemberOf is an advanced query: "ConsistencyLevel: eventual. This header and `$count` are
 * required when using the `$search`, `$filter`, `$orderby`, or OData cast query parameters"
 * (api-reference/v1.0/api/user-list-transitivememberof.md, Request headers; concepts/aad-advanced-queries.md, "Use of
 * OData cast with transitive members list"). Without them Graph answers 400 Request_UnsupportedQuery.
 */
export const ADVANCED_QUERY = { headers: { ConsistencyLevel: 'eventual' }, count: '$count=true' };

/** The service account as the checks need it: its directory object, whether it has a mailbox, its groups' addresses. */
export interface AccountReads {
  readonly lookup: GraphAnswer;
  readonly entry?: DirectoryEntry;
  readonly settings?: GraphAnswer;
  /** Lower-cased addresses of its groups (transitive); undefined when Graph did not show them (no group-reading permission). */
  readonly groups?: string[];
  readonly groupsAnswer?: GraphAnswer;
}

export async function readAccount(address: string, get: Get): Promise<AccountReads> {
  const lookup = await get(`/users?$filter=${enc(addressFilter(address))}&$select=${LOOKUP_SELECT}`);
  const entry = lookup.status === 200 ? entryOf(lookup) : undefined;
  if (!entry) return { lookup };
  const [settings, groupsAnswer] = await Promise.all([
    get(`/users/${enc(entry.id)}/mailboxSettings`),
    readAll(get, `/users/${enc(entry.id)}/transitiveMemberOf/microsoft.graph.group?${ADVANCED_QUERY.count}&$select=id,mail,proxyAddresses`, ADVANCED_QUERY.headers),
  ]);
  let groups: string[] | undefined;
  if (groupsAnswer.status === 200) {
    const value = (groupsAnswer.body?.value ?? []) as Array<{ mail?: string | null; proxyAddresses?: string[] | null }>;
    // Without a group-reading permission Graph returns the groups with id and type only (limited information).
    if (value.every((g) => g.mail !== null || g.proxyAddresses)) {
      groups = value.flatMap((g) => [g.mail ?? undefined, ...(g.proxyAddresses ?? []).filter((p) => /^smtp:/i.test(p)).map((p) => p.slice(5))])
        .filter((a): a is string => !!a).map((a) => a.toLowerCase());
    }
  }
  return { lookup, entry, settings, groups, groupsAnswer };
}

/** A collection with all its pages (`@odata.nextLink`), each asked for with the same headers. */
async function readAll(get: Get, path: string, headers?: Record<string, string>): Promise<GraphAnswer> {
  const first = await get(path, headers);
  if (first.status !== 200) return first;
  const value = [...(first.body?.value ?? [])];
  let next: string | undefined = first.body?.['@odata.nextLink'];
  while (next) {
    const page = await get(next.replace(/^https?:\/\/[^/]+\/v1\.0/, ''), headers);
    if (page.status !== 200) return page;
    value.push(...(page.body?.value ?? []));
    next = page.body?.['@odata.nextLink'];
  }
  return { status: 200, body: { value } };
}

/** The A4B app's service principal and assignments, and the accepted resources' principals. */
export interface ConsentReads {
  /** The app's service principal; undefined when it has none (nobody consented). */
  readonly app?: { id: string };
  readonly assignments: Assignment[];
  readonly resources: ResourcePrincipal[];
  /** A read that failed (not a 404 of the app): nothing can be said. */
  readonly failed?: { what: string; answer: GraphAnswer };
}

export async function readConsent(applicationId: string, resourceKeys: readonly string[], get: Get): Promise<ConsentReads> {
  const resources: ResourcePrincipal[] = [];
  for (const key of resourceKeys) {
    const info = CONSENT_RESOURCES[key];
    const r = await get(`/servicePrincipals(appId='${info.appId}')?$select=id,appRoles`);
    // A resource with no service principal in the tenant holds no consent.
    if (r.status === 404) continue;
    if (r.status !== 200) return { assignments: [], resources, failed: { what: `the ${info.name} service principal`, answer: r } };
    resources.push({ key, id: r.body.id, appRoles: r.body.appRoles ?? [] });
  }
  const app = await get(`/servicePrincipals(appId='${applicationId}')?$select=id`);
  if (app.status === 404) return { assignments: [], resources };
  if (app.status !== 200) return { assignments: [], resources, failed: { what: `the service principal of application ${applicationId}`, answer: app } };
  const assignments = await readAll(get, `/servicePrincipals/${enc(app.body.id)}/appRoleAssignments`);
  if (assignments.status !== 200) return { app: app.body, assignments: [], resources, failed: { what: "the application's app role assignments", answer: assignments } };
  return { app: app.body, assignments: assignments.body.value, resources };
}

/** What `getter` uses of the Graph client's request (GraphRequest). */
interface GetRequest {
  header(name: string, value: string): GetRequest;
  get(): Promise<any>;
}

/** A `Get` over the Graph client: errors become answers (status and Graph's error body). */
export function getter(client: { api(path: string): GetRequest }): Get {
  return async (path, headers = {}) => {
    try {
      const request = Object.entries(headers).reduce((r, [name, value]) => r.header(name, value), client.api(path));
      return { status: 200, body: await request.get() };
    } catch (e) {
      const err = e as { statusCode?: number; code?: string; message?: string; body?: unknown };
      if (typeof err.statusCode !== 'number' || err.statusCode <= 0) throw e;
      return { status: err.statusCode, body: { error: { code: err.code, message: err.message } } };
    }
  };
}
