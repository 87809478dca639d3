// Every custom resource tells CloudFormation how long to wait for its answer (ServiceTimeout): its function's timeout
// plus a margin, so a function that dies without answering fails the deploy in minutes, not after the default hour.
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CalendarLinkMethod, Office365CalendarLink, Room, RoomInventory, RoomProfile, RoomsProvider, SkillGroup } from '../lib';
import { tempDir } from './helpers';

const MARGIN_SECONDS = 30;
/** The provider's default maxQueueTime: how long a room's request may wait behind the reserved concurrency. */
const QUEUE_SECONDS = 600;

type Resources = Record<string, { Type: string; Properties?: any }>;

/** Each custom resource's ServiceTimeout next to the Timeout of the function its ServiceToken names. */
function timeoutsOf(resources: Resources): Array<{ type: string; serviceTimeout: unknown; functionTimeout: unknown }> {
  return Object.values(resources).filter((r) => r.Type.startsWith('Custom::')).map((r) => {
    const fnId = r.Properties.ServiceToken['Fn::GetAtt'][0];
    return { type: r.Type, serviceTimeout: r.Properties.ServiceTimeout, functionTimeout: resources[fnId].Properties.Timeout };
  });
}

function stack(configure: (s: Stack) => void): Resources {
  const s = new Stack(new App(), 'S');
  configure(s);
  return Template.fromStack(s).toJSON().Resources;
}

function rooms(s: Stack) {
  new Office365CalendarLink(s, 'Link', {
    tenant: 'contoso.onmicrosoft.com', method: CalendarLinkMethod.delegate({ serviceAccount: 'a4b@contoso.onmicrosoft.com' }),
    credentials: secretsmanager.Secret.fromSecretNameV2(s, 'Graph', 'a4b/graph'),
  });
  const profile = new RoomProfile(s, 'P', { roomProfileName: 'P', address: 'a', timezone: 'UTC' });
  const sg = new SkillGroup(s, 'G', { skillGroupName: 'G' });
  new Room(s, 'R', { roomName: 'R', mailbox: 'r@contoso.onmicrosoft.com', profile, skillGroups: [sg] });
}

test('defaults: rooms, profiles and skill groups wait 10 min queued + 5 min + margin, the calendar link 10 min + margin', () => {
  const found = timeoutsOf(stack(rooms));
  expect(found.map((f) => [f.type, f.functionTimeout, f.serviceTimeout]).sort()).toEqual([
    ['Custom::A4BCalendarLink', 600, String(600 + MARGIN_SECONDS)],
    ['Custom::A4BRoom', 300, String(QUEUE_SECONDS + 300 + MARGIN_SECONDS)],
    ['Custom::A4BRoomProfile', 300, String(QUEUE_SECONDS + 300 + MARGIN_SECONDS)],
    ['Custom::A4BSkillGroup', 300, String(QUEUE_SECONDS + 300 + MARGIN_SECONDS)],
  ]);
});

test.each([[3, 600], [90, 60], [900, 0], [900, 2670]])('a RoomsProvider timeout of %d s and maxQueueTime of %d s give every A4B resource a ServiceTimeout of both plus the margin', (seconds, queue) => {
  const found = timeoutsOf(stack((s) => {
    new RoomsProvider(s, 'Provider', { timeout: Duration.seconds(seconds), maxQueueTime: Duration.seconds(queue) });
    rooms(s);
  })).filter((f) => f.type !== 'Custom::A4BCalendarLink');
  expect(found).toHaveLength(3);
  for (const f of found) expect(f).toMatchObject({ functionTimeout: seconds, serviceTimeout: String(queue + seconds + MARGIN_SECONDS) });
});

test('a timeout and maxQueueTime past CloudFormation\'s 3,600 s ServiceTimeout are refused, naming both', () => {
  expect(() => stack((s) => new RoomsProvider(s, 'Provider', { timeout: Duration.minutes(15), maxQueueTime: Duration.minutes(45) }))).toThrow(
    'RoomsProvider S/Provider: timeout 15 minutes + maxQueueTime 45 minutes + 30 s is 3630 s, over CloudFormation\'s 3,600 s ServiceTimeout: shorten one of them');
});

test('an inventory: every custom resource of the stack and of every shard has a ServiceTimeout above its function timeout', () => {
  const outdir = tempDir('a4b-inv-');
  const app = new App({ outdir });
  const inventory = {
    calendarLink: { tenantId: 'contoso.onmicrosoft.com', method: 'delegate', serviceAccount: 'a4b@contoso.onmicrosoft.com', credentialsSecret: 'a4b/graph' },
    profiles: [{ name: 'Std', address: '1 Main St', timezone: 'UTC' }],
    skillGroups: [{ name: 'Conferencing' }],
    rooms: Array.from({ length: 12 }, (_, i) => ({ name: `Room ${i}`, mailbox: `room${i}@contoso.onmicrosoft.com`, profile: 'Std', skillGroups: ['Conferencing'] })),
  };
  new RoomInventory(new Stack(app, 'Rooms'), 'Inventory', { inventory, shards: 4 });
  app.synth();
  const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).map((f) => JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8')));
  const custom = templates.flatMap((t) => Object.values<any>(t.Resources).filter((r) => r.Type.startsWith('Custom::')));
  expect(custom.filter((r) => r.Type === 'Custom::A4BRoom')).toHaveLength(12);
  for (const r of custom) {
    expect(r.Properties.ServiceTimeout).toBe(String((['Custom::A4BCalendarLink', 'Custom::A4BMailboxCheckGate'].includes(r.Type) ? 600 : QUEUE_SECONDS + 300) + MARGIN_SECONDS));
  }
});

test.each([[Duration.minutes(16), '16 minutes'], [Duration.millis(500), '500 millis']])('a RoomsProvider timeout of %s is refused, naming the limit', (timeout, shown) => {
  expect(() => stack((s) => new RoomsProvider(s, 'Provider', { timeout }))).toThrow(`RoomsProvider S/Provider: timeout ${shown} must be from 1 second to 15 minutes (Lambda's limit)`);
});
