// Every problem in one deploy: an inventory's mailbox checks (one per shard, side by side) record the bad rooms they
// find instead of failing, and one gate after them fails with all of them. Pure: the error that carries a check's
// room problems, the compact summary a check returns in its Data (CloudFormation's response is at most 4 KB), and
// the gate's message (at most 3,000 bytes, what truncateReason keeps) built from every check's summary.
import { ResourceError } from '../request';
import { RoomProblem } from '../../o365/link-checks';

/** What validateLink throws when rooms are bad (as opposed to credential, permission or service-account errors). */
export class RoomFindingsError extends ResourceError {
  constructor(message: string, readonly problems: readonly RoomProblem[]) {
    super(message);
  }
}

/** A check's findings as its Data carries them (`Findings`): compact JSON, version 1. */
export interface FindingsSummary {
  readonly v: 1;
  /** Rooms checked. */
  readonly checked: number;
  /** Rooms with a problem. */
  readonly bad: number;
  /** Per kind of problem: `p` the problem, `n` how many rooms, `r` the first rooms (`Name <mailbox>`), `f` the first room's fix. */
  readonly kinds: ReadonlyArray<{ readonly p: string; readonly n: number; readonly r: string[]; readonly f?: string }>;
  /** Where the check's full list is (`CloudWatch Logs <the function's log group>`, or a local log file), when known. */
  readonly log?: string;
}

/** A check's summary stays below this, leaving the rest of CloudFormation's 4,096-byte response to its ids. */
export const SUMMARY_MAX_BYTES = 2400;
/** The gate's message: truncateReason keeps 3,000 bytes; this leaves room for nothing to be cut. */
export const GATE_MESSAGE_MAX_BYTES = 2900;
const PROBLEM_CHARS = 160;
const FIX_CHARS = 200;

/**
 * The kind a problem is counted under: its wording. The checks word one kind of problem the same way for every room
 * (the room and its mailbox are outside the text); their coarse `kind` (permission, not-a-room, ...) would put
 * different problems, with different fixes, under one heading.
 */
export function kindOf(problem: RoomProblem): string {
  return clip(problem.problem, PROBLEM_CHARS);
}

function clip(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, chars - 1)}…`;
}

const roomLabel = (p: RoomProblem) => `${p.room.name} <${p.room.mailbox}>`;

/** Groups problems by kind, most rooms first (ties: first seen), keeping every room in order. */
function groupByKind(problems: readonly RoomProblem[]): Array<{ p: string; rooms: string[]; f: string }> {
  const kinds = new Map<string, { p: string; rooms: string[]; f: string }>();
  for (const problem of problems) {
    const p = kindOf(problem);
    const kind = kinds.get(p) ?? kinds.set(p, { p, rooms: [], f: clip(problem.fix, FIX_CHARS) }).get(p)!;
    kind.rooms.push(roomLabel(problem));
  }
  return [...kinds.values()].sort((a, b) => b.rooms.length - a.rooms.length);
}

/**
 * The summary a check returns: counts per kind and as many rooms of each kind as fit in `maxBytes` (taken in turn
 * from each kind, so a rare kind is not crowded out by a common one). Kinds that do not fit at all are dropped from
 * the list but still counted in `bad`.
 */
export function summarizeFindings(problems: readonly RoomProblem[], checked: number, log?: string, maxBytes = SUMMARY_MAX_BYTES): string {
  const groups = groupByKind(problems);
  const summary: FindingsSummary = { v: 1, checked, bad: problems.length, kinds: [], ...(log ? { log } : {}) };
  const kinds = summary.kinds as Array<{ p: string; n: number; r: string[]; f?: string }>;
  let size = Buffer.byteLength(JSON.stringify(summary));
  for (const g of groups) {
    const kind = { p: g.p, n: g.rooms.length, r: [] as string[], f: g.f };
    const cost = Buffer.byteLength(JSON.stringify(kind)) + 1;
    if (size + cost > maxBytes) break;
    kinds.push(kind);
    size += cost;
  }
  const roomCost = (room: unknown) => Buffer.byteLength(JSON.stringify(room)) + 1;
  size = fillRooms(kinds.map((k, i) => ({ shown: k.r, from: groups[i].rooms })), size, maxBytes, roomCost);
  return JSON.stringify(summary);
}

/** Adds rooms to each list in turn while the total stays within `max`; returns the new size. */
function fillRooms(lists: Array<{ shown: string[]; from: readonly string[] }>, size: number, max: number, cost: (room: string) => number): number {
  let added = true;
  while (added) {
    added = false;
    for (const l of lists) {
      const next = l.from[l.shown.length];
      if (next === undefined) continue;
      const c = cost(next);
      if (size + c > max) continue;
      l.shown.push(next);
      size += c;
      added = true;
    }
  }
  return size;
}

/** A summary as the gate reads it; anything unreadable counts as a problem of the check itself, never as clean. */
export function parseSummary(text: unknown): FindingsSummary {
  try {
    const s = JSON.parse(String(text));
    if (s && s.v === 1 && Number.isInteger(s.checked) && Number.isInteger(s.bad) && Array.isArray(s.kinds)) return s;
  } catch {
    // fall through
  }
  return { v: 1, checked: 0, bad: 1, kinds: [{ p: `the check's findings could not be read (${clip(String(text), 60)})`, n: 1, r: [], f: 'deploy again; if it persists, report it' }] };
}

export interface GateInput {
  /** How the message names what was checked, e.g. `calendar link (tenant contoso.com, delegate sa@contoso.com)`. */
  readonly header: string;
  /** Each check by name (its shard) with its summary. */
  readonly checks: ReadonlyArray<{ readonly name: string; readonly summary: FindingsSummary }>;
}

/** Every check's rooms and bad rooms added up; undefined when no room is bad. */
export function gateMessage(input: GateInput, maxBytes = GATE_MESSAGE_MAX_BYTES): string | undefined {
  const bad = input.checks.filter((c) => c.summary.bad > 0);
  if (!bad.length) return undefined;
  const total = bad.reduce((n, c) => n + c.summary.bad, 0);
  const checked = input.checks.reduce((n, c) => n + c.summary.checked, 0);
  const kinds = new Map<string, { p: string; n: number; rooms: string[]; f?: string }>();
  for (const c of bad) {
    for (const k of c.summary.kinds) {
      const kind = kinds.get(k.p) ?? kinds.set(k.p, { p: k.p, n: 0, rooms: [], f: k.f }).get(k.p)!;
      kind.n += k.n;
      kind.rooms.push(...k.r);
    }
  }
  const listed = [...kinds.values()].sort((a, b) => b.n - a.n);
  const unlisted = total - listed.reduce((n, k) => n + k.n, 0);
  const names = bad.map((c) => c.name);
  const where = names.length > 12 ? `${names.slice(0, 12).join(', ')} and ${names.length - 12} more` : names.join(', ');
  const logs = [...new Set(bad.map((c) => c.summary.log).filter((l): l is string => !!l))];
  const head = `${input.header}: ${total} of ${checked} room${checked === 1 ? '' : 's'} failed the Office 365 checks (${bad.length} of ${input.checks.length} check${input.checks.length === 1 ? '' : 's'}: ${where}); `
    + 'nothing was written to A4B. Fix them, then deploy again: the rollback undid these checks, so they run again.';
  const foot = `\nEvery bad room with its fix: the log of the calendar link function${logs.length ? ` (${logs.join(', ')})` : ''}, lines with "finding"; `
    + 'or run `npx a4b-rooms check <inventory file>`.';

  // Each kind's line: its count and problem, the rooms shown, and an example fix. Kinds first; rooms fill what is left.
  const lines: Array<{ text: (shown: string[], more: number) => string; n: number; rooms: string[]; shown: string[] }> = [];
  const line = (k: { p: string; n: number; f?: string }) => (shown: string[], more: number) => `\n- ${k.n} room${k.n === 1 ? '' : 's'}: ${k.p}`
    + (shown.length ? `: ${shown.join(', ')}${more > 0 ? `, … ${more} more` : ''}` : '')
    + (k.f ? `. Fix (first room): ${k.f}` : '');
  let size = Buffer.byteLength(head + foot);
  let dropped = 0;
  let droppedRooms = 0;
  const MORE = 100; // room kept for each "… more" line
  const unlistedLine = unlisted > 0 ? MORE : 0;
  for (const k of listed) {
    const text = line(k);
    const cost = Buffer.byteLength(text([], 0));
    if (dropped || size + cost + MORE + unlistedLine > maxBytes) {
      dropped++;
      droppedRooms += k.n;
      continue;
    }
    lines.push({ text, n: k.n, rooms: k.rooms, shown: [] });
    size += cost;
  }
  // A room costs its label and a separator; the first one also its ": " and the "… N more" (at most 20 bytes).
  const budget = maxBytes - (dropped ? MORE : 0) - unlistedLine;
  fillRooms(lines.map((l) => ({ shown: l.shown, from: l.rooms })), size + lines.length * 22, budget, (room) => Buffer.byteLength(room) + 2);
  let text = head + lines.map((l) => l.text(l.shown, l.n - l.shown.length)).join('');
  if (dropped) text += `\n- … ${dropped} more kind${dropped === 1 ? '' : 's'} of problem (${droppedRooms} room${droppedRooms === 1 ? '' : 's'})`;
  if (unlisted > 0) text += `\n- … ${unlisted} more room${unlisted === 1 ? '' : 's'} whose kind of problem did not fit in its check's summary`;
  return text + foot;
}
