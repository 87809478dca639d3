// cdk-nag's AwsSolutions pack over the inventory app (with the drift monitor): no finding is left unexplained.
import * as path from 'path';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DriftMonitor, RoomInventory } from '../lib';

test('AwsSolutions reports no unsuppressed error or warning, and every suppression carries a reason', () => {
  const app = new App();
  const stack = new Stack(app, 'A4BRooms');
  const inventory = new RoomInventory(stack, 'Inventory', { file: path.join(__dirname, '..', 'examples', 'rooms.yaml') });
  new DriftMonitor(stack, 'DriftMonitor', { inventory });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  app.synth();
  const findings = [
    ...Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-')),
    ...Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-')),
  ].map((f) => `${f.id}: ${String(f.entry.data).split('\n')[0]}`);
  expect(findings).toEqual([]);
  const resources = Object.values<any>(Template.fromStack(stack).toJSON().Resources);
  const suppressions = resources.flatMap((r) => (r.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((s: any) => ({ type: r.Type, ...s })));
  // Exactly these, on the three functions' roles: the AWS-managed basic execution policy, the A4B actions that take
  // no resource ARN (and the per-type ARN wildcards), and the secret's name suffix that Secrets Manager appends.
  const basic = ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'];
  const a4b = ['Resource::*', { regex: '/^Resource::arn:<AWS::Partition>:a4b:[^:]*:<AWS::AccountId>:(room|profile|skill-group|device)\\/\\*$/g' }];
  const secret = [{ regex: '/^Resource::arn:<AWS::Partition>:secretsmanager:.*-\\?\\?\\?\\?\\?\\?$/g' }];
  expect(suppressions.map((s) => [s.type, s.id, s.applies_to ?? s.appliesTo])).toEqual(expect.arrayContaining([
    ['AWS::IAM::Role', 'AwsSolutions-IAM4', basic],
    ['AWS::IAM::Policy', 'AwsSolutions-IAM5', a4b],
    ['AWS::IAM::Policy', 'AwsSolutions-IAM5', secret],
  ]));
  expect(suppressions.map((s) => `${s.type} ${s.id} ${JSON.stringify(s.applies_to ?? s.appliesTo)}`).sort()).toEqual([
    ...Array(3).fill(`AWS::IAM::Role AwsSolutions-IAM4 ${JSON.stringify(basic)}`),
    ...Array(2).fill(`AWS::IAM::Policy AwsSolutions-IAM5 ${JSON.stringify(a4b)}`),
    ...Array(2).fill(`AWS::IAM::Policy AwsSolutions-IAM5 ${JSON.stringify(secret)}`),
  ].sort());
  for (const s of suppressions) expect(s.reason.length).toBeGreaterThan(40);
});
