// Runs a prebundled handler the way Lambda and CloudFormation do: a fresh module instance (a cold container),
// a CloudFormation event, and the response collected from the PUT the handler sends to ResponseURL.
import * as fs from 'fs';
import * as http from 'http';
import { createRequire } from 'module';
import { AddressInfo } from 'net';
import * as path from 'path';
import { Console } from 'console';
import * as vm from 'vm';

export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** The package's prebundled A4B provider. */
export const A4B_PROVIDER_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'a4b-provider', 'index.js');

/** Loads a bundle as a new module instance, with its console going to `log` (a stream) instead of stdout. */
export function loadBundle(file: string, log?: NodeJS.WritableStream): Record<string, any> {
  if (!fs.existsSync(file)) throw new Error(`handler bundle ${file} is missing: run npm run build`);
  const src = fs.readFileSync(file, 'utf8');
  const module = { exports: {} as Record<string, any> };
  const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname, console) {${src}\n})`, { filename: file });
  const logger = log ? new Console({ stdout: log, stderr: log }) : console;
  wrapper(module.exports, createRequire(file), module, file, path.dirname(file), logger);
  return module.exports;
}

export class LocalLambda {
  /** Loads `bundle` and opens the loopback endpoint that receives CloudFormation responses. */
  static async start(bundle: string, log?: NodeJS.WritableStream): Promise<LocalLambda> {
    const lambda = new LocalLambda(loadBundle(bundle, log));
    await new Promise<void>((resolve) => lambda.server.listen(0, '127.0.0.1', resolve));
    return lambda;
  }

  private readonly pending = new Map<string, (body: CfnResponse) => void>();
  private readonly server: http.Server;

  private constructor(private readonly exports: Record<string, any>) {
    this.server = http.createServer((req, res) => {
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
    });
  }

  /** Sends one request to the handler and returns what it answered on the ResponseURL. */
  async invoke(event: Record<string, unknown> & { RequestId: string }): Promise<CfnResponse> {
    const port = (this.server.address() as AddressInfo).port;
    const response = new Promise<CfnResponse>((resolve) => this.pending.set(event.RequestId, resolve));
    await this.exports.handler({ ...event, ResponseURL: `http://127.0.0.1:${port}/${encodeURIComponent(event.RequestId)}` }, {});
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
