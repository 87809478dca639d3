#!/usr/bin/env node
// The example as a CDK app of its own: `cdk synth --app "node examples/app.js"`.
import { App } from 'aws-cdk-lib';
import { ExampleRoomsStack } from './rooms-stack';

const app = new App();
new ExampleRoomsStack(app, 'ExampleRooms');
app.synth();
