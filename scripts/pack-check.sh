#!/usr/bin/env bash
# Packs the library as npm would publish it, checks what the tarball holds and its size, installs it into a fresh CDK
# app and, offline, synthesizes that app, type-checks a TypeScript one, and runs the CLI from the installed package:
# what a consumer gets must work without this repository.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
serve_pid=
cleanup() {
  if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "pack-check: $*" >&2; exit 1; }
cd "$root"

# What a CDK app installs: at most 1.5 MB packed, 8 MB unpacked, 400 files (bundled dependencies included).
MAX_PACKED=1500000 MAX_UNPACKED=8000000 MAX_FILES=400
npm pack --json --pack-destination "$work" > "$work/pack.json"
read -r tarball packed unpacked entries < <(node -e '
  const [p] = require(process.argv[1]);
  console.log(p.filename, p.size, p.unpackedSize, p.entryCount);' "$work/pack.json")
over=
[ "$packed" -le "$MAX_PACKED" ] || over="$over packed $packed bytes > $MAX_PACKED;"
[ "$unpacked" -le "$MAX_UNPACKED" ] || over="$over unpacked $unpacked bytes > $MAX_UNPACKED;"
[ "$entries" -le "$MAX_FILES" ] || over="$over $entries files > $MAX_FILES;"
if [ -n "$over" ]; then
  node -e 'for (const f of require(process.argv[1])[0].files.sort((a, b) => b.size - a.size).slice(0, 20)) console.error(`${f.size}\t${f.path}`)' "$work/pack.json"
  fail "the tarball is over its limits:$over the largest files are above (a runtime dependency, a folder \"files\" should not list?)"
fi

# The Python binding embeds the same tarball (npm run package:python, run before this in CI).
for embedded in dist/python/src/*/_jsii/*.jsii.tgz; do
  [ -f "$embedded" ] || continue
  size=$(wc -c < "$embedded")
  [ "$size" -le "$MAX_PACKED" ] || fail "the Python binding embeds a $size byte tarball ($embedded), over $MAX_PACKED"
done

files=$(tar -tzf "$work/$tarball" | grep -v '^package/node_modules/' | sed 's|^package/||')
for must in .jsii API.md README.md LICENSE lib/index.js lib/index.d.ts assets/a4b-provider/index.js assets/calendar-link-provider/index.js \
  assets/drift-monitor/index.js schema/rooms.schema.json lib/inventory/schema-validator.js bin/a4b-rooms.js bin/app.js examples/rooms.yaml \
  examples/pipeline.ts examples/github-workflow.yml examples/rooms-stack.ts examples/app.ts; do
  grep -qx "$must" <<<"$files" || fail "the tarball lacks $must"
done
if grep -E '^(test|bench|cdk\.out|\.a4b-local|coverage|dist)/|^lib/(local|handlers|drift|o365|runtime|cli)/|\.json$|(^|/)[^/]*\.ts$' <<<"$files" \
  | grep -vE '\.d\.ts$|^(schema/rooms\.schema\.json|package\.json)$|^examples/[^/]*\.ts$'; then
  fail "the tarball holds files a consumer does not need (above): the CLI and the handlers are bundles, their sources stay out"
fi
bundled=$(tar -tzf "$work/$tarball" | grep -E '^package/node_modules/(@[^/]+/)?[^/]+/package\.json$' | sed -E 's|^package/node_modules/(.*)/package\.json$|\1|' | sort -u | tr '\n' ' ')
[ "$bundled" = "yaml " ] || fail "the tarball bundles $bundled; a synth needs only yaml (the CLI's dependencies belong in its bundle)"
# The CLI bundle holds no path of this checkout: it finds its assets through the installed package.
if tar -xzOf "$work/$tarball" package/bin/a4b-rooms.js | grep -qF "$root"; then fail "bin/a4b-rooms.js holds the checkout path $root"; fi

# A consumer on the oldest Node line package.json's engines allows; this script's checks above ran on the development line.
CONSUMER_NODE=${CONSUMER_NODE:-22.23.5}
PATH="$(bash "$root/scripts/node-binary.sh" "$CONSUMER_NODE")":$PATH
[ "$(node --version)" = "v$CONSUMER_NODE" ] || fail "the consumer's Node is $(node --version), not $CONSUMER_NODE"
node -e 'const r = require(process.argv[1]).engines.node; const [maj] = process.versions.node.split("."); if (!new RegExp(`^>= ?${maj}\\.`).test(r)) { console.error(`engines.node is ${r}, the consumer runs ${maj}`); process.exit(1); }' "$root/package.json" \
  || fail "package.json's engines do not start at Node $CONSUMER_NODE, the consumer this script installs"

cd "$work"
npm init -y > /dev/null
npm install --no-audit --no-fund --prefer-offline "./$tarball" aws-cdk-lib@2.220.0 constructs@10.8.1 > install.log 2>&1 || { cat install.log >&2; exit 1; }
# Nothing the CLI loads is installed beside it: it runs from its bundle alone.
for dep in commander @aws-sdk/client-alexa-for-business @aws-sdk/client-secrets-manager @azure/identity @microsoft/microsoft-graph-client selfsigned ajv; do
  test ! -e "node_modules/$dep" || fail "installing the tarball installed $dep: a dependency of the package that should be in its CLI bundle"
done

# The constructs in a fresh app, synthesized offline.
cat > app.js <<'APP'
const path = require('path');
const { App, Stack } = require('aws-cdk-lib');
const { RoomInventory, DriftMonitor } = require('cdk-a4b-rooms');
const app = new App();
const stack = new Stack(app, 'Rooms');
const inventory = new RoomInventory(stack, 'Inventory', { file: path.join(__dirname, 'node_modules', 'cdk-a4b-rooms', 'examples', 'rooms.yaml') });
new DriftMonitor(stack, 'Drift', { inventory });
app.synth();
APP
CDK_OUTDIR="$work/cdk.out" node app.js
test -f "$work/cdk.out/Rooms.template.json" || fail "no template synthesized"
shards=$(ls "$work/cdk.out" | grep -c 'nested.template.json')
# The same app in TypeScript: the package's declarations resolve without the modules that stayed out of it.
cat > app.ts <<'APP'
import { App, Stack } from 'aws-cdk-lib';
import { DriftMonitor, RoomInventory } from 'cdk-a4b-rooms';
const app = new App();
const stack = new Stack(app, 'Rooms');
new DriftMonitor(stack, 'Drift', { inventory: new RoomInventory(stack, 'Inventory', { file: 'rooms.yaml' }) });
APP
# Strict, declarations included (skipLibCheck off); node's types from this checkout, as an app has its own @types/node.
cat > tsconfig.json <<TSCONFIG
{ "compilerOptions": { "strict": true, "noEmit": true, "skipLibCheck": false, "target": "es2022", "module": "commonjs",
  "moduleResolution": "node", "typeRoots": ["$root/node_modules/@types"], "types": ["node"] }, "files": ["app.ts"] }
TSCONFIG
node "$root/node_modules/typescript/bin/tsc" -p tsconfig.json \
  || fail "a TypeScript app that uses the package does not type-check (above)"

# The CLI, from the installed package (npx finds node_modules/.bin/a4b-rooms; --no: never from the registry).
a4b() { npx --no -- a4b-rooms "$@"; }
a4b --help > help.txt || fail "a4b-rooms --help failed"
grep -q '^Usage: a4b-rooms' help.txt || fail "a4b-rooms --help printed no usage: $(head -c 500 help.txt)"
cp node_modules/cdk-a4b-rooms/examples/rooms.yaml rooms.yaml
# The rooms of an inventory file, read with the yaml the package bundles.
count_rooms() { node -e 'const YAML = require(require.resolve("yaml", { paths: ["node_modules/cdk-a4b-rooms"] }));
  console.log(YAML.parse(require("fs").readFileSync(process.argv[1], "utf8")).rooms.length)' "$1"; }
a4b validate rooms.yaml > validate.txt || fail "a4b-rooms validate of the example inventory failed"
grep -qx 'rooms.yaml: valid' validate.txt || fail "a4b-rooms validate printed $(cat validate.txt)"
sed 's/mailbox: spree@/mailBox: spree@/' rooms.yaml > bad.yaml
if a4b validate bad.yaml 2> invalid.txt; then fail "a4b-rooms validate passed an inventory with an unknown field"; fi
grep -q '^bad\.yaml:[0-9]*:[0-9]*: .*mailBox is not a field here: did you mean mailbox?' invalid.txt || fail "a4b-rooms validate of a bad inventory printed $(head -c 500 invalid.txt)"

# local serve, then a deploy, drift and import through the emulators it runs.
state="$work/state"
# Started as node_modules/.bin/a4b-rooms (what npx runs), so that $! is the CLI itself and receives the signal.
node_modules/.bin/a4b-rooms local serve --state "$state" > serve.txt 2> serve.err &
serve_pid=$!
for _ in $(seq 100); do test -f "$state/endpoints.json" && break; kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.1; done
test -f "$state/endpoints.json" || fail "a4b-rooms local serve wrote no endpoints.json: $(cat serve.err)"
node -e 'const e = require(process.argv[1]); fetch(`${e.a4b}/_emulator/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$state/endpoints.json" \
  || fail "the A4B emulator of a4b-rooms local serve does not answer"
a4b local deploy rooms.yaml --state "$state" > deploy.txt 2>&1 || fail "a4b-rooms local deploy failed: $(tail -n 20 deploy.txt)"
rooms=$(grep -c '^  create  *Custom::A4BRoom ' deploy.txt || true)
declared=$(count_rooms rooms.yaml)
[ "$rooms" = "$declared" ] || fail "a4b-rooms local deploy created $rooms rooms of the $declared declared: $(tail -n 20 deploy.txt)"
grep -q 'failed 0$' deploy.txt || fail "a4b-rooms local deploy reported a failure: $(tail -n 20 deploy.txt)"
a4b drift rooms.yaml --local --state "$state" > drift.txt 2>&1 || fail "a4b-rooms drift --local after the deploy is not in sync (exit $?): $(head -c 1000 drift.txt)"
a4b import --local --state "$state" -o imported.yaml || fail "a4b-rooms import --local failed"
imported=$(count_rooms imported.yaml)
[ "$imported" = "$declared" ] || fail "a4b-rooms import --local wrote $imported rooms, $declared were deployed"
a4b validate imported.yaml > /dev/null || fail "the inventory a4b-rooms import --local wrote does not validate"
kill -INT "$serve_pid"
wait "$serve_pid" || fail "a4b-rooms local serve did not stop cleanly on SIGINT: $(cat serve.err)"
serve_pid=
test ! -f "$state/endpoints.json" || fail "a4b-rooms local serve left its endpoints.json behind"

# A new project as the README starts one: a4b-rooms init from the installed package into a fresh folder, the tarball
# installed there with what the scaffold's package.json pins (from npm's cache where it holds them), then with no edit
# cdk synth (the TypeScript app through ts-node), a local deploy of rooms.yaml, the project's own app (cdk.json) deployed
# over it (it and the package's app make the same stack: nothing changes), and drift --local in sync.
project="$work/new-project"
a4b init "$project" > init.txt 2>&1 || fail "a4b-rooms init failed: $(cat init.txt)"
for f in package.json cdk.json bin/app.ts tsconfig.json rooms.yaml .gitignore README.md; do
  grep -qx "wrote $project/$f" init.txt || fail "a4b-rooms init did not list $f: $(cat init.txt)"
done
cd "$project"
npm install --no-audit --no-fund --prefer-offline "$work/$tarball" > install.log 2>&1 || fail "npm install in the project a4b-rooms init wrote failed: $(tail -n 20 install.log)"
test "$(node -p 'require("typescript/package.json").version.split(".").slice(0, 2).join(".")')" = 5.9 || fail "the project installed TypeScript $(node -p 'require("typescript/package.json").version'), not 5.9"
CDK_DISABLE_CLI_TELEMETRY=true npx --no -- cdk synth --no-notices -q > synth.txt 2>&1 || fail "npx cdk synth in the project a4b-rooms init wrote failed: $(tail -n 20 synth.txt)"
test -f cdk.out/A4BRooms.template.json || fail "npx cdk synth in the new project wrote no A4BRooms template: $(tail -n 20 synth.txt)"
a4b local deploy rooms.yaml --state .a4b-local > deploy.txt 2>&1 || fail "a4b-rooms local deploy rooms.yaml in the new project failed: $(tail -n 20 deploy.txt)"
project_rooms=$(grep -c '^  create  *Custom::A4BRoom ' deploy.txt || true)
[ "$project_rooms" = "$(count_rooms rooms.yaml)" ] || fail "a4b-rooms local deploy in the new project created $project_rooms rooms of the $(count_rooms rooms.yaml) in its rooms.yaml: $(tail -n 20 deploy.txt)"
a4b local deploy --state .a4b-local > redeploy.txt 2>&1 || fail "a4b-rooms local deploy of the new project's app (cdk.json) failed: $(tail -n 20 redeploy.txt)"
grep -q 'created 0, updated 0, deleted 0, ' redeploy.txt || fail "the new project's own app (cdk.json) deploys differently from rooms.yaml: $(grep -E '^  (create|update|replace|delete) ' redeploy.txt | head -n 20)"
a4b drift rooms.yaml --local --state .a4b-local > drift.txt 2>&1 || fail "a4b-rooms drift --local in the new project is not in sync: $(head -c 1000 drift.txt)"

# The examples the package ships, copied into the new project unedited: they type-check with its tsconfig, the
# pipeline and the constructs example synthesize through ts-node, and the workflow's a4b-rooms commands run.
cp -r node_modules/cdk-a4b-rooms/examples examples
npm run typecheck > typecheck.txt 2>&1 || fail "the package's examples do not type-check in a project made by init: $(tail -n 20 typecheck.txt)"
example_synth() { CDK_DISABLE_CLI_TELEMETRY=true npx --no -- cdk synth --no-notices -q --app "npx ts-node --prefer-ts-exts $1" -o "$2" > "$2.txt" 2>&1 \
  || fail "npx cdk synth --app $1 (the package's example, unedited) failed in the new project: $(tail -n 20 "$2.txt")"; }
example_synth examples/pipeline.ts cdk.out.pipeline
test -f cdk.out.pipeline/RoomsPipeline.template.json || fail "the pipeline example synthesized no RoomsPipeline template"
ls cdk.out.pipeline/assembly-RoomsPipeline-Rooms/*A4BRooms*.template.json > /dev/null 2>&1 || fail "the pipeline example's Rooms stage holds no A4BRooms stack"
example_synth examples/app.ts cdk.out.example
test -f cdk.out.example/ExampleRooms.template.json || fail "the constructs example synthesized no ExampleRooms template"
workflow_runs=$(node -e 'const YAML = require(require.resolve("yaml", { paths: ["node_modules/cdk-a4b-rooms"] }));
  const w = YAML.parse(require("fs").readFileSync("examples/github-workflow.yml", "utf8"));
  for (const j of Object.values(w.jobs)) for (const s of j.steps) if (/^npx a4b-rooms validate /.test(s.run ?? "")) console.log(s.run.trim())')
[ -n "$workflow_runs" ] || fail "the workflow example runs no a4b-rooms validate"
while read -r line; do bash -c "$line" > /dev/null || fail "the workflow example's step '$line' failed in the new project"; done <<<"$workflow_runs"
cd "$work"

echo "pack-check: $packed bytes packed, $unpacked unpacked, $entries files ($(wc -l <<<"$files") own); a fresh app synthesized Rooms with $shards nested stacks" \
  "offline and type-checks; from the installed package a4b-rooms --help, validate, local serve, local deploy ($rooms rooms), drift --local and import --local work; a4b-rooms init made a project that installs, synthesizes, deploys locally ($project_rooms rooms) and is in sync;" \
  "the shipped examples type-check and synthesize there unedited; the consumer ran Node $CONSUMER_NODE"
