#!/usr/bin/env bash
# Packs the library as npm would publish it, checks what the tarball holds, installs it into a fresh CDK app and
# synthesizes that app offline: what a consumer gets must work without this repository.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
files=$(tar -tzf "$work/$tarball" | grep -v '^package/node_modules/' | sed 's|^package/||')
for must in .jsii API.md README.md LICENSE lib/index.js lib/index.d.ts assets/a4b-provider/index.js assets/calendar-link-provider/index.js \
  assets/drift-monitor/index.js schema/rooms.schema.json lib/inventory/schema-validator.js bin/a4b-rooms.js; do
  grep -qx "$must" <<<"$files" || { echo "pack-check: the tarball lacks $must" >&2; exit 1; }
done
if grep -E '^(test|bench|cdk\.out|\.a4b-local|coverage)/|(^|/)[^/]*\.ts$' <<<"$files" | grep -v '\.d\.ts$'; then
  echo "pack-check: the tarball holds files a consumer does not need (above)" >&2
  exit 1
fi
cd "$work"
npm init -y > /dev/null
npm install --no-audit --no-fund --prefer-offline "./$tarball" aws-cdk-lib@2.220.0 constructs@10.8.1 > install.log 2>&1 || { cat install.log >&2; exit 1; }
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
test -f "$work/cdk.out/Rooms.template.json" || { echo "pack-check: no template synthesized" >&2; exit 1; }
shards=$(ls "$work/cdk.out" | grep -c 'nested.template.json')
echo "pack-check: $(wc -c < "$work/$tarball") byte tarball, $(wc -l <<<"$files") own files; a fresh app synthesized Rooms with $shards nested stacks offline"
