// The HTML report's pure parts: the data island cannot be broken out of, charts count what the rows say, every
// drift finding gets its fix and its links. The page itself is driven in Chromium by report-html-browser.test.ts.
import { compare, DriftReport, Finding } from '../../lib/drift/compare';
import { driftFix } from '../../lib/drift/fix';
import { DesiredLink, DesiredState, LiveState, RoomState } from '../../lib/drift/model';
import { barChart, chartedGroups, driftFacts, driftHtml, escapeHtml, HtmlRow, roomStatusCounts, scriptJson, tally, toHtml } from '../../lib/drift/report-html';

const HOSTILE = ['</script><script>window.pwned=1</script>', 'a\u2028b\u2029c', '<!--<script>', '"><img src=x onerror=alert(1)>', "O'Brien & <Sons>"];

const link: DesiredLink = {
  tenant: 'contoso.onmicrosoft.com', method: 'delegate', serviceAccount: 'alexaforbusiness@contoso.onmicrosoft.com', applicationId: 'app-1',
  acceptedRoles: ['editor'], credentialsSecret: 'a4b-rooms/graph-validator',
};

describe('scriptJson', () => {
  test.each(HOSTILE)('%j cannot end the script and reads back unchanged', (name) => {
    const out = scriptJson({ rows: [{ name }] });
    expect(out).not.toMatch(/<\/script|<!--|[<>\u2028\u2029]/i);
    expect(JSON.parse(out)).toEqual({ rows: [{ name }] });
  });
});

describe('escapeHtml', () => {
  test.each([
    ['<b>&"\'', '&#60;b&#62;&#38;&#34;&#39;'],
    ['Spree (2.01)', 'Spree (2.01)'],
  ])('%j -> %j', (input, out) => expect(escapeHtml(input)).toBe(out));
});

describe('tally', () => {
  test.each<[string[], number, Array<[string, number]>]>([
    [[], 5, []],
    [['b', 'a', 'b'], 5, [['b', 2], ['a', 1]]],
    [['c', 'a', 'b'], 5, [['a', 1], ['b', 1], ['c', 1]]],
    [['a', 'a', 'b', 'c', 'd'], 3, [['a', 2], ['b', 1], ['2 others', 2]]],
  ])('%j (at most %i bars)', (labels, max, bars) => expect(tally(labels, max)).toEqual(bars));
});

describe('chartedGroups', () => {
  const row = (groups: Record<string, string>): HtmlRow => ({ resource: 'room', name: 'r', kind: 'changed', groups });
  test.each<[Array<Record<string, string>>, string[]]>([
    [[{}], []],
    [[{ profile: 'P', floor: '2' }], ['profile', 'floor']],
    // A tag every row shares tells nothing; office, site, building and floor are charted anyway.
    [[{ team: 'x', floor: '1' }, { team: 'x', floor: '1' }], ['floor']],
    [[{ team: 'x', site: 'munich' }, { team: 'y', profile: 'P' }], ['profile', 'site', 'team']],
    [[{ a: '1', b: '1', c: '1', d: '1', e: '1', profile: 'P' }, { a: '2', b: '2', c: '2', d: '2', e: '2' }], ['profile', 'a', 'b', 'c', 'd']],
  ])('%j -> %j', (groups, charted) => expect(chartedGroups(groups.map(row))).toEqual(charted));
});

describe('barChart', () => {
  test('a bar per entry, the longest for the largest count, the values spoken in the label', () => {
    const svg = barChart('Findings by kind', [['changed', 4], ['missing', 1], ['<x>', 2]]);
    const widths = [...svg.matchAll(/<rect class="bar" x="\d+" y="\d+" width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([260, 65, 130]);
    expect(svg).toContain('aria-label="Findings by kind: changed 4, missing 1, &#60;x&#62; 2"');
    expect(svg).not.toContain('<x>');
  });
});

describe('driftFix', () => {
  const f = (kind: Finding['kind'], extra: Partial<Finding> = {}): Finding => ({ resource: 'room', name: 'Spree (2.01)', kind, ...extra });
  const c = { deploy: 'cdk deploy', link, mailbox: 'spree@contoso.onmicrosoft.com' };
  test.each<[Finding, string]>([
    [f('missing'), 'cdk deploy (creates the room again)'],
    [f('changed', { field: 'description' }), 'cdk deploy (sets description back to the declared value), or declare the live value in the inventory'],
    [f('unmanaged'), 'a4b-rooms import -o imported.yaml, and add the room to the inventory to manage it; or delete it in the A4B console; or run drift with --ignore-unmanaged'],
    [f('mailbox-missing'), 'create the room mailbox (New-Mailbox -Room), or correct the address in the inventory'],
    [f('not-a-room', { declared: 'spree@contoso.onmicrosoft.com' }), "convert it with Set-Mailbox spree@contoso.onmicrosoft.com -Type Room, or use the room's resource mailbox"],
    [f('permission-lost', { live: 'none' }), 'Add-MailboxFolderPermission spree@contoso.onmicrosoft.com:\\Calendar -User alexaforbusiness@contoso.onmicrosoft.com -AccessRights Editor'],
    [f('permission-lost', { live: 'reviewer' }), 'Set-MailboxFolderPermission spree@contoso.onmicrosoft.com:\\Calendar -User alexaforbusiness@contoso.onmicrosoft.com -AccessRights Editor'],
    [{ resource: 'calendar link', name: 'app-1', kind: 'consent-missing' }, 'an administrator grants the consent again: https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=app-1'],
    [f('unknown'), 'run drift again; if the read keeps failing, raise --request-timeout or fix the error shown'],
  ])('%j', (finding, fix) => expect(driftFix(finding, c)).toBe(fix));
});

/** A declared fleet and a live one that differs: one room changed, one missing, one unmanaged, a profile changed. */
function fleet(): { desired: DesiredState; live: LiveState } {
  const room = (name: string, floor: string, arn?: string): RoomState => ({ name, mailbox: `${name.split(' ')[0].toLowerCase()}@contoso.onmicrosoft.com`, profile: 'Berlin', tags: { 'floor': floor, 'managed-by': 'cdk-a4b-rooms' }, arn });
  const desired: DesiredState = {
    rooms: new Map([['spree', room('Spree', '2')], ['havel', room('Havel', '2')], ['tegel', room('Tegel', '3')]]),
    profiles: new Map([['berlin', { name: 'Berlin', fields: { timezone: 'Europe/Berlin' } }]]),
    skillGroups: new Map(),
  };
  const live: LiveState = {
    rooms: new Map([
      ['spree', { ...room('Spree', '2', 'arn:aws:a4b:us-east-1:1:room/s'), description: 'changed in the console', tags: { 'floor': '2', 'managed-by': 'cdk-a4b-rooms', 'aws:cloudformation:stack-name': 'S' } }],
      ['tegel', room('Tegel', '3', 'arn:aws:a4b:us-east-1:1:room/t')],
      ['stray', { ...room('Stray', '9', 'arn:aws:a4b:us-east-1:1:room/x'), profile: 'Munich' }],
    ]),
    profiles: new Map([['berlin', { name: 'Berlin', fields: { timezone: 'UTC' }, arn: 'arn:aws:a4b:us-east-1:1:profile/b' }]]),
    skillGroups: new Map(), mailboxes: new Map(), unknownRooms: new Map(), errors: [],
  };
  return { desired, live };
}

describe('driftHtml', () => {
  const { desired, live } = fleet();
  const report = compare(desired, live);
  const html = driftHtml(report, driftFacts(desired, live), { generated: '2026-12-04T00:00:00Z', source: 'rooms.yaml', deploy: 'cdk deploy', region: 'eu-west-1', link });

  test('rooms by status, as the drift monitor counts them', () => {
    expect(roomStatusCounts(report)).toEqual({ inSync: 1, drifted: 1, missing: 1, unmanaged: 1, unknown: 0 });
    expect(html.counts.slice(0, 5).map((c) => [c.label, c.value])).toEqual([
      ['rooms in sync', 1], ['rooms drifted', 1], ['rooms missing', 1], ['rooms unmanaged', 1], ['rooms unknown', 0],
    ]);
    expect([html.status, html.tone, html.exitCode]).toEqual(['drifted', 'warn', 2]);
  });

  test('each finding: declared and live, its fix, its console page and mailbox, grouped by profile and tags (not system tags)', () => {
    const spree = html.rows.find((r) => r.name === 'Spree')!;
    expect(spree).toEqual({
      resource: 'room', name: 'Spree', kind: 'changed', field: 'description', declared: '(none)', live: 'changed in the console', detail: undefined,
      fix: 'cdk deploy (sets description back to the declared value), or declare the live value in the inventory',
      mailbox: 'spree@contoso.onmicrosoft.com', console: 'https://console.aws.amazon.com/a4b/home?region=eu-west-1#rooms/arn%3Aaws%3Aa4b%3Aus-east-1%3A1%3Aroom%2Fs',
      groups: { 'profile': 'Berlin', 'floor': '2', 'managed-by': 'cdk-a4b-rooms' },
    });
    // Missing: declared, no ARN, so no console page; unmanaged: the live room's own profile.
    expect(html.rows.find((r) => r.name === 'Havel')).toMatchObject({ kind: 'missing', console: undefined, fix: 'cdk deploy (creates the room again)' });
    expect(html.rows.find((r) => r.name === 'Stray')).toMatchObject({ kind: 'unmanaged', groups: { profile: 'Munich', floor: '9' } });
    expect(html.rows.find((r) => r.resource === 'profile')).toMatchObject({ field: 'timezone', declared: 'Europe/Berlin', live: 'UTC', console: expect.stringContaining('#profiles/') });
  });

  test('the page: no external URL, the counts and charts in the markup, the rows in the data island', () => {
    const page = toHtml(html);
    expect(page.match(/(?:src|href)=["']?(?:https?:)?\/\//g)).toBeNull();
    expect(page).toContain("default-src 'none'");
    expect(page).toContain('<dt>rooms drifted</dt><dd>1</dd>');
    expect(page).toContain('aria-label="Findings by kind: changed 2, missing 1, unmanaged 1"');
    expect(page).toContain('aria-label="Findings by floor: 2 2, (no floor) 1, 9 1"');
    const island = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(page)![1];
    expect(JSON.parse(island).rows).toEqual(JSON.parse(JSON.stringify(html.rows)));
  });

  test('hostile names stay text in the markup and data', () => {
    const rows = HOSTILE.map((name): HtmlRow => ({ resource: 'room', name, kind: 'changed', groups: { floor: name } }));
    const page = toHtml({ ...html, title: HOSTILE[0], rows });
    expect(page.split('</script>').length - 1).toBe(2);
    expect(page).not.toContain('<img');
    const island = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(page)![1];
    expect(island).not.toMatch(/[\u2028\u2029]/);
    expect(JSON.parse(island).rows.map((r: HtmlRow) => r.name)).toEqual(HOSTILE);
  });
});

test('a missing room whose mailbox is missing too counts once, as missing', () => {
  const f = (name: string, kind: Finding['kind']): Finding => ({ resource: 'room', name, kind });
  const report: DriftReport = {
    status: 'drift', errors: [], checked: { rooms: 4, profiles: 0, skillGroups: 0, mailboxes: 4 },
    findings: [f('Elbe', 'missing'), f('Elbe', 'mailbox-missing'), f('Spree', 'changed'), f('spree', 'permission-lost'), f('Isar', 'unknown'), f('Isar', 'not-a-room')],
  };
  expect(roomStatusCounts(report)).toEqual({ inSync: 1, drifted: 1, missing: 1, unmanaged: 0, unknown: 1 });
});

test('an in-sync report has no rows and says so in its band', () => {
  const report: DriftReport = { status: 'in-sync', findings: [], errors: [], checked: { rooms: 2, profiles: 1, skillGroups: 0, mailboxes: 2 } };
  const html = driftHtml(report, new Map(), { generated: 'now', source: 'rooms.yaml', deploy: 'cdk deploy', region: 'us-east-1' });
  expect([html.status, html.tone, html.exitCode, html.rows]).toEqual(['in sync', 'ok', 0, []]);
  expect(toHtml(html)).toContain('Exit code 0: in sync, the live fleet matches the declaration');
});
