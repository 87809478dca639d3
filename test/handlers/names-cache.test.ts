// The provider's per-container cache of profile names (lib/handlers/a4b/names.ts) trusts a resolved name for
// CACHE_TTL_MS: the bound on the one staleness A4B cannot catch, a profile renamed in place outside the container and
// its old name given to another one. Driven by a ManualClock (no waiting) against the A4B emulator, through the
// real SDK client the handler uses.
import { ManualClock } from '../../lib/runtime/clock';
import { A4bEmulator } from '../../lib/local/a4b-emulator';
import { a4bProviderEnv } from '../helpers';

let emulator: A4bEmulator;
let names: typeof import('../../lib/handlers/a4b/names');
const saved = { ...process.env };

beforeAll(async () => {
  emulator = await A4bEmulator.start();
  for (const [k, v] of Object.entries(a4bProviderEnv(emulator.endpoint))) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  // The handler's A4B client reads its endpoint from the environment when its module loads.
  names = await import('../../lib/handlers/a4b/names');
});
afterAll(async () => {
  process.env = saved;
  await emulator.stop();
});
beforeEach(() => names.forgetAll());

function createProfile(name: string): string {
  return emulator.call('CreateProfile', { ProfileName: name, Address: '1 Main St', Timezone: 'UTC', DistanceUnit: 'METRIC', TemperatureUnit: 'CELSIUS', WakeWord: 'ALEXA' }).ProfileArn;
}
const searches = () => emulator.requests.filter((r) => r.operation === 'SearchProfiles').length;

test('a name is trusted for exactly CACHE_TTL_MS: a profile renamed outside and its name reused is seen after that, not before', async () => {
  const clock = new ManualClock(1_000_000);
  const first = createProfile('Std Cache');
  const before = searches();
  expect((await names.lookup('profile', ['Std Cache'], false, clock)).get('std cache')).toEqual({ arn: first, name: 'Std Cache', cached: false });
  expect(searches()).toBe(before + 1);

  // Outside this container: the profile renamed, its old name given to a new one.
  emulator.call('UpdateProfile', { ProfileArn: first, ProfileName: 'Std Cache (old)' });
  const second = createProfile('Std Cache');

  clock.advance(names.CACHE_TTL_MS);
  expect((await names.lookup('profile', ['std cache'], false, clock)).get('std cache')).toEqual({ arn: first, name: 'Std Cache', cached: true });
  expect(searches()).toBe(before + 1);

  clock.advance(1);
  expect((await names.lookup('profile', ['Std Cache'], false, clock)).get('std cache')).toEqual({ arn: second, name: 'Std Cache', cached: false });
  expect(searches()).toBe(before + 2);
});

test('a name the provider itself just gave (remember) is trusted from that moment on its clock', async () => {
  const clock = new ManualClock(5_000_000);
  const arn = createProfile('Made Here');
  names.remember('profile', 'Made Here', arn, clock);
  const before = searches();
  clock.advance(names.CACHE_TTL_MS);
  expect((await names.lookup('profile', ['Made Here'], false, clock)).get('made here')).toEqual({ arn, name: 'Made Here', cached: true });
  expect(searches()).toBe(before);
  clock.advance(1);
  expect((await names.lookup('profile', ['Made Here'], false, clock)).get('made here')).toEqual({ arn, name: 'Made Here', cached: false });
  expect(searches()).toBe(before + 1);
});
