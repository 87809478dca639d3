// The one way the local emulators and deploys write into a state directory. It holds the Graph emulator's TLS key,
// the tenant's client secrets and the deploy's state, so the directory is 0700 and every file in it 0600 whatever
// the umask: a mode given to mkdir or open is masked by the umask, so each is set again explicitly (fchmod/chmod).
import * as fs from 'fs';
import * as path from 'path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) and makes `dir` itself 0700; parents that existed are left as they are. */
export function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if ((fs.statSync(dir).mode & 0o777) !== PRIVATE_DIR_MODE) fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/** fs.openSync with the file 0600 (also a file that existed with another mode, when it is opened for writing). */
export function openPrivate(file: string, flags: string): number {
  const fd = fs.openSync(file, flags, PRIVATE_FILE_MODE);
  try {
    fs.fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  return fd;
}

/**
 * Writes `text` to `file`, 0600, through a temporary file beside it, fsync'd, and a rename (the directory fsync'd
 * too): a reader never sees half of it, and after a crash the file is the old one or the new one.
 */
export function writePrivate(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openPrivate(tmp, 'w');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

/** Makes a rename durable (POSIX: the new directory entry is on disk once the directory is fsync'd). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // some platforms (Windows) cannot open or fsync a directory; the rename is still atomic there
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** An append stream on `file`, 0600. */
export function privateAppendStream(file: string): fs.WriteStream {
  fs.closeSync(openPrivate(file, 'a'));
  return fs.createWriteStream(file, { flags: 'a' });
}

/**
 * Makes an existing file 0600 when group or others may read it; returns whether it had to. For files an older version
 * wrote, or that were copied in.
 */
export function makePrivate(file: string): boolean {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat || (stat.mode & 0o077) === 0) return false;
  fs.chmodSync(file, PRIVATE_FILE_MODE);
  return true;
}

/** Makes what a child process wrote (a synthesized cloud assembly) private: directories 0700, files 0600. */
export function makeTreePrivate(dir: string): void {
  privateDir(dir);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) makeTreePrivate(p);
    else if (entry.isFile()) makePrivate(p);
  }
}
