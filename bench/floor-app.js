// The floor for synth: plain aws-cdk-lib, the same custom resources in the same nesting as RoomInventory makes for
// the inventory in $BENCH_INVENTORY (link, guard and gate in the stack; profiles, skill groups, mailbox checks and
// rooms in their nested stacks; rooms naming their profile and skill groups; each stack's writes in waves), each a
// bare CustomResource. Its functions are ours with their log groups and permissions: the provider (A4B writes),
// the calendar-link checks (the secret) and the drift monitor (A4B reads, the secret). No validation, no tags manager,
// no inventory parsing: what any CDK app with these resources pays.
//
// BENCH_FLOOR_LAYOUT=inventory builds the same with RoomInventory's construct tree and ids (nested stacks under an
// `Inventory` construct, `Shard00`, rooms as `Room<name><hash>/Resource` CfnResources, barriers `Wave00Done`), so its
// templates have our logical ids: the part of our synth time that is the layout, not our code.
const fs = require('fs');
const path = require('path');
const { App, CfnResource, Stack, NestedStack, CustomResource, Duration, RemovalPolicy } = require('aws-cdk-lib');
const { CfnWaitConditionHandle } = require('aws-cdk-lib/aws-cloudformation');
const lambda = require('aws-cdk-lib/aws-lambda');
const iam = require('aws-cdk-lib/aws-iam');
const logs = require('aws-cdk-lib/aws-logs');
const secretsmanager = require('aws-cdk-lib/aws-secretsmanager');
const cloudwatch = require('aws-cdk-lib/aws-cloudwatch');
const events = require('aws-cdk-lib/aws-events');
const targets = require('aws-cdk-lib/aws-events-targets');
const { Construct } = require('constructs');
const { constructIdFor, shardOf, skillGroupStackOf, waveOf } = require('../lib/inventory/sharding');

const ours = process.env.BENCH_FLOOR_LAYOUT === 'inventory';

if (!process.env.BENCH_INVENTORY) throw new Error('BENCH_INVENTORY must name the inventory JSON file to synthesize (bench/run.js sets it)');
const inventory = JSON.parse(fs.readFileSync(process.env.BENCH_INVENTORY, 'utf8'));
const app = new App();
const stack = new Stack(app, 'Floor');
const a4b = (type) => stack.formatArn({ service: 'a4b', region: 'us-east-1', resource: type, resourceName: '*' });
function fnOf(id, code, props, retention, statements) {
  const logGroup = new logs.LogGroup(stack, `${id}Logs`, { retention });
  const f = new lambda.Function(stack, id, { code, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X, logGroup, ...props });
  for (const [actions, resources] of statements) f.addToRolePolicy(new iam.PolicyStatement({ actions: actions.map((a) => `a4b:${a}`), resources }));
  return f;
}
const fn = fnOf('Provider', lambda.Code.fromAsset(path.join(__dirname, '..', 'assets', 'a4b-provider')),
  { timeout: Duration.minutes(5), memorySize: 256, reservedConcurrentExecutions: 10 }, logs.RetentionDays.ONE_MONTH, [
    [['CreateRoom', 'CreateProfile', 'CreateSkillGroup', 'SearchRooms', 'SearchProfiles', 'SearchSkillGroups', 'SearchDevices'], ['*']],
    [['GetRoom', 'UpdateRoom', 'DeleteRoom', 'GetProfile', 'UpdateProfile', 'DeleteProfile', 'GetSkillGroup', 'UpdateSkillGroup', 'DeleteSkillGroup',
      'AssociateSkillGroupWithRoom', 'DisassociateSkillGroupFromRoom', 'AssociateDeviceWithRoom', 'DisassociateDeviceFromRoom', 'TagResource', 'UntagResource',
      'ListTags'], ['room', 'profile', 'skill-group', 'device'].map(a4b)],
  ]);
const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'Secret', inventory.calendarLink.credentialsSecret);
const linkFn = fnOf('LinkChecks', lambda.Code.fromAsset(path.join(__dirname, '..', 'assets', 'calendar-link-provider')),
  { timeout: Duration.minutes(10), memorySize: 512 }, logs.RetentionDays.ONE_MONTH, []);
secret.grantRead(linkFn);
const crOn = (f) => (scope, id, type, properties) => new CustomResource(scope, id, {
  serviceToken: f.functionArn, serviceTimeout: Duration.seconds(930), resourceType: type, properties,
});
const cr = crOn(fn);
const check = crOn(linkFn);
const cfn = (c) => c.node.defaultChild ?? c;
/** The AWS::CloudFormation::Stack resource of a nested stack (set for every NestedStack; undefined only on a top-level stack). */
const stackResource = (nested) => {
  if (!nested.nestedStackResource) throw new Error(`${nested.node.path} is not a nested stack`);
  return nested.nestedStackResource;
};
function waves(scope, items) {
  const byWave = [];
  for (const [key, c] of items) (byWave[waveOf(key)] ??= []).push(cfn(c));
  let before;
  for (let w = 0; w < byWave.length; w++) {
    for (const r of byWave[w] ?? []) if (before) r.addDependency(before);
    if (w === byWave.length - 1) break;
    const barrier = new CfnWaitConditionHandle(scope, ours ? `Wave${String(w).padStart(2, '0')}Done` : `Wave${w}`);
    for (const r of byWave[w] ?? []) barrier.addDependency(r);
    if (before) barrier.addDependency(before);
    before = barrier;
  }
}
check(stack, 'Link', 'Custom::A4BCalendarLink', { Tenant: inventory.calendarLink.tenantId });
// The deletion guard (one 8-character key per room).
cr(stack, 'Guard', 'Custom::A4BRoomDeletionGuard', { Rooms: inventory.rooms.map((r) => require('crypto').createHash('sha256').update(r.name).digest('base64url').slice(0, 8)).join('') });
const home = ours ? new Construct(stack, 'Inventory') : stack;
const profileStack = new NestedStack(home, 'Profiles');
// In our layout each resource is `Resource` under a construct named for the kind, the name and its hash.
const idIn = (scope, kind, prefix, name) => (ours ? [new Construct(scope, constructIdFor(kind, name)), 'Resource'] : [scope, `${prefix}${name.replace(/\W/g, '')}`]);
// There the resource is a CfnResource (as RoomInventory makes it), not a CustomResource with a `Default` child: the
// same construct count as the plain floor, so the layout figure is the paths and ids alone.
const entity = (scope, id, type, properties) => {
  if (!ours) return cr(scope, id, type, properties);
  const r = new CfnResource(scope, id, { type, properties: { ServiceToken: fn.functionArn, ServiceTimeout: '930', ...properties } });
  r.applyRemovalPolicy(RemovalPolicy.DESTROY);
  return r;
};
waves(profileStack, inventory.profiles.map((p) => [p.name, entity(...idIn(profileStack, 'Profile', 'P', p.name), 'Custom::A4BRoomProfile', { ProfileName: p.name, Address: p.address, Timezone: p.timezone })]));
const groupStacks = new Map();
const groups = new Map();
for (const g of inventory.skillGroups) {
  const n = skillGroupStackOf(g.name);
  if (!groupStacks.has(n)) groupStacks.set(n, new NestedStack(home, `SkillGroups${n}`));
  groups.set(g.name, [g.name, entity(...idIn(groupStacks.get(n), 'SkillGroup', 'G', g.name), 'Custom::A4BSkillGroup', { SkillGroupName: g.name })]);
}
for (const [n, s] of groupStacks) waves(s, [...groups.values()].filter(([name]) => skillGroupStackOf(name) === n));
const shards = new Map();
for (const r of inventory.rooms) {
  const n = shardOf(r.name, 32);
  shards.set(n, [...(shards.get(n) || []), r]);
}
const checkStacks = new Map();
const checkList = [];
for (const [n, rooms] of shards) {
  const k = Math.floor(n / 4);
  if (!checkStacks.has(k)) checkStacks.set(k, new NestedStack(home, ours ? `MailboxChecks${k}` : `Checks${k}`));
  checkList.push(check(checkStacks.get(k), `Check${n}`, 'Custom::A4BCalendarLink', { Rooms: rooms.map((r) => ({ Name: r.name, Mailbox: r.mailbox })) }));
  const shard = new NestedStack(home, ours ? `Shard${String(n).padStart(2, '0')}` : `Shard${n}`);
  waves(shard, rooms.map((r) => [r.name, entity(...idIn(shard, 'Room', 'R', r.name), 'Custom::A4BRoom', {
    RoomName: r.name, Description: r.description, ProviderCalendarId: r.mailbox, ProfileName: r.profile, SkillGroupNames: r.skillGroups,
    Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })),
  })]));
  stackResource(shard).addDependency(stackResource(profileStack));
  for (const s of groupStacks.values()) stackResource(shard).addDependency(stackResource(s));
}
check(stack, 'Gate', 'Custom::A4BMailboxCheckGate', { Checks: checkList.map((c) => c.getAttString('Findings')) });
// The drift monitor's counterpart: a function whose asset holds the handler and the inventory, a schedule, four alarms.
const driftDir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'a4b-floor-drift-'));
process.once('exit', () => fs.rmSync(driftDir, { recursive: true, force: true })); // as DriftMonitor's asset folder
fs.copyFileSync(path.join(__dirname, '..', 'assets', 'drift-monitor', 'index.js'), path.join(driftDir, 'index.js'));
fs.writeFileSync(path.join(driftDir, 'inventory.json'), JSON.stringify(inventory));
const drift = fnOf('Drift', lambda.Code.fromAsset(driftDir), { timeout: Duration.minutes(15), memorySize: 1024 }, logs.RetentionDays.THREE_MONTHS, [
  [['SearchRooms', 'SearchProfiles', 'SearchSkillGroups', 'SearchDevices'], ['*']],
  [['ListTags', 'GetProfile'], ['room', 'profile', 'skill-group'].map(a4b)],
]);
secret.grantRead(drift);
new events.Rule(stack, 'Schedule', { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.LambdaFunction(drift)] });
for (const name of ['DriftedRooms', 'ReadErrors', 'Runs', 'Errors']) {
  new cloudwatch.Metric({ namespace: 'cdk-a4b-rooms', metricName: name }).createAlarm(stack, `${name}Alarm`, { threshold: 1, evaluationPeriods: 1 });
}
app.synth();
