// The pure parts of "every problem in one deploy": a check's findings summary (its Data), the gate's message, and
// the gate's decision; then the bundled handler's gate answering CloudFormation-shaped events.
import * as path from 'path';
import { truncateReason } from '../../lib/handlers/cfn';
import { RoomProblem } from '../../lib/o365/link-checks';
import { FindingsSummary, GATE_MESSAGE_MAX_BYTES, gateMessage, parseSummary, RoomFindingsError, SUMMARY_MAX_BYTES, summarizeFindings } from '../../lib/runtime/graph/findings';
import { gateDecision, gatePhysicalId, recordFindings } from '../../lib/handlers/calendar-link/gate';
import { ResourceError } from '../../lib/handlers/cfn';
import { CALENDAR_LINK_BUNDLE, LocalLambda } from '../../lib/local/local-lambda';
import { tempDir } from '../helpers';

const KINDS = [
  { problem: 'there is no mailbox with this address in tenant contoso.onmicrosoft.com', fix: 'create the room mailbox (New-Mailbox -Room), or correct the address' },
  { problem: 'this is a user mailbox, not a room mailbox (or a room hidden from the address list)', fix: 'use the room\'s resource mailbox' },
  { problem: 'the service account a4b@contoso.onmicrosoft.com has no permission on the room\'s calendar, and A4B needs Editor', fix: 'Add-MailboxFolderPermission ...' },
];
const problem = (i: number, kind = KINDS[i % 3]): RoomProblem => ({ room: { name: `Meeting room number ${String(i).padStart(5, '0')} (floor ${i % 40})`, mailbox: `meeting-room-${i}@contoso.onmicrosoft.com` }, ...kind });
const bytes = (s: string) => Buffer.byteLength(s);

// A CloudFormation response as cfnHandler sends it, with ids as long as AWS makes them.
const responseBytes = (body: Record<string, unknown>) => bytes(JSON.stringify({
  StackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${'A4BRooms-InventoryMailboxChecksNestedStackMailboxChecksNestedStackResource'.slice(0, 128)}/0f9e8d7c-6b5a-4f3e-9d2c-1b0a9f8e7d6c`,
  RequestId: '0f9e8d7c-6b5a-4f3e-9d2c-1b0a9f8e7d6c',
  LogicalResourceId: 'InventoryMailboxChecksShard31CalendarLinkValidationABCDEF12',
  ...body,
}));

describe('findings summary (a check\'s Data)', () => {
  test('a full shard of bad rooms fits the response, every kind counted and shown', () => {
    const problems = Array.from({ length: 313 }, (_, i) => problem(i));
    const text = summarizeFindings(problems, 313, 'CloudWatch Logs /aws/lambda/A4BRooms-InventoryCalendarLinkHandler-AbCdEf123456');
    expect(bytes(text)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(responseBytes({ Status: 'SUCCESS', PhysicalResourceId: 'calendar-link-InventoryMailboxChecksShard31CalendarLinkValidationABCDEF12', Data: { RoomsValidated: '313', PermissionsGranted: '0', Findings: text } }))
      .toBeLessThanOrEqual(4096);
    const s = parseSummary(text);
    expect(s.bad).toBe(313);
    expect(s.kinds.map((k) => k.n).sort()).toEqual([104, 104, 105]);
    for (const k of s.kinds) expect(k.r.length).toBeGreaterThan(0);
  });

  test('a rare kind is shown next to a common one; few rooms are all shown; none is clean', () => {
    const problems = [...Array.from({ length: 200 }, (_, i) => problem(i, KINDS[0])), problem(999, KINDS[2])];
    const s = parseSummary(summarizeFindings(problems, 250));
    expect(s.kinds.map((k) => [k.p, k.n])).toEqual([[KINDS[0].problem, 200], [KINDS[2].problem, 1]]);
    expect(s.kinds[1].r).toEqual([`${problem(999).room.name} <${problem(999).room.mailbox}>`]);
    const few = parseSummary(summarizeFindings([problem(1), problem(2)], 2));
    expect(few.kinds.flatMap((k) => k.r)).toHaveLength(2);
    expect(parseSummary(summarizeFindings([], 12))).toEqual({ v: 1, checked: 12, bad: 0, kinds: [] });
  });

  test('a summary that cannot be read counts as a bad room, never as clean', () => {
    for (const text of ['', 'not json', '{"v":2}', undefined]) expect(parseSummary(text).bad).toBe(1);
  });
});

describe('record mode', () => {
  const rooms = [problem(1).room, problem(2).room, problem(3).room];
  test('room problems become Data naming the Lambda log group; any other error still fails', async () => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const data = await recordFindings(rooms, () => Promise.reject(new RoomFindingsError('2 rooms', [problem(1), problem(2)])), { AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/Link' });
    expect(data).toMatchObject({ RoomsValidated: '3', PermissionsGranted: '0' });
    expect(parseSummary(data.Findings)).toMatchObject({ checked: 3, bad: 2, log: 'CloudWatch Logs /aws/lambda/Link' });
    const clean = await recordFindings(rooms, () => Promise.resolve({ checked: 3, granted: ['granted x'] }), {});
    expect(clean).toEqual({ RoomsValidated: '3', PermissionsGranted: '1', Findings: JSON.stringify({ v: 1, checked: 3, bad: 0, kinds: [] }) });
    await expect(recordFindings(rooms, () => Promise.reject(new ResourceError('the Graph app lacks application permissions')), {})).rejects.toThrow('lacks application permissions');
    jest.restoreAllMocks();
  });
});

describe('gate message', () => {
  const header = 'calendar link (tenant contoso.onmicrosoft.com, delegate a4b@contoso.onmicrosoft.com)';
  const shards = (perShard: (shard: number) => RoomProblem[], n = 32) => Array.from({ length: n }, (_, i) => {
    const problems = perShard(i);
    return { name: `Shard${String(i).padStart(2, '0')}`, summary: parseSummary(summarizeFindings(problems, problems.length || 313, 'CloudWatch Logs /aws/lambda/A4BRooms-InventoryCalendarLinkHandler-AbCdEf123456')) };
  });

  test('10,000 bad rooms in 32 shards: within 4 KB, every kind with its count, the first rooms, where the full list is', () => {
    let next = 0;
    const checks = shards((s) => Array.from({ length: s < 16 ? 313 : 312 }, () => problem(next++)));
    expect(next).toBe(10_000);
    const text = gateMessage({ header, checks })!;
    expect(bytes(text)).toBeLessThanOrEqual(GATE_MESSAGE_MAX_BYTES);
    expect(truncateReason(text)).toBe(text); // nothing cut
    expect(responseBytes({ Status: 'FAILED', Reason: truncateReason(text), PhysicalResourceId: gatePhysicalId('x'.repeat(43)) })).toBeLessThanOrEqual(4096);
    expect(text).toContain(`${header}: 10000 of 10000 rooms failed the Office 365 checks (32 of 32 checks: Shard00, Shard01,`);
    expect(text).toContain('nothing was written to A4B');
    for (const k of KINDS) expect(text).toMatch(new RegExp(`\\n- 333[34] rooms: ${k.problem.replace(/[()]/g, '\\$&')}: Meeting room number \\d+ .*, … \\d+ more\\. Fix \\(first room\\): `));
    expect(text).toContain('(CloudWatch Logs /aws/lambda/A4BRooms-InventoryCalendarLinkHandler-AbCdEf123456), lines with "finding"');
    expect(text).toContain('npx a4b-rooms check <inventory file>');
  });

  test('10,000 kinds (every problem worded differently): still within 4 KB, the rest counted', () => {
    let next = 0;
    const checks = shards(() => Array.from({ length: 313 }, () => {
      const i = next++;
      return problem(i, { problem: `Graph denied access (ErrorAccessDenied: mailbox ${i} is outside the scope ${'x'.repeat(i % 50)})`, fix: 'add it to the scope' });
    }));
    const text = gateMessage({ header, checks })!;
    expect(bytes(text)).toBeLessThanOrEqual(GATE_MESSAGE_MAX_BYTES);
    expect(text).toMatch(/\n- … \d+ more kinds of problem \(\d+ rooms\)/);
    expect(text).toMatch(/\n- … \d+ more rooms whose kind of problem did not fit in its check's summary/);
    expect(text).toContain(`: ${next} of ${next} rooms failed`);
  });

  test('only the shards with bad rooms are named; no bad room, no message', () => {
    const checks = shards((s) => (s === 3 || s === 17 ? [problem(s)] : []));
    const text = gateMessage({ header, checks })!;
    expect(text).toContain('2 of 9392 rooms failed the Office 365 checks (2 of 32 checks: Shard03, Shard17)');
    expect(text).toContain(`- 1 room: ${KINDS[0].problem}: ${problem(3).room.name} <${problem(3).room.mailbox}>. Fix (first room): ${KINDS[0].fix}`);
    expect(gateMessage({ header, checks: shards(() => []) })).toBeUndefined();
  });
});

describe('gate decision', () => {
  const h = 'a'.repeat(43);
  test.each([
    ['Create', undefined, false, 'pass'],
    ['Create', undefined, true, 'fail'],
    // A deploy that changed what the checks check, with bad rooms: fail, keeping the accepted physical id.
    ['Update', gatePhysicalId('b'.repeat(43)), true, 'fail'],
    // The rollback to the checks the gate last let through: never fail a rollback.
    ['Update', gatePhysicalId(h), true, 'pass-rollback'],
    ['Update', gatePhysicalId(h), false, 'pass'],
    ['Update', gatePhysicalId('b'.repeat(43)), false, 'pass'],
  ] as const)('%s on %s, bad rooms %p: %s', (type, physicalId, anyBad, expected) => {
    expect(gateDecision(type, physicalId, h, anyBad)).toBe(expected);
  });
});

describe('the bundled gate', () => {
  let lambda: LocalLambda;
  beforeAll(async () => {
    lambda = await LocalLambda.start(CALENDAR_LINK_BUNDLE, { log: require('fs').createWriteStream(path.join(tempDir(), 'gate.log')) });
  });
  afterAll(() => lambda.stop());

  const bad: FindingsSummary = parseSummary(summarizeFindings([problem(1), problem(2)], 20));
  const clean = summarizeFindings([], 20);
  const event = (type: string, checked: string, findings: string[], physicalId?: string) => lambda.invoke({
    RequestType: type, RequestId: `${Math.random()}`, StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/1', LogicalResourceId: 'Gate', ResourceType: 'Custom::A4BMailboxCheckGate',
    ...(physicalId ? { PhysicalResourceId: physicalId } : {}),
    // As CloudFormation passes them: strings.
    ResourceProperties: { ServiceToken: 'arn', Header: 'calendar link (tenant t)', Checked: checked, Checks: findings.map((f, i) => ({ Name: `Shard0${i}`, Findings: f })) },
  });

  test('passes clean checks under the hash it let through; fails with every bad room; passes the rollback to what it accepted', async () => {
    const h1 = 'h1'.repeat(20);
    const h2 = 'h2'.repeat(20);
    const created = await event('Create', h1, [clean, clean]);
    expect(created).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: gatePhysicalId(h1), Data: { BadRooms: '0' } });
    const failed = await event('Update', h2, [clean, JSON.stringify(bad)], created.PhysicalResourceId);
    expect(failed.Status).toBe('FAILED');
    expect(failed.PhysicalResourceId).toBe(gatePhysicalId(h1));
    expect(failed.Reason).toContain('2 of 40 rooms failed the Office 365 checks (1 of 2 checks: Shard01)');
    for (const p of [problem(1), problem(2)]) expect(failed.Reason).toContain(p.room.mailbox);
    // CloudFormation's rollback: the old properties (its checks re-checked, now with findings) on the accepted id.
    const rollback = await event('Update', h1, [JSON.stringify(bad), clean], gatePhysicalId(h1));
    expect(rollback).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: gatePhysicalId(h1), Data: { BadRooms: '2' } });
    const unreadable = await event('Create', h1, ['']);
    expect(unreadable.Status).toBe('FAILED');
    expect(unreadable.Reason).toContain("the check's findings could not be read");
    expect((await event('Delete', h1, [JSON.stringify(bad)], gatePhysicalId(h1))).Status).toBe('SUCCESS');
  });
});
