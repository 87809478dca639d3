// The CloudFormation custom-resource protocol: the event Lambda receives, and the response it must PUT to the
// pre-signed ResponseURL (https in AWS; http when the local deploy engine collects responses on loopback).
import * as http from 'http';
import * as https from 'https';
import { Clock, realClock } from '../runtime/clock';
import { RequestScope, ResourceError, runInRequest } from '../runtime/request';

// What the shared runtime provides every request, for the handlers that import it from here.
export { currentRequest, DeadlineError, RequestScope, ResourceError, sleep } from '../runtime/request';

export interface CfnEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly ResourceType: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
}

export interface CfnResult {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
  /** On a success, what the operator should know (CloudFormation shows it as the event's status reason). */
  readonly Reason?: string;
}

/** CloudFormation rejects response bodies over 4096 bytes; the reason gets what is left after the other fields. */
const MAX_REASON_BYTES = 3000;

export function truncateReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_REASON_BYTES) return reason;
  let cut = reason.slice(0, MAX_REASON_BYTES);
  while (Buffer.byteLength(cut) > MAX_REASON_BYTES - 20) cut = cut.slice(0, -50);
  return `${cut} … (truncated)`;
}

/** The part of Lambda's context object the handlers use. */
export interface LambdaContext {
  getRemainingTimeInMillis(): number;
}

/**
 * Time kept back from the function's timeout for the answer: the response PUT to S3 and its retries. A fifth of
 * the time, at most 5 s (a PUT of 4 KB takes well under a second; the rest covers two retries).
 */
export function responseReserveMillis(remainingMillis: number): number {
  return Math.min(5000, Math.floor(remainingMillis / 5));
}

/** The stack-event reason for a request stopped at its deadline: what was running, what was applied, what happens next. */
export function deadlineReason(event: CfnEvent, scope: RequestScope, timeoutMillis: number): string {
  const applied = scope.applied.flat();
  const running = scope.inFlight.length ? `while still waiting on ${[...new Set(scope.inFlight)].join(', ')}` : 'before it could finish';
  return `${scope.resource ?? event.LogicalResourceId}: ${event.RequestType} stopped ${running}, to answer CloudFormation before the Lambda function's timeout `
    + `(${(timeoutMillis / 1000).toFixed(1)} s left when the request started; the service was slow or kept failing and was being retried). `
    + (applied.length ? `Already applied in this request: ${applied.join('; ')}. ` : 'Nothing was applied in this request. ')
    + (scope.retryHint ?? 'Deploy again to retry.');
}

export async function sendResponse(event: CfnEvent, body: Record<string, unknown>, deadline?: number, clock: Clock = realClock): Promise<void> {
  const text = JSON.stringify({
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    ...body,
  });
  const url = new URL(event.ResponseURL);
  const transport = url.protocol === 'http:' ? http : https;
  for (let attempt = 1; ; attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        // A PUT that hangs must not outlive the function: Lambda would end it without an answer.
        const timeout = deadline === undefined ? undefined : Math.max(1, deadline - clock.now());
        const req = transport.request(url, { method: 'PUT', timeout, headers: { 'content-type': '', 'content-length': Buffer.byteLength(text) } }, (res) => {
          res.resume();
          res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`response PUT answered ${res.statusCode}`))));
        });
        req.on('timeout', () => req.destroy(new Error('response PUT timed out')));
        req.on('error', reject);
        req.end(text);
      });
      return;
    } catch (e) {
      if (attempt >= 3 || (deadline !== undefined && clock.now() + 200 * attempt >= deadline)) throw e;
      await clock.sleep(200 * attempt);
    }
  }
}

/**
 * The Lambda entry for `onEvent`: runs it, logs the request without the pre-signed ResponseURL, and answers
 * CloudFormation with SUCCESS or FAILED (the reason cut to fit the 4 KB response). With Lambda's context it also
 * answers FAILED before the function's timeout, naming what was applied, and aborts the calls still running: a
 * function that times out never answers, and CloudFormation then waits for the ServiceTimeout (an hour by default),
 * and again for the rollback (AWS re:Post knowledge center, "best practices for Lambda-backed custom resources").
 */
export function cfnHandler(onEvent: (event: CfnEvent) => Promise<CfnResult>, failedId: (event: CfnEvent) => string, clock: Clock = realClock) {
  return async (event: CfnEvent, context?: Partial<LambdaContext>): Promise<void> => {
    const { ResponseURL, ...logged } = event;
    console.log(JSON.stringify({ request: logged }));
    const scope = new RequestScope();
    const failed = (err: ResourceError) => ({
      Status: 'FAILED', Reason: truncateReason(err.message), PhysicalResourceId: err.physicalResourceId ?? event.PhysicalResourceId ?? failedId(event),
    });
    const work = runInRequest(scope, () => onEvent(event)).then(
      (result): Record<string, unknown> => ({
        Status: 'SUCCESS', PhysicalResourceId: result.PhysicalResourceId, Data: result.Data ?? {}, ...(result.Reason ? { Reason: truncateReason(result.Reason) } : {}),
      }),
      (e) => {
        const err = e instanceof ResourceError ? e : new ResourceError(`${event.LogicalResourceId}: ${(e as Error)?.message ?? String(e)}`);
        console.log(JSON.stringify({ failed: err.message }));
        return failed(err);
      });
    const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : undefined;
    let body: Record<string, unknown>;
    let deadline: number | undefined;
    if (remaining === undefined) {
      body = await work;
    } else {
      deadline = clock.now() + remaining;
      const workMillis = Math.max(0, remaining - responseReserveMillis(remaining));
      const answered = new AbortController();
      const late = clock.sleep(workMillis, answered.signal).then(() => undefined);
      const first = await Promise.race([work, late]);
      answered.abort(); // ends the wait; the race is decided
      if (first) {
        body = first;
      } else {
        scope.abort();
        const reason = deadlineReason(event, scope, remaining);
        console.log(JSON.stringify({ deadline: reason }));
        body = failed(new ResourceError(reason, scope.physicalResourceId));
      }
    }
    console.log(JSON.stringify({ response: body }));
    await sendResponse(event, body, deadline, clock);
  };
}
