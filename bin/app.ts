#!/usr/bin/env node
// The CDK app cdk.json runs (compiled JS, so synth does no type-checking).
import { App } from 'aws-cdk-lib';
import { ExampleRoomsStack } from '../examples/rooms-stack';

const app = new App();
new ExampleRoomsStack(app, app.node.tryGetContext('stackName') ?? 'A4BRooms');
app.synth();
