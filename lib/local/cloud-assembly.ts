// Synthesizes a CDK app into a cloud assembly and reads its stacks, without the CDK CLI: the app command runs
// with CDK_OUTDIR and CDK_CONTEXT_JSON set, as `cdk synth` runs it.
import { ChildProcess, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { isAlive } from './state-lock';
import { Template } from './template';

export interface AssemblyStack {
  readonly stackName: string;
  readonly template: Template;
  /** Reads the templates of this stack's nested stacks. */
  readonly nestedTemplate: (templateUrl: string) => Template;
  /** The template's file, whose bytes CloudFormation receives. */
  readonly templateFile: string;
  /** The file of a nested stack's template, by its TemplateURL. */
  readonly nestedTemplateFile: (templateUrl: string) => string;
  /** What the app said at synth (Annotations: info and warnings), as `cdk deploy` shows it. */
  readonly notices: readonly Notice[];
}

export interface Notice {
  readonly level: 'info' | 'warning';
  /** The construct path. */
  readonly path: string;
  readonly message: string;
}

/** The info and warning annotations of a stack artifact of the manifest. */
function noticesOf(artifact: { metadata?: Record<string, Array<{ type: string; data: unknown }>> }): Notice[] {
  const out: Notice[] = [];
  for (const [where, entries] of Object.entries(artifact.metadata ?? {})) {
    for (const e of entries) {
      if (e.type === 'aws:cdk:info' || e.type === 'aws:cdk:warning') out.push({ level: e.type === 'aws:cdk:info' ? 'info' : 'warning', path: where, message: String(e.data) });
    }
  }
  return out;
}

/**
 * Runs the app under a watchdog: a node process that starts the app in its own process group and kills that group
 * when this process goes away, however it goes (its stdin, a pipe from this process, then ends: also on kill -9, which
 * no handler here sees), or when it gets SIGINT/SIGTERM/SIGHUP. Otherwise an app killed with its CLI keeps writing
 * into the assembly folder, and the shell's children (the app itself) outlive the shell.
 */
const WATCHDOG = `
const { spawn } = require('child_process');
const [command, cwd] = process.argv.slice(1);
const app = spawn(command, { shell: true, cwd, stdio: ['ignore', 'inherit', 'inherit'], detached: process.platform !== 'win32' });
const stop = () => {
  try { process.kill(process.platform === 'win32' ? app.pid : -app.pid, 'SIGKILL'); } catch {}
  process.exit(1);
};
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, stop);
app.on('error', (e) => { process.stderr.write(String(e.message) + '\\n'); process.exit(1); });
app.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
`;

/** The watchdogs of syntheses in flight, killed when this process exits (their stdin ends then in any case). */
const running = new Set<ChildProcess>();
let exitHook = false;

/** Runs the app command with CDK_OUTDIR and CDK_CONTEXT_JSON, as `cdk synth` does; its process group dies with this process. */
export async function synthesize(appCommand: string, outdir: string, context: Record<string, string> = {}, cwd = process.cwd()): Promise<void> {
  fs.mkdirSync(outdir, { recursive: true });
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const child of running) child.kill('SIGTERM');
    });
  }
  const child = spawn(process.execPath, ['-e', WATCHDOG, appCommand, cwd], {
    cwd,
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  }).finally(() => running.delete(child));
  if (status !== 0) throw new Error(`synth failed (${appCommand}, exit ${status}):\n${output.trim()}`);
}

/**
 * A folder of its own for one run's synthesis, STATE/cdk.out.<pid>-<random>, after removing those of runs whose
 * process is gone (a killed deploy leaves one).
 */
export function runAssemblyDir(stateDir: string): string {
  for (const name of fs.readdirSync(stateDir)) {
    const pid = /^cdk\.out\.(\d+)-[0-9a-f]+$/.exec(name)?.[1];
    if (pid && !isAlive(Number(pid))) fs.rmSync(path.join(stateDir, name), { recursive: true, force: true });
  }
  return path.join(stateDir, `cdk.out.${process.pid}-${randomBytes(4).toString('hex')}`);
}


/** The top-level stacks of an assembly, each after the stacks it depends on. */
export function readAssembly(dir: string): AssemblyStack[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const artifacts = Object.entries<any>(manifest.artifacts ?? {}).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  const byId = new Map(artifacts);
  const order: string[] = [];
  const visit = (id: string) => {
    if (order.includes(id) || !byId.has(id)) return;
    for (const d of byId.get(id).dependencies ?? []) visit(d);
    order.push(id);
  };
  artifacts.forEach(([id]) => visit(id));
  const nestedTemplateFile = nestedTemplateFileFinder(dir);
  const nestedTemplate = (templateUrl: string): Template => JSON.parse(fs.readFileSync(nestedTemplateFile(templateUrl), 'utf8'));
  return order.map((id) => {
    const a = byId.get(id);
    const templateFile = path.join(dir, a.properties.templateFile);
    return {
      stackName: a.properties?.stackName ?? id,
      template: JSON.parse(fs.readFileSync(templateFile, 'utf8')),
      nestedTemplate, templateFile, nestedTemplateFile, notices: noticesOf(a),
    };
  });
}

/** Reads nested stack templates by their TemplateURL: the asset hash in the URL names the file in `*.assets.json`. */
export function nestedTemplateReader(dir: string): (templateUrl: string) => Template {
  const find = nestedTemplateFileFinder(dir);
  return (templateUrl) => JSON.parse(fs.readFileSync(find(templateUrl), 'utf8'));
}

/** The file of a nested stack's template, by its TemplateURL. */
export function nestedTemplateFileFinder(dir: string): (templateUrl: string) => string {
  const files = new Map<string, string>();
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.assets.json'))) {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    for (const [hash, asset] of Object.entries<any>(manifest.files ?? {})) files.set(hash, path.join(dir, asset.source.path));
  }
  return (templateUrl) => {
    const hash = /([0-9a-f]{64})\.json/.exec(templateUrl)?.[1];
    const file = hash && files.get(hash);
    if (!file) throw new Error(`nested stack template ${templateUrl} is not in the cloud assembly ${dir}`);
    return file;
  };
}
