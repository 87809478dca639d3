// Runs a prebundled handler the way Lambda and CloudFormation do: a fresh module instance (a cold container),
// a CloudFormation event, and the response collected from the PUT the handler sends to ResponseURL.
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { createRequire } from 'module';
import { AddressInfo } from 'net';
import * as path from 'path';
import { Console } from 'console';
import * as vm from 'vm';
import { Clock, realClock } from '../runtime/clock';
import { leaveIdleConnectionsToClients } from './keep-alive';
import { PACKAGE_DIR } from './package-dir';

export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** The package's prebundled A4B provider. */
export const A4B_PROVIDER_BUNDLE = path.join(PACKAGE_DIR, 'assets', 'a4b-provider', 'index.js');
/** The package's prebundled calendar link validator. */
export const CALENDAR_LINK_BUNDLE = path.join(PACKAGE_DIR, 'assets', 'calendar-link-provider', 'index.js');

export interface BundleOptions {
  /** The function's environment variables, on top of this process's (a Lambda function's configuration). */
  readonly env?: Record<string, string | undefined>;
  /** Where the handler's console goes. @default this process's console */
  readonly log?: NodeJS.WritableStream;
}

/**
 * Loads a bundle as a new module instance (a cold container) with its own `process.env` and console, so that
 * nothing leaks between it and this process: endpoints and credentials are the function's, not the caller's.
 */
export function loadBundle(file: string, options: BundleOptions = {}): Record<string, any> {
  if (!fs.existsSync(file)) throw new Error(`handler bundle ${file} is missing: run npm run build`);
  const src = fs.readFileSync(file, 'utf8');
  const module = { exports: {} as Record<string, any> };
  const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname, console, process) {${src}\n})`, { filename: file });
  const logger = options.log ? new Console({ stdout: options.log, stderr: options.log }) : console;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...options.env })) if (v !== undefined) env[k] = v;
  const lambdaProcess = Object.create(process, { env: { value: env, enumerable: true } });
  wrapper(module.exports, createRequire(file), module, file, path.dirname(file), logger, lambdaProcess);
  return module.exports;
}

/** A function's timeout and a custom resource's ServiceTimeout, as the template sets them. */
export interface InvokeTimeouts {
  /** The function's timeout (AWS::Lambda::Function Timeout). @default none: no Lambda context, no limit */
  readonly timeoutSeconds?: number;
  /** How long CloudFormation waits for the answer (the custom resource's ServiceTimeout). @default 3600 */
  readonly serviceTimeoutSeconds?: number;
  /** When CloudFormation sent the request (epoch ms): its ServiceTimeout counts from then, queue wait included. @default now */
  readonly sentAt?: number;
  /** Called once when the function's run ends (it returned or threw, or Lambda ended it at its timeout): its concurrency slot is free. */
  readonly onFunctionEnd?: () => void;
  /** The clock of the function's timeout and the ServiceTimeout (tests). @default the wall clock */
  readonly clock?: Clock;
}

/** How CloudFormation's reason for a custom resource that did not answer within its ServiceTimeout begins. */
export const NO_RESPONSE_REASON = 'CloudFormation did not receive a response from your Custom Resource.';

export class LocalLambda {
  /** Loads `bundle` and opens the loopback endpoint that receives CloudFormation responses. */
  static async start(bundle: string, options: BundleOptions = {}): Promise<LocalLambda> {
    const lambda = new LocalLambda(loadBundle(bundle, options));
    await new Promise<void>((resolve) => lambda.server.listen(0, '127.0.0.1', resolve));
    return lambda;
  }

  private readonly pending = new Map<string, (body: CfnResponse) => void>();
  private readonly server: http.Server;

  private constructor(private readonly exports: Record<string, any>) {
    this.server = leaveIdleConnectionsToClients(http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = decodeURIComponent((req.url ?? '/').slice(1));
        const text = Buffer.concat(chunks).toString('utf8');
        // CloudFormation refuses response bodies over 4096 bytes; so does this endpoint.
        if (Buffer.byteLength(text) > 4096) {
          res.writeHead(400).end('response too large');
          this.pending.get(id)?.({ Status: 'FAILED', Reason: `custom resource response was ${Buffer.byteLength(text)} bytes, over CloudFormation's 4096`, PhysicalResourceId: '' });
        } else {
          res.writeHead(200).end();
          this.pending.get(id)?.(JSON.parse(text));
        }
        this.pending.delete(id);
      });
    }));
  }

  /**
   * Sends one request to the handler and returns what it answered on the ResponseURL. With `timeoutSeconds` the
   * handler gets a Lambda context whose getRemainingTimeInMillis() counts down from it; a handler still running at
   * its timeout is treated as Lambda ends it: no answer, so, as CloudFormation does, this waits until the service
   * timeout and fails with CloudFormation's reason. CloudFormation's wait counts from `sentAt`: an answer that is not
   * in by then (the request waited in a queue, or the handler still runs) fails the same way, and comes too late.
   */
  async invoke(event: Record<string, unknown> & { RequestId: string }, timeouts: InvokeTimeouts = {}): Promise<CfnResponse> {
    const port = (this.server.address() as AddressInfo).port;
    let answered: CfnResponse | undefined;
    const response = new Promise<CfnResponse>((resolve) => this.pending.set(event.RequestId, (body) => resolve(answered = body)));
    const clock = timeouts.clock ?? realClock;
    const start = clock.now();
    const serviceDeadline = (timeouts.sentAt ?? start) + (timeouts.serviceTimeoutSeconds ?? 3600) * 1000;
    const timeoutMs = timeouts.timeoutSeconds === undefined ? undefined : timeouts.timeoutSeconds * 1000;
    const context = timeoutMs === undefined ? {} : {
      awsRequestId: randomUUID(),
      getRemainingTimeInMillis: () => Math.max(0, start + timeoutMs - clock.now()),
    };
    let ended = false;
    const end = () => {
      if (!ended) timeouts.onFunctionEnd?.();
      ended = true;
    };
    const run = Promise.resolve().then(() => this.exports.handler({ ...event, ResponseURL: `http://127.0.0.1:${port}/${encodeURIComponent(event.RequestId)}` }, context));
    run.then(end, end);
    const functionDeadline = timeoutMs === undefined ? Infinity : start + timeoutMs;
    const waits = new AbortController();
    // Unref'd: this endpoint's server keeps the process alive while it runs; a handler that hangs must not keep it alive past stop().
    const waitUntil = (t: number) => clock.sleep(Math.max(0, t - clock.now()), waits.signal, true).then(() => 'deadline' as const);
    const noResponse = (): CfnResponse => {
      // Lambda ended the function, or CloudFormation stopped waiting (here a late answer is dropped). CloudFormation waits
      // for the ServiceTimeout (default 3600 s) from the request, then fails the resource with this reason, as stack
      // events show it (e.g. aws/aws-cdk#18746, aws-samples/aws-security-reference-architecture-examples#162).
      this.pending.delete(event.RequestId);
      return {
        Status: 'FAILED', PhysicalResourceId: String(event.PhysicalResourceId ?? ''),
        Reason: `${NO_RESPONSE_REASON} Please check your logs for requestId [${event.RequestId}]. `
          + 'If you are using the Python cfn-response module, you may need to update your Lambda function code so that CloudFormation can attach the updated version.',
      };
    };
    try {
      const first = await Promise.race([run.then(() => 'returned' as const), waitUntil(Math.min(functionDeadline, serviceDeadline))]);
      if (first === 'deadline') {
        run.catch(() => undefined);
        if (answered) return answered;
        if (functionDeadline < serviceDeadline) {
          end(); // Lambda ends the function at its timeout; its slot is free
          await waitUntil(serviceDeadline);
        }
        return noResponse();
      }
    } finally {
      waits.abort(); // ends a wait the run won
    }
    if (this.pending.delete(event.RequestId)) {
      // CloudFormation would wait an hour for a handler that never answers; say it at once.
      return { Status: 'FAILED', Reason: 'the handler returned without sending a response to CloudFormation', PhysicalResourceId: '' };
    }
    return response;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
