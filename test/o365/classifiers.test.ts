// The pure decisions of the Office 365 checks, as tables: each row one way a real tenant answers.
import { CONSENT_RESOURCES, ConsentDecision, consentNames, decideConsent, ResourcePrincipal } from '../../lib/o365/consent';
import {
  addressesOfEntry, addressFilter, classifyMailbox, DirectoryEntry, entryOf, GraphAnswer, LOOKUP_SELECT, MailboxAnswers, MailboxClass, mailboxProblem,
  nextReads, unreachableMailbox,
} from '../../lib/o365/mailbox';
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

// Each row at a boundary of the classifier: what it returns whole (the read it names, the answer it keeps), so a finding
// that names the wrong read or drops Graph's answer fails here.
describe('mailbox classifier, whole answers', () => {
  const roomList = (extra: object = {}) => ({ status: 200, body: { '@odata.type': '#microsoft.graph.roomList', displayName: 'Lisbon', ...extra } });
  const denied = { status: 403, body: { error: { code: 'ErrorAccessDenied' } } };
  test.each<[string, MailboxAnswers, MailboxClass]>([
    ['no lookup made', {}, { kind: 'unknown', read: 'looking the address up (/users $filter)', answer: undefined }],
    ['a throttled lookup keeps its answer', { lookup: { status: 429 } }, { kind: 'unknown', read: 'looking the address up (/users $filter)', answer: { status: 429 } }],
    ['a lookup without a body finds nobody: places not read yet', { lookup: { status: 200 } }, { kind: 'unknown', read: 'places (/places/{address})' }],
    ['the settings not read yet', { lookup: found }, { kind: 'unknown', read: 'the mailbox settings (/users/{id}/mailboxSettings)', answer: undefined }],
    ['a 403 on the settings keeps its answer', { lookup: found, settings: denied }, { kind: 'unknown', read: 'the mailbox settings (/users/{id}/mailboxSettings)', answer: denied }],
    ['an empty userPurpose', { lookup: found, settings: settings('') }, { kind: 'unknown', read: 'the mailbox settings (no userPurpose)', answer: settings('') }],
    ['a null userPurpose', { lookup: found, settings: { status: 200, body: { userPurpose: null } } },
      { kind: 'unknown', read: 'the mailbox settings (no userPurpose)', answer: { status: 200, body: { userPurpose: null } } }],
    ['settings without a body', { lookup: found, settings: { status: 200 } }, { kind: 'unknown', read: 'the mailbox settings (no userPurpose)', answer: { status: 200 } }],
    ['ROOM in capitals', { lookup: found, settings: settings('ROOM') }, { kind: 'room', entry }],
    ['a purpose that only contains room', { lookup: found, settings: settings('roomList') }, { kind: 'not-a-room', entry, purpose: 'roomList' }],
    ['a user mailbox', { lookup: found, settings: settings('user') }, { kind: 'not-a-room', entry, purpose: 'user' }],
    ['MailboxNotEnabledForRESTAPI without a message: none quoted', { lookup: found, settings: { status: 404, body: { error: { code: 'MailboxNotEnabledForRESTAPI' } } } },
      { kind: 'not-a-room', entry, purpose: 'no mailbox' }],
    ['the same code with another status is not a verdict', { lookup: found, settings: { status: 400, body: { error: { code: 'MailboxNotEnabledForRESTAPI' } } } },
      { kind: 'unknown', read: 'the mailbox settings (/users/{id}/mailboxSettings)', answer: { status: 400, body: { error: { code: 'MailboxNotEnabledForRESTAPI' } } } }],
    ['no user, places not read', { lookup: none }, { kind: 'unknown', read: 'places (/places/{address})' }],
    ['no user, places 404', { lookup: none, place: { status: 404 } }, { kind: 'missing' }],
    ['no user, places throttled', { lookup: none, place: { status: 503 } }, { kind: 'unknown', read: 'places (/places/{address})', answer: { status: 503 } }],
    ['no user, a room list whose rooms were not read', { lookup: none, place: roomList() }, { kind: 'room-list', displayName: 'Lisbon', rooms: undefined }],
    ['no user, a room list whose rooms were denied', { lookup: none, place: roomList(), roomListRooms: denied }, { kind: 'room-list', displayName: 'Lisbon', rooms: undefined }],
    ['no user, a room list whose rooms answer has no body', { lookup: none, place: roomList(), roomListRooms: { status: 200 } }, { kind: 'room-list', displayName: 'Lisbon', rooms: [] }],
    ['no user, a room list with no rooms', { lookup: none, place: roomList(), roomListRooms: { status: 200, body: {} } }, { kind: 'room-list', displayName: 'Lisbon', rooms: [] }],
    ['rooms by address, else by name', {
      lookup: none, place: roomList(), roomListRooms: { status: 200, body: { value: [{ emailAddress: 'douro@fabrikam.com', displayName: 'Douro' }, { displayName: 'Tejo' }] } },
    }, { kind: 'room-list', displayName: 'Lisbon', rooms: ['douro@fabrikam.com', 'Tejo'] }],
    ['the room list type in any case', { lookup: none, place: { status: 200, body: { '@odata.type': '#MICROSOFT.GRAPH.ROOMLIST' } } },
      { kind: 'room-list', displayName: undefined, rooms: undefined }],
    ['a room list type on a failed answer is not a room list', { lookup: none, place: { status: 500, body: { '@odata.type': '#microsoft.graph.roomList' } } },
      { kind: 'unknown', read: 'places (/places/{address})', answer: { status: 500, body: { '@odata.type': '#microsoft.graph.roomList' } } }],
    ['places lists a room /users does not find', { lookup: none, place: { status: 200, body: { '@odata.type': '#microsoft.graph.room' } } },
      { kind: 'unknown', read: 'the directory (places lists it, /users does not find it)', answer: { status: 200, body: { '@odata.type': '#microsoft.graph.room' } } }],
    ['places answers without a body', { lookup: none, place: { status: 200 } },
      { kind: 'unknown', read: 'the directory (places lists it, /users does not find it)', answer: { status: 200 } }],
  ])('%s', (_, answers, expected) => {
    expect(classifyMailbox(answers)).toStrictEqual(expected);
  });

  test.each<[string, MailboxAnswers, string[]]>([
    ['no lookup yet: nothing (the lookup comes first)', {}, []],
    ['a lookup without a body: places', { lookup: { status: 200 } }, ['place']],
    ['the settings read, whatever they said', { lookup: found, settings: { status: 403 } }, []],
    ['places 404: nothing more', { lookup: none, place: { status: 404 } }, []],
    ['places lists a room, not a room list: nothing more', { lookup: none, place: { status: 200, body: { '@odata.type': '#microsoft.graph.room' } } }, []],
    ['places answers without a body', { lookup: none, place: { status: 200 } }, []],
    ['a room list on a failed answer: nothing more', { lookup: none, place: { status: 500, body: { '@odata.type': '#microsoft.graph.roomList' } } }, []],
    ['a room list whose rooms are read', { lookup: none, place: { status: 200, body: { '@odata.type': '#microsoft.graph.roomList' } }, roomListRooms: { status: 403 } }, []],
    ['the room list type in any case', { lookup: none, place: { status: 200, body: { '@odata.type': '#Microsoft.Graph.RoomList' } } }, ['roomListRooms']],
  ])('next reads: %s', (_, answers, reads) => {
    expect(nextReads(answers)).toEqual(reads);
  });

  test.each<[string, GraphAnswer | undefined, boolean]>([
    ['404 MailboxNotEnabledForRESTAPI', { status: 404, body: { error: { code: 'MailboxNotEnabledForRESTAPI' } } }, true],
    ['another 404', { status: 404, body: { error: { code: 'ResourceNotFound' } } }, false],
    ['a 404 without a body', { status: 404 }, false],
    ['a 404 whose body has no error', { status: 404, body: {} }, false],
    ['the code on a 400', { status: 400, body: { error: { code: 'MailboxNotEnabledForRESTAPI' } } }, false],
    ['no answer', undefined, false],
  ])('unreachable mailbox: %s', (_, answer, unreachable) => {
    expect(unreachableMailbox(answer)).toBe(unreachable);
  });

  test.each<[string, GraphAnswer | undefined, DirectoryEntry | undefined]>([
    ['no lookup', undefined, undefined],
    ['no body', { status: 200 }, undefined],
    ['no value', { status: 200, body: {} }, undefined],
    ['none found', none, undefined],
    ['the first found', { status: 200, body: { value: [entry, { ...entry, id: 'u2' }] } }, entry],
  ])('entryOf: %s', (_, lookup, expected) => {
    expect(entryOf(lookup)).toEqual(expected);
  });

  test.each<[string, DirectoryEntry, string[]]>([
    ['an upper-case SMTP: proxy counts', { id: 'u', userPrincipalName: 'u@x.onmicrosoft.com', proxyAddresses: ['SMTP:Primary@X.com'] }, ['u@x.onmicrosoft.com', 'primary@x.com']],
    ["only a proxy that starts with smtp: (x500 and sip don't)", { id: 'u', userPrincipalName: 'u@x', proxyAddresses: ['x500:/o=smtp:a@x', 'sip:b@x', 'smtp:c@x'] }, ['u@x', 'c@x']],
    ['mail and proxyAddresses null', { id: 'u', userPrincipalName: 'U@X', mail: null, proxyAddresses: null }, ['u@x']],
    ['mail and proxyAddresses absent', { id: 'u', userPrincipalName: 'u@x' }, ['u@x']],
    ['mail that no proxy repeats', { id: 'u', userPrincipalName: 'u@x', mail: 'Room@X' }, ['u@x', 'room@x']],
    ['an empty mail is no address', { id: 'u', userPrincipalName: 'u@x', mail: '' }, ['u@x']],
    ['the same address twice in different case: once', { id: 'u', userPrincipalName: 'u@x', mail: 'M@x', proxyAddresses: ['smtp:m@X'] }, ['u@x', 'm@x']],
  ])('addresses: %s', (_, e, expected) => {
    expect(addressesOfEntry(e)).toEqual(expected);
  });

  // Graph's /users returns only a default set of properties: proxyAddresses and accountEnabled come only when selected
  // (user resource), and the checks read both.
  test('the lookup selects every property the checks read', () => {
    expect(LOOKUP_SELECT.split(',').sort()).toEqual(['accountEnabled', 'id', 'mail', 'proxyAddresses', 'userPrincipalName']);
  });

  test('a filter without quotes is the address as given; every quote doubled', () => {
    expect(addressFilter('a@x.com')).toBe("mail eq 'a@x.com' or userPrincipalName eq 'a@x.com' or proxyAddresses/any(x:x eq 'smtp:a@x.com')");
    expect(addressFilter("a''b@x")).toBe("mail eq 'a''''b@x' or userPrincipalName eq 'a''''b@x' or proxyAddresses/any(x:x eq 'smtp:a''''b@x')");
  });
});

describe('mailbox problems', () => {
  const rooms = (n: number) => Array.from({ length: n }, (_, i) => `r${i + 1}@x`);
  const create = 'create the room mailbox (New-Mailbox -Room), or correct the address';
  const useOne = "use one room's mailbox per A4B room";
  test.each<[string, MailboxClass, { problem: string; fix: string } | undefined]>([
    ['missing', { kind: 'missing' }, {
      problem: "there is no mailbox with this address in tenant contoso.onmicrosoft.com (not a user's UPN, primary SMTP or proxy address)", fix: create }],
    ['a room list, rooms unread, no name', { kind: 'room-list' }, { problem: 'this is a room list, not a room', fix: useOne }],
    ['a room list with no rooms', { kind: 'room-list', displayName: 'Lisbon', rooms: [] }, { problem: 'this is a room list (Lisbon), not a room; it lists no rooms', fix: useOne }],
    ['a room list of one', { kind: 'room-list', displayName: 'Lisbon', rooms: rooms(1) }, { problem: 'this is a room list (Lisbon), not a room; it holds r1@x', fix: useOne }],
    ['a room list of 10: all named', { kind: 'room-list', rooms: rooms(10) }, { problem: `this is a room list, not a room; it holds ${rooms(10).join(', ')}`, fix: useOne }],
    ['a room list of 11: 10 named and 1 more', { kind: 'room-list', rooms: rooms(11) },
      { problem: `this is a room list, not a room; it holds ${rooms(10).join(', ')} and 1 more`, fix: useOne }],
    ['a room list of 13: 10 named and 3 more', { kind: 'room-list', rooms: rooms(13) },
      { problem: `this is a room list, not a room; it holds ${rooms(10).join(', ')} and 3 more`, fix: useOne }],
    ['a shared mailbox', { kind: 'not-a-room', entry, purpose: 'shared' }, {
      problem: 'this is a shared mailbox (userPurpose shared), not a room mailbox',
      fix: "use the room's resource mailbox, or convert it with Set-Mailbox douro@fabrikam.com -Type Room" }],
    ['an unknown read', { kind: 'unknown', read: 'places (/places/{address})' }, undefined],
    ['a room', { kind: 'room', entry }, undefined],
  ])('%s', (_, c, expected) => {
    expect(mailboxProblem(c, 'douro@fabrikam.com', 'contoso.onmicrosoft.com')).toEqual(expected);
  });

  test.each([
    ['user', 'this is a user mailbox (userPurpose user), not a room mailbox'],
    ['equipment', 'this is an equipment mailbox (userPurpose equipment), not a room mailbox'],
    ['Equipment', 'this is an Equipment mailbox (userPurpose Equipment), not a room mailbox'],
    ['linked', 'this is a linked mailbox (userPurpose linked), not a room mailbox'],
    ['others', 'this is an others mailbox (userPurpose others), not a room mailbox'],
  ])('the article before userPurpose %s', (purpose, problem) => {
    expect(mailboxProblem({ kind: 'not-a-room', entry, purpose }, 'r@x', 't')!.problem).toBe(problem);
  });

  test('an unreachable mailbox with a mail address: every way to tell the cases apart, in order, then how to create one', () => {
    expect(mailboxProblem({ kind: 'not-a-room', entry, purpose: 'no mailbox' }, 'r@x', 't')).toEqual({
      problem: 'this account has no room mailbox Graph can reach: Graph answers 404 MailboxNotEnabledForRESTAPI: its mailbox (douro@fabrikam.com) '
        + 'is inactive, soft-deleted or hosted on-premises, or has no Exchange Online license',
      fix: 'find which with Get-Mailbox r@x in Exchange Online PowerShell: -SoftDeletedMailbox finds a soft-deleted one (restore it: Undo-SoftDeletedMailbox), '
        + '-InactiveMailboxOnly an inactive one (restore its content to a new mailbox: New-MailboxRestoreRequest), '
        + 'Get-RemoteMailbox in Exchange on-premises one hosted there (move it to Exchange Online: New-MoveRequest -Remote); '
        + 'an unlicensed one: assign an Exchange Online license; none at all: create the room mailbox (New-Mailbox -Room), or correct the address',
    });
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

  test.each<[string, CalendarPermission, PermissionDecision]>([
    ['limitedRead alone: raised', perm('a4b-svc@contoso.com', 'limitedRead', { id: 'p-1' }), { kind: 'below', role: 'limitedRead', permissionId: 'p-1' }],
    ['read, not removable, allowedRoles not given', perm('a4b-svc@contoso.com', 'read', { isRemovable: false }), { kind: 'write-not-allowed', role: 'read', allowedRoles: [] }],
  ])('the whole decision: %s', (_, p, decision) => {
    expect(decidePermission([p], account, ACCEPTED)).toEqual(decision);
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
    ['the lower delegate role, above write', { kind: 'unaccepted', role: 'delegateWithoutPrivateEventAccess' }, ['write'], true, false, {
      problem: "the service account has role 'delegateWithoutPrivateEventAccess', above write (this library never lowers a permission) on the calendar, which is not an accepted role (write)",
      fix: "add 'delegateWithoutPrivateEventAccess' to acceptedRoles" }],
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

  // A resource the library has no name for (a key given in consentResources) is matched on Graph's name and named by its key.
  const other: ResourcePrincipal = { key: 'custom', id: 'c', appRoles: [{ id: 'c-rw', value: 'Calendars.ReadWrite' }, { id: 'c-all', value: 'Calendars.ReadWrite.All' }] };
  test.each<[string, Array<{ resourceId: string; appRoleId: string }>, ResourcePrincipal[], string | undefined, ConsentDecision]>([
    ['the first resource that holds it is named', [{ resourceId: 'e', appRoleId: 'e-rw' }, { resourceId: 'g', appRoleId: 'g-rw' }], [graph, exchange], undefined, { kind: 'ok', resource: 'graph' }],
    ['Exchange Online named when only it holds it', [{ resourceId: 'g', appRoleId: 'g-r' }, { resourceId: 'e', appRoleId: 'e-rw' }], [graph, exchange], undefined, { kind: 'ok', resource: 'exchange' }],
    ['held on every resource, in order', [{ resourceId: 'g', appRoleId: 'g-r' }, { resourceId: 'e', appRoleId: 'e-x' }, { resourceId: 'e', appRoleId: 'e-r' }], [graph, exchange], undefined,
      { kind: 'missing', held: ['Microsoft Graph Calendars.Read', 'Office 365 Exchange Online Calendars.ReadWrite', 'Office 365 Exchange Online Calendars.Read'] }],
    ['a role id the resource does not list is named by its id', [{ resourceId: 'g', appRoleId: 'gone' }], [graph], undefined, { kind: 'missing', held: ['Microsoft Graph gone'] }],
    ['assignments on resources not accepted are not named', [{ resourceId: 'e', appRoleId: 'e-rw' }], [graph], undefined, { kind: 'missing', held: [] }],
    ['nothing held', [], [graph, exchange], undefined, { kind: 'missing', held: [] }],
    ['an unnamed resource: Calendars.ReadWrite', [{ resourceId: 'c', appRoleId: 'c-rw' }], [other], undefined, { kind: 'ok', resource: 'custom' }],
    ['an unnamed resource named by its key', [{ resourceId: 'c', appRoleId: 'c-all' }], [other], undefined, { kind: 'missing', held: ['custom Calendars.ReadWrite.All'] }],
    ['role overrides the name on every resource', [{ resourceId: 'e', appRoleId: 'e-x' }], [graph, exchange], 'Calendars.ReadWrite', { kind: 'ok', resource: 'exchange' }],
    ['role overrides Graph too', [{ resourceId: 'g', appRoleId: 'g-rw' }], [graph], 'Calendars.Read', { kind: 'missing', held: ['Microsoft Graph Calendars.ReadWrite'] }],
    ['a role the resource does not offer is never held', [{ resourceId: 'g', appRoleId: 'g-rw' }], [graph], 'Calendars.Write', { kind: 'missing', held: ['Microsoft Graph Calendars.ReadWrite'] }],
  ])('decision: %s', (_, assignments, resources, role, expected) => {
    expect(decideConsent(assignments, resources, role)).toEqual(expected);
  });

  test.each<[string[], string]>([
    [['graph'], 'Calendars.ReadWrite on Microsoft Graph'],
    [['exchange'], 'Calendars.ReadWrite.All on Office 365 Exchange Online'],
    [['exchange', 'custom'], 'Calendars.ReadWrite.All on Office 365 Exchange Online or custom'],
    [[], ''],
  ])('names for %j', (keys, names) => {
    expect(consentNames(keys)).toBe(names);
  });

  // Each resource's service principal is read by the app id of Microsoft's first-party app, the same in every tenant.
  test('the resources are the first-party apps of Microsoft Graph and Office 365 Exchange Online', () => {
    expect(Object.fromEntries(Object.entries(CONSENT_RESOURCES).map(([k, r]) => [k, r.appId]))).toEqual({
      graph: '00000003-0000-0000-c000-000000000000', exchange: '00000002-0000-0ff1-ce00-000000000000',
    });
  });

  test('the permission each resource needs is named with it', () => {
    expect(consentNames(['graph', 'exchange'])).toBe('Calendars.ReadWrite on Microsoft Graph or Calendars.ReadWrite.All on Office 365 Exchange Online');
  });
});
