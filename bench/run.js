#!/usr/bin/env node
// npm run bench: figures, not assertions. Handler bundles: size and cold module-load time (goal <= 500 KB, <= 150 ms).
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const root = path.join(__dirname, '..');
const REPS = Number(process.env.BENCH_REPS ?? 9);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function loadMs(file) {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const runs = [];
  for (let i = 0; i < REPS; i++) {
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, AWS_REGION: 'us-east-1' } });
    if (r.status !== 0) throw new Error(r.stderr);
    runs.push(Number(r.stdout));
  }
  return runs;
}

const os = require('os');

/** An inventory of n rooms over 5 profiles and 5 skill groups, as a platform team's file would hold them. */
function writeInventory(n) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'a4b-bench-')), `rooms-${n}.json`);
  const profiles = Array.from({ length: 5 }, (_, i) => ({ name: `Site ${i}`, address: `${i} Main Street, Berlin`, timezone: 'Europe/Berlin', meetingRoom: { instantBooking: { durationMinutes: 30 } } }));
  const skillGroups = Array.from({ length: 5 }, (_, i) => ({ name: `Group ${i}`, description: `Skills ${i}` }));
  const rooms = Array.from({ length: n }, (_, i) => ({
    name: `Room ${String(i).padStart(5, '0')}`, mailbox: `room${i}@contoso.onmicrosoft.com`, profile: `Site ${i % 5}`,
    skillGroups: [`Group ${i % 5}`, `Group ${(i + 1) % 5}`], description: `Floor ${i % 12}`, tags: { floor: String(i % 12) },
  }));
  const calendarLink = { tenantId: 'contoso.onmicrosoft.com', method: 'delegate', serviceAccount: 'alexaforbusiness@contoso.onmicrosoft.com', credentialsSecret: 'a4b-rooms/graph-validator' };
  fs.writeFileSync(file, JSON.stringify({ calendarLink, profiles, skillGroups, rooms }));
  return file;
}

/** Wall seconds and peak RSS of one synth in a fresh node process. */
function synthOnce(script, env) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'a4b-bench-out-'));
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', path.join(__dirname, 'usage.js'), script], { encoding: 'utf8', env: { ...process.env, ...env, CDK_OUTDIR: outdir } });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  fs.rmSync(outdir, { recursive: true, force: true });
  return { seconds, rssMb: Number(/BENCH_MAXRSS_KB=(\d+)/.exec(r.stderr)[1]) / 1024 };
}

function benchSynth(n, reps) {
  const inventory = writeInventory(n);
  const ours = [];
  const floor = [];
  for (let i = 0; i < reps; i++) {
    // Interleaved, so that load on this shared machine hits both alike.
    ours.push(synthOnce(path.join(root, 'bin', 'app.js'), { CDK_CONTEXT_JSON: JSON.stringify({ inventory }) }));
    floor.push(synthOnce(path.join(__dirname, 'floor-app.js'), { BENCH_INVENTORY: inventory }));
  }
  const m = (xs, k) => median(xs.map((x) => x[k]));
  const ratio = m(ours, 'seconds') / m(floor, 'seconds');
  console.log(`${String(n).padStart(6)} rooms  ${m(ours, 'seconds').toFixed(2).padStart(6)} s ${m(ours, 'rssMb').toFixed(0).padStart(5)} MB   floor ${m(floor, 'seconds').toFixed(2).padStart(6)} s ${m(floor, 'rssMb').toFixed(0).padStart(5)} MB   ratio ${ratio.toFixed(2)} ${ratio <= 1.25 ? '(within goal 1.25)' : '(OVER GOAL 1.25)'}`);
}

async function benchLocalDeploy(n) {
  const { localDeploy } = require(path.join(root, 'lib', 'local', 'local-deploy.js'));
  const { serveLocalWorld } = require(path.join(root, 'lib', 'local', 'local-world.js'));
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'a4b-bench-state-'));
  const inventory = writeInventory(n);
  const world = await serveLocalWorld(stateDir);
  const app = `node ${JSON.stringify(path.join(root, 'bin', 'app.js'))}`;
  const t0 = process.hrtime.bigint();
  const result = await localDeploy({ app, context: { inventory }, stateDir });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const a4b = world.a4b.requests.filter((r) => !r.operation.startsWith('secretsmanager')).length;
  const graph = world.graph.requests.length;
  const t1 = process.hrtime.bigint();
  const again = await localDeploy({ app, context: { inventory }, stateDir });
  const unchanged = Number(process.hrtime.bigint() - t1) / 1e9;
  await world.close();
  if (!result.ok || !again.ok) throw new Error(`local deploy failed: ${result.stacks.map((s) => s.error).join('; ')}`);
  console.log(`${String(n).padStart(6)} rooms  first deploy ${seconds.toFixed(1)} s (synth included), ${(a4b / n).toFixed(2)} A4B requests and ${(graph / n).toFixed(2)} Graph requests per room; unchanged re-deploy ${unchanged.toFixed(1)} s`);
}

console.log(`cdk-a4b-rooms bench on ${os.cpus().length} cores, node ${process.version}\n`);
console.log('handler bundle                  bytes     gzip    load ms (median, min-max of ' + REPS + ' cold loads)');
for (const name of fs.readdirSync(path.join(root, 'assets')).filter((d) => fs.existsSync(path.join(root, 'assets', d, 'index.js')))) {
  const file = path.join(root, 'assets', name, 'index.js');
  const bytes = fs.statSync(file).size;
  const gz = zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
  const ms = loadMs(file);
  const ok = bytes <= 500 * 1024 && median(ms) <= 150 ? 'within goal' : 'OVER GOAL (500 KB, 150 ms)';
  console.log(`${name.padEnd(28)} ${String(bytes).padStart(8)} ${String(gz).padStart(8)}    ${median(ms).toFixed(1)} (${Math.min(...ms).toFixed(1)}-${Math.max(...ms).toFixed(1)})  ${ok}`);
}

(async () => {
  const synthReps = Number(process.env.BENCH_SYNTH_REPS ?? 3);
  console.log(`\nsynth of an inventory (bin/app.js) against plain aws-cdk-lib with the same custom resources and nesting (median of ${synthReps}, wall and peak RSS)`);
  for (const n of (process.env.BENCH_SYNTH_ROOMS ?? '1000,10000').split(',').map(Number)) benchSynth(n, synthReps);
  console.log('\nlocal deploy to the emulators (in-process), bundled handlers');
  for (const n of (process.env.BENCH_DEPLOY_ROOMS ?? '1000').split(',').map(Number)) await benchLocalDeploy(n);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
