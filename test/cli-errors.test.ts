// Failures of the a4b-rooms command line, run as a user runs it (compiled, in a child process): whatever fails (no
// credentials, an unknown profile, an endpoint that does not answer, a bad region, a busy port), one line on stderr
// naming it in the CLI's own inputs, exit 1, no stack unless --debug, and with --json a JSON document on stdout.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import Ajv from 'ajv';
import { cliHint, cliMessage } from '../lib/cli/errors';
import { DRIFT_REPORT_SCHEMA } from '../lib/drift/report';
import { tempDir } from './helpers';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'a4b-rooms.js');
const INVENTORY = path.join(ROOT, 'examples', 'rooms.yaml');

/** An environment with no AWS credentials anywhere: no keys, an empty home (no ~/.aws), no instance metadata. */
function bareEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(AWS_|A4B_)/.test(k)) env[k] = v;
  return { ...env, HOME: tempDir('a4b-home-'), AWS_EC2_METADATA_DISABLED: 'true', A4B_MAX_ATTEMPTS: '1', ...extra };
}

function cli(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync('node', [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env });
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const NO_STACK = /^\s+at /m;

describe('cliHint', () => {
  const env = { AWS_PROFILE: 'prod', AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS: 'http://127.0.0.1:4566' };
  test.each<[string, unknown, NodeJS.ProcessEnv, string | undefined]>([
    ['no credentials at all', { name: 'CredentialsProviderError', message: 'Could not load credentials from any providers' }, {},
      'no AWS credentials: set AWS_PROFILE to a profile of ~/.aws/config, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'],
    ['an unknown profile', { name: 'CredentialsProviderError', message: 'Could not resolve credentials using profile: [prod]' }, env,
      'no AWS credentials for AWS_PROFILE=prod: check the profile name (aws configure list-profiles), or run aws sso login --profile prod'],
    ['an unknown access key', { name: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }, { AWS_ACCESS_KEY_ID: 'AKID' },
      'AWS does not know the access key of AWS_ACCESS_KEY_ID: check it, or set AWS_PROFILE to a profile with valid keys'],
    ['a wrong secret key', { name: 'InvalidSignatureException', message: 'signature' }, env,
      'the secret key of AWS_PROFILE=prod does not match its access key (check AWS_SECRET_ACCESS_KEY or the profile), or this computer\'s clock is wrong'],
    ['an expired session', { name: 'ExpiredTokenException', message: 'expired' }, {},
      'the session of the default AWS profile has expired: refresh AWS_SESSION_TOKEN, or run aws sso login'],
    ['no region', { name: 'Error', message: 'Region is missing' }, {}, 'no AWS region: give --region, A4B_REGION or AWS_REGION'],
    ['an endpoint override that refuses', { name: 'Error', code: 'ECONNREFUSED', address: '127.0.0.1', port: 4566 }, env,
      'cannot reach 127.0.0.1:4566 (ECONNREFUSED): check AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS=http://127.0.0.1:4566'],
    ['a region that does not exist', { name: 'Error', code: 'ENOTFOUND', hostname: 'a4b.mars-1.amazonaws.com' }, {},
      'cannot reach a4b.mars-1.amazonaws.com (ENOTFOUND): is mars-1 a region? A4B ran only in us-east-1 (give --region, A4B_REGION or AWS_REGION); otherwise check the network or HTTPS_PROXY'],
    ['a network that does not answer', { name: 'Error', code: 'ETIMEDOUT', hostname: 'login.microsoftonline.com' }, {},
      'cannot reach login.microsoftonline.com (ETIMEDOUT): check the network or HTTPS_PROXY'],
    ['a busy port', { name: 'Error', code: 'EADDRINUSE', port: 8080 }, {},
      'port 8080 is in use: give another --port or --graph-port (0 picks a free one), or stop what listens there'],
    ['any other error', { name: 'ValidationException', message: 'bad' }, env, undefined],
  ])('%s', (_, error, e, expected) => {
    expect(cliHint(error, e)).toBe(expected);
  });

  test('an error that says what failed keeps it, with its cause worded for the CLI, not for the provider role', () => {
    const error = Object.assign(new Error('calendar link: cannot read the Graph credentials secret s (…). Check that the provider role may read it'), {
      what: 'calendar link: cannot read the Graph credentials secret s', cause: { name: 'CredentialsProviderError', message: 'Could not load credentials' },
    });
    expect(cliMessage(error, {})).toBe('calendar link: cannot read the Graph credentials secret s: no AWS credentials: set AWS_PROFILE to a profile of ~/.aws/config, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  });
});

describe('a4b-rooms, when AWS cannot be reached', () => {
  const validate = new Ajv({ allErrors: true }).compile(DRIFT_REPORT_SCHEMA);

  test.each<[string, () => Promise<NodeJS.ProcessEnv>, RegExp]>([
    ['no credentials', async () => bareEnv(), /no AWS credentials: set AWS_PROFILE/],
    ['an unknown profile', async () => bareEnv({ AWS_PROFILE: 'nope' }), /no AWS credentials for AWS_PROFILE=nope/],
    ['an endpoint that refuses', async () => {
      const url = `http://127.0.0.1:${await closedPort()}`;
      return bareEnv({ AWS_ACCESS_KEY_ID: 'AKIDX', AWS_SECRET_ACCESS_KEY: 'x', AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS: url, AWS_ENDPOINT_URL_SECRETS_MANAGER: url });
    }, /cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\): check AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS=http:\/\/127\.0\.0\.1:\d+/],
    ['a region that does not exist', async () => bareEnv({ AWS_ACCESS_KEY_ID: 'AKIDX', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'mars-1' }),
      /cannot reach a4b\.mars-1\.amazonaws\.com \(ENOTFOUND\): is mars-1 a region\?/],
  ])('drift with %s: a whole report with status error naming the fix, exit 1, no stack', async (_, makeEnv, fix) => {
    const env = await makeEnv();
    const json = cli(['drift', INVENTORY, '--json'], env);
    expect({ status: json.status, stack: NO_STACK.test(json.stderr) }).toEqual({ status: 1, stack: false });
    const doc = JSON.parse(json.stdout);
    expect(validate(doc)).toBe(true);
    expect(doc.status).toBe('error');
    expect(doc.errors.join('\n')).toMatch(fix);
    expect(doc.errors.join('\n')).not.toContain('provider role');
    const text = cli(['drift', INVENTORY], env);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(fix);
    expect(text.stderr).not.toMatch(NO_STACK);
  });

  test('import, check and test-booking without credentials: one line naming the fix, exit 1', () => {
    const env = bareEnv({ AWS_PROFILE: 'nope' });
    const fix = 'no AWS credentials for AWS_PROFILE=nope: check the profile name (aws configure list-profiles), or run aws sso login --profile nope';
    expect(cli(['import'], env)).toMatchObject({ status: 1, stdout: '', stderr: `a4b-rooms: ${fix}\n` });
    for (const command of ['check', 'test-booking']) {
      const res = cli([command, INVENTORY, '--json'], env);
      expect({ command, status: res.status, stderr: res.stderr }).toEqual({ command, status: 1, stderr: '' });
      expect(JSON.parse(res.stdout)).toMatchObject({ status: 'error', errors: [`calendar link: cannot read the Graph credentials secret a4b-rooms/graph-validator: ${fix}`] });
    }
  });

  test('--debug adds the stack; without it, none', () => {
    const missing = path.join(tempDir(), 'rooms.yaml');
    const plain = cli(['validate', missing], bareEnv());
    expect(plain).toMatchObject({ status: 1, stderr: `a4b-rooms: ${missing}: cannot read the inventory (ENOENT)\n` });
    const debug = cli(['validate', missing, '--debug'], bareEnv());
    expect(debug.status).toBe(1);
    expect(debug.stderr.split('\n')[0]).toBe(`a4b-rooms: ${missing}: cannot read the inventory (ENOENT)`);
    expect(debug.stderr).toMatch(NO_STACK);
  });

  test('a usage error with --json still gives a JSON document', () => {
    const res = cli(['drift', INVENTORY, '--json', '--no-such-flag'], bareEnv());
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('unknown option \'--no-such-flag\'');
    const doc = JSON.parse(res.stdout);
    expect(validate(doc)).toBe(true);
    expect(doc).toMatchObject({ status: 'error', errors: ['unknown option \'--no-such-flag\''] });
  });

  test('local serve on a busy port: one line naming the port and the flag', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const state = path.join(tempDir(), 'state');
      const res = cli(['local', 'serve', '--state', state, '--port', String(port)], bareEnv());
      expect({ status: res.status, stderr: res.stderr }).toEqual({
        status: 1, stderr: `a4b-rooms: port ${port} is in use: give another --port or --graph-port (0 picks a free one), or stop what listens there\n`,
      });
      expect(fs.existsSync(path.join(state, 'emulators.lock'))).toBe(false);
    } finally {
      server.close();
    }
  });
});
