// One request's context, shared by the handlers and the clients they call: its deadline (an abort signal every call
// carries), what it has applied, and the calls still in flight. Outside a handler (the CLI) there is no request.
import { AsyncLocalStorage } from 'async_hooks';
import { Clock, realClock } from './clock';

/** A failure that still names a physical id, so CloudFormation's rollback Delete reaches what was created. */
export class ResourceError extends Error {
  constructor(message: string, readonly physicalResourceId?: string) {
    super(message);
  }
}

/**
 * What one request has done so far, reachable from any call it makes (AsyncLocalStorage: the local deploy engine
 * runs several requests at once in one module instance, Lambda one per container). Aborted at the deadline.
 */
export class RequestScope {
  private readonly controller = new AbortController();
  /** How the answer names the resource. */
  resource?: string;
  /** The physical id to report if the deadline comes first (what a rollback Delete must reach). */
  physicalResourceId?: string;
  /** What a retry or CloudFormation's rollback does about a request stopped half-way. */
  retryHint?: string;
  /** Lists of what was applied, shared with the code that fills them. */
  readonly applied: string[][] = [];
  /** Calls started and not yet answered. */
  readonly inFlight: string[] = [];

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(): void {
    this.controller.abort(new DeadlineError());
  }

  /** Runs `call` as an in-flight operation named `operation`. */
  async track<T>(operation: string, call: () => Promise<T>): Promise<T> {
    this.inFlight.push(operation);
    try {
      return await call();
    } finally {
      this.inFlight.splice(this.inFlight.indexOf(operation), 1);
    }
  }
}

/** Thrown into in-flight calls when the request's time is up. */
export class DeadlineError extends Error {
  constructor() {
    super('the request was stopped before the Lambda function\'s timeout');
    this.name = 'DeadlineError';
  }
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** Runs `work` as the request of `scope`: every call it makes finds the scope with currentRequest(). */
export function runInRequest<T>(scope: RequestScope, work: () => Promise<T>): Promise<T> {
  return scopes.run(scope, work);
}

/** The scope of the request this code runs for, if it runs under a handler (`cfnHandler`). */
export function currentRequest(): RequestScope | undefined {
  return scopes.getStore();
}

/** A sleep that ends early when the current request is aborted. */
export function sleep(ms: number, signal = currentRequest()?.signal, clock: Clock = realClock): Promise<void> {
  return clock.sleep(ms, signal);
}

