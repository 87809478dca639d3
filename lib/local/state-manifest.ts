// What a state directory must hold once it was made, so that a file lost later (deleted, a half-restored backup) is
// named as damage instead of silently starting over: an emulator without its snapshot starts an empty A4B with a new
// organization, and a deploy without a stack's state creates its rooms again (AlreadyExists) or leaves them unmanaged.
//
// Two small manifests, each written by the holder of the lock that guards what it lists (state-lock.ts), so they
// never race: `emulators.manifest.json` lists the emulators' snapshots, written once both exist; `stacks.manifest.json`
// lists the root stacks with a committed state, written by the deploy engine. Nested stacks need no list: a stack's
// state records each nested stack it holds (AWS::CloudFormation::Stack), and that nested stack's state must exist.
// A state directory from before the manifests keeps working: they are written on its first open, from what is there.
import * as fs from 'fs';
import * as path from 'path';
import { jsonProblem } from './journaled-store';
import { writePrivate } from './private-files';

export const EMULATORS_MANIFEST = 'emulators.manifest.json';
export const STACKS_MANIFEST = 'stacks.manifest.json';

const NESTED_STACK = 'AWS::CloudFormation::Stack';
const STILL_THERE = ' (what it made is still in the emulators: a deploy would meet its rooms as AlreadyExists, a removal would leave them unmanaged)';

/** An emulator's journaled store (journaled-store.ts): `<name>.json` and `<name>.journal.jsonl`. */
export interface EmulatorStore {
  readonly name: string;
  /** What its snapshot holds, for messages. */
  readonly holds: string;
  /**
   * The record a new store journals first (the emulator's own identity). A journal that starts with it holds every
   * write since the store was made, so its snapshot can be rebuilt exactly from it; any other journal holds only
   * the writes since the last compaction.
   */
  readonly firstWrite: { readonly c: string; readonly k: string };
}

export const EMULATOR_STORES: readonly EmulatorStore[] = [
  { name: 'a4b', holds: "the A4B emulator's rooms, room profiles, skill groups and Secrets Manager secrets", firstWrite: { c: 'meta', k: 'org' } },
  { name: 'graph', holds: 'the Entra ID and Graph tenant (apps, users, room mailboxes, permissions, calendars)', firstWrite: { c: 'meta', k: 'signingKey' } },
];

/** A state directory that lost a file it must hold; the message names the file and the way back. */
export class DamagedState extends Error {}

export interface EmulatorStateCheck {
  /** Damage, one sentence each naming the file. */
  readonly problems: string[];
  /** Snapshots the emulators rebuild exactly from their journals when they open the store: one notice each. */
  readonly rebuilt: string[];
}

/** The emulators' snapshots: each must exist once its journal or the manifest says it was made, unless its journal holds every write. */
export function emulatorStateCheck(stateDir: string): EmulatorStateCheck {
  const manifest = readManifest(path.join(stateDir, EMULATORS_MANIFEST), 'snapshots');
  const problems = [...manifest.problems];
  const rebuilt: string[] = [];
  for (const store of EMULATOR_STORES) {
    const snapshot = path.join(stateDir, `${store.name}.json`);
    const journal = path.join(stateDir, `${store.name}.journal.jsonl`);
    if (fs.existsSync(snapshot)) continue;
    // A store writes its snapshot before it first opens its journal, so a journal without one is always a loss.
    if (fs.existsSync(journal)) {
      if (startsWith(journal, store.firstWrite)) rebuilt.push(`rebuilt ${snapshot} from ${journal}, which holds every write since the state was created`);
      else problems.push(`${snapshot} is missing, but its journal ${journal} is there: it held ${store.holds}, which the journal cannot rebuild (it holds only the writes since the snapshot was last written)`);
    } else if (manifest.names.includes(`${store.name}.json`)) {
      problems.push(`${snapshot} is missing (${path.join(stateDir, EMULATORS_MANIFEST)} lists it): it held ${store.holds}`);
    }
  }
  return { problems, rebuilt };
}

/** Records the emulators' snapshots, once every one exists (after the emulators opened their stores). */
export function recordEmulatorSnapshots(stateDir: string): void {
  const names = EMULATOR_STORES.map((s) => `${s.name}.json`);
  if (!names.every((n) => fs.existsSync(path.join(stateDir, n)))) return;
  const file = path.join(stateDir, EMULATORS_MANIFEST);
  if (sameList(readManifest(file, 'snapshots').names, names)) return;
  writePrivate(file, JSON.stringify({ version: 1, snapshots: names }, null, 1) + '\n');
}

/**
 * Every stack whose state is missing: a root stack the manifest lists, a nested stack a stack's state records, and
 * a stack whose operations journal continues a deploy after its first (the snapshot it belongs to is gone).
 */
export function stackStateProblems(stateDir: string): string[] {
  const stacks = path.join(stateDir, 'stacks');
  const manifestFile = path.join(stateDir, STACKS_MANIFEST);
  const manifest = readManifest(manifestFile, 'roots');
  const problems = [...manifest.problems];
  const stateFile = (name: string) => path.join(stacks, `${name}.json`);
  const visit = (name: string, file: string) => {
    const resources = readResources(file);
    for (const [id, r] of Object.entries(resources)) {
      if (r?.type !== NESTED_STACK) continue;
      const nested = `${name}/${id}`;
      if (fs.existsSync(stateFile(nested))) visit(nested, stateFile(nested));
      else problems.push(`${stateFile(nested)} is missing: the state of nested stack ${nested}, which ${file} records${STILL_THERE}`);
    }
  };
  for (const root of [...new Set([...manifest.names, ...rootStacks(stateDir)])].sort()) {
    if (fs.existsSync(stateFile(root))) visit(root, stateFile(root));
    else problems.push(`${stateFile(root)} is missing: the state of stack ${root}, which ${manifestFile} lists${STILL_THERE}`);
  }
  for (const journal of opsJournals(stacks)) {
    const name = path.relative(stacks, journal).slice(0, -'.ops.jsonl'.length).split(path.sep).join('/');
    const begin = firstRecord(journal) as { t?: string; serial?: number } | undefined;
    if (!fs.existsSync(stateFile(name)) && begin?.t === 'begin' && typeof begin.serial === 'number' && begin.serial > 0) {
      problems.push(`${stateFile(name)} is missing, but the operations journal ${journal} continues from its deploy number ${begin.serial}`);
    }
  }
  return problems;
}

/** Adds root stacks to the stacks manifest (the deploy engine, holding the deploy lock, after it wrote their state). */
export function recordRootStacks(stateDir: string, names: readonly string[]): void {
  const file = path.join(stateDir, STACKS_MANIFEST);
  const listed = readManifest(file, 'roots');
  if (listed.problems.length) return; // named by the next check; not overwritten
  const roots = [...new Set([...listed.names, ...names])].sort();
  if (sameList(listed.names, roots)) return;
  writePrivate(file, JSON.stringify({ version: 1, roots }, null, 1) + '\n');
}

/** The root stacks with a state file (stacks/<name>.json). */
export function rootStacks(stateDir: string): string[] {
  const stacks = path.join(stateDir, 'stacks');
  if (!fs.existsSync(stacks)) return [];
  return fs.readdirSync(stacks, { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => e.name.slice(0, -'.json'.length));
}

/** The error for damage found, naming each file and the two ways back; undefined when there is none. */
export function damagedState(stateDir: string, problems: readonly string[]): DamagedState | undefined {
  if (!problems.length) return undefined;
  return new DamagedState(`damaged local state: ${problems.join('; ')}. Nothing was started or changed. `
    + `Restore ${problems.length === 1 ? 'the file' : 'the files'} from a backup, or start over with \`a4b-rooms local deploy --reset-state --state ${stateDir}\` `
    + `(or local serve --reset-state), which moves ${stateDir} aside to ${stateDir}.broken-<UTC time>, never deleting it, and starts from an empty state`);
}

/** Names that only a state directory holds; a directory with none of them is not one. */
export const STATE_MARKERS = [
  EMULATORS_MANIFEST, STACKS_MANIFEST, 'a4b.json', 'a4b.journal.jsonl', 'graph.json', 'graph.journal.jsonl', 'stacks',
  'endpoints.json', 'emulators.lock', 'deploy.lock', 'graph-tls.cert.pem', 'graph-tls.key.pem', 'provider.log',
];

export function isStateDir(dir: string): boolean {
  return STATE_MARKERS.some((m) => fs.existsSync(path.join(dir, m)));
}

/** A manifest's list (`key`), or the problem with the file; an absent manifest lists nothing. */
function readManifest(file: string, key: 'snapshots' | 'roots'): { names: string[]; problems: string[] } {
  if (!fs.existsSync(file)) return { names: [], problems: [] };
  const text = fs.readFileSync(file, 'utf8');
  try {
    const names = JSON.parse(text)?.[key];
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw new Error(`no list of ${key}`);
    return { names, problems: [] };
  } catch (e) {
    return { names: [], problems: [`${file} is not a readable manifest (${jsonProblem(e)}); it is written again from what the state directory holds once it is deleted`] };
  }
}

/** The resources a stack's state records; a state that cannot be read is left to the deploy engine to name. */
function readResources(file: string): Record<string, { type?: string }> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')).resources ?? {};
  } catch {
    return {};
  }
}

/** The operations journals under stacks/ (nested stacks' in their root's folder; kept templates skipped). */
function opsJournals(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name.endsWith('.templates') ? [] : opsJournals(p);
    return e.isFile() && e.name.endsWith('.ops.jsonl') ? [p] : [];
  });
}

/** Whether the journal's first record is that put. */
function startsWith(journal: string, record: { c: string; k: string }): boolean {
  const first = firstRecord(journal);
  const entry = (Array.isArray(first) ? first[0] : first) as { c?: unknown; k?: unknown; v?: unknown } | undefined;
  return !!entry && entry.c === record.c && entry.k === record.k && entry.v !== undefined;
}

/** The first line of a JSON-lines file, parsed; undefined when it is empty or that line is not JSON. */
function firstRecord(file: string): unknown {
  const fd = fs.openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(64 * 1024);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      const nl = buf.subarray(0, n).indexOf(10);
      chunks.push(Buffer.from(buf.subarray(0, nl >= 0 ? nl : n)));
      if (n === 0 || nl >= 0) break;
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
