import { CONSENT_RESOURCES } from '../o365/consent';
import { CalendarProcessing, calendarProcessingProblems, WorkingHours, workingHoursProblems } from './graph-calendar';

// The tenant model of the Graph emulator: what a tenant file may say, and the small pure rules that turn it into the
// objects Graph answers with (addresses, purposes, allowed roles, group nesting). Where Microsoft documents the
// behaviour, the source is cited; where it does not, the guess is named in GRAPH_GUESSES and nowhere else.

/** A user (an Entra ID account, usually with an Exchange mailbox). */
export interface TenantUser {
  /** Sign-in name (userPrincipalName). */
  readonly upn: string;
  readonly displayName?: string;
  /** Primary SMTP address. @default the upn when the user has a mailbox, none otherwise */
  readonly mail?: string;
  /** Other addresses, `smtp:alias@domain` (a bare address is taken as `smtp:`); `SMTP:` marks the primary one. */
  readonly proxyAddresses?: string[];
  /** Has an Exchange Online mailbox. @default true */
  readonly mailbox?: boolean;
  /** @default true */
  readonly accountEnabled?: boolean;
  /** The mailbox's `userPurpose`: user, shared, equipment, linked, others. @default user */
  readonly purpose?: string;
  /** Where its mailbox is: `active` in Exchange Online, or `inactive`, `softDeleted`, `onPremises` (see MAILBOX_STATES). @default active */
  readonly mailboxState?: string;
  /**
   * Its meeting requests come from outside the Exchange organization (a stand-in for a partner's mailbox): rooms with
   * ProcessExternalMeetingMessages $false decline them. @default false
   */
  readonly external?: boolean;
}

/** A room mailbox. */
export interface TenantRoom {
  /** Primary SMTP address. */
  readonly mailbox: string;
  /** @default the mailbox */
  readonly upn?: string;
  readonly displayName?: string;
  readonly proxyAddresses?: string[];
  /** Listed by /places (false: created less than ~48 h ago, or hidden from the address list). @default true */
  readonly inPlaces?: boolean;
  /** Its Entra account is enabled (Exchange Online documents room accounts as active; newer tenants may differ). @default true */
  readonly accountEnabled?: boolean;
  /** How it processes meeting requests (Set-CalendarProcessing). @default Exchange's: AutoAccept, deleting comments and subject */
  readonly calendarProcessing?: CalendarProcessing;
  /** Where its mailbox is (see MAILBOX_STATES). @default active */
  readonly mailboxState?: string;
  /**
   * Its working hours, as Graph's mailboxSettings.workingHours (daysOfWeek, startTime, endTime, timeZone: {name}, a
   * Windows or IANA zone). @default Monday to Friday, 08:00 to 17:00 UTC
   */
  readonly workingHours?: WorkingHours;
}

export type { CalendarProcessing } from './graph-calendar';

export interface TenantRoomList {
  readonly mailbox: string;
  readonly displayName?: string;
  /** Its rooms, by any of their addresses. */
  readonly rooms?: string[];
}

/** A mail-enabled security group. */
export interface TenantGroup {
  readonly mail: string;
  readonly displayName?: string;
  /** Users (by upn or any SMTP address) and groups (by mail); groups may nest. */
  readonly members?: string[];
}

export interface TenantPermission {
  /** The calendar's mailbox, by any of its addresses. */
  readonly mailbox: string;
  /** The sharee: a user (any address), a group (its mail), or an address outside the tenant. */
  readonly user: string;
  readonly role: string;
  /** @default what Graph lists for a user (or group) sharee, see allowedRolesFor */
  readonly allowedRoles?: string[];
}

export interface TenantApp {
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly certificatePem?: string;
  readonly displayName?: string;
  /** Graph application permissions granted tenant-wide: in the token's `roles`. */
  readonly roles?: string[];
  /** RBAC for Applications in Exchange Online: a role allowed on these mailboxes only, never in the token. */
  readonly scopedRoles?: Array<{ role: string; mailboxes: string[] }>;
  /** Application Access Policies (New-ApplicationAccessPolicy) restricting the app's tenant-wide grants; see ACCESS_POLICY_ROLES. */
  readonly accessPolicies?: TenantAccessPolicy[];
}

/**
 * An Application Access Policy: `RestrictAccess` lets the app reach only the mailboxes in the group, `DenyAccess` all
 * but those (New-ApplicationAccessPolicy -AccessRight, -PolicyScopeGroupId: a mail-enabled security group).
 */
export interface TenantAccessPolicy {
  readonly accessRight: string;
  /** The mail-enabled security group's address (one of the tenant file's groups). */
  readonly group: string;
  readonly description?: string;
}

/**
 * The Graph application permissions an Application Access Policy restricts ("Supported permissions and other
 * resources", concepts/auth-limit-mailbox-access.md). Calendars.ReadBasic.All is not among them (asked, unanswered:
 * microsoft-graph-docs-contrib#8464). A call it blocks
 * answers 403 ErrorAccessDenied "Access to OData is disabled." (same page, "Handling API errors"); "changes to
 * application access policies can take longer than 1 hour to take effect in Microsoft Graph REST API calls"
 * (same page): the tenant file's propagationDelaySeconds.
 */
export const ACCESS_POLICY_ROLES = ['Mail.Read', 'Mail.ReadBasic', 'Mail.ReadBasic.All', 'Mail.ReadWrite', 'Mail.Send', 'MailboxSettings.Read', 'MailboxSettings.ReadWrite',
  'Calendars.Read', 'Calendars.ReadWrite', 'Contacts.Read', 'Contacts.ReadWrite'];
export const ACCESS_RIGHTS = ['RestrictAccess', 'DenyAccess'];

export interface TenantConsent {
  readonly applicationId: string;
  readonly displayName?: string;
  readonly roles?: string[];
  /** Which resource's app roles: `graph` (Microsoft Graph) or `exchange` (Office 365 Exchange Online). @default graph */
  readonly resource?: string;
}

/** The tenant file: what `--tenant FILE` loads (YAML or JSON). */
export interface TenantFile {
  /** Tenant id (GUID) or primary domain. */
  readonly tenantId: string;
  /** Other names the tenant answers to (e.g. `contoso.onmicrosoft.com`). */
  readonly domains?: string[];
  /** App registrations and the Graph application permissions granted to them. */
  readonly apps?: TenantApp[];
  readonly users?: TenantUser[];
  /** Room mailboxes. */
  readonly rooms?: TenantRoom[];
  readonly roomLists?: TenantRoomList[];
  readonly groups?: TenantGroup[];
  readonly calendarPermissions?: TenantPermission[];
  /** Service principals (enterprise apps) holding app roles, e.g. A4B's after an admin consent. */
  readonly consents?: TenantConsent[];
  /** Access tokens that are not JWTs (Microsoft: access tokens are opaque to clients). @default false */
  readonly opaqueTokens?: boolean;
  /**
   * How long a change to an app's Application Access Policies or RBAC for Applications scopes, made after the tenant
   * is loaded, takes to reach Graph (measured on the emulator's clock). Microsoft: up to an hour or longer. @default 0
   */
  readonly propagationDelaySeconds?: number;
}

/** Office 365 Exchange Online's application id (the resource of EWS and Exchange app roles). */
export const EXCHANGE_APP_ID = CONSENT_RESOURCES.exchange.appId;

/**
 * The application permissions (app roles) of Office 365 Exchange Online that the checks meet: the calendar ones are
 * `Calendars.ReadWrite.All` and `Calendars.Read`, not Graph's `Calendars.ReadWrite` (consent.ts); `full_access_as_app`
 * is EWS's (concepts/auth-limit-mailbox-access.md, "Exchange Web Services permission scope"); `Exchange.ManageAsApp`
 * is app-only Exchange Online PowerShell's.
 */
export const EXCHANGE_APP_ROLES = ['Calendars.ReadWrite.All', 'Calendars.Read', 'full_access_as_app', 'Exchange.ManageAsApp'];

/** A consent naming a role its resource does not have: the name Microsoft uses there instead. */
export function consentRoleProblems(where: string, c: { resource?: string; roles?: string[] }): string[] {
  if ((c.resource ?? 'graph') !== 'exchange') return [];
  return (c.roles ?? []).filter((r) => !EXCHANGE_APP_ROLES.includes(r)).map((r) => `${where}.roles: Office 365 Exchange Online has no application permission '${r}'`
    + `${r === 'Calendars.ReadWrite' ? '; its calendar permission is Calendars.ReadWrite.All' : ''} (it has ${EXCHANGE_APP_ROLES.join(', ')})`);
}

export const CALENDAR_ROLES = ['none', 'freeBusyRead', 'limitedRead', 'read', 'write', 'delegateWithoutPrivateEventAccess', 'delegateWithPrivateEventAccess', 'custom'];

/**
 * Where a recipient's mailbox is. Graph reaches only an active Exchange Online mailbox; for an inactive one (kept by a
 * hold after its account was deleted), a soft-deleted one (within 30 days of deletion) or one hosted on-premises
 * (hybrid), every mailbox route answers 404 MailboxNotEnabledForRESTAPI "The mailbox is either inactive,
 * soft-deleted, or is hosted on-premise." (the error as Graph gives it: microsoft/MicrosoftCloud#41, 2023;
 * microsoftgraph/msgraph-sdk-javascript#1756, 2024; older answers said "REST API is not yet supported for this
 * mailbox.", microsoft-graph-docs-contrib#6519). The account itself stays in the directory here, as a tenant file
 * describes it.
 */
export const MAILBOX_STATES = ['active', 'inactive', 'softDeleted', 'onPremises'];

// mailboxSettings.userPurpose: "user, linked, shared, room, equipment, others, unknownFutureValue" (Graph v1.0,
// resources/mailboxsettings.md). `room` is what a room entry is; users may take the others.
export const USER_PURPOSES = ['user', 'linked', 'shared', 'equipment', 'others'];

/**
 * What Graph does not document, guessed in one place. Each says what was looked for and not found.
 */
export const GRAPH_GUESSES = {
  // A role may change "as long as the new permissions are supported by those allowedRoles set up initially"
  // (concepts/outlook-share-or-delegate-calendar.md); the answer to one that is not is not documented. Guess: 400
  // ErrorInvalidRequest, like the other refusals of a calendarPermission body.
  roleNotAllowed: (role: string, allowed: string[]) => ({
    status: 400, code: 'ErrorInvalidRequest', message: `The role '${role}' is not allowed for this sharee; allowed roles: ${allowed.join(', ')}.`,
  }),
  // Application access policies (RBAC for Applications' predecessor) answer 403 ErrorAccessDenied "Access to OData is
  // disabled." (concepts/auth-limit-mailbox-access.md, "Handling API errors"). RBAC for Applications
  // (learn.microsoft.com/exchange/permissions-exo/application-rbac) documents no error body: guess the same code with
  // Graph's generic access-denied message.
  outOfScope: { status: 403, code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' },
  // Exchange-backed routes (/users/{x}/calendar..., /users/{x}/mailboxSettings) are documented with {id |
  // userPrincipalName}; Exchange itself resolves a mailbox by any of its SMTP addresses. Guess: they do too.
  exchangeRoutesResolveSmtp: true,
  // Except the Outlook event and message routes: api/user-post-events.md, user-list-events.md and user-list-messages.md
  // take /users/{id | userPrincipalName}, and a UPN may differ from the mail address (maintainer, microsoft-graph-docs
  // #3979), so a client must resolve the address first. The emulator holds them to that; true resolves SMTP there too.
  outlookRoutesResolveSmtp: false,
  // Where a room's decline reason reaches Graph clients: not on the organizer's event (attendees[].status has only
  // response and time, resources/responsestatus.md) but in the reply, an eventMessageResponse in the organizer's
  // mailbox (Set-CalendarProcessing EnableResponseDetails: "in the response email message"). 'message' delivers that
  // reply (read with Mail.Read: GET /users/{id}/messages, api/user-list-messages.md); 'none' delivers nothing.
  declineReasonIn: 'message' as 'message' | 'none',
  // /places/{id} is documented "by either its ID or email address" (api/place-get.md); guess: the primary SMTP address only.
  placesResolveProxyAddresses: false,
  // An OData cast without ConsistencyLevel: eventual and $count=true: the code is documented (aad-advanced-queries.md,
  // "Error handling for advanced queries": 400 Request_UnsupportedQuery when "either the ConsistencyLevel header or the
  // $count=true query string is missing"); the message for a cast is not. Guess: worded like the documented endsWith one.
  castWithoutAdvancedQuery: {
    status: 400, code: 'Request_UnsupportedQuery',
    message: 'OData cast is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information',
  },
  // A second POST of a calendarPermission for a sharee that has one: api/calendar-post-calendarpermissions.md documents
  // no error, nor does any maintainer answer found. Guess: 409 ErrorItemAlreadyExists. The check does not rely on it:
  // after a failed grant it reads the calendar's permissions again (link-validation.ts, applyGrants).
  permissionExists: (address: string) => ({ status: 409, code: 'ErrorItemAlreadyExists', message: `A permission for ${address} already exists on this calendar.` }),
  // Whether an Application Access Policy's group counts nested members is not documented (New-ApplicationAccessPolicy
  // says "members of the group"). Guess: nested members count, as Exchange expands a security group for permissions.
  accessPolicyNestedMembers: true,
  // GET /users?$skip=N: "$skip isn't supported" (api/user-list.md); the error is not documented. Guess: 400 as the
  // directory answers an unsupported query option.
  skipOnUsers: { status: 400, code: 'Request_BadRequest', message: "'$skip' is not supported by the service." },
  // Delegates must be mailbox users (Exchange delegate access); guess: a group sharee is offered the sharing roles only.
  groupAllowedRoles: ['freeBusyRead', 'limitedRead', 'read', 'write'],
};

/**
 * The roles a sharee may be given, as Graph lists them in `allowedRoles`. From the example in "Share or delegate a
 * calendar in Outlook" (microsoft-graph-docs, concepts/outlook-share-or-delegate-calendar.md): a user inside the
 * organization may be a delegate ([freeBusyRead ... delegateWithPrivateEventAccess]), "My Organization" takes
 * [none, freeBusyRead, limitedRead, read, write]. `custom` (Exchange rights Graph has no name for) is never offered.
 */
export function allowedRolesFor(sharee: 'user' | 'group' | 'organization' | 'external'): string[] {
  switch (sharee) {
    case 'organization': return ['none', 'freeBusyRead', 'limitedRead', 'read', 'write'];
    case 'group': return GRAPH_GUESSES.groupAllowedRoles;
    // An address outside the organization: the owner "can give write access to the calendar to users in the same
    // organization" only (concepts/outlook-share-or-delegate-calendar.md), and delegates are mailbox users: read at most.
    case 'external': return ['freeBusyRead', 'limitedRead', 'read'];
    default: return ['freeBusyRead', 'limitedRead', 'read', 'write', 'delegateWithoutPrivateEventAccess', 'delegateWithPrivateEventAccess'];
  }
}

/**
 * A recipient's addresses as Graph shows them: `mail` is "the SMTP address for the user" and changing it puts it into
 * proxyAddresses "as an SMTP address"; proxyAddresses reads `["SMTP: bob@contoso.com", "smtp: bob@sales.contoso.com"]`
 * (resources/user.md), the uppercase prefix marking the primary address as Exchange does.
 */
export function recipientAddresses(
  where: string, primary: string | undefined, proxies: string[] | undefined,
): { mail?: string; proxyAddresses: string[] } {
  const aliases: string[] = [];
  let marked: string | undefined;
  for (const p of proxies ?? []) {
    const m = /^(smtp):(.+)$/i.exec(p);
    if (!m && p.includes(':')) throw new Error(`tenant file: ${where}: proxy address '${p}' is not an SMTP address; write it as smtp:alias@domain`);
    const address = m ? m[2] : p;
    if (m && m[1] === 'SMTP') {
      if (marked) throw new Error(`tenant file: ${where}: two primary addresses (SMTP:${marked}, SMTP:${address}); mark one SMTP: and the others smtp:`);
      marked = address;
    } else {
      aliases.push(address);
    }
  }
  if (marked && primary && marked.toLowerCase() !== primary.toLowerCase()) {
    throw new Error(`tenant file: ${where}: the primary proxy address SMTP:${marked} is not its mail ${primary}; make them the same or drop the SMTP: entry`);
  }
  const mail = primary ?? marked;
  const rest = aliases.filter((a) => a.toLowerCase() !== mail?.toLowerCase());
  return { mail, proxyAddresses: [...(mail ? [`SMTP:${mail}`] : []), ...rest.map((a) => `smtp:${a}`)] };
}

/** Every address a recipient answers to, lowercased: its UPN (when given), mail and smtp proxy addresses. */
export function addressesOf(o: { upn?: string; mail?: string | null; proxyAddresses?: string[] }): string[] {
  const all = [o.upn, o.mail ?? undefined, ...(o.proxyAddresses ?? []).map((p) => p.replace(/^smtp:/i, ''))];
  return [...new Set(all.filter((a): a is string => !!a).map((a) => a.toLowerCase()))];
}

/** One term of a `$filter` on /users: `mail eq`, `userPrincipalName eq`, or `proxyAddresses/any(x:x eq 'smtp:...')`. */
export interface UserFilterTerm {
  readonly property: 'mail' | 'userPrincipalName' | 'proxyAddresses';
  readonly value: string;
}

/**
 * The `$filter` subset clients use to find a user by address (resources/user.md: mail and userPrincipalName support
 * `eq`, and so do proxyAddresses' members, written `proxyAddresses/any(x:x eq ...)` as for any collection), terms
 * joined by `or`. Anything else is refused the way Graph refuses a filter it does not support (400
 * Request_UnsupportedQuery), even filters Graph would take: a client cannot rely on what the emulator does not model.
 */
export function parseUserFilter(filter: string): UserFilterTerm[] {
  return filter.split(/\s+or\s+/i).map((term) => {
    const t = term.trim().replace(/^\((.*)\)$/, '$1').trim();
    let m = /^(mail|userPrincipalName)\s+eq\s+'((?:[^']|'')*)'$/i.exec(t);
    if (m) return { property: m[1].toLowerCase() === 'mail' ? 'mail' : 'userPrincipalName', value: m[2].replace(/''/g, "'") } as UserFilterTerm;
    m = /^proxyAddresses\/any\((\w+):\s*\1\s+eq\s+'((?:[^']|'')*)'\)$/i.exec(t);
    if (m) return { property: 'proxyAddresses', value: m[2].replace(/''/g, "'") } as UserFilterTerm;
    throw new Error(`Unsupported or invalid query filter clause specified for property '${t.split(/[\s/]/)[0]}' of resource 'User'.`);
  });
}

export function matchesUserFilter(o: { upn: string; mail?: string | null; proxyAddresses?: string[] }, terms: UserFilterTerm[]): boolean {
  return terms.some((t) => {
    const v = t.value.toLowerCase();
    if (t.property === 'mail') return (o.mail ?? '').toLowerCase() === v;
    if (t.property === 'userPrincipalName') return o.upn.toLowerCase() === v;
    return (o.proxyAddresses ?? []).some((p) => p.toLowerCase() === v);
  });
}

/**
 * The groups a member belongs to directly or through nested groups (transitiveMemberOf: "also returns all groups the
 * user is a nested member of", api/user-list-transitivememberof.md). `memberOf(address)` gives the groups listing an
 * address; a cycle is walked once.
 */
export function transitiveGroups<G extends { mail: string }>(addresses: string[], memberOf: (address: string) => G[]): G[] {
  const seen = new Map<string, G>();
  const queue = [...addresses];
  while (queue.length) {
    for (const g of memberOf(queue.shift()!)) {
      const key = g.mail.toLowerCase();
      if (seen.has(key)) continue;
      seen.set(key, g);
      queue.push(key);
    }
  }
  return [...seen.values()];
}

/** The keys of a tenant file, and of each entry of its lists. */
export const TENANT_KEYS: Record<string, string[]> = {
  tenantId: [], domains: [], opaqueTokens: [], propagationDelaySeconds: [],
  apps: ['clientId', 'clientSecret', 'certificatePem', 'displayName', 'roles', 'scopedRoles', 'accessPolicies'],
  users: ['upn', 'displayName', 'mail', 'proxyAddresses', 'mailbox', 'accountEnabled', 'purpose', 'mailboxState', 'external'],
  rooms: ['mailbox', 'upn', 'displayName', 'proxyAddresses', 'inPlaces', 'accountEnabled', 'calendarProcessing', 'mailboxState', 'workingHours'],
  roomLists: ['mailbox', 'displayName', 'rooms'],
  groups: ['mail', 'displayName', 'members'],
  calendarPermissions: ['mailbox', 'user', 'role', 'allowedRoles'],
  consents: ['applicationId', 'displayName', 'roles', 'resource'],
};

/**
 * Every problem of a tenant file, each naming the entry, the field and the fix; empty when it loads. Run before
 * anything is written, so a bad file leaves the state as it was.
 */
export function tenantProblems(t: TenantFile): string[] {
  const problems: string[] = [];
  const check = (ok: unknown, problem: string) => {
    if (!ok) problems.push(problem);
  };
  const isAddress = (a: unknown) => typeof a === 'string' && /^[^@\s]+@[^@\s]+$/.test(a);
  check(typeof t?.tenantId === 'string' && t.tenantId.length > 0, 'tenantId: required, the directory GUID or primary domain');
  // A misspelt key would silently take its default (inPlace: false keeps a room in places): name it instead.
  const keys = (where: string, o: unknown, known: string[]) => {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return problems.push(`${where}: must be a mapping`);
    for (const k of Object.keys(o)) check(known.includes(k), `${where}.${k}: unknown key; the keys are ${known.join(', ')}`);
    return undefined;
  };
  const lists = (where: string, o: any, names: string[]) => {
    for (const n of names) check(o?.[n] === undefined || Array.isArray(o[n]), `${where}.${n}: must be a list`);
  };
  keys('tenant file', t, Object.keys(TENANT_KEYS));
  lists('tenant file', t, ['domains', 'apps', 'users', 'rooms', 'roomLists', 'groups', 'calendarPermissions', 'consents']);
  for (const [name, known] of Object.entries(TENANT_KEYS)) {
    const entries = (t as any)?.[name];
    if (!known.length || !Array.isArray(entries)) continue;
    entries.forEach((e: any, i: number) => {
      const where = `${name}[${i}]`;
      keys(where, e, known);
      lists(where, e, ['proxyAddresses', 'rooms', 'members', 'roles', 'scopedRoles', 'allowedRoles', 'mailboxes', 'accessPolicies']);
    });
  }
  if (problems.length) return problems;
  const owners = new Map<string, string>();
  const kinds = new Map<string, 'user' | 'room' | 'group'>();
  const claim = (where: string, kind: 'user' | 'room' | 'group', addresses: string[]) => {
    for (const a of addresses) {
      const other = owners.get(a);
      if (other) problems.push(`${where}: address ${a} is already ${other}'s; give each recipient its own addresses`);
      else {
        owners.set(a, where);
        kinds.set(a, kind);
      }
    }
  };
  const addresses = (where: string, primary: string | undefined, proxies: string[] | undefined): string[] => {
    try {
      const r = recipientAddresses(where, primary, proxies);
      return addressesOf(r);
    } catch (e) {
      problems.push((e as Error).message.replace(/^tenant file: /, ''));
      return [];
    }
  };
  (t?.users ?? []).forEach((u, i) => {
    const where = `users[${i}] (${u?.upn})`;
    if (!isAddress(u?.upn)) return problems.push(`users[${i}].upn: must be a sign-in name like name@domain`);
    check(u.mail === undefined || isAddress(u.mail), `${where}.mail: ${u.mail} is not an SMTP address`);
    check(u.purpose === undefined || USER_PURPOSES.includes(u.purpose), `${where}.purpose: '${u.purpose}' must be one of ${USER_PURPOSES.join(', ')} (rooms go under rooms:)`);
    check(u.mailboxState === undefined || MAILBOX_STATES.includes(u.mailboxState), `${where}.mailboxState: '${u.mailboxState}' must be one of ${MAILBOX_STATES.join(', ')}`);
    check(u.mailboxState === undefined || u.mailbox !== false, `${where}.mailboxState: a user without a mailbox (mailbox: false) has no mailbox state; drop one of them`);
    claim(where, 'user', [...new Set([u.upn.toLowerCase(), ...addresses(where, u.mail ?? ((u.mailbox ?? true) ? u.upn : undefined), u.proxyAddresses)])]);
    return undefined;
  });
  (t?.rooms ?? []).forEach((r, i) => {
    const where = `rooms[${i}] (${r?.mailbox})`;
    if (!isAddress(r?.mailbox)) return problems.push(`rooms[${i}].mailbox: must be the room's SMTP address`);
    check(r.upn === undefined || isAddress(r.upn), `${where}.upn: ${r.upn} is not a sign-in name like name@domain`);
    problems.push(...calendarProcessingProblems(where, r.calendarProcessing));
    check(r.mailboxState === undefined || MAILBOX_STATES.includes(r.mailboxState), `${where}.mailboxState: '${r.mailboxState}' must be one of ${MAILBOX_STATES.join(', ')}`);
    problems.push(...workingHoursProblems(where, r.workingHours));
    claim(where, 'room', [...new Set([(r.upn ?? r.mailbox).toLowerCase(), ...addresses(where, r.mailbox, r.proxyAddresses)])]);
    return undefined;
  });
  (t?.groups ?? []).forEach((g, i) => {
    if (!isAddress(g?.mail)) return problems.push(`groups[${i}].mail: must be the group's SMTP address (a mail-enabled security group)`);
    claim(`groups[${i}] (${g.mail})`, 'group', [g.mail.toLowerCase()]);
    return undefined;
  });
  (t?.roomLists ?? []).forEach((l, i) => {
    if (!isAddress(l?.mailbox)) return problems.push(`roomLists[${i}].mailbox: must be the room list's SMTP address`);
    const where = `roomLists[${i}] (${l.mailbox})`;
    if (owners.has(l.mailbox.toLowerCase())) problems.push(`${where}: address ${l.mailbox} is already ${owners.get(l.mailbox.toLowerCase())}'s; give each recipient its own addresses`);
    for (const r of l.rooms ?? []) check(kinds.get(String(r).toLowerCase()) === 'room', `${where}.rooms: ${r} is not a room of the tenant; add it under rooms:, or remove it from the list`);
    return undefined;
  });
  (t?.groups ?? []).forEach((g, i) => {
    for (const m of g?.members ?? []) check(kinds.has(String(m).toLowerCase()), `groups[${i}] (${g.mail}).members: ${m} is not a user, room or group of the tenant; add it, or remove it from members`);
  });
  const mailbox = (a: unknown) => kinds.get(String(a).toLowerCase()) === 'user' || kinds.get(String(a).toLowerCase()) === 'room';
  check(t?.propagationDelaySeconds === undefined || (typeof t.propagationDelaySeconds === 'number' && t.propagationDelaySeconds >= 0),
    `propagationDelaySeconds: ${t?.propagationDelaySeconds} must be a number of seconds, 0 or more (Microsoft: changes take up to an hour or longer)`);
  (t?.apps ?? []).forEach((app, i) => {
    for (const p of app?.accessPolicies ?? []) {
      const where = `apps[${i}] (${app.clientId}).accessPolicies`;
      check(ACCESS_RIGHTS.includes(p?.accessRight), `${where}: accessRight '${p?.accessRight}' must be ${ACCESS_RIGHTS.join(' or ')} (New-ApplicationAccessPolicy -AccessRight)`);
      check(kinds.get(String(p?.group).toLowerCase()) === 'group', `${where}: group ${p?.group} is not a group of the tenant; a policy is scoped to a mail-enabled security group (add it under groups:)`);
    }
    for (const s of app?.scopedRoles ?? []) {
      check(typeof s?.role === 'string', `apps[${i}] (${app.clientId}).scopedRoles: each entry needs a role (e.g. Calendars.ReadWrite)`);
      check(Array.isArray(s?.mailboxes), `apps[${i}] (${app.clientId}).scopedRoles ${s?.role}: mailboxes must be a list of the mailboxes the role is scoped to`);
      for (const m of Array.isArray(s?.mailboxes) ? s.mailboxes : []) check(mailbox(m), `apps[${i}] (${app.clientId}).scopedRoles ${s.role}: ${m} is not a user or room mailbox of the tenant`);
    }
  });
  (t?.consents ?? []).forEach((c, i) => {
    check(c?.resource === undefined || c.resource === 'graph' || c.resource === 'exchange', `consents[${i}] (${c?.applicationId}).resource: '${c?.resource}' must be graph (Microsoft Graph) or exchange (Office 365 Exchange Online)`);
    problems.push(...consentRoleProblems(`consents[${i}] (${c?.applicationId})`, c ?? {}));
  });
  (t?.calendarPermissions ?? []).forEach((p, i) => {
    const where = `calendarPermissions[${i}] (${p?.mailbox}, ${p?.user})`;
    check(CALENDAR_ROLES.includes(p?.role), `${where}.role: '${p?.role}' must be one of ${CALENDAR_ROLES.join(', ')}`);
    const bad = (p?.allowedRoles ?? []).filter((r) => !CALENDAR_ROLES.includes(r));
    check(!bad.length, `${where}.allowedRoles: ${bad.join(', ')} must be among ${CALENDAR_ROLES.join(', ')}`);
    check(mailbox(p?.mailbox), `${where}.mailbox: ${p?.mailbox} is not a user or room mailbox of the tenant`);
  });
  return problems;
}
