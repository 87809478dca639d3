#!/usr/bin/env node
// Prebundles each Lambda handler with its clients into assets/<name>/index.js, as aws-cdk-lib does with its own
// handlers: a consumer's synth needs no esbuild or Docker, and the A4B client (absent from the Lambda runtime) ships
// inside. The tree-shaken ESM builds of the SDK (`module` field) are about half the size of the CJS ones.
// The CLI is bundled the same way into bin/a4b-rooms.js (over tsc's output), so that its clients (AWS SDK, Azure
// identity, Graph, commander, selfsigned) are devDependencies and the package installs only what a synth loads.
const esbuild = require('esbuild');
const fs = require('fs');
const { isBuiltin } = require('module');
const path = require('path');

const root = path.join(__dirname, '..');
const HANDLERS = {
  'a4b-provider': 'lib/handlers/a4b/index.ts',
  'calendar-link-provider': 'lib/handlers/calendar-link/index.ts',
  'drift-monitor': 'lib/handlers/drift-monitor/index.ts',
};

/** The inventory's JSON Schema, written from the compiled module so it cannot drift from the code. */
function writeSchema() {
  const { INVENTORY_SCHEMA } = require(path.join(root, 'lib', 'inventory', 'schema.js'));
  const file = path.join(root, 'schema', 'rooms.schema.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(INVENTORY_SCHEMA, null, 2) + '\n');
  // The same schema as ajv standalone code, so a synth does not compile it each time.
  const Ajv = require('ajv').default;
  const standalone = require('ajv/dist/standalone').default;
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, code: { source: true } });
  // Bundled, so that any ajv runtime helper the code requires (ucs2length for a maxLength, equal for a const) is
  // inlined: the package does not ship ajv.
  const validator = esbuild.buildSync({
    stdin: { contents: standalone(ajv, ajv.compile(INVENTORY_SCHEMA)), resolveDir: root, loader: 'js' },
    bundle: true, platform: 'node', format: 'cjs', target: 'node22', minify: true, write: false, logLevel: 'warning',
  });
  fs.writeFileSync(path.join(root, 'lib', 'inventory', 'schema-validator.js'), validator.outputFiles[0].text);
  console.log('wrote schema/rooms.schema.json and lib/inventory/schema-validator.js');
}

async function main() {
  writeSchema();
  for (const [name, entry] of Object.entries(HANDLERS)) {
    const outfile = path.join(root, 'assets', name, 'index.js');
    fs.rmSync(path.dirname(outfile), { recursive: true, force: true });
    const result = await esbuild.build({
      entryPoints: [path.join(root, entry)],
      outfile,
      bundle: true,
      platform: 'node',
      // The oldest runtime the functions accept (HandlerSecurityOptions.runtime); they run nodejs24.x by default.
      target: 'node22',
      format: 'cjs',
      mainFields: ['module', 'main'],
      // Lambda provides credentials in the environment; see lib/handlers/lambda-credentials.ts.
      alias: { '@aws-sdk/credential-provider-node': path.join(root, 'lib', 'handlers', 'lambda-credentials.ts') },
      minify: true,
      legalComments: 'none',
      metafile: true,
      logLevel: 'warning',
    });
    fs.writeFileSync(path.join(root, 'assets', `${name}.meta.json`), JSON.stringify(result.metafile));
    console.log(`bundled ${entry} -> assets/${name}/index.js (${fs.statSync(outfile).size} bytes)`);
  }
  await bundleCli();
}

/**
 * The CLI with everything it loads but node's own modules, for Node 22 (the package's engines). aws-cdk-lib and
 * constructs stay out: the CLI never loads them (it synthesizes by running an app, bin/app.js, in a child process,
 * which loads the constructs from lib/ and aws-cdk-lib from the app's node_modules); the build fails if it starts to.
 */
async function bundleCli() {
  const entry = 'bin/a4b-rooms.ts';
  const outfile = path.join(root, 'bin', 'a4b-rooms.js');
  const result = await esbuild.build({
    entryPoints: [path.join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    mainFields: ['module', 'main'],
    external: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'],
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const outside = Object.values(result.metafile.outputs).flatMap((o) => o.imports).filter((i) => i.external && !i.path.startsWith('node:') && !isBuiltin(i.path));
  if (outside.length) throw new Error(`${entry} must not load ${[...new Set(outside.map((i) => i.path))].join(', ')}: the CLI bundle has to run with only node's modules`);
  fs.writeFileSync(path.join(root, 'assets', 'a4b-rooms-cli.meta.json'), JSON.stringify(result.metafile));
  fs.chmodSync(outfile, 0o755);
  console.log(`bundled ${entry} -> bin/a4b-rooms.js (${fs.statSync(outfile).size} bytes)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
