// A local Alexa for Business: an HTTP server speaking AWS JSON 1.1 (`X-Amz-Target: AlexaForBusiness.<Op>`) for
// rooms, room profiles, skill groups, their associations and tags. It is as strict as the model (every length,
// pattern, enum and required member), answers with the real error shapes, keeps A4B's account quotas, replays
// idempotency tokens, persists to a state directory, and takes injected faults for tests and benchmarks.
// The same endpoint answers Secrets Manager's GetSecretValue (`X-Amz-Target: secretsmanager.GetSecretValue`) for
// the secrets the local world holds, so handlers read their credentials the way they do in AWS (secrets-emulator.ts).
import { createHash, randomBytes, randomUUID } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import { IntegerRules, integerProblem } from '../constraints';
import { A4B_FILTER_MATCH, A4bFilterMatch, a4bNameKey, Quotas } from '../contract';
import { Clock, realClock } from '../runtime/clock';
import { project } from './a4b-model';
import { A4B_MODEL } from './a4b-model.generated';
import { InputShapes, validateInput, WireError } from './a4b-shapes';
import { JournaledStore } from './journaled-store';
import { leaveIdleConnectionsToClients } from './keep-alive';
import { SecretsEmulator, StoredSecret } from './secrets-emulator';

/** A4B's account quotas as numbers (`Quotas` holds the real values as literal types), so tests may lower them. */
export type AccountQuotas = { readonly [K in keyof typeof Quotas]: number };

export interface A4bEmulatorOptions {
  /** Directory to persist state in; memory only when absent. */
  readonly stateDir?: string;
  /** Port to listen on; 0 picks a free one. */
  readonly port?: number;
  /** Account id in minted ARNs. */
  readonly accountId?: string;
  /** Per-account quotas; tests lower them to reach a limit quickly. */
  readonly quotas?: Partial<AccountQuotas>;
  /**
   * A4B requests per second the account may make (a token bucket holding `rateLimit` tokens, refilled at that rate, so
   * bursts of up to `rateLimit` pass); above it the answer is 400 ThrottlingException "Rate exceeded". A4B's real rate
   * limit was never documented: this is a configurable guess, to show how a deploy behaves under one. Secrets Manager
   * requests on the same endpoint are not counted. @default no limit
   */
  readonly rateLimit?: number;
  /**
   * How Search* filters match a value: A4B's semantics are undocumented, so this is the library's guess
   * (`A4bFilterMatch` in lib/contract), configurable to show how the library behaves if A4B matches otherwise.
   * @default A4B_FILTER_MATCH (exact, case included)
   */
  readonly filterMatch?: A4bFilterMatch;
  /** The clock the rate limit refills by. @default the wall clock */
  readonly clock?: Pick<Clock, 'now'>;
}

/** What the emulator answered since it started (GET /_emulator/stats). */
export interface A4bEmulatorStats {
  /** A4B requests answered (Secrets Manager and admin requests not counted). */
  readonly requests: number;
  /** Of those, answered 400 ThrottlingException by the rate limit. */
  readonly throttled: number;
  /** The rate limit in requests per second, when there is one. */
  readonly rateLimit?: number;
}

/** A fault the emulator injects into matching requests. */
export interface FaultSpec {
  /** Operation name (`CreateRoom`) or `*` for all. */
  readonly operation: string;
  /** Only requests whose input has these top-level member values. */
  readonly match?: Record<string, string>;
  /** HTTP status of the error; @default 500 when errorType is given, else no error (latency only). */
  readonly status?: number;
  /** `__type` of the error body; @default InternalFailure */
  readonly errorType?: string;
  readonly message?: string;
  /** Sent as the `Retry-After` header. */
  readonly retryAfterSeconds?: number;
  /** How many matching requests it applies to; @default unlimited */
  readonly count?: number;
  /** Added delay before answering. */
  readonly latencyMs?: number;
  /**
   * Holds the matching requests unanswered until `releaseHeld()`: a call "slower than" a deadline or a rollback on
   * any machine, with no latency to guess (`POST /_emulator/release` over HTTP). A stopped emulator never answers them.
   */
  readonly hold?: boolean;
  /** `after`: perform the operation, then answer with the error (a response lost on the way back). @default before */
  readonly phase?: 'before' | 'after';
}

export interface RequestRecord {
  readonly operation: string;
  readonly input: Record<string, any>;
  /** `amz-sdk-request: attempt=N` of the SDK. */
  readonly attempt: number;
  readonly status: number;
  readonly errorType?: string;
}

interface RoomState { RoomArn: string; RoomName: string; Description?: string; ProviderCalendarId?: string; ProfileArn?: string }
interface SkillGroupState { SkillGroupArn: string; SkillGroupName: string; Description?: string }
interface DeviceState { DeviceArn: string; DeviceName: string; DeviceSerialNumber: string; DeviceType: string; RoomArn?: string }
interface TokenState { arn: string; fingerprint: string }
type ProfileState = Record<string, any> & { ProfileArn: string; ProfileName: string };

const WRITES = new Set(['CreateRoom', 'UpdateRoom', 'DeleteRoom', 'CreateProfile', 'UpdateProfile', 'DeleteProfile', 'CreateSkillGroup',
  'UpdateSkillGroup', 'DeleteSkillGroup', 'AssociateSkillGroupWithRoom', 'DisassociateSkillGroupFromRoom', 'AssociateDeviceWithRoom',
  'DisassociateDeviceFromRoom', 'TagResource', 'UntagResource']);

/** Operations that change state; a request log filtered by these says whether anything was written. */
export function isWriteOperation(operation: string): boolean {
  return WRITES.has(operation);
}

export class A4bEmulator {
  static async start(options: A4bEmulatorOptions = {}): Promise<A4bEmulator> {
    const emulator = new A4bEmulator(options);
    await new Promise<void>((resolve, reject) => {
      emulator.server.once('error', reject);
      emulator.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return emulator;
  }

  readonly requests: RequestRecord[] = [];
  private readonly store: JournaledStore;
  private readonly server: http.Server;
  private readonly faults: Array<FaultSpec & { remaining: number }> = [];
  private readonly holds: Array<() => void> = [];
  private readonly accountId: string;
  private readonly quotas: AccountQuotas;
  /** How Search* filters match (see A4bEmulatorOptions.filterMatch). */
  readonly filterMatch: A4bFilterMatch;
  private readonly org: string;
  private readonly bucket?: TokenBucket;
  private readonly counts = { requests: 0, throttled: 0 };
  private readonly secrets: SecretsEmulator;

  private constructor(options: A4bEmulatorOptions) {
    if (options.rateLimit !== undefined) {
      if (!(options.rateLimit > 0) || !Number.isFinite(options.rateLimit)) throw new Error(`A4B rate limit ${options.rateLimit} must be a number of requests per second greater than 0`);
      this.bucket = new TokenBucket(options.rateLimit, options.clock ?? realClock);
    }
    this.store = new JournaledStore(options.stateDir, 'a4b');
    this.accountId = options.accountId ?? '123456789012';
    this.quotas = { ...Quotas, ...options.quotas };
    this.filterMatch = options.filterMatch ?? A4B_FILTER_MATCH;
    this.secrets = new SecretsEmulator(this.store, this.accountId,
      (SecretId) => this.requests.push({ operation: 'secretsmanager.GetSecretValue', input: { SecretId }, attempt: 1, status: 200 }));
    let org = this.store.get<string>('meta', 'org');
    if (!org) this.store.put('meta', 'org', (org = randomBytes(16).toString('hex')));
    this.org = org;
    // Names are unique per account ignoring case; an index keeps that check constant-time at 10,000 rooms.
    this.store.addIndex('rooms', 'name', (r: RoomState) => nameKey(r.RoomName));
    this.store.addIndex('profiles', 'name', (p: ProfileState) => nameKey(p.ProfileName));
    this.store.addIndex('skillGroups', 'name', (g: SkillGroupState) => nameKey(g.SkillGroupName));
    this.server = leaveIdleConnectionsToClients(http.createServer((req, res) => this.handle(req, res)));
  }

  /** `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS`. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Requests answered and throttled so far. */
  stats(): A4bEmulatorStats {
    return { ...this.counts, ...(this.bucket ? { rateLimit: this.bucket.rate } : {}) };
  }

  injectFault(fault: FaultSpec): void {
    this.faults.push({ ...fault, remaining: fault.count ?? Infinity });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** How many requests a `hold` fault holds now. */
  get held(): number {
    return this.holds.length;
  }

  /** Lets every held request go on (to be answered, or to fail with its fault). */
  releaseHeld(): void {
    for (const release of this.holds.splice(0)) release();
  }

  /** Registers an Echo device, as setting one up in a room does; returns its ARN. */
  registerDevice(name: string, serialNumber = randomBytes(8).toString('hex').toUpperCase()): string {
    const arn = this.arn('device', `${serialNumber}`);
    this.store.put('devices', arn, { DeviceArn: arn, DeviceName: name, DeviceSerialNumber: serialNumber, DeviceType: 'A3VRME03NAXFUB' } satisfies DeviceState);
    return arn;
  }

  /** A direct call, as if through the wire but without HTTP (for test setup and inspection). */
  call(operation: string, input: Record<string, any> = {}): Record<string, any> {
    const op = OPERATIONS[operation];
    if (!op) throw new WireError('UnknownOperationException', `Unknown operation ${operation}`);
    validateInput(InputShapes[operation], input);
    // A null member is an absent one in AWS JSON; the operations see neither.
    const present = withoutNulls(input) as Record<string, any>;
    // All writes of one operation in one journal line: a created room and its idempotency token survive a kill together.
    return this.store.batch(() => op.call(this, present));
  }

  /** Stores a Secrets Manager secret; returns its ARN. */
  putSecret(nameOrArn: string, secretString: string): string {
    return this.secrets.put(nameOrArn, secretString);
  }

  hasSecret(idOrArn: string): boolean {
    return this.findSecret(idOrArn) !== undefined;
  }

  findSecret(id: string): StoredSecret | undefined {
    return this.secrets.find(id);
  }

  private secretsManager(operation: string, body: string, res: http.ServerResponse): void {
    const out = this.secrets.answer(operation, body);
    send(res, out.status, out.body, out.headers);
  }

  /** Every room, for assertions. */
  rooms(): RoomState[] {
    return this.store.values<RoomState>('rooms');
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    this.holds.length = 0;
    this.store.close();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.url?.startsWith('/_emulator/')) {
        this.admin(req.method ?? 'GET', req.url, body, res);
        return;
      }
      void this.dispatch(req, body, res);
    });
  }

  private async dispatch(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target.startsWith('secretsmanager.')) return this.secretsManager(target.slice('secretsmanager.'.length), body, res);
    const operation = target.startsWith('AlexaForBusiness.') ? target.slice('AlexaForBusiness.'.length) : target;
    const attempt = Number(/attempt=(\d+)/.exec(String(req.headers['amz-sdk-request'] ?? ''))?.[1] ?? 1);
    let input: Record<string, any> = {};
    const record = (status: number, errorType?: string) => this.requests.push({ operation, input, attempt, status, errorType });
    this.counts.requests++;
    if (this.bucket && !this.bucket.take()) {
      // The error shape AWS JSON 1.1 services answer a throttled request with; the SDK classifies ThrottlingException as
      // throttling and retries it with backoff, out of its retry quota (THROTTLING_ERROR_CODES in @smithy/service-error-classification).
      this.counts.throttled++;
      try {
        input = body ? JSON.parse(body) : {};
      } catch {
        // recorded without input
      }
      record(400, 'ThrottlingException');
      return send(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' }, { 'x-amzn-errortype': 'ThrottlingException' });
    }
    try {
      let parsed: unknown;
      try {
        parsed = body ? JSON.parse(body) : {};
      } catch {
        throw new WireError('SerializationException', 'Request body is not valid JSON');
      }
      // The body is the operation's input structure: `null`, a list or a scalar cannot be one.
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new WireError('SerializationException', `Unexpected ${parsed === null ? 'VALUE_NULL' : Array.isArray(parsed) ? 'START_ARRAY' : 'VALUE'} at '<root>': expected Structure`);
      }
      input = parsed as Record<string, any>;
      if (!OPERATIONS[operation]) throw new WireError('UnknownOperationException', `Unknown operation ${target || '(no X-Amz-Target)'}`);
      const fault = this.takeFault(operation, input);
      if (fault?.latencyMs) {
        // Unref'd: a delayed answer whose client gave up does not keep a stopped emulator's process alive.
        await new Promise((r) => setTimeout(r, fault.latencyMs).unref());
      }
      if (fault?.hold) await new Promise<void>((r) => this.holds.push(r));
      const failing = fault && (fault.errorType !== undefined || fault.status !== undefined) ? fault : undefined;
      if (failing && failing.phase !== 'after') throw faultError(failing);
      const output = this.call(operation, input);
      if (failing) throw faultError(failing);
      record(200);
      send(res, 200, output);
    } catch (e) {
      const err = e instanceof WireError ? e : new WireError('InternalFailure', 'The request processing has failed because of an unknown error', 500);
      record(err.status, err.type);
      const headers: Record<string, string> = { 'x-amzn-errortype': err.type };
      if (err instanceof FaultError && err.retryAfterSeconds !== undefined) headers['retry-after'] = String(err.retryAfterSeconds);
      send(res, err.status, { __type: err.type, message: err.message }, headers);
    }
  }

  private takeFault(operation: string, input: Record<string, any>): (FaultSpec & { remaining: number }) | undefined {
    const fault = this.faults.find((f) => f.remaining > 0 && (f.operation === '*' || f.operation === operation)
      && Object.entries(f.match ?? {}).every(([k, v]) => input[k] === v));
    if (fault) fault.remaining--;
    return fault;
  }

  private admin(method: string, url: string, body: string, res: http.ServerResponse): void {
    try {
      const route = `${method} ${url.split('?')[0]}`;
      switch (route) {
        case 'GET /_emulator/health': return send(res, 200, { ok: true });
        case 'GET /_emulator/requests': return send(res, 200, { requests: this.requests });
        case 'GET /_emulator/stats': return send(res, 200, this.stats());
        case 'DELETE /_emulator/requests': this.requests.length = 0; return send(res, 200, {});
        case 'POST /_emulator/faults': this.injectFault(JSON.parse(body)); return send(res, 200, {});
        case 'DELETE /_emulator/faults': this.clearFaults(); return send(res, 200, {});
        case 'POST /_emulator/release': this.releaseHeld(); return send(res, 200, {});
        case 'POST /_emulator/secrets': {
          const { SecretId, SecretString } = JSON.parse(body);
          const existing = this.findSecret(SecretId);
          return send(res, 200, existing ? { ARN: existing.arn, created: false } : { ARN: this.putSecret(SecretId, SecretString), created: true });
        }
        case 'POST /_emulator/devices': {
          const { DeviceName, DeviceSerialNumber } = JSON.parse(body);
          return send(res, 200, { DeviceArn: this.registerDevice(DeviceName, DeviceSerialNumber) });
        }
        default: return send(res, 404, { message: `no emulator route ${route}` });
      }
    } catch (e) {
      send(res, 400, { message: (e as Error).message });
    }
  }

  // ---- state helpers used by the operations ----

  arn(kind: string, id = randomBytes(16).toString('hex')): string {
    return `arn:aws:a4b:us-east-1:${this.accountId}:${kind}/${this.org}/${id}`;
  }

  get db(): JournaledStore {
    return this.store;
  }

  get limits(): AccountQuotas {
    return this.quotas;
  }
}

/** `rate` tokens a second, at most `rate` (at least 1) held: a burst of `rate` requests passes, then `rate` a second. */
class TokenBucket {
  private tokens: number;
  private at: number;
  private readonly burst: number;

  constructor(readonly rate: number, private readonly clock: Pick<Clock, 'now'>) {
    this.burst = Math.max(1, rate);
    this.tokens = this.burst;
    this.at = clock.now();
  }

  take(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

class FaultError extends WireError {
  constructor(type: string, message: string, status: number, readonly retryAfterSeconds?: number) {
    super(type, message, status);
  }
}

function faultError(f: FaultSpec): FaultError {
  const type = f.errorType ?? 'InternalFailure';
  return new FaultError(type, f.message ?? `injected ${type}`, f.status ?? (f.errorType ? 400 : 500), f.retryAfterSeconds);
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(text);
}

// ---- operations ----

type Operation = (this: A4bEmulator, input: Record<string, any>) => Record<string, any>;

const notFound = (what: string, arn: string) => new WireError('NotFoundException', `The ${what} with ARN ${arn} is not found`);
const nameKey = a4bNameKey;
/** Whether another resource of the collection has this name, ignoring case. */
const nameTaken = (emu: A4bEmulator, collection: string, name: string, except?: string) =>
  emu.db.find(collection, 'name', nameKey(name)).some((arn) => arn !== except);

function replay(emu: A4bEmulator, operation: string, input: Record<string, any>): string | undefined {
  if (!input.ClientRequestToken) return undefined;
  const { ClientRequestToken, ...rest } = input;
  const seen = emu.db.get<TokenState>('tokens', `${operation}:${ClientRequestToken}`);
  if (!seen) return undefined;
  if (seen.fingerprint !== fingerprint(rest)) {
    throw new WireError('ValidationException', `ClientRequestToken ${ClientRequestToken} was already used with different parameters`);
  }
  return seen.arn;
}

function remember(emu: A4bEmulator, operation: string, input: Record<string, any>, arn: string): void {
  if (!input.ClientRequestToken) return;
  const { ClientRequestToken, ...rest } = input;
  emu.db.put('tokens', `${operation}:${ClientRequestToken}`, { arn, fingerprint: fingerprint(rest) } satisfies TokenState);
}

function fingerprint(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function requireRoom(emu: A4bEmulator, arn: string): RoomState {
  const room = emu.db.get<RoomState>('rooms', arn);
  if (!room) throw notFound('room', arn);
  return room;
}

function requireProfile(emu: A4bEmulator, arn: string): ProfileState {
  const profile = emu.db.get<ProfileState>('profiles', arn);
  if (!profile) throw notFound('profile', arn);
  return profile;
}

function requireSkillGroup(emu: A4bEmulator, arn: string): SkillGroupState {
  const group = emu.db.get<SkillGroupState>('skillGroups', arn);
  if (!group) throw notFound('skill group', arn);
  return group;
}

function applyTags(emu: A4bEmulator, arn: string, tags: Array<{ Key: string; Value: string }> | undefined): void {
  if (!tags?.length) return;
  const current = emu.db.get<Record<string, string>>('tags', arn) ?? {};
  emu.db.put('tags', arn, { ...current, ...Object.fromEntries(tags.map((t) => [t.Key, t.Value])) });
}

function checkMeetingRoom(config: Record<string, any> | undefined): void {
  if (!config) return;
  const problems: string[] = [];
  const reminder = config.EndOfMeetingReminder?.ReminderAtMinutes?.[0];
  const checks: Array<[number | undefined, keyof typeof IntegerRules, string]> = [
    [reminder, 'EndOfMeetingReminderMinutes', 'meetingRoomConfiguration.endOfMeetingReminder.reminderAtMinutes'],
    [config.InstantBooking?.DurationInMinutes, 'InstantBookingDurationMinutes', 'meetingRoomConfiguration.instantBooking.durationInMinutes'],
    [config.RequireCheckIn?.ReleaseAfterMinutes, 'RequireCheckInReleaseAfterMinutes', 'meetingRoomConfiguration.requireCheckIn.releaseAfterMinutes'],
  ];
  for (const [value, rule, path] of checks) {
    const problem = value === undefined ? undefined : integerProblem(IntegerRules[rule], value);
    if (problem) problems.push(`Value '${value}' at '${path}' ${problem}`);
  }
  if (problems.length) throw new WireError('ValidationException', problems.join('; '));
}

function mergeMeetingRoom(current: Record<string, any> | undefined, update: Record<string, any>): Record<string, any> {
  const merged: Record<string, any> = { ...current };
  for (const [key, value] of Object.entries(update)) {
    merged[key] = value && typeof value === 'object' && !Array.isArray(value) ? { ...merged[key], ...value } : value;
  }
  return merged;
}

/**
 * Filter and sort a collection as the Search* operations do, then cut one page. The filter and sort keys are the
 * ones the model's documentation of the operation names as supported; `keys` reads each from an item (undefined:
 * the item has no such value, so a filter on it matches nothing). An item matches every filter, a filter when the
 * item's value is one of its values: exactly, or by `a4bNameKey` when `match` is ignoreCase (A4B documents neither).
 */
function searchPage<T extends Record<string, any>>(operation: string, items: T[], input: Record<string, any>,
  keys: Record<string, (item: T) => string | undefined>, match: A4bFilterMatch = 'exact'): { page: T[]; NextToken?: string; TotalCount: number } {
  const supported = A4B_MODEL.searchKeys[operation] ?? { filter: [], sort: [] };
  for (const [list, kind, allowed] of [[input.Filters, 'filter', supported.filter], [input.SortCriteria, 'sort', supported.sort]] as const) {
    for (const f of list ?? []) {
      if (!allowed.includes(f.Key)) throw new WireError('ValidationException', `${f.Key} is not a supported key for ${operation}; supported ${kind} keys: ${allowed.join(', ')}`);
    }
  }
  const norm = match === 'exact' ? (v: string) => v : a4bNameKey;
  const filters = (input.Filters ?? []).map((f: any) => ({ read: keys[f.Key], values: new Set((f.Values as string[]).map(norm)) }));
  let matched = items.filter((item) => filters.every((f: { read: (item: T) => string | undefined; values: Set<string> }) => {
    const v = f.read(item);
    return v !== undefined && f.values.has(norm(v));
  }));
  for (const s of [...(input.SortCriteria ?? [])].reverse()) {
    const dir = s.Value === 'DESC' ? -1 : 1;
    matched = [...matched].sort((a, b) => dir * String(keys[s.Key](a) ?? '').localeCompare(String(keys[s.Key](b) ?? '')));
  }
  const query = fingerprint({ operation, f: input.Filters ?? [], s: input.SortCriteria ?? [] }).slice(0, 16);
  let offset = 0;
  if (input.NextToken) {
    const decoded = decodeToken(input.NextToken);
    if (!decoded || decoded.q !== query) throw new WireError('ValidationException', 'Invalid NextToken: it belongs to another query or is corrupted');
    offset = decoded.o;
  }
  const size = input.MaxResults ?? 10;
  const page = matched.slice(offset, offset + size);
  const next = offset + size < matched.length ? Buffer.from(JSON.stringify({ o: offset + size, q: query })).toString('base64url') : undefined;
  return { page, NextToken: next, TotalCount: matched.length };
}

function decodeToken(token: string): { o: number; q: string } | undefined {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return typeof t.o === 'number' && typeof t.q === 'string' ? t : undefined;
  } catch {
    return undefined;
  }
}

const OPERATIONS: Record<string, Operation> = {
  CreateRoom(input) {
    const replayed = replay(this, 'CreateRoom', input);
    if (replayed) return { RoomArn: replayed };
    if (nameTaken(this, 'rooms', input.RoomName)) {
      throw new WireError('AlreadyExistsException', `A room with the name ${input.RoomName} already exists`);
    }
    requireProfile(this, input.ProfileArn);
    if (this.db.count('rooms') >= this.limits.ROOMS) {
      throw new WireError('LimitExceededException', `You have reached the limit of ${this.limits.ROOMS} rooms for this account`);
    }
    const arn = this.arn('room');
    this.db.put('rooms', arn, { RoomArn: arn, RoomName: input.RoomName, Description: input.Description, ProviderCalendarId: input.ProviderCalendarId, ProfileArn: input.ProfileArn } satisfies RoomState);
    applyTags(this, arn, input.Tags);
    remember(this, 'CreateRoom', input, arn);
    return { RoomArn: arn };
  },
  GetRoom(input) {
    const { RoomArn, RoomName, Description, ProviderCalendarId, ProfileArn } = requireRoom(this, input.RoomArn);
    return { Room: { RoomArn, RoomName, Description, ProviderCalendarId, ProfileArn } };
  },
  UpdateRoom(input) {
    const room = requireRoom(this, input.RoomArn);
    if (input.RoomName !== undefined && nameTaken(this, 'rooms', input.RoomName, room.RoomArn)) {
      throw new WireError('NameInUseException', `The name ${input.RoomName} is already in use by another room`);
    }
    if (input.ProfileArn !== undefined) requireProfile(this, input.ProfileArn);
    const updated = { ...room };
    for (const k of ['RoomName', 'Description', 'ProviderCalendarId', 'ProfileArn'] as const) if (input[k] !== undefined) updated[k] = input[k];
    this.db.put('rooms', room.RoomArn, updated);
    return {};
  },
  DeleteRoom(input) {
    const room = requireRoom(this, input.RoomArn);
    this.db.delete('roomSkillGroups', room.RoomArn);
    for (const d of this.db.values<DeviceState>('devices')) if (d.RoomArn === room.RoomArn) this.db.put('devices', d.DeviceArn, { ...d, RoomArn: undefined });
    this.db.delete('tags', room.RoomArn);
    this.db.delete('rooms', room.RoomArn);
    return {};
  },
  SearchRooms(input) {
    const profileName = (r: RoomState) => (r.ProfileArn ? this.db.get<ProfileState>('profiles', r.ProfileArn)?.ProfileName : undefined);
    const { page, ...rest } = searchPage('SearchRooms', this.db.values<RoomState>('rooms'), input, { RoomName: (r) => r.RoomName, ProfileName: profileName }, this.filterMatch);
    return { Rooms: page.map((r) => ({ ...r, ProfileName: profileName(r) })), ...rest };
  },
  CreateProfile(input) {
    const replayed = replay(this, 'CreateProfile', input);
    if (replayed) return { ProfileArn: replayed };
    if (nameTaken(this, 'profiles', input.ProfileName)) {
      throw new WireError('AlreadyExistsException', `A profile with the name ${input.ProfileName} already exists`);
    }
    checkMeetingRoom(input.MeetingRoomConfiguration);
    if (this.db.count('profiles') >= this.limits.ROOM_PROFILES) {
      throw new WireError('LimitExceededException', `You have reached the limit of ${this.limits.ROOM_PROFILES} room profiles for this account`);
    }
    const arn = this.arn('profile');
    // Stored as A4B keeps it: the modelled members of the request that the model's Profile has, nothing else.
    this.db.put('profiles', arn, asProfile({ ...modelled(input, 'CreateProfileRequest'), ProfileArn: arn, IsDefault: false }));
    applyTags(this, arn, input.Tags);
    remember(this, 'CreateProfile', input, arn);
    return { ProfileArn: arn };
  },
  GetProfile(input) {
    // Projected again for state written before profiles were stored projected.
    return { Profile: asProfile(requireProfile(this, input.ProfileArn)) };
  },
  UpdateProfile(input) {
    const profile = requireProfile(this, input.ProfileArn);
    if (input.ProfileName !== undefined && nameTaken(this, 'profiles', input.ProfileName, profile.ProfileArn)) {
      throw new WireError('NameInUseException', `The name ${input.ProfileName} is already in use by another profile`);
    }
    checkMeetingRoom(input.MeetingRoomConfiguration);
    const { MeetingRoomConfiguration, IsDefault, ...fields } = modelled(input, 'UpdateProfileRequest');
    const updated: ProfileState = { ...profile };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) updated[k] = v;
    if (MeetingRoomConfiguration) updated.MeetingRoomConfiguration = mergeMeetingRoom(profile.MeetingRoomConfiguration, MeetingRoomConfiguration);
    if (IsDefault === true) {
      for (const p of this.db.values<ProfileState>('profiles')) if (p.IsDefault && p.ProfileArn !== profile.ProfileArn) this.db.put('profiles', p.ProfileArn, { ...p, IsDefault: false });
    }
    if (IsDefault !== undefined) updated.IsDefault = IsDefault;
    this.db.put('profiles', profile.ProfileArn, asProfile(updated));
    return {};
  },
  DeleteProfile(input) {
    const profile = requireProfile(this, input.ProfileArn);
    for (const r of this.db.values<RoomState>('rooms')) if (r.ProfileArn === profile.ProfileArn) this.db.put('rooms', r.RoomArn, { ...r, ProfileArn: undefined });
    this.db.delete('tags', profile.ProfileArn);
    this.db.delete('profiles', profile.ProfileArn);
    return {};
  },
  SearchProfiles(input) {
    const { page, ...rest } = searchPage('SearchProfiles', this.db.values<ProfileState>('profiles'), input, { ProfileName: (p) => p.ProfileName, Address: (p) => p.Address }, this.filterMatch);
    return {
      Profiles: page.map((p) => ({
        ProfileArn: p.ProfileArn, ProfileName: p.ProfileName, IsDefault: p.IsDefault, Address: p.Address, Timezone: p.Timezone,
        DistanceUnit: p.DistanceUnit, TemperatureUnit: p.TemperatureUnit, WakeWord: p.WakeWord, Locale: p.Locale,
      })),
      ...rest,
    };
  },
  CreateSkillGroup(input) {
    const replayed = replay(this, 'CreateSkillGroup', input);
    if (replayed) return { SkillGroupArn: replayed };
    if (nameTaken(this, 'skillGroups', input.SkillGroupName)) {
      throw new WireError('AlreadyExistsException', `A skill group with the name ${input.SkillGroupName} already exists`);
    }
    if (this.db.count('skillGroups') >= this.limits.SKILL_GROUPS) {
      throw new WireError('LimitExceededException', `You have reached the limit of ${this.limits.SKILL_GROUPS} skill groups for this account`);
    }
    const arn = this.arn('skill-group');
    this.db.put('skillGroups', arn, { SkillGroupArn: arn, SkillGroupName: input.SkillGroupName, Description: input.Description } satisfies SkillGroupState);
    applyTags(this, arn, input.Tags);
    remember(this, 'CreateSkillGroup', input, arn);
    return { SkillGroupArn: arn };
  },
  GetSkillGroup(input) {
    return { SkillGroup: requireSkillGroup(this, input.SkillGroupArn) };
  },
  UpdateSkillGroup(input) {
    const group = requireSkillGroup(this, input.SkillGroupArn);
    if (input.SkillGroupName !== undefined && nameTaken(this, 'skillGroups', input.SkillGroupName, group.SkillGroupArn)) {
      throw new WireError('NameInUseException', `The name ${input.SkillGroupName} is already in use by another skill group`);
    }
    this.db.put('skillGroups', group.SkillGroupArn, {
      ...group, SkillGroupName: input.SkillGroupName ?? group.SkillGroupName, Description: input.Description ?? group.Description,
    });
    return {};
  },
  DeleteSkillGroup(input) {
    const group = requireSkillGroup(this, input.SkillGroupArn);
    for (const room of this.db.values<RoomState>('rooms')) {
      const groups = this.db.get<string[]>('roomSkillGroups', room.RoomArn);
      if (groups?.includes(group.SkillGroupArn)) this.db.put('roomSkillGroups', room.RoomArn, groups.filter((g) => g !== group.SkillGroupArn));
    }
    this.db.delete('tags', group.SkillGroupArn);
    this.db.delete('skillGroups', group.SkillGroupArn);
    return {};
  },
  SearchSkillGroups(input) {
    const { page, ...rest } = searchPage('SearchSkillGroups', this.db.values<SkillGroupState>('skillGroups'), input, { SkillGroupName: (g) => g.SkillGroupName }, this.filterMatch);
    return { SkillGroups: page, ...rest };
  },
  AssociateSkillGroupWithRoom(input) {
    requireRoom(this, input.RoomArn);
    requireSkillGroup(this, input.SkillGroupArn);
    const groups = this.db.get<string[]>('roomSkillGroups', input.RoomArn) ?? [];
    if (!groups.includes(input.SkillGroupArn)) this.db.put('roomSkillGroups', input.RoomArn, [...groups, input.SkillGroupArn]);
    return {};
  },
  DisassociateSkillGroupFromRoom(input) {
    requireRoom(this, input.RoomArn);
    requireSkillGroup(this, input.SkillGroupArn);
    const groups = this.db.get<string[]>('roomSkillGroups', input.RoomArn) ?? [];
    if (groups.includes(input.SkillGroupArn)) this.db.put('roomSkillGroups', input.RoomArn, groups.filter((g) => g !== input.SkillGroupArn));
    return {};
  },
  AssociateDeviceWithRoom(input) {
    const device = this.db.get<DeviceState>('devices', input.DeviceArn);
    if (!device) throw new WireError('DeviceNotRegisteredException', `The device ${input.DeviceArn} is not registered`);
    requireRoom(this, input.RoomArn);
    const inRoom = this.db.values<DeviceState>('devices').filter((d) => d.RoomArn === input.RoomArn && d.DeviceArn !== device.DeviceArn).length;
    if (inRoom >= this.limits.DEVICES_PER_ROOM) {
      throw new WireError('LimitExceededException', `The room already has the maximum of ${this.limits.DEVICES_PER_ROOM} devices`);
    }
    this.db.put('devices', device.DeviceArn, { ...device, RoomArn: input.RoomArn });
    return {};
  },
  DisassociateDeviceFromRoom(input) {
    const device = this.db.get<DeviceState>('devices', input.DeviceArn);
    if (!device) throw new WireError('DeviceNotRegisteredException', `The device ${input.DeviceArn} is not registered`);
    this.db.put('devices', device.DeviceArn, { ...device, RoomArn: undefined });
    return {};
  },
  SearchDevices(input) {
    const roomName = (d: DeviceState) => (d.RoomArn ? this.db.get<RoomState>('rooms', d.RoomArn)?.RoomName : undefined);
    // A registered emulated device is READY and ONLINE, has no network profile and no failure.
    const none = () => undefined;
    const { page, ...rest } = searchPage('SearchDevices', this.db.values<DeviceState>('devices'), input, {
      DeviceName: (d) => d.DeviceName, DeviceSerialNumber: (d) => d.DeviceSerialNumber, DeviceType: (d) => d.DeviceType, RoomName: roomName,
      DeviceStatus: () => 'READY', ConnectionStatus: () => 'ONLINE', UnassociatedOnly: (d) => String(!d.RoomArn),
      DeviceStatusDetailCode: none, NetworkProfileName: none, NetworkProfileArn: none, Feature: none, FailureCode: none,
    }, this.filterMatch);
    return { Devices: page.map((d) => ({ ...d, RoomName: roomName(d), DeviceStatus: 'READY', DeviceStatusInfo: { ConnectionStatus: 'ONLINE' } })), ...rest };
  },
  TagResource(input) {
    requireTaggable(this, input.Arn);
    applyTags(this, input.Arn, input.Tags);
    return {};
  },
  UntagResource(input) {
    requireTaggable(this, input.Arn);
    const current = { ...(this.db.get<Record<string, string>>('tags', input.Arn) ?? {}) };
    for (const key of input.TagKeys) delete current[key];
    this.db.put('tags', input.Arn, current);
    return {};
  },
  ListTags(input) {
    requireTaggable(this, input.Arn);
    const tags = Object.entries(this.db.get<Record<string, string>>('tags', input.Arn) ?? {}).map(([Key, Value]) => ({ Key, Value }));
    const { page, NextToken } = searchPage('ListTags', tags, { NextToken: input.NextToken, MaxResults: input.MaxResults ?? 50 }, {});
    return { Tags: page, NextToken };
  },
};

/** The members of `input` that the request shape models, at any depth. */
function modelled(input: Record<string, any>, requestShape: string): Record<string, any> {
  return project(A4B_MODEL, requestShape, input) as Record<string, any>;
}

/** A profile as A4B holds it: only the members of the model's `Profile`. */
function asProfile(value: Record<string, any>): ProfileState {
  return project(A4B_MODEL, 'Profile', value) as ProfileState;
}

/** `value` without null members, at any depth (AWS JSON reads a null member as an absent one). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
  }
  return value;
}

function requireTaggable(emu: A4bEmulator, arn: string): void {
  if (!['rooms', 'profiles', 'skillGroups'].some((c) => emu.db.get(c, arn))) throw notFound('resource', arn);
}

/** Skill groups associated with a room. A4B has no read for this; the emulator exposes it for tests and the local drift reader. */
export function roomSkillGroups(emulator: A4bEmulator, roomArn: string): string[] {
  return emulator.db.get<string[]>('roomSkillGroups', roomArn) ?? [];
}
