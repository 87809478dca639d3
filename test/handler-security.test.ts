// The security options of the library's functions (HandlerSecurityOptions): each reaches every function a construct
// makes, in every stack and nested stack, and each role may write to its own log group only.
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DriftMonitor, HandlerSecurityOptions, Room, RoomInventory, RoomProfile, RoomsProvider } from '../lib';
import { inheritedSecurity, securityProblems, VPC_ACCESS_ACTIONS } from '../lib/bundled-function';

const INVENTORY = path.join(__dirname, '..', 'examples', 'rooms.yaml');

/** Every stack of an app, nested stacks included, synthesized. */
function templatesOf(app: App): Map<string, Template> {
  const stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  return new Map(stacks.map((s) => [s.node.path, Template.fromStack(s)]));
}

/** Every resource of `type` in every stack, by `<stack path> <logical id>`. */
function resourcesOf(templates: Map<string, Template>, type: string): Array<[string, any]> {
  return [...templates].flatMap(([stack, t]) => Object.entries<any>(t.findResources(type)).map(([id, r]): [string, any] => [`${stack} ${id}`, r]));
}

/** The inventory app (with a drift monitor) whose security options `options` makes in its stack. */
function inventoryApp(options: (stack: Stack) => HandlerSecurityOptions) {
  const app = new App();
  const stack = new Stack(app, 'A4BRooms');
  const inventory = new RoomInventory(stack, 'Inventory', { file: INVENTORY, ...options(stack) });
  new DriftMonitor(stack, 'DriftMonitor', { inventory });
  return templatesOf(app);
}

function network(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const sg = new ec2.SecurityGroup(stack, 'HandlerEgress', { vpc, description: 'HTTPS out' });
  return { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, securityGroups: [sg] };
}

const ref = (stack: Stack, c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as any);

describe('a security option set on RoomInventory', () => {
  test('vpc, subnets, security groups, runtime and log key reach the provider, the calendar link and the drift monitor, in every stack', () => {
    let ids: { sg: string; key: string; subnets: string[] } | undefined;
    const templates = inventoryApp((stack) => {
      const net = network(stack);
      const key = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
      ids = { sg: ref(stack, net.securityGroups[0]), key: ref(stack, key), subnets: net.vpc.privateSubnets.map((s) => ref(stack, s)) };
      return { ...net, logEncryptionKey: key, runtime: lambda.Runtime.NODEJS_22_X };
    });
    expect([...templates.keys()].filter((p) => p !== 'A4BRooms').length).toBeGreaterThan(3);
    const functions = resourcesOf(templates, 'AWS::Lambda::Function');
    expect(functions.map(([id, r]) => `${id} ${r.Properties.Description.split(':')[1].trim().split(/[ ,]/)[0]}`).sort()).toEqual([
      expect.stringMatching(/^A4BRooms A4BRoomsProviderHandler\w+ creates$/),
      expect.stringMatching(/^A4BRooms DriftMonitorHandler\w+ compares$/),
      expect.stringMatching(/^A4BRooms InventoryCalendarLinkHandler\w+ validates$/),
    ]);
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.VpcConfig.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [ids!.sg, 'GroupId'] }]);
      expect(fn.Properties.VpcConfig.SubnetIds).toEqual(ids!.subnets.map((s) => ({ Ref: s })));
    }
    const groups = resourcesOf(templates, 'AWS::Logs::LogGroup');
    expect(groups).toHaveLength(3);
    for (const [, g] of groups) expect(g.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [ids!.key, 'Arn'] });
    // Each role: its log group, the network interfaces, and nothing managed.
    const roles = resourcesOf(templates, 'AWS::IAM::Role').filter(([, r]) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'lambda.amazonaws.com');
    expect(roles).toHaveLength(3);
    for (const [, role] of roles) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies.map((p: any) => p.PolicyName)).toEqual(['Logs', 'NetworkInterfaces']);
      expect(role.Properties.Policies[1].PolicyDocument.Statement).toEqual([{ Effect: 'Allow', Action: [...VPC_ACCESS_ACTIONS], Resource: '*' }]);
    }
  });

  test('a log group given to the inventory is the one log group of every function, and each role may write there only', () => {
    let groupRef = '';
    const templates = inventoryApp((stack) => {
      const logGroup = new logs.LogGroup(stack, 'RoomsLogs', { retention: logs.RetentionDays.SIX_MONTHS });
      groupRef = ref(stack, logGroup);
      return { logGroup };
    });
    expect(resourcesOf(templates, 'AWS::Logs::LogGroup').map(([id]) => id)).toEqual([expect.stringMatching(/^A4BRooms RoomsLogs/)]);
    const functions = resourcesOf(templates, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(3);
    for (const [, fn] of functions) {
      expect(fn.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: groupRef } });
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.VpcConfig).toBeUndefined();
    }
    const logStatements = [...resourcesOf(templates, 'AWS::IAM::Role'), ...resourcesOf(templates, 'AWS::IAM::Policy')].flatMap(([id, r]) =>
      [...(r.Properties.Policies ?? []).map((p: any) => p.PolicyDocument), r.Properties.PolicyDocument].filter(Boolean)
        .flatMap((d: any) => d.Statement).filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('logs:'))).map((s: any) => [id.split(' ')[1].replace(/[0-9A-F]{8}$/, ''), s]))
      .sort(([a]: any, [b]: any) => (a < b ? -1 : 1));
    expect(logStatements).toEqual(['A4BRoomsProviderServiceRole', 'DriftMonitorServiceRole', 'InventoryCalendarLinkServiceRole'].map((role) => [role, {
      Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [groupRef, 'Arn'] },
    }]));
  });

  test("the drift monitor's own options take the place of the inventory's, one choice at a time", () => {
    const app = new App();
    const stack = new Stack(app, 'A4BRooms');
    const net = network(stack);
    const inventory = new RoomInventory(stack, 'Inventory', { file: INVENTORY, ...net, runtime: lambda.Runtime.NODEJS_22_X });
    const monitorLogs = new logs.LogGroup(stack, 'MonitorLogs');
    new DriftMonitor(stack, 'DriftMonitor', { inventory, logGroup: monitorLogs });
    const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    const monitor = Object.entries<any>(fns).find(([id]) => id.startsWith('DriftMonitor'))![1];
    expect(monitor.Properties.Runtime).toBe('nodejs22.x');
    expect(monitor.Properties.VpcConfig).toBeDefined();
    expect(monitor.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: stack.getLogicalId(monitorLogs.node.defaultChild as any) } });
  });

  test("a drift monitor with a log retention keeps a log group of its own, not the inventory's", () => {
    const stack = new Stack(new App(), 'A4BRooms');
    const inventory = new RoomInventory(stack, 'Inventory', { file: INVENTORY, logGroup: new logs.LogGroup(stack, 'RoomsLogs') });
    new DriftMonitor(stack, 'DriftMonitor', { inventory, logRetention: logs.RetentionDays.ONE_WEEK });
    const groups = Template.fromStack(stack).findResources('AWS::Logs::LogGroup');
    expect(Object.entries<any>(groups).map(([id, g]) => [id.replace(/[0-9A-F]{8}$/, ''), g.Properties.RetentionInDays]).sort()).toEqual([['DriftMonitorLogs', 7], ['RoomsLogs', 731]]);
  });

  test('a RoomsProvider made before the inventory is refused: the options would not reach it', () => {
    const stack = new Stack(new App(), 'A4BRooms');
    new RoomsProvider(stack, 'Mine');
    expect(() => new RoomInventory(stack, 'Inventory', { file: INVENTORY, runtime: lambda.Runtime.NODEJS_22_X })).toThrow(
      /^RoomInventory A4BRooms\/Inventory: stack A4BRooms already has a RoomsProvider at A4BRooms\/Mine, which the security options given here \(.*\) would not reach: give them to that RoomsProvider and not here, or create it after this$/);
  });

  test('without options, the inventory leaves the provider to be made on first use: one configured later takes its place', () => {
    const stack = new Stack(new App(), 'A4BRooms');
    new RoomInventory(stack, 'Inventory', { file: INVENTORY });
    const late = new RoomsProvider(stack, 'Late', { runtime: lambda.Runtime.NODEJS_22_X });
    expect(RoomsProvider.of(stack)).toBe(late);
    const functions = Object.entries<any>(Template.fromStack(stack).findResources('AWS::Lambda::Function')).filter(([, f]) => String(f.Properties.Description).includes('creates, updates and deletes'));
    expect(functions.map(([id, f]) => [id.replace(/[0-9A-F]{8}$/, ''), f.Properties.Runtime])).toEqual([['LateHandler', 'nodejs22.x']]);
  });

  test('an inventory with options in a stack whose rooms made the provider with defaults: the options reach the one provider', () => {
    const stack = new Stack(new App(), 'A4BRooms');
    new Room(stack, 'Lobby', { roomName: 'Lobby', profile: RoomProfile.fromRoomProfileArn(stack, 'P', 'arn:aws:a4b:us-east-1:123456789012:profile/p') });
    new RoomInventory(stack, 'Inventory', { file: INVENTORY, runtime: lambda.Runtime.NODEJS_22_X });
    const providers = Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Function')).filter((f) => String(f.Properties.Description).includes('creates, updates and deletes'));
    expect(providers.map((f) => f.Properties.Runtime)).toEqual(['nodejs22.x']);
  });

  test('RoomsProvider.of with a security option the provider was not made with is refused, naming it', () => {
    const stack = new Stack(new App(), 'A4BRooms');
    RoomsProvider.of(stack, { runtime: lambda.Runtime.NODEJS_22_X });
    expect(() => RoomsProvider.of(stack, { logGroup: new logs.LogGroup(stack, 'Other') })).toThrow(/has logGroup none, not logGroup the one given/);
  });
});

describe('each function', () => {
  function providerStack(props: ConstructorParameters<typeof RoomsProvider>[2]) {
    const stack = new Stack(new App(), 'S');
    new RoomsProvider(stack, 'A4BRoomsProvider', props);
    const profile = new RoomProfile(stack, 'P', { roomProfileName: 'P', address: 'a', timezone: 'UTC' });
    new Room(stack, 'R', { roomName: 'R', profile });
    return Template.fromStack(stack);
  }

  test('the provider may create rooms in profiles only; the actions without resource types stay on *', () => {
    const statements = Object.values<any>(providerStack({}).findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument.Statement;
    const createRoom = statements.filter((s: any) => [s.Action].flat().includes('a4b:CreateRoom'));
    expect(createRoom).toEqual([{
      Sid: 'A4BCreateRoomsInProfiles', Effect: 'Allow', Action: 'a4b:CreateRoom',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':a4b:us-east-1:', { Ref: 'AWS::AccountId' }, ':profile/*']] },
    }]);
    const unscoped = statements.find((s: any) => s.Resource === '*');
    expect(unscoped.Action).toEqual(['a4b:CreateProfile', 'a4b:CreateSkillGroup', 'a4b:SearchRooms', 'a4b:SearchProfiles', 'a4b:SearchSkillGroups', 'a4b:SearchDevices']);
  });

  test('an imported log group: the role writes to its streams, with the one exact suppression for the :* of its ARN', () => {
    const stack = new Stack(new App(), 'S');
    new RoomsProvider(stack, 'A4BRoomsProvider', { logGroup: logs.LogGroup.fromLogGroupName(stack, 'Shared', 'rooms-logs') });
    const role = Template.fromStack(stack).findResources('AWS::IAM::Role');
    const [only] = Object.values<any>(role);
    expect(only.Properties.Policies[0].PolicyDocument.Statement[0].Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:rooms-logs:*']],
    });
    const suppression = only.Metadata.cdk_nag.rules_to_suppress;
    expect(suppression.map((s: any) => s.id)).toEqual(['AwsSolutions-IAM5']);
    const regex = suppression[0].applies_to[0].regex.replace(/^\/|\/g$/g, '');
    expect(new RegExp(regex).test('Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:rooms-logs:*')).toBe(true);
    expect(new RegExp(regex).test('Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*')).toBe(false);
    expect(new RegExp(regex).test('Resource::*')).toBe(false);
    Template.fromStack(stack).resourceCountIs('AWS::Logs::LogGroup', 0);
  });

  test('a log group of the app needs no suppression: its ARN is an attribute', () => {
    const roles = providerStack({}).findResources('AWS::IAM::Role');
    expect(Object.values<any>(roles)[0].Metadata?.cdk_nag).toBeUndefined();
  });
});

describe('securityProblems', () => {
  const vpc = () => ec2.Vpc.fromVpcAttributes(new Stack(), 'V', { vpcId: 'vpc-1', availabilityZones: ['a'], privateSubnetIds: ['s-1'] });
  const key = () => kms.Key.fromKeyArn(new Stack(), 'K', 'arn:aws:kms:us-east-1:111111111111:key/k');
  const group = () => logs.LogGroup.fromLogGroupName(new Stack(), 'L', 'l');
  test.each<[string, () => HandlerSecurityOptions & { logRetention?: logs.RetentionDays }, string[]]>([
    ['nothing set', () => ({}), []],
    ['everything that goes together', () => ({ vpc: vpc(), vpcSubnets: {}, securityGroups: [], logEncryptionKey: key(), runtime: lambda.Runtime.NODEJS_22_X }), []],
    ['a newer Node.js', () => ({ runtime: new lambda.Runtime('nodejs26.x', lambda.RuntimeFamily.NODEJS) }), []],
    ['log group and key', () => ({ logGroup: group(), logEncryptionKey: key() }), ['logGroup and logEncryptionKey are both given: encrypt your log group with the key yourself, and remove logEncryptionKey']],
    ['log group and retention', () => ({ logGroup: group(), logRetention: logs.RetentionDays.ONE_DAY }), ['logGroup and logRetention are both given: set the retention on your log group, and remove logRetention']],
    ['subnets without a VPC', () => ({ vpcSubnets: {} }), ['vpcSubnets is given without vpc: give the vpc the subnets belong to, or remove vpcSubnets']],
    ['security groups without a VPC', () => ({ securityGroups: [] }), ['securityGroups is given without vpc: give the vpc the security groups belong to, or remove securityGroups']],
    ['Node.js 20', () => ({ runtime: lambda.Runtime.NODEJS_20_X }), ['runtime nodejs20.x cannot run the handler, a JavaScript bundle for Node.js 22: give nodejs22.x or later, or leave runtime out for nodejs24.x']],
    ['Python', () => ({ runtime: lambda.Runtime.PYTHON_3_12 }), ['runtime python3.12 cannot run the handler, a JavaScript bundle for Node.js 22: give nodejs22.x or later, or leave runtime out for nodejs24.x']],
    ['the unversioned latest', () => ({ runtime: lambda.Runtime.NODEJS_LATEST }), []],
  ])('%s', (_, options, problems) => {
    expect(securityProblems(options())).toEqual(problems);
  });

  test('the construct is named in the error', () => {
    expect(() => new RoomsProvider(new Stack(new App(), 'S'), 'P', { runtime: lambda.Runtime.PYTHON_3_12 })).toThrow(/^RoomsProvider S\/P: runtime python3.12 cannot run/);
  });
});

describe('inheritedSecurity', () => {
  const stack = new Stack();
  const [vpcA, vpcB] = ['A', 'B'].map((n) => ec2.Vpc.fromVpcAttributes(stack, n, { vpcId: `vpc-${n}`, availabilityZones: ['a'] }));
  const keyA = kms.Key.fromKeyArn(stack, 'KA', 'arn:aws:kms:us-east-1:111111111111:key/a');
  const groupB = logs.LogGroup.fromLogGroupName(stack, 'LB', 'b');
  const subnetsA = { subnetGroupName: 'a' };
  test.each<[string, HandlerSecurityOptions, HandlerSecurityOptions, HandlerSecurityOptions]>([
    ['nothing of its own: all the inventory\'s', {}, { vpc: vpcA, vpcSubnets: subnetsA, logEncryptionKey: keyA, runtime: lambda.Runtime.NODEJS_22_X },
      { vpc: vpcA, vpcSubnets: subnetsA, securityGroups: undefined, logGroup: undefined, logEncryptionKey: keyA,
        runtime: lambda.Runtime.NODEJS_22_X }],
    ['its own log group: not the inventory\'s key', { logGroup: groupB }, { logEncryptionKey: keyA },
      { vpc: undefined, vpcSubnets: undefined, securityGroups: undefined, logGroup: groupB, logEncryptionKey: undefined, runtime: undefined }],
    ['its own log retention: a log group of its own, not the inventory\'s', { logRetention: logs.RetentionDays.ONE_WEEK } as HandlerSecurityOptions, { logGroup: groupB },
      { vpc: undefined, vpcSubnets: undefined, securityGroups: undefined, logGroup: undefined, logEncryptionKey: undefined, runtime: undefined }],
    ['its own VPC: not the inventory\'s subnets', { vpc: vpcB }, { vpc: vpcA, vpcSubnets: subnetsA },
      { vpc: vpcB, vpcSubnets: undefined, securityGroups: undefined, logGroup: undefined, logEncryptionKey: undefined, runtime: undefined }],
  ])('%s', (_, own, from, expected) => {
    expect(inheritedSecurity(own, from)).toEqual(expected);
  });
});
