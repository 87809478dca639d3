// The pipeline to copy (examples/pipeline.ts) and the pull-request workflow (examples/github-workflow.yml): the
// pipeline synthesized with the real aws-cdk-lib/pipelines, and every a4b-rooms command either runs, run for real by
// the compiled CLI against the local emulators, so a renamed command or flag fails here.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as YAML from 'yaml';
import { RoomsPipelineStack } from '../examples/pipeline';
import { tempDir } from './helpers';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'a4b-rooms.js');
const INVENTORY = 'examples/rooms.yaml';
const CONNECTION = 'arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000';
/** The secret the example inventory names, read from the file itself. */
const SECRET_NAME: string = YAML.parse(fs.readFileSync(path.join(ROOT, INVENTORY), 'utf8')).calendarLink.credentialsSecret;

function cli(args: string[]) {
  return spawnSync('node', [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
}

/** The a4b-rooms argument lists of a script, each up to the first shell operator (`npx a4b-rooms drift f --markdown > out`). */
function a4bRoomsCommands(script: string): string[][] {
  return script.split('\n').map((line) => /(?:^|\s)npx a4b-rooms\s+(.*)$/.exec(line.trim())?.[1]).filter((rest): rest is string => rest !== undefined)
    .map((rest) => {
      const words = rest.split(/\s+/);
      const end = words.findIndex((w) => /^(\d?>>?|\||&&|\|\||;)/.test(w));
      return end < 0 ? words : words.slice(0, end);
    });
}

/** Every template of a cloud assembly directory (a stack and its nested stacks): logical id (without a construct path in it) to type. */
function resourcesOf(dir: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.template.json'))) {
    const key = file.replace(/^.*?A4BRooms/, '').replace(/([0-9A-F]{8})?(\.nested)?\.template\.json$/, '');
    const resources: Record<string, any> = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')).Resources;
    out[key] = Object.fromEntries(Object.entries(resources).map(([id, r]) => [id.replace(/AllowEventRule.*$/, 'AllowEventRule'), r.Type]));
  }
  return out;
}

const app = new App();
const pipelineStack = new RoomsPipelineStack(app, 'RoomsPipeline', { repository: 'my-org/rooms', branch: 'main', connectionArn: CONNECTION, inventoryFile: INVENTORY });
const t = Template.fromStack(pipelineStack);
const resources: Record<string, any> = t.toJSON().Resources;
const [pipelineResource] = Object.values(t.findResources('AWS::CodePipeline::Pipeline'));
const stages: any[] = pipelineResource.Properties.Stages;
const action = (name: string) => {
  const found = stages.flatMap((s) => s.Actions.map((a: any) => ({ ...a, stage: s.Name }))).filter((a) => a.Name === name);
  expect(found).toHaveLength(1);
  return found[0];
};
/** The CodeBuild project behind a pipeline action: its build commands and its role's logical id. */
const project = (actionName: string) => {
  const p = resources[action(actionName).Configuration.ProjectName.Ref].Properties;
  return {
    commands: JSON.parse(p.Source.BuildSpec).phases.build.commands as string[], role: p.ServiceRole['Fn::GetAtt'][0] as string,
    env: Object.fromEntries((p.Environment.EnvironmentVariables ?? []).map((v: { Name: string; Value: string }) => [v.Name, v.Value])),
  };
};

describe('examples/pipeline.ts', () => {
  test('source: the GitHub repository through the CodeStar connection given', () => {
    expect(action('my-org_rooms')).toMatchObject({
      stage: 'Source', ActionTypeId: { Provider: 'CodeStarSourceConnection' },
      Configuration: { ConnectionArn: CONNECTION, FullRepositoryId: 'my-org/rooms', BranchName: 'main' },
    });
  });

  test('the CodeBuild steps run exactly: validate before synth; check before the deploy; drift --markdown after it', () => {
    expect(project('Synth').commands).toEqual(['npm ci', `npx a4b-rooms validate ${INVENTORY}`, 'npx cdk synth']);
    expect(project('Check').commands).toEqual(['npm ci', `npx a4b-rooms check ${INVENTORY}`]);
    expect(project('Drift').commands).toEqual(['npm ci', `npx a4b-rooms drift ${INVENTORY} --markdown`]);
    // The CLI reads A4B where A4B runs, not in the pipeline's region (CodeBuild's AWS_REGION).
    expect([project('Check').env, project('Drift').env]).toEqual([{ A4B_REGION: 'us-east-1' }, { A4B_REGION: 'us-east-1' }]);
    const rooms = stages.find((s) => s.Name === 'Rooms').Actions.map((a: any) => [a.Name, a.RunOrder]);
    expect(rooms).toEqual([['Check', 1], ['A4BRooms.Prepare', 2], ['A4BRooms.Deploy', 3], ['Drift', 4]]);
  });

  test('the stage deploys the inventory stack as bin/app.ts builds it (RoomInventory and DriftMonitor), resource for resource', () => {
    const stack = pipelineStack.rooms.stack;
    expect(action('A4BRooms.Deploy').Configuration).toMatchObject({ StackName: stack.stackName, ActionMode: 'CHANGE_SET_EXECUTE' });
    expect(action('A4BRooms.Prepare').Configuration.TemplatePath).toBe(`Synth_Output::${path.basename(app.synth().getNestedAssembly(pipelineStack.rooms.artifactId).directory)}/${stack.templateFile}`);
    const out = tempDir();
    const binApp = spawnSync('node', [path.join(ROOT, 'bin', 'app.js')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK_OUTDIR: out, CDK_CONTEXT_JSON: JSON.stringify({ inventory: INVENTORY }) } });
    expect(binApp.status).toBe(0);
    // The same resources, of the same types, in the same nested stacks; names derived from the construct path (which
    // now starts with the pipeline and the stage) differ.
    const stageDir = app.synth().getNestedAssembly(pipelineStack.rooms.artifactId).directory;
    const stageResources = resourcesOf(stageDir);
    expect(Object.keys(stageResources)).toHaveLength(1 + 7 + 1 + 10 + 2); // the stack, mailbox checks, profiles, room shards, skill groups
    expect(stageResources).toEqual(resourcesOf(out));
    const tpl = Template.fromStack(stack);
    tpl.resourceCountIs('Custom::A4BCalendarLink', 1);
    tpl.resourceCountIs('Custom::A4BRoomDeletionGuard', 1);
    tpl.resourceCountIs('AWS::Events::Rule', 1);
  });

  test('check and drift may read the calendar link\'s secret, by its name, and nothing else may: GetSecretValue and DescribeSecret only', () => {
    const secretStatements = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Policy').flatMap(([, r]) =>
      r.Properties.PolicyDocument.Statement.filter((s: any) => JSON.stringify(s.Action).includes('secretsmanager:')).map((s: any) => ({ roles: r.Properties.Roles, s })));
    expect(secretStatements.map(({ roles }) => roles)).toEqual([[{ Ref: project('Check').role }], [{ Ref: project('Drift').role }]]);
    for (const { s } of secretStatements) {
      expect(s.Effect).toBe('Allow');
      expect(s.Action).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']);
      expect(s.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:secret:${SECRET_NAME}-??????`]] });
    }
  });

  test('no secret value in any template: no dynamic reference, secret string or secret environment variable', () => {
    const assembly = app.synth();
    const files = [assembly.directory, assembly.getNestedAssembly(pipelineStack.rooms.artifactId).directory]
      .flatMap((dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.template.json')).map((f) => path.join(dir, f)));
    expect(files.length).toBeGreaterThan(10); // the pipeline, the inventory's stack and its nested stacks
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      expect({ file, found: text.match(/\{\{resolve:secretsmanager|SecretString|"SECRETS_MANAGER"|clientSecret|certificatePem/g) }).toEqual({ file, found: null });
    }
    for (const p of Object.values(t.findResources('AWS::CodeBuild::Project'))) {
      for (const v of p.Properties.Environment.EnvironmentVariables ?? []) expect(v.Type).not.toBe('SECRETS_MANAGER');
    }
  });

  test('each a4b-rooms command the pipeline runs is accepted and runs: validate offline, check and drift against the emulators', () => {
    const commands = ['Synth', 'Check', 'Drift'].flatMap((a) => a4bRoomsCommands(project(a).commands.join('\n')));
    expect(commands).toEqual([['validate', INVENTORY], ['check', INVENTORY], ['drift', INVENTORY, '--markdown']]);
    const validate = cli(commands[0]);
    expect({ status: validate.status, stdout: validate.stdout }).toEqual({ status: 0, stdout: `${INVENTORY}: valid\n` });

    const state = tempDir();
    expect(cli(['local', 'deploy', INVENTORY, '--state', state]).status).toBe(0);
    const check = cli([...commands[1], '--local', '--state', state]);
    expect(check.stdout).toContain('12 room mailboxes checked, no problem');
    expect(check.status).toBe(0);
    const drift = cli([...commands[2], '--local', '--state', state]);
    expect(drift.stdout).toBe('### ✅ A4B drift: in sync\n\n12 rooms, 3 profiles, 3 skill groups, 12 mailboxes checked.\n\n');
    expect(drift.status).toBe(0);
    // The harness notices a flag the CLI does not have.
    const misspelt = cli(['drift', INVENTORY, '--markdwn', '--local', '--state', state]);
    expect({ status: misspelt.status, stderr: misspelt.stderr }).toMatchObject({ status: 1, stderr: expect.stringContaining("unknown option '--markdwn'") });
  });
});

describe('examples/github-workflow.yml', () => {
  const text = fs.readFileSync(path.join(ROOT, 'examples', 'github-workflow.yml'), 'utf8');
  const workflow = YAML.parse(text);
  const steps: any[] = Object.values(workflow.jobs as Record<string, any>).flatMap((j) => j.steps);

  test('on pull requests: the same a4b-rooms commands as the pipeline (validate, drift --markdown), and cdk diff of every stack', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    const run = steps.map((s) => s.run ?? '').join('\n');
    // The file is rooms.yaml in a project; the pipeline's commands (run for real above) name this repository's example.
    const pipeline = ['Synth', 'Drift'].flatMap((a) => a4bRoomsCommands(project(a).commands.join('\n')))
      .map((argv) => argv.map((w) => (w === INVENTORY ? 'rooms.yaml' : w)));
    expect(a4bRoomsCommands(run)).toEqual(pipeline);
    expect(run).toMatch(/^npx cdk diff '\*\*'$/m);
  });

  test('the drift report becomes a pull-request comment through actions/github-script; only a read error fails the job', () => {
    const drift = steps.find((s) => /npx a4b-rooms drift/.test(s.run ?? ''));
    expect(drift.run).toContain('--markdown > drift.md');
    const comment = steps.find((s) => s.uses?.startsWith('actions/github-script@'));
    expect(steps.indexOf(comment)).toBeGreaterThan(steps.indexOf(drift));
    expect(comment.with.script).toContain("readFileSync('drift.md'");
    expect(comment.with.script).toContain('github.rest.issues.createComment');
    expect(steps.at(-1)).toEqual({ name: 'Fail when drift could not be read', if: `steps.${drift.id}.outputs.exit == '1'`, run: 'exit 1' });
  });

  test('AWS credentials through OIDC role assumption; no secret in the file; official actions only', () => {
    expect(workflow.permissions).toEqual({ 'contents': 'read', 'id-token': 'write', 'pull-requests': 'write' });
    const aws = steps.filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(aws).toHaveLength(1);
    expect(Object.keys(aws[0].with).sort()).toEqual(['aws-region', 'role-to-assume']);
    expect(aws[0].with['role-to-assume']).toMatch(/^arn:aws:iam::\d{12}:role\/[\w+=,.@-]+$/);
    expect(text).not.toMatch(/secrets\.|aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/i);
    for (const s of steps.filter((x) => x.uses)) expect(s.uses).toMatch(/^(actions|aws-actions)\/[a-z-]+@v\d+$/);
  });
});
