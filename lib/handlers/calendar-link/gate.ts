// Record mode and the gate: how one deploy reports every bad room of an inventory.
//
// The checks of an inventory (one per shard, in the MailboxChecksN nested stacks) run side by side. A check in record
// mode (`RecordFindings: true`) that finds bad rooms does not fail: it logs every one of them (one JSON line each,
// `{"finding": ...}`) and returns a summary in its Data. The gate (`Custom::A4BMailboxCheckGate`, in the inventory's
// stack) takes every check's summary by Fn::GetAtt (their nested stacks' outputs), so it runs after all of them, and
// fails with all their rooms. The profile, skill-group and room stacks wait for the gate, so a failed gate means no
// A4B write.
//
// CloudFormation semantics, and why no nonce is needed:
// - A failed gate fails the deploy, and CloudFormation rolls it back: every check that ran in it is Updated back to
//   its old properties (or Deleted, if created). So the next deploy of the same inventory sends the same Creates and
//   Updates again and every check that ran runs again, against the tenant as it is then: after the tenant is
//   fixed it passes, with the same bad tenant the gate fails again. A deploy that changes no check runs none.
// - A recorded check is never committed with findings by a forward deploy (the gate fails it). It can be by a
//   rollback: the rollback Update of a check re-checks its old rooms and records what it finds. So a check in record
//   mode checks every room it names on each Create and Update, not only the new ones: its findings are forgotten
//   only by checking again.
// - The gate must not fail a rollback (that would leave the stack in UPDATE_ROLLBACK_FAILED). Its properties carry
//   `Checked`, a hash of the checks' properties, and its physical id names the hash it last let through. An Update
//   whose `Checked` equals that hash is the rollback to what the gate accepted (nothing else updates the gate without
//   changing a check): it passes and logs the findings. Any other Create or Update with findings fails. The physical
//   id changes when the gate lets a new hash through: "If the value returned is different, AWS CloudFormation
//   recognizes the update as a replacement and sends a delete request to the old resource" (CloudFormation User
//   Guide, custom resources, Delete request), a no-op here; a rollback of a replacement keeps the old gate as it was.
//   (The local deploy engine restores a nested stack by deploying its old template, an Update of the new gate: the one
//   place where a rollback could meet a bad room, if one went bad between the deploy and its rollback.)
// - `cdk deploy --no-rollback` keeps the checks that ran: a failed gate is then retried with the same findings.
//   Roll the stack back (`cdk rollback`) before deploying again.
import { CalendarLinkAttributes as A, GateCheckProps as C, HandlerEnv, MailboxCheckGateProps as G } from '../../contract';
import { CfnEvent, CfnResult, ResourceError } from '../cfn';
import { LinkedRoom } from '../../o365/link-checks';
import { gateMessage, parseSummary, RoomFindingsError, summarizeFindings } from '../../runtime/graph/findings';

/** The gate's physical id: which `Checked` hash it last let through. */
export function gatePhysicalId(checked: string): string {
  return `mailbox-check-gate-${checked.slice(0, 24)}`;
}

export type GateDecision = 'pass' | 'fail' | 'pass-rollback';

/** Pure: what the gate does with a request, given whether any room is bad. */
export function gateDecision(requestType: 'Create' | 'Update', physicalId: string | undefined, checked: string, anyBad: boolean): GateDecision {
  if (!anyBad) return 'pass';
  if (requestType === 'Update' && physicalId === gatePhysicalId(checked)) return 'pass-rollback';
  return 'fail';
}

export async function onGateEvent(event: CfnEvent): Promise<CfnResult> {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? gatePhysicalId('') };
  const props = event.ResourceProperties;
  const checked = String(props[G.CHECKED] ?? '');
  const checks = Array.isArray(props[G.CHECKS]) ? props[G.CHECKS] as Array<Record<string, unknown>> : [];
  const input = { header: String(props[G.HEADER] ?? 'calendar link'), checks: checks.map((c) => ({ name: String(c?.[C.NAME] ?? '?'), summary: parseSummary(c?.[C.FINDINGS]) })) };
  const message = gateMessage(input);
  const bad = input.checks.reduce((n, c) => n + c.summary.bad, 0);
  const decision = gateDecision(event.RequestType, event.PhysicalResourceId, checked, message !== undefined);
  console.log(JSON.stringify({ gate: decision, badRooms: bad, ...(message ? { message } : {}) }));
  if (decision === 'fail') throw new ResourceError(message!, event.PhysicalResourceId ?? gatePhysicalId(checked));
  // A rollback keeps the physical id it had; a pass names the hash it let through.
  return { PhysicalResourceId: decision === 'pass-rollback' ? event.PhysicalResourceId! : gatePhysicalId(checked), Data: { BadRooms: String(bad) } };
}

/**
 * A check in record mode: runs `validate`; bad rooms become the logged list and the summary in Data, anything else
 * (credentials, the app's permissions, the service account, the consent) still fails at once.
 */
export async function recordFindings(rooms: readonly LinkedRoom[], validate: () => Promise<{ checked: number; granted: string[] }>,
  env: NodeJS.ProcessEnv = process.env): Promise<Record<string, string>> {
  // Where the full list is: Lambda's log group (Lambda sets AWS_LAMBDA_LOG_GROUP_NAME), or the local deploy's log file.
  const log = env.AWS_LAMBDA_LOG_GROUP_NAME ? `CloudWatch Logs ${env.AWS_LAMBDA_LOG_GROUP_NAME}` : env[HandlerEnv.LOG_FILE];
  try {
    const result = await validate();
    return {
      [A.ROOMS_VALIDATED]: String(result.checked),
      [A.PERMISSIONS_GRANTED]: String(result.granted.length),
      [A.FINDINGS]: summarizeFindings([], rooms.length, log),
    };
  } catch (e) {
    if (!(e instanceof RoomFindingsError)) throw e;
    for (const p of e.problems) {
      console.log(JSON.stringify({ finding: { room: p.room.name, mailbox: p.room.mailbox, problem: p.problem, fix: p.fix } }));
    }
    console.log(JSON.stringify({ recorded: e.problems.length, of: rooms.length }));
    return { [A.ROOMS_VALIDATED]: String(rooms.length), [A.PERMISSIONS_GRANTED]: '0', [A.FINDINGS]: summarizeFindings(e.problems, rooms.length, log) };
  }
}
