// A mailbox check in record mode, through the bundled calendar link handler against the Graph and Secrets Manager
// emulators with the real @azure/identity and Graph client: bad rooms are recorded (SUCCESS, summary in Data), every
// room is checked on each Update, and credential errors still fail at once.
import * as fs from 'fs';
import { parseSummary } from '../../lib/runtime/graph/findings';
import { A4bEmulator } from '../../lib/local/a4b-emulator';
import { GraphEmulator } from '../../lib/local/graph-emulator';
import { localProviderEnv } from '../../lib/local/local-deploy';
import { CALENDAR_LINK_BUNDLE, LocalLambda } from '../../lib/local/local-lambda';
import { tempDir, waitFor } from '../helpers';

const SA = 'alexaforbusiness@contoso.onmicrosoft.com';
const APP = { clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'local-test-secret-9f8e7d' };
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:a4b/graph-AbCdEf';
const WRONG_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:a4b/wrong-AbCdEf';
const room = (n: string) => ({ Name: n, Mailbox: `${n.toLowerCase()}@contoso.onmicrosoft.com` });

describe('a mailbox check in record mode (bundled handler)', () => {
  let graph: GraphEmulator;
  let a4b: A4bEmulator;
  let lambda: LocalLambda;
  let logFile: string;

  beforeAll(async () => {
    const dir = tempDir();
    graph = await GraphEmulator.start({
      stateDir: dir,
      tenant: {
        tenantId: 'contoso.onmicrosoft.com',
        apps: [{ ...APP, roles: ['Place.Read.All', 'User.Read.All', 'Calendars.Read', 'MailboxSettings.Read'] }],
        users: [{ upn: SA }],
        // Spree is fine; Havel's calendar is not shared with the service account; Tegel does not exist; Oder is fine.
        rooms: ['Spree', 'Havel', 'Oder'].map((n) => ({ mailbox: room(n).Mailbox, displayName: n })),
        calendarPermissions: ['Spree', 'Oder'].map((n) => ({ mailbox: room(n).Mailbox, user: SA, role: 'write' })),
      },
    });
    a4b = await A4bEmulator.start({ stateDir: dir });
    a4b.putSecret(SECRET, JSON.stringify(APP));
    a4b.putSecret(WRONG_SECRET, JSON.stringify({ ...APP, clientSecret: 'not-the-secret' }));
    logFile = `${dir}/provider.log`;
    const env = { ...localProviderEnv({ a4b: a4b.endpoint, secretsManager: a4b.endpoint, graph: graph.url, authority: graph.url, ca: graph.tls.caFile! }), GRAPH_MAX_RETRY_WAIT_SECONDS: '0', A4B_ROOMS_LOG_FILE: logFile };
    lambda = await LocalLambda.start(CALENDAR_LINK_BUNDLE, { env, log: fs.createWriteStream(logFile) });
  });
  afterAll(async () => {
    await lambda.stop();
    await a4b.stop();
    await graph.stop();
  });

  // CloudFormation passes properties as strings.
  const props = (rooms: string[], extra: Record<string, unknown> = {}) => ({
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:link', Tenant: 'contoso.onmicrosoft.com', Method: 'delegate', ServiceAccount: SA,
    CredentialsSecretArn: SECRET, AcceptedRoles: ['write', 'delegateWithoutPrivateEventAccess', 'delegateWithPrivateEventAccess'], RecordFindings: 'true', Rooms: rooms.map(room), ...extra,
  });
  const invoke = (type: string, resourceProperties: object, oldProperties?: object) => lambda.invoke({
    RequestType: type, RequestId: `${Math.random()}`, StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/1', LogicalResourceId: 'Shard07', ResourceType: 'Custom::A4BCalendarLink',
    ...(oldProperties ? { PhysicalResourceId: 'calendar-link-Shard07', OldResourceProperties: oldProperties } : {}), ResourceProperties: resourceProperties,
  });

  test('bad rooms are recorded, not failed: the summary in Data, every room with its fix in the log', async () => {
    const res = await invoke('Create', props(['Spree', 'Havel', 'Tegel']));
    expect(res.Status).toBe('SUCCESS');
    expect(res.Data).toMatchObject({ RoomsValidated: '3', PermissionsGranted: '0' });
    const s = parseSummary(res.Data!.Findings);
    expect(s).toMatchObject({ checked: 3, bad: 2, log: logFile });
    expect(s.kinds.flatMap((k) => k.r).sort()).toEqual(['Havel <havel@contoso.onmicrosoft.com>', 'Tegel <tegel@contoso.onmicrosoft.com>']);
    // The log is a write stream: wait until it has reached the file.
    const read = () => fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l.includes('"finding"')).map((l) => JSON.parse(l.slice(l.indexOf('{'))).finding);
    await waitFor(`two findings in ${logFile}`, () => read().length >= 2);
    const logged = read();
    expect(logged.map((f) => f.mailbox).sort()).toEqual(['havel@contoso.onmicrosoft.com', 'tegel@contoso.onmicrosoft.com']);
    expect(logged.find((f) => f.mailbox.startsWith('havel')).fix).toContain(`-User ${SA}`);
  });

  test('an Update checks every room again, not only the new one (a check\'s earlier findings are known only by checking)', async () => {
    const recorded = await invoke('Update', props(['Spree', 'Havel', 'Tegel', 'Oder']), props(['Spree', 'Havel', 'Tegel']));
    expect(recorded.Status).toBe('SUCCESS');
    expect(parseSummary(recorded.Data!.Findings)).toMatchObject({ checked: 4, bad: 2 });
    // Without record mode the same Update checks only Oder, and passes.
    const plain = await invoke('Update', props(['Spree', 'Havel', 'Tegel', 'Oder'], { RecordFindings: undefined }), props(['Spree', 'Havel', 'Tegel'], { RecordFindings: undefined }));
    expect(plain).toMatchObject({ Status: 'SUCCESS', Data: { RoomsValidated: '1' } });
  });

  test('clean rooms record nothing; a credential error still fails the check at once, without the secret', async () => {
    const clean = await invoke('Create', props(['Spree', 'Oder']));
    expect(parseSummary(clean.Data!.Findings)).toEqual({ v: 1, checked: 2, bad: 0, kinds: [], log: logFile });
    const wrong = await invoke('Create', props(['Spree', 'Havel'], { CredentialsSecretArn: WRONG_SECRET }));
    expect(wrong.Status).toBe('FAILED');
    expect(wrong.Reason).toMatch(/refused the client secret/);
    expect(wrong.Reason).not.toContain('not-the-secret');
  });
});
