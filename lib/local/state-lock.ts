// Locks on a state directory, so that two processes never write the same files. Two locks, because a deploy may
// use a running `local serve` of its state directory:
// - `emulators.lock`: held by the one process that runs the emulators on the directory (a `local serve`, or a
//   deploy, import or drift that starts them inside itself). It alone writes the emulators' snapshots and journals
//   and makes the TLS certificate and key, so a certificate is never rewritten under a process that uses it.
//   A process that finds a `local serve` answering uses it and needs no lock.
// - `deploy.lock`: held by a `local deploy` for its whole run, as it writes stacks/ and cdk.out.
// So a serve and one deploy coexist; two deploys, or two processes starting emulators, do not.
//
// A lock is a file holding the holder's PID, host and command, written aside and linked into place (a link, like
// O_EXCL, fails if the file exists). A lock whose holder is gone (same host, no such process) is stale, left by a
// killed process, and taken over. Otherwise a second process waits up to A4B_ROOMS_LOCK_WAIT seconds (default 60),
// then fails naming the holder.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Clock, realClock } from '../runtime/clock';
import { openPrivate, privateDir } from './private-files';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: string;
  /** Tells this acquisition apart from an earlier one of the same process. */
  readonly nonce: string;
}

export type LockName = 'deploy' | 'emulators';

/** What each lock guards, for messages. */
const GUARDS: Record<LockName, string> = {
  deploy: 'its stack state (stacks/) and cdk.out, written by a local deploy',
  emulators: 'its emulators (A4B, Secrets Manager, Entra ID and Graph state, TLS certificate)',
};

export function lockFile(stateDir: string, name: LockName): string {
  return path.join(stateDir, `${name}.lock`);
}

/** How long to wait for a held lock: A4B_ROOMS_LOCK_WAIT seconds, default 60. */
export function lockWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.A4B_ROOMS_LOCK_WAIT;
  if (text === undefined || text === '') return 60_000;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`A4B_ROOMS_LOCK_WAIT ${text} must be a number of seconds, 0 or more`);
  return seconds * 1000;
}

const HELD = new Set<StateLock>();
let exitHook = false;

export class StateLock {
  /**
   * Takes the lock, waiting while another live process holds it. `meanwhile` runs before each wait: when it
   * returns something, the wait ends without the lock and that is returned instead (a serve that came up).
   */
  static async acquire<T = never>(stateDir: string, name: LockName,
    options: { waitMs?: number; meanwhile?: () => Promise<T | undefined>; onWait?: (message: string) => void; clock?: Clock } = {},
  ): Promise<StateLock | T> {
    const waitMs = options.waitMs ?? lockWaitMs();
    const clock = options.clock ?? realClock;
    const deadline = clock.now() + waitMs;
    let told = false;
    for (;;) {
      const got = StateLock.tryAcquire(stateDir, name);
      if (got instanceof StateLock) return got;
      const other = await options.meanwhile?.();
      if (other !== undefined) return other;
      if (clock.now() >= deadline) throw new Error(busyMessage(stateDir, name, got, waitMs));
      if (!told) {
        // A silent wait of up to a minute looks like a hang: say whom this process waits for.
        (options.onWait ?? ((m: string) => process.stderr.write(`${m}\n`)))(`waiting up to ${Number((waitMs / 1000).toFixed(1))} s for ${got.command} (PID ${got.pid}) to release ${lockFile(stateDir, name)}`);
        told = true;
      }
      await clock.sleep(Math.min(100, Math.max(1, deadline - clock.now())));
    }
  }

  /** The lock, or who holds it now. */
  static tryAcquire(stateDir: string, name: LockName): StateLock | LockHolder {
    privateDir(stateDir);
    const file = lockFile(stateDir, name);
    const me: LockHolder = { pid: process.pid, host: os.hostname(), command: commandLine(), since: new Date().toISOString(), nonce: randomBytes(8).toString('hex') };
    for (let attempt = 0; attempt < 5; attempt++) {
      // Written whole aside, then linked into place (link fails if the lock exists): no other process ever reads a
      // lock file its holder has not written yet, which would name no holder.
      const aside = `${file}.${me.nonce}.${attempt}`;
      const fd = openPrivate(aside, 'wx');
      try {
        fs.writeSync(fd, JSON.stringify(me) + '\n');
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      try {
        fs.linkSync(aside, file);
        return StateLock.held(new StateLock(file, me));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      } finally {
        fs.rmSync(aside, { force: true });
      }
      const text = readIfThere(file);
      if (text === undefined) continue; // released meanwhile
      const holder = parseHolder(text);
      if (holder && !isStale(holder)) return holder;
      if (!holder && Date.now() - mtimeMs(file) < 5_000) {
        // Unreadable but new (a version that created the file before writing it): give it a moment before calling it garbage.
        return { pid: 0, host: os.hostname(), command: '(a process that is taking the lock)', since: new Date(mtimeMs(file)).toISOString(), nonce: '' };
      }
      takeOver(file, text);
    }
    const holder = parseHolder(readIfThere(file) ?? '');
    if (holder) return holder;
    throw new Error(`${file}: could not take the lock (it keeps changing); try again`);
  }

  /**
   * A lock this process holds is given up when it exits, also through process.exit (an interrupted deploy): a lock
   * left behind would make the next run wait for, then take over, a process that is gone.
   */
  private static held(lock: StateLock): StateLock {
    if (HELD.size === 0 && !exitHook) {
      exitHook = true;
      process.on('exit', () => {
        for (const l of [...HELD]) l.release();
      });
    }
    HELD.add(lock);
    return lock;
  }

  private constructor(readonly file: string, readonly holder: LockHolder) {}

  /** Gives the lock up, unless it was taken over meanwhile (then it is another process's now). */
  release(): void {
    HELD.delete(this);
    const now = parseHolder(readIfThere(this.file) ?? '');
    if (now && now.pid === this.holder.pid && now.nonce === this.holder.nonce) fs.rmSync(this.file, { force: true });
  }
}

function busyMessage(stateDir: string, name: LockName, holder: LockHolder, waitMs: number): string {
  const waited = waitMs ? `after waiting ${Number((waitMs / 1000).toFixed(1))} s ` : '';
  return `${stateDir} is in use ${waited}by ${holder.command} (PID ${holder.pid} on ${holder.host}, since ${holder.since}), which holds ${GUARDS[name]}. `
    + `Wait for it to finish (A4B_ROOMS_LOCK_WAIT sets how many seconds to wait), or use another --state directory; if that process no longer runs, delete ${lockFile(stateDir, name)}`;
}

function isStale(holder: LockHolder): boolean {
  if (holder.host !== os.hostname()) return false; // another machine's process (a shared drive): it cannot be checked from here
  if (holder.pid === process.pid) return false;
  return !isAlive(holder.pid);
}

/** Whether a process of this machine runs: only "no such process" says it does not (another user's process is alive). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes a stale lock without removing a fresh one that another process took meanwhile: move it aside (atomic),
 * and if what was moved is no longer the stale lock that was read, put it back.
 */
function takeOver(file: string, staleText: string): void {
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (readIfThere(aside) !== staleText) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // a third process took the lock in between; the one moved aside lost it, as if it had been stale
    }
  }
  fs.rmSync(aside, { force: true });
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const h = JSON.parse(text);
    return h && typeof h.pid === 'number' && typeof h.host === 'string' ? { command: '?', since: '?', nonce: '', ...h } : undefined;
  } catch {
    return undefined;
  }
}

function readIfThere(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function mtimeMs(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function commandLine(): string {
  const [, script, ...args] = process.argv;
  return [script ? path.basename(script).replace(/\.js$/, '') : 'node', ...args].join(' ');
}
