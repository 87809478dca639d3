// The deploy engine's operations journal, in-process: a run abandoned while a handler has not answered (what a
// kill leaves on disk), then a new engine on the same state directory. The handler logs every request it gets.
import * as fs from 'fs';
import * as path from 'path';
import { DeployEngine } from '../../lib/local/deploy-engine';
import { LocalLambda } from '../../lib/local/local-lambda';
import { Template } from '../../lib/local/template';
import { tempDir, waitFor } from '../helpers';

// Answers every request, except that with HANG set a resource named HANG gets no answer at all (a process killed mid-request).
const HANDLER = `
const fs = require('fs');
const http = require('http');
exports.handler = async (event) => {
  const p = event.ResourceProperties;
  fs.appendFileSync(process.env.CALLS, JSON.stringify({ type: event.RequestType, name: p.Name, requestId: event.RequestId, stackId: event.StackId }) + '\\n');
  if (process.env.HANG && p.Name === process.env.HANG) return new Promise(() => {});
  const body = JSON.stringify({ Status: 'SUCCESS', PhysicalResourceId: event.PhysicalResourceId || 'thing-' + p.Name + '-' + event.RequestId, StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: {} });
  await new Promise((resolve, reject) => { const req = http.request(event.ResponseURL, { method: 'PUT' }, (res) => { res.resume(); res.on('end', resolve); }); req.on('error', reject); req.end(body); });
};`;

const things = (...names: string[]): Template => ({ Resources: Object.fromEntries(names.map((n) => [n.toUpperCase(), { Type: 'Custom::Thing', Properties: { ServiceToken: 'x', Name: n } }])) });

describe('deploy engine operations journal', () => {
  let dir: string;
  let calls: string;
  let bundle: string;
  const lambdas: LocalLambda[] = [];
  const log = (): Array<{ type: string; name: string; requestId: string; stackId: string }> => fs.readFileSync(calls, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const engine = async (env: Record<string, string> = {}) => {
    const lambda = await LocalLambda.start(bundle, { env: { CALLS: calls, ...env }, log: fs.createWriteStream('/dev/null') });
    lambdas.push(lambda);
    return new DeployEngine({ lambdas: { 'Custom::Thing': lambda }, stateDir: dir, concurrency: 1 });
  };
  /** Starts a deploy that never finishes: `hang`'s request is sent and never answered. */
  const abandoned = async (stack: string, template: Template, hang: string) => {
    const before = log().length;
    void (await engine({ HANG: hang })).deployStack(stack, template);
    const hung = () => log().slice(before).find((c) => c.name === hang);
    await waitFor(`the request of ${hang}`, () => !!hung());
    return hung()!;
  };

  beforeEach(() => {
    dir = tempDir();
    calls = path.join(dir, 'calls.jsonl');
    fs.writeFileSync(calls, '');
    bundle = path.join(dir, 'handler.js');
    fs.writeFileSync(bundle, HANDLER);
  });
  afterEach(async () => {
    for (const l of lambdas.splice(0)) await l.stop();
  });

  test('the next run re-sends the unanswered request with its RequestId and StackId, keeps the answered ones, then applies the template', async () => {
    const hung = await abandoned('S', things('a', 'b', 'c'), 'b');
    expect(log().map((c) => `${c.type} ${c.name}`)).toEqual(['Create a', 'Create b']);
    const next = await engine();
    const result = await next.deployStack('S', things('a', 'b', 'c'));
    expect(result.ok).toBe(true);
    const resent = log().slice(2);
    expect(resent.map((c) => `${c.type} ${c.name}`)).toEqual(['Create b', 'Create c']);
    expect(resent[0]).toEqual(hung); // same RequestId and StackId: the handler's idempotency token is the same
    const state = next.readState('S');
    expect(state.stackId).toBe(hung.stackId);
    expect(state.resources.B.physicalId).toBe(`thing-b-${hung.requestId}`);
    expect(Object.keys(state.resources).sort()).toEqual(['A', 'B', 'C']);
    expect(fs.existsSync(next.journalFile('S'))).toBe(false);
  });

  test('an unanswered cleanup Delete is re-sent, and the resource leaves the state', async () => {
    const first = await engine();
    expect((await first.deployStack('S', things('a', 'b'))).ok).toBe(true);
    const hung = await abandoned('S', things('a'), 'b');
    expect(hung.type).toBe('Delete');
    const next = await engine();
    expect((await next.deployStack('S', things('a'))).ok).toBe(true);
    expect(log().slice(-1)).toEqual([hung]);
    expect(Object.keys(next.readState('S').resources)).toEqual(['A']);
  });

  test('a journal already folded into the snapshot (a crash between the two writes) is not applied again', async () => {
    await abandoned('S', things('a', 'b'), 'b');
    const leftOver = fs.readFileSync((await engine()).journalFile('S'), 'utf8');
    const next = await engine();
    expect((await next.deployStack('S', things('a', 'b'))).ok).toBe(true);
    const sent = log().length;
    fs.writeFileSync(next.journalFile('S'), leftOver);
    expect((await next.deployStack('S', things('a', 'b'))).ok).toBe(true);
    expect(log()).toHaveLength(sent); // nothing re-sent: the journal's serial is older than the snapshot's
    expect(fs.existsSync(next.journalFile('S'))).toBe(false);
  });

  test('a damaged journal line or stack state is refused naming the file, and nothing is sent', async () => {
    await abandoned('S', things('a', 'b'), 'b');
    const next = await engine();
    const journal = next.journalFile('S');
    const lines = fs.readFileSync(journal, 'utf8').split('\n');
    fs.writeFileSync(journal, [lines[0], '{"t":"call",', ...lines.slice(1)].join('\n'));
    const sent = log().length;
    await expect(next.deployStack('S', things('a', 'b'))).rejects.toThrow(`${journal}:2: unreadable operations journal line`);
    fs.writeFileSync(journal, lines.join('\n'));
    fs.writeFileSync(next.stateFile('S'), '{"stackId": "arn:');
    await expect(next.deployStack('S', things('a', 'b'))).rejects.toThrow(`${next.stateFile('S')} is not a readable stack state`);
    expect(log()).toHaveLength(sent);
  });

  test('an operations journal filled with zero bytes is damage, not a torn write: refused naming the file, nothing sent, the file kept', async () => {
    await abandoned('S', things('a', 'b'), 'b');
    const next = await engine();
    const journal = next.journalFile('S');
    fs.writeFileSync(journal, Buffer.alloc(fs.statSync(journal).size));
    const sent = log().length;
    await expect(next.deployStack('S', things('a', 'b'))).rejects.toThrow(`${journal}:1: zero bytes in the journal, which no write of a4b-rooms leaves`);
    expect(log()).toHaveLength(sent);
    expect(fs.readFileSync(journal).every((b) => b === 0)).toBe(true);
  });
});
