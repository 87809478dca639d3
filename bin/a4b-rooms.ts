#!/usr/bin/env node
// a4b-rooms: the command line of cdk-a4b-rooms.
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, Option } from 'commander';
import { cliMessage, errorDocument } from '../lib/cli/errors';
import { A4bContext, HandlerEnv } from '../lib/contract';
import { ProgressLine } from '../lib/cli/progress';
import { validateReport } from '../lib/cli/validate';
import { plural } from '../lib/cli/words';
import type { InitLanguage, PackageManifest } from '../lib/cli/init';
import { parseInventoryFile } from '../lib/inventory/parse';
import { validateInventory } from '../lib/inventory/validate';
import { ResourceOutcome } from '../lib/local/deploy-engine';
import { deployStatsLine, localDeploy } from '../lib/local/local-deploy';
import { readTenantFile, resetStateDir, serveLocalWorld } from '../lib/local/local-world';
import { isStateDir } from '../lib/local/state-manifest';

const DEFAULT_STATE = '.a4b-local';
const RESET_STATE_HELP = 'start from an empty state: move the --state directory aside to <dir>.broken-<UTC time> first (kept, never deleted), '
  + 'for a state directory refused as damaged';
/** This package's package.json, beside bin/ in the checkout and in the installed package alike. */
const PACKAGE_JSON = path.join(__dirname, '..', 'package.json');
/** The app that deploys an inventory file (given as context), this package's own. */
const INVENTORY_APP = `node ${JSON.stringify(path.join(__dirname, 'app.js'))}`;

const program = new Command()
  .name('a4b-rooms')
  .description('Alexa for Business rooms as code: local emulators and deploys for cdk-a4b-rooms')
  .version(ownPackage().version, '-V, --version', 'print the version of cdk-a4b-rooms')
  .option('--debug', 'print the stack of an error')
  .showHelpAfterError()
  // Usage errors come back to failed() below (commander has printed them), so that --json still gets its document.
  .exitOverride();

/** The command whose action runs (set before it starts), for failed() to know its name and whether --json was given. */
let running: Command | undefined;
program.hook('preAction', (_, action) => {
  running = action;
  // --state names the local emulators' state; given without --local, the command would read real AWS and Microsoft 365.
  const readsAws = action.options.some((o) => o.long === '--local') && !action.opts().local;
  if (readsAws && action.getOptionValueSource('state') === 'cli') {
    throw new Error(`${action.name()} --state ${action.opts().state}: --state is the local emulators' state directory; add --local to read them `
      + '(without --local the command reads A4B and Microsoft 365)');
  }
  if (readsAws) a4bFromCdkJson();
});

/**
 * Where A4B is, from the one place the app and the pipeline read it too: the context of ./cdk.json (`a4bRegion`,
 * `a4bEndpoint`), under what the environment (A4B_REGION, AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS) and --region say.
 */
function a4bFromCdkJson(): void {
  const file = path.resolve('cdk.json');
  if (!fs.existsSync(file)) return;
  const context = (JSON.parse(fs.readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
  const set = (key: string, variable: string) => {
    const value = context[key];
    if (value === undefined) return;
    if (typeof value !== 'string' || !value.trim()) throw new Error(`${file}: context ${key} must be a string, not ${JSON.stringify(value)}`);
    process.env[variable] ??= value;
  };
  set(A4bContext.REGION, HandlerEnv.A4B_REGION);
  set(A4bContext.ENDPOINT, HandlerEnv.A4B_ENDPOINT);
}

program.command('init')
  .description('scaffold a CDK app for an inventory, as cdk init does: package.json, cdk.json, the app, a starter rooms.yaml, .gitignore, README.md')
  .argument('[dir]', 'the project folder, created when missing (default: the working directory)', '.')
  .addOption(new Option('--language <language>', 'the app\'s language').choices(['typescript', 'javascript']).default('typescript'))
  .option('--from-import <file>', 'start from an inventory that a4b-rooms import wrote (validated, copied to rooms.yaml) instead of the starter one')
  .option('--force', 'write into a folder that has files in it (the project\'s files are overwritten, others left)')
  .action(async (dir: string, opts: { language: InitLanguage; fromImport?: string; force?: boolean }) => {
    const { initProject, nextCommands } = await import('../lib/cli/init');
    const written = initProject(ownPackage(), { dir, language: opts.language, fromImport: opts.fromImport, force: opts.force });
    for (const f of written) console.log(`wrote ${path.join(dir, f)}`);
    console.log(`\nNext:\n${nextCommands(dir).map((c) => `  ${c}`).join('\n')}`);
  });

program.command('validate')
  .description('check an inventory offline: every problem as FILE:LINE:COL, exit 1 when there is one')
  .argument('<file>', 'inventory file (YAML or JSON)')
  .option('--json', 'JSON output on stdout (version 1: status valid or invalid, file, problems [{ file, line, column, message }])')
  .action((file: string, opts: { json?: boolean }) => {
    const problems = validateInventory(parseInventoryFile(file));
    process.exitCode = problems.length ? 1 : 0;
    if (opts.json) {
      console.log(JSON.stringify(validateReport(file, problems), null, 2));
    } else if (problems.length) {
      for (const p of problems) console.error(p);
      console.error(`\n${plural(problems.length, 'problem')} in ${file}`);
    } else {
      console.log(`${file}: valid`);
    }
  });

program.command('drift')
  .description('compare live A4B and Office 365 with an inventory; exit 0 in sync, 2 drift, 1 error (as terraform -detailed-exitcode)')
  .argument('[file]', 'inventory file (YAML or JSON); or give --app')
  .option('--app <command|dir>', 'the CDK app instead of an inventory file: a synthesized cloud assembly folder (cdk.out), or the command that runs the app (synthesized for this run), as cdk --app')
  .option('-c, --context <key=value...>', 'context for the app given by --app, as cdk -c')
  .option('--local', 'read the local emulators instead of AWS and Microsoft 365')
  .option('--state <dir>', 'state directory of the local emulators (with --local)', DEFAULT_STATE)
  .option('--region <region>', 'A4B region (default: A4B_REGION, else AWS_REGION, else us-east-1)')
  .option('--ignore-unmanaged', 'leave out rooms, profiles and skill groups that exist in A4B but are not declared')
  .addOption(new Option('--request-timeout <seconds>', 'how long one A4B read may take, retries included, before its room or profile is reported unknown')
    .default(30).argParser((v) => parseSeconds(v, '--request-timeout')))
  .addOption(new Option('--json', 'JSON output (schema in the README)').conflicts('markdown'))
  .option('--markdown', 'Markdown output, for a pull-request comment')
  .option('--html <file>', 'also write an HTML report to FILE: one self-contained page (summary, charts, every finding with its fix, to search, sort and filter), for a pipeline run to attach')
  .action(async (file: string | undefined, opts: {
    app?: string; context?: string[]; local?: boolean; state: string; region?: string; ignoreUnmanaged?: boolean; json?: boolean; markdown?: boolean;
    requestTimeout: number; html?: string;
  }) => {
    const { driftRead } = await import('../lib/cli/drift');
    const { exitCode } = await import('../lib/drift/compare');
    const { toJson, toMarkdown, toTable } = await import('../lib/drift/report');
    if (file === undefined && opts.app === undefined) throw new Error('drift needs the declaration: an inventory file, or --app (a cdk.out folder or the command that runs your app)');
    const stateDir = opts.local ? existingStateDir(opts.state) : undefined;
    if (opts.html) writableOutput(opts.html, 'drift.html');
    const source = await declaration(file, opts.app, opts.context);
    try {
      if (process.stderr.isTTY) process.stderr.write(`reading ${opts.local ? `the local emulators of ${path.resolve(opts.state)}` : 'A4B and Microsoft 365'} …\n`);
      const { report, desired, live } = await driftRead({
        inventoryFile: source.inventoryFile, assemblyDir: source.assemblyDir, localStateDir: stateDir,
        ignoreUnmanaged: opts.ignoreUnmanaged, region: opts.region, requestTimeoutSeconds: opts.requestTimeout,
      });
      console.log(opts.json ? toJson(report) : opts.markdown ? toMarkdown(report) : toTable(report));
      if (opts.html) {
        const { driftFacts, driftHtml, toHtml } = await import('../lib/drift/report-html');
        const declared = file ?? `--app ${opts.app}`;
        writeHtml(opts.html, toHtml(driftHtml(report, driftFacts(desired, live), {
          generated: new Date().toISOString(), link: desired.link,
          source: `${declared} against ${opts.local ? `the local emulators of ${opts.state}` : 'A4B and Microsoft 365'}`,
          deploy: opts.local ? `a4b-rooms local deploy ${declared} --state ${opts.state}` : 'cdk deploy',
          region: opts.region ?? process.env.A4B_REGION ?? process.env.AWS_REGION ?? 'us-east-1',
        })));
      }
      process.exitCode = exitCode(report);
    } finally {
      source.dispose();
    }
  });

program.command('check')
  .description('run the Office 365 checks of a deploy (mailboxes, permissions, consent) without deploying: every problem of every room with its fix; exit 0 clean, 1 problems or read errors')
  .argument('[file]', 'inventory file (YAML or JSON; default rooms.yaml); or give --app')
  .option('--app <command|dir>', 'the CDK app instead of an inventory file: a synthesized cloud assembly folder (cdk.out), or the command that runs the app (synthesized for this run), as cdk --app')
  .option('-c, --context <key=value...>', 'context for the app given by --app, as cdk -c')
  .option('--local', 'read the local emulators instead of Microsoft 365')
  .option('--state <dir>', 'state directory of the local emulators (with --local)', DEFAULT_STATE)
  .option('--json', 'JSON output (version 1: status, link, permissions, checked, linkProblems, rooms [{ name, mailbox, kind, problem, fix }], notes, grants, errors)')
  .option('--html <file>', 'also write an HTML report to FILE: one self-contained page (summary, charts, every problem with its fix, to search, sort and filter), for a pipeline run to attach')
  .action(async (file: string | undefined, opts: {
    app?: string; context?: string[]; local?: boolean; state: string; json?: boolean; html?: string;
  }) => {
    const { checkInventory, checkExitCode, checkHtml, checkText } = await import('../lib/cli/check');
    const stateDir = opts.local ? existingStateDir(opts.state) : undefined;
    if (opts.html) writableOutput(opts.html, 'check.html');
    const source = await declaration(file, opts.app, opts.context);
    try {
      const report = await checkInventory({ inventoryFile: source.inventoryFile, assemblyDir: source.assemblyDir, localStateDir: stateDir });
      console.log(opts.json ? JSON.stringify(report, null, 2) : checkText(report));
      if (opts.html) {
        const { toHtml } = await import('../lib/drift/report-html');
        writeHtml(opts.html, toHtml(checkHtml(report, { generated: new Date().toISOString(), ...await htmlSource(source, file, opts) })));
      }
      process.exitCode = checkExitCode(report);
    } finally {
      source.dispose();
    }
  });

program.command('test-booking')
  .description('book each room with a marked test meeting, read what the room kept (DeleteComments) and clean up: the manual\'s "Test the calendar integration", automated; exit 0 every room passed, 2 some room failed a check, 1 the test could not run')
  .argument('[file]', 'inventory file (YAML or JSON; default rooms.yaml); or give --app')
  .option('--app <command|dir>', 'the CDK app instead of an inventory file: a synthesized cloud assembly folder (cdk.out), or the command that runs the app (synthesized for this run), as cdk --app')
  .option('-c, --context <key=value...>', 'context for the app given by --app, as cdk -c')
  .option('--rooms <names>', 'comma-separated room names (default: every room with a mailbox)')
  .option('--organizer <address>', 'the mailbox that books (required in the application method; default the service account)')
  .option('--local', 'use the local emulators instead of Microsoft 365')
  .option('--state <dir>', 'state directory of the local emulators (with --local)', DEFAULT_STATE)
  .option('--timeout <seconds>', 'how long to wait for the rooms\' answers', '120')
  .option('--json', 'JSON output (version 1: status, organizer, runId, permissions, leftoversRemoved, rooms [{ name, mailbox, booked, answer, dialInKept, cleaned, check, message, fix }], errors)')
  .option('--html <file>', 'also write an HTML report to FILE: one self-contained page (summary, charts, every room\'s result with its fix, to search, sort and filter), for a pipeline run to attach')
  .action(async (file: string | undefined, opts: {
    app?: string; context?: string[]; rooms?: string; organizer?: string; local?: boolean; state: string; timeout: string; json?: boolean;
    html?: string;
  }) => {
    const { testBooking, bookingExitCode, bookingHtml, bookingText } = await import('../lib/cli/test-booking');
    const timeoutSeconds = Number(opts.timeout);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new Error(`--timeout ${opts.timeout}: give a number of seconds greater than 0`);
    const stateDir = opts.local ? existingStateDir(opts.state) : undefined;
    if (opts.html) writableOutput(opts.html, 'test-booking.html');
    const source = await declaration(file, opts.app, opts.context);
    const abort = new AbortController();
    // Ctrl-C stops the waiting; the test meetings are still cancelled and deleted. A second Ctrl-C quits at once.
    const onSignal = () => {
      if (abort.signal.aborted) process.exit(130);
      process.stderr.write('interrupted: cancelling and deleting the test meetings (Ctrl-C again to quit at once) …\n');
      abort.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const report = await testBooking({
        inventoryFile: source.inventoryFile, assemblyDir: source.assemblyDir, rooms: opts.rooms?.split(',').map((r) => r.trim()).filter(Boolean),
        organizer: opts.organizer, localStateDir: stateDir, timeoutSeconds, signal: abort.signal,
        progress: (line) => process.stderr.write(`${line}\n`),
      });
      console.log(opts.json ? JSON.stringify(report, null, 2) : bookingText(report));
      if (opts.html) {
        const { toHtml } = await import('../lib/drift/report-html');
        writeHtml(opts.html, toHtml(bookingHtml(report, { generated: new Date().toISOString(), ...await htmlSource(source, file, opts) })));
      }
      process.exitCode = bookingExitCode(report);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      source.dispose();
    }
  });

program.command('import')
  .description('write an inventory from a live A4B account (rooms, profiles, skill groups, devices, tags), each entry adopting its resource')
  .option('--local', 'read the local emulators instead of AWS')
  .option('--state <dir>', 'state directory of the local emulators (with --local)', DEFAULT_STATE)
  .option('--region <region>', 'A4B region (default: A4B_REGION, else AWS_REGION, else us-east-1)')
  .option('-o, --output <file>', 'write the inventory here instead of to standard output')
  .action(async (opts: { local?: boolean; state: string; region?: string; output?: string }) => {
    const { importInventory, inventoryCounts, inventoryYaml } = await import('../lib/cli/import');
    const { a4bClient } = await import('../lib/runtime/a4b/client');
    const { openLocalWorld } = await import('../lib/local/local-world');
    const { LOCAL_AWS_CREDENTIALS } = await import('../lib/cli/local-emulators');
    if (opts.output) writableOutput(opts.output);
    const world = opts.local ? await openLocalWorld(existingStateDir(opts.state)) : undefined;
    try {
      const a4b = a4bClient({ region: opts.region, ...(world ? { endpoint: world.endpoints.a4b, credentials: LOCAL_AWS_CREDENTIALS } : {}) });
      const inventory = await importInventory(a4b);
      const text = inventoryYaml(inventory);
      a4b.destroy();
      if (opts.output) {
        writeAtomically(opts.output, text);
        console.log(`wrote ${inventoryCounts(inventory)} to ${opts.output}`);
      } else {
        process.stdout.write(text);
      }
    } finally {
      await world?.close();
    }
  });

const local = program.command('local').description('the local emulators (A4B) and deploys to them');

local.command('serve')
  .description('run the emulators (A4B, Secrets Manager, Entra ID, Graph) until interrupted; endpoints are printed and written to STATE/endpoints.json')
  .option('--state <dir>', 'state directory (persists across restarts)', DEFAULT_STATE)
  .option('--port <port>', 'A4B and Secrets Manager emulator port (0: any free port)', (v) => parsePort(v), 0)
  .option('--graph-port <port>', 'Entra ID and Graph emulator port (0: any free port)', (v) => parsePort(v), 0)
  .option('--tenant <file>', 'Office 365 tenant file (YAML or JSON) for a state directory that has no tenant yet')
  .addOption(a4bRateLimitOption())
  .option('--reset-state', RESET_STATE_HELP)
  .action(async (opts: { state: string; port: number; graphPort: number; tenant?: string; a4bRateLimit?: number; resetState?: boolean }) => {
    const stateDir = newStateDir(opts.state);
    const tenant = opts.tenant ? readTenantFile(opts.tenant) : undefined;
    if (opts.resetState) await resetState(stateDir);
    const world = await serveLocalWorld(stateDir, {
      a4bPort: opts.port, graphPort: opts.graphPort, tenant, a4bRateLimit: opts.a4bRateLimit,
    });
    console.log(JSON.stringify(world.endpoints, null, 2));
    console.error(`emulators running for ${path.resolve(opts.state)}; Ctrl-C stops them`);
    const stop = async () => {
      await world.close();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

local.command('deploy')
  .description('synthesize an inventory (or a CDK app) and apply it to the local emulators through the bundled handlers')
  .argument('[file]', 'inventory file (YAML or JSON); without it, --app, --assembly, or the app of ./cdk.json')
  .option('--app <command|dir>', 'the CDK app: the command that runs it, or a synthesized cloud assembly folder (cdk.out), as cdk --app (default: "app" of ./cdk.json)')
  .option('--assembly <dir>', 'deploy an already synthesized cloud assembly (the same as --app DIR)')
  .option('--state <dir>', 'state directory (emulator state and last applied templates)', DEFAULT_STATE)
  .option('-c, --context <key=value...>', 'context for the app, as cdk -c')
  .option('--tenant <file>', 'Office 365 tenant file (YAML or JSON) for a state directory that has no tenant yet (default: one in which the app\'s calendar link validates)')
  .addOption(new Option('--concurrency <n>', 'resource operations in flight at once per stack (default: no cap, as CloudFormation starts every resource whose dependencies are met)')
    .argParser((v) => parsePositive(v, '--concurrency')))
  .addOption(new Option('--account-concurrency <n>', 'the account\'s Lambda concurrency, shared by functions without ReservedConcurrentExecutions')
    .default(1000).argParser((v) => parsePositive(v, '--account-concurrency')))
  .addOption(a4bRateLimitOption())
  .option('--reset-state', RESET_STATE_HELP)
  .action(async (file: string | undefined, opts: {
    app?: string; assembly?: string; state: string; context?: string[]; concurrency?: number; accountConcurrency: number; a4bRateLimit?: number;
    tenant?: string; resetState?: boolean;
  }) => {
    // One source: with two, one would be deployed and the other ignored (an --assembly deployed over an inventory
    // file deletes the rooms the file declares).
    const sources = [file !== undefined && `inventory ${file}`, opts.app !== undefined && `--app ${opts.app}`, opts.assembly !== undefined && `--assembly ${opts.assembly}`]
      .filter((x): x is string => typeof x === 'string');
    if (sources.length > 1) throw new Error(`local deploy takes one source, not ${sources.join(' and ')}: give the inventory file, --app or --assembly alone`);
    const stateDir = newStateDir(opts.state);
    const fromCdkJson = !file && !opts.app && !opts.assembly ? cdkJson() : undefined;
    // As cdk synth: the context of cdk.json, then -c over it. Its values reach the app as JSON (CDK_CONTEXT_JSON), so a
    // number or a boolean of cdk.json stays one.
    const context = { ...fromCdkJson?.context, ...parseContext(opts.context ?? []) } as Record<string, string>;
    if (file) {
      const problems = validateInventory(parseInventoryFile(file));
      if (problems.length) throw new Error(`${problems.length} problem${problems.length > 1 ? 's' : ''} in ${file}; nothing was deployed:\n${problems.join('\n')}`);
      context.inventory = path.resolve(file);
    }
    const { isAssemblyDir } = await import('../lib/cli/app-source');
    const assemblyDir = opts.assembly ?? (opts.app !== undefined && isAssemblyDir(opts.app) ? opts.app : undefined);
    const app = assemblyDir ? undefined : file ? INVENTORY_APP : opts.app ?? fromCdkJson!.app;
    const tenant = opts.tenant ? readTenantFile(opts.tenant) : undefined;
    notAProjectDir(opts.state, stateDir);
    if (opts.resetState) await resetState(stateDir);
    const tty = process.stderr.isTTY;
    exitOnSignal((signal) => `${tty ? '\n' : ''}a4b-rooms: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}: the local deploy to ${stateDir} `
      + `stopped part way; the next local deploy continues from its journal in ${path.join(stateDir, 'stacks')}`);
    // Each event as it happens (a line each, what a CI log keeps), and on a terminal a status line under them.
    const progress = new ProgressLine(process.stderr, (line) => console.log(line));
    let done = 0;
    let changed = 0;
    const onProgress = (o: ResourceOutcome) => {
      done++;
      if (o.action !== 'unchanged') {
        changed++;
        progress.event(`  ${o.action.padEnd(9)} ${o.type.padEnd(23)} ${o.name ?? o.logicalId}  ${o.physicalId ?? ''}${o.note ? `\n            ${o.note}` : ''}`);
      }
      progress.status(`${done} resource${done === 1 ? '' : 's'} done, ${changed} changed`);
    };
    const result = await localDeploy({
      app, assemblyDir, stateDir, context,
      concurrency: opts.concurrency, accountConcurrency: opts.accountConcurrency, a4bRateLimit: opts.a4bRateLimit,
      onProgress, onPhase: (message) => progress.event(message), tenant,
    });
    progress.clear();
    for (const stack of result.stacks) {
      const count = (a: string) => stack.outcomes.filter((o) => o.action === a).length;
      console.log(`\nStack ${stack.stack}: created ${count('create')}, updated ${count('update') + count('replace')}, deleted ${count('delete')}, `
        + `retained ${count('retain')}, unchanged ${count('unchanged')}, failed ${stack.ok ? 0 : 1}`);
      if (!stack.ok) {
        console.error(`\n✗ ${stack.stack} failed: ${stack.error}`);
        for (const r of stack.rollback ?? []) console.error(`  rollback: ${r}`);
      }
    }
    const outputs = result.stacks.flatMap((st) => Object.entries(st.outputs ?? {}).map(([k, v]) => `${st.stack}.${k} = ${v}`));
    if (outputs.length) console.log(`\nOutputs:\n${outputs.join('\n')}`);
    console.log(`\n${deployStatsLine(result)}`);
    console.log(`\nA4B emulator state: ${path.resolve(opts.state)} (endpoint during this run: ${result.endpoints.a4b})`);
    process.exitCode = result.ok ? 0 : 1;
  });

/** --reset-state: the state directory moved aside, and where it went, on stderr. */
async function resetState(stateDir: string): Promise<void> {
  const aside = await resetStateDir(stateDir);
  if (aside) console.error(`notice: moved the state directory ${stateDir} aside to ${aside}; starting from an empty state`);
}

/**
 * A directory that holds a cdk.out but no local state is a CDK project's output, not a state directory: local deploy
 * would replace that cdk.out with its own.
 */
function notAProjectDir(dir: string, abs: string): void {
  if (fs.existsSync(path.join(abs, 'cdk.out')) && !isStateDir(abs)) {
    throw new Error(`--state ${dir} holds a cdk.out but no local state (no a4b.json, graph.json or stacks/): local deploy would replace that cdk.out with its own; `
      + `give a directory of its own for the emulators' state, such as the default ${DEFAULT_STATE}`);
  }
}

/**
 * Ends the process on SIGINT or SIGTERM with `message` and the shell's codes (130, 143). What runs on exit releases
 * the state directory's locks and stops the synth's app (lib/local/state-lock.ts, cloud-assembly.ts); the deploy's
 * journals, written before each call, let the next run continue.
 */
function exitOnSignal(message: (signal: NodeJS.Signals) => string): void {
  const exit = (signal: NodeJS.Signals) => {
    process.stderr.write(`${message(signal)}\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', exit);
  process.once('SIGTERM', exit);
}

/**
 * What an emulator writes into a state directory the first time it runs there (see JournaledStore, local serve), and
 * the locks of a process that is making one right now (which the caller then waits for, or is refused by, by name).
 */
const LOCAL_STATE_FILES = ['a4b.json', 'a4b.journal.jsonl', 'endpoints.json', 'emulators.lock', 'deploy.lock'];

/**
 * The absolute path of a --state directory, refused when it is the working directory, one of its parents or the root
 * (an empty --state is the working directory): the emulators would write their state there, and local deploy would
 * replace ./cdk.out with its own. Every command that takes --state checks it through here.
 */
function ownStateDir(dir: string): string {
  const abs = path.resolve(dir);
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return p;
    }
  };
  const [state, cwd] = [real(abs), real(process.cwd())];
  const what = dir === '' ? 'an empty path is the working directory'
    : state === path.parse(state).root ? 'that is the root directory'
      : state === cwd ? 'that is the working directory'
        : cwd.startsWith(state + path.sep) ? 'that is a parent of the working directory' : undefined;
  if (what) {
    throw new Error(`--state ${dir === '' ? "''" : dir}: ${what}, where the emulators' state and local deploy's cdk.out would go (replacing ./cdk.out); `
      + `give a directory of its own, such as the default ${DEFAULT_STATE}`);
  }
  return abs;
}

/**
 * A state directory for `local deploy` and `local serve`, created when missing: refused when it, or the nearest part
 * of its path that exists, is not a directory (mkdir would fail with a bare EEXIST or ENOTDIR).
 */
function newStateDir(dir: string): string {
  const abs = ownStateDir(dir);
  let existing = abs;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  if (!fs.statSync(existing).isDirectory()) {
    throw new Error(`--state ${dir}: ${existing === abs ? 'it' : existing} is a file, not a directory; give a directory for the emulators' state (it is created when missing)`);
  }
  return abs;
}

/**
 * A state directory that `drift --local` and `import --local` read: one an emulator has run in. Any other would start
 * an empty emulator, so drift would call every room missing and import would write an empty inventory.
 */
function existingStateDir(dir: string): string {
  const abs = ownStateDir(dir);
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw new Error(`--state ${dir} is a file, not a directory; give the state directory that local deploy or local serve wrote`);
  if (!stat || !LOCAL_STATE_FILES.some((f) => fs.existsSync(path.join(abs, f)))) {
    throw new Error(`no local state in ${dir}${stat ? '' : ' (no such directory)'}; give the --state directory of a local deploy or local serve (default ${DEFAULT_STATE})`);
  }
  return abs;
}

/** Refuses, before any work, an output path that cannot be written: its directory missing or not one, or a directory itself. */
function writableOutput(file: string, example = 'rooms.yaml'): void {
  const dir = path.dirname(path.resolve(file));
  const dirStat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!dirStat) throw new Error(`cannot write ${file}: its directory ${dir} does not exist`);
  if (!dirStat.isDirectory()) throw new Error(`cannot write ${file}: ${dir} is a file, not a directory`);
  if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`cannot write ${file}: it is a directory; give a file name, e.g. ${path.join(file, example)}`);
}

/** Writes through a temporary file in the same directory and a rename, so a failure never leaves half a file. */
function writeAtomically(file: string, text: string): void {
  const temp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw new Error(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; nothing was written`);
  }
}

/** --html: the report written whole (never half a file), and where, on stderr (stdout keeps the table, JSON or Markdown). */
function writeHtml(file: string, html: string): void {
  writeAtomically(file, html);
  process.stderr.write(`wrote the HTML report ${file}\n`);
}

/** What `check` and `test-booking` read, in words, and each room's profile and tags, for their HTML report. */
async function htmlSource(source: { inventoryFile?: string; assemblyDir?: string }, file: string | undefined,
  opts: { app?: string; local?: boolean; state: string }): Promise<{ source: string; groupsOf: (room: string) => Record<string, string> }> {
  const { readLinked } = await import('../lib/cli/linked-inventory');
  const groups = readLinked(source, 'report').groups;
  return {
    source: `${file ?? (opts.app ? `--app ${opts.app}` : 'rooms.yaml')} against ${opts.local ? `the local emulators of ${opts.state}` : 'Microsoft 365'}`,
    groupsOf: (room) => groups.get(room.toLowerCase()) ?? {},
  };
}

/** This package's manifest: its version, and the versions init pins. */
function ownPackage(): PackageManifest {
  return JSON.parse(fs.readFileSync(PACKAGE_JSON, 'utf8'));
}

/** The app command and context of ./cdk.json, for a local deploy given neither a file, --app nor --assembly. */
function cdkJson(): { app: string; context: Record<string, unknown> } {
  const file = path.resolve('cdk.json');
  if (!fs.existsSync(file)) throw new Error('no inventory file, --app or --assembly given and no cdk.json in this directory: give one of them, e.g. a4b-rooms local deploy rooms.yaml');
  const { app, context } = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (typeof app !== 'string') throw new Error(`${file} has no "app" command`);
  return { app, context: context && typeof context === 'object' ? context : {} };
}

/**
 * What a command reads the declaration from: an inventory file, or `--app` (a cloud assembly folder, or an app command
 * synthesized for this run, as `cdk --app`). Both at once are refused: one would be read and the other ignored.
 */
async function declaration(file: string | undefined, app: string | undefined, context: string[] | undefined)
  : Promise<{ inventoryFile?: string; assemblyDir?: string; dispose(): void }> {
  if (app === undefined) return { inventoryFile: file ?? 'rooms.yaml', dispose: () => undefined };
  if (file !== undefined) throw new Error(`give the inventory file ${file} or --app ${app}, not both: one would be read and the other ignored`);
  const { appAssembly } = await import('../lib/cli/app-source');
  const assembly = await appAssembly(app, parseContext(context ?? []), (m) => {
    if (process.stderr.isTTY) process.stderr.write(`${m}\n`);
  });
  return { assemblyDir: assembly.dir, dispose: assembly.dispose };
}

function parseContext(pairs: string[]): Record<string, string> {
  return Object.fromEntries(pairs.map((p) => {
    const i = p.indexOf('=');
    if (i < 1) throw new Error(`context ${p} must be key=value`);
    return [p.slice(0, i), p.slice(i + 1)];
  }));
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port ${v} must be 0 to 65535`);
  return n;
}

function a4bRateLimitOption(): Option {
  return new Option('--a4b-rate-limit <n>', 'A4B requests per second per account; above it the emulator answers ThrottlingException (A4B\'s real rate is undocumented: a guess to try a deploy under; default no limit)')
    .argParser((v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`--a4b-rate-limit ${v} must be a number of requests per second greater than 0`);
      return n;
    });
}

function parseSeconds(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} ${v} must be a number of seconds greater than 0`);
  return n;
}

function parsePositive(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} ${v} must be a whole number of at least 1`);
  return n;
}

/**
 * Every failure of every command ends here, thrown by an action, rejected unawaited or thrown from a callback: one
 * line on stderr naming what failed and the fix (the stack only with --debug), with --json a document whose status is
 * error on stdout (a pipeline posts stdout), and exit 1.
 */
function failed(error: unknown): never {
  const argv = process.argv.slice(2);
  if (error instanceof CommanderError) {
    // --help and --version end here with 0; a usage error has been printed by commander.
    if (error.exitCode === 0) process.exit(0);
  } else {
    console.error(`a4b-rooms: ${cliMessage(error)}`);
  }
  if (program.opts().debug || argv.includes('--debug')) {
    for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) console.error((e as Error).stack ?? String(e));
  }
  const command = running ?? program.commands.find((c) => argv.includes(c.name()));
  const json = running ? running.opts().json : argv.includes('--json');
  if (json && command?.options.some((o) => o.long === '--json')) process.stdout.write(`${JSON.stringify(errorDocument(command.name(), error instanceof CommanderError ? error.message.replace(/^error: /, '') : cliMessage(error)), null, 2)}\n`);
  process.exit(1);
}

process.on('unhandledRejection', failed);
process.on('uncaughtException', failed);
program.parseAsync(process.argv).catch(failed);
