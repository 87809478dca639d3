// The last link of the Graph client's middleware chain, over node:https instead of global fetch, so that an extra
// certificate authority (a local emulator, a TLS-inspecting proxy) can be trusted per client and network errors keep
// their cause (fetch reports every one of them as "fetch failed").
import * as https from 'https';
import * as http from 'http';
import * as tls from 'tls';
import { currentRequest } from '../request';

interface Context {
  request: string | { url: string };
  options?: { method?: string; headers?: unknown; body?: unknown };
  response?: Response;
}

export class HttpsTransport {
  private readonly agent: https.Agent;

  constructor(extraCaPem?: string) {
    this.agent = new https.Agent({ keepAlive: true, ca: extraCaPem ? [...tls.rootCertificates, extraCaPem] : undefined });
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const options = context.options ?? {};
    const headers = toRecord(options.headers);
    const body = options.body === undefined || options.body === null ? undefined : Buffer.from(options.body as string);
    if (body) headers['content-length'] = String(body.length);
    const u = new URL(url);
    const transport = u.protocol === 'http:' ? http : https;
    const scope = currentRequest();
    const operation = `Graph ${options.method ?? 'GET'} ${u.pathname.replace(/^\/v1\.0/, '')}`;
    const call = () => new Promise<Response>((resolve, reject) => {
      // The request's deadline ends the call; the handler has answered CloudFormation by then.
      const req = transport.request(u, { method: options.method ?? 'GET', headers, agent: u.protocol === 'https:' ? this.agent : undefined, signal: scope?.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 500;
          const responseHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders.set(k, Array.isArray(v) ? v.join(', ') : v);
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, statusText: res.statusMessage, headers: responseHeaders }));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
    context.response = scope ? await scope.track(operation, call) : await call();
  }

  /** The Graph client calls this on every middleware; this one is last. */
  setNext(): void {}
}

function toRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (typeof (headers as Headers).forEach === 'function' && !Array.isArray(headers)) {
    (headers as Headers).forEach((v, k) => (out[k] = v));
  } else if (Array.isArray(headers)) {
    for (const [k, v] of headers) out[k] = String(v);
  } else {
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) if (v !== undefined) out[k] = String(v);
  }
  return out;
}
