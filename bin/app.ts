#!/usr/bin/env node
// The CDK app cdk.json runs (compiled JS, so synth does no type-checking): the rooms of the inventory named by
// context, `cdk synth -c inventory=rooms.yaml`, else of rooms.yaml in the working directory. Never a default one:
// a synth of rooms nobody declared would deploy them (this repository's cdk.json names the example explicitly).
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { DriftMonitor, RoomInventory } from '../lib';

const app = new App();
// An inventory or template-limit error is for a person: its message, not a stack trace through aws-cdk-lib.
process.on('uncaughtException', (e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
const given: string | undefined = app.node.tryGetContext('inventory');
if (given === undefined && !fs.existsSync('rooms.yaml')) {
  process.stderr.write(`no inventory: give one with \`npx cdk synth -c inventory=FILE\` (\`a4b-rooms local deploy FILE\`), or put rooms.yaml in ${process.cwd()}\n`);
  process.exit(1);
}
const file = path.resolve(given ?? 'rooms.yaml');
const stack = new Stack(app, app.node.tryGetContext('stackName') ?? 'A4BRooms', {
  description: `cdk-a4b-rooms: Alexa for Business rooms of ${path.basename(file)}`,
});
const shards = app.node.tryGetContext('shards');
const inventory = new RoomInventory(stack, 'Inventory', { file, shards: shards === undefined ? undefined : Number(shards), consoleStepOutput: true });
// An hourly drift check with alarms, unless the context turns it off (-c driftMonitor=false).
if (app.node.tryGetContext('driftMonitor') !== 'false' && app.node.tryGetContext('driftMonitor') !== false) {
  new DriftMonitor(stack, 'DriftMonitor', { inventory });
}
app.synth();
