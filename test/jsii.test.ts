// What jsii carries to other languages: every class the package exports, and no plain object (jsii drops those, so
// Python or Java users would not have them). Reads the .jsii assembly that `npm run build` writes.
import * as fs from 'fs';
import * as path from 'path';
import * as lib from '../lib';
import { ResourceTypes as Contract } from '../lib/contract';

const assembly = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '.jsii'), 'utf8'));
const isClass = (v: unknown) => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v));
// Functions and constants the index exports that jsii leaves out by design: @internal helpers, and the drift namespace
// constant kept for TypeScript users (jsii languages read DriftMonitor.METRIC_NAMESPACE).
const NOT_FOR_JSII = new Set(['serviceTimeoutFor', 'rootStack', 'providerWithSecurity', 'checkNestedStackLimits', '_stackOrderedAsAWhole', 'DRIFT_METRIC_NAMESPACE']);

test('every class the package exports is in the .jsii assembly, and nothing else is left out', () => {
  const exported = Object.entries(lib);
  const missing = exported.filter(([name, v]) => isClass(v) && !assembly.types[`cdk-a4b-rooms.${name}`]).map(([name]) => name);
  const notClasses = exported.filter(([name, v]) => !isClass(v) && !NOT_FOR_JSII.has(name)).map(([name]) => name);
  expect({ missing, notClasses }).toEqual({ missing: [], notClasses: [] });
  expect(assembly.types['cdk-a4b-rooms.ResourceTypes']).toBeDefined();
});

test('ResourceTypes carries every type of the shared contract, with the same values', () => {
  const statics = Object.fromEntries(Object.keys(Contract).map((k) => [k, (lib.ResourceTypes as unknown as Record<string, string>)[k]]));
  expect(statics).toEqual(Contract);
  const jsiiProps = assembly.types['cdk-a4b-rooms.ResourceTypes'].properties.map((p: { name: string }) => p.name).sort();
  expect(jsiiProps).toEqual(Object.keys(Contract).sort());
  expect(lib.DriftMonitor.METRIC_NAMESPACE).toBe(lib.DRIFT_METRIC_NAMESPACE);
});
