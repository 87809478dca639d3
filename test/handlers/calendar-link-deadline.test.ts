// The bundled calendar link validator answers CloudFormation before its Lambda function's timeout when Graph keeps it
// waiting (a slow token endpoint, or throttled items whose Retry-After outlasts the function), saying what it waited on
// and that A4B was not touched, instead of timing out without an answer.
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CalendarLinkMethod, Office365CalendarLink, Room, RoomProfile } from '../../lib';
import { A4bEmulator } from '../../lib/local/a4b-emulator';
import { staticProperties } from '../../lib/local/deploy-engine';
import { GraphEmulator } from '../../lib/local/graph-emulator';
import { localProviderEnv } from '../../lib/local/local-deploy';
import { CALENDAR_LINK_BUNDLE, LocalLambda } from '../../lib/local/local-lambda';
import { stringifyScalars } from '../../lib/local/template';
import { scaled, tempDir } from '../helpers';

const TENANT = 'contoso.onmicrosoft.com';
const SA = 'alexaforbusiness@contoso.onmicrosoft.com';
const APP = { clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'local-test-secret-9f8e7d' };

let graph: GraphEmulator;
let a4b: A4bEmulator;
let lambda: LocalLambda;
let properties: Record<string, unknown>;

beforeEach(async () => {
  const dir = tempDir();
  graph = await GraphEmulator.start({
    stateDir: dir,
    tenant: {
      tenantId: TENANT, apps: [{ ...APP, roles: ['Place.Read.All', 'User.Read.All', 'MailboxSettings.Read', 'Calendars.ReadWrite'] }], users: [{ upn: SA }],
      rooms: [{ mailbox: 'spree@contoso.onmicrosoft.com', displayName: 'Spree' }],
      calendarPermissions: [{ mailbox: 'spree@contoso.onmicrosoft.com', user: SA, role: 'write' }],
    },
  });
  a4b = await A4bEmulator.start({ stateDir: dir });
  const env = { ...localProviderEnv({ a4b: a4b.endpoint, secretsManager: a4b.endpoint, graph: graph.url, authority: graph.url, ca: graph.tls.caFile! }), GRAPH_MAX_RETRY_WAIT_SECONDS: '30' };
  lambda = await LocalLambda.start(CALENDAR_LINK_BUNDLE, { env, log: fs.createWriteStream('/dev/null') });

  const app = new App();
  const stack = new Stack(app, 'Rooms');
  new Office365CalendarLink(stack, 'Link', {
    tenant: TENANT, method: CalendarLinkMethod.delegate({ serviceAccount: SA }), credentials: secretsmanager.Secret.fromSecretNameV2(stack, 'Creds', 'a4b/graph'),
  });
  new Room(stack, 'Spree', { roomName: 'Spree', mailbox: 'spree@contoso.onmicrosoft.com', profile: new RoomProfile(stack, 'P', { roomProfileName: 'P', address: 'a', timezone: 'UTC' }) });
  const template = app.synth().getStackByName('Rooms').template;
  const linkId = Object.keys(template.Resources).find((id) => template.Resources[id].Type === 'Custom::A4BCalendarLink')!;
  properties = stringifyScalars(staticProperties('Rooms', template, linkId)) as Record<string, unknown>;
  a4b.putSecret(String(properties.CredentialsSecretArn), JSON.stringify(APP));
});
afterEach(async () => {
  await lambda.stop();
  await a4b.stop();
  await graph.stop();
});

const create = (timeoutSeconds?: number) => lambda.invoke({
  RequestType: 'Create', RequestId: randomUUID(), StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Rooms/x', LogicalResourceId: 'LinkResource',
  ResourceType: 'Custom::A4BCalendarLink', ResourceProperties: properties,
}, { timeoutSeconds });

test('without Graph trouble the check passes within the same short timeout', async () => {
  // 2 s (times TEST_TIME_SCALE: on a loaded machine the check's own calls take longer than the 1.6 s it gets).
  const res = await create(scaled(2000) / 1000);
  expect(res).toMatchObject({ Status: 'SUCCESS', Data: { RoomsValidated: '1' } });
});

test('throttled items whose Retry-After outlasts the function: FAILED before the deadline, naming the wait; A4B untouched', async () => {
  graph.injectFault({ match: 'GET /users?$filter', scope: 'item', status: 429, retryAfterSeconds: 10 });
  const res = await create(2);
  expect(res.Status).toBe('FAILED');
  expect(res.PhysicalResourceId).toBe('calendar-link-LinkResource');
  expect(res.Reason).toBe(`calendar link (tenant ${TENANT}, 1 room mailbox to check): Create stopped while still waiting on Graph's Retry-After (10 s, 1 item answered 429), `
    + "to answer CloudFormation before the Lambda function's timeout (2.0 s left when the request started; the service was slow or kept failing and was being retried). "
    + 'Nothing was applied in this request. No A4B change was made. Deploy again once Graph answers in time; the check starts over.');
  expect(a4b.requests.filter((r) => !r.operation.startsWith('secretsmanager.'))).toEqual([]);
}, scaled(15_000));

test('a token endpoint slower than the function: FAILED before the deadline, naming the token request', async () => {
  graph.latencyMs = 4000;
  const res = await create(2);
  expect(res.Status).toBe('FAILED');
  expect(res.Reason).toContain('Create stopped while still waiting on Entra ID token request');
}, scaled(15_000));
