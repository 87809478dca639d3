// A first deploy of an estate at A4B's quotas for profiles and skill groups (1,000 rooms over 100 profiles, each room
// in up to 3 of 1,000 skill groups, at random) against an A4B that throttles above 50 requests a second: the waves
// and the provider's reserved concurrency pace it, the SDK's retries absorb the throttling, no request outlives its
// ServiceTimeout, and drift then finds the account exactly as declared.
import * as fs from 'fs';
import * as path from 'path';
import { drift } from '../../lib/cli/drift';
import { deployStatsLine, localDeploy } from '../../lib/local/local-deploy';
import { scaled, tempDir } from '../helpers';


const { quotaInventory } = require('../../bench/quota-inventory.js');

const APP = `node ${path.join(__dirname, '..', '..', 'bin', 'app.js')}`;

test('1,000 rooms, 100 profiles, 1,000 skill groups under --a4b-rate-limit 50: the first deploy succeeds, paced, and drift reports it in sync', async () => {
  const inventory = quotaInventory({ rooms: 1000, profiles: 100, skillGroups: 1000, seed: 1000 });
  const file = path.join(tempDir('a4b-quota-'), 'rooms.json');
  fs.writeFileSync(file, JSON.stringify(inventory));
  const stateDir = tempDir('a4b-state-');
  const result = await localDeploy({ app: APP, context: { inventory: file, driftMonitor: 'false' }, stateDir, a4bRateLimit: 50 });
  expect(result.stacks.map((s) => s.error)).toEqual([undefined]);
  expect(result.ok).toBe(true);
  expect(result.a4b.rateLimit).toBe(50);
  // The client paces itself to what A4B lets through (lib/runtime/a4b/pacing.ts): unpaced, about a third of the
  // requests came back throttled.
  expect(result.a4b.throttled).toBeLessThan(result.a4b.requests * 0.05);
  const provider = result.lambda.find((f) => f.reservedConcurrency !== undefined)!;
  expect(provider).toMatchObject({ reservedConcurrency: 10, outlivedServiceTimeout: 0 });
  expect(provider.maxInFlight).toBeLessThanOrEqual(10);
  expect(provider.maxShareOfServiceTimeout).toBeLessThan(1);
  expect(provider.invocations).toBeGreaterThanOrEqual(2100);
  // The figures for docs/benchmarks.md, on request: a passing test prints nothing.
  if (process.env.A4B_DEPLOY_STATS) console.log(deployStatsLine(result));

  const report = await drift({ inventoryFile: file, localStateDir: stateDir });
  expect({ status: report.status, findings: report.findings.slice(0, 3), errors: report.errors }).toEqual({ status: 'in-sync', findings: [], errors: [] });
}, scaled(900_000));
