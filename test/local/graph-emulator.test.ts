// The Entra ID + Graph emulator is as strict as the services it stands in for: these talk to it over HTTPS.
import * as https from 'https';
import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { GraphEmulator, TenantFile } from '../../lib/local/graph-emulator';

const TENANT: TenantFile = {
  tenantId: '7f3c2a10-0000-4000-8000-00000000abcd',
  domains: ['contoso.onmicrosoft.com'],
  apps: [{ clientId: 'app-readonly', clientSecret: 'ro-secret', roles: ['User.Read.All'] }],
  users: [{ upn: 'jane@contoso.onmicrosoft.com' }],
  rooms: [{ mailbox: 'spree@contoso.onmicrosoft.com', displayName: 'Spree' }],
};

let graph: GraphEmulator;
beforeAll(async () => {
  graph = await GraphEmulator.start({ tenant: TENANT });
});
afterAll(() => graph.stop());

function request(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any; headers: Record<string, any> }> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(`${graph.url}${path}`, {
      method, ca: graph.caPem,
      headers: { ...(text ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    }, (res) => {
      let out = '';
      res.on('data', (d) => (out += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: out ? JSON.parse(out) : undefined, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

async function token(clientId = 'app-readonly', secret = 'ro-secret'): Promise<string> {
  const credential = new ClientSecretCredential('contoso.onmicrosoft.com', clientId, secret, { authorityHost: graph.url, disableInstanceDiscovery: true, tlsOptions: { ca: graph.caPem } } as any);
  return (await credential.getToken('https://graph.microsoft.com/.default'))!.token;
}

describe('Graph emulator', () => {
  test('tokens from @azure/identity are JWTs carrying the app\'s roles, for the tenant id or its domain', async () => {
    const t = await token();
    const payload = JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString('utf8'));
    expect(payload).toMatchObject({ aud: 'https://graph.microsoft.com', tid: TENANT.tenantId, appid: 'app-readonly', roles: ['User.Read.All'] });
  });

  test('a wrong secret is AADSTS7000215 from the token endpoint', async () => {
    await expect(token('app-readonly', 'nope')).rejects.toThrow(/AADSTS7000215/);
  });

  test('a certificate credential works when its certificate is registered, and is refused otherwise', async () => {
    const selfsigned = await import('selfsigned');
    const pems = await (selfsigned as any).generate([{ name: 'commonName', value: 'validator' }], { keySize: 2048, algorithm: 'sha256' });
    const other = await (selfsigned as any).generate([{ name: 'commonName', value: 'other' }], { keySize: 2048, algorithm: 'sha256' });
    const certGraph = await GraphEmulator.start({ tenant: { tenantId: 'contoso.onmicrosoft.com', apps: [{ clientId: 'cert-app', certificatePem: pems.cert, roles: ['Place.Read.All'] }] } });
    try {
      const options = { authorityHost: certGraph.url, disableInstanceDiscovery: true, tlsOptions: { ca: certGraph.caPem } } as any;
      const good = new ClientCertificateCredential('contoso.onmicrosoft.com', 'cert-app', { certificate: `${pems.private}\n${pems.cert}` }, options);
      expect((await good.getToken('https://graph.microsoft.com/.default'))!.token.split('.')).toHaveLength(3);
      const bad = new ClientCertificateCredential('contoso.onmicrosoft.com', 'cert-app', { certificate: `${other.private}\n${other.cert}` }, options);
      await expect(bad.getToken('https://graph.microsoft.com/.default')).rejects.toThrow(/AADSTS700027/);
    } finally {
      await certGraph.stop();
    }
  });

  test('Graph without a token is 401 InvalidAuthenticationToken; a forged token too', async () => {
    expect(await request('GET', '/v1.0/users/jane@contoso.onmicrosoft.com')).toMatchObject({ status: 401, body: { error: { code: 'InvalidAuthenticationToken' } } });
    const [h, p] = (await token()).split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), roles: ['Place.Read.All'] })).toString('base64url')}.sig`;
    expect((await request('GET', '/v1.0/places/spree@contoso.onmicrosoft.com', undefined, forged)).status).toBe(401);
  });

  test('a route needs the application permission Graph asks for: 403 otherwise', async () => {
    const t = await token();
    expect((await request('GET', '/v1.0/users/jane@contoso.onmicrosoft.com', undefined, t)).status).toBe(200);
    expect(await request('GET', '/v1.0/places/spree@contoso.onmicrosoft.com', undefined, t)).toMatchObject({ status: 403, body: { error: { code: 'ErrorAccessDenied' } } });
    expect(await request('GET', '/v1.0/servicePrincipals(appId=\'x\')', undefined, t)).toMatchObject({ status: 403, body: { error: { code: 'Authorization_RequestDenied' } } });
  });

  test('$batch: at most 20 items; item URLs without /v1.0; items with a body need a Content-Type; answers by id', async () => {
    const t = await token();
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i), method: 'GET', url: '/users/jane@contoso.onmicrosoft.com' }));
    expect((await request('POST', '/v1.0/$batch', { requests: items(21) }, t)).status).toBe(400);
    const res = await request('POST', '/v1.0/$batch', { requests: [
      { id: 'a', method: 'GET', url: '/v1.0/users/jane@contoso.onmicrosoft.com' },
      { id: 'b', method: 'POST', url: '/users/spree@contoso.onmicrosoft.com/calendar/calendarPermissions', body: { role: 'write' } },
      { id: 'c', method: 'GET', url: '/users/nobody@contoso.onmicrosoft.com' },
      { id: 'd', method: 'GET', url: '/users/jane@contoso.onmicrosoft.com' },
    ] }, t);
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.responses.map((r: any) => [r.id, r]));
    expect(byId.a).toMatchObject({ status: 400, body: { error: { message: "Resource not found for the segment 'v1.0'." } } });
    expect(byId.b.status).toBe(400);
    expect(byId.c).toMatchObject({ status: 404, body: { error: { code: 'Request_ResourceNotFound' } } });
    expect(byId.d.status).toBe(200);
  });

  test('faults: per batch item with Retry-After, and on a top-level request', async () => {
    const t = await token();
    graph.injectFault({ match: 'GET /users/jane', scope: 'item', status: 429, retryAfterSeconds: 3, count: 1 });
    const res = await request('POST', '/v1.0/$batch', { requests: [{ id: '1', method: 'GET', url: '/users/jane@contoso.onmicrosoft.com' }] }, t);
    expect(res.body.responses[0]).toMatchObject({ status: 429, headers: { 'Retry-After': '3' }, body: { error: { code: 'ApplicationThrottled' } } });
    graph.injectFault({ match: 'GET /users/jane', scope: 'request', status: 503, count: 1 });
    expect((await request('GET', '/v1.0/users/jane@contoso.onmicrosoft.com', undefined, t)).status).toBe(503);
    expect((await request('GET', '/v1.0/users/jane@contoso.onmicrosoft.com', undefined, t)).status).toBe(200);
  });
});
