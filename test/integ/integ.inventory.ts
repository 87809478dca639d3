// The example inventory as an integ-runner test: its snapshot (committed next to the compiled file) is what CI
// compares each synth against; deploying it needs an account where A4B still answers.
import * as path from 'path';
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { DriftMonitor, RoomInventory } from '../../lib';

const app = new App();
const stack = new Stack(app, 'A4BRoomsInteg');
const inventory = new RoomInventory(stack, 'Inventory', { file: path.join(__dirname, '..', '..', 'examples', 'rooms.yaml'), consoleStepOutput: true });
new DriftMonitor(stack, 'DriftMonitor', { inventory });
new IntegTest(app, 'Inventory', { testCases: [stack] });
app.synth();
