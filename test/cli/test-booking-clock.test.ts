// `test-booking`'s timeout and polls on an injected clock, in this process against in-process emulators: time moves
// only while nothing is on its way to a room, so a room that answers always answers "in time" and one that never
// answers always runs into the timeout, however slow the machine (the CLI suite, test/test-booking.test.ts, waits a
// real --timeout 3 for that).
import * as fs from 'fs';
import * as path from 'path';
import { testBooking } from '../../lib/cli/test-booking';
import { TenantFile } from '../../lib/local/graph-tenant';
import { localDeploy } from '../../lib/local/local-deploy';
import { LocalWorld, serveLocalWorld } from '../../lib/local/local-world';
import { ManualClock } from '../../lib/runtime/clock';
import { tempDir, waitFor } from '../helpers';

const APP = `node ${path.join(__dirname, '..', '..', 'bin', 'app.js')}`;
const SA = 'alexaforbusiness@contoso.com';
const ROOMS: Array<[string, string, Record<string, unknown>]> = [
  ['Keep', 'keep@contoso.com', { deleteComments: false, processingDelayMs: 100 }],
  ['Manual', 'manual@contoso.com', { automateProcessing: 'None' }],
];
const TENANT: TenantFile = {
  tenantId: 'contoso.onmicrosoft.com',
  apps: [{ clientId: 'validator', clientSecret: 'validator-secret', roles: ['User.Read.All', 'MailboxSettings.Read', 'Place.Read.All', 'GroupMember.Read.All', 'Calendars.ReadWrite'] }],
  users: [{ upn: SA, displayName: 'Alexa for Business' }],
  rooms: ROOMS.map(([name, mailbox, calendarProcessing]) => ({ mailbox, displayName: name, calendarProcessing: calendarProcessing as any })),
  calendarPermissions: ROOMS.map(([, mailbox]) => ({ mailbox, user: SA, role: 'write' })),
};
const INVENTORY = [
  'calendarLink:', '  tenantId: contoso.onmicrosoft.com', '  method: delegate', `  serviceAccount: ${SA}`, '  credentialsSecret: a4b-rooms/graph-validator',
  'profiles:', '  - { name: Std, address: 1 Main St, timezone: Europe/Berlin }',
  'rooms:', ...ROOMS.map(([name, mailbox]) => `  - { name: ${name}, mailbox: ${mailbox}, profile: Std }`), '',
].join('\n');

let stateDir: string;
let inventory: string;
let world: LocalWorld;

beforeAll(async () => {
  stateDir = tempDir('a4b-booking-clock-');
  inventory = path.join(tempDir(), 'rooms.yaml');
  fs.writeFileSync(inventory, INVENTORY);
  world = await serveLocalWorld(stateDir, { tenant: TENANT });
  const deployed = await localDeploy({ app: APP, context: { inventory }, stateDir });
  expect(deployed.stacks.map((s) => s.error)).toEqual([undefined]);
});
afterAll(() => world.close());

/**
 * Settles `run`, moving the clock to the next wake-up only while the run sleeps and no meeting request or
 * cancellation is on its way to a room (so the emulated Exchange is never "slow" in the run's time).
 */
async function onClock<T>(clock: ManualClock, run: Promise<T>): Promise<T> {
  let settled = false;
  run.then(() => (settled = true), () => (settled = true));
  for (;;) {
    await waitFor('the booking run to sleep or end', () => settled || clock.sleeping > 0);
    if (settled) return run;
    await world.graph!.settled();
    clock.advanceToNextWake();
  }
}

test('a room that answers passes and one that never answers is "no answer" at --timeout 3, on the injected clock; nothing remains', async () => {
  const clock = new ManualClock(Date.parse('2026-12-04T12:00:00Z'));
  const start = clock.now();
  const report = await onClock(clock, testBooking({ inventoryFile: inventory, localStateDir: stateDir, timeoutSeconds: 3, clock }));
  const by = Object.fromEntries(report.rooms.map((r) => [r.name, r]));
  expect(by.Keep).toMatchObject({ booked: true, answer: 'accepted', dialInKept: true, cleaned: true, check: 'passed' });
  expect(by.Manual).toMatchObject({ booked: true, answer: 'none', cleaned: true, check: 'no-answer' });
  expect(report).toMatchObject({ status: 'failed', errors: [] });
  // The polls ran into the timeout (3 s of the run's time), then the cleanup's sweep ended once nothing was left.
  expect(clock.now() - start).toBeGreaterThanOrEqual(3000);
  for (const [, mailbox] of ROOMS) expect(world.graph!.events(mailbox).filter((e) => !e.isCancelled)).toEqual([]);
});
