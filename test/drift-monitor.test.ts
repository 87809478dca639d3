// DriftMonitor: the template (schedule, read-only IAM, alarms) and its bundled handler, taken from the synthesized
// cloud assembly, run against the emulators: it publishes drift as CloudWatch embedded-metric log lines.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import { UpdateRoomCommand, SearchRoomsCommand } from '@aws-sdk/client-alexa-for-business';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { DriftFindingKind, DriftMonitor, DriftMonitorProps, RoomInventory } from '../lib';
import { DRIFT_METRIC_DIMENSION, DRIFT_METRIC_NAMESPACE, DriftKindMetrics, DriftMetrics } from '../lib/contract';
import { Finding } from '../lib/drift/compare';
import { driftKindOf, driftMetrics } from '../lib/handlers/drift-monitor';
import { localDeploy, localProviderEnv } from '../lib/local/local-deploy';
import { loadBundle } from '../lib/local/local-lambda';
import { serveLocalWorld } from '../lib/local/local-world';
import { a4bClient, tempDir } from './helpers';

const INVENTORY = path.join(__dirname, '..', 'examples', 'rooms.yaml');

function synthMonitor(withTopic = false, more: Partial<Pick<DriftMonitorProps, 'schedule' | 'runPeriod' | 'dashboard' | 'dashboardName'>> = {}) {
  const outdir = tempDir('a4b-monitor-');
  const app = new App({ outdir });
  const stack = new Stack(app, 'Rooms');
  const inventory = new RoomInventory(stack, 'Inventory', { file: INVENTORY });
  const monitor = new DriftMonitor(stack, 'Monitor', { inventory, alarmTopic: withTopic ? new sns.Topic(stack, 'Alarms') : undefined, ...more });
  const assembly = app.synth();
  return { stack, monitor, outdir, template: Template.fromStack(stack), assembly };
}

/** The dashboard's body as JSON, its tokens (Ref, Fn::GetAtt) written as `{Ref:X}` / `{GetAtt:X.Arn}` strings. */
function dashboardBody(template: Template): any {
  const dashboards = Object.values<any>(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const body = dashboards[0].Properties.DashboardBody;
  const parts: unknown[] = typeof body === 'string' ? [body] : body['Fn::Join'][1];
  return JSON.parse(parts.map((p: any) => (typeof p === 'string' ? p : p.Ref ? `{Ref:${p.Ref}}` : `{GetAtt:${p['Fn::GetAtt'].join('.')}}`)).join(''));
}

/** Every metric a dashboard draws, as `namespace name {dimensions}`, from the widgets' `metrics` arrays. */
function dashboardMetrics(body: any): Array<{ namespace: string; name: string; dimensions: Record<string, string> }> {
  return body.widgets.flatMap((w: any) => w.properties.metrics ?? []).map((m: unknown[]) => {
    const [namespace, name, ...rest] = m.filter((x) => typeof x === 'string') as string[];
    const dimensions: Record<string, string> = {};
    for (let i = 0; i + 1 < rest.length; i += 2) dimensions[rest[i]] = rest[i + 1];
    return { namespace, name, dimensions };
  });
}

const finding = (f: Partial<Finding>): Finding => ({ resource: 'room', name: 'Spree', kind: 'changed', ...f });

describe('drift findings by kind', () => {
  test.each([
    [finding({ field: 'description' }), 'ROOM_FIELD'],
    [finding({ field: 'tags' }), 'ROOM_FIELD'],
    [finding({ field: 'devices' }), 'DEVICE'],
    [finding({ kind: 'missing' }), 'ROOM'],
    [finding({ kind: 'unmanaged' }), 'ROOM'],
    [finding({ resource: 'profile', field: 'wakeWord' }), 'PROFILE'],
    [finding({ resource: 'profile', kind: 'unmanaged' }), 'PROFILE'],
    [finding({ resource: 'skill group', kind: 'missing' }), 'SKILL_GROUP'],
    [finding({ kind: 'mailbox-missing', field: 'mailbox' }), 'MAILBOX'],
    [finding({ kind: 'not-a-room', field: 'mailbox' }), 'MAILBOX'],
    [finding({ kind: 'permission-lost', field: 'calendar permission' }), 'PERMISSION'],
    [finding({ resource: 'calendar link', kind: 'consent-missing' }), 'CONSENT'],
    [finding({ kind: 'unknown' }), undefined],
  ])('%j is a %s finding', (f, kind) => {
    expect(driftKindOf(f)).toBe(kind);
  });

  test('the kinds\' metrics sum to DriftFindings, every kind is published (zeros too), and rooms add up by state', () => {
    const findings = [
      finding({ name: 'A', field: 'description' }), finding({ name: 'A', field: 'devices' }), finding({ name: 'B', kind: 'missing' }),
      finding({ name: 'C', kind: 'unknown' }), finding({ name: 'X', kind: 'unmanaged' }), finding({ resource: 'profile', name: 'P', field: 'wakeWord' }),
    ];
    const m = driftMetrics({ status: 'error', findings, errors: [], checked: { rooms: 5, profiles: 1, skillGroups: 0, mailboxes: 0 } });
    const kinds = Object.values(DriftKindMetrics);
    expect(kinds.every((k) => typeof m[k] === 'number')).toBe(true);
    expect(kinds.reduce((sum, k) => sum + m[k], 0)).toBe(m[DriftMetrics.DRIFT_FINDINGS]);
    expect(m).toMatchObject({ RoomFieldFindings: 1, DeviceFindings: 1, RoomFindings: 2, ProfileFindings: 1, MailboxFindings: 0 });
    // 5 declared: A drifted, B missing, C unknown, two in sync; X is not declared.
    expect(m).toMatchObject({ InSyncRooms: 2, DriftedRooms: 2, MissingRooms: 1, UnknownRooms: 1, UnmanagedRooms: 1 });
  });
});

describe('DriftMonitor', () => {
  test('a synth leaves no folder behind: the handler and inventory are written into the assembly at synth, nothing into the temporary folder', () => {
    const tmp = tempDir('a4b-tmp-');
    const outdir = tempDir('a4b-out-');
    execFileSync(process.execPath, [path.join(__dirname, '..', 'bin', 'app.js')], { env: { ...process.env, TMPDIR: tmp, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ inventory: path.join(__dirname, '..', 'examples', 'rooms.yaml') }) } });
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('a4b-drift-monitor-'))).toEqual([]);
    const staged = fs.readdirSync(outdir).filter((f) => f.startsWith('asset.') && fs.existsSync(path.join(outdir, f, 'inventory.json')));
    expect(staged).toHaveLength(1);
    expect(fs.readdirSync(path.join(outdir, staged[0])).sort()).toEqual(['index.js', 'inventory.json']);
  });

  test('making a DriftMonitor writes nothing: its code folder is written into the cloud assembly at synth', () => {
    const outdir = tempDir('a4b-out-');
    const app = new App({ outdir });
    const stack = new Stack(app, 'Rooms');
    const inventory = new RoomInventory(stack, 'Inventory', { file: INVENTORY });
    // A private temporary folder: the shared one changes under the other jest workers.
    const tmp = tempDir('a4b-tmp-');
    // The module itself, which the library's `import * as fs` reads through (the namespace here is a frozen copy).
    const nodeFs: typeof fs = jest.requireActual('fs');
    const writes = ['writeFileSync', 'mkdtempSync', 'mkdirSync', 'copyFileSync', 'cpSync', 'openSync', 'symlinkSync'].map((m) => jest.spyOn(nodeFs, m as any));
    const w0 = (args: unknown[]) => args.length === 3 && typeof args[0] === 'string' && typeof args[2] === 'number';
    const tmpdir = jest.spyOn(jest.requireActual<typeof os>('os'), 'tmpdir').mockReturnValue(tmp);
    try {
      expect(os.tmpdir()).toBe(tmp);
      new DriftMonitor(stack, 'Monitor', { inventory });
      // openSync for reading (modules loading, the handler bundle hashed) writes nothing.
      expect(writes.flatMap((w) => w.mock.calls).filter((args) => !(w0(args) && args[1] === 'r'))).toEqual([]);
    } finally {
      writes.forEach((w) => w.mockRestore());
      tmpdir.mockRestore();
    }
    expect(fs.readdirSync(tmp)).toEqual([]);
    // (aws-cdk-lib stages the other functions' assets into the outdir as they are made; not this one.)
    expect(fs.readdirSync(outdir).filter((f) => fs.existsSync(path.join(outdir, f, 'inventory.json')))).toEqual([]);
    app.synth();
    const staged = fs.readdirSync(outdir).filter((f) => f.startsWith('asset.') && fs.existsSync(path.join(outdir, f, 'inventory.json')));
    expect(staged).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(path.join(outdir, staged[0], 'inventory.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(inventory._inventory)));
    // The asset manifest publishes that folder as the function's code.
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'Rooms.assets.json'), 'utf8'));
    const asset = Object.values<any>(manifest.files).find((f) => f.source.path === staged[0]);
    expect(asset.source.packaging).toBe('zip');
    const fn = Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Function')).find((f) => String(f.Properties.Description).includes('drift metrics'))!;
    expect(fn.Properties.Code.S3Key).toBe(Object.values<any>(asset.destinations)[0].objectKey);
  });

  test.each([
    ['metricDriftedRooms', 'DriftedRooms', 'Maximum'],
    ['metricUnmanagedRooms', 'UnmanagedRooms', 'Maximum'],
    ['metricUnknownRooms', 'UnknownRooms', 'Maximum'],
    ['metricDriftFindings', 'DriftFindings', 'Maximum'],
    ['metricReadErrors', 'ReadErrors', 'Maximum'],
    ['metricRuns', 'Runs', 'Sum'],
    ['metricInSyncRooms', 'InSyncRooms', 'Maximum'],
    ['metricMissingRooms', 'MissingRooms', 'Maximum'],
    ['metricThrottledReads', 'ThrottledReads', 'Maximum'],
  ] as const)('%s is the %s metric the handler publishes, on its inventory\'s dimension, %s per hour unless the options say otherwise', (method, name, statistic) => {
    const { monitor, template } = synthMonitor();
    const fn = Object.values<any>(template.findResources('AWS::Lambda::Function')).find((f) => String(f.Properties.Description).includes('drift metrics'))!;
    const metric = monitor[method]();
    const shown = {
      namespace: metric.namespace, name: metric.metricName, dimensions: metric.dimensions,
      statistic: metric.statistic, period: metric.period.toSeconds(),
    };
    const inventoryName = fn.Properties.Environment.Variables.INVENTORY_NAME;
    expect(shown).toEqual({ namespace: DriftMonitor.METRIC_NAMESPACE, name, dimensions: { Inventory: inventoryName }, statistic, period: 3600 });
    const custom = monitor[method]({ period: Duration.minutes(5), statistic: 'Average', label: 'mine' });
    expect([custom.metricName, custom.statistic, custom.period.toSeconds(), custom.label]).toEqual([name, 'Average', 300, 'mine']);
  });

  test('metricFindingsOfKind is each kind\'s metric the handler publishes', () => {
    const { monitor } = synthMonitor(false, { dashboard: false });
    expect(DriftFindingKind.all().map((k) => monitor.metricFindingsOfKind(k).metricName)).toEqual(Object.values(DriftKindMetrics));
    expect(monitor.metricFindingsOfKind(DriftFindingKind.DEVICE).dimensions).toEqual(monitor.metricDriftedRooms().dimensions);
  });

  test('an hourly schedule, a read-only role, and alarms on drift and failed reads that notify the topic', () => {
    const { template } = synthMonitor(true);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    const policies = Object.values<any>(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes('A4BReadOnly'));
    expect(policies).toHaveLength(1);
    const actions = policies[0].Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()).sort();
    expect(actions).toEqual(['a4b:GetProfile', 'a4b:ListTags', 'a4b:SearchDevices', 'a4b:SearchProfiles', 'a4b:SearchRooms', 'a4b:SearchSkillGroups',
      'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'].sort());
    // Exactly the reads the drift reader makes.
    // The reader and the A4B helpers it calls (listTags).
    const reader = ['drift/live.ts', 'runtime/a4b/client.ts', 'runtime/a4b/query.ts'].map((f) => fs.readFileSync(path.join(__dirname, '..', 'lib', f), 'utf8')).join('\n');
    const used = [...reader.matchAll(/new (\w+)Command\(/g)].map((m) => `a4b:${m[1]}`).sort();
    expect(actions.filter((a: string) => a.startsWith('a4b:'))).toEqual([...new Set(used)]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DriftedRooms', Namespace: 'cdk-a4b-rooms', Threshold: 1, AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alarms') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ReadErrors' });
  });

  test('alarms on the monitor itself: a failed run (Lambda Errors, timeouts included) and no completed run for two periods, both notifying the topic', () => {
    const { template, stack, monitor } = synthMonitor(true);
    const fnId = stack.getLogicalId(monitor.function.node.defaultChild as any);
    const toTopic = [{ Ref: stack.getLogicalId(stack.node.findChild('Alarms').node.defaultChild as any) }];
    const alarmProps = (alarm: any) => template.toJSON().Resources[stack.getLogicalId(alarm.node.defaultChild)].Properties;
    expect(alarmProps(monitor.errorAlarm)).toMatchObject({
      Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }], Statistic: 'Sum', Period: 3600,
      EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching', AlarmActions: toTopic,
    });
    expect(alarmProps(monitor.heartbeatAlarm)).toMatchObject({
      Namespace: 'cdk-a4b-rooms', MetricName: 'Runs', Dimensions: [{ Name: 'Inventory', Value: expect.any(String) }], Statistic: 'Sum', Period: 3600,
      EvaluationPeriods: 2, Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching', AlarmActions: toTopic,
    });
    // The heartbeat is on the dimension the handler publishes under.
    const fn = template.toJSON().Resources[fnId].Properties;
    expect(alarmProps(monitor.heartbeatAlarm).Dimensions[0].Value).toBe(fn.Environment.Variables.INVENTORY_NAME);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });

  test.each([
    ['rate(15 minutes)', { schedule: events.Schedule.rate(Duration.minutes(15)) }, 900],
    ['rate(1 day)', { schedule: events.Schedule.rate(Duration.days(1)) }, 86400],
    ['a cron schedule: one day', { schedule: events.Schedule.cron({ minute: '0', hour: '6' }) }, 86400],
    ['runPeriod given', { schedule: events.Schedule.cron({ minute: '0', hour: '6', weekDay: 'MON-FRI' }), runPeriod: Duration.days(3) }, 259200],
  ])('the run period follows the schedule (%s)', (_, more, period) => {
    const { template, stack, monitor } = synthMonitor(false, more);
    for (const alarm of [monitor.errorAlarm, monitor.heartbeatAlarm]) {
      expect(template.toJSON().Resources[stack.getLogicalId(alarm.node.defaultChild as any)].Properties.Period).toBe(period);
    }
  });

  test.each([
    ['longer than 3.5 days', { schedule: events.Schedule.rate(Duration.days(7)) }],
    ['not whole minutes', { runPeriod: Duration.seconds(90) }],
  ])('a run period CloudWatch cannot alarm on is refused with the fix (%s)', (_, more) => {
    expect(() => synthMonitor(false, more)).toThrow(/DriftMonitor: runPeriod .* must be a whole number of minutes from 1 minute to 3\.5 days .*give runPeriod/);
  });

  test('its dashboard: the commands to investigate, every alarm\'s state, rooms by state with the drift threshold, findings by kind stacked, run health against the timeout', () => {
    const { template, stack, monitor } = synthMonitor(true);
    const body = dashboardBody(template);
    const widgets: any[] = body.widgets;
    const byTitle = (t: string) => widgets.find((w) => w.properties.title === t)?.properties;

    const text = widgets.find((w) => w.type === 'text').properties.markdown;
    for (const command of ['drift rooms.yaml --markdown', 'drift rooms.yaml --html report.html', 'check rooms.yaml', 'test-booking rooms.yaml']) {
      expect(text).toContain(`npx a4b-rooms ${command}`);
    }
    expect(text).toContain('rate(1 hour)');
    expect(text).toContain('Rooms/Inventory');
    expect(text).toContain('12 rooms');

    const alarmIds = monitor.alarms().map((a) => stack.getLogicalId(a.node.defaultChild as any));
    expect(alarmIds).toHaveLength(4);
    expect(byTitle('Drift monitor alarms').alarms.sort()).toEqual(alarmIds.map((id) => `{GetAtt:${id}.Arn}`).sort());

    const rooms = byTitle('Rooms by state, per run');
    expect(rooms.annotations.horizontal).toEqual([expect.objectContaining({ value: 1 })]);
    const kinds = byTitle('Drift findings by kind, per run');
    expect(kinds.stacked).toBe(true);
    expect(kinds.metrics.map((m: unknown[]) => m[1])).toEqual(Object.values(DriftKindMetrics));
    const duration = byTitle('Run duration against the function timeout');
    expect(duration.metrics[0].slice(0, 2)).toEqual(['AWS/Lambda', 'Duration']);
    expect(duration.annotations.horizontal[0].value).toBe(15 * 60 * 1000);
    const health = byTitle('Runs: completed, failed, throttled and failed reads');
    expect(health.metrics.map((m: unknown[]) => m[1]).sort()).toEqual(['Errors', 'ReadErrors', 'Runs', 'ThrottledReads']);

    // Every metric of the monitor's namespace is one the handler publishes (its own names), on the inventory's dimension.
    const fn = Object.values<any>(template.findResources('AWS::Lambda::Function')).find((f) => String(f.Properties.Description).includes('drift metrics'))!;
    const published = new Set<string>([...Object.values(DriftMetrics), ...Object.values(DriftKindMetrics)]);
    const own = dashboardMetrics(body).filter((m) => m.namespace === DRIFT_METRIC_NAMESPACE);
    expect(own.length).toBeGreaterThanOrEqual(5 + 8 + 3);
    for (const m of own) {
      expect(published.has(m.name)).toBe(true);
      expect(m.dimensions).toEqual({ [DRIFT_METRIC_DIMENSION]: fn.Properties.Environment.Variables.INVENTORY_NAME });
    }
    // The rest are the function's own Lambda metrics.
    expect(dashboardMetrics(body).filter((m) => m.namespace !== DRIFT_METRIC_NAMESPACE).map((m) => [m.namespace, m.dimensions]))
      .toEqual([['AWS/Lambda', { FunctionName: `{Ref:${stack.getLogicalId(monitor.function.node.defaultChild as any)}}` }], ['AWS/Lambda', expect.anything()]]);
  });

  test('dashboard: false makes none, dashboardName names it, and widgets() fills a dashboard of your own', () => {
    const without = synthMonitor(false, { dashboard: false });
    without.template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(without.monitor.dashboard).toBeUndefined();
    const stack = new Stack(new App(), 'Rooms');
    const monitor = new DriftMonitor(stack, 'Monitor', { inventory: new RoomInventory(stack, 'Inventory', { file: INVENTORY }), dashboard: false });
    new cloudwatch.Dashboard(stack, 'Mine', { widgets: [[...monitor.widgets(), new cloudwatch.TextWidget({ markdown: 'mine' })]] });
    const widgets = dashboardBody(Template.fromStack(stack)).widgets;
    expect(widgets.map((w: any) => w.type)).toEqual(['text', 'alarm', 'metric', 'metric', 'metric', 'metric', 'text']);

    const named = synthMonitor(false, { dashboardName: 'rooms-drift' });
    named.template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'rooms-drift' });
    expect(named.monitor.dashboard).toBeInstanceOf(cloudwatch.Dashboard);
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
      expect(first.emf).toMatchObject({ DriftedRooms: 0, UnmanagedRooms: 0, UnknownRooms: 0, ReadErrors: 0, Runs: 1 });
      // The heartbeat is a declared metric of the EMF line, on the dimension the heartbeat alarm watches.
      expect(first.emf._aws.CloudWatchMetrics[0].Metrics).toContainEqual({ Name: 'Runs', Unit: 'Count' });
      expect(first.emf.Inventory).toBe(fnProps.Properties.Environment.Variables.INVENTORY_NAME);

      const a4b = a4bClient(world.a4b!);
      const spree = (await a4b.send(new SearchRoomsCommand({ Filters: [{ Key: 'RoomName', Values: ['Spree (2.01)'] }] }))).Rooms![0];
      await a4b.send(new UpdateRoomCommand({ RoomArn: spree.RoomArn, Description: 'edited in the console' }));
      a4b.destroy();
      const second = await run();
      expect(second.result.status).toBe('drift');
      expect(second.emf).toMatchObject({ DriftedRooms: 1, UnmanagedRooms: 0, DriftFindings: 1, Runs: 1 });
      expect(second.emf).toMatchObject({ RoomFieldFindings: 1, DeviceFindings: 0, InSyncRooms: 11, ThrottledReads: 0 });

      // What the dashboard draws from the monitor's namespace is a subset of what a run declares in its EMF line,
      // under the same namespace and dimension value.
      const declared = second.emf._aws.CloudWatchMetrics[0];
      const put = new Set(declared.Metrics.map((m: { Name: string }) => `${declared.Namespace} ${m.Name} ${declared.Dimensions[0].map((d: string) => `${d}=${second.emf[d]}`).join(',')}`));
      const drawn = dashboardMetrics(dashboardBody(template)).filter((m) => m.namespace === declared.Namespace)
        .map((m) => `${m.namespace} ${m.name} ${Object.entries(m.dimensions).map(([k, v]) => `${k}=${v}`).join(',')}`);
      expect(drawn.length).toBeGreaterThan(0);
      expect(drawn.filter((m) => !put.has(m))).toEqual([]);

      // A run that fails publishes no heartbeat: here the inventory packaged beside the handler is missing.
      const broken = tempDir('a4b-monitor-broken-');
      fs.copyFileSync(path.join(assetDir, 'index.js'), path.join(broken, 'index.js'));
      const log = new PassThrough();
      let text = '';
      log.on('data', (d) => (text += d));
      const failing = loadBundle(path.join(broken, 'index.js'), { env: { ...localProviderEnv(world.endpoints), ...fnProps.Properties.Environment.Variables }, log });
      await expect(failing.handler()).rejects.toThrow(/inventory\.json/);
      expect(text).not.toContain('"Runs"');
    } finally {
      await world.close();
    }

    // The same account served under a rate limit of 4 requests a second (a bucket of 4) while the run reads tags 8 at
    // a time: some reads are throttled and retried, and ThrottledReads counts each one the emulator answered so.
    const limited = await serveLocalWorld(state, { a4bRateLimit: 4 });
    try {
      const stats = async () => (await (await fetch(`${limited.endpoints.a4b}/_emulator/stats`)).json()) as { throttled: number };
      const before = (await stats()).throttled;
      const log = new PassThrough();
      let text = '';
      log.on('data', (d) => (text += d));
      const env = {
        ...localProviderEnv(limited.endpoints), ...fnProps.Properties.Environment.Variables,
        AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS: limited.endpoints.a4b,
      };
      const handler = loadBundle(path.join(assetDir, 'index.js'), { env, log });
      const result = await handler.handler();
      const throttled = (await stats()).throttled - before;
      expect(throttled).toBeGreaterThan(0);
      expect(result.metrics.ThrottledReads).toBe(throttled);
      expect(text.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l._aws).ThrottledReads).toBe(throttled);
    } finally {
      await limited.close();
    }
  });
});
