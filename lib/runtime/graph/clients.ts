// Clients kept at module scope: Secrets Manager, and per credentials secret version one Entra ID credential and
// one Graph client, so a warm container reuses its token.
import * as fs from 'fs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ClientCertificateCredential, ClientSecretCredential, TokenCredential } from '@azure/identity';
import { AuthenticationHandler, Client, RedirectHandler, RetryHandler, TelemetryHandler } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { HandlerEnv } from '../../contract';
import { ResourceError } from '../request';
import { HttpsTransport } from './https-transport';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const PUBLIC_AUTHORITY = 'https://login.microsoftonline.com';

let defaultSecrets: SecretsManagerClient | undefined;
const cache = new Map<string, Graph>();

export interface Graph {
  readonly credential: TokenCredential;
  readonly client: Client;
  readonly clientId: string;
  /** A new credential and client for the same app: a fresh token, not the cached one (a consent granted since is seen). */
  readonly renew?: () => Graph;
}

/** Reads the credentials secret and returns the Graph side for it; never puts the secret's content in a message. */
export async function graphFor(
  secretArn: string, tenant: string, env: NodeJS.ProcessEnv = process.env, secrets?: SecretsManagerClient,
): Promise<Graph> {
  let secret;
  try {
    secret = await (secrets ?? (defaultSecrets ??= new SecretsManagerClient({}))).send(new GetSecretValueCommand({ SecretId: secretArn }));
  } catch (e) {
    const name = (e as Error).name;
    const what = `calendar link: cannot read the Graph credentials secret ${secretArn}`;
    // What and cause kept apart, so that the CLI can word the fix in its own inputs (lib/cli/errors.ts).
    throw Object.assign(new ResourceError(`${what} (${name}: ${(e as Error).message}). `
      + (name === 'ResourceNotFoundException' ? 'Create the secret, or fix its name or ARN.' : 'Check that the provider role may read it (and decrypt it with its KMS key).')), { what, cause: e });
  }
  // The endpoints are part of the key: a client made for one authority and Graph must not answer for another.
  const key = `${secretArn}|${secret.VersionId}|${tenant}|${env[HandlerEnv.AUTHORITY_HOST] ?? ''}|${env[HandlerEnv.GRAPH_BASE_URL] ?? ''}|${env[HandlerEnv.EXTRA_CA_FILE] ?? ''}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const creds = parseSecret(secretArn, secret.SecretString);
  const authorityHost = env[HandlerEnv.AUTHORITY_HOST] ?? PUBLIC_AUTHORITY;
  const extraCa = env[HandlerEnv.EXTRA_CA_FILE] && fs.existsSync(env[HandlerEnv.EXTRA_CA_FILE]!) ? fs.readFileSync(env[HandlerEnv.EXTRA_CA_FILE]!, 'utf8') : undefined;
  const options = {
    authorityHost,
    // Instance discovery asks login.microsoftonline.com about the authority; a private authority has nothing to discover.
    disableInstanceDiscovery: new URL(authorityHost).hostname !== new URL(PUBLIC_AUTHORITY).hostname,
    ...(extraCa ? { tlsOptions: { ca: extraCa } } : {}),
  };
  const baseUrl = (env[HandlerEnv.GRAPH_BASE_URL] ?? 'https://graph.microsoft.com').replace(/\/?$/, '/');
  const make = (): Graph => {
    const credential = creds.clientSecret
      ? new ClientSecretCredential(tenant, creds.clientId, creds.clientSecret, options)
      : new ClientCertificateCredential(tenant, creds.clientId, { certificate: creds.certificatePem! }, options);
    const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_SCOPE] });
    const client = Client.initWithMiddleware({
      baseUrl,
      // The Graph client sends the token only to hosts it knows; hostnames only, no port.
      customHosts: new Set([new URL(baseUrl).hostname]),
      middleware: [
        new AuthenticationHandler(authProvider), new RetryHandler(), new RedirectHandler(), new TelemetryHandler(),
        new HttpsTransport(extraCa) as any,
      ],
    });
    const made: Graph = {
      credential, client, clientId: creds.clientId,
      renew: () => {
        const fresh = make();
        cache.set(key, fresh);
        return fresh;
      },
    };
    return made;
  };
  const graph = make();
  cache.set(key, graph);
  return graph;
}

function parseSecret(secretArn: string, text: string | undefined): { clientId: string; clientSecret?: string; certificatePem?: string } {
  const shape = 'it must be JSON {"clientId": "...", "clientSecret": "..."} or {"clientId": "...", "certificatePem": "<private key and certificate PEM>"}';
  let value: any;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    throw new ResourceError(`calendar link: the Graph credentials secret ${secretArn} is not JSON; ${shape}`);
  }
  if (typeof value?.clientId !== 'string' || !(typeof value.clientSecret === 'string' || typeof value.certificatePem === 'string')) {
    throw new ResourceError(`calendar link: the Graph credentials secret ${secretArn} has fields ${Object.keys(value ?? {}).join(', ') || '(none)'}; ${shape}`);
  }
  return value;
}
