#!/usr/bin/env node
// Writes lib/local/a4b-model.generated.ts from the committed A4B service models (lib/local/a4b-model/, see its
// PROVENANCE.md): the operations the emulator serves and every shape they reach, documentation stripped, plus the
// supported filter and sort keys each Search operation's documentation names. Two models: botocore 1.29.27's
// (service-2.json), and the newer one the shipped SDK was generated from, which is that model with the shapes the
// SDK's Smithy model adds or changes (sdk-proactive-join.smithy.json: ProactiveJoin). The model files stay out of the
// npm package; the emulator reads these constants. `node scripts/a4b-model.js --check` fails when the generated file
// is stale (test/local/a4b-model.test.ts checks the same).
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const MODEL = path.join(ROOT, 'lib/local/a4b-model/service-2.json');
const OUT = path.join(ROOT, 'lib/local/a4b-model.generated.ts');
const SMITHY = path.join(ROOT, 'lib/local/a4b-model/sdk-proactive-join.smithy.json');

/** Where the Smithy shapes come from: the model @aws-sdk/client-alexa-for-business was generated from. */
const SDK_SOURCE = {
  repo: 'aws/aws-sdk-js-v3',
  path: 'codegen/sdk-codegen/aws-models/alexa-for-business.json',
  commit: '55e44227ea1f60373eea134ad47099539a3da8a0',
  sdk: '@aws-sdk/client-alexa-for-business',
  sdkVersion: '3.523.0',
};
const NAMESPACE = 'com.amazonaws.alexaforbusiness#';

/** The operations the emulator serves (lib/local/a4b-emulator.ts OPERATIONS). */
const SERVED = [
  'CreateRoom', 'GetRoom', 'UpdateRoom', 'DeleteRoom', 'SearchRooms',
  'CreateProfile', 'GetProfile', 'UpdateProfile', 'DeleteProfile', 'SearchProfiles',
  'CreateSkillGroup', 'GetSkillGroup', 'UpdateSkillGroup', 'DeleteSkillGroup', 'SearchSkillGroups',
  'AssociateSkillGroupWithRoom', 'DisassociateSkillGroupFromRoom', 'AssociateDeviceWithRoom', 'DisassociateDeviceFromRoom',
  'SearchDevices', 'TagResource', 'UntagResource', 'ListTags',
];

/** "Supported filter keys are DeviceName, ..., ConnectionStatus (ONLINE and OFFLINE), ..., and FailureCode." -> the names. */
function documentedKeys(doc) {
  const m = /supported (?:filter|sort) keys? (?:are|is) ([^.]*)\./i.exec(doc.replace(/<[^>]+>/g, ''));
  if (!m) throw new Error(`no supported keys in: ${doc}`);
  return m[1].replace(/\([^)]*\)/g, '').split(/,|\band\b/).map((s) => s.trim()).filter(Boolean);
}

/**
 * Smithy JSON AST shapes in botocore's form: a structure's members `{ shape }` and its `required` list from the
 * members' `smithy.api#required` traits, documentation from `smithy.api#documentation`. Only the structures the
 * excerpt holds are converted; anything else is refused rather than guessed.
 */
function smithyShapes(smithy) {
  const local = (id) => {
    if (!id.startsWith(NAMESPACE)) throw new Error(`${id} is not an Alexa for Business shape`);
    return id.slice(NAMESPACE.length);
  };
  const out = {};
  for (const [id, shape] of Object.entries(smithy.shapes)) {
    if (shape.type !== 'structure') throw new Error(`${id}: only structures are converted, not ${shape.type}`);
    const members = {};
    const required = [];
    for (const [name, m] of Object.entries(shape.members)) {
      const doc = m.traits?.['smithy.api#documentation'];
      members[name] = { shape: local(m.target), ...(doc ? { documentation: doc } : {}) };
      if (m.traits?.['smithy.api#required']) required.push(name);
    }
    const doc = shape.traits?.['smithy.api#documentation'];
    out[local(id)] = { type: 'structure', ...(required.length ? { required } : {}), members, ...(doc ? { documentation: doc } : {}) };
  }
  return out;
}

/**
 * The newer model: botocore's with the Smithy shapes laid over it. A shape both have may only gain members (a member
 * botocore has keeps its target and whether it is required), and every target must be a shape of the result, so
 * the overlay cannot quietly change what both models say.
 */
function sdkModel(botocore, smithy) {
  const shapes = { ...botocore.shapes };
  for (const [name, shape] of Object.entries(smithyShapes(smithy))) {
    const old = botocore.shapes[name];
    for (const [member, ref] of Object.entries(old?.members ?? {})) {
      if (shape.members[member]?.shape !== ref.shape) throw new Error(`${name}.${member}: the Smithy shape does not target ${ref.shape}`);
      if ((old.required ?? []).includes(member) !== (shape.required ?? []).includes(member)) throw new Error(`${name}.${member}: required differs`);
    }
    shapes[name] = shape;
  }
  for (const [name, shape] of Object.entries(shapes)) {
    for (const ref of Object.values(shape.members ?? {})) if (!shapes[ref.shape]) throw new Error(`${name} targets ${ref.shape}, which neither model has`);
  }
  return { ...botocore, shapes };
}

function subset(model) {
  const shapes = {};
  const visit = (name) => {
    if (shapes[name]) return;
    const { documentation: _d, ...shape } = model.shapes[name];
    if (shape.members) shape.members = Object.fromEntries(Object.entries(shape.members).map(([k, v]) => [k, v.shape]));
    if (shape.member) shape.member = shape.member.shape;
    shapes[name] = shape;
    for (const ref of [...Object.values(shape.members ?? {}), ...(shape.member ? [shape.member] : [])]) visit(ref);
  };
  const operations = {};
  const searchKeys = {};
  for (const op of SERVED) {
    const o = model.operations[op];
    if (!o) throw new Error(`${op} is not in the model`);
    operations[op] = { input: o.input.shape, output: o.output.shape, errors: (o.errors ?? []).map((e) => e.shape) };
    visit(o.input.shape);
    visit(o.output.shape);
    const members = model.shapes[o.input.shape].members;
    if (members.Filters && members.SortCriteria) {
      searchKeys[op] = { filter: documentedKeys(members.Filters.documentation), sort: documentedKeys(members.SortCriteria.documentation) };
    }
  }
  const sorted = Object.fromEntries(Object.keys(shapes).sort().map((k) => [k, shapes[k]]));
  return { metadata: { apiVersion: model.metadata.apiVersion, targetPrefix: model.metadata.targetPrefix }, operations, searchKeys, shapes: sorted };
}

/** A TypeScript literal in the repo's style (single quotes, unquoted identifier keys). */
function literal(value, indent = '') {
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object')) return `[${value.map((v) => literal(v)).join(', ')}]`;
    return `[\n${value.map((v) => inner + literal(v, inner) + ',\n').join('')}${indent}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (!entries.length) return '{}';
    const key = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : literal(k));
    if (entries.every(([, v]) => typeof v !== 'object' || (Array.isArray(v) && v.every((x) => typeof x !== 'object')))) {
      const flat = `{ ${entries.map(([k, v]) => `${key(k)}: ${literal(v)}`).join(', ')} }`;
      if (flat.length + inner.length < 150) return flat;
    }
    return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${literal(v, inner)},\n`).join('')}${indent}}`;
  }
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return String(value);
}

function render(botocore, smithy) {
  const old = subset(botocore);
  const newer = subset(sdkModel(botocore, smithy));
  // The newer model's served shapes that botocore's lacks or has otherwise: only these are written twice.
  const changed = Object.fromEntries(Object.entries(newer.shapes).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(old.shapes[k])));
  const { repo, path: file, commit, sdk, sdkVersion } = SDK_SOURCE;
  return [
    '// Generated by scripts/a4b-model.js (see lib/local/a4b-model/PROVENANCE.md). Do not edit.',
    '// A4B_BOTOCORE_MODEL: lib/local/a4b-model/service-2.json, botocore 1.29.27 (Debian python3-botocore 1.29.27+repack-1).',
    `// A4B_MODEL, the newest, which the emulator follows: the model ${sdk} ${sdkVersion} was generated from,`,
    `// ${repo} ${file}`,
    `// at commit ${commit}: botocore's with the shapes`,
    '// lib/local/a4b-model/sdk-proactive-join.smithy.json takes from it (A4B_SDK_SHAPES).',
    "import type { A4bModel, ModelShape } from './a4b-model';",
    '',
    `export const A4B_BOTOCORE_MODEL: A4bModel = ${literal(old)};`,
    '',
    `export const A4B_SDK_SHAPES: Readonly<Record<string, ModelShape>> = ${literal(changed)};`,
    '',
    'export const A4B_MODEL: A4bModel = { ...A4B_BOTOCORE_MODEL, shapes: { ...A4B_BOTOCORE_MODEL.shapes, ...A4B_SDK_SHAPES } };',
    '',
  ].join('\n');
}

/** Both committed models, parsed. */
function readModels() {
  return { botocore: JSON.parse(fs.readFileSync(MODEL, 'utf8')), smithy: JSON.parse(fs.readFileSync(SMITHY, 'utf8')) };
}

if (require.main === module) {
  const { botocore, smithy } = readModels();
  const text = render(botocore, smithy);
  if (process.argv.includes('--check')) {
    if (fs.readFileSync(OUT, 'utf8') !== text) {
      console.error(`${path.relative(ROOT, OUT)} is stale: run node scripts/a4b-model.js`);
      process.exit(1);
    }
  } else {
    fs.writeFileSync(OUT, text);
    console.log(`wrote ${path.relative(ROOT, OUT)}`);
  }
}

module.exports = { render, subset, documentedKeys, smithyShapes, sdkModel, readModels, SERVED, MODEL, SMITHY, OUT, SDK_SOURCE };
