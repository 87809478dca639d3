// Keyed collections kept in memory and persisted as a snapshot plus an append-only journal, so each write
// costs one small append (10,000 rooms would make full rewrites quadratic) and a restart sees every write.
//
// Nothing is dropped silently: a journal line that cannot be read stops the load with the file and line named,
// and the files are left as they were (a journal is compacted only after it was read whole). The one exception
// is a torn LAST line without its newline: the write of a process killed mid-append, whose request was never
// answered, so leaving it out is the same as the request never arriving. The files are 0600: the A4B store
// holds Secrets Manager secrets, the Graph store the tenant's app credentials.
import * as fs from 'fs';
import * as path from 'path';
import { fsyncDir, openPrivate, privateDir, PRIVATE_FILE_MODE } from './private-files';

interface JournalEntry {
  readonly c: string;
  readonly k: string;
  readonly v?: unknown;
}

/** Owner read and write only, like the TLS key: these files hold secrets. */
export { PRIVATE_FILE_MODE };
export { fsyncDir };

export class JournaledStore {
  private readonly collections = new Map<string, Map<string, unknown>>();
  private readonly indexes = new Map<string, Array<{ name: string; key: (v: any) => string | undefined; map: Map<string, Set<string>> }>>();
  private readonly snapshotFile?: string;
  private readonly journalFile?: string;
  private journalFd?: number;
  private pending?: JournalEntry[];

  /** @param dir where to persist; in memory only when absent */
  constructor(dir: string | undefined, name: string) {
    if (!dir) return;
    privateDir(dir);
    this.snapshotFile = path.join(dir, `${name}.json`);
    this.journalFile = path.join(dir, `${name}.journal.jsonl`);
    if (fs.existsSync(this.snapshotFile)) {
      const text = fs.readFileSync(this.snapshotFile, 'utf8');
      let snapshot: Record<string, Record<string, unknown>>;
      try {
        snapshot = JSON.parse(text);
        if (!snapshot || typeof snapshot !== 'object' || Array.isArray(snapshot)) throw new Error('not an object of collections');
      } catch (e) {
        throw new Error(`${this.snapshotFile} is not a readable snapshot (${jsonProblem(e)}; ${text.length} bytes): the emulator state is damaged and was left as it is. `
          + `Restore the file from a backup, or move ${name}.json and ${name}.journal.jsonl away to start from an empty state`);
      }
      for (const [c, entries] of Object.entries(snapshot)) this.collections.set(c, new Map(Object.entries(entries)));
    }
    if (fs.existsSync(this.journalFile)) this.replay(fs.readFileSync(this.journalFile, 'utf8'));
    for (const f of [this.snapshotFile, this.journalFile]) if (fs.existsSync(f)) fs.chmodSync(f, PRIVATE_FILE_MODE);
    this.compact();
  }

  /** Keeps `collection`'s entries findable by `key(value)`; `find(collection, name, k)` reads it. */
  addIndex(collection: string, name: string, key: (value: any) => string | undefined): void {
    const map = new Map<string, Set<string>>();
    for (const [k, v] of this.collections.get(collection) ?? []) {
      const ik = key(v);
      if (ik !== undefined) map.set(ik, (map.get(ik) ?? new Set()).add(k));
    }
    this.indexes.set(collection, [...(this.indexes.get(collection) ?? []), { name, key, map }]);
  }

  /** Keys of the entries whose indexed value is `value`. */
  find(collection: string, index: string, value: string): string[] {
    const idx = this.indexes.get(collection)?.find((i) => i.name === index);
    if (!idx) throw new Error(`no index ${index} on ${collection}`);
    return [...(idx.map.get(value) ?? [])];
  }

  get<T>(collection: string, key: string): T | undefined {
    return this.collections.get(collection)?.get(key) as T | undefined;
  }

  values<T>(collection: string): T[] {
    return [...(this.collections.get(collection)?.values() ?? [])] as T[];
  }

  count(collection: string): number {
    return this.collections.get(collection)?.size ?? 0;
  }

  put(collection: string, key: string, value: unknown): void {
    this.write({ c: collection, k: key, v: value });
  }

  delete(collection: string, key: string): void {
    this.write({ c: collection, k: key });
  }

  /**
   * Runs `fn` and journals all its writes as one line, so a process killed in between keeps all or none of them
   * (a room without the idempotency token that would find it again is a duplicate on the retry).
   */
  batch<T>(fn: () => T): T {
    if (this.pending) return fn();
    this.pending = [];
    try {
      return fn();
    } finally {
      const entries = this.pending;
      this.pending = undefined;
      if (entries.length && this.journalFd !== undefined) fs.writeSync(this.journalFd, JSON.stringify(entries.length === 1 ? entries[0] : entries) + '\n');
    }
  }

  /**
   * Writes the snapshot and empties the journal, crash-safe: the snapshot goes to a temporary file, is fsync'd and
   * renamed over the old one (and the directory fsync'd) before the journal is truncated. A crash between the
   * rename and the truncation leaves a journal whose entries the new snapshot already holds; replaying them again
   * is harmless, as each entry is a put or delete of one key and the journal is replayed in order, so every key
   * ends at its last journaled value, which is the snapshot's.
   */
  compact(): void {
    if (!this.snapshotFile || !this.journalFile) return;
    const snapshot: Record<string, Record<string, unknown>> = {};
    for (const [c, entries] of this.collections) snapshot[c] = Object.fromEntries(entries);
    const tmp = `${this.snapshotFile}.${process.pid}.tmp`;
    const fd = openPrivate(tmp, 'w');
    try {
      fs.writeSync(fd, JSON.stringify(snapshot));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.snapshotFile);
    fsyncDir(path.dirname(this.snapshotFile));
    if (this.journalFd !== undefined) fs.closeSync(this.journalFd);
    this.journalFd = openPrivate(this.journalFile, 'w');
  }

  close(): void {
    this.compact();
    if (this.journalFd !== undefined) fs.closeSync(this.journalFd);
    this.journalFd = undefined;
  }

  private replay(text: string): void {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line.includes('\0')) throw new Error(zeroBytesProblem(this.journalFile!, i + 1, 'the emulator state'));
      if (!line.trim()) continue;
      let entries: JournalEntry[];
      try {
        const parsed = JSON.parse(line);
        entries = Array.isArray(parsed) ? parsed : [parsed];
        if (!entries.every(isEntry)) throw new Error('not a journal entry ({"c": collection, "k": key, "v"?: value})');
      } catch (e) {
        // Only the text after the last newline can be a cut-off append; everything else was written whole.
        if (i === lines.length - 1) return;
        const after = lines.slice(i + 1).filter((l) => l.trim()).length;
        throw new Error(`${this.journalFile}:${i + 1}: unreadable journal line (${jsonProblem(e)}); ${after} line${after === 1 ? '' : 's'} after it. `
          + 'The emulator state was left as it is, nothing was dropped: repair or remove that line, then start again');
      }
      for (const entry of entries) this.apply(entry);
    }
  }

  private write(entry: JournalEntry): void {
    this.apply(entry);
    if (this.pending) this.pending.push(entry);
    else if (this.journalFd !== undefined) fs.writeSync(this.journalFd, JSON.stringify(entry) + '\n');
  }

  private apply(entry: JournalEntry): void {
    let c = this.collections.get(entry.c);
    if (!c) this.collections.set(entry.c, (c = new Map()));
    for (const idx of this.indexes.get(entry.c) ?? []) {
      const old = c.has(entry.k) ? idx.key(c.get(entry.k)) : undefined;
      if (old !== undefined) idx.map.get(old)?.delete(entry.k);
      const now = entry.v === undefined ? undefined : idx.key(entry.v);
      if (now !== undefined) idx.map.set(now, (idx.map.get(now) ?? new Set()).add(entry.k));
    }
    if (entry.v === undefined) c.delete(entry.k);
    else c.set(entry.k, entry.v);
  }
}

/**
 * A journal line holding zero (NUL) bytes. An append cut off by a kill leaves the start of a record, never zeros:
 * those come from outside damage (a file system that lost the data of an extended file, a disk image filled with zeros),
 * so the line is damage wherever it is, the last line included, never a torn write to leave out.
 */
export function zeroBytesProblem(file: string, line: number, what: string): string {
  return `${file}:${line}: zero bytes in the journal, which no write of a4b-rooms leaves (not an append cut off by a kill): `
    + `the file was damaged, so ${what} is not known; it was left as it is. Restore the file from a backup, `
    + 'or move the state directory aside to start from an empty state';
}

/**
 * What is wrong with a file's JSON, without quoting it: node's JSON.parse messages quote the text around the error,
 * and these files hold secrets.
 */
export function jsonProblem(e: unknown): string {
  if (!(e instanceof SyntaxError)) return (e as Error).message;
  const at = /position (\d+)/.exec(e.message)?.[1];
  return /end of JSON input/.test(e.message) ? 'cut short: the JSON ends early' : `not valid JSON${at ? ` at character ${at}` : ''}`;
}

function isEntry(e: unknown): e is JournalEntry {
  return !!e && typeof e === 'object' && typeof (e as JournalEntry).c === 'string' && typeof (e as JournalEntry).k === 'string';
}
