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
  const suppressions = resources.flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
  expect(suppressions.length).toBeGreaterThan(0);
  for (const s of suppressions) expect(s.reason.length).toBeGreaterThan(40);
});
