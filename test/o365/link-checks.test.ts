// The calendar link's pure checks, as tables: the permissions a check needs, the roles a token shows, the rooms an
// update re-checks and the report a failed validation gives (kept under its byte budget).
import {
  formatReport, LinkSpec, missingPermissions, READ_PERMISSIONS, requiredPermissions, RoomProblem, roomsToValidate, tokenRoles,
} from '../../lib/o365/link-checks';

type PermissionName = keyof typeof READ_PERMISSIONS;

describe('requiredPermissions', () => {
  test.each<[string, 'delegate' | 'application', boolean, PermissionName[]]>([
    ['delegate, reading permissions', 'delegate', false, ['lookup', 'settings', 'places', 'groups', 'permissionsRead']],
    ['delegate, granting missing permissions', 'delegate', true, ['lookup', 'settings', 'places', 'groups', 'permissionsWrite']],
    ['application', 'application', false, ['lookup', 'settings', 'places', 'consent']],
    ['application ignores grantMissingPermissions', 'application', true, ['lookup', 'settings', 'places', 'consent']],
  ])('%s', (_, method, grantMissingPermissions, names) => {
    expect(requiredPermissions({ method, grantMissingPermissions })).toEqual(names.map((n) => READ_PERMISSIONS[n]));
  });

  // The words a 403 finding gives for each read it lacks ("User.Read.All or Directory.Read.All (to look up ...)").
  test.each<[PermissionName, string]>([
    ['lookup', 'to look up mailboxes and accounts by address (User.ReadBasic.All reads no accountEnabled or proxyAddresses)'],
    ['settings', 'to check that each mailbox is a room (mailboxSettings.userPurpose) and that the service account has a mailbox'],
    ['places', 'to recognize room lists'],
    ['groups', 'to count calendar permissions granted to groups the service account is in'],
    ['permissionsRead', "to read room calendars' permissions"],
    ['permissionsWrite', 'to grant the service account write access to room calendars (grantMissingPermissions)'],
    ['consent', "to read the A4B enterprise app's consent"],
  ])('a 403 on %s says what the read is for', (read, why) => {
    expect(READ_PERMISSIONS[read].why).toBe(why);
  });

  test('the groups read takes any permission that reads group membership', () => {
    expect(READ_PERMISSIONS.groups.anyOf).toEqual(['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All']);
  });

  test('writing calendar permissions takes Calendars.ReadWrite and nothing less', () => {
    expect(READ_PERMISSIONS.permissionsWrite.anyOf).toEqual(['Calendars.ReadWrite']);
    expect(READ_PERMISSIONS.permissionsRead.anyOf).toEqual(['Calendars.ReadBasic.All', 'Calendars.Read', 'Calendars.ReadWrite']);
  });
});

describe('missingPermissions', () => {
  const application = requiredPermissions({ method: 'application', grantMissingPermissions: false });
  const delegate = requiredPermissions({ method: 'delegate', grantMissingPermissions: false });
  test.each<[string, string[], typeof application, PermissionName[]]>([
    ['no roles', [], application, ['lookup', 'settings', 'places', 'consent']],
    ['Directory.Read.All covers the lookup and the consent', ['Directory.Read.All'], application, ['settings', 'places']],
    ['any one permission of each entry is enough', ['Directory.Read.All', 'MailboxSettings.ReadWrite', 'Place.Read.All'], application, []],
    ['User.ReadBasic.All does not look up: it reads no accountEnabled or proxyAddresses', ['User.ReadBasic.All', 'MailboxSettings.Read', 'Place.Read.All', 'Application.Read.All'], application, ['lookup']],
    ['role names are compared exactly', ['user.read.all', 'MailboxSettings.Read', 'Place.Read.All', 'Application.Read.All'], application, ['lookup']],
    ['Calendars.ReadWrite reads permissions too', ['User.Read.All', 'MailboxSettings.Read', 'Place.Read.All', 'Group.Read.All', 'Calendars.ReadWrite'], delegate, []],
    ['groups are needed for delegate', ['User.Read.All', 'MailboxSettings.Read', 'Place.Read.All', 'Calendars.Read'], delegate, ['groups']],
  ])('%s', (_, roles, required, names) => {
    expect(missingPermissions(roles, required)).toEqual(names.map((n) => READ_PERMISSIONS[n]));
  });
});

describe('tokenRoles', () => {
  const jwt = (payload: unknown) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)).toString('base64url')}.signature`;
  test.each<[string, string, string[] | undefined]>([
    ['an app-only token with roles', jwt({ aud: 'https://graph.microsoft.com', roles: ['User.Read.All', 'Place.Read.All'] }), ['User.Read.All', 'Place.Read.All']],
    ['a readable token without roles (nothing granted tenant-wide)', jwt({ aud: 'https://graph.microsoft.com' }), []],
    ['roles that are not a list', jwt({ roles: 'User.Read.All' }), []],
    ['roles that are not strings', jwt({ roles: [1, true] }), ['1', 'true']],
    ['an opaque token', 'EwBwA8l6BAAUO9chh8cJscQLmU+LSWpbnr0vmwwAAQ', undefined],
    ['an empty payload', 'header..signature', undefined],
    ['a payload that is not JSON', jwt('not json'), undefined],
  ])('%s', (_, token, roles) => {
    expect(tokenRoles(token)).toEqual(roles);
  });
});

describe('formatReport', () => {
  const bad = (name: string, mailbox = 'a@c.io'): RoomProblem => ({ room: { name, mailbox }, problem: 'p', fix: 'f' });
  // Each line "\n- room 'A' (a@c.io): p. Fix: f" is 31 bytes; the header 'H' is 1; "\n… and 1 more room" is 20 (the ellipsis is 3 bytes).
  const LINE = (name: string) => `\n- room '${name}' (a@c.io): p. Fix: f`;
  test.each<[string, RoomProblem[], number, string]>([
    ['no problems: the header alone', [], 3000, 'H'],
    ['one problem', [bad('A')], 3000, `H${LINE('A')}`],
    ['one problem that fits exactly', [bad('A')], 32, `H${LINE('A')}`],
    ['one problem a byte too long', [bad('A')], 31, 'H\n… and 1 more room'],
    ['two problems that fit exactly', [bad('A'), bad('B')], 63, `H${LINE('A')}${LINE('B')}`],
    ['the second a byte too long: the count of the rest', [bad('A'), bad('B')], 62, `H${LINE('A')}\n… and 1 more room`],
    ['the first with room for the count of the rest', [bad('A'), bad('B')], 52, `H${LINE('A')}\n… and 1 more room`],
    ['the first without room for the count of the rest', [bad('A'), bad('B')], 51, 'H\n… and 2 more rooms'],
    ['the count in the plural', [bad('A'), bad('B'), bad('C')], 53, `H${LINE('A')}\n… and 2 more rooms`],
    // 'Ü' is one character and two bytes: the line is 32 bytes.
    ['bytes, not characters', [bad('Ü')], 32, 'H\n… and 1 more room'],
  ])('%s', (_, problems, maxBytes, expected) => {
    const text = formatReport('H', problems, maxBytes);
    expect(text).toBe(expected);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(maxBytes);
  });

  // The count "\n… and 1 more room" is 20 bytes; a header that leaves no room for it is cut, ending in '…' (3 bytes).
  test.each<[string, string, RoomProblem[], number, string]>([
    ['the first room does not fit, nor the header with the count: the header is cut', 'H'.repeat(10), [bad('A')], 25, 'HH…\n… and 1 more room'],
    ['a header over budget and no problems', 'H'.repeat(10), [], 5, 'HH…'],
    ['a header cut at a character, never inside one', 'Ü'.repeat(5), [bad('A')], 26, 'Ü…\n… and 1 more room'],
    ['a budget smaller than the count itself', 'H', [bad('A')], 10, '\n… an…'],
    // The count exactly fills the budget: kept whole, the header dropped.
    ['a budget the count exactly fills', 'H', [bad('A')], 20, '\n… and 1 more room'],
    ['a budget one byte short of the count', 'H', [bad('A')], 19, '\n… and 1 more …'],
    ['a budget of 3 bytes holds the ellipsis alone', 'H'.repeat(10), [], 3, '…'],
    ['a budget of 2 bytes holds nothing', 'H'.repeat(10), [], 2, ''],
  ])('maxBytes holds whatever the header: %s', (_, header, problems, maxBytes, expected) => {
    const text = formatReport(header, problems, maxBytes);
    expect(text).toBe(expected);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(maxBytes);
  });

  test('the default budget keeps a report of 10,000 rooms under 3,000 bytes, with the rest counted', () => {
    const problems = Array.from({ length: 10_000 }, (_, i) => bad(`room-${i}`, `room-${i}@contoso.com`));
    const text = formatReport('calendar link: rooms not linkable', problems);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(3000);
    const shown = text.split('\n- room ').length - 1;
    expect(text.endsWith(`\n… and ${10_000 - shown} more rooms`)).toBe(true);
    expect(shown).toBeGreaterThan(0);
  });
});

describe('roomsToValidate', () => {
  const link: LinkSpec = {
    tenant: 'contoso.onmicrosoft.com', method: 'delegate', serviceAccount: 'alexa@contoso.com', credentialsSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s',
    grantMissingPermissions: false, acceptedRoles: ['write'], rooms: [{ name: 'A', mailbox: 'a@contoso.com' }, { name: 'B', mailbox: 'b@contoso.com' }],
  };
  const c = { name: 'C', mailbox: 'c@contoso.com' };
  test.each<[string, LinkSpec | undefined, LinkSpec, string[]]>([
    ['a create checks every room', undefined, link, ['A', 'B']],
    ['nothing changed', link, { ...link }, []],
    ['a room added', link, { ...link, rooms: [...link.rooms, c] }, ['C']],
    ['a room removed', link, { ...link, rooms: [link.rooms[0]] }, []],
    ['a room re-addressed', link, { ...link, rooms: [link.rooms[0], { name: 'B', mailbox: 'b2@contoso.com' }] }, ['B']],
    ['a mailbox changed in case only', link, { ...link, rooms: [link.rooms[0], { name: 'B', mailbox: 'B@Contoso.com' }] }, []],
    ['a mailbox declared in capitals before, lower-cased now', { ...link, rooms: [link.rooms[0], { name: 'B', mailbox: 'B@CONTOSO.COM' }] }, link, []],
    ['a room renamed on its mailbox', link, { ...link, rooms: [link.rooms[0], { name: 'B2', mailbox: 'b@contoso.com' }] }, []],
    ['the accepted roles changed: every room', link, { ...link, acceptedRoles: ['write', 'delegateWithPrivateEventAccess'] }, ['A', 'B']],
    ['the service account changed: every room', link, { ...link, serviceAccount: 'alexa2@contoso.com', rooms: [...link.rooms, c] }, ['A', 'B', 'C']],
    ['grantMissingPermissions turned on: every room', link, { ...link, grantMissingPermissions: true }, ['A', 'B']],
  ])('%s', (_, before, after, names) => {
    expect(roomsToValidate(before, after).map((r) => r.name)).toEqual(names);
  });
});
