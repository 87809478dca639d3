// The progress of the long commands (drift, check, test-booking, import): the words from counts and a clock, and when
// they are written: redrawn on a terminal, a plain line per interval elsewhere, none when quiet.
import { Progress, ProgressCount, progressText, Redraw, timeLeft } from '../../lib/cli/progress';

const DRIFT = { command: 'drift', noun: 'room', verb: 'read' };

describe('progressText', () => {
  test.each<[string, ProgressCount, number, string]>([
    ['the example of the issue', { done: 1_200, total: 10_000, errors: 0 }, 42_000, 'drift: 1,200/10,000 rooms read, 0 errors, 42 s, about 5 min left'],
    ['nothing read yet: no time left to tell', { done: 0, total: 10_000, errors: 0 }, 3_000, 'drift: 0/10,000 rooms read, 0 errors, 3 s'],
    ['one room, one error', { done: 1, total: 1, errors: 1 }, 500, 'drift: 1/1 room read, 1 error, 0 s'],
    ['zero total', { done: 0, total: 0, errors: 0 }, 0, 'drift: 0/0 rooms read, 0 errors, 0 s'],
    ['total unknown (still listing)', { done: 7, errors: 2 }, 61_000, 'drift: 7 rooms read, 2 errors, 1 min 01 s'],
    ['a note instead of the time left', { done: 12, total: 12, errors: 0, note: 'reading 12 mailboxes from Graph' }, 2_000,
      'drift: 12/12 rooms read, 0 errors, 2 s, reading 12 mailboxes from Graph'],
    ['the end: no time left', { done: 10_000, total: 10_000, errors: 3 }, 600_000, 'drift: 10,000/10,000 rooms read, 3 errors, 10 min 00 s'],
  ])('%s', (_, count, ms, text) => {
    expect(progressText(DRIFT, count, ms)).toBe(text);
  });
});

describe('timeLeft', () => {
  test.each<[number, number | undefined, number, string | undefined]>([
    [1, 2, 10_000, 'about 10 s left'],
    [1, 3, 500, 'about 1 s left'],
    [10, 20, 59_000, 'about 59 s left'],
    [10, 20, 60_000, 'about 1 min left'],
    [1_200, 10_000, 42_000, 'about 5 min left'],
    [1, 100, 60_000, 'about 1 h 39 min left'],
    [0, 10, 5_000, undefined],
    [5, 5, 5_000, undefined],
    [6, 5, 5_000, undefined],
    [5, undefined, 5_000, undefined],
    [5, 10, 0, undefined],
  ])('%d of %s after %d ms: %s', (done, total, ms, text) => {
    expect(timeLeft(done, total, ms)).toBe(text);
  });
});

describe('Progress', () => {
  /** A stream and a redraw that record what they are given, and a clock the test moves. */
  const fake = (o: { isTTY: boolean; redraw?: boolean; quiet?: boolean; intervalMs?: number }) => {
    const written: string[] = [];
    const drawn: string[] = [];
    let now = 5_000;
    const redraw = Object.assign((t: string) => void drawn.push(t), {
      persist: (t: string) => void drawn.push(`persist ${t}`), clear: () => void drawn.push('clear'), done: () => void drawn.push('done'),
    }) satisfies Redraw;
    const progress = new Progress(DRIFT, {
      stream: { isTTY: o.isTTY, write: (t) => written.push(t) }, redraw: o.redraw ? redraw : undefined, clock: () => now,
      quiet: o.quiet, intervalMs: o.intervalMs,
    });
    return { progress, written, drawn, tick: (ms: number) => (now += ms) };
  };

  test('not a terminal: a line at most every 10 s of the clock, and the last counts at the end of a run that printed one', () => {
    const { progress, written, tick } = fake({ isTTY: false });
    progress.update({ done: 0, total: 4, errors: 0 });
    tick(9_999);
    progress.update({ done: 1, total: 4, errors: 0 });
    tick(1);
    progress.update({ done: 2, total: 4, errors: 1 });
    tick(5_000);
    progress.update({ done: 3, total: 4, errors: 1 });
    tick(5_000);
    progress.update({ done: 4, total: 4, errors: 1 });
    progress.event('booked 4 rooms');
    tick(1_000);
    progress.end();
    expect(written).toEqual([
      'drift: 2/4 rooms read, 1 error, 10 s, about 10 s left\n',
      'drift: 4/4 rooms read, 1 error, 20 s\n',
      'booked 4 rooms\n',
      'drift: 4/4 rooms read, 1 error, 21 s\n',
    ]);
  });

  test('not a terminal, interval 0 (the test hook): a line per update; the end repeats no line just printed', () => {
    const { progress, written } = fake({ isTTY: false, intervalMs: 0 });
    progress.update({ done: 0, total: 2, errors: 0 });
    progress.update({ done: 2, total: 2, errors: 0 });
    progress.end();
    expect(written).toEqual(['drift: 0/2 rooms read, 0 errors, 0 s\n', 'drift: 2/2 rooms read, 0 errors, 0 s\n']);
  });

  test('a terminal: every update redrawn, events above it, the line erased at the end and nothing on the stream itself', () => {
    const { progress, written, drawn, tick } = fake({ isTTY: true, redraw: true });
    progress.update({ done: 0, total: 2, errors: 0 });
    tick(2_000);
    progress.tick();
    progress.event('booked 2 rooms');
    progress.update({ done: 1, total: 2, errors: 0 });
    progress.end();
    expect(drawn).toEqual([
      'drift: 0/2 rooms read, 0 errors, 0 s', 'drift: 0/2 rooms read, 0 errors, 2 s', 'persist booked 2 rooms',
      'drift: 1/2 rooms read, 0 errors, 2 s, about 2 s left', 'clear', 'done',
    ]);
    expect(written).toEqual([]);
  });

  test('a terminal without a redraw (no rows to draw in) gets the plain lines', () => {
    const { progress, written } = fake({ isTTY: true, intervalMs: 0 });
    progress.update({ done: 1, total: 1, errors: 0 });
    progress.end();
    expect(written).toEqual(['drift: 1/1 room read, 0 errors, 0 s\n']);
  });

  test.each([false, true])('quiet (terminal %s): no progress at all; events still printed', (isTTY) => {
    const { progress, written, drawn, tick } = fake({ isTTY, redraw: false, quiet: true, intervalMs: 0 });
    progress.update({ done: 0, total: 1, errors: 0 });
    tick(60_000);
    progress.tick();
    progress.update({ done: 1, total: 1, errors: 0 });
    progress.event('booked 1 room');
    progress.end();
    expect(written).toEqual(['booked 1 room\n']);
    expect(drawn).toEqual([]);
  });

  test('not a terminal, a run shorter than the interval: no line at all, not even at the end', () => {
    const { progress, written, tick } = fake({ isTTY: false });
    progress.update({ done: 0, total: 2, errors: 0 });
    tick(9_000);
    progress.update({ done: 2, total: 2, errors: 1 });
    progress.end();
    expect(written).toEqual([]);
  });

  test('no update at all: nothing at the end', () => {
    const { progress, written } = fake({ isTTY: false });
    progress.end();
    expect(written).toEqual([]);
  });
});
