// `--app` means one thing in every command, as in the cdk CLI: a synthesized cloud assembly folder (cdk.out), or the
// command that runs a CDK app, which is then synthesized into a folder of its own for this run.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize } from '../local/cloud-assembly';

export interface AppAssembly {
  /** The cloud assembly to read. */
  readonly dir: string;
  /** Removes what this run synthesized (nothing for an assembly it was given). */
  dispose(): void;
}

/** Whether `app` names a cloud assembly folder rather than a command. */
export function isAssemblyDir(app: string): boolean {
  return fs.statSync(app, { throwIfNoEntry: false })?.isDirectory() === true;
}

/**
 * The cloud assembly of `--app`: the folder itself when it is one (it must hold a manifest.json), else what the command
 * synthesizes with `context` (as `cdk -c`), in a temporary folder removed by `dispose`.
 */
export async function appAssembly(app: string, context: Record<string, string> = {}, onSynth?: (message: string) => void): Promise<AppAssembly> {
  if (isAssemblyDir(app)) {
    if (!fs.existsSync(path.join(app, 'manifest.json'))) {
      throw new Error(`--app ${app} is a folder without a cloud assembly (no manifest.json): give a cdk.out folder that cdk synth wrote, or the command that runs your app`);
    }
    return { dir: path.resolve(app), dispose: () => undefined };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'a4b-rooms-synth-'));
  const dispose = () => fs.rmSync(dir, { recursive: true, force: true });
  onSynth?.(`synthesizing: ${app}`);
  try {
    await synthesize(app, dir, context);
  } catch (e) {
    dispose();
    throw e;
  }
  return { dir, dispose };
}
