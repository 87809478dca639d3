#!/usr/bin/env bash
# The library against the newest aws-cdk-lib (what a new user installs), beside the peer minimum the project builds
# with: the compiled library, the default inventory app and the construct tests run in a copy whose node_modules
# holds the project's packages but the newest aws-cdk-lib, with deprecated APIs made fatal (JSII_DEPRECATED=fail:
# aws-cdk-lib throws where it would print "[WARNING] ... is deprecated"). Needs `npm run build` first.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
version=${NEWEST_CDK_VERSION:-latest}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/cdk" "$work/copy/node_modules"
# cdk-nag too: one linked from the project would load the project's aws-cdk-lib, and its aspects would never run on
# the newest one's constructs (the nag test would see no finding at all).
(cd "$work/cdk" && npm init -y > /dev/null && npm install --no-audit --no-fund --silent "aws-cdk-lib@$version" \
  "constructs@$(node -p "require('$root/node_modules/constructs/package.json').version")" \
  "cdk-nag@$(node -p "require('$root/node_modules/cdk-nag/package.json').version")" > /dev/null)
installed=$(node -p "require('$work/cdk/node_modules/aws-cdk-lib/package.json').version")
for entry in "$root"/node_modules/* "$root"/node_modules/.bin "$root"/node_modules/@*; do
  name=$(basename "$entry")
  [ "$name" = aws-cdk-lib ] || [ "$name" = cdk-nag ] || [ -e "$work/copy/node_modules/$name" ] || ln -s "$entry" "$work/copy/node_modules/$name"
done
ln -s "$work/cdk/node_modules/aws-cdk-lib" "$work/copy/node_modules/aws-cdk-lib"
ln -s "$work/cdk/node_modules/cdk-nag" "$work/copy/node_modules/cdk-nag"
cp -r lib bin assets examples schema test scripts bench package.json tsconfig.dev.json tsconfig.json cdk.json README.md logical-ids.lock.json .jsii "$work/copy/"
cd "$work/copy"
echo "newest aws-cdk-lib: $installed (the project builds with $(node -p "require('$root/node_modules/aws-cdk-lib/package.json').version"))"
out=$(mktemp -d)
JSII_DEPRECATED=fail CDK_OUTDIR="$out" CDK_CONTEXT_JSON='{"inventory":"examples/rooms.yaml"}' node bin/app.js 2> "$out/stderr" || { cat "$out/stderr" >&2; echo "the default app failed to synthesize against aws-cdk-lib $installed" >&2; exit 1; }
if grep -i "deprecated" "$out/stderr"; then echo "the default app uses APIs aws-cdk-lib $installed deprecates" >&2; exit 1; fi
echo "default app (example inventory, drift monitor): synthesized, no deprecated API"
# The construct tests (not the emulator and CLI suites, which do not touch aws-cdk-lib's constructs).
JSII_DEPRECATED=fail npx jest $(ls test/*.test.ts | grep -v -e cli -e check -e test-booking) 2>&1 | grep -E -A12 "^  ● |Tests:|deprecated" | head -60; test "${PIPESTATUS[0]}" -eq 0
