// What the CLI says when something fails: one line naming what failed and the CLI's own inputs that fix it (the
// environment variables and flags its user sets). The handlers' describer (lib/handlers/a4b/errors.ts) speaks of
// the provider's role, which a person at a terminal does not have.
import { HandlerEnv } from '../contract';

/** The endpoint overrides the CLI's clients read, by the host they name. */
const ENDPOINT_VARIABLES = [
  'AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS', 'AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_ENDPOINT_URL',
  HandlerEnv.AUTHORITY_HOST, HandlerEnv.GRAPH_BASE_URL,
];

const REGION_INPUTS = '--region, A4B_REGION or AWS_REGION';
const NETWORK_CODES = ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'];

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  hostname?: string;
  address?: string;
  port?: number;
  cause?: unknown;
}

/** Where the credentials came from, in the words the user set them with. */
function credentialsSource(env: NodeJS.ProcessEnv): string {
  if (env.AWS_ACCESS_KEY_ID) return 'AWS_ACCESS_KEY_ID';
  if (env.AWS_PROFILE) return `AWS_PROFILE=${env.AWS_PROFILE}`;
  return 'the default AWS profile';
}

/** The host (and port) a network error names, e.g. a4b.us-east-1.amazonaws.com or 127.0.0.1:1. */
function hostOf(e: ErrorLike): string | undefined {
  if (e.hostname) return e.hostname;
  if (e.address) return e.port ? `${e.address}:${e.port}` : e.address;
  return undefined;
}

/** The variable that set an endpoint on this host, if one did. */
function endpointVariable(host: string, env: NodeJS.ProcessEnv): string | undefined {
  return ENDPOINT_VARIABLES.find((v) => {
    try {
      const url = new URL(env[v] ?? '');
      return url.host === host || url.hostname === host;
    } catch {
      return false;
    }
  });
}

/**
 * The fix for an AWS credentials, region or network error, naming the CLI's inputs (AWS_PROFILE, AWS_ACCESS_KEY_ID,
 * --region, the endpoint variables); undefined for any other error.
 */
export function cliHint(error: unknown, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const e = (error ?? {}) as ErrorLike;
  const name = e.name ?? '';
  const message = e.message ?? '';
  const who = credentialsSource(env);
  if (name === 'CredentialsProviderError' || /Could not (load|resolve) credentials/.test(message)) {
    if (env.AWS_PROFILE && !env.AWS_ACCESS_KEY_ID) {
      return `no AWS credentials for AWS_PROFILE=${env.AWS_PROFILE}: check the profile name (aws configure list-profiles), or run aws sso login --profile ${env.AWS_PROFILE}`;
    }
    return 'no AWS credentials: set AWS_PROFILE to a profile of ~/.aws/config, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
  }
  if (/^Region is missing/.test(message)) return `no AWS region: give ${REGION_INPUTS}`;
  switch (name) {
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
      return `AWS does not know the access key of ${who}: check it, or set AWS_PROFILE to a profile with valid keys`;
    case 'InvalidSignatureException':
    case 'SignatureDoesNotMatch':
      return `the secret key of ${who} does not match its access key (check AWS_SECRET_ACCESS_KEY or the profile), or this computer's clock is wrong`;
    case 'ExpiredTokenException':
    case 'ExpiredToken':
      return `the session of ${who} has expired: refresh AWS_SESSION_TOKEN, or run aws sso login`;
    case 'RequestTimeout':
      return `${message}: --request-timeout gives it longer`;
    case 'AccessDeniedException':
      return `the credentials of ${who} may not do this: allow it in their IAM policy, or use AWS_PROFILE with a role that may`;
    default:
      break;
  }
  if (e.code === 'EADDRINUSE') return `port ${e.port} is in use: give another --port or --graph-port (0 picks a free one), or stop what listens there`;
  if (NETWORK_CODES.includes(e.code ?? '') || NETWORK_CODES.includes(name)) {
    const host = hostOf(e) ?? 'the endpoint';
    const variable = endpointVariable(host, env);
    if (variable) return `cannot reach ${host} (${e.code ?? name}): check ${variable}=${env[variable]}`;
    const region = /^(?:a4b|secretsmanager)\.([^.]+)\.amazonaws\.com$/.exec(host)?.[1];
    if (region && (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')) {
      return `cannot reach ${host} (${e.code}): is ${region} a region? A4B ran only in us-east-1 (give ${REGION_INPUTS}); otherwise check the network or HTTPS_PROXY`;
    }
    return `cannot reach ${host} (${e.code ?? name}): check the network or HTTPS_PROXY`;
  }
  return undefined;
}

/**
 * A failure in the CLI's words: the fix when cliHint knows one; for an error that says what failed and why (a cause),
 * what failed and the cause's fix or message; else its message.
 */
export function cliMessage(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const e = (error ?? {}) as ErrorLike & { what?: string };
  if (e.what && e.cause !== undefined) return `${e.what}: ${cliHint(e.cause, env) ?? nameAndMessage(e.cause)}`;
  const hint = cliHint(error, env);
  if (hint) return hint;
  return (typeof e.message === 'string' ? e.message : String(error)) || e.name || 'unknown error';
}

/** A read that failed, as a report (drift) lists it: cliMessage when the CLI can word it, else the error's name and message. */
export function describeRead(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const e = (error ?? {}) as ErrorLike & { what?: string };
  return cliHint(error, env) || e.what ? cliMessage(error, env) : nameAndMessage(error);
}

function nameAndMessage(error: unknown): string {
  const e = (error ?? {}) as ErrorLike;
  return `${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
}

/** The --json document of a command that failed: status error and the message, so a pipeline step has JSON to read. */
export function errorDocument(command: string, message: string): Record<string, unknown> {
  const base = { version: 1, status: 'error' };
  // drift's schema (lib/drift/report.ts) requires findings and checked as well.
  if (command === 'drift') return { ...base, findings: [], errors: [message], checked: { rooms: 0, profiles: 0, skillGroups: 0, mailboxes: 0 } };
  return { ...base, errors: [message] };
}
