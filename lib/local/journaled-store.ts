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
    if (entry.v === undefined) c.delete(entry.k);
    else c.set(entry.k, entry.v);
  }
}
