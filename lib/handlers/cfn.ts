// The CloudFormation custom-resource protocol: the event Lambda receives, and the response it must PUT to the
// pre-signed ResponseURL (https in AWS; http when the local deploy engine collects responses on loopback).
import * as http from 'http';
import * as https from 'https';

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
}

/** A failure that still names a physical id, so CloudFormation's rollback Delete reaches what was created. */
export class ResourceError extends Error {
  constructor(message: string, readonly physicalResourceId?: string) {
    super(message);
  }
}

/** CloudFormation rejects response bodies over 4096 bytes; the reason gets what is left after the other fields. */
const MAX_REASON_BYTES = 3000;

export function truncateReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_REASON_BYTES) return reason;
  let cut = reason.slice(0, MAX_REASON_BYTES);
  while (Buffer.byteLength(cut) > MAX_REASON_BYTES - 20) cut = cut.slice(0, -50);
  return `${cut} … (truncated)`;
}

export async function sendResponse(event: CfnEvent, body: Record<string, unknown>): Promise<void> {
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
        const req = transport.request(url, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(text) } }, (res) => {
          res.resume();
          res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`response PUT answered ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end(text);
      });
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/**
 * The Lambda entry for `onEvent`: runs it, logs the request without the pre-signed ResponseURL, and answers
 * CloudFormation with SUCCESS or FAILED (the reason cut to fit the 4 KB response).
 */
export function cfnHandler(onEvent: (event: CfnEvent) => Promise<CfnResult>, failedId: (event: CfnEvent) => string) {
  return async (event: CfnEvent): Promise<void> => {
    const { ResponseURL, ...logged } = event;
    console.log(JSON.stringify({ request: logged }));
    let body: Record<string, unknown>;
    try {
      const result = await onEvent(event);
      body = { Status: 'SUCCESS', PhysicalResourceId: result.PhysicalResourceId, Data: result.Data ?? {} };
    } catch (e) {
      const err = e instanceof ResourceError ? e : new ResourceError(`${event.LogicalResourceId}: ${(e as Error)?.message ?? String(e)}`);
      console.log(JSON.stringify({ failed: err.message }));
      body = { Status: 'FAILED', Reason: truncateReason(err.message), PhysicalResourceId: err.physicalResourceId ?? event.PhysicalResourceId ?? failedId(event) };
    }
    console.log(JSON.stringify({ response: body }));
    await sendResponse(event, body);
  };
}
