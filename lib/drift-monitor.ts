import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis, CfnResource, Duration, FileAssetPackaging, Names, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cxapi from 'aws-cdk-lib/cx-api';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { isMarked, mark } from './markers';
import { a4bLocation } from './a4b-location';
import { A4B_WILDCARDS, acceptNagFindings, bundledFunction, inheritedSecurity, SECRET_BY_NAME } from './bundled-function';
import { HandlerSecurityOptions } from './handler-options';
import {
  DRIFT_METRIC_DIMENSION, DRIFT_METRIC_NAMESPACE, DRIFT_MONITOR_INVENTORY_FILE, DriftKindMetrics, DriftMetrics, DriftMonitorEnv, HandlerEnv,
} from './contract';
import { RoomInventory } from './room-inventory';


/**
 * Properties for a DriftMonitor. The security options not given here are the inventory's (`RoomInventoryProps`).
 */
export interface DriftMonitorProps extends HandlerSecurityOptions {
  /**
   * The inventory whose rooms are watched.
   */
  readonly inventory: RoomInventory;

  /**
   * How often the check runs.
   *
   * @default events.Schedule.rate(Duration.hours(1))
   */
  readonly schedule?: events.Schedule;

  /**
   * Where the alarms notify.
   *
   * @default - the alarms notify nobody
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * How often a run is expected to complete. The heartbeat alarm fires when no run has completed for two of these,
   * and the error alarm evaluates failed runs per period. At least one minute, a whole number of minutes, and at
   * most 3.5 days (CloudWatch evaluates an alarm over at most 7 days).
   *
   * @default - the schedule's rate for a `rate(...)` schedule; one day for a cron schedule
   */
  readonly runPeriod?: Duration;

  /**
   * Leave out rooms that exist in A4B but are not declared.
   *
   * @default false
   */
  readonly ignoreUnmanaged?: boolean;

  /**
   * The region the A4B client signs requests for.
   *
   * @default - the app's `a4bRegion` context (cdk.json), else 'us-east-1'
   */
  readonly a4bRegion?: string;

  /**
   * An A4B endpoint URL other than the public one.
   *
   * @default - the app's `a4bEndpoint` context (cdk.json), else the SDK's public endpoint for `a4bRegion`
   */
  readonly a4bEndpoint?: string;

  /**
   * How long the function's logs are kept (the findings of each run are logged there); not with `logGroup`.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Make a CloudWatch dashboard of the monitor's metrics and alarms (a dashboard costs $3 a month beyond an account's
   * first three). Without it, `widgets()` still gives the widgets for a dashboard of your own.
   *
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * The dashboard's name.
   *
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;
}

/** What a drift finding is about: the drift monitor publishes one metric per kind. */
export class DriftFindingKind {
  /** A room declared and not in A4B, or in A4B and not declared. */
  public static readonly ROOM = new DriftFindingKind(DriftKindMetrics.ROOM, 'room missing or not declared');
  /** A room's name, mailbox, description, profile or tags. */
  public static readonly ROOM_FIELD = new DriftFindingKind(DriftKindMetrics.ROOM_FIELD, 'room field');
  /** The devices in a room. */
  public static readonly DEVICE = new DriftFindingKind(DriftKindMetrics.DEVICE, 'device');
  /** A room profile missing, changed or not declared. */
  public static readonly PROFILE = new DriftFindingKind(DriftKindMetrics.PROFILE, 'room profile');
  /** A skill group missing, changed or not declared. */
  public static readonly SKILL_GROUP = new DriftFindingKind(DriftKindMetrics.SKILL_GROUP, 'skill group');
  /** A room's mailbox gone, or no longer a room mailbox. */
  public static readonly MAILBOX = new DriftFindingKind(DriftKindMetrics.MAILBOX, 'mailbox');
  /** The service account's permission on a room's calendar lost. */
  public static readonly PERMISSION = new DriftFindingKind(DriftKindMetrics.PERMISSION, 'calendar permission');
  /** The A4B app's admin consent revoked. */
  public static readonly CONSENT = new DriftFindingKind(DriftKindMetrics.CONSENT, 'consent');

  /** Every kind, in the dashboard's order. */
  public static all(): DriftFindingKind[] {
    return [DriftFindingKind.ROOM, DriftFindingKind.ROOM_FIELD, DriftFindingKind.DEVICE, DriftFindingKind.PROFILE,
      DriftFindingKind.SKILL_GROUP, DriftFindingKind.MAILBOX, DriftFindingKind.PERMISSION, DriftFindingKind.CONSENT];
  }

  /**
   * @param metricName the metric the drift monitor publishes for this kind
   * @param label how the dashboard names it
   */
  private constructor(public readonly metricName: string, public readonly label: string) {}
}

/**
 * Runs the `a4b-rooms drift` check of an inventory on a schedule and publishes CloudWatch metrics (DriftedRooms,
 * UnmanagedRooms, UnknownRooms, DriftFindings, ReadErrors), with alarms on drift and on failed reads. Its role may
 * only read: A4B searches and reads, and the calendar link's credentials secret.
 */
export class DriftMonitor extends Construct {
  /** The CloudWatch namespace of the monitor's metrics (their dimension `Inventory` names the inventory). */
  public static readonly METRIC_NAMESPACE: string = DRIFT_METRIC_NAMESPACE;

  /**
   * Whether `x` is a drift monitor construct, made by this copy of cdk-a4b-rooms or by another one in the same app
   * (use this rather than `instanceof`).
   */
  public static isDriftMonitor(x: any): x is DriftMonitor {
    return isMarked(x, 'DriftMonitor');
  }

  /** The scheduled function. */
  public readonly function: lambda.IFunction;
  /** In alarm when a room drifted (declared and live differ, or its Office 365 side changed). */
  public readonly driftAlarm: cloudwatch.Alarm;
  /** In alarm when a run could not read A4B or Graph (then it cannot tell drift). */
  public readonly readErrorAlarm: cloudwatch.Alarm;
  /**
   * In alarm when a run of the function failed: an exception, a timeout or a configuration error (the function's
   * `Errors` metric, summed per run period).
   */
  public readonly errorAlarm: cloudwatch.Alarm;
  /**
   * In alarm when no run has completed for two run periods: every run fails, or the function is no longer invoked
   * (the `Runs` metric each completed run publishes is missing, and missing data counts as breaching). Right after
   * the monitor is first deployed there is no data yet, so it may be in alarm until the first run completes.
   */
  public readonly heartbeatAlarm: cloudwatch.Alarm;
  /** The monitor's dashboard (`widgets()` on one page); undefined with `dashboard: false`. */
  public readonly dashboard?: cloudwatch.Dashboard;
  private readonly inventoryName: string;
  private readonly inventory: RoomInventory;
  private readonly scheduleExpression: string;
  private readonly runPeriod: Duration;
  private readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: DriftMonitorProps) {
    super(scope, id);
    mark(this, 'DriftMonitor');
    const { region: a4bRegion, endpoint: a4bEndpoint } = a4bLocation(this, props);
    this.inventoryName = Names.uniqueResourceName(props.inventory, { maxLength: 64 });
    this.inventory = props.inventory;
    this.timeout = Duration.minutes(15);
    const fn = bundledFunction(this, {
      ...inheritedSecurity(props, props.inventory._handlerSecurity),
      owner: `DriftMonitor ${this.node.path}`,
      asset: 'drift-monitor',
      code: stagedAtSynth(this, 'Code', props.inventory._inventory),
      memorySize: 1024,
      timeout: this.timeout,
      description: 'cdk-a4b-rooms: compares live A4B and Office 365 with the inventory and publishes drift metrics',
      environment: {
        [HandlerEnv.A4B_REGION]: a4bRegion,
        ...(a4bEndpoint ? { [HandlerEnv.A4B_ENDPOINT]: a4bEndpoint } : {}),
        ...(props.ignoreUnmanaged ? { [DriftMonitorEnv.IGNORE_UNMANAGED]: 'true' } : {}),
        [DriftMonitorEnv.INVENTORY_NAME]: this.inventoryName,
      },
      logRetention: props.logRetention,
      defaultLogRetention: logs.RetentionDays.THREE_MONTHS,
    });
    fn.addToRolePolicy(new iam.PolicyStatement({
      sid: 'A4BReadOnly',
      actions: ['a4b:SearchRooms', 'a4b:SearchProfiles', 'a4b:SearchSkillGroups', 'a4b:SearchDevices'],
      // Search actions take no resource ARN in IAM.
      resources: ['*'],
    }));
    const arn = (type: string) => Stack.of(this).formatArn({ service: 'a4b', region: a4bRegion, resource: type, resourceName: '*' });
    fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'A4BReadTagsAndProfiles', actions: ['a4b:ListTags', 'a4b:GetProfile'], resources: ['room', 'profile', 'skill-group'].map(arn) }));
    props.inventory.calendarLink?.credentials.grantRead(fn);
    acceptNagFindings(fn, [A4B_WILDCARDS, SECRET_BY_NAME]);
    this.function = fn;

    const schedule = props.schedule ?? events.Schedule.rate(Duration.hours(1));
    const runPeriod = props.runPeriod ?? rateOf(schedule.expressionString) ?? Duration.days(1);
    checkRunPeriod(runPeriod);
    this.scheduleExpression = schedule.expressionString;
    this.runPeriod = runPeriod;
    new events.Rule(this, 'Schedule', {
      schedule,
      targets: [new targets.LambdaFunction(fn, { retryAttempts: 0 })],
      description: 'cdk-a4b-rooms drift check',
    });

    this.driftAlarm = this.metricDriftedRooms().createAlarm(this, 'DriftAlarm', {
      alarmDescription: 'A4B rooms or their Office 365 side no longer match the inventory: see the drift monitor log, or run a4b-rooms drift',
      threshold: 1, evaluationPeriods: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.readErrorAlarm = this.metricReadErrors().createAlarm(this, 'ReadErrorAlarm', {
      alarmDescription: 'The drift monitor could not read A4B or Graph, so it cannot tell drift',
      threshold: 1, evaluationPeriods: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // Lambda counts timeouts and runtime errors in Errors, not only exceptions the code throws ("Types of metrics for
    // Lambda functions", AWS Lambda Developer Guide). Missing data is no run, which the heartbeat alarm covers.
    this.errorAlarm = fn.metricErrors({ statistic: 'Sum', period: runPeriod }).createAlarm(this, 'ErrorAlarm', {
      alarmDescription: 'A drift monitor run failed (an exception, a timeout or a configuration error), so drift goes unreported: see the drift monitor log',
      threshold: 1, evaluationPeriods: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // Two periods, so a run that ends a little later than the one before does not leave one period empty and alarm.
    this.heartbeatAlarm = this.metricRuns({ period: runPeriod }).createAlarm(this, 'HeartbeatAlarm', {
      alarmDescription: 'No drift monitor run has completed for two run periods (runs fail, or the schedule no longer invokes the function), so drift goes unreported',
      threshold: 1, evaluationPeriods: 2, comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    if (props.alarmTopic) {
      const action = new cw_actions.SnsAction(props.alarmTopic);
      for (const alarm of this.alarms()) alarm.addAlarmAction(action);
    }
    if (props.dashboard ?? true) {
      this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
        dashboardName: props.dashboardName,
        defaultInterval: Duration.days(7),
        widgets: [this.widgets()],
      });
    }
  }

  /** Every alarm the monitor owns. */
  public alarms(): cloudwatch.Alarm[] {
    return [this.driftAlarm, this.readErrorAlarm, this.errorAlarm, this.heartbeatAlarm];
  }

  /**
   * The dashboard's widgets, new each call, to place in a dashboard of your own: what to investigate, the alarms'
   * states, rooms by state, findings by kind, and the runs' health.
   */
  public widgets(): cloudwatch.IWidget[] {
    const period = this.runPeriod;
    const max = (metric: cloudwatch.Metric, label: string) => metric.with({ period, statistic: 'Maximum', label });
    const file = this.inventory._fileName ?? 'rooms.yaml';
    const fullWidth = 24;
    return [
      new cloudwatch.TextWidget({
        width: 14, height: 7,
        markdown: [
          `## A4B rooms drift: ${this.inventory.node.path}`,
          `Inventory \`${file}\` (${this.inventory.roomCount} rooms, metric dimension \`${DRIFT_METRIC_DIMENSION}=${this.inventoryName}\`), checked on \`${this.scheduleExpression}\`; each run logs its findings to the function's log.`,
          '',
          'When an alarm fires, from the project with the inventory:',
          `* \`npx a4b-rooms drift ${file} --markdown\`: every finding, the declared and the live value`,
          `* \`npx a4b-rooms drift ${file} --html report.html\`: the same as a page to share`,
          `* \`npx a4b-rooms check ${file}\`: the calendar link's permissions and mailboxes`,
          `* \`npx a4b-rooms test-booking ${file}\`: a real booking, to prove rooms answer`,
        ].join('\n'),
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Drift monitor alarms', alarms: this.alarms(), width: 10, height: 7 }),
      new cloudwatch.GraphWidget({
        title: 'Rooms by state, per run', width: fullWidth, height: 7,
        left: [
          max(this.metricInSyncRooms(), 'in sync'),
          max(this.metricDriftedRooms(), 'drifted (missing included)'),
          max(this.metricMissingRooms(), 'missing'),
          max(this.metricUnmanagedRooms(), 'not declared'),
          max(this.metricUnknownRooms(), 'unknown (read failed)'),
        ],
        leftYAxis: { min: 0, showUnits: false },
        leftAnnotations: [this.driftAlarm.toAnnotation()],
      }),
      new cloudwatch.GraphWidget({
        title: 'Drift findings by kind, per run', width: 12, height: 7, stacked: true,
        left: DriftFindingKind.all().map((kind) => max(this.metricFindingsOfKind(kind), kind.label)),
        leftYAxis: { min: 0, showUnits: false },
      }),
      new cloudwatch.GraphWidget({
        title: 'Runs: completed, failed, throttled and failed reads', width: 12, height: 7,
        left: [
          this.metricRuns({ period, label: 'completed runs (heartbeat)' }),
          this.function.metricErrors({ period, statistic: 'Sum', label: 'failed runs' }),
          max(this.metricReadErrors(), 'failed reads'),
          max(this.metricThrottledReads(), 'throttled reads'),
        ],
        leftYAxis: { min: 0, showUnits: false },
        leftAnnotations: [this.heartbeatAlarm.toAnnotation(), this.readErrorAlarm.toAnnotation()],
      }),
      new cloudwatch.GraphWidget({
        title: 'Run duration against the function timeout', width: fullWidth, height: 6,
        left: [this.function.metricDuration({ period, statistic: 'Maximum', label: 'longest run' })],
        leftYAxis: { min: 0, label: 'ms', showUnits: false },
        leftAnnotations: [{ value: this.timeout.toMilliseconds(), label: `timeout (${this.timeout.toHumanString()})`, color: cloudwatch.Color.RED }],
      }),
    ];
  }

  /**
   * One of the monitor's metrics, by name: InSyncRooms, DriftedRooms, MissingRooms, UnmanagedRooms, UnknownRooms,
   * DriftFindings, ReadErrors, ThrottledReads, Runs, or a kind's findings (the named methods give each).
   *
   * @default - maximum over 1 hour
   */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: DRIFT_METRIC_NAMESPACE, metricName, dimensionsMap: { [DRIFT_METRIC_DIMENSION]: this.inventoryName },
      statistic: 'Maximum', period: Duration.hours(1), ...props,
    });
  }

  /**
   * Rooms whose live A4B or Office 365 side differs from the inventory, per run.
   *
   * @default - maximum over 1 hour
   */
  public metricDriftedRooms(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DriftMetrics.DRIFTED_ROOMS, props);
  }

  /**
   * Rooms in A4B that the inventory does not declare, per run (0 with `ignoreUnmanaged`).
   *
   * @default - maximum over 1 hour
   */
  public metricUnmanagedRooms(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DriftMetrics.UNMANAGED_ROOMS, props);
  }

  /**
   * Rooms whose state could not be told (a read failed for them), per run.
   *
   * @default - maximum over 1 hour
   */
  public metricUnknownRooms(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DriftMetrics.UNKNOWN_ROOMS, props);
  }

  /**
   * Differences found (a room may have several), per run.
   *
   * @default - maximum over 1 hour
   */
  public metricDriftFindings(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DriftMetrics.DRIFT_FINDINGS, props);
  }

  /**
   * Reads of A4B or Graph that failed, per run (then the run cannot tell drift).
   *
   * @default - maximum over 1 hour
   */
  public metricReadErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DriftMetrics.READ_ERRORS, props);
  }

  /**
   * Declared rooms with no finding, per run.
   *
   * @default - maximum over 1 hour
   */
  public metricInSyncRooms(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DriftMetrics.IN_SYNC_ROOMS, props);
  }

  /**
   * Declared rooms that A4B no longer has, per run (they count in DriftedRooms too).
   *
   * @default - maximum over 1 hour
   */
  public metricMissingRooms(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DriftMetrics.MISSING_ROOMS, props);
  }

  /**
   * Reads that A4B or Graph throttled (and that were retried), per run: many of them make runs slow.
   *
   * @default - maximum over 1 hour
   */
  public metricThrottledReads(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DriftMetrics.THROTTLED_READS, props);
  }

  /**
   * Drift findings of one kind, per run (the kinds' findings sum to DriftFindings).
   *
   * @default - maximum over 1 hour
   */
  public metricFindingsOfKind(kind: DriftFindingKind, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(kind.metricName, props);
  }

  /**
   * Completed runs: 1 per run that finished, the monitor's heartbeat.
   *
   * @default - sum over 1 hour
   */
  public metricRuns(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DriftMetrics.RUNS, { statistic: 'Sum', ...props });
  }
}

/** The period of a `rate(N unit)` schedule; undefined for cron and for tokens. */
function rateOf(expression: string): Duration | undefined {
  const m = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'minute' ? Duration.minutes(n) : m[2] === 'hour' ? Duration.hours(n) : Duration.days(n);
}

/**
 * CloudWatch alarm periods are whole minutes here (10, 20 and 30 s are for high-resolution metrics), and period times
 * evaluation periods may not exceed 7 days (PutMetricAlarm, Amazon CloudWatch API Reference); the heartbeat uses two.
 */
function checkRunPeriod(period: Duration): void {
  const seconds = period.toSeconds();
  if (seconds < 60 || seconds % 60 !== 0 || seconds * 2 > 7 * 24 * 3600) {
    throw new Error(`DriftMonitor: runPeriod ${period.toHumanString()} must be a whole number of minutes from 1 minute to 3.5 days (the heartbeat alarm spans two periods, CloudWatch at most 7 days): give runPeriod, or a schedule that runs at least every 3.5 days`);
  }
}

/**
 * The function's code: the prebundled handler beside the inventory it checks, as one asset. Nothing is written when
 * the construct is made: the asset is declared to the stack's synthesizer by its hash (of the handler and the
 * inventory, both in memory), and its folder is written into the cloud assembly at synth, where CDK would have staged
 * it. The inventory (up to megabytes at 10,000 rooms) fits neither the template (1 MB), nor the environment (4 KB), nor
 * the schedule's event input (8 KB).
 */
function stagedAtSynth(scope: Construct, id: string, inventory: unknown): lambda.Code {
  const handler = fs.readFileSync(path.join(__dirname, '..', 'assets', 'drift-monitor', 'index.js'));
  const json = JSON.stringify(inventory);
  const hash = createHash('sha256').update(handler).update('\0').update(json).digest('hex');
  const dir = `asset.${hash}`;
  const staging = new Construct(scope, id);
  attachCustomSynthesis(staging, {
    onSynthesize: (session) => {
      const out = path.join(session.outdir, dir);
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(path.join(out, 'index.js'), handler);
      fs.writeFileSync(path.join(out, DRIFT_MONITOR_INVENTORY_FILE), json);
    },
  });
  const location = Stack.of(scope).synthesizer.addFileAsset({ sourceHash: hash, fileName: dir, packaging: FileAssetPackaging.ZIP_DIRECTORY });
  return new StagedCode(lambda.Code.fromBucketV2(s3.Bucket.fromBucketName(staging, 'Bucket', location.bucketName), location.objectKey), dir);
}

/** S3 code that tells SAM and other local tools where its folder is, as CDK's asset code does. */
class StagedCode extends lambda.Code {
  constructor(private readonly code: lambda.Code, private readonly dir: string) {
    super();
  }

  public bind(scope: Construct): lambda.CodeConfig {
    return this.code.bind(scope);
  }

  public bindToResource(resource: CfnResource, options: lambda.ResourceBindOptions = {}): void {
    if (!resource.node.tryGetContext(cxapi.ASSET_RESOURCE_METADATA_ENABLED_CONTEXT)) return;
    resource.addMetadata(cxapi.ASSET_RESOURCE_METADATA_PATH_KEY, this.dir);
    resource.addMetadata(cxapi.ASSET_RESOURCE_METADATA_IS_BUNDLED_KEY, false);
    resource.addMetadata(cxapi.ASSET_RESOURCE_METADATA_PROPERTY_KEY, options.resourceProperty ?? 'Code');
  }
}
