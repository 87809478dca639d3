// `a4b-rooms test-booking` as a user runs it (compiled, in a child process) against a `local serve` whose rooms process
// meeting requests as Exchange does (the tenant file's calendarProcessing). After every run, the calendars are read
// back through the emulator's Graph routes: no test meeting may remain anywhere.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as path from 'path';
import { ClientSecretCredential } from '@azure/identity';
import { TenantFile } from '../lib/local/graph-tenant';
import { withinWorkingHours } from '../lib/o365/booking';
import { localDeploy } from '../lib/local/local-deploy';
import { postJson } from '../lib/local/local-world';
import { scaled, tempDir, waitFor } from './helpers';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'a4b-rooms.js');
const APP = `node ${path.join(ROOT, 'bin', 'app.js')}`;
const SA = 'alexaforbusiness@contoso.com';
const JANE = 'jane@contoso.com';
const m = (n: string) => `${n}@contoso.com`;
const HOURS = { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '09:00:00.0000000', endTime: '17:00:00.0000000', timeZone: { name: 'W. Europe Standard Time' } };
const UPN = 'room-9c1e@contoso.onmicrosoft.com';
const ROOMS: Array<[string, string, Record<string, unknown>, Record<string, unknown>?]> = [
  ['Keep', m('keep'), { deleteComments: false, processingDelayMs: 100 }],
  ['Strip', m('strip'), { processingDelayMs: 100 }], // Exchange's defaults
  ['Update', m('update'), { automateProcessing: 'AutoUpdate', processingDelayMs: 100 }],
  ['Manual', m('manual'), { automateProcessing: 'None' }],
  // Jane's two-week meeting: longer than Exchange's default maximum (1440 minutes), so this room allows any length.
  ['Busy', m('busy'), { deleteComments: false, maximumDurationInMinutes: 0, processingDelayMs: 100 }],
  ['Hours', m('hours'), { scheduleOnlyDuringWorkHours: true, deleteComments: false, processingDelayMs: 100 }, { workingHours: HOURS }],
  ['Policy', m('policy'), { allBookInPolicy: false, bookInPolicy: [JANE], deleteComments: false, processingDelayMs: 100 }],
  ['Upn', m('upn-room'), { deleteComments: false, processingDelayMs: 100 }, { upn: UPN }],
];
const TENANT: TenantFile = {
  tenantId: 'contoso.onmicrosoft.com',
  apps: [
    {
      clientId: 'validator', clientSecret: 'validator-secret',
      roles: ['User.Read.All', 'MailboxSettings.Read', 'Place.Read.All', 'GroupMember.Read.All', 'Calendars.ReadWrite', 'Mail.Read'],
    },
    { clientId: 'reader', clientSecret: 'reader-secret', roles: ['User.Read.All', 'Calendars.Read'] },
    { clientId: 'roomreader', clientSecret: 'roomreader-secret', roles: ['User.Read.All', 'Calendars.Read'] },
  ],
  users: [{ upn: SA, displayName: 'Alexa for Business' }, { upn: JANE, displayName: 'Jane' }],
  rooms: ROOMS.map(([name, mailbox, cp, extra]) => ({ mailbox, displayName: name, calendarProcessing: cp as any, ...extra })),
  calendarPermissions: ROOMS.map(([, mailbox]) => ({ mailbox, user: SA, role: 'write' })),
};

function inventory(secret: string): string {
  return [
    'calendarLink:',
    '  tenantId: contoso.onmicrosoft.com',
    '  method: delegate',
    `  serviceAccount: ${SA}`,
    `  credentialsSecret: ${secret}`,
    'profiles:',
    '  - { name: Std, address: 1 Main St, timezone: Europe/Berlin }',
    'rooms:',
    ...ROOMS.map(([name, mailbox]) => `  - { name: ${name}, mailbox: ${mailbox}, profile: Std }`),
    '',
  ].join('\n');
}

let dir: string;
let state: string;
let inv: string;
let server: ChildProcess;
let endpoints: Record<string, string>;
let ca: string;
let token: string;

function graphGet(p: string): Promise<any> {
  return new Promise((resolve, reject) => https.get(`${endpoints.graph}/v1.0${p}`, { ca, headers: { authorization: `Bearer ${token}` } }, (res) => {
    let text = '';
    res.on('data', (d) => (text += d));
    res.on('end', () => resolve(JSON.parse(text)));
  }).on('error', reject));
}
function graphPost(p: string, body: unknown): Promise<any> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(`${endpoints.graph}/v1.0${p}`, { method: 'POST', ca, headers: { 'content-type': 'application/json', 'authorization': `Bearer ${token}` } }, (res) => {
      let out = '';
      res.on('data', (d) => (out += d));
      res.on('end', () => resolve(JSON.parse(out)));
    });
    req.on('error', reject);
    req.end(text);
  });
}
/** Every event of every calendar of the tenant, by mailbox. */
async function calendars(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  // Outlook routes take an id or UPN (microsoft-graph-docs #3979): room Upn's UPN is not its address.
  for (const [mb, key] of [[SA, SA], [JANE, JANE], ...ROOMS.map(([, mailbox, , extra]) => [mailbox, (extra?.upn as string) ?? mailbox])]) {
    out[mb] = (await graphGet(`/users/${encodeURIComponent(key)}/events?$top=100&$select=subject`)).value.map((x: any) => x.subject);
  }
  return out;
}
/** What the tenant holds besides the test: Jane's meeting in Busy at the test's times, and its copy in Busy's calendar. */
const ONLY_JANES = () => ({
  [SA]: [], [JANE]: ['Quarterly planning'], [m('keep')]: [], [m('strip')]: [], [m('update')]: [], [m('manual')]: [], [m('busy')]: ['Jane'],
  [m('hours')]: [], [m('policy')]: [], [m('upn-room')]: [],
});

async function withSecret(name: string, clientId: string): Promise<string> {
  await postJson(`${endpoints.secretsManager}/_emulator/secrets`, { SecretId: name, SecretString: JSON.stringify({ clientId, clientSecret: `${clientId}-secret` }) });
  const file = path.join(dir, `${clientId}.yaml`);
  fs.writeFileSync(file, inventory(name));
  return file;
}

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string; child: ChildProcess }> & { child: ChildProcess } {
  const child = spawn('node', [CLI, 'test-booking', inv, '--local', '--state', state, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<any>((resolve) => child.once('exit', (status) => resolve({ status, stdout, stderr, child })));
  return Object.assign(done, { child });
}

async function until(what: () => Promise<boolean>, ms = 20000): Promise<void> {
  await waitFor('the booking condition', what, ms, 50);
}

beforeAll(async () => {
  dir = tempDir('a4b-booking-');
  state = path.join(dir, 'state');
  inv = path.join(dir, 'rooms.yaml');
  fs.writeFileSync(inv, inventory('a4b-rooms/graph-validator'));
  fs.writeFileSync(path.join(dir, 'tenant.json'), JSON.stringify(TENANT));
  server = spawn('node', [CLI, 'local', 'serve', '--state', state, '--tenant', path.join(dir, 'tenant.json')], { cwd: ROOT, stdio: 'ignore' });
  const file = path.join(state, 'endpoints.json');
  await waitFor(`${file} from local serve`, () => fs.existsSync(file));
  endpoints = JSON.parse(fs.readFileSync(file, 'utf8'));
  ca = fs.readFileSync(endpoints.ca, 'utf8');
  const result = await localDeploy({ app: APP, context: { inventory: inv }, stateDir: state });
  if (!result.ok) throw new Error(result.stacks.map((s) => s.error).join('\n'));
  const credential = new ClientSecretCredential('contoso.onmicrosoft.com', 'validator', 'validator-secret', { authorityHost: endpoints.authority, disableInstanceDiscovery: true, tlsOptions: { ca } } as any);
  token = (await credential.getToken('https://graph.microsoft.com/.default'))!.token;
  // Jane holds room Busy for the whole range the test looks for a free slot in (tomorrow and the 14 days after).
  const day = (n: number) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 19);
  await graphPost(`/users/${encodeURIComponent(JANE)}/events`, {
    subject: 'Quarterly planning', body: { contentType: 'text', content: 'offsite' }, start: { dateTime: day(0), timeZone: 'UTC' }, end: { dateTime: day(16), timeZone: 'UTC' },
    attendees: [{ type: 'resource', emailAddress: { address: m('busy') } }],
  });
  await until(async () => (await calendars())[m('busy')].length === 1);
}, scaled(120000));

afterAll(async () => {
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGINT');
  await exited;
});

describe('a4b-rooms test-booking', () => {
  test('a room that keeps the body passes: booked, accepted, dial-in kept, cleaned; exit 0', async () => {
    const r = await run(['--rooms', 'keep']);
    expect(r.stdout).toMatch(/^ROOM\s+MAILBOX\s+SLOT \(UTC\)\s+BOOKED\s+ANSWER\s+DIAL-IN KEPT\s+CLEANED\s+RESULT\nKeep\s+keep@contoso\.com\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+yes\s+accepted\s+yes\s+yes\s+passed$/m);
    expect(r.stdout).toContain(`booking test from ${SA}: 1 of 1 room passed`);
    expect(r.status).toBe(0);
    expect(await calendars()).toEqual(ONLY_JANES());
  }, scaled(60000));

  test('--json: DeleteComments names the exact command, AutoUpdate and None fail with their messages, a full calendar has no slot; exit 2; nothing remains', async () => {
    // The answers' bound: Manual and Update never answer, so the run waits all of it (test/cli/test-booking-clock.test.ts
    // has the timeout on an injected clock); scaled, so the rooms that do answer are in before it on a loaded machine.
    const r = await run(['--json', '--timeout', String(Math.ceil(scaled(3000) / 1000))]);
    expect(r.status).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ version: 1, status: 'failed', organizer: SA, leftoversRemoved: 0, errors: [] });
    const by = Object.fromEntries(report.rooms.map((x: any) => [x.name, x]));
    expect(by.Keep).toMatchObject({ booked: true, answer: 'accepted', dialInKept: true, cleaned: true, check: 'passed' });
    expect(by.Strip).toMatchObject({ booked: true, answer: 'accepted', dialInKept: false, cleaned: true, check: 'delete-comments', fix: 'Set-CalendarProcessing strip@contoso.com -DeleteComments $FALSE' });
    expect(by.Update).toMatchObject({ booked: true, answer: 'none', cleaned: true, check: 'tentative', fix: expect.stringContaining('Set-CalendarProcessing update@contoso.com -AutomateProcessing AutoAccept') });
    expect(by.Update.message).toContain('tentatively and sent no answer (AutomateProcessing is AutoUpdate?)');
    expect(by.Manual).toMatchObject({ booked: true, answer: 'none', dialInKept: null, cleaned: true, check: 'no-answer' });
    expect(by.Manual.message).toBe('no answer in time: the room does not process meeting requests automatically (AutomateProcessing is not AutoAccept?)');
    expect(by.Manual.fix).toContain('Get-CalendarProcessing manual@contoso.com | Format-List AutomateProcessing');
    // Busy's calendar is full where the test looks (getSchedule): nothing is booked, the room is not blamed for a decline.
    expect(by.Busy).toMatchObject({ booked: false, answer: '', dialInKept: null, cleaned: true, check: 'no-slot' });
    expect(by.Busy.message).toBe('the room has no free 15-minute slot inside its working hours in the 14 days from tomorrow: nothing was booked');
    expect(await calendars()).toEqual(ONLY_JANES());
  }, scaled(60000));

  test('working hours, BookInPolicy and a UPN that is not the address: booked inside the hours, the policy and its reason named; exit 2', async () => {
    const r = await run(['--json', '--rooms', 'Hours,Policy,Upn']);
    expect(r.status).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ status: 'failed', errors: [] });
    const by = Object.fromEntries(report.rooms.map((x: any) => [x.name, x]));
    // Inside the room's working hours (Mon-Fri 9-17 Berlin time): the old fixed Sunday 02:00 UTC slot was not.
    expect(by.Hours).toMatchObject({ booked: true, answer: 'accepted', dialInKept: true, cleaned: true, check: 'passed' });
    const start = Date.parse(by.Hours.slot);
    expect(withinWorkingHours(start, start + 15 * 60000, HOURS)).toBe(true);
    // The organizer is not in BookInPolicy: the room's reply says why, and the fix names both settings.
    expect(by.Policy).toMatchObject({ booked: true, answer: 'declined', cleaned: true, check: 'declined', declineReason: 'Your request was declined because you don\'t have permission to book this resource.' });
    expect(by.Policy.message).toContain('its booking policy decided (AllBookInPolicy/BookInPolicy)');
    expect(by.Policy.fix).toBe(`check the room's AllBookInPolicy/BookInPolicy: Get-CalendarProcessing ${m('policy')} | Format-List AllBookInPolicy,BookInPolicy,AllRequestInPolicy; to let ${SA} book it: Set-CalendarProcessing ${m('policy')} -AllBookInPolicy $true, or add ${SA} to -BookInPolicy (the list given replaces the old one)`);
    // Reached by its id, though its UPN is not its address.
    expect(by.Upn).toMatchObject({ booked: true, answer: 'accepted', dialInKept: true, cleaned: true, check: 'passed' });
    expect(await calendars()).toEqual(ONLY_JANES());
  }, scaled(60000));

  test('the old fixed slot (a Sunday, 02:00 UTC) is declined by a room that schedules only in its working hours, with the reason', async () => {
    const sunday = new Date(Math.floor(Date.now() / 86400000) * 86400000 + 30 * 86400000);
    sunday.setUTCDate(sunday.getUTCDate() + ((7 - sunday.getUTCDay()) % 7));
    const at = (ms: number) => ({ dateTime: new Date(sunday.getTime() + ms).toISOString().slice(0, 19), timeZone: 'UTC' });
    const ev = await graphPost(`/users/${encodeURIComponent(JANE)}/events`, {
      subject: 'old slot', body: { contentType: 'text', content: '' }, start: at(2 * 3600000), end: at(2 * 3600000 + 900000),
      attendees: [{ type: 'resource', emailAddress: { address: m('hours') } }],
    });
    const answer = async () => (await graphGet(`/users/${encodeURIComponent(JANE)}/events/${encodeURIComponent(ev.id)}`)).attendees[0].status.response;
    await until(async () => (await answer()) !== 'none');
    expect(await answer()).toBe('declined');
    const replies = (await graphGet(`/users/${encodeURIComponent(JANE)}/messages?$filter=${encodeURIComponent(`from/emailAddress/address eq '${m('hours')}'`)}`)).value;
    expect(replies.find((x: any) => x.subject === 'Declined: old slot').body.content).toBe('Your request was declined because the meeting is outside the working hours of this resource.');
    await new Promise<void>((resolve, reject) => {
      https.request(`${endpoints.graph}/v1.0/users/${encodeURIComponent(JANE)}/events/${encodeURIComponent(ev.id)}`, { method: 'DELETE', ca, headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      }).on('error', reject).end();
    });
    expect(await calendars()).toEqual(ONLY_JANES());
  }, scaled(60000));

  test('the table names each failure with its fix', async () => {
    const r = await run(['--rooms', 'Strip,Busy']);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain("✗ room 'Busy' (busy@contoso.com): the room has no free 15-minute slot inside its working hours in the 14 days from tomorrow: nothing was booked\n    fix: look at its working hours (Get-MailboxCalendarConfiguration busy@contoso.com) and calendar, or run the test later");
    expect(r.stdout).toContain("✗ room 'Strip' (strip@contoso.com): the room accepted the meeting but deleted its body, so Alexa finds no dial-in number in it (DeleteComments is on, Exchange's default)\n    fix: Set-CalendarProcessing strip@contoso.com -DeleteComments $FALSE");
    expect(r.stdout).toContain(`booking test from ${SA}: 0 of 2 rooms passed`);
    expect(await calendars()).toEqual(ONLY_JANES());
  }, scaled(60000));

  test('Ctrl-C while waiting: the test meetings are cancelled and deleted; exit 1', async () => {
    const r = run(['--rooms', 'Keep,Manual', '--timeout', '60']);
    await until(async () => (await calendars())[m('keep')].length === 1);
    r.child.kill('SIGINT');
    const out = await r;
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('interrupted: cancelling and deleting the test meetings');
    expect(out.stdout).toContain('✗ interrupted: the test meetings were cancelled and deleted');
    expect(await calendars()).toEqual(ONLY_JANES());
  }, scaled(60000));

  test('a run killed outright leaves its meetings; the next run removes them first, and nothing remains', async () => {
    const r = run(['--rooms', 'Strip,Manual', '--timeout', '60']);
    await until(async () => {
      const c = await calendars();
      return c[m('strip')].length === 1 && c[SA].length === 2;
    });
    r.child.kill('SIGKILL');
    await r;
    const left = await calendars();
    expect(left[SA].sort()).toEqual(['[cdk-a4b-rooms booking test] Manual', '[cdk-a4b-rooms booking test] Strip']);
    expect(left[m('strip')]).toEqual(['Alexa for Business']); // the organizer's name, as Exchange's DeleteSubject titles it
    const again = await run(['--rooms', 'Keep', '--json']);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'passed', leftoversRemoved: 2 });
    expect(await calendars()).toEqual(ONLY_JANES());
  }, scaled(60000));

  test('a room that is not in the inventory is refused before anything is booked; exit 1', async () => {
    const r = await run(['--rooms', 'Keep,Nope']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--rooms: 'Nope' is not a room with a mailbox in");
    expect(r.stderr).toContain('the rooms are: Keep, Strip, Update, Manual, Busy, Hours, Policy, Upn');
    expect(await calendars()).toEqual(ONLY_JANES());
  }, scaled(60000));

  test('the application method needs --organizer; with it, the test books from that mailbox', async () => {
    const app = path.join(dir, 'application.yaml');
    fs.writeFileSync(app, inventory('a4b-rooms/graph-validator').replace('  method: delegate', '  method: application\n  applicationId: 0d9bd8c6-1b27-4b60-a52e-4c1e2f3e8b11').replace(`  serviceAccount: ${SA}\n`, ''));
    const spawnIt = (extra: string[]) => {
      const child = spawn('node', [CLI, 'test-booking', app, '--local', '--state', state, '--rooms', 'Keep', ...extra], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d) => (stdout += d));
      child.stderr!.on('data', (d) => (stderr += d));
      return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => child.once('exit', (status) => resolve({ status, stdout, stderr })));
    };
    const without = await spawnIt([]);
    expect(without.status).toBe(1);
    expect(without.stderr).toContain('the application method has no service account to book from: give --organizer ADDRESS');
    const withJane = await spawnIt(['--organizer', JANE, '--json']);
    expect(JSON.parse(withJane.stdout)).toMatchObject({ status: 'passed', organizer: JANE, rooms: [{ name: 'Keep', check: 'passed', cleaned: true }] });
    expect(withJane.status).toBe(0);
    expect(await calendars()).toEqual(ONLY_JANES());
  }, scaled(60000));

  test('without Calendars.ReadWrite on the organizer: exit 1 naming the permission, nothing booked', async () => {
    await postJson(`${endpoints.secretsManager}/_emulator/secrets`, { SecretId: 'a4b-rooms/reader', SecretString: JSON.stringify({ clientId: 'reader', clientSecret: 'reader-secret' }) });
    const readerInv = path.join(dir, 'reader.yaml');
    fs.writeFileSync(readerInv, inventory('a4b-rooms/reader'));
    const child = spawn('node', [CLI, 'test-booking', readerInv, '--local', '--state', state, '--rooms', 'Keep', '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout!.on('data', (d) => (stdout += d));
    const status = await new Promise((resolve) => child.once('exit', resolve));
    expect(status).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.status).toBe('error');
    expect(report.rooms[0]).toMatchObject({ booked: false, check: 'error' });
    expect(report.rooms[0].message).toContain(`the Graph app reader may not write the calendar of the organizer ${SA}: grant it Calendars.ReadWrite`);
    expect(await calendars()).toEqual(ONLY_JANES());
  }, scaled(60000));

  // Last: it leaves a cancelled copy behind, as a real room would.
  test('rooms only readable: the cancelled copy the room keeps is reported with both fixes; exit 1', async () => {
    await postJson(`${endpoints.graph}/_emulator/scoped-roles`, { clientId: 'roomreader', role: 'Calendars.ReadWrite', mailboxes: [SA] }, ca);
    const file = await withSecret('a4b-rooms/roomreader', 'roomreader');
    const child = spawn('node', [CLI, 'test-booking', file, '--local', '--state', state, '--rooms', 'Keep', '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout!.on('data', (d) => (stdout += d));
    const status = await new Promise((resolve) => child.once('exit', resolve));
    expect(status).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.rooms[0]).toMatchObject({ check: 'passed', dialInKept: true, cleaned: false });
    expect(report.errors).toEqual([`a copy of the test meeting remains in the calendar of ${m('keep')}: the Graph app roomreader may not delete it (grant it Calendars.ReadWrite on the room's mailbox), and a room keeps cancelled meetings unless Set-CalendarProcessing ${m('keep')} -RemoveCanceledMeetings $true`]);
    expect(await calendars()).toEqual({ ...ONLY_JANES(), [m('keep')]: ['Canceled: Alexa for Business'] });
  }, scaled(60000));
});
