// What a long command shows while it runs. Every event is a plain line on stdout as it happens (what CI logs keep);
// on a terminal, a status line on stderr under the events says how far it is, redrawn in place and erased at the end.

/** The part of a stream the status line needs (process.stderr; a fake in tests). */
export interface StatusStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export class ProgressLine {
  private shown = '';

  /** `status` is drawn only where `stream` is a terminal; `clock` tells the elapsed time. */
  constructor(
    private readonly stream: StatusStream,
    private readonly print: (line: string) => void,
    private readonly clock: () => number = Date.now,
    private readonly started = clock(),
  ) {}

  /** Prints an event line; on a terminal the status line is taken away first and drawn again under it. */
  event(line: string): void {
    const status = this.shown;
    this.clear();
    this.print(line);
    if (status) this.status(status);
  }

  /** Draws the status line (seconds since the start appended); nothing when not on a terminal. */
  status(text: string): void {
    if (!this.stream.isTTY) return;
    this.shown = text;
    this.stream.write(`\r\x1b[K${text} · ${elapsed(this.clock() - this.started)}`);
  }

  /** Erases the status line, so that what follows starts on a clean line. */
  clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\x1b[K');
    this.shown = '';
  }
}

/** `42 s`, `3 min 05 s`. */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** How far a long command (drift, check, test-booking, import) is: what its work loop reports as it goes. */
export interface ProgressCount {
  readonly done: number;
  /** Unknown while the work is still being listed. */
  readonly total?: number;
  readonly errors: number;
  /** What it waits for when the count says nothing (`reading 9,000 mailboxes from Graph`). */
  readonly note?: string;
}

/** What is counted: `drift` counts `room`s `read`. */
export interface ProgressWords {
  readonly command: string;
  readonly noun: string;
  readonly verb: string;
}

const count = (n: number) => n.toLocaleString('en-US');

/** `drift: 1,200/10,000 rooms read, 0 errors, 42 s, about 5 min left`. */
export function progressText(words: ProgressWords, p: ProgressCount, elapsedMs: number): string {
  const n = p.total ?? p.done;
  const parts = [
    `${count(p.done)}${p.total === undefined ? '' : `/${count(p.total)}`} ${n === 1 ? words.noun : `${words.noun}s`} ${words.verb}`,
    `${count(p.errors)} error${p.errors === 1 ? '' : 's'}`,
    elapsed(elapsedMs),
  ];
  const left = p.note ?? timeLeft(p.done, p.total, elapsedMs);
  return `${words.command}: ${[...parts, ...left ? [left] : []].join(', ')}`;
}

/** `about 5 min left` at the pace so far; nothing before the first item is done, when the total is unknown, or at the end. */
export function timeLeft(done: number, total: number | undefined, elapsedMs: number): string | undefined {
  if (total === undefined || done <= 0 || done >= total || elapsedMs <= 0) return undefined;
  const s = Math.ceil((elapsedMs * (total - done)) / done / 1000);
  if (s < 60) return `about ${s} s left`;
  const min = Math.round(s / 60);
  return min < 60 ? `about ${min} min left` : `about ${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min left`;
}

/** A line redrawn in place on a terminal (log-update's interface; a fake in tests). */
export interface Redraw {
  (text: string): void;
  /** Writes a line above the redrawn one, which stays. */
  persist(text: string): void;
  clear(): void;
  done(): void;
}

export interface ProgressOptions {
  readonly stream: StatusStream;
  /** Draws the line on a terminal; without it a terminal gets the plain lines too. */
  readonly redraw?: Redraw;
  readonly clock?: () => number;
  /** Off a terminal, at most one line this often (and one at the end). @default 10 s */
  readonly intervalMs?: number;
  /** Nothing at all (--quiet, and --json off a terminal). */
  readonly quiet?: boolean;
}

/** Off a terminal, one line per 10 s of work: a CI log shows the run alive without a line per room. */
export const PROGRESS_INTERVAL_MS = 10_000;

/**
 * The progress of a long command on stderr (stdout stays the report): on a terminal a line redrawn as the counts change,
 * erased at the end; elsewhere a plain line at most every `intervalMs` of the clock, and a last one at the end of a run
 * that printed one.
 */
export class Progress {
  private readonly clock: () => number;
  private readonly started: number;
  private last?: ProgressCount;
  private printedAt: number;
  private printed?: string;

  constructor(private readonly words: ProgressWords, private readonly options: ProgressOptions) {
    this.clock = options.clock ?? Date.now;
    this.started = this.clock();
    this.printedAt = this.started;
  }

  private get tty(): boolean {
    return !!this.options.stream.isTTY && this.options.redraw !== undefined;
  }

  private text(p: ProgressCount): string {
    return progressText(this.words, p, this.clock() - this.started);
  }

  update(p: ProgressCount): void {
    this.last = p;
    if (this.options.quiet) return;
    if (this.tty) return this.options.redraw!(this.text(p));
    const now = this.clock();
    if (now - this.printedAt < (this.options.intervalMs ?? PROGRESS_INTERVAL_MS)) return;
    this.print(this.text(p));
    this.printedAt = now;
  }

  /** Redraws the line with the time gone on (a timer calls it, so a slow read still shows the clock move). */
  tick(): void {
    if (this.last && this.tty && !this.options.quiet) this.options.redraw!(this.text(this.last));
  }

  /** A line of its own (an event of the command): above the redrawn line on a terminal. */
  event(line: string): void {
    if (this.tty) this.options.redraw!.persist(line);
    else this.options.stream.write(`${line}\n`);
  }

  /**
   * On a terminal the line is erased. Elsewhere the last counts close the lines printed before (none after a run shorter
   * than the interval: a quick command stays as quiet as it was), unless that line was the last printed.
   */
  end(): void {
    if (this.options.quiet) return;
    if (this.tty) {
      this.options.redraw!.clear();
      this.options.redraw!.done();
    } else if (this.last && this.printed !== undefined) {
      const text = this.text(this.last);
      if (text !== this.printed) this.print(text);
    }
  }

  private print(text: string): void {
    this.printed = text;
    this.options.stream.write(`${text}\n`);
  }
}
