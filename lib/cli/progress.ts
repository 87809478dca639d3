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
