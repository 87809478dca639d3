// Jest's globalSetup and globalTeardown: the whole run keeps its temporary files (tempDir's folders, each App's
// cdk.out, the CLI's and the emulators' state) in one folder, removed when the run ends. Workers start after
// globalSetup and inherit TMPDIR, which os.tmpdir() reads on each call; without this a run left ~1,000 folders.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const RUN_TMP = 'A4B_JEST_TMPDIR';

export function setup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'a4b-jest-'));
  process.env[RUN_TMP] = dir;
  process.env.TMPDIR = dir;
}

export function teardown(): void {
  const dir = process.env[RUN_TMP];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
