#!/usr/bin/env node
// Prebundles each Lambda handler with its clients into assets/<name>/index.js, as aws-cdk-lib does with its own
// handlers: a consumer's synth needs no esbuild or Docker, and the A4B client (absent from the Lambda runtime) ships
// inside. The tree-shaken ESM builds of the SDK (`module` field) are about half the size of the CJS ones.
const esbuild = require('esbuild');
const fs = require('fs');
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
  fs.writeFileSync(path.join(root, 'lib', 'inventory', 'schema-validator.js'), standalone(ajv, ajv.compile(INVENTORY_SCHEMA)));
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
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
