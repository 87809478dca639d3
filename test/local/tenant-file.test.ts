// `--tenant FILE`: a malformed tenant file is refused naming the file (FILE:LINE:COL), never with a library
// exception, and never repeating a value (a tenant file holds client secrets).
import * as fs from 'fs';
import * as path from 'path';
import { readTenantFile } from '../../lib/local/local-world';
import { tempDir } from '../helpers';

const README_TENANT = `tenantId: contoso.onmicrosoft.com
apps:
  - { clientId: 11111111-2222-3333-4444-555555555555, clientSecret: local-only, roles: [Place.Read.All, User.Read.All, Calendars.ReadWrite] }
users:
  - { upn: alexaforbusiness@contoso.onmicrosoft.com }
rooms:
  - { mailbox: spree@contoso.onmicrosoft.com, displayName: Spree (2.01) }
calendarPermissions:
  - { mailbox: spree@contoso.onmicrosoft.com, user: alexaforbusiness@contoso.onmicrosoft.com, role: write }
consents:
  - { applicationId: 0d9bd8c6-1b27-4b60-a52e-4c1e2f3e8b11, roles: [Calendars.ReadWrite] }
`;

function write(name: string, content: string | Buffer): string {
  const file = path.join(tempDir('a4b-tenant-'), name);
  fs.writeFileSync(file, content);
  return file;
}

describe('tenant files', () => {
  test('the README example is read, as YAML and as JSON', () => {
    const tenant = readTenantFile(write('tenant.yaml', README_TENANT));
    expect(tenant.tenantId).toBe('contoso.onmicrosoft.com');
    expect(tenant.apps![0].roles).toEqual(['Place.Read.All', 'User.Read.All', 'Calendars.ReadWrite']);
    expect(readTenantFile(write('tenant.json', JSON.stringify(tenant)))).toEqual(tenant);
  });

  test('a room\'s calendarProcessing is read as written', () => {
    const tenant = readTenantFile(write('tenant.yaml', 'tenantId: contoso.com\nrooms:\n  - mailbox: havel@contoso.com\n    calendarProcessing: { automateProcessing: AutoUpdate, deleteComments: false, processingDelayMs: 300 }\n'));
    expect(tenant.rooms).toEqual([{ mailbox: 'havel@contoso.com', calendarProcessing: { automateProcessing: 'AutoUpdate', deleteComments: false, processingDelayMs: 300 } }]);
  });

  test.each<[string, string | Buffer, string[]]>([
    ['an empty file', '', ['1:1: the file holds no tenant (it is empty or only comments): a tenant file needs tenantId']],
    ['bad YAML', 'tenantId: [contoso\n', ['2:1: Flow sequence in block collection must be sufficiently indented and end with a ]']],
    ['a list, not a mapping', '- tenantId: contoso.com\n', ['1:1: a tenant file is a mapping with tenantId, domains, opaqueTokens, propagationDelaySeconds, apps, users, rooms, roomLists, groups, calendarPermissions, consents']],
    ['no tenantId', 'users: []\n', ['1:1: tenantId is required (the directory GUID or primary domain)']],
    ['a tenantId that is a number', 'tenantId: 42\n', ['1:11: tenantId must be a string']],
    ['a JSON key twice', '{"tenantId": "a.com", "tenantId": "b.com"}', ["1:23: duplicate key 'tenantId': a mapping may hold each key once (of two, one would silently replace the other); merge them or remove one"]],
    ['a misspelt list', 'tenantId: contoso.com\nuser: []\n', ['2:1: user is not a field of a tenant file (allowed: tenantId, domains, opaqueTokens, propagationDelaySeconds, apps, users, rooms, roomLists, groups, calendarPermissions, consents)']],
    ['apps that are not a list', 'tenantId: contoso.com\napps: { clientId: c }\n', ['2:1: apps must be a list']],
    ['an app without clientId, with roles not a list', 'tenantId: contoso.com\napps:\n  - { roles: Place.Read.All }\n', ['3:5: apps[0].clientId is required', '3:14: apps[0].roles must be a list of strings']],
    ['a permission without its role', 'tenantId: contoso.com\ncalendarPermissions:\n  - { mailbox: a@contoso.com, user: b@contoso.com }\n', ['3:5: calendarPermissions[0].role is required']],
    ['a room entry that is a string', 'tenantId: contoso.com\nrooms: [spree@contoso.com]\n', ['2:9: rooms[0] must be a mapping with mailbox, upn, displayName, proxyAddresses, inPlaces, accountEnabled, calendarProcessing']],
    ['calendarProcessing that is not a mapping', 'tenantId: contoso.com\nrooms:\n  - { mailbox: a@contoso.com, calendarProcessing: AutoAccept }\n', ['3:51: rooms[0].calendarProcessing must be a mapping']],
    ['calendarProcessing with a bad value and a misspelt key', 'tenantId: contoso.com\nrooms:\n  - mailbox: a@contoso.com\n    calendarProcessing: { automateProcessing: Auto, deleteComment: false }\n',
      ['4:5: rooms[0].calendarProcessing.deleteComment: unknown key; the keys are automateProcessing, deleteComments, deleteSubject, addOrganizerToSubject, removeCanceledMeetings, processingDelayMs',
        "4:5: rooms[0].calendarProcessing.automateProcessing: 'Auto' must be one of AutoAccept, AutoUpdate, None"]],
    ['a byte that is not UTF-8', Buffer.concat([Buffer.from('tenantId: contoso.com\nusers: [{ upn: m'), Buffer.from([0xfc]), Buffer.from('ller@contoso.com }]\n')]), ['2:17: byte 0xfc is not UTF-8 (at byte 38): save the file as UTF-8']],
  ])('%s', (_, content, expected) => {
    const file = write('tenant.yaml', content);
    expect(() => readTenantFile(file)).toThrow(`${expected.length} problem${expected.length > 1 ? 's' : ''} in tenant file ${file}:\n${expected.map((e) => `${file}:${e}`).join('\n')}`);
  });

  test('a secret of the wrong type is named by its field, never shown', () => {
    const file = write('tenant.yaml', 'tenantId: contoso.com\napps:\n  - { clientId: c, clientSecret: [s3cr3t-Value-9] }\n');
    let message = '';
    try {
      readTenantFile(file);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(`1 problem in tenant file ${file}:\n${file}:3:20: apps[0].clientSecret must be a string`);
    expect(message).not.toContain('s3cr3t');
  });

  test('a missing file names it', () => {
    const file = path.join(tempDir(), 'tenant.yaml');
    expect(() => readTenantFile(file)).toThrow(`${file}: cannot read the tenant (ENOENT)`);
  });
});

describe('every key the Graph emulator models', () => {
  test('the tenant-file reader knows the same keys as the emulator', () => {
    const { TENANT_KEYS } = jest.requireActual('../../lib/local/graph-tenant');
    const { TENANT_ENTRIES } = jest.requireActual('../../lib/local/local-world');
    for (const [list, keys] of Object.entries<string[]>(TENANT_KEYS)) {
      if (!keys.length) continue;
      expect([list, Object.keys(TENANT_ENTRIES[list].fields).sort()]).toEqual([list, [...keys].sort()]);
    }
  });

  test('the README\'s full tenant file reads as written; what its fields mean together is checked too, naming the file', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const yaml = readme.slice(readme.indexOf('```yaml\nusers:\n  - upn: svc.a4b@fabrikam.onmicrosoft.com') + '```yaml\n'.length);
    const file = path.join(tempDir(), 'tenant.yaml');
    fs.writeFileSync(file, `tenantId: fabrikam.onmicrosoft.com\n${yaml.slice(0, yaml.indexOf('```'))}`);
    const tenant = readTenantFile(file);
    expect(tenant.users![0]).toMatchObject({ mail: 'a4b-svc@fabrikam.com', proxyAddresses: ['smtp:alexa@fabrikam.com'], mailbox: true });
    expect(tenant.apps![0].scopedRoles).toEqual([{ role: 'Calendars.ReadWrite', mailboxes: ['tejo@fabrikam.com', 'douro@fabrikam.com'] }]);
    fs.writeFileSync(file, 'tenantId: t.onmicrosoft.com\ngroups:\n  - { mail: av@t.com, members: [nobody@t.com] }\n');
    expect(() => readTenantFile(file)).toThrow(new RegExp(`tenant file ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\n${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
  });
});
