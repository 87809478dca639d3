// The drift comparison on its own, as tables: declared and live state in, the exact findings and status out.
// test/drift/drift.test.ts runs the same comparison end to end against the emulators.
import { compare, CompareOptions, exitCode, DriftReport, Finding } from '../../lib/drift/compare';
import { DesiredLink, DesiredState, key, LiveState, MailboxState, ProfileState, RoomState, SkillGroupState } from '../../lib/drift/model';

const ARN = 'arn:aws:a4b:us-east-1:123456789012';
const byName = <T extends { name: string }>(list: T[]) => new Map(list.map((x) => [key(x.name), x]));
interface Side { rooms?: RoomState[]; profiles?: ProfileState[]; skillGroups?: SkillGroupState[] }
const account = (s: Side) => ({ rooms: byName(s.rooms ?? []), profiles: byName(s.profiles ?? []), skillGroups: byName(s.skillGroups ?? []) });
const desired = (s: Side, link?: DesiredLink): DesiredState => ({ ...account(s), link });
const live = (s: Side, extra: Partial<Omit<LiveState, 'rooms' | 'profiles' | 'skillGroups'>> = {}): LiveState =>
  ({ ...account(s), mailboxes: new Map(), unknownRooms: new Map(), errors: [], ...extra });
const room = (name: string, extra: Partial<RoomState> = {}): RoomState => ({ name, tags: {}, ...extra });
const liveRoom = (name: string, extra: Partial<RoomState> = {}): RoomState => room(name, { arn: `${ARN}:room/${name}`, ...extra });
const changed = (name: string, field: string, declared: string, liveValue: string): Finding => ({ resource: 'room', name, kind: 'changed', field, declared, live: liveValue });

type Row = [string, DesiredState, LiveState, CompareOptions, DriftReport['status'], Finding[]];

describe('compare: A4B side', () => {
  const spree = room('Spree', { mailbox: 'spree@contoso.com', description: 'Board room', profile: 'Std', devices: [`${ARN}:device/a`, `${ARN}:device/b`], tags: { team: 'x' } });
  test.each<Row>([
    ['identical', desired({ rooms: [spree] }), live({ rooms: [{ ...spree, arn: 'a' }] }), {}, 'in-sync', []],
    ['mailbox and profile differ only in case', desired({ rooms: [spree] }), live({ rooms: [{ ...spree, mailbox: 'SPREE@Contoso.com', profile: 'STD' }] }), {}, 'in-sync', []],
    ['devices in another order', desired({ rooms: [spree] }), live({ rooms: [{ ...spree, devices: [`${ARN}:device/b`, `${ARN}:device/a`] }] }), {}, 'in-sync', []],
    ['devices declared in another order', desired({ rooms: [{ ...spree, devices: [`${ARN}:device/b`, `${ARN}:device/a`] }] }), live({ rooms: [spree] }), {}, 'in-sync', []],
    ['devices not declared are not compared', desired({ rooms: [{ ...spree, devices: undefined }] }), live({ rooms: [{ ...spree, devices: [] }] }), {}, 'in-sync', []],
    ['devices not readable are not compared', desired({ rooms: [spree] }), live({ rooms: [{ ...spree, devices: undefined }] }), {}, 'in-sync', []],
    ['an empty description against none', desired({ rooms: [room('A', { description: '' })] }), live({ rooms: [room('A')] }), {}, 'in-sync', []],
    ['a description A4B answers as null is none', desired({ rooms: [room('A')] }), live({ rooms: [room('A', { description: null as never })] }), {}, 'in-sync', []],
    ['system tags and tag order', desired({ rooms: [room('A', { tags: { b: '2', a: '1' } })] }),
      live({ rooms: [room('A', { tags: { a: '1', 'aws:cloudformation:stack-name': 's', 'CDK-A4B-ROOMS:renamed-from': 'x', b: '2' } })] }), {}, 'in-sync', []],
    ['a name changed in case only is drift (A4B shows the live case)', desired({ rooms: [room('Spree')] }), live({ rooms: [room('SPREE')] }), {}, 'drift',
      [changed('Spree', 'name', 'Spree', 'SPREE')]],
    ['the description differs in case', desired({ rooms: [room('A', { description: 'Board' })] }), live({ rooms: [room('A', { description: 'board' })] }), {}, 'drift',
      [changed('A', 'description', 'Board', 'board')]],
    ['the description was removed', desired({ rooms: [room('A', { description: 'Board' })] }), live({ rooms: [room('A')] }), {}, 'drift',
      [changed('A', 'description', 'Board', '(none)')]],
    ['another mailbox', desired({ rooms: [room('A', { mailbox: 'a@contoso.com' })] }), live({ rooms: [room('A', { mailbox: 'b@contoso.com' })] }), {}, 'drift',
      [changed('A', 'mailbox', 'a@contoso.com', 'b@contoso.com')]],
    ['a device removed', desired({ rooms: [spree] }), live({ rooms: [{ ...spree, devices: [`${ARN}:device/b`] }] }), {}, 'drift',
      [changed('Spree', 'devices', `${ARN}:device/a, ${ARN}:device/b`, `${ARN}:device/b`)]],
    ['a tag value changed', desired({ rooms: [room('A', { tags: { team: 'x', site: 'b' } })] }), live({ rooms: [room('A', { tags: { site: 'b', team: 'y' } })] }), {}, 'drift',
      [changed('A', 'tags', '{"site":"b","team":"x"}', '{"site":"b","team":"y"}')]],
    ['several fields of one room, in field order', desired({ rooms: [room('A', { description: 'd', profile: 'P' })] }), live({ rooms: [room('A', { profile: 'Q' })] }), {}, 'drift',
      [changed('A', 'description', 'd', '(none)'), changed('A', 'profile', 'P', 'Q')]],
    ['a missing room', desired({ rooms: [room('A'), room('B')] }), live({ rooms: [room('A')] }), {}, 'drift', [{ resource: 'room', name: 'B', kind: 'missing' }]],
    ['an unmanaged room', desired({ rooms: [room('A')] }), live({ rooms: [room('A'), liveRoom('Extra')] }), {}, 'drift',
      [{ resource: 'room', name: 'Extra', kind: 'unmanaged', detail: `${ARN}:room/Extra` }]],
    ['an unmanaged room left out', desired({ rooms: [room('A')] }), live({ rooms: [room('A'), liveRoom('Extra')] }), { ignoreUnmanaged: true }, 'in-sync', []],
    ['a room whose read failed is unknown, not drift, and the status is error', desired({ rooms: [room('A', { description: 'd' })] }),
      live({ rooms: [room('A')] }, { unknownRooms: new Map([['a', 'ListTags: ThrottlingException']]) }), {}, 'error',
      [{ resource: 'room', name: 'A', kind: 'unknown', detail: 'ListTags: ThrottlingException' }]],
    ['a failed A4B read reports no A4B finding', desired({ rooms: [room('A')] }), live({}, { errors: ['A4B: AccessDeniedException'] }), {}, 'error', []],
    ['a failed Graph read still compares A4B', desired({ rooms: [room('A')] }), live({}, { errors: ['Graph: 503'] }), {}, 'error', [{ resource: 'room', name: 'A', kind: 'missing' }]],
  ])('%s', (_, want, have, options, status, findings) => {
    const report = compare(want, have, options);
    expect(report.findings).toEqual(findings);
    expect(report.status).toBe(status);
  });

  const std = (fields: ProfileState['fields']): ProfileState => ({ name: 'Std', fields });
  test.each<Row>([
    ['same settings', desired({ profiles: [std({ timezone: 'Europe/Berlin', maxVolume: 5, pstnEnabled: false })] }),
      live({ profiles: [std({ timezone: 'Europe/Berlin', maxVolume: 5, pstnEnabled: false, wakeWord: 'ALEXA' })] }), {}, 'in-sync', []],
    ['timezone and locale ignore case', desired({ profiles: [std({ timezone: 'Europe/Berlin', locale: 'en-US' })] }),
      live({ profiles: [std({ timezone: 'europe/berlin', locale: 'EN-us' })] }), {}, 'in-sync', []],
    ['a number against its string', desired({ profiles: [std({ maxVolume: 5 })] }), live({ profiles: [std({ maxVolume: '5' })] }), {}, 'in-sync', []],
    ['other settings do not ignore case', desired({ profiles: [std({ wakeWord: 'ALEXA' })] }), live({ profiles: [std({ wakeWord: 'alexa' })] }), {}, 'drift',
      [{ resource: 'profile', name: 'Std', kind: 'changed', field: 'wakeWord', declared: 'ALEXA', live: 'alexa' }]],
    ['a boolean flipped', desired({ profiles: [std({ pstnEnabled: false })] }), live({ profiles: [std({ pstnEnabled: true })] }), {}, 'drift',
      [{ resource: 'profile', name: 'Std', kind: 'changed', field: 'pstnEnabled', declared: 'false', live: 'true' }]],
    ['a setting not set live', desired({ profiles: [std({ maxVolume: 0 })] }), live({ profiles: [std({})] }), {}, 'drift',
      [{ resource: 'profile', name: 'Std', kind: 'changed', field: 'maxVolume', declared: '0', live: '(none)' }]],
    ['a missing profile', desired({ profiles: [std({})] }), live({}), {}, 'drift', [{ resource: 'profile', name: 'Std', kind: 'missing' }]],
    ['an unmanaged profile', desired({}), live({ profiles: [{ name: 'Old', fields: {}, arn: `${ARN}:profile/old` }] }), {}, 'drift',
      [{ resource: 'profile', name: 'Old', kind: 'unmanaged', detail: `${ARN}:profile/old` }]],
  ])('profiles: %s', (_, want, have, options, status, findings) => {
    const report = compare(want, have, options);
    expect(report.findings).toEqual(findings);
    expect(report.status).toBe(status);
  });

  test.each<Row>([
    ['same description', desired({ skillGroups: [{ name: 'G', description: 'd' }] }), live({ skillGroups: [{ name: 'g', description: 'd' }] }), {}, 'in-sync', []],
    ['no description against an empty one', desired({ skillGroups: [{ name: 'G' }] }), live({ skillGroups: [{ name: 'G', description: '' }] }), {}, 'in-sync', []],
    ['another description', desired({ skillGroups: [{ name: 'G', description: 'd' }] }), live({ skillGroups: [{ name: 'G', description: 'e' }] }), {}, 'drift',
      [{ resource: 'skill group', name: 'G', kind: 'changed', field: 'description', declared: 'd', live: 'e' }]],
    ['the description differs in case', desired({ skillGroups: [{ name: 'G', description: 'Board' }] }), live({ skillGroups: [{ name: 'G', description: 'board' }] }), {}, 'drift',
      [{ resource: 'skill group', name: 'G', kind: 'changed', field: 'description', declared: 'Board', live: 'board' }]],
    ['a missing skill group', desired({ skillGroups: [{ name: 'G' }] }), live({}), {}, 'drift', [{ resource: 'skill group', name: 'G', kind: 'missing' }]],
    ['an unmanaged skill group', desired({}), live({ skillGroups: [{ name: 'H', arn: `${ARN}:skill-group/h` }] }), {}, 'drift',
      [{ resource: 'skill group', name: 'H', kind: 'unmanaged', detail: `${ARN}:skill-group/h` }]],
  ])('skill groups: %s', (_, want, have, options, status, findings) => {
    const report = compare(want, have, options);
    expect(report.findings).toEqual(findings);
    expect(report.status).toBe(status);
  });
});

describe('compare: calendar link', () => {
  const delegate: DesiredLink = { tenant: 'contoso.onmicrosoft.com', method: 'delegate', serviceAccount: 'alexa@contoso.com', acceptedRoles: ['write', 'delegateWithoutPrivateEventAccess'], credentialsSecret: 's' };
  const application: DesiredLink = { tenant: 'contoso.onmicrosoft.com', method: 'application', applicationId: 'app-1', acceptedRoles: [], credentialsSecret: 's' };
  const a = room('A', { mailbox: 'A@contoso.com' });
  const mailbox = (m: MailboxState) => new Map([['a@contoso.com', m]]);
  const roomMailbox = (serviceAccountRole?: string): MailboxState => ({ exists: true, isRoom: true, serviceAccountRole });
  const lost = (liveRole: string): Finding => ({
    resource: 'room', name: 'A', kind: 'permission-lost', field: 'calendar permission', declared: 'write | delegateWithoutPrivateEventAccess', live: liveRole,
    detail: "alexa@contoso.com can no longer write the room's calendar",
  });
  test.each<[string, DesiredLink, Partial<LiveState>, DriftReport['status'], Finding[], number]>([
    ['a room mailbox with an accepted role (looked up lower-cased)', delegate, { mailboxes: mailbox(roomMailbox('write')) }, 'in-sync', [], 1],
    ['the mailbox was deleted', delegate, { mailboxes: mailbox({ exists: false, isRoom: false }) }, 'drift',
      [{ resource: 'room', name: 'A', kind: 'mailbox-missing', field: 'mailbox', declared: 'A@contoso.com', detail: 'no mailbox with this address exists in the tenant' }], 1],
    ['the mailbox became a user mailbox', delegate, { mailboxes: mailbox({ exists: true, isRoom: false, detail: "a user mailbox (userPurpose 'user')" }) }, 'drift',
      [{ resource: 'room', name: 'A', kind: 'not-a-room', field: 'mailbox', declared: 'A@contoso.com', detail: "a user mailbox (userPurpose 'user')" }], 1],
    ['not a room, without words for what it is', delegate, { mailboxes: mailbox({ exists: true, isRoom: false }) }, 'drift',
      [{ resource: 'room', name: 'A', kind: 'not-a-room', field: 'mailbox', declared: 'A@contoso.com', detail: 'the mailbox is no longer a room mailbox' }], 1],
    ['a role that is not accepted', delegate, { mailboxes: mailbox(roomMailbox('read')) }, 'drift', [lost('read')], 1],
    ['no role at all', delegate, { mailboxes: mailbox(roomMailbox()) }, 'drift', [lost('none')], 1],
    ['the application method does not look at roles', application, { mailboxes: mailbox(roomMailbox()), consent: true }, 'in-sync', [], 1],
    ['the consent was revoked', application, { mailboxes: mailbox(roomMailbox()), consent: false }, 'drift', [{
      resource: 'calendar link', name: 'app-1', kind: 'consent-missing', detail: 'the A4B app no longer holds Calendars.ReadWrite: an administrator revoked the consent',
    }], 1],
    ['the delegate method does not look at consent', delegate, { mailboxes: mailbox(roomMailbox('write')), consent: false }, 'in-sync', [], 1],
    ['consent not read is not drift', application, { mailboxes: mailbox(roomMailbox()) }, 'in-sync', [], 1],
    ['a revoked consent of a link without an application id (the type allows one) is reported under no name', { ...application, applicationId: undefined },
      { mailboxes: mailbox(roomMailbox()), consent: false }, 'drift', [{
        resource: 'calendar link', name: '', kind: 'consent-missing', detail: 'the A4B app no longer holds Calendars.ReadWrite: an administrator revoked the consent',
      }], 1],
    ['a mailbox Graph did not answer for is not counted', delegate, {}, 'in-sync', [], 0],
    ['a failed Graph read reports no link finding', delegate, { mailboxes: mailbox({ exists: false, isRoom: false }), errors: ['Graph: token'] }, 'error', [], 0],
    ['a room whose A4B read failed is not checked in Graph', delegate, { mailboxes: mailbox({ exists: false, isRoom: false }), unknownRooms: new Map([['a', 'GetRoom: 500']]) }, 'error',
      [{ resource: 'room', name: 'A', kind: 'unknown', detail: 'GetRoom: 500' }], 0],
  ])('%s', (_, link, have, status, findings, mailboxes) => {
    const report = compare(desired({ rooms: [a] }, link), live({ rooms: [a] }, have));
    expect(report.findings).toEqual(findings);
    expect(report.status).toBe(status);
    expect(report.checked).toEqual({ rooms: 1, profiles: 0, skillGroups: 0, mailboxes });
  });

  test('a failed A4B read still compares the link', () => {
    const report = compare(desired({ rooms: [a] }, delegate), live({}, { mailboxes: mailbox(roomMailbox('read')), errors: ['A4B: AccessDeniedException'] }));
    expect(report.status).toBe('error');
    expect(report.findings).toEqual([lost('read')]);
  });

  test('without a link, Graph is not looked at', () => {
    expect(compare(desired({ rooms: [a] }), live({ rooms: [a] }, { mailboxes: mailbox({ exists: false, isRoom: false }) })))
      .toEqual({ status: 'in-sync', findings: [], errors: [], checked: { rooms: 1, profiles: 0, skillGroups: 0, mailboxes: 0 } });
  });
});

describe('exitCode', () => {
  test.each<[DriftReport['status'], number]>([['in-sync', 0], ['drift', 2], ['error', 1]])('%s exits %d', (status, code) => {
    expect(exitCode({ status, findings: [], errors: [], checked: { rooms: 0, profiles: 0, skillGroups: 0, mailboxes: 0 } })).toBe(code);
  });
});

test('compare leaves the declared and live state as they were (devices are sorted in copies)', () => {
  const devices = [`${ARN}:device/b`, `${ARN}:device/a`];
  const liveDevices = [`${ARN}:device/c`, `${ARN}:device/a`];
  compare(desired({ rooms: [room('A', { devices })] }), live({ rooms: [room('A', { devices: liveDevices })] }));
  expect(devices).toEqual([`${ARN}:device/b`, `${ARN}:device/a`]);
  expect(liveDevices).toEqual([`${ARN}:device/c`, `${ARN}:device/a`]);
});
