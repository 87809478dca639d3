// The A4B emulator against the A4B service models: botocore 1.29.27's (lib/local/a4b-model/service-2.json, from
// Debian's python3-botocore) and the newer one the shipped SDK was generated from (botocore's with the shapes
// sdk-proactive-join.smithy.json takes from aws-sdk-js-v3's Smithy model); see PROVENANCE.md there. Cases are derived
// from each model for every operation the emulator serves and sent as raw AWS JSON 1.1 over loopback, so no SDK
// serializer shapes the request: every required member missing, every length, list-length and range bound -1/+1
// rejected and exactly at the bound accepted, every pattern and enum broken, wrong JSON types, null members,
// non-object bodies; every documented Search filter and sort key accepted; every answer holding only modelled members
// of the modelled types. The emulator follows the newer model: shapes both models have behave the same under either's
// cases, and ProactiveJoin is only in the newer. lib/constraints/ (the constructs' synth-time checks) is checked
// against the same models.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { EnumValues, IntegerRules, StringRules } from '../../lib/constraints';
import { A4bEmulator } from '../../lib/local/a4b-emulator';
import { modelPattern, patternMaxLength } from '../../lib/local/a4b-model';
import { A4B_BOTOCORE_MODEL, A4B_MODEL } from '../../lib/local/a4b-model.generated';
import { STRICTER_REQUIRED } from '../../lib/local/a4b-shapes';

const ROOT = path.join(__dirname, '../..');
const MODEL_FILE = path.join(ROOT, 'lib/local/a4b-model/service-2.json');
const generator = require('../../scripts/a4b-model.js');
/** The committed models, whole: the authorities (the emulator reads the generated subsets of them). */
const { botocore, smithy } = generator.readModels();
/** The newer model in botocore's form: botocore's with the Smithy shapes laid over it. */
const sdk = generator.sdkModel(botocore, smithy);
const SDK_LABEL = `${generator.SDK_SOURCE.sdk} ${generator.SDK_SOURCE.sdkVersion}`;
const MODELS: Array<[string, any]> = [['botocore 1.29.27', botocore], [SDK_LABEL, sdk]];
const SERVED: string[] = generator.SERVED;

describe('the committed model', () => {
  test('is the file PROVENANCE.md names (sha256), unchanged', () => {
    const provenance = fs.readFileSync(path.join(ROOT, 'lib/local/a4b-model/PROVENANCE.md'), 'utf8');
    const sha = createHash('sha256').update(fs.readFileSync(MODEL_FILE)).digest('hex');
    expect(provenance).toContain(`sha256 of the file: \`${sha}\``);
    expect(botocore.metadata).toMatchObject({ apiVersion: '2017-11-09', jsonVersion: '1.1', targetPrefix: 'AlexaForBusiness' });
  });

  test('a4b-model.generated.ts is what scripts/a4b-model.js makes of it', () => {
    expect(fs.readFileSync(generator.OUT, 'utf8')).toBe(generator.render(botocore, smithy));
  });

  test('the emulator serves exactly the generated operations', () => {
    expect(Object.keys(A4B_MODEL.operations).sort()).toEqual([...SERVED].sort());
    expect(Object.keys(A4B_BOTOCORE_MODEL.operations).sort()).toEqual([...SERVED].sort());
  });

  test.each([
    ['The supported filter keys are RoomName and ProfileName.', ['RoomName', 'ProfileName']],
    ['The supported sort key is SkillGroupName. ', ['SkillGroupName']],
    ['<p>Supported filter keys are A, B (X and Y), and C.</p>', ['A', 'B', 'C']],
  ])('documented keys of %j', (doc, keys) => {
    expect(generator.documentedKeys(doc)).toEqual(keys);
  });

  test.each([
    ['arn:[a-z0-9-\\.]{1,63}:[a-z0-9-\\.]{0,63}:[a-z0-9-\\.]{0,63}:[a-z0-9-\\.]{0,63}:[^/].{0,1023}', 1284],
    ['[a-zA-Z0-9]{1,200}', 200],
    ['[a-zA-Z0-9][a-zA-Z0-9_-]*', undefined],
    ['ab{2}c', 4],
  ])('pattern %s allows at most %s characters', (pattern, max) => {
    expect(patternMaxLength(pattern)).toBe(max);
  });

  test('the text pattern takes the astral planes (\\u10000-\\u10FFFF) and refuses control characters', () => {
    const text = modelPattern(botocore.shapes.RoomName.pattern);
    expect(['Board room', 'Sprée 😀', 'a\tb\nc'].map((s) => text.test(s))).toEqual([true, true, true]);
    expect(['a\u0001', 'a\u007F', '\uFFFE'].map((s) => text.test(s))).toEqual([false, false, false]);
  });
});

describe(`the newer model (${SDK_LABEL}'s)`, () => {
  const members = (m: any, name: string) => Object.fromEntries(Object.entries<any>(m.shapes[name]?.members ?? {}).map(([k, v]) => [k, v.shape]));

  test('is the Smithy excerpt PROVENANCE.md names (sha256), from the repository, path and commit the generator records', () => {
    const provenance = fs.readFileSync(path.join(ROOT, 'lib/local/a4b-model/PROVENANCE.md'), 'utf8');
    const sha = createHash('sha256').update(fs.readFileSync(generator.SMITHY)).digest('hex');
    expect(provenance).toContain(`sha256 of the excerpt: \`${sha}\``);
    const { repo, path: file, commit, sdkVersion } = generator.SDK_SOURCE;
    for (const s of [repo, file, commit, sdkVersion]) expect(provenance).toContain(s);
    expect(fs.readFileSync(generator.OUT, 'utf8')).toContain(commit);
  });

  test('is the model of the SDK this package ships', () => {
    const pkg = JSON.parse(fs.readFileSync(require.resolve('@aws-sdk/client-alexa-for-business/package.json'), 'utf8'));
    expect(pkg.version).toBe(generator.SDK_SOURCE.sdkVersion);
  });

  test('differs from botocore\'s, in what the emulator serves, only by ProactiveJoin', () => {
    const before = generator.subset(botocore).shapes;
    const after = generator.subset(sdk).shapes;
    const added = Object.keys(after).filter((k) => !before[k]).sort();
    const changed = Object.keys(before).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
    expect(added).toEqual(['CreateProactiveJoin', 'ProactiveJoin', 'UpdateProactiveJoin']);
    expect(changed).toEqual(['CreateMeetingRoomConfiguration', 'MeetingRoomConfiguration', 'UpdateMeetingRoomConfiguration']);
    for (const name of changed) {
      expect(members(sdk, name)).toEqual({ ...members(botocore, name), ProactiveJoin: name.replace('MeetingRoomConfiguration', 'ProactiveJoin') });
    }
    expect([sdk.shapes.CreateProactiveJoin.required, sdk.shapes.UpdateProactiveJoin.required, sdk.shapes.ProactiveJoin.required])
      .toEqual([['EnabledByMotion'], ['EnabledByMotion'], undefined]);
    expect(A4B_MODEL).toEqual(generator.subset(sdk));
  });

  test('its Smithy shapes have the members, and the required ones, that the shipped SDK declares', () => {
    const dts = fs.readFileSync(path.join(path.dirname(require.resolve('@aws-sdk/client-alexa-for-business/package.json')), 'dist-types/models/models_0.d.ts'), 'utf8');
    for (const name of Object.keys(generator.smithyShapes(smithy))) {
      const body = new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(dts)?.[1];
      expect({ name, declared: body !== undefined }).toEqual({ name, declared: true });
      // `Member: T | undefined;` is required in the SDK's types, `Member?: T;` optional.
      const declared = Object.fromEntries([...body!.matchAll(/^ {4}(\w+)(\??): /gm)].map((m) => [m[1], m[2] === '' ? 'required' : 'optional']));
      const modelled = Object.fromEntries(Object.keys(sdk.shapes[name].members).map((k) => [k, (sdk.shapes[name].required ?? []).includes(k) ? 'required' : 'optional']));
      expect({ name, members: declared }).toEqual({ name, members: modelled });
    }
  });

  const excerpt = (members: Record<string, unknown>) => ({ shapes: { 'com.amazonaws.alexaforbusiness#RequireCheckIn': { type: 'structure', members } } });
  const target = (shape: string, required = false) => ({ target: `com.amazonaws.alexaforbusiness#${shape}`, ...(required ? { traits: { 'smithy.api#required': {} } } : {}) });
  test.each([
    ['a member retargeted', excerpt({ ReleaseAfterMinutes: target('Boolean'), Enabled: target('Boolean') }), /does not target Minutes/],
    ['a member dropped', excerpt({ Enabled: target('Boolean') }), /does not target Minutes/],
    ['a member made required', excerpt({ ReleaseAfterMinutes: target('Minutes', true), Enabled: target('Boolean') }), /required differs/],
    ['a target neither model has', excerpt({ ReleaseAfterMinutes: target('Minutes'), Enabled: target('Boolean'), X: target('NoSuchShape') }), /NoSuchShape, which neither model has/],
  ])('the overlay is refused for %s', (_what, overlay, error) => {
    expect(() => generator.sdkModel(botocore, overlay)).toThrow(error);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Values derived from the model

type Path = Array<string | number>;
/** Where a valid request needs an existing resource, a placeholder resolved when the case runs. */
const RESOURCE: Record<string, string> = { RoomArn: 'room', ProfileArn: 'profile', SkillGroupArn: 'skillGroup', DeviceArn: 'device', Arn: 'room' };
const placeholder = (kind: string) => `<<${kind}>>`;

const fillers = ['a', 'A', '0'];
let unique = 0;

// ---------------------------------------------------------------------------------------------------------------
// Cases

type Expect = 'ValidationException' | 'SerializationException' | 'accepted';
interface Case { readonly kind: string; readonly op: string; readonly name: string; readonly input: Record<string, unknown>; readonly expect: Expect }

/**
 * Members whose values the emulator checks beyond the model (a filter/sort key must be a documented one, a NextToken
 * must be one it issued): their length bounds are rejected by the model, but a value exactly at a bound is not a
 * key or token A4B would accept either, so no at-bound case for them.
 */
const CHECKED_BEYOND_MODEL = new Set(['FilterKey', 'SortKey', 'NextToken']);

const WRONG_TYPES: Record<string, unknown[]> = {
  string: [7, true, {}, ['x']],
  integer: ['5', 1.5, true, {}],
  boolean: ['true', 1, {}],
  list: [{}, 'x', 5],
  structure: [[], 'x', 5],
};

/** An A4B-shaped ARN of exactly `length` characters (up to the 1,284 the model's pattern allows). */
function arnOfLength(length: number): string {
  const fields = ['aws', 'a4b', 'us-east-1', '123456789012'];
  let tail = 'room/x';
  const size = () => 'arn:'.length + fields.join(':').length + 1 + tail.length;
  while (size() < length) {
    const field = fields.findIndex((f) => f.length < 63);
    if (tail.length < 1024 || field < 0) tail += 'x';
    else fields[field] += 'a';
  }
  return `arn:${fields.join(':')}:${tail}`.slice(0, length);
}


/** Values, cases and answer checks derived from one model (in botocore's form). */
function derivation(model: any) {
  const shapes: Record<string, any> = model.shapes;

  /** A string of `length` characters that the shape's pattern allows. */
  function filler(shapeName: string, length: number): string {
    const s = shapes[shapeName];
    if (shapeName === 'Arn') return arnOfLength(length);
    const pattern = s.pattern ? modelPattern(s.pattern) : undefined;
    for (const c of fillers) {
      const v = c.repeat(length);
      if (!pattern || pattern.test(v)) return v;
    }
    throw new Error(`no filler for ${shapeName}`);
  }


  /** A string the shape's pattern refuses, of a length within its bounds. */
  function patternBreaker(shapeName: string): string {
    const s = shapes[shapeName];
    const pattern = modelPattern(s.pattern);
    const length = Math.max(s.min ?? 0, 2);
    for (const bad of ['\u0001', '#', '-', '!', '\uFFFF']) {
      const v = bad + 'a'.repeat(length - 1);
      if (!pattern.test(v)) return v;
    }
    throw new Error(`no pattern breaker for ${shapeName}`);
  }

  const maxLength = (shapeName: string): number | undefined =>
    shapes[shapeName].max ?? (shapes[shapeName].pattern ? patternMaxLength(shapes[shapeName].pattern) : undefined);
  const documentedKeys = (op: string, member: 'Filters' | 'SortCriteria'): string[] => generator.documentedKeys(shapes[`${op}Request`].members[member].documentation);

  /** A valid value of a shape; `member` names the member it is for (an ARN member names the resource it refers to). */
  function valid(op: string, shapeName: string, member: string, extraRequired: readonly string[] = []): unknown {
    const s = shapes[shapeName];
    switch (s.type) {
      case 'string':
        if (s.enum) return s.enum[0];
        if (shapeName === 'Arn') return placeholder(RESOURCE[member]);
        if (shapeName === 'FilterKey') return documentedKeys(op, 'Filters')[0];
        if (shapeName === 'SortKey') return documentedKeys(op, 'SortCriteria')[0];
        return `v${++unique}`.padEnd(s.min ?? 0, '0');
      // 15 is within each documented meeting-room range (reminder 3-15, instant booking 15-240, release 5-20).
      case 'integer': return s.min ?? 15;
      case 'boolean': return true;
      case 'list': return Array.from({ length: Math.max(s.min ?? 0, 1) }, () => valid(op, s.member.shape, member));
      case 'structure': {
        const required = [...(s.required ?? []), ...extraRequired];
        return Object.fromEntries(Object.entries<any>(s.members).filter(([k]) => required.includes(k)).map(([k, m]) => [k, valid(op, m.shape, k)]));
      }
      default: throw new Error(`no valid value for ${shapeName} (${s.type})`);
    }
  }

  /** A request with only the required members (the model's and the ones the emulator adds). */
  const baseline = (op: string) => valid(op, model.operations[op].input.shape, '', STRICTER_REQUIRED[op] ?? []) as Record<string, unknown>;

  /** `input` with the member at `at` set to `value` (`undefined` removes it); parents made valid where absent. */
  function setAt(op: string, input: Record<string, unknown>, at: Path, shapePath: string[], value: unknown): Record<string, unknown> {
    const root = structuredClone(input);
    let node: any = root;
    for (let i = 0; i < at.length - 1; i++) {
      if (node[at[i]] === undefined) node[at[i]] = valid(op, shapePath[i], String(at[i]));
      node = node[at[i]];
    }
    const last = at[at.length - 1];
    if (value === undefined) delete node[last];
    else node[last] = value;
    return root;
  }

  function casesFor(op: string): Case[] {
    const out: Case[] = [];
    const base = baseline(op);
    const add = (kind: string, name: string, input: Record<string, unknown>, expect: Expect) => out.push({ kind, op, name: `${op} ${name}`, input, expect });
    const visit = (shapeName: string, at: Path, shapePath: string[], extraRequired: readonly string[]) => {
      const s = shapes[shapeName];
      for (const [member, ref] of Object.entries<any>(s.members ?? {})) {
        const p = [...at, member];
        const sp = [...shapePath, ref.shape];
        const label = p.join('.');
        const m = shapes[ref.shape];
        const required = (s.required ?? []).includes(member) || extraRequired.includes(member);
        const set = (v: unknown) => setAt(op, base, p, sp, v);
        if (required) add('required member missing', `without ${label}`, set(undefined), 'ValidationException');
        add('null member (absent)', `${label}: null`, set(null), required ? 'ValidationException' : 'accepted');
        for (const wrong of WRONG_TYPES[m.type] ?? []) add('wrong JSON type', `${label}: ${JSON.stringify(wrong)}`, set(wrong), 'SerializationException');
        if (m.type === 'string') {
          const max = maxLength(ref.shape);
          if (m.min !== undefined && m.min > 0) add('length below min', `${label} of ${m.min - 1} characters`, set(filler(ref.shape, m.min - 1)), 'ValidationException');
          if (max !== undefined) add('length above max', `${label} of ${max + 1} characters`, set(filler(ref.shape, max + 1)), 'ValidationException');
          if (!CHECKED_BEYOND_MODEL.has(ref.shape)) {
            if (m.min !== undefined) add('length at a bound', `${label} of ${m.min} characters`, set(filler(ref.shape, m.min)), 'accepted');
            if (max !== undefined) add('length at a bound', `${label} of ${max} characters`, set(filler(ref.shape, max)), 'accepted');
          }
          if (m.pattern) add('pattern broken', `${label} breaking ${m.pattern.slice(0, 40)}`, set(patternBreaker(ref.shape)), 'ValidationException');
          if (m.enum) {
            add('enum broken', `${label}: not one of ${m.enum.join('|')}`, set(`NOT_${m.enum[0]}`), 'ValidationException');
            add('enum broken', `${label}: ${m.enum[0].toLowerCase()} (enums are case-sensitive)`, set(m.enum[0].toLowerCase()), 'ValidationException');
            for (const e of m.enum) add('enum value accepted', `${label}: ${e}`, set(e), 'accepted');
          }
        }
        if (m.type === 'integer') {
          if (m.min !== undefined) {
            add('range below min', `${label}: ${m.min - 1}`, set(m.min - 1), 'ValidationException');
            add('range at a bound', `${label}: ${m.min}`, set(m.min), 'accepted');
          }
          if (m.max !== undefined) {
            add('range above max', `${label}: ${m.max + 1}`, set(m.max + 1), 'ValidationException');
            add('range at a bound', `${label}: ${m.max}`, set(m.max), 'accepted');
          }
        }
        if (m.type === 'list') {
          const item = () => valid(op, m.member.shape, member);
          if (m.min !== undefined && m.min > 0) add('list length below min', `${label} with ${m.min - 1} items`, set(Array.from({ length: m.min - 1 }, item)), 'ValidationException');
          if (m.max !== undefined) {
            add('list length above max', `${label} with ${m.max + 1} items`, set(Array.from({ length: m.max + 1 }, item)), 'ValidationException');
            add('list length at a bound', `${label} with ${m.max} items`, set(Array.from({ length: m.max }, item)), 'accepted');
          }
          const memberShape = shapes[m.member.shape];
          if (memberShape.type === 'structure') visit(m.member.shape, [...p, 0], [...sp, m.member.shape], []);
          else if (memberShape.type === 'string' || memberShape.type === 'integer') {
            for (const wrong of WRONG_TYPES[memberShape.type]) add('wrong JSON type', `${label}.0: ${JSON.stringify(wrong)}`, set([wrong]), 'SerializationException');
          }
        }
        if (m.type === 'structure') visit(ref.shape, p, sp, []);
      }
    };
    visit(model.operations[op].input.shape, [], [], STRICTER_REQUIRED[op] ?? []);
    add('unknown member ignored', 'with an unmodelled member', { ...base, NotInTheModel: 'x' }, 'accepted');
    for (const body of ['null', '[]', '"x"', '5']) add('body not a JSON object', `body ${body}`, { __rawBody: body }, 'SerializationException');
    if (shapes[model.operations[op].input.shape].members.Filters) {
      for (const key of documentedKeys(op, 'Filters')) add('documented filter key accepted', `filter ${key}`, { Filters: [{ Key: key, Values: ['x'] }] }, 'accepted');
      for (const key of documentedKeys(op, 'SortCriteria')) add('documented sort key accepted', `sort ${key}`, { SortCriteria: [{ Key: key, Value: 'DESC' }] }, 'accepted');
      add('undocumented key rejected', 'filter NotAKey', { Filters: [{ Key: 'NotAKey', Values: ['x'] }] }, 'ValidationException');
      add('undocumented key rejected', 'sort NotAKey', { SortCriteria: [{ Key: 'NotAKey', Value: 'ASC' }] }, 'ValidationException');
    }
    return out;
  }


  /** Problems with `value` as an instance of the modelled shape: unmodelled members, wrong types, broken constraints. */
  function conformance(shapeName: string, value: unknown, at: string, out: string[]): string[] {
    const s = shapes[shapeName];
    const wrong = (what: string) => out.push(`${at}: ${JSON.stringify(value)?.slice(0, 80)} ${what}`);
    switch (s.type) {
      case 'structure':
        if (!value || typeof value !== 'object' || Array.isArray(value)) return wrong(`is not a ${shapeName} structure`), out;
        for (const [k, v] of Object.entries(value)) {
          if (!s.members[k]) out.push(`${at}.${k} is not a member of ${shapeName}`);
          else conformance(s.members[k].shape, v, `${at}.${k}`, out);
        }
        return out;
      case 'list':
        if (!Array.isArray(value)) return wrong('is not a list'), out;
        value.forEach((v, i) => conformance(s.member.shape, v, `${at}[${i}]`, out));
        return out;
      case 'string': {
        if (typeof value !== 'string') return wrong(`is not a string (${shapeName})`), out;
        const max = maxLength(shapeName);
        if ((s.min !== undefined && value.length < s.min) || (max !== undefined && value.length > max)) wrong(`breaks the length of ${shapeName}`);
        if (s.pattern && !modelPattern(s.pattern).test(value)) wrong(`breaks the pattern of ${shapeName}`);
        if (s.enum && !s.enum.includes(value)) wrong(`is not one of ${shapeName}`);
        return out;
      }
      case 'integer':
        if (!Number.isInteger(value)) wrong('is not an integer');
        else if ((s.min !== undefined && (value as number) < s.min) || (s.max !== undefined && (value as number) > s.max)) wrong(`is out of the range of ${shapeName}`);
        return out;
      case 'boolean':
        if (typeof value !== 'boolean') wrong('is not a boolean');
        return out;
      case 'timestamp':
        if (typeof value !== 'number') wrong('is not an epoch-seconds timestamp');
        return out;
      default:
        return wrong(`has unexpected model type ${s.type}`), out;
    }
  }

  return { shapes, baseline, conformance, maxLength, cases: SERVED.flatMap(casesFor) };
}

// ---------------------------------------------------------------------------------------------------------------
// The wire

/** One raw AWS JSON 1.1 request: POST /, X-Amz-Target, the JSON 1.1 content type; the status and parsed body back. */
function post(endpoint: string, op: string, body: string): Promise<{ status: number; type?: string; json: any }> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname, port: url.port, method: 'POST', path: '/',
      headers: { 'x-amz-target': `AlexaForBusiness.${op}`, 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const json = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        resolve({ status: res.statusCode!, type: json.__type, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An emulator for the enclosing describe, with a profile, a room, a skill group and a device for cases to name. */
function world() {
  let emulator: A4bEmulator;
  const resources: Record<string, string> = {};

  beforeAll(async () => {
    // Room for every accepted CreateProfile case (A4B's quota is 100 profiles).
    emulator = await A4bEmulator.start({ quotas: { ROOM_PROFILES: 1_000 } });
    resources.profile = emulator.call('CreateProfile', {
      ProfileName: 'Model profile', Timezone: 'Europe/Berlin', Address: 'Invalidenstr. 1', DistanceUnit: 'METRIC', TemperatureUnit: 'CELSIUS', WakeWord: 'ALEXA',
    }).ProfileArn;
    resources.room = emulator.call('CreateRoom', { RoomName: 'Model room', ProfileArn: resources.profile }).RoomArn;
    resources.skillGroup = emulator.call('CreateSkillGroup', { SkillGroupName: 'Model group' }).SkillGroupArn;
    resources.device = emulator.registerDevice('Model echo', 'G0911W0000000001');
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  /** A resource of `kind` for one case: a Delete gets its own, so that deleting it leaves the others to later cases. */
  function resource(op: string, kind: string): string {
    if (!op.startsWith('Delete')) return resources[kind];
    const name = `Doomed ${++unique}`;
    if (kind === 'room') return emulator.call('CreateRoom', { RoomName: name, ProfileArn: resources.profile }).RoomArn;
    if (kind === 'skillGroup') return emulator.call('CreateSkillGroup', { SkillGroupName: name }).SkillGroupArn;
    return emulator.call('CreateProfile', { ProfileName: name, Timezone: 'UTC', Address: 'x', DistanceUnit: 'METRIC', TemperatureUnit: 'CELSIUS', WakeWord: 'ALEXA' }).ProfileArn;
  }

  function resolvePlaceholders(op: string, value: unknown): unknown {
    if (typeof value === 'string') {
      const m = /^<<(\w+)>>$/.exec(value);
      return m ? resource(op, m[1]) : value;
    }
    if (Array.isArray(value)) return value.map((v) => resolvePlaceholders(op, v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePlaceholders(op, v)]));
    return value;
  }

  const postTo = (op: string, body: string) => post(emulator.endpoint, op, body);
  return {
    resources,
    post: postTo,
    send(c: Case) {
      const raw = (c.input as { __rawBody?: string }).__rawBody;
      return postTo(c.op, raw ?? JSON.stringify(resolvePlaceholders(c.op, c.input)));
    },
  };
}

/** Errors an operation raises on the state, not on the request's shape (ARNs at a bound name nothing; names at a bound may be taken). */
const STATE_ERRORS = /^(NotFoundException|AlreadyExistsException|NameInUseException|DeviceNotRegisteredException)$/;

describe.each(MODELS)('cases derived from %s', (_label, model) => {
  const d = derivation(model);
  const w = world();

  describe.each(SERVED)('%s against the model', (op) => {
    const cases = d.cases.filter((c) => c.op === op);

    test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const answer = await w.send(c);
      if (c.expect === 'accepted') {
        // Accepted by validation: a 200, or an error the operation raises on state (a resource not found, a name in use).
        if (answer.status !== 200) {
          expect({ status: answer.status, type: answer.type }).toEqual({ status: 400, type: expect.stringMatching(STATE_ERRORS) });
        }
        if (answer.status === 200) expect(d.conformance(model.operations[op].output.shape, answer.json, op, [])).toEqual([]);
      } else {
        expect({ status: answer.status, type: answer.type }).toEqual({ status: 400, type: c.expect });
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Answers

describe(`answers hold only modelled members of the modelled types (${SDK_LABEL}'s model, the emulator's)`, () => {
  const d = derivation(sdk);
  const w = world();
  const { resources } = w;
  const post = w.post;
  /** Every modelled member of an input set (where the emulator can take it), plus unmodelled ones at each level. */
  const full = (op: string, extra: Record<string, unknown>) => ({ ...d.baseline(op), ...extra, Unmodelled: 'x' });

  test('every operation, with every member set and unmodelled members added', async () => {
    const meeting = {
      RoomUtilizationMetricsEnabled: true, Unmodelled: { deep: 1 },
      EndOfMeetingReminder: { ReminderAtMinutes: [5], ReminderType: 'CHIME', Enabled: true, Unmodelled: 1 },
      InstantBooking: { DurationInMinutes: 30, Enabled: true }, RequireCheckIn: { ReleaseAfterMinutes: 10, Enabled: false },
      ProactiveJoin: { EnabledByMotion: true },
    };
    const profileFields = { Locale: 'de-DE', SetupModeDisabled: false, MaxVolumeLimit: 7, PSTNEnabled: true, DataRetentionOptIn: false, AddressBookArn: 'arn:aws:a4b:us-east-1:123456789012:address-book/x' };
    const created = await post('CreateProfile', JSON.stringify(full('CreateProfile', { ...profileFields, MeetingRoomConfiguration: meeting, Tags: [{ Key: 'team', Value: 'fm' }] })));
    expect(created.status).toBe(200);
    const profileArn = created.json.ProfileArn;
    const room = await post('CreateRoom', JSON.stringify(full('CreateRoom', { ProfileArn: profileArn, Description: 'd', ProviderCalendarId: 'r@contoso.com', ClientRequestToken: 'token-0000001' })));
    expect(room.status).toBe(200);
    await post('AssociateDeviceWithRoom', JSON.stringify({ DeviceArn: resources.device, RoomArn: room.json.RoomArn }));
    await post('TagResource', JSON.stringify({ Arn: room.json.RoomArn, Tags: [{ Key: 'floor', Value: '2' }] }));

    const requests: Array<[string, Record<string, unknown>]> = [
      ['GetProfile', { ProfileArn: profileArn }],
      ['UpdateProfile', { ProfileArn: profileArn, ...profileFields, MeetingRoomConfiguration: { ...meeting, InstantBooking: { Enabled: false, Unmodelled: 2 } }, Unmodelled: 'y' }],
      ['GetProfile', { ProfileArn: profileArn }],
      ['GetRoom', { RoomArn: room.json.RoomArn }],
      ['GetSkillGroup', { SkillGroupArn: resources.skillGroup }],
      ['SearchRooms', {}], ['SearchProfiles', {}], ['SearchSkillGroups', {}], ['SearchDevices', {}],
      ['SearchRooms', { MaxResults: 1 }], ['ListTags', { Arn: room.json.RoomArn }],
    ];
    const problems: string[] = [];
    for (const [op, input] of requests) {
      const answer = await post(op, JSON.stringify(input));
      expect({ op, status: answer.status }).toEqual({ op, status: 200 });
      d.conformance(sdk.operations[op].output.shape, answer.json, op, problems);
      if (op === 'GetProfile') {
        // What was stored is what was modelled and sent, nothing else (no Unmodelled, no AddressBookArn set by a Create).
        expect(answer.json.Profile.MeetingRoomConfiguration.EndOfMeetingReminder).toEqual({ ReminderAtMinutes: [5], ReminderType: 'CHIME', Enabled: true });
        expect(answer.json.Profile.MeetingRoomConfiguration.ProactiveJoin).toEqual({ EnabledByMotion: true });
        expect(answer.json.Profile.Locale).toBe('de-DE');
        expect([answer.json.Profile.AddressBookArn, answer.json.Profile.Unmodelled]).toEqual([undefined, undefined]);
      }
      if (op.startsWith('Search')) expect(Object.values(answer.json).some((v) => Array.isArray(v) && v.length > 0)).toBe(true);
    }
    expect(problems).toEqual([]);
  });

  test('SearchDevices filters on each documented key the way the device is', async () => {
    const search = async (Key: string, Values: string[]) => (await post('SearchDevices', JSON.stringify({ Filters: [{ Key, Values }] }))).json.TotalCount;
    expect(await search('DeviceStatus', ['READY'])).toBeGreaterThan(0);
    expect(await search('DeviceStatus', ['FAILED'])).toBe(0);
    expect(await search('ConnectionStatus', ['ONLINE'])).toBeGreaterThan(0);
    expect(await search('ConnectionStatus', ['OFFLINE'])).toBe(0);
    expect(await search('DeviceSerialNumber', ['G0911W0000000001'])).toBe(1);
    expect(await search('FailureCode', ['UNKNOWN_FAILURE'])).toBe(0);
  });

  test('ProactiveJoin is validated, stored, merged by UpdateProfile and returned by GetProfile', async () => {
    const base = { ProfileName: 'Motion', Timezone: 'UTC', Address: 'x', DistanceUnit: 'METRIC', TemperatureUnit: 'CELSIUS', WakeWord: 'ALEXA' };
    const create = (ProactiveJoin: unknown) => post('CreateProfile', JSON.stringify({ ...base, MeetingRoomConfiguration: { ProactiveJoin } }));
    expect((await create({})).json).toEqual({
      __type: 'ValidationException',
      message: "1 validation error detected: Value null at 'meetingRoomConfiguration.proactiveJoin.enabledByMotion' failed to satisfy constraint: Member must not be null",
    });
    expect((await create({ EnabledByMotion: 'true' })).json).toEqual({
      __type: 'SerializationException', message: "Unexpected VALUE_STRING at 'meetingRoomConfiguration.proactiveJoin.enabledByMotion': expected Boolean",
    });
    const created = await post('CreateProfile', JSON.stringify({ ...base, MeetingRoomConfiguration: { ProactiveJoin: { EnabledByMotion: true }, RequireCheckIn: { ReleaseAfterMinutes: 10, Enabled: true } } }));
    const ProfileArn = created.json.ProfileArn;
    const meeting = async () => (await post('GetProfile', JSON.stringify({ ProfileArn }))).json.Profile.MeetingRoomConfiguration;
    expect(await meeting()).toEqual({ ProactiveJoin: { EnabledByMotion: true }, RequireCheckIn: { ReleaseAfterMinutes: 10, Enabled: true } });
    expect((await post('UpdateProfile', JSON.stringify({ ProfileArn, MeetingRoomConfiguration: { ProactiveJoin: {} } }))).type).toBe('ValidationException');
    expect((await post('UpdateProfile', JSON.stringify({ ProfileArn, MeetingRoomConfiguration: { ProactiveJoin: { EnabledByMotion: false } } }))).status).toBe(200);
    expect(await meeting()).toEqual({ ProactiveJoin: { EnabledByMotion: false }, RequireCheckIn: { ReleaseAfterMinutes: 10, Enabled: true } });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// lib/constraints/ against the model

/** A pattern's text without the anchors and wrapping group the model or a regex literal adds. */
const core = (source: string) => {
  let s = source;
  for (;;) {
    const next = s.replace(/^\^\(\?:(.*)\)\$$/s, '$1').replace(/^\^(.*)\$$/s, '$1').replace(/^\((?!\?)(.*)\)$/s, '$1');
    if (next === s) return s;
    s = next;
  }
};
const PROBES = ['', 'a', 'Board room', 'a\u0001', '#', '-a', 'a b', 'Sprée 😀', 'team:fm/x=y+z@q', 'arn:aws:a4b:us-east-1:123456789012:room/x', 'arn:aws:a4b::1:/x', '0abcdefghij', '_abcdefghij'];

describe.each(MODELS)('lib/constraints agrees with the model of %s', (_label, model) => {
  const { shapes, maxLength } = derivation(model);
  test.each(Object.entries(StringRules))('StringRules.%s: lengths and pattern', (name, rule) => {
    const s = shapes[name];
    expect(s?.type).toBe('string');
    expect(rule.min).toBe(s.min ?? (name === 'Arn' ? 1 : 0));
    expect(rule.max).toBe(maxLength(name));
    if (s.pattern) {
      expect(rule.pattern).toBeDefined();
      expect(core(rule.pattern!.source)).toBe(core(modelPattern(s.pattern).source));
      expect(PROBES.map((p) => rule.pattern!.test(p))).toEqual(PROBES.map((p) => modelPattern(s.pattern).test(p)));
    } else {
      expect(rule.pattern).toBeUndefined();
    }
  });

  test.each(Object.entries(EnumValues))('EnumValues.%s', (name, values) => {
    expect([...values]).toEqual(shapes[name].enum);
  });

  test('IntegerRules: MaxResults is the model\'s; the others are documented ranges the model leaves open', () => {
    expect(IntegerRules.MaxResults).toEqual({ min: shapes.MaxResults.min, max: shapes.MaxResults.max });
    expect([shapes.Minutes, shapes.MaxVolumeLimit].map((s) => [s.type, s.min, s.max])).toEqual([['integer', undefined, undefined], ['integer', undefined, undefined]]);
  });

  test('the emulator requires no member the model does not, beyond its declared list (each a modelled member)', () => {
    for (const [op, members] of Object.entries(STRICTER_REQUIRED)) {
      const input = shapes[model.operations[op].input.shape];
      for (const m of members) {
        expect({ op, m, modelled: Boolean(input.members[m]), alreadyRequired: (input.required ?? []).includes(m) })
          .toEqual({ op, m, modelled: true, alreadyRequired: false });
      }
    }
  });
});

/** Counts of derived cases per kind (the report quotes them). */
test.each(MODELS)('the cases derived from %s cover every kind for the served operations', (label, model) => {
  const CASES = derivation(model).cases;
  const counts: Record<string, number> = {};
  for (const c of CASES) counts[c.kind] = (counts[c.kind] ?? 0) + 1;
  if (process.env.A4B_MODEL_CASE_COUNTS) console.log(JSON.stringify({ model: label, total: CASES.length, ...counts }, null, 1));
  for (const kind of ['required member missing', 'length below min', 'length above max', 'length at a bound', 'pattern broken', 'enum broken', 'wrong JSON type',
    'range below min', 'range above max', 'range at a bound', 'list length above max', 'documented filter key accepted', 'documented sort key accepted', 'body not a JSON object']) {
    expect({ kind, some: (counts[kind] ?? 0) > 0 }).toEqual({ kind, some: true });
  }
  expect(new Set(CASES.map((c) => c.op))).toEqual(new Set(SERVED));
  // ProactiveJoin's cases come from the newer model only.
  const proactive = CASES.filter((c) => /ProactiveJoin/.test(c.name)).map((c) => c.op);
  expect(new Set(proactive)).toEqual(model === sdk ? new Set(['CreateProfile', 'UpdateProfile']) : new Set());
});
