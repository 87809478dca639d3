// The pure decisions of the Office 365 checks, as tables: each row one way a real tenant answers.
import { consentNames, decideConsent, ResourcePrincipal } from '../../lib/o365/consent';
import { addressesOfEntry, addressFilter, classifyMailbox, mailboxProblem, MailboxAnswers, nextReads } from '../../lib/o365/mailbox';
import { CalendarPermission, decidePermission, PermissionDecision, permissionProblem } from '../../lib/o365/permissions';

const entry = { id: 'u1', userPrincipalName: 'douro.room@fabrikam.onmicrosoft.com', mail: 'douro@fabrikam.com', proxyAddresses: ['SMTP:douro@fabrikam.com', 'smtp:d@fabrikam.com', 'x500:/o=x'] };
const found = { status: 200, body: { value: [entry] } };
const none = { status: 200, body: { value: [] } };
const settings = (userPurpose: string) => ({ status: 200, body: { userPurpose } });

describe('mailbox classifier', () => {
  test.each<[string, MailboxAnswers, string, string?]>([
    ['a room by its userPurpose, whatever places says', { lookup: found, settings: settings('room') }, 'room', undefined],
    ['userPurpose is compared ignoring case', { lookup: found, settings: settings('Room') }, 'room', undefined],
    ['a user mailbox', { lookup: found, settings: settings('user') }, 'not-a-room', 'user'],
    ['a shared mailbox', { lookup: found, settings: settings('shared') }, 'not-a-room', 'shared'],
    ['equipment is not a room', { lookup: found, settings: settings('equipment') }, 'not-a-room', 'equipment'],
    ['an account without a mailbox (404 MailboxNotEnabledForRESTAPI)', { lookup: found, settings: { status: 404, body: { error: { code: 'MailboxNotEnabledForRESTAPI' } } } }, 'not-a-room', 'no mailbox'],
    ['another 404 on the settings is not a verdict', { lookup: found, settings: { status: 404, body: { error: { code: 'ErrorItemNotFound' } } } }, 'unknown', undefined],
    ['settings without userPurpose are not a verdict', { lookup: found, settings: { status: 200, body: {} } }, 'unknown', undefined],
    ['a 403 on the settings is not a verdict', { lookup: found, settings: { status: 403, body: { error: { code: 'ErrorAccessDenied' } } } }, 'unknown', undefined],
    ['no user and places 404: missing', { lookup: none, place: { status: 404 } }, 'missing', undefined],
    ['no user and a room list in places', { lookup: none, place: { status: 200, body: { '@odata.type': '#microsoft.graph.roomList', displayName: 'Lisbon' } }, roomListRooms: { status: 200, body: { value: [{ emailAddress: 'douro@fabrikam.com' }] } } }, 'room-list', undefined],
    ['no user but places lists a room: not documented, not a verdict', { lookup: none, place: { status: 200, body: { '@odata.type': '#microsoft.graph.room' } } }, 'unknown', undefined],
    ['a failed lookup is not a verdict', { lookup: { status: 503 } }, 'unknown', undefined],
  ])('%s', (_, answers, kind, purpose) => {
    const c = classifyMailbox(answers);
    expect(c.kind).toBe(kind);
    if (purpose) expect((c as { purpose: string }).purpose).toBe(purpose);
  });

  test.each<[string, MailboxAnswers, string[]]>([
    ['nothing read yet but the lookup: the settings of the user found', { lookup: found }, ['settings']],
    ['no user: places', { lookup: none }, ['place']],
    ['a room list: its rooms', { lookup: none, place: { status: 200, body: { '@odata.type': '#microsoft.graph.roomList' } } }, ['roomListRooms']],
    ['a failed lookup: nothing more', { lookup: { status: 429 } }, []],
    ['all read', { lookup: found, settings: settings('room') }, []],
  ])('next reads: %s', (_, answers, reads) => {
    expect(nextReads(answers)).toEqual(reads);
  });

  test('a room list names its rooms; a user mailbox names the conversion; neither for a room', () => {
    expect(mailboxProblem({ kind: 'room-list', displayName: 'Lisbon', rooms: ['a@x', 'b@x'] }, 'l@x', 't')!.problem).toBe('this is a room list (Lisbon), not a room; it holds a@x, b@x');
    expect(mailboxProblem({ kind: 'not-a-room', entry, purpose: 'user' }, 'u@x', 't')!.fix).toContain('Set-Mailbox u@x -Type Room');
    expect(mailboxProblem({ kind: 'room', entry }, 'r@x', 't')).toBeUndefined();
  });

  test("an unreachable mailbox quotes Graph, names every case Graph's answer covers and how to tell them apart", () => {
    const message = 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.';
    const c = classifyMailbox({ lookup: found, settings: { status: 404, body: { error: { code: 'MailboxNotEnabledForRESTAPI', message } } } });
    expect(c).toEqual({ kind: 'not-a-room', entry, purpose: 'no mailbox', graphMessage: message });
    const p = mailboxProblem(c, 'r@x', 't')!;
    expect(p.problem).toBe(`this account has no room mailbox Graph can reach: Graph answers 404 MailboxNotEnabledForRESTAPI ("${message}"): its mailbox (douro@fabrikam.com) is inactive, soft-deleted or hosted on-premises, or has no Exchange Online license`);
    for (const step of ['Get-Mailbox r@x', '-SoftDeletedMailbox', 'Undo-SoftDeletedMailbox', '-InactiveMailboxOnly', 'New-MailboxRestoreRequest', 'Get-RemoteMailbox', 'New-MoveRequest -Remote', 'New-Mailbox -Room']) expect(p.fix).toContain(step);
  });

  test('an unreachable mailbox of an account with no mail address never had one: only the way to create it', () => {
    const bare = { ...entry, mail: null };
    const p = mailboxProblem({ kind: 'not-a-room', entry: bare, purpose: 'no mailbox' }, 'r@x', 't')!;
    expect(p).toEqual({
      problem: 'this account has no room mailbox Graph can reach: Graph answers 404 MailboxNotEnabledForRESTAPI, and the account has no mail address: it has no Exchange Online mailbox at all',
      fix: 'create the room mailbox (New-Mailbox -Room), or correct the address',
    });
  });

  test('addresses: UPN, mail and smtp proxies only, lower-cased; the filter quotes', () => {
    expect(addressesOfEntry(entry)).toEqual(['douro.room@fabrikam.onmicrosoft.com', 'douro@fabrikam.com', 'd@fabrikam.com']);
    expect(addressFilter("o'neil@x.com")).toBe("mail eq 'o''neil@x.com' or userPrincipalName eq 'o''neil@x.com' or proxyAddresses/any(x:x eq 'smtp:o''neil@x.com')");
  });
});

describe('permission rules', () => {
  const account = { own: ['svc@contoso.onmicrosoft.com', 'a4b-svc@contoso.com'], groups: ['av-team@contoso.com'] };
  const perm = (address: string, role: string, extra: Partial<CalendarPermission> = {}): CalendarPermission => ({ id: `id-${address}-${role}`, role, emailAddress: { address }, isRemovable: true, ...extra });
  const ACCEPTED = ['write', 'delegateWithoutPrivateEventAccess', 'delegateWithPrivateEventAccess'];
  test.each<[string, CalendarPermission[], string[], string, string?]>([
    ['write under the SMTP address (not the UPN)', [perm('A4B-SVC@contoso.com', 'write')], ACCEPTED, 'ok', undefined],
    ['write through a group', [perm('av-team@contoso.com', 'write')], ACCEPTED, 'ok', undefined],
    ['read directly, write through a group: ok', [perm('a4b-svc@contoso.com', 'read'), perm('av-team@contoso.com', 'write')], ACCEPTED, 'ok', undefined],
    ['a group the account is not in', [perm('others@contoso.com', 'write')], ACCEPTED, 'missing', undefined],
    ['only My Organization', [perm('', 'freeBusyRead', { isRemovable: false })], ACCEPTED, 'missing', undefined],
    ['read, write allowed: raise', [perm('a4b-svc@contoso.com', 'read', { allowedRoles: ['read', 'write'] })], ACCEPTED, 'below', 'read'],
    // `none` is the lowest role, not an unknown one: it is raised like any role below write.
    ['none, write allowed: raise', [perm('a4b-svc@contoso.com', 'none')], ACCEPTED, 'below', 'none'],
    ['read, write not allowed', [perm('a4b-svc@contoso.com', 'read', { allowedRoles: ['freeBusyRead', 'read'] })], ACCEPTED, 'write-not-allowed', 'read'],
    ['read, not removable', [perm('a4b-svc@contoso.com', 'read', { isRemovable: false })], ACCEPTED, 'write-not-allowed', 'read'],
    ['delegate above write, not accepted: never lowered', [perm('a4b-svc@contoso.com', 'delegateWithPrivateEventAccess')], ['write'], 'unaccepted', 'delegateWithPrivateEventAccess'],
    ['custom: never touched', [perm('a4b-svc@contoso.com', 'custom')], ACCEPTED, 'unaccepted', 'custom'],
    ['custom accepted', [perm('a4b-svc@contoso.com', 'custom')], [...ACCEPTED, 'custom'], 'ok', undefined],
    ['read when only delegate roles are accepted: raising to write would not help', [perm('a4b-svc@contoso.com', 'read')], ['delegateWithPrivateEventAccess'], 'unaccepted', 'read'],
  ])('%s', (_, perms, accepted, kind, role) => {
    const d = decidePermission(perms, account, accepted);
    expect(d.kind).toBe(kind);
    if (role) expect((d as { role: string }).role).toBe(role);
  });

  test.each([
    ['delegateWithPrivateEventAccess', ['write']],
    ['custom', ['write']],
  ])('the fix for %s never suggests a command that would lower it', (role, accepted) => {
    const d = decidePermission([perm('svc@contoso.onmicrosoft.com', role)], account, accepted);
    const p = permissionProblem(d, 'r@x', 'svc@contoso.onmicrosoft.com', accepted, true)!;
    expect(`${p.problem} ${p.fix}`).not.toMatch(/Set-MailboxFolderPermission|-AccessRights/);
  });

  test.each<[string, CalendarPermission[], string[], string, string?]>([
    ['freeBusyRead, limitedRead: raised', [perm('a4b-svc@contoso.com', 'freeBusyRead'), perm('a4b-svc@contoso.com', 'limitedRead')], ACCEPTED, 'below', 'freeBusyRead'],
    ['write when only delegate roles are accepted: never touched', [perm('a4b-svc@contoso.com', 'write')], ['delegateWithPrivateEventAccess'], 'unaccepted', 'write'],
    ['a role Graph does not list: never touched', [perm('a4b-svc@contoso.com', 'owner')], ACCEPTED, 'unaccepted', 'owner'],
    ['read, allowedRoles not given: raise', [perm('a4b-svc@contoso.com', 'read', { allowedRoles: undefined })], ACCEPTED, 'below', 'read'],
    ['read, allowedRoles empty', [perm('a4b-svc@contoso.com', 'read', { allowedRoles: [] })], ACCEPTED, 'write-not-allowed', 'read'],
    ['an entry without an address and one with a null address are not the account', [
      { id: 'x', role: 'write' }, { id: 'y', role: 'write', emailAddress: { address: null, name: 'My Organization' } }], ACCEPTED, 'missing', undefined],
  ])('%s', (_, perms, accepted, kind, role) => {
    const d = decidePermission(perms, account, accepted);
    expect(d.kind).toBe(kind);
    if (role) expect((d as { role: string }).role).toBe(role);
  });

  test('groups not readable: only its own entries count', () => {
    expect(decidePermission([perm('av-team@contoso.com', 'write')], { own: account.own }, ACCEPTED)).toEqual({ kind: 'missing' });
  });

  test('raising allowed: the permission to PATCH is named', () => {
    expect(decidePermission([perm('a4b-svc@contoso.com', 'read', { id: 'p-7' })], account, ACCEPTED)).toEqual({ kind: 'below', role: 'read', permissionId: 'p-7' });
    expect(decidePermission([perm('a4b-svc@contoso.com', 'read', { allowedRoles: ['read'] })], account, ACCEPTED))
      .toEqual({ kind: 'write-not-allowed', role: 'read', allowedRoles: ['read'] });
    expect(decidePermission([perm('av-team@contoso.com', 'write')], account, ACCEPTED)).toEqual({ kind: 'ok', role: 'write', via: 'av-team@contoso.com' });
  });

  // The words `check`, the link's findings and drift show: the problem, and a fix that never lowers a permission.
  const set = 'Set-MailboxFolderPermission spree@contoso.com:\\Calendar -User svc@contoso.com -AccessRights Editor';
  const add = 'Add-MailboxFolderPermission spree@contoso.com:\\Calendar -User svc@contoso.com -AccessRights Editor';
  const groupsNote = ' (permissions through groups were not counted: the Graph app needs GroupMember.Read.All to read group addresses)';
  test.each<[string, PermissionDecision, string[], boolean, boolean, { problem: string; fix: string } | undefined]>([
    ['ok', { kind: 'ok', role: 'write' }, ACCEPTED, false, false, undefined],
    ['missing, granted', { kind: 'missing' }, ACCEPTED, true, false,
      { problem: "the service account svc@contoso.com has no permission on the room's calendar, and A4B needs Editor", fix: add }],
    ['missing, not granted, groups unread', { kind: 'missing' }, ACCEPTED, false, true,
      { problem: `the service account svc@contoso.com has no permission on the room's calendar${groupsNote}, and A4B needs Editor`, fix: `${add} (or set grantMissingPermissions)` }],
    ['below, not granted', { kind: 'below', role: 'read', permissionId: 'x' }, ACCEPTED, false, false,
      { problem: "the service account svc@contoso.com has only 'read' on the room's calendar, and A4B needs Editor", fix: `${set} (or set grantMissingPermissions)` }],
    ['below, granted, groups unread', { kind: 'below', role: 'read', permissionId: 'x' }, ACCEPTED, true, true,
      { problem: `the service account svc@contoso.com has only 'read' on the room's calendar${groupsNote}, and A4B needs Editor`, fix: set }],
    ['write not allowed', { kind: 'write-not-allowed', role: 'read', allowedRoles: ['freeBusyRead', 'read'] }, ACCEPTED, true, false, {
      problem: "the service account svc@contoso.com has 'read' on the room's calendar, and this permission cannot be raised to write (allowedRoles: freeBusyRead, read)",
      fix: `${set} in Exchange Online PowerShell` }],
    ['write not allowed, no allowedRoles', { kind: 'write-not-allowed', role: 'read', allowedRoles: [] }, ACCEPTED, true, false, {
      problem: "the service account svc@contoso.com has 'read' on the room's calendar, and this permission cannot be raised to write (allowedRoles: none)",
      fix: `${set} in Exchange Online PowerShell` }],
    ['custom', { kind: 'unaccepted', role: 'custom' }, ACCEPTED, true, false, {
      problem: "the service account has role 'custom' (Exchange rights Graph has no name for, e.g. Owner or PublishingEditor; this library never changes them) on the calendar, which is not an accepted role (write, delegateWithoutPrivateEventAccess, delegateWithPrivateEventAccess)",
      fix: "check its rights with Get-MailboxFolderPermission spree@contoso.com:\\Calendar -User svc@contoso.com; if they include Editor's, add 'custom' to acceptedRoles" }],
    ['above write', { kind: 'unaccepted', role: 'delegateWithPrivateEventAccess' }, ['write'], true, false, {
      problem: "the service account has role 'delegateWithPrivateEventAccess', above write (this library never lowers a permission) on the calendar, which is not an accepted role (write)",
      fix: "add 'delegateWithPrivateEventAccess' to acceptedRoles" }],
    ['write itself, when only a delegate role is accepted', { kind: 'unaccepted', role: 'write' }, ['delegateWithPrivateEventAccess'], true, false, {
      problem: "the service account has role 'write' on the calendar, which is not an accepted role (delegateWithPrivateEventAccess)", fix: "add 'write' to acceptedRoles" }],
    ['below write, when only a delegate role is accepted', { kind: 'unaccepted', role: 'read' }, ['delegateWithPrivateEventAccess'], true, false, {
      problem: "the service account has role 'read' on the calendar, which is not an accepted role (delegateWithPrivateEventAccess)", fix: `add 'read' to acceptedRoles, or ${set}` }],
    ['none, when only a delegate role is accepted', { kind: 'unaccepted', role: 'none' }, ['delegateWithPrivateEventAccess'], true, false, {
      problem: "the service account has role 'none' on the calendar, which is not an accepted role (delegateWithPrivateEventAccess)", fix: `add 'none' to acceptedRoles, or ${set}` }],
    ['a role Graph does not list', { kind: 'unaccepted', role: 'owner' }, ['write'], true, false, {
      problem: "the service account has role 'owner' on the calendar, which is not an accepted role (write)", fix: "add 'owner' to acceptedRoles" }],
  ])('the problem and fix: %s', (_, d, accepted, grantMissing, groupsUnread, expected) => {
    expect(permissionProblem(d, 'spree@contoso.com', 'svc@contoso.com', accepted, grantMissing, groupsUnread)).toEqual(expected);
  });

  test('without groupsUnread, nothing is said about groups', () => {
    expect(permissionProblem({ kind: 'missing' }, 'r@x', 'svc@x', ['write'], true)!.problem).not.toContain('groups');
  });

  test('groups not readable: the problem says what was not counted', () => {
    const d = decidePermission([], { own: ['svc@x'] }, ['write']);
    expect(permissionProblem(d, 'r@x', 'svc@x', ['write'], false, true)!.problem).toContain('permissions through groups were not counted');
  });

  test('groups not read for a reason: the reason is said instead of a permission', () => {
    const d = decidePermission([], { own: ['svc@x'] }, ['write']);
    expect(permissionProblem(d, 'r@x', 'svc@x', ['write'], false, 'Graph answered 400 Request_UnsupportedQuery')!.problem)
      .toBe("the service account svc@x has no permission on the room's calendar (permissions through groups were not counted: Graph answered 400 Request_UnsupportedQuery), and A4B needs Editor");
    expect(permissionProblem(d, 'r@x', 'svc@x', ['write'], false, true)!.problem).toContain('the Graph app needs GroupMember.Read.All to read group addresses');
  });
});

describe('consent reader', () => {
  const graph: ResourcePrincipal = { key: 'graph', id: 'g', appRoles: [{ id: 'g-rw', value: 'Calendars.ReadWrite' }, { id: 'g-r', value: 'Calendars.Read' }] };
  // Exchange Online's calendar permission is Calendars.ReadWrite.All; a role valued Calendars.ReadWrite there is not it.
  const exchange: ResourcePrincipal = { key: 'exchange', id: 'e', appRoles: [{ id: 'e-rw', value: 'Calendars.ReadWrite.All' }, { id: 'e-r', value: 'Calendars.Read' }, { id: 'e-x', value: 'Calendars.ReadWrite' }] };
  test.each<[string, Array<{ resourceId: string; appRoleId: string }>, ResourcePrincipal[], string]>([
    ['Graph Calendars.ReadWrite', [{ resourceId: 'g', appRoleId: 'g-rw' }], [graph, exchange], 'ok'],
    ['Exchange Online Calendars.ReadWrite.All', [{ resourceId: 'e', appRoleId: 'e-rw' }], [graph, exchange], 'ok'],
    ['Exchange Online Calendars.Read only', [{ resourceId: 'e', appRoleId: 'e-r' }], [graph, exchange], 'missing'],
    ["Exchange Online's role named like Graph's is not its calendar permission", [{ resourceId: 'e', appRoleId: 'e-x' }], [graph, exchange], 'missing'],
    ['Exchange Online, when only Graph is accepted', [{ resourceId: 'e', appRoleId: 'e-rw' }], [graph], 'missing'],
    ['Graph Calendars.Read only', [{ resourceId: 'g', appRoleId: 'g-r' }], [graph, exchange], 'missing'],
    ['the right role id on another resource does not count', [{ resourceId: 'e', appRoleId: 'g-rw' }], [graph, exchange], 'missing'],
  ])('%s', (_, assignments, resources, kind) => {
    expect(decideConsent(assignments, resources).kind).toBe(kind);
  });

  test('what it holds instead is named', () => {
    expect(decideConsent([{ resourceId: 'g', appRoleId: 'g-r' }], [graph])).toEqual({ kind: 'missing', held: ['Microsoft Graph Calendars.Read'] });
  });

  test('the permission each resource needs is named with it', () => {
    expect(consentNames(['graph', 'exchange'])).toBe('Calendars.ReadWrite on Microsoft Graph or Calendars.ReadWrite.All on Office 365 Exchange Online');
  });
});
