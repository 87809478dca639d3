// The deploy engine runs resources as CloudFormation does (every resource whose dependencies are met, nested stacks
// side by side) and invokes their function as Lambda does (reserved concurrency queues invocations, the queue wait
// counts against the custom resource's ServiceTimeout). Driven with a handler that logs when each run starts and ends.
import * as fs from 'fs';
import * as path from 'path';
import { DeployEngine, functionReservedConcurrency, functionTimeouts, runInOrder } from '../../lib/local/deploy-engine';
import { LocalLambda } from '../../lib/local/local-lambda';
import { Template } from '../../lib/local/template';
import { ManualClock } from '../../lib/runtime/clock';
import { recordingLambda, scaled, waitFor } from '../helpers';

const HANDLER = `
const fs = require('fs');
const http = require('http');
exports.handler = async (event) => {
  const log = (what) => fs.appendFileSync(process.env.CALLS, JSON.stringify({ what, type: event.RequestType, name: event.ResourceProperties.Name, at: Date.now() }) + '\\n');
  log('start');
  // Barrier: N holds the run until N runs have started (the log read back), so runs that may overlap do, however
  // slowly the machine starts them; bounded, so a deploy that never starts N ends and its test fails on the overlap.
  const starts = () => fs.readFileSync(process.env.CALLS, 'utf8').split('\\n').filter((l) => l.includes('"what":"start"')).length;
  const bound = Date.now() + ${scaled(20_000)};
  while (event.RequestType !== 'Delete' && starts() < Number(event.ResourceProperties.Barrier || 0) && Date.now() < bound) await new Promise((r) => setTimeout(r, 5));
  // Hold: the run goes on once the test releases it (a file), so the test decides when each run ends.
  const released = () => fs.existsSync(process.env.CALLS + '.release.' + event.ResourceProperties.Name);
  while (event.RequestType !== 'Delete' && event.ResourceProperties.Hold && !released() && Date.now() < bound) await new Promise((r) => setTimeout(r, 5));
  if (event.RequestType !== 'Delete') await new Promise((r) => setTimeout(r, Number(event.ResourceProperties.SleepMs || 0)));
  log('end');
  const body = JSON.stringify({ Status: 'SUCCESS', PhysicalResourceId: event.PhysicalResourceId || 'thing-' + event.ResourceProperties.Name, StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId });
  await new Promise((resolve, reject) => { const req = http.request(event.ResponseURL, { method: 'PUT' }, (res) => { res.resume(); res.on('end', resolve); }); req.on('error', reject); req.end(body); });
};`;

interface Call { what: 'start' | 'end'; type: string; name: string; at: number }

let dir: string;
let lambda: LocalLambda;
let log: () => Call[];
let forget: () => void;
/** The most handler runs that overlapped. */
const maxOverlap = (entries: Call[]) => {
  let now = 0;
  let max = 0;
  for (const c of entries) max = Math.max(max, (now += c.what === 'start' ? 1 : -1));
  return max;
};
const thing = (name: string, sleepMs: number, extra: Record<string, unknown> = {}) => ({ Type: 'Custom::Thing', Properties: { ServiceToken: 'x', Name: name, SleepMs: String(sleepMs), ...extra } });
const things = (n: number, sleepMs: number, barrier = 0) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`T${i}`, thing(`t${i}`, sleepMs, { Barrier: String(barrier) })]));

beforeEach(async () => {
  ({ dir, lambda, calls: log, forget } = await recordingLambda(HANDLER));
});
afterEach(() => lambda.stop());

describe('CloudFormation\'s parallelism', () => {
  test('every resource whose dependencies are met starts at once: no cap of 10', async () => {
    const engine = new DeployEngine({ lambdas: { 'Custom::Thing': lambda }, stateDir: dir });
    expect((await engine.deployStack('S', { Resources: things(30, 0, 30) })).ok).toBe(true);
    expect(maxOverlap(log())).toBe(30);
  });

  test('the concurrency option still caps it', async () => {
    const engine = new DeployEngine({ lambdas: { 'Custom::Thing': lambda }, stateDir: dir, concurrency: 4 });
    // Each run waits for 4 starts: the first 4 overlap; a fifth at once would make it 5.
    expect((await engine.deployStack('S', { Resources: things(12, 0, 4) })).ok).toBe(true);
    expect(maxOverlap(log())).toBe(4);
  });

  test('nested stacks deploy side by side', async () => {
    const nested: Record<string, Template> = {
      'https://s3/a.json': { Resources: things(2, 0, 6) },
      'https://s3/b.json': { Resources: things(3, 0, 6) },
      'https://s3/c.json': { Resources: things(1, 0, 6) },
    };
    const parent: Template = { Resources: Object.fromEntries(['a', 'b', 'c'].map((n) => [`Nested${n}`, { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: `https://s3/${n}.json` } }])) };
    const engine = new DeployEngine({ lambdas: { 'Custom::Thing': lambda }, stateDir: dir });
    const result = await engine.deployStack('P', parent, undefined, (url) => nested[url]);
    expect(result.ok).toBe(true);
    expect(maxOverlap(log())).toBe(6);
  });

  test('in an update, an unchanged resource is done as soon as its dependencies are: a DependsOn chain paces updates as it paces creates', async () => {
    const engine = new DeployEngine({ lambdas: { 'Custom::Thing': lambda }, stateDir: dir });
    const chain = (bName: string): Template => ({ Resources: {
      Slow: thing('slow', 600),
      A: { ...thing('a', 0) },
      B: { ...thing(bName, 0), DependsOn: ['A'] },
      C: { ...thing('c', 0), DependsOn: ['B'] },
    } });
    expect((await engine.deployStack('S', chain('b'))).ok).toBe(true);
    forget();
    // Slow's update holds until b2's has started: B is not to wait for it.
    expect((await engine.deployStack('S', { Resources: { ...chain('b2').Resources, Slow: thing('slow2', 0, { Barrier: '2' }) } })).ok).toBe(true);
    const updates = log().filter((c) => c.what === 'start' && c.type === 'Update');
    expect(updates.map((c) => c.name).sort()).toEqual(['b2', 'slow2']);
    // B (after unchanged A) did not wait for anything but A: it started while Slow still ran.
    const b = updates.find((c) => c.name === 'b2')!;
    const slowEnd = log().find((c) => c.what === 'end' && c.name === 'slow2')!;
    expect(b.at).toBeLessThan(slowEnd.at);
  });

  test('runInOrder keeps dependency order with no cap', async () => {
    const order: string[] = [];
    await runInOrder(new Map([['a', []], ['b', ['a']], ['c', ['a']], ['d', ['b', 'c']]]), Infinity, async (id) => {
      order.push(`start ${id}`);
      await new Promise((r) => setTimeout(r, 20));
      order.push(`end ${id}`);
    });
    expect(order).toEqual(['start a', 'end a', 'start b', 'start c', 'end b', 'end c', 'start d', 'end d']);
  });
});

describe('Lambda concurrency for the provider function', () => {
  const fn = (extra: Record<string, unknown>) => ({ Fn: { Type: 'AWS::Lambda::Function', Properties: { Timeout: 5, ...extra } } });
  const viaFn = (name: string, sleepMs: number, serviceTimeout: number) => thing(name, sleepMs, { ServiceToken: { 'Fn::GetAtt': ['Fn', 'Arn'] }, ServiceTimeout: String(serviceTimeout) });
  const engineFor = (template: Template, extra: Partial<ConstructorParameters<typeof DeployEngine>[0]> = {}) => new DeployEngine({
    lambdas: { 'Custom::Thing': lambda }, stateDir: dir, functionTimeouts: functionTimeouts(template), reservedConcurrency: functionReservedConcurrency(template), ...extra,
  });

  test('ReservedConcurrentExecutions: at most that many run at once, the rest wait in the queue; the stats say so', async () => {
    const template: Template = { Resources: { ...fn({ ReservedConcurrentExecutions: 2 }), ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`T${i}`, viaFn(`t${i}`, 300, 30)])) } };
    expect(functionReservedConcurrency(template)).toEqual({ 'arn:aws:lambda:us-east-1:123456789012:function:local-Fn': 2 });
    const engine = engineFor(template);
    expect((await engine.deployStack('S', template)).ok).toBe(true);
    expect(maxOverlap(log())).toBe(2);
    const [stats] = engine.lambdaStats();
    expect(stats).toMatchObject({ functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:local-Fn', reservedConcurrency: 2, invocations: 6, maxInFlight: 2, outlivedServiceTimeout: 0, serviceTimeoutSeconds: 30 });
    // The last ones waited for rounds of 300 ms before theirs; CloudFormation waited for queue and run.
    expect(stats.maxQueueWaitMs).toBeGreaterThanOrEqual(250);
    expect(stats.maxWaitForAnswerMs).toBeGreaterThanOrEqual(550);
    expect(stats.maxShareOfServiceTimeout).toBeCloseTo(stats.maxWaitForAnswerMs / 30_000, 2);
  });

  test('queue wait counts against ServiceTimeout: the request whose wait plus run passes it fails in CloudFormation\'s words, and the deploy rolls back', async () => {
    // One at a time, 800 ms each (on the test's clock: each run ends when the test says), 2 s ServiceTimeout: the third
    // in the queue (whichever it is) starts at 1.6 s and is still running at 2 s, when CloudFormation gives up.
    const hold = (name: string) => thing(name, 0, { ServiceToken: { 'Fn::GetAtt': ['Fn', 'Arn'] }, ServiceTimeout: '2', Hold: '1' });
    const template: Template = { Resources: { ...fn({ ReservedConcurrentExecutions: 1 }), A: hold('a'), B: hold('b'), C: hold('c') } };
    const clock = new ManualClock();
    const engine = engineFor(template, { clock });
    const deployed = engine.deployStack('S', template);
    const started = () => log().filter((c) => c.what === 'start' && c.type === 'Create').map((c) => c.name);
    const release = (name: string) => fs.writeFileSync(`${path.join(dir, 'calls.jsonl')}.release.${name}`, '');
    for (const n of [1, 2, 3]) {
      await waitFor(`run ${n} to start`, () => started().length === n);
      clock.advance(n < 3 ? 800 : 400);
      // The third is released after CloudFormation gave up (the deadline is settled before the handler next looks):
      // Lambda does not stop it, and its slot frees for the rollback's deletes once it ends.
      release(started()[n - 1]);
    }
    const result = await deployed;
    expect(result.ok).toBe(false);
    const third = started()[2].toUpperCase();
    expect(result.error).toMatch(new RegExp(`^${third}: CloudFormation did not receive a response from your Custom Resource\\. Please check your logs for requestId \\[[0-9a-f-]{36}\\]\\.`));
    const others = ['A', 'B', 'C'].filter((x) => x !== third);
    expect(result.rollback).toEqual(expect.arrayContaining(others.map((x) => `${x}: deleted thing-${x.toLowerCase()}`)));
    const [stats] = engine.lambdaStats();
    // The first waited for nothing; the second 800 ms in the queue and 1.6 s for its answer; the third outlived 2 s.
    expect(stats).toMatchObject({
      outlivedServiceTimeout: 1, maxInFlight: 1, maxQueueWaitMs: 1600, maxWaitForAnswerMs: 2000, maxShareOfServiceTimeout: 1,
    });
  });

  test('without reserved concurrency, functions share the account\'s concurrency (here 100)', async () => {
    const template: Template = { Resources: { ...fn({}), ...Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`T${i}`, viaFn(`t${i}`, 1500, 60)])) } };
    const engine = engineFor(template, { accountConcurrency: 100 });
    expect((await engine.deployStack('S', template)).ok).toBe(true);
    expect(maxOverlap(log())).toBe(100);
    expect(engine.lambdaStats()[0]).toMatchObject({ invocations: 120, maxInFlight: 100 });
    expect(engine.lambdaStats()[0].reservedConcurrency).toBeUndefined();
  }, scaled(20_000));

  test('reserved concurrency that leaves less than 100 of the account unreserved is refused as Lambda refuses it', () => {
    const template: Template = { Resources: fn({ ReservedConcurrentExecutions: 60 }) };
    expect(() => engineFor(template, { accountConcurrency: 150 })).toThrow(
      "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].");
  });
});
