// The state directory's locks: lock files made exclusively, naming their holder, stale ones (dead PID) taken over, live ones
// waited for (bounded) and then refused with the holder named.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import { lockFile, lockWaitMs, StateLock } from '../../lib/local/state-lock';
import { ManualClock } from '../../lib/runtime/clock';
import { tempDir } from '../helpers';

const holderFile = (dir: string, holder: Record<string, unknown>) => fs.writeFileSync(lockFile(dir, 'deploy'), JSON.stringify({ host: os.hostname(), command: 'a4b-rooms local deploy x.yaml', since: '2026-01-01T00:00:00.000Z', nonce: 'n', ...holder }));
/** The PID of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

const turn = () => new Promise((resolve) => setImmediate(resolve)); // lets the code under test reach its next sleep

/** Settles `p`, moving the clock to the end of each sleep the code under test starts. */
async function onClock<T>(clock: ManualClock, p: Promise<T>): Promise<T> {
  let settled = false;
  p.then(() => (settled = true), () => (settled = true));
  while (!settled) {
    await turn();
    clock.advanceToNextWake();
  }
  return p;
}

describe('state lock', () => {
  test('taken with O_EXCL and named: a second taker gets the holder, and after release takes it', () => {
    const dir = tempDir('a4b-lock-');
    const lock = StateLock.tryAcquire(dir, 'deploy') as StateLock;
    expect(lock).toBeInstanceOf(StateLock);
    expect(JSON.parse(fs.readFileSync(lockFile(dir, 'deploy'), 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect(StateLock.tryAcquire(dir, 'deploy')).toMatchObject({ pid: process.pid });
    expect(StateLock.tryAcquire(dir, 'emulators')).toBeInstanceOf(StateLock); // the other lock is independent
    lock.release();
    expect(fs.existsSync(lockFile(dir, 'deploy'))).toBe(false);
    expect(StateLock.tryAcquire(dir, 'deploy')).toBeInstanceOf(StateLock);
  });

  test('a lock whose process is gone is taken over; one of a live process or of another host is not', () => {
    const dir = tempDir('a4b-lock-');
    holderFile(dir, { pid: deadPid() });
    expect(StateLock.tryAcquire(dir, 'deploy')).toBeInstanceOf(StateLock);
    holderFile(dir, { pid: deadPid(), host: 'build-agent-7' });
    expect(StateLock.tryAcquire(dir, 'deploy')).toMatchObject({ host: 'build-agent-7' });
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      holderFile(dir, { pid: live.pid });
      expect(StateLock.tryAcquire(dir, 'deploy')).toMatchObject({ pid: live.pid });
    } finally {
      live.kill('SIGKILL');
    }
  });

  test('release leaves a lock that another process took over meanwhile', () => {
    const dir = tempDir('a4b-lock-');
    const lock = StateLock.tryAcquire(dir, 'deploy') as StateLock;
    holderFile(dir, { pid: 4242, nonce: 'someone else' });
    lock.release();
    expect(JSON.parse(fs.readFileSync(lockFile(dir, 'deploy'), 'utf8')).nonce).toBe('someone else');
  });

  test('a held lock is waited for, bounded, then refused naming the holder, its PID and the lock file; a wait can end another way', async () => {
    const dir = tempDir('a4b-lock-');
    holderFile(dir, { pid: process.pid });
    const clock = new ManualClock();
    const told: string[] = [];
    await expect(onClock(clock, StateLock.acquire(dir, 'deploy', { waitMs: 300, onWait: (m) => told.push(m), clock }))).rejects.toThrow(
      `${dir} is in use after waiting 0.3 s by a4b-rooms local deploy x.yaml (PID ${process.pid} on ${os.hostname()}, since 2026-01-01T00:00:00.000Z)`);
    expect(clock.now()).toBe(300); // refused at the bound, not before, in checks 100 ms apart
    expect(told).toEqual([`waiting up to 0.3 s for a4b-rooms local deploy x.yaml (PID ${process.pid}) to release ${lockFile(dir, 'deploy')}`]);
    await expect(StateLock.acquire(dir, 'deploy', { waitMs: 0, clock })).rejects.toThrow(`if that process no longer runs, delete ${lockFile(dir, 'deploy')}`);
    let polls = 0;
    await expect(onClock(clock, StateLock.acquire(dir, 'deploy', { waitMs: 10_000, meanwhile: async () => (++polls === 3 ? 'a serve came up' : undefined), onWait: () => undefined, clock })))
      .resolves.toBe('a serve came up');
    // Released while the other waits: its next check takes it.
    const waiting = StateLock.acquire(dir, 'deploy', { waitMs: 10_000, onWait: () => undefined, clock });
    await turn();
    expect(clock.sleeping).toBe(1);
    fs.rmSync(lockFile(dir, 'deploy'));
    clock.advance(100);
    await expect(waiting).resolves.toBeInstanceOf(StateLock);
  });

  test('A4B_ROOMS_LOCK_WAIT sets the wait in seconds', () => {
    expect(lockWaitMs({})).toBe(60_000);
    expect(lockWaitMs({ A4B_ROOMS_LOCK_WAIT: '2.5' })).toBe(2500);
    expect(() => lockWaitMs({ A4B_ROOMS_LOCK_WAIT: 'soon' })).toThrow('A4B_ROOMS_LOCK_WAIT soon must be a number of seconds, 0 or more');
  });
});
