// Local deploy enforces CloudFormation's template limits on every template of a deploy, parent and nested, before
// anything is applied, in CloudFormation's words and naming the template; nested stack parameter values made by the
// deploy itself are checked when the nested stack is applied, as CloudFormation does, and the deploy rolls back.
import * as fs from 'fs';
import * as path from 'path';
import { synthesize } from '../../lib/local/cloud-assembly';
import { DeployEngine } from '../../lib/local/deploy-engine';
import { localDeploy } from '../../lib/local/local-deploy';
import { LocalLambda } from '../../lib/local/local-lambda';
import { LocalWorld, serveLocalWorld } from '../../lib/local/local-world';
import { Template } from '../../lib/local/template';
import { tempDir } from '../helpers';

const APP = `node ${path.join(__dirname, '..', '..', 'bin', 'app.js')}`;
const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'rooms.yaml');

describe('local deploy of an assembly whose templates break a CloudFormation limit', () => {
  let stateDir: string;
  let world: LocalWorld;
  let outdir: string;
  let manifest: { artifacts: Record<string, { type: string; properties?: { templateFile: string } }> };

  beforeAll(async () => {
    outdir = tempDir('a4b-asm-');
    await synthesize(APP, outdir, { inventory: EXAMPLE });
    manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  });
  beforeEach(async () => {
    stateDir = tempDir('a4b-state-');
    world = await serveLocalWorld(stateDir);
  });
  afterEach(() => world.close());

  /** A copy of the assembly with `edit` applied to one template file (the edit CloudFormation would be sent). */
  const edited = (pick: (files: string[]) => string, edit: (text: string) => string): { dir: string; file: string } => {
    const dir = tempDir('a4b-asm-');
    fs.cpSync(outdir, dir, { recursive: true });
    const file = path.join(dir, pick(fs.readdirSync(dir).filter((f) => f.endsWith('.template.json'))));
    fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
    return { dir, file };
  };
  const nothingApplied = () => {
    expect(world.a4b!.requests.filter((r) => !r.operation.startsWith('secretsmanager.'))).toEqual([]);
    expect(fs.existsSync(path.join(stateDir, 'stacks'))).toBe(false);
  };

  test('a shard with more than 500 resources: refused in CloudFormation\'s words, naming the nested stack and its file; nothing applied', async () => {
    const { dir, file } = edited((files) => files.find((f) => f.includes('Shard'))!, (text) => {
      const t = JSON.parse(text);
      const [id, room] = Object.entries<any>(t.Resources).find(([, r]) => r.Type === 'Custom::A4BRoom')!;
      for (let i = 0; Object.keys(t.Resources).length <= 500; i++) t.Resources[`${id}Copy${i}`] = room;
      return JSON.stringify(t, undefined, 1);
    });
    const result = await localDeploy({ assemblyDir: dir, stateDir });
    expect(result.ok).toBe(false);
    expect(result.stacks[0].error).toMatch(new RegExp(`^nothing was deployed: nested stack A4BRooms/\\w+ \\(logical id \\w+ in A4BRooms\\), ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `
      + 'Template format error: Number of resources, 501, is greater than maximum allowed, 500$'));
    expect(result.stacks[0].limitBreaches).toEqual([expect.objectContaining({ limit: 'resources', actual: 501, maximum: 500 })]);
    nothingApplied();
  });

  test('a parent template file over 1,000,000 bytes (as uploaded, whitespace counts): refused; nothing applied', async () => {
    const root = Object.values(manifest.artifacts).find((a) => a.type === 'aws:cloudformation:stack')!.properties!.templateFile;
    const { dir, file } = edited(() => root, (text) => `${text}${' '.repeat(1_000_001 - Buffer.byteLength(text))}`);
    const result = await localDeploy({ assemblyDir: dir, stateDir });
    expect(result.ok).toBe(false);
    expect(result.stacks[0].error).toBe(`nothing was deployed: stack A4BRooms, ${file}: Template may not exceed 1000000 bytes in size.`);
    nothingApplied();
  });
});

// A handler that creates anything: the physical id follows the Name property and is given as attribute Long.
const HANDLER = `
const http = require('http');
exports.handler = async (event) => {
  const name = String(event.ResourceProperties.Name);
  const body = JSON.stringify({ Status: 'SUCCESS', PhysicalResourceId: event.PhysicalResourceId || 'thing-' + name, StackId: event.StackId, RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId, Data: { Long: name.repeat(Number(event.ResourceProperties.Repeat || 1)) } });
  await new Promise((resolve, reject) => { const req = http.request(event.ResponseURL, { method: 'PUT' }, (res) => { res.resume(); res.on('end', resolve); }); req.on('error', reject); req.end(body); });
};`;

describe('nested stack parameter values', () => {
  let dir: string;
  let lambda: LocalLambda;
  const nestedTemplate: Template = { Parameters: { Arns: { Type: 'String' } } as Template['Parameters'], Resources: { Inner: { Type: 'Custom::Thing', Properties: { ServiceToken: 'x', Name: 'inner', Arns: { Ref: 'Arns' } } } } };
  // Two resources' 2,048-byte attributes joined: 4,097 bytes (a custom resource's answer is itself held to 4,096).
  const parent = (arns: unknown, secondRepeat = '512'): Template => ({ Resources: {
    First: { Type: 'Custom::Thing', Properties: { ServiceToken: 'x', Name: 'abcd', Repeat: '512' } },
    Second: { Type: 'Custom::Thing', Properties: { ServiceToken: 'x', Name: 'efgh', Repeat: secondRepeat } },
    Shard: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://s3/shard.json', Parameters: { Arns: arns } } },
  } });
  const joined = { 'Fn::Join': [',', [{ 'Fn::GetAtt': ['First', 'Long'] }, { 'Fn::GetAtt': ['Second', 'Long'] }]] };

  beforeEach(async () => {
    dir = tempDir();
    const bundle = path.join(dir, 'handler.js');
    fs.writeFileSync(bundle, HANDLER);
    lambda = await LocalLambda.start(bundle, { log: fs.createWriteStream('/dev/null') });
  });
  afterEach(() => lambda.stop());

  test('a value known before the deploy (a literal) over 4,096 bytes: refused before anything is applied', async () => {
    const engine = new DeployEngine({ lambdas: { 'Custom::Thing': lambda }, stateDir: dir });
    const result = await engine.deployStack('P', parent('a'.repeat(4097)), undefined, () => nestedTemplate);
    expect(result.ok).toBe(false);
    expect(result.error).toBe("nothing was deployed: nested stack P/Shard (logical id Shard in P): Template format error: Parameter 'Arns' value '[****]' length is greater than 4096.");
    expect(fs.existsSync(engine.stateFile('P'))).toBe(false);
  });

  test('a value the deploy makes (an attribute) over 4,096 bytes: the nested stack fails when applied, and the parent rolls back', async () => {
    const engine = new DeployEngine({ lambdas: { 'Custom::Thing': lambda }, stateDir: dir });
    const result = await engine.deployStack('P', parent(joined), undefined, () => nestedTemplate);
    expect(result.ok).toBe(false);
    expect(result.error).toBe("Shard: Template format error: Parameter 'Arns' value '[****]' length is greater than 4096.");
    expect(result.rollback!.sort()).toEqual(['First: deleted thing-abcd', 'Second: deleted thing-efgh']);
    expect(JSON.parse(fs.readFileSync(engine.stateFile('P'), 'utf8')).resources).toEqual({});
    // 4,096 bytes go through.
    const ok = await engine.deployStack('P', parent(joined, '511'), undefined, () => nestedTemplate);
    expect(ok.ok).toBe(true);
    expect(Buffer.byteLength(String(JSON.parse(fs.readFileSync(engine.stateFile('P/Shard'), 'utf8')).parameters.Arns))).toBe(4096 - 3);
  });
});
