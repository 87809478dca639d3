// Synthesizes a CDK app into a cloud assembly and reads its stacks, without the CDK CLI: the app command runs
// with CDK_OUTDIR and CDK_CONTEXT_JSON set, as `cdk synth` runs it.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
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
}

export function synthesize(appCommand: string, outdir: string, context: Record<string, string> = {}, cwd = process.cwd()): void {
  fs.mkdirSync(outdir, { recursive: true });
  const result = spawnSync(appCommand, {
    shell: true,
    cwd,
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) {
    throw new Error(`synth failed (${appCommand}, exit ${result.status}):\n${(result.stderr || result.stdout || '').trim()}`);
  }
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
      nestedTemplate, templateFile, nestedTemplateFile,
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
