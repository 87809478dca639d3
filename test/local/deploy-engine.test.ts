// The deploy engine's CloudFormation semantics that the A4B handlers never exercise (they never replace), shown
// with a handler written for it: a physical id that follows the `Name` property, as a custom-named resource has.
import * as fs from 'fs';
import * as path from 'path';
import { DeployEngine } from '../../lib/local/deploy-engine';
import { LocalLambda } from '../../lib/local/local-lambda';
import { Template } from '../../lib/local/template';
import { tempDir } from '../helpers';

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
