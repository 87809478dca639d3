// `a4b-rooms init`: a ready CDK app around an inventory, as `cdk init` makes one: package.json, cdk.json, the app entry
// (TypeScript or JavaScript), a commented starter rooms.yaml (or an `a4b-rooms import` file), .gitignore and a
// README with the next commands. The templates are strings here, so they ship inside the CLI bundle.
import * as fs from 'fs';
import * as path from 'path';
import { parseInventoryFile } from '../inventory/parse';
import { validateInventory } from '../inventory/validate';
import { plural } from './words';

export type InitLanguage = 'typescript' | 'javascript';
export const INIT_LANGUAGES: readonly InitLanguage[] = ['typescript', 'javascript'];

/** What init reads from this package's own package.json: the versions the scaffold pins. */
export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly peerDependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
}

/** ts-node has had no release since 10.9.2 (2023); it works with TypeScript 5.x, not with 7. */
const TS_NODE_VERSION = '10.9.2';

/** The one package name npm accepts for a folder name: lower case, letters, digits and - . _ only. */
export function packageNameOf(dir: string): string {
  const name = path.basename(path.resolve(dir)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|-+$/g, '');
  return name || 'rooms';
}

/**
 * The versions the scaffold's package.json pins: this package at the version being run, aws-cdk-lib, constructs and
 * the aws-cdk CLI at the versions this package is tested with (within its peerDependencies), TypeScript 5.9.
 */
export function scaffoldDependencies(pkg: PackageManifest, language: InitLanguage) {
  const pinned = (name: string) => {
    const v = pkg.devDependencies[name];
    if (!v) throw new Error(`${pkg.name}'s package.json has no devDependency ${name}: reinstall ${pkg.name}`);
    return v;
  };
  const dependencies = { 'aws-cdk-lib': pinned('aws-cdk-lib'), 'cdk-a4b-rooms': pkg.version, 'constructs': pinned('constructs') };
  const devDependencies: Record<string, string> = { 'aws-cdk': pinned('aws-cdk') };
  if (language === 'typescript') {
    devDependencies['@types/node'] = pinned('@types/node');
    devDependencies['ts-node'] = TS_NODE_VERSION;
    devDependencies.typescript = `~${pinned('typescript')}`;
  }
  return { dependencies, devDependencies: Object.fromEntries(Object.entries(devDependencies).sort(([a], [b]) => a.localeCompare(b))) };
}

/** The files of a new project, by path relative to its folder; rooms.yaml is `inventory` when given (an import file). */
export function scaffoldFiles(pkg: PackageManifest, options: { dir: string; language: InitLanguage; inventory?: string }): Record<string, string> {
  const ts = options.language === 'typescript';
  const entry = ts ? 'bin/app.ts' : 'app.js';
  const { dependencies, devDependencies } = scaffoldDependencies(pkg, options.language);
  const packageJson = {
    name: packageNameOf(options.dir),
    version: '0.1.0',
    private: true,
    scripts: {
      ...(ts ? { typecheck: 'tsc' } : {}),
      validate: 'a4b-rooms validate rooms.yaml',
      synth: 'cdk synth',
      cdk: 'cdk',
    },
    dependencies,
    devDependencies,
  };
  const cdkJson = {
    app: ts ? 'npx ts-node --prefer-ts-exts bin/app.ts' : 'node app.js',
    watch: { include: ['**'], exclude: ['README.md', 'cdk*.json', 'node_modules', 'cdk.out', '.a4b-local'] },
    // As this package's own cdk.json: the parent stack of a large inventory holds more than CDK's default 500-resource warning.
    context: { '@aws-cdk/core:stackResourceLimit': 500 },
  };
  const files: Record<string, string> = {
    'package.json': json(packageJson),
    'cdk.json': json(cdkJson),
    [entry]: appSource(options.language),
    'rooms.yaml': options.inventory ?? STARTER_INVENTORY,
    '.gitignore': 'node_modules/\ncdk.out/\n.a4b-local/\n',
    'README.md': readme(pkg, options.language),
  };
  if (ts) {
    files['tsconfig.json'] = json({
      compilerOptions: {
        target: 'ES2022', module: 'commonjs', lib: ['es2022'], strict: true, noEmit: true,
        esModuleInterop: true, skipLibCheck: true, types: ['node'],
      },
      exclude: ['node_modules', 'cdk.out', '.a4b-local'],
    });
  }
  return files;
}

/** The files in `dir` that are not ignorable (.git is: `git init` before `init` is common). */
function occupants(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f !== '.git').sort();
}

/**
 * Writes the scaffold into `dir` (created when missing) and returns the paths written, relative to it. Refuses a
 * folder with files in it unless `force` (then the scaffold's files are overwritten and the others left), and an
 * import file that does not validate; nothing is written then.
 */
export function initProject(pkg: PackageManifest, options: { dir: string; language: InitLanguage; fromImport?: string; force?: boolean }): string[] {
  const { dir } = options;
  if (!INIT_LANGUAGES.includes(options.language)) {
    throw new Error(`--language ${options.language}: give ${INIT_LANGUAGES.join(' or ')}`);
  }
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw new Error(`${dir} is a file, not a directory: give a new or empty directory for the project`);
  if (stat && !options.force) {
    const there = occupants(dir);
    if (there.length) {
      const shown = there.slice(0, 10).join(', ') + (there.length > 10 ? ` and ${there.length - 10} more` : '');
      throw new Error(`${dir} is not empty (${shown}): give a new or empty directory, or --force to write the project's files over these`);
    }
  }
  let inventory: string | undefined;
  if (options.fromImport !== undefined) {
    const problems = validateInventory(parseInventoryFile(options.fromImport));
    if (problems.length) {
      throw new Error(`--from-import ${options.fromImport}: ${plural(problems.length, 'problem')}; fix them (a4b-rooms validate ${options.fromImport}), nothing was written:\n${problems.join('\n')}`);
    }
    inventory = fs.readFileSync(options.fromImport, 'utf8');
  }
  const files = scaffoldFiles(pkg, { dir, language: options.language, inventory });
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return Object.keys(files);
}

/** What to run next in a new project, in order. */
export function nextCommands(dir: string): string[] {
  return [
    ...(path.resolve(dir) === path.resolve('.') ? [] : [`cd ${/[^\w./-]/.test(dir) ? JSON.stringify(dir) : dir}`]),
    'npm install',
    'npx a4b-rooms validate rooms.yaml',
    'npx cdk synth',
    'npx a4b-rooms local deploy rooms.yaml',
    'npx a4b-rooms drift rooms.yaml --local',
  ];
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function appSource(language: InitLanguage): string {
  const body = [
    '',
    'const app = new App();',
    '// The inventory: rooms.yaml, or another file with `cdk synth -c inventory=FILE`.',
    `const file${language === 'typescript' ? ': string' : ''} = app.node.tryGetContext('inventory') ?? 'rooms.yaml';`,
    "const stack = new Stack(app, 'A4BRooms', { description: `cdk-a4b-rooms: Alexa for Business rooms of ${path.basename(file)}` });",
    '// consoleStepOutput: a stack output says the A4B console step no API can do.',
    'const inventory = new RoomInventory(stack, \'Inventory\', { file, consoleStepOutput: true });',
    '// An hourly drift check with alarms; -c driftMonitor=false leaves it out.',
    "const driftMonitor = app.node.tryGetContext('driftMonitor');",
    "if (driftMonitor !== false && driftMonitor !== 'false') {",
    "  new DriftMonitor(stack, 'DriftMonitor', { inventory });",
    '}',
    'app.synth();',
    '',
  ];
  const head = language === 'typescript'
    ? ['#!/usr/bin/env node', '// The CDK app: the rooms, profiles and skill groups of rooms.yaml, in one stack.',
      "import * as path from 'path';", "import { App, Stack } from 'aws-cdk-lib';", "import { DriftMonitor, RoomInventory } from 'cdk-a4b-rooms';"]
    : ['#!/usr/bin/env node', '// The CDK app: the rooms, profiles and skill groups of rooms.yaml, in one stack.',
      "const path = require('path');", "const { App, Stack } = require('aws-cdk-lib');", "const { DriftMonitor, RoomInventory } = require('cdk-a4b-rooms');"];
  return [...head, ...body].join('\n');
}

function readme(pkg: PackageManifest, language: InitLanguage): string {
  const ts = language === 'typescript';
  return `# Alexa for Business rooms

A CDK app made by \`a4b-rooms init\` (${pkg.name} ${pkg.version}): the rooms, room profiles and skill groups of
\`rooms.yaml\`, their Office 365 calendar link and an hourly drift monitor, in the stack \`A4BRooms\` (${ts ? '`bin/app.ts`' : '`app.js`'}).

\`\`\`sh
npm install
npx a4b-rooms validate rooms.yaml                  # offline: every problem as FILE:LINE:COL
npx cdk synth                                      # offline, no AWS credentials needed
npx a4b-rooms local deploy rooms.yaml              # to local emulators of A4B, Entra ID and Graph (state in .a4b-local)
npx a4b-rooms drift rooms.yaml --local             # exit 0: the emulators match rooms.yaml
\`\`\`

Before the first real \`npx cdk deploy\` (Entra app and consent, the credentials secret, IAM, \`cdk bootstrap\`, the A4B
endpoint), follow the checklist in the README of ${pkg.name}: \`node_modules/${pkg.name}/README.md\`.
${ts ? `
TypeScript stays on 5.9 (\`typescript@~5.9\` in package.json): TypeScript 7 breaks ts-node, which \`cdk synth\` runs
the app with, and jsii. Do not upgrade it with \`npm i -D typescript\`.
` : ''}`;
}

/** The starter inventory: placeholders to replace, valid as written so that synth and a local deploy work at once. */
const STARTER_INVENTORY = `# yaml-language-server: $schema=node_modules/cdk-a4b-rooms/schema/rooms.schema.json
#
# The rooms Alexa for Business manages, each with its Exchange resource mailbox. Replace the contoso placeholders
# with your own; check with \`npx a4b-rooms validate rooms.yaml\`. Every field is in the README of cdk-a4b-rooms.

# How A4B reads and books the rooms' calendars; every deploy checks it through Microsoft Graph first.
calendarLink:
  tenantId: contoso.onmicrosoft.com               # your tenant's domain or GUID
  method: delegate                                # or application (with applicationId)
  serviceAccount: alexaforbusiness@contoso.onmicrosoft.com
  credentialsSecret: a4b-rooms/graph-validator    # Secrets Manager secret (name or ARN) with the Entra app's credentials
  grantMissingPermissions: false                  # true: give the service account calendar write where it lacks it

# On every room, profile and skill group.
tags:
  managed-by: cdk-a4b-rooms

profiles:
  - name: Meeting rooms
    address: 1 Main Street, Springfield
    timezone: Europe/Berlin                       # IANA time zone
    wakeWord: ALEXA
    meetingRoom:
      endOfMeetingReminder: { enabled: true, minutes: 5, type: ANNOUNCEMENT_TIME_CHECK }
      instantBooking: { enabled: true, durationMinutes: 30 }
      requireCheckIn: { enabled: true, releaseAfterMinutes: 10 }

skillGroups:
  - name: Conferencing
    description: Start and join meetings

rooms:
  - name: Room 1.01
    mailbox: room101@contoso.onmicrosoft.com       # the room's resource mailbox
    profile: Meeting rooms                         # by name
    skillGroups: [Conferencing]                    # by name
  - name: Room 1.02
    mailbox: room102@contoso.onmicrosoft.com
    profile: Meeting rooms
    skillGroups: [Conferencing]
    description: Video room
    # adoptExisting: true                          # take over an A4B room of this name instead of failing
`;
