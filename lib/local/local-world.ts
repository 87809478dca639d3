// The local stand-ins for the cloud, found or started for one state directory: a running `local serve` for that
// directory when there is one (endpoints.json answers), else an emulator in this process.
import * as fs from 'fs';
import * as path from 'path';
import { A4bEmulator } from './a4b-emulator';

export interface Endpoints {
  /** A4B endpoint URL. */
  readonly a4b: string;
}

export interface LocalWorld {
  readonly endpoints: Endpoints;
  /** The emulator when it runs in this process. */
  readonly emulator?: A4bEmulator;
  close(): Promise<void>;
}

export function endpointsFile(stateDir: string): string {
  return path.join(stateDir, 'endpoints.json');
}

/** Starts the emulators for `stateDir` and publishes their endpoints there, for `local serve`. */
export async function serveLocalWorld(stateDir: string, port = 0): Promise<LocalWorld> {
  if (await runningWorld(stateDir)) throw new Error(`a local serve already runs for ${stateDir} (see ${endpointsFile(stateDir)})`);
  const emulator = await A4bEmulator.start({ stateDir, port });
  const endpoints: Endpoints = { a4b: emulator.endpoint };
  fs.writeFileSync(endpointsFile(stateDir), JSON.stringify(endpoints, null, 2) + '\n');
  return {
    endpoints,
    emulator,
    close: async () => {
      fs.rmSync(endpointsFile(stateDir), { force: true });
      await emulator.stop();
    },
  };
}

/** The world for `stateDir`: the one `local serve` runs, or a new in-process one. */
export async function openLocalWorld(stateDir: string): Promise<LocalWorld> {
  const running = await runningWorld(stateDir);
  if (running) return { endpoints: running, close: async () => {} };
  const emulator = await A4bEmulator.start({ stateDir });
  return { endpoints: { a4b: emulator.endpoint }, emulator, close: () => emulator.stop() };
}

async function runningWorld(stateDir: string): Promise<Endpoints | undefined> {
  const file = endpointsFile(stateDir);
  if (!fs.existsSync(file)) return undefined;
  try {
    const endpoints = JSON.parse(fs.readFileSync(file, 'utf8')) as Endpoints;
    const res = await fetch(`${endpoints.a4b}/_emulator/health`, { signal: AbortSignal.timeout(1000) });
    return res.ok ? endpoints : undefined;
  } catch {
    return undefined; // a serve that died without cleaning up
  }
}
