// The calendar link's decisions, pure: which Graph application permissions a validation needs, what a room's
// calendar permissions mean for the service account, and the report a failed validation gives.
import { CalendarLinkMethods } from '../contract';

export interface LinkSpec {
  readonly tenant: string;
  readonly method: 'delegate' | 'application';
  readonly serviceAccount?: string;
  readonly applicationId?: string;
  readonly credentialsSecretArn: string;
  readonly grantMissingPermissions: boolean;
  readonly acceptedRoles: string[];
  /** Application method: the resources whose Calendars.ReadWrite app role counts as A4B's consent (`graph`, `exchange`). */
  readonly consentResources?: string[];
  readonly rooms: LinkedRoom[];
}

export interface LinkedRoom {
  readonly name: string;
  readonly mailbox: string;
}

/** Each entry is satisfied by any one of its permissions. */
export interface RequiredPermission {
  readonly anyOf: string[];
  readonly why: string;
}

/** The Graph reads of a check, each with the application permissions that allow it (any one of them). */
export const READ_PERMISSIONS = {
  // Not User.ReadBasic.All: it reads no accountEnabled and no proxyAddresses (api/user-list.md lists User.Read.All and
  // higher for applications; the basic profile is displayName, givenName, mail, photo, surname, userPrincipalName).
  lookup: { anyOf: ['User.Read.All', 'Directory.Read.All'], why: 'to look up mailboxes and accounts by address (User.ReadBasic.All reads no accountEnabled or proxyAddresses)' },
  settings: { anyOf: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'], why: 'to check that each mailbox is a room (mailboxSettings.userPurpose) and that the service account has a mailbox' },
  places: { anyOf: ['Place.Read.All'], why: 'to recognize room lists' },
  groups: { anyOf: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All'], why: 'to count calendar permissions granted to groups the service account is in' },
  permissionsRead: { anyOf: ['Calendars.ReadBasic.All', 'Calendars.Read', 'Calendars.ReadWrite'], why: "to read room calendars' permissions" },
  permissionsWrite: { anyOf: ['Calendars.ReadWrite'], why: 'to grant the service account write access to room calendars (grantMissingPermissions)' },
  consent: { anyOf: ['Application.Read.All', 'Directory.Read.All'], why: "to read the A4B enterprise app's consent" },
} satisfies Record<string, RequiredPermission>;

/**
 * The Graph application permissions a check uses. Granted tenant-wide they show in the token's `roles`; granted
 * through RBAC for Applications in Exchange Online (mailbox-scoped) they never do, so a check decides from Graph's
 * answers and uses this list only to word a 403.
 */
export function requiredPermissions(spec: Pick<LinkSpec, 'method' | 'grantMissingPermissions'>): RequiredPermission[] {
  const out: RequiredPermission[] = [READ_PERMISSIONS.lookup, READ_PERMISSIONS.settings, READ_PERMISSIONS.places];
  if (spec.method === CalendarLinkMethods.DELEGATE) {
    out.push(READ_PERMISSIONS.groups, spec.grantMissingPermissions ? READ_PERMISSIONS.permissionsWrite : READ_PERMISSIONS.permissionsRead);
  } else {
    out.push(READ_PERMISSIONS.consent);
  }
  return out;
}

export function missingPermissions(tokenRoles: readonly string[], required: RequiredPermission[]): RequiredPermission[] {
  return required.filter((r) => !r.anyOf.some((p) => tokenRoles.includes(p)));
}

/**
 * The `roles` claim of an app-only access token when it is a readable JWT; undefined when it is opaque ("access
 * tokens are opaque to clients", Microsoft identity platform docs). A hint only: mailbox-scoped grants never show.
 */
export function tokenRoles(accessToken: string): string[] | undefined {
  const payload = accessToken.split('.')[1];
  // Stryker disable next-line ConditionalExpression: without it Buffer.from(undefined) and JSON.parse('') throw, and the catch gives the same undefined
  if (!payload) return undefined;
  // Stryker disable BlockStatement: an empty catch returns undefined too (a directive can only reach the catch's block from here)
  try {
    const roles = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).roles;
    return Array.isArray(roles) ? roles.map(String) : [];
  } catch {
    return undefined;
  }
}

// Stryker restore BlockStatement
export { decidePermission, editorCommand } from './permissions';
export type { CalendarPermission, PermissionDecision } from './permissions';

/** What kind of problem a room has: the kinds drift reports, plus `unknown` for a read that failed. */
export type RoomProblemKind = 'mailbox-missing' | 'not-a-room' | 'permission' | 'unknown';

export interface RoomProblem {
  readonly room: LinkedRoom;
  readonly problem: string;
  readonly fix: string;
  /** @default unknown */
  readonly kind?: RoomProblemKind;
}

/**
 * One message for every bad room, kept under `maxBytes` with a count of the rest. A header that leaves no room for
 * the count is shortened (ending in `…`): the message always fits where it goes (a CloudFormation reason, an error).
 */
export function formatReport(header: string, problems: readonly RoomProblem[], maxBytes = 3000): string {
  const more = (n: number) => (n > 0 ? `\n… and ${n} more room${n > 1 ? 's' : ''}` : '');
  let text = header;
  let shown = 0;
  for (const p of problems) {
    const line = `\n- room '${p.room.name}' (${p.room.mailbox}): ${p.problem}. Fix: ${p.fix}`;
    if (Buffer.byteLength(text + line + more(problems.length - shown - 1)) > maxBytes) break;
    text += line;
    shown++;
  }
  const tail = more(problems.length - shown);
  if (Buffer.byteLength(text + tail) <= maxBytes) return text + tail;
  // Only when no room is shown: the header (with the count) alone is over the budget.
  return truncateBytes(header, maxBytes - Buffer.byteLength(tail)) + truncateBytes(tail, maxBytes);
}

/** The text cut to at most `maxBytes` of UTF-8, at a character, ending in `…` (3 bytes) when cut. */
function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  if (maxBytes < 3) return '';
  let out = '';
  let size = 3;
  for (const c of text) {
    size += Buffer.byteLength(c);
    if (size > maxBytes) break;
    out += c;
  }
  return `${out}…`;
}

/** The rooms an update must check: all of them when the link itself changed, else the new or re-addressed ones. */
export function roomsToValidate(before: LinkSpec | undefined, after: LinkSpec): LinkedRoom[] {
  if (!before) return after.rooms;
  const { rooms: _b, ...linkBefore } = before;
  const { rooms: _a, ...linkAfter } = after;
  if (JSON.stringify(linkBefore) !== JSON.stringify(linkAfter)) return after.rooms;
  const known = new Set(before.rooms.map((r) => r.mailbox.toLowerCase()));
  return after.rooms.filter((r) => !known.has(r.mailbox.toLowerCase()));
}
