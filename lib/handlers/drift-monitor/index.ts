// Lambda entry of the drift monitor: on its schedule, the same drift check as `a4b-rooms drift` for the inventory
// packaged beside it, published as CloudWatch metrics in the embedded metric format (one log line, no SDK call).
import * as fs from 'fs';
import * as path from 'path';
import {
  DRIFT_METRIC_DIMENSION, DRIFT_METRIC_NAMESPACE, DRIFT_MONITOR_INVENTORY_FILE, DriftKindMetrics, DriftMetrics, DriftMonitorEnv, HandlerEnv,
} from '../../contract';
import { compare, DriftReport, Finding } from '../../drift/compare';
import { desiredFromInventory } from '../../drift/desired';
import { readLive } from '../../drift/live';
import { a4bClient } from '../../runtime/a4b/client';
import { countThrottles } from '../../runtime/a4b/pacing';
import { graphFor } from '../../runtime/graph/clients';


const a4b = a4bClient();
let a4bThrottled = 0;
countThrottles(a4b, () => a4bThrottled++);

/** What drifted, as a `DriftKindMetrics` key; undefined for what is not drift (a read that failed). */
export function driftKindOf(f: Finding): keyof typeof DriftKindMetrics | undefined {
  if (f.kind === 'unknown') return undefined;
  if (f.kind === 'consent-missing') return 'CONSENT';
  if (f.kind === 'permission-lost') return 'PERMISSION';
  if (f.kind === 'mailbox-missing' || f.kind === 'not-a-room') return 'MAILBOX';
  if (f.resource === 'profile') return 'PROFILE';
  if (f.resource === 'skill group') return 'SKILL_GROUP';
  if (f.kind === 'missing' || f.kind === 'unmanaged') return 'ROOM';
  return f.field === 'devices' ? 'DEVICE' : 'ROOM_FIELD';
}

/** The metrics a report gives: rooms in sync, drifted, missing, not declared, not readable; findings by kind. */
export function driftMetrics(report: DriftReport): Record<string, number> {
  const rooms = (kinds: (k: string) => boolean) => new Set(report.findings.filter((f) => f.resource === 'room' && kinds(f.kind)).map((f) => f.name.toLowerCase())).size;
  return {
    [DriftMetrics.DRIFTED_ROOMS]: rooms((k) => k !== 'unmanaged' && k !== 'unknown'),
    [DriftMetrics.UNMANAGED_ROOMS]: rooms((k) => k === 'unmanaged'),
    [DriftMetrics.UNKNOWN_ROOMS]: rooms((k) => k === 'unknown'),
    [DriftMetrics.DRIFT_FINDINGS]: report.findings.filter((f) => f.kind !== 'unknown').length,
    [DriftMetrics.READ_ERRORS]: report.errors.length,
    [DriftMetrics.MISSING_ROOMS]: rooms((k) => k === 'missing'),
    // Declared rooms with no finding (unmanaged rooms are not declared).
    [DriftMetrics.IN_SYNC_ROOMS]: report.checked.rooms - rooms((k) => k !== 'unmanaged'),
    // Every kind, zeros included, so the stacked graph has no gaps.
    ...Object.fromEntries(Object.entries(DriftKindMetrics)
      .map(([kind, name]) => [name, report.findings.filter((f) => driftKindOf(f) === kind).length])),
  };
}

export async function handler(): Promise<{ status: string; metrics: Record<string, number> }> {
  const inventory = JSON.parse(fs.readFileSync(path.join(__dirname, DRIFT_MONITOR_INVENTORY_FILE), 'utf8'));
  const desired = desiredFromInventory(inventory);
  a4bThrottled = 0;
  let graphThrottled = 0;
  const live = await readLive(desired, {
    a4b,
    graph: desired.link && (() => graphFor(desired.link!.credentialsSecret, desired.link!.tenant)),
    maxRetryWaitSeconds: Number(process.env[HandlerEnv.GRAPH_MAX_RETRY_WAIT] ?? 60),
    onGraphThrottled: (n) => (graphThrottled += n),
  });
  const report = compare(desired, live, { ignoreUnmanaged: process.env[DriftMonitorEnv.IGNORE_UNMANAGED] === 'true' });
  // Runs is the heartbeat: published only by a run that got this far, so its absence is what the monitor's
  // heartbeat alarm sees when runs fail or stop being invoked (a failed run publishes nothing else either).
  const metrics = { ...driftMetrics(report), [DriftMetrics.THROTTLED_READS]: a4bThrottled + graphThrottled, [DriftMetrics.RUNS]: 1 };
  const dimension = process.env[DriftMonitorEnv.INVENTORY_NAME] ?? 'inventory';
  console.log(JSON.stringify({
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{ Namespace: DRIFT_METRIC_NAMESPACE, Dimensions: [[DRIFT_METRIC_DIMENSION]], Metrics: Object.keys(metrics).map((Name) => ({ Name, Unit: 'Count' })) }],
    },
    [DRIFT_METRIC_DIMENSION]: dimension,
    ...metrics,
  }));
  // The findings themselves, for whoever follows the alarm to the log; names and fields only, no credentials.
  console.log(JSON.stringify({ status: report.status, findings: report.findings, errors: report.errors }));
  return { status: report.status, metrics };
}
