// cdk-nag's AwsSolutions pack over the example app, the inventory app (with the drift monitor) and the pipeline app,
// with the security options off and on: no finding on what the library makes is left unexplained, and each
// suppression is exact.
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { RoomsPipelineStack } from '../examples/pipeline';
import { ExampleRoomsStack } from '../examples/rooms-stack';
import { DriftMonitor, HandlerSecurityOptions, RoomInventory } from '../lib';
import { DEFAULT_RUNTIME, newestNodeRuntime, runtimeFindings } from '../lib/bundled-function';

const INVENTORY = path.join(__dirname, '..', 'examples', 'rooms.yaml');
/** Ids of what the "on" variant makes itself (a VPC and a key are the user's, with findings of their own). */
const USER_MADE = ['Vpc', 'LogKey', 'HandlerEgress'];

/** The options a security review asks for: a VPC, own security groups, a log key, a runtime. */
function securityOn(stack: Stack): HandlerSecurityOptions {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  return {
    vpc,
    securityGroups: [new ec2.SecurityGroup(stack, 'HandlerEgress', { vpc, description: 'The rooms functions: HTTPS out' })],
    logEncryptionKey: new kms.Key(stack, 'LogKey', { enableKeyRotation: true }),
  };
}

const APPS: Record<string, (app: App, security?: (stack: Stack) => HandlerSecurityOptions) => Stack> = {
  example: (app, security) => new ExampleRoomsStack(app, 'ExampleRooms', { handlerSecurity: security }),
  inventory: (app, security) => {
    const stack = new Stack(app, 'A4BRooms');
    const inventory = new RoomInventory(stack, 'Inventory', { file: INVENTORY, ...security?.(stack) });
    new DriftMonitor(stack, 'DriftMonitor', { inventory });
    return stack;
  },
  // The rooms stage's stack; the pipeline's own resources (aws-cdk-lib/pipelines) are outside the library.
  pipeline: (app, security) => new RoomsPipelineStack(app, 'RoomsPipeline', {
    repository: 'my-org/rooms', branch: 'main', inventoryFile: path.relative(process.cwd(), INVENTORY), roomsHandlerSecurity: security,
    connectionArn: 'arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000',
  }).rooms.stack,
};

const a4b = ['Resource::*', { regex: '/^Resource::arn:<AWS::Partition>:a4b:[^:]*:<AWS::AccountId>:(room|profile|skill-group|device)\\/\\*$/g' }];
const secret = [{ regex: '/^Resource::arn:<AWS::Partition>:secretsmanager:.*-\\?\\?\\?\\?\\?\\?$/g' }];
const eni = ['Resource::*'];

describe.each(Object.keys(APPS))('AwsSolutions on the %s app', (name) => {
  // With a VPC only, each function gets a security group of its own (lambda.Function makes it), checked too.
  const vpcOnly = (stack: Stack): HandlerSecurityOptions => ({ vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 }) });
  test.each([['off', undefined], ['on', securityOn], ['on (a VPC only)', vpcOnly]] as const)('security options %s: no unsuppressed finding, every suppression exact and explained', (_, security) => {
    const app = new App();
    const stack = APPS[name](app, security);
    // Run over the constructs of the stack and its nested stacks, as the aspect would: the pipeline synthesizes its
    // rooms stage as it is built, before an aspect added now could reach it.
    const checks = new AwsSolutionsChecks({ verbose: true });
    for (const c of stack.node.findAll()) checks.visit(c);
    const stacks = [stack, ...stack.node.findAll().filter((c): c is Stack => Stack.isStack(c) && c !== stack)];
    const userMade = new RegExp(`^${stack.node.path}/(${USER_MADE.join('|')})/`);
    const all = stack.node.findAll().flatMap((c) => c.node.metadata
      .filter((m) => (m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning') && String(m.data).includes('AwsSolutions-'))
      .map((m) => `${c.node.path}: ${String(m.data).split('\n')[0]}`));
    const findings = all.filter((f) => !userMade.test(f));
    // The checks did run over the stack: the user's own VPC has no flow log.
    if (security) expect(all).toContainEqual(expect.stringMatching(/\/Vpc\/Resource: AwsSolutions-VPC7:/));
    expect(findings).toEqual([]);

    const suppressions = stacks.flatMap((s) => Object.entries<any>(Template.fromStack(s).toJSON().Resources ?? {}))
      .flatMap(([logicalId, r]) => (r.Metadata?.cdk_nag?.rules_to_suppress ?? [])
        .map((x: any) => ({ resource: logicalId.replace(/[0-9A-F]{8}$/, ''), rule: x.id, reason: x.reason, appliesTo: x.applies_to })));
    // Exactly these: the A4B actions without resource types (and the per-type ARN wildcards) on the provider's and
    // the monitor's policies, the secret's name suffix on the link's and the monitor's, and with a VPC, the network
    // interfaces on each role. No AWS managed policy is left to suppress.
    const withA4b = { example: ['A4BRoomsProvider'], inventory: ['A4BRoomsProvider', 'DriftMonitor'], pipeline: ['A4BRoomsProvider', 'DriftMonitor'] }[name]!;
    const withSecret = { example: ['CalendarLink'], inventory: ['InventoryCalendarLink', 'DriftMonitor'], pipeline: ['InventoryCalendarLink', 'DriftMonitor'] }[name]!;
    const expected = [
      ...withA4b.map((f) => `${f}ServiceRoleDefaultPolicy AwsSolutions-IAM5 ${JSON.stringify(a4b)}`),
      ...withSecret.map((f) => `${f}ServiceRoleDefaultPolicy AwsSolutions-IAM5 ${JSON.stringify(secret)}`),
      ...(security ? [...new Set([...withA4b, ...withSecret])].map((f) => `${f}ServiceRole AwsSolutions-IAM5 ${JSON.stringify(eni)}`) : []),
      // Only where the installed aws-cdk-lib lists a Node.js runtime newer than the default (scripts/newest-cdk-check.sh).
      ...(newestNodeRuntime() === DEFAULT_RUNTIME.name ? [] : [...new Set([...withA4b, ...withSecret])].map((f) => `${f}Handler AwsSolutions-L1 undefined`)),
    ].sort();
    expect(suppressions.map((s) => `${s.resource} ${s.rule} ${JSON.stringify(s.appliesTo)}`).sort()).toEqual(expected);
    for (const s of suppressions) expect(s.reason.length).toBeGreaterThan(40);
  });
});

describe('AwsSolutions-L1 (the newest runtime)', () => {
  test('a runtime older than the newest aws-cdk-lib lists is accepted with what it is; the newest needs nothing', () => {
    const older = lambda.Runtime.NODEJS_22_X;
    expect(runtimeFindings(older)).toEqual([{ id: 'AwsSolutions-L1', reason: expect.stringMatching(new RegExp(`^nodejs22\\.x was chosen through the runtime option; .*lists ${newestNodeRuntime().replace('.', '\\.')}`)) }]);
    const newest = lambda.Runtime.ALL.find((r) => r.name === newestNodeRuntime())!;
    expect(runtimeFindings(newest)).toEqual([]);
    // The default is the newest this aws-cdk-lib knows, or a later aws-cdk-lib has a newer one and the reason says so.
    const found = runtimeFindings(DEFAULT_RUNTIME);
    if (newestNodeRuntime() === DEFAULT_RUNTIME.name) expect(found).toEqual([]);
    else expect(found[0].reason).toMatch(/^nodejs24\.x is the library's default/);
  });
});
