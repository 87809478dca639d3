// The deploy engine's CloudFormation semantics that the A4B handlers never exercise (they never replace), shown
// with a handler written for it: a physical id that follows the `Name` property, as a custom-named resource has.
import * as fs from 'fs';
import * as path from 'path';
import { DeployEngine, functionTimeouts } from '../../lib/local/deploy-engine';
import { LocalLambda } from '../../lib/local/local-lambda';
import { Template } from '../../lib/local/template';
import { ManualClock } from '../../lib/runtime/clock';
import { recordingLambda, scaled, tempDir } from '../helpers';

const HANDLER = `
const fs = require('fs');
const http = require('http');
exports.handler = async (event) => {
  fs.appendFileSync(process.env.CALLS, JSON.stringify({ type: event.RequestType, id: event.PhysicalResourceId, name: event.ResourceProperties.Name }) + '\\n');
  const fail = event.ResourceProperties.Fail === 'true' && event.RequestType !== 'Delete';
  const body = JSON.stringify({ Status: fail ? 'FAILED' : 'SUCCESS', Reason: fail ? 'asked to fail' : undefined, PhysicalResourceId: event.RequestType === 'Delete' ? event.PhysicalResourceId : 'thing-' + event.ResourceProperties.Name,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: { Upper: String(event.ResourceProperties.Name).toUpperCase() } });
  await new Promise((resolve, reject) => { const req = http.request(event.ResponseURL, { method: 'PUT' }, (res) => { res.resume(); res.on('end', resolve); }); req.on('error', reject); req.end(body); });
};`;

const template = (name: string, extra: Record<string, unknown> = {}): Template => ({
  Resources: {
    Thing: { Type: 'Custom::Thing', Properties: { ServiceToken: 'x', Name: name, ...extra } },
    User: { Type: 'Custom::Thing', Properties: { ServiceToken: 'x', Name: { 'Fn::Join': ['-', [{ 'Fn::GetAtt': ['Thing', 'Upper'] }, 'user']] } } },
  },
});

describe('deploy engine', () => {
  let dir: string;
  let calls: string;
  let lambda: LocalLambda;
  let engine: DeployEngine;
  const log = () => fs.readFileSync(calls, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

  beforeEach(async () => {
    dir = tempDir();
    calls = path.join(dir, 'calls.jsonl');
    fs.writeFileSync(calls, '');
    const bundle = path.join(dir, 'handler.js');
    fs.writeFileSync(bundle, HANDLER);
    lambda = await LocalLambda.start(bundle, { env: { CALLS: calls }, log: fs.createWriteStream('/dev/null') });
    engine = new DeployEngine({ lambdas: { 'Custom::Thing': lambda }, stateDir: dir, concurrency: 1 });
  });
  afterEach(() => lambda.stop());

  test('attributes flow to dependents; a new physical id on update is a replacement: the new one first, the old one deleted last', async () => {
    expect((await engine.deployStack('S', template('a'))).ok).toBe(true);
    fs.writeFileSync(calls, '');
    const result = await engine.deployStack('S', template('b'));
    expect(result.ok).toBe(true);
    expect(result.outcomes.filter((o) => o.action !== 'unchanged').map((o) => `${o.action} ${o.logicalId}`)).toEqual(['replace Thing', 'replace User']);
    expect(log()).toEqual([
      { type: 'Update', id: 'thing-a', name: 'b' },
      { type: 'Update', id: 'thing-A-user', name: 'B-user' },
      { type: 'Delete', id: 'thing-a', name: 'a' },
      { type: 'Delete', id: 'thing-A-user', name: 'A-user' },
    ]);
  });

  test('a failed update rolls back the resources already changed, with old and new properties swapped', async () => {
    await engine.deployStack('S', { Resources: { A: { Type: 'Custom::Thing', Properties: { Name: 'a' } }, B: { Type: 'Custom::Thing', Properties: { Name: 'b' } } } });
    fs.writeFileSync(calls, '');
    const result = await engine.deployStack('S', { Resources: { A: { Type: 'Custom::Thing', Properties: { Name: 'a2' } }, B: { Type: 'Custom::Thing', Properties: { Name: 'b', Fail: 'true' } } } });
    expect(result.ok).toBe(false);
    expect(result.error).toBe('B: asked to fail');
    // A was replaced (a2), so its rollback deletes the new one; B's failed update is rolled back to its old properties.
    expect(log().map((c) => `${c.type} ${c.id ?? ''} ${c.name}`)).toEqual(['Update thing-a a2', 'Update thing-b b', 'Update thing-b b', 'Delete thing-a2 a2']);
    expect(JSON.parse(fs.readFileSync(engine.stateFile('S'), 'utf8')).resources.A.physicalId).toBe('thing-a');
  });

  test('a dependency cycle is refused before any call', async () => {
    const cyclic: Template = { Resources: { A: { Type: 'Custom::Thing', Properties: { Name: { Ref: 'B' } } }, B: { Type: 'Custom::Thing', Properties: { Name: { Ref: 'A' } } } } };
    await expect(engine.deployStack('S', cyclic)).rejects.toThrow('circular dependency: A -> B -> A');
    expect(fs.readFileSync(calls, 'utf8')).toBe('');
  });
});

// A handler that may run past its function's timeout (`SleepMs`), and logs the remaining time its Lambda context gave it.
const SLOW_HANDLER = `
const fs = require('fs');
const http = require('http');
exports.handler = async (event, context) => {
  fs.appendFileSync(process.env.CALLS, JSON.stringify({ type: event.RequestType, name: event.ResourceProperties.Name, remaining: context.getRemainingTimeInMillis && context.getRemainingTimeInMillis() }) + '\\n');
  if (event.RequestType !== 'Delete') await new Promise((r) => setTimeout(r, Number(event.ResourceProperties.SleepMs || 0)));
  const body = JSON.stringify({ Status: 'SUCCESS', PhysicalResourceId: event.PhysicalResourceId || 'thing-' + event.ResourceProperties.Name, StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId });
  await new Promise((resolve, reject) => { const req = http.request(event.ResponseURL, { method: 'PUT' }, (res) => { res.resume(); res.on('end', resolve); }); req.on('error', reject); req.end(body); });
};`;

describe('deploy engine: function timeout and ServiceTimeout', () => {
  let dir: string;
  let lambda: LocalLambda;
  let log: () => any[];
  const fn = { Fn: { Type: 'AWS::Lambda::Function', Properties: { Timeout: 1 } } };
  const thing = (name: string, extra: Record<string, unknown> = {}) => ({ Type: 'Custom::Thing', Properties: { ServiceToken: { 'Fn::GetAtt': ['Fn', 'Arn'] }, ServiceTimeout: '2', Name: name, ...extra } });

  beforeEach(async () => {
    ({ dir, lambda, calls: log } = await recordingLambda(SLOW_HANDLER));
  });
  afterEach(() => lambda.stop());

  test('functionTimeouts reads each function\'s Timeout (Lambda\'s 3 s when unset), keyed as ServiceTokens resolve', () => {
    expect(functionTimeouts({ Resources: { ...fn, Other: { Type: 'AWS::Lambda::Function', Properties: {} }, X: thing('x') } })).toEqual({
      'arn:aws:lambda:us-east-1:123456789012:function:local-Fn': 1,
      'arn:aws:lambda:us-east-1:123456789012:function:local-Other': 3,
    });
  });

  test('a handler past its function timeout gets no say: CloudFormation waits for the ServiceTimeout, fails it in its own words and rolls back', async () => {
    const template: Template = { Resources: { ...fn, A: thing('a'), B: { ...thing('b', { SleepMs: '1500' }), DependsOn: ['A'] } } };
    const engine = new DeployEngine({ lambdas: { 'Custom::Thing': lambda }, stateDir: dir, concurrency: 1, functionTimeouts: functionTimeouts(template) });
    const result = await engine.deployStack('S', template);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/^B: CloudFormation did not receive a response from your Custom Resource\. Please check your logs for requestId \[[0-9a-f-]{36}\]\. If you are using the Python cfn-response module/);
    // The rollback sends B a Delete too (CloudFormation waits for that answer as well), then deletes A.
    expect(result.rollback).toEqual(['B: deleted ', 'A: deleted thing-a']);
    // Each request was given the function's timeout, not more.
    for (const c of log()) expect(c.remaining).toBeLessThanOrEqual(1000);
    expect(log().map((c) => `${c.type} ${c.name}`)).toEqual(['Create a', 'Create b', 'Delete b', 'Delete a']);
    // B's handler answered SUCCESS at 1.5 s, inside the 2 s ServiceTimeout but after Lambda's 1 s: that answer counted for nothing.
  }, scaled(15_000));

  test('a handler that answers within its function timeout is not held to the ServiceTimeout', async () => {
    const template: Template = { Resources: { ...fn, A: thing('a', { SleepMs: '200' }) } };
    // On a clock that does not move, the 200 ms run is within the 1 s timeout however slow the machine; an engine that
    // waited for the ServiceTimeout would never finish.
    const engine = new DeployEngine({ lambdas: { 'Custom::Thing': lambda }, stateDir: dir, functionTimeouts: functionTimeouts(template), clock: new ManualClock() });
    const result = await engine.deployStack('S', template);
    expect(result.ok).toBe(true);
    expect(log()[0].remaining).toBe(1000);
  });

  test('without a known function timeout the handler gets no Lambda deadline, as before', async () => {
    const template: Template = { Resources: { A: { Type: 'Custom::Thing', Properties: { ServiceToken: 'x', Name: 'a', SleepMs: '1200' } } } };
    const engine = new DeployEngine({ lambdas: { 'Custom::Thing': lambda }, stateDir: dir });
    expect((await engine.deployStack('S', template)).ok).toBe(true);
    expect(log()[0].remaining).toBeUndefined();
  });
});
