// DriftMonitor: the template (schedule, read-only IAM, alarms) and its bundled handler, taken from the synthesized
// cloud assembly, run against the emulators: it publishes drift as CloudWatch embedded-metric log lines.
import * as fs from 'fs';
import * as path from 'path';
import { PassThrough } from 'stream';
import { UpdateRoomCommand, SearchRoomsCommand } from '@aws-sdk/client-alexa-for-business';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DriftMonitor, RoomInventory } from '../lib';
import { localDeploy, localProviderEnv } from '../lib/local/local-deploy';
import { loadBundle } from '../lib/local/local-lambda';
import { serveLocalWorld } from '../lib/local/local-world';
import { a4bClient, tempDir } from './helpers';

const INVENTORY = path.join(__dirname, '..', 'examples', 'rooms.yaml');

function synthMonitor(withTopic = false) {
  const outdir = tempDir('a4b-monitor-');
  const app = new App({ outdir });
  const stack = new Stack(app, 'Rooms');
  const inventory = new RoomInventory(stack, 'Inventory', { file: INVENTORY });
  const monitor = new DriftMonitor(stack, 'Monitor', { inventory, alarmTopic: withTopic ? new sns.Topic(stack, 'Alarms') : undefined });
  const assembly = app.synth();
  return { stack, monitor, outdir, template: Template.fromStack(stack), assembly };
}

describe('DriftMonitor', () => {
  test('an hourly schedule, a read-only role, and alarms on drift and failed reads that notify the topic', () => {
    const { template } = synthMonitor(true);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    const policies = Object.values<any>(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes('A4BReadOnly'));
    expect(policies).toHaveLength(1);
    const actions = policies[0].Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()).sort();
    expect(actions).toEqual(['a4b:GetProfile', 'a4b:ListTags', 'a4b:SearchDevices', 'a4b:SearchProfiles', 'a4b:SearchRooms', 'a4b:SearchSkillGroups',
      'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'].sort());
    // Exactly the reads the drift reader makes.
    const reader = fs.readFileSync(path.join(__dirname, '..', 'lib', 'drift', 'live.ts'), 'utf8');
    const used = [...reader.matchAll(/new (\w+)Command\(/g)].map((m) => `a4b:${m[1]}`).sort();
    expect(actions.filter((a: string) => a.startsWith('a4b:'))).toEqual([...new Set(used)]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DriftedRooms', Namespace: 'cdk-a4b-rooms', Threshold: 1, AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alarms') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ReadErrors' });
  });

  test('the bundled handler reports in sync, then a room edited in the console as drift, in CloudWatch embedded metrics', async () => {
    const { outdir, template } = synthMonitor();
    const fnProps = Object.values<any>(template.findResources('AWS::Lambda::Function')).find((f) => String(f.Properties.Description).includes('drift metrics'))!;
    // The function's asset as staged in the cloud assembly: what would be uploaded to Lambda.
    const assetDir = fs.readdirSync(outdir).map((d) => path.join(outdir, d)).find((d) => fs.existsSync(path.join(d, 'inventory.json')))!;
    expect(JSON.parse(fs.readFileSync(path.join(assetDir, 'inventory.json'), 'utf8')).rooms).toHaveLength(12);

    const state = tempDir('a4b-monitor-state-');
    const world = await serveLocalWorld(state);
    try {
      expect((await localDeploy({ app: `node ${path.join(__dirname, '..', 'bin', 'app.js')}`, context: { inventory: INVENTORY }, stateDir: state })).ok).toBe(true);
      const run = async () => {
        const log = new PassThrough();
        let text = '';
        log.on('data', (d) => (text += d));
        const handler = loadBundle(path.join(assetDir, 'index.js'), { env: { ...localProviderEnv(world.endpoints), ...fnProps.Properties.Environment.Variables, AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS: world.endpoints.a4b }, log });
        const result = await handler.handler();
        const emf = text.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l._aws);
        return { result, emf };
      };
      const first = await run();
      expect(first.result.status).toBe('in-sync');
      expect(first.emf._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'cdk-a4b-rooms', Dimensions: [['Inventory']] });
      expect(first.emf).toMatchObject({ DriftedRooms: 0, UnmanagedRooms: 0, UnknownRooms: 0, ReadErrors: 0 });

      const a4b = a4bClient(world.a4b!);
      const spree = (await a4b.send(new SearchRoomsCommand({ Filters: [{ Key: 'RoomName', Values: ['Spree (2.01)'] }] }))).Rooms![0];
      await a4b.send(new UpdateRoomCommand({ RoomArn: spree.RoomArn, Description: 'edited in the console' }));
      a4b.destroy();
      const second = await run();
      expect(second.result.status).toBe('drift');
      expect(second.emf).toMatchObject({ DriftedRooms: 1, UnmanagedRooms: 0, DriftFindings: 1 });
    } finally {
      await world.close();
    }
  });
});
