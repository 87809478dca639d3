// What a room calendar's permissions mean for the service account: pure, shared by the link's check, `check` and drift.
//
// Sources:
// - calendarPermission.emailAddress.address is the sharee's SMTP address (resources/calendarpermission.md), which may
//   differ from its UPN (microsoft-graph-docs #3979): the account is matched by every address it has.
// - allowedRoles lists the roles a permission may take; a role may change "as long as the new permissions are supported
//   by those allowedRoles set up initially" (concepts/outlook-share-or-delegate-calendar.md).
// - Roles in order: none < freeBusyRead < limitedRead < read < write < delegateWithoutPrivateEventAccess <
//   delegateWithPrivateEventAccess (calendarRoleType, same page); `custom` is Exchange rights Graph has no name for
//   (Owner, PublishingEditor, ...), so it is never compared and never PATCHed.
// - A calendar shared with a mail-enabled security group shows under the group's address; Exchange grants the group's
//   rights to its members, nested ones included (transitiveMemberOf, api/user-list-transitivememberof.md). Graph's own
//   calendar.canEdit misses rights given through a security group (microsoft-graph-docs #3840), so the group grant is
//   read from calendarPermissions and matched against the account's groups here.
// - Whether Exchange's Editor (the right A4B's guide asks for) always shows as `write` is not documented; a tenant where
//   it shows as `custom` is served by acceptedRoles.

export interface CalendarPermission {
  readonly id: string;
  readonly role: string;
  readonly isRemovable?: boolean;
  readonly allowedRoles?: string[];
  readonly emailAddress?: { address?: string | null; name?: string | null };
}

export const ROLE_ORDER = ['none', 'freeBusyRead', 'limitedRead', 'read', 'write', 'delegateWithoutPrivateEventAccess', 'delegateWithPrivateEventAccess'];

export type PermissionDecision =
  | { readonly kind: 'ok'; readonly role: string; readonly via?: string }
  /** No entry for the account: a grant adds `write`. */
  | { readonly kind: 'missing' }
  /** Below write and may become write: a grant raises it. */
  | { readonly kind: 'below'; readonly role: string; readonly permissionId: string }
  /** Below write, but its allowedRoles do not include write (or it cannot be changed). */
  | { readonly kind: 'write-not-allowed'; readonly role: string; readonly allowedRoles: string[] }
  /** A role that is not accepted and that a grant must not touch (above write, custom, or write itself when only delegate roles are accepted). */
  | { readonly kind: 'unaccepted'; readonly role: string };

export interface AccountAddresses {
  /** Every address of the service account (UPN, mail, smtp proxy addresses), lower-cased. */
  readonly own: readonly string[];
  /** The addresses of the groups it belongs to (transitively), lower-cased; undefined when they could not be read. */
  readonly groups?: readonly string[];
}

export function rank(role: string): number {
  return ROLE_ORDER.indexOf(role);
}

/** The service account's standing on one calendar. */
export function decidePermission(perms: readonly CalendarPermission[], account: AccountAddresses, accepted: readonly string[]): PermissionDecision {
  // Stryker disable next-line StringLiteral: an entry without an address matches no address of the account, whatever text stands for none
  const addr = (p: CalendarPermission) => p.emailAddress?.address?.toLowerCase() ?? '';
  const mine = perms.find((p) => account.own.includes(addr(p)));
  if (mine && accepted.includes(mine.role)) return { kind: 'ok', role: mine.role };
  // Stryker disable next-line ArrayDeclaration: addresses are lower-cased, so no entry matches a group named with capitals
  const viaGroup = perms.find((p) => (account.groups ?? []).includes(addr(p)) && accepted.includes(p.role));
  if (viaGroup) return { kind: 'ok', role: viaGroup.role, via: viaGroup.emailAddress!.address! };
  if (!mine) return { kind: 'missing' };
  const r = rank(mine.role);
  if (r < 0 || r >= rank('write') || !accepted.includes('write')) return { kind: 'unaccepted', role: mine.role };
  const allowed = mine.allowedRoles;
  if (mine.isRemovable === false || (allowed && !allowed.includes('write'))) return { kind: 'write-not-allowed', role: mine.role, allowedRoles: allowed ?? [] };
  return { kind: 'below', role: mine.role, permissionId: mine.id };
}

export function editorCommand(mailbox: string, serviceAccount: string, verb: 'Add' | 'Set' = 'Add'): string {
  return `${verb}-MailboxFolderPermission ${mailbox}:\\Calendar -User ${serviceAccount} -AccessRights Editor`;
}

/**
 * The problem and fix of a decision that is not ok (and not granted); `groupsUnread` says groups were not counted,
 * and why when it is a string. Never suggests a command that would lower a
 * permission: a role above write or custom gets "add it to acceptedRoles" only.
 */
export function permissionProblem(d: PermissionDecision, mailbox: string, serviceAccount: string, accepted: readonly string[], grantMissing: boolean,
  groupsUnread: boolean | string = false): { problem: string; fix: string } | undefined {
  // Why groups were not counted: a missing permission (true), or what Graph answered (a string).
  const why = typeof groupsUnread === 'string' ? groupsUnread : 'the Graph app needs GroupMember.Read.All to read group addresses';
  const groupsNote = groupsUnread ? ` (permissions through groups were not counted: ${why})` : '';
  switch (d.kind) {
    // Stryker disable next-line StringLiteral: without this case, ok falls to the default, which returns undefined too
    case 'ok': return undefined;
    case 'missing':
      return { problem: `the service account ${serviceAccount} has no permission on the room's calendar${groupsNote}, and A4B needs Editor`, fix: `${editorCommand(mailbox, serviceAccount)}${grantMissing ? '' : ' (or set grantMissingPermissions)'}` };
    case 'below':
      return { problem: `the service account ${serviceAccount} has only '${d.role}' on the room's calendar${groupsNote}, and A4B needs Editor`, fix: `${editorCommand(mailbox, serviceAccount, 'Set')}${grantMissing ? '' : ' (or set grantMissingPermissions)'}` };
    case 'write-not-allowed':
      return {
        problem: `the service account ${serviceAccount} has '${d.role}' on the room's calendar, and this permission cannot be raised to write (allowedRoles: ${d.allowedRoles.join(', ') || 'none'})`,
        fix: `${editorCommand(mailbox, serviceAccount, 'Set')} in Exchange Online PowerShell`,
      };
    case 'unaccepted': {
      const what = d.role === 'custom'
        ? "'custom' (Exchange rights Graph has no name for, e.g. Owner or PublishingEditor; this library never changes them)"
        : rank(d.role) > rank('write') ? `'${d.role}', above write (this library never lowers a permission)` : `'${d.role}'`;
      return {
        problem: `the service account has role ${what} on the calendar, which is not an accepted role (${accepted.join(', ')})`,
        fix: d.role === 'custom'
          ? `check its rights with Get-MailboxFolderPermission ${mailbox}:\\Calendar -User ${serviceAccount}; if they include Editor's, add 'custom' to acceptedRoles`
          : `add '${d.role}' to acceptedRoles${rank(d.role) >= 0 && rank(d.role) < rank('write') ? `, or ${editorCommand(mailbox, serviceAccount, 'Set')}` : ''}`,
      };
    }
    // Stryker disable next-line ConditionalExpression: every kind has its case; an empty default returns undefined too
    default: return undefined;
  }
}
