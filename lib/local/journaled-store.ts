// Keyed collections kept in memory and persisted as a snapshot plus an append-only journal, so each write
// costs one small append (10,000 rooms would make full rewrites quadratic) and a restart sees every write.
import * as fs from 'fs';
import * as path from 'path';

interface JournalEntry {
  readonly c: string;
  readonly k: string;
  readonly v?: unknown;
}

export class JournaledStore {
  private readonly collections = new Map<string, Map<string, unknown>>();
  private readonly indexes = new Map<string, Array<{ name: string; key: (v: any) => string | undefined; map: Map<string, Set<string>> }>>();
  private readonly snapshotFile?: string;
  private readonly journalFile?: string;
  private journalFd?: number;

  /** @param dir where to persist; in memory only when absent */
  constructor(dir: string | undefined, name: string) {
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    this.snapshotFile = path.join(dir, `${name}.json`);
    this.journalFile = path.join(dir, `${name}.journal.jsonl`);
    if (fs.existsSync(this.snapshotFile)) {
      const snapshot = JSON.parse(fs.readFileSync(this.snapshotFile, 'utf8')) as Record<string, Record<string, unknown>>;
      for (const [c, entries] of Object.entries(snapshot)) this.collections.set(c, new Map(Object.entries(entries)));
    }
    if (fs.existsSync(this.journalFile)) {
      for (const line of fs.readFileSync(this.journalFile, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        let entry: JournalEntry;
        try {
          entry = JSON.parse(line);
        } catch {
          break; // a torn last line from a killed process: everything before it is intact
        }
        this.apply(entry);
      }
    }
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

  /** Writes the snapshot and empties the journal. */
  compact(): void {
    if (!this.snapshotFile || !this.journalFile) return;
    const snapshot: Record<string, Record<string, unknown>> = {};
    for (const [c, entries] of this.collections) snapshot[c] = Object.fromEntries(entries);
    const tmp = `${this.snapshotFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(snapshot));
    fs.renameSync(tmp, this.snapshotFile);
    if (this.journalFd !== undefined) fs.closeSync(this.journalFd);
    this.journalFd = fs.openSync(this.journalFile, 'w');
  }

  close(): void {
    this.compact();
    if (this.journalFd !== undefined) fs.closeSync(this.journalFd);
    this.journalFd = undefined;
  }

  private write(entry: JournalEntry): void {
    this.apply(entry);
    if (this.journalFd !== undefined) fs.writeSync(this.journalFd, JSON.stringify(entry) + '\n');
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
