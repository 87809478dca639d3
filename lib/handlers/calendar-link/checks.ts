// The calendar link's decisions, pure: which Graph application permissions a validation needs, what a room's
// calendar permissions mean for the service account, and the report a failed validation gives.
import { CalendarLinkMethods } from '../../contract';

export interface LinkSpec {
  readonly tenant: string;
  readonly method: 'delegate' | 'application';
  readonly serviceAccount?: string;
  readonly applicationId?: string;
  readonly credentialsSecretArn: string;
  readonly grantMissingPermissions: boolean;
  readonly acceptedRoles: string[];
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

export function requiredPermissions(spec: Pick<LinkSpec, 'method' | 'grantMissingPermissions'>): RequiredPermission[] {
  const out: RequiredPermission[] = [
    { anyOf: ['Place.Read.All'], why: 'to check that each mailbox is a room' },
    { anyOf: ['User.Read.All', 'User.ReadBasic.All', 'Directory.Read.All'], why: 'to look up mailboxes and accounts' },
  ];
  if (spec.method === CalendarLinkMethods.DELEGATE) {
    out.push(spec.grantMissingPermissions
      ? { anyOf: ['Calendars.ReadWrite'], why: 'to grant the service account write access to room calendars (grantMissingPermissions)' }
      : { anyOf: ['Calendars.ReadBasic.All', 'Calendars.Read', 'Calendars.ReadWrite'], why: "to read room calendars' permissions" });
  } else {
    out.push({ anyOf: ['Application.Read.All', 'Directory.Read.All'], why: "to read the A4B enterprise app's consent" });
  }
  return out;
}

export function missingPermissions(tokenRoles: readonly string[], required: RequiredPermission[]): RequiredPermission[] {
  return required.filter((r) => !r.anyOf.some((p) => tokenRoles.includes(p)));
}

/** The `roles` claim of an app-only access token (a JWT); empty when the token is opaque. */
export function tokenRoles(accessToken: string): string[] {
  const payload = accessToken.split('.')[1];
  if (!payload) return [];
  try {
    const roles = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).roles;
    return Array.isArray(roles) ? roles.map(String) : [];
  } catch {
    return [];
  }
}

export interface CalendarPermission {
  readonly id: string;
  readonly role: string;
  readonly isRemovable?: boolean;
  readonly emailAddress?: { address?: string | null; name?: string | null };
}

/** Roles below Exchange's Editor that a grant may raise to `write` without taking anything away. */
const BELOW_WRITE = ['none', 'freeBusyRead', 'limitedRead', 'read'];

export type PermissionDecision =
  | { readonly kind: 'ok'; readonly role: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'below'; readonly role: string; readonly permissionId: string }
  | { readonly kind: 'unaccepted'; readonly role: string };

/** What the service account's entry on a room calendar means, compared case-insensitively by address. */
export function decidePermission(perms: readonly CalendarPermission[], serviceAccount: string, accepted: readonly string[]): PermissionDecision {
  const mine = perms.find((p) => p.emailAddress?.address?.toLowerCase() === serviceAccount.toLowerCase());
  if (!mine) return { kind: 'missing' };
  if (accepted.includes(mine.role)) return { kind: 'ok', role: mine.role };
  if (BELOW_WRITE.includes(mine.role) && mine.isRemovable !== false) return { kind: 'below', role: mine.role, permissionId: mine.id };
  return { kind: 'unaccepted', role: mine.role };
}

export interface RoomProblem {
  readonly room: LinkedRoom;
  readonly problem: string;
  readonly fix: string;
}

/** One message for every bad room, kept under `maxBytes` with a count of the rest. */
export function formatReport(header: string, problems: readonly RoomProblem[], maxBytes = 3000): string {
  let text = header;
  let shown = 0;
  for (const p of problems) {
    const line = `\n- room '${p.room.name}' (${p.room.mailbox}): ${p.problem}. Fix: ${p.fix}`;
    const rest = problems.length - shown - 1;
    const tail = rest > 0 ? `\n… and ${rest} more room${rest > 1 ? 's' : ''}` : '';
    if (Buffer.byteLength(text + line + tail) > maxBytes) break;
    text += line;
    shown++;
  }
  if (shown < problems.length) text += `\n… and ${problems.length - shown} more room${problems.length - shown > 1 ? 's' : ''}`;
  return text;
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

export function editorCommand(mailbox: string, serviceAccount: string): string {
  return `Add-MailboxFolderPermission ${mailbox}:\\Calendar -User ${serviceAccount} -AccessRights Editor`;
}
