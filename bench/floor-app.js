// The floor for synth: plain aws-cdk-lib, the same custom resources in the same nesting as RoomInventory makes
// for the inventory in $BENCH_INVENTORY (link, profiles and skill groups in the stack, one mailbox check per shard
// in one nested stack, rooms in their shards), each a bare CustomResource on one Lambda function. No validation,
// no tags manager, no inventory parsing: what any CDK app with this many resources pays.
const fs = require('fs');
const path = require('path');
const { App, Stack, NestedStack, CustomResource, Duration } = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const { shardOf } = require('../lib/inventory/sharding');

const inventory = JSON.parse(fs.readFileSync(process.env.BENCH_INVENTORY, 'utf8'));
const app = new App();
const stack = new Stack(app, 'Floor');
const fn = new lambda.Function(stack, 'Provider', {
  code: lambda.Code.fromAsset(path.join(__dirname, '..', 'assets', 'a4b-provider')), handler: 'index.handler',
  runtime: lambda.Runtime.NODEJS_22_X, timeout: Duration.minutes(5),
});
const cr = (scope, id, type, properties) => new CustomResource(scope, id, { serviceToken: fn.functionArn, serviceTimeout: Duration.seconds(330), resourceType: type, properties });
cr(stack, 'Link', 'Custom::A4BCalendarLink', { Tenant: inventory.calendarLink.tenantId });
const profiles = new Map(inventory.profiles.map((p) => [p.name, cr(stack, `P${p.name}`, 'Custom::A4BRoomProfile', { ProfileName: p.name, Address: p.address, Timezone: p.timezone })]));
const groups = new Map(inventory.skillGroups.map((g) => [g.name, cr(stack, `G${g.name}`, 'Custom::A4BSkillGroup', { SkillGroupName: g.name })]));
const shards = new Map();
for (const r of inventory.rooms) {
  const n = shardOf(r.name, 32);
  shards.set(n, [...(shards.get(n) || []), r]);
}
// The deletion guard (one 8-character key per room) and the mailbox checks' gate (every check's summary by GetAtt).
cr(stack, 'Guard', 'Custom::A4BRoomDeletionGuard', { Rooms: inventory.rooms.map((r) => require('crypto').createHash('sha256').update(r.name).digest('base64url').slice(0, 8)).join('') });
const checks = new NestedStack(stack, 'Checks');
const checkList = [];
for (const [n, rooms] of shards) {
  checkList.push(cr(checks, `Check${n}`, 'Custom::A4BCalendarLink', { Rooms: rooms.map((r) => ({ Name: r.name, Mailbox: r.mailbox })) }));
  const shard = new NestedStack(stack, `Shard${n}`);
  for (const r of rooms) {
    cr(shard, `R${r.name.replace(/\W/g, '')}`, 'Custom::A4BRoom', {
      RoomName: r.name, ProviderCalendarId: r.mailbox, ProfileArn: profiles.get(r.profile).getAttString('Arn'),
      SkillGroupArns: r.skillGroups.map((g) => groups.get(g).getAttString('Arn')), Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })),
    });
  }
}
cr(checks, 'Gate', 'Custom::A4BMailboxCheckGate', { Checks: checkList.map((c) => c.getAttString('Findings')) });
app.synth();
