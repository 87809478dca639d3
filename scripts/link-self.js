#!/usr/bin/env node
// The examples import 'cdk-a4b-rooms' by name, as a project that installs the package does. Here that name must resolve
// to this checkout: node_modules/cdk-a4b-rooms -> .. (what npm's `file:.` would make). Not a devDependency: jsii-pacmak
// orders packages by every dependency name, devDependencies included, and cannot order a package that depends on
// itself. TypeScript and jest map the name to lib/ (tsconfig.dev.json paths, jest moduleNameMapper); this link is for
// the compiled examples (`node examples/app.js`).
const fs = require('fs');
const path = require('path');

const link = path.join(__dirname, '..', 'node_modules', 'cdk-a4b-rooms');
const current = fs.lstatSync(link, { throwIfNoEntry: false });
if (!current || !current.isSymbolicLink() || fs.readlinkSync(link) !== '..') {
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync('..', link, 'dir');
}
