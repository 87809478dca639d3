#!/usr/bin/env node
// A pipeline to copy: CDK Pipelines deploying a room inventory.
//
//   Source ─ Synth (npm ci, a4b-rooms validate, cdk synth) ─ UpdatePipeline ─ Assets
//          ─ Rooms: Check (a4b-rooms check: Office 365) ─ deploy A4BRooms ─ Drift (a4b-rooms drift --markdown)
//
// It ships in the package (node_modules/cdk-a4b-rooms/examples/) and works unedited in a TypeScript project made by
// `a4b-rooms init`: copy it to bin/pipeline.ts and point cdk.json's "app" at it
// (`npx ts-node --prefer-ts-exts bin/pipeline.ts`); `npx cdk synth` then makes the pipeline, and the pipeline's own
// Synth step runs that same command. The source is a GitHub repository reached through a CodeStar connection; give
// yours as context (the values below are placeholders):
//
//   npx cdk synth -c repository=my-org/rooms -c branch=main \
//     -c connectionArn=arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000
//
// The check and drift steps run in the pipeline's account and region and read the calendar link's Graph credentials
// from Secrets Manager there: each is granted read on that one secret, by the name the inventory gives.
import * as path from 'path';
import { App, Stack, StackProps, Stage, StageProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { DriftMonitor, HandlerSecurityOptions, RoomInventory } from 'cdk-a4b-rooms';

export interface RoomsStageProps extends StageProps {
  /** The inventory file, as the CLI steps name it: relative to the repository root (and to where synth runs). */
  readonly inventoryFile: string;
  /** Security options of the library's functions (a VPC, a log key...), made in the stage's stack. */
  readonly handlerSecurity?: (stack: Stack) => HandlerSecurityOptions;
}

/** The inventory's stack as bin/app.ts builds it: the rooms of the file and an hourly drift monitor. */
export class RoomsStage extends Stage {
  public readonly stack: Stack;
  public readonly inventory: RoomInventory;

  constructor(scope: Construct, id: string, props: RoomsStageProps) {
    super(scope, id, props);
    this.stack = new Stack(this, 'A4BRooms', { description: `cdk-a4b-rooms: Alexa for Business rooms of ${path.basename(props.inventoryFile)}` });
    this.inventory = new RoomInventory(this.stack, 'Inventory', { file: path.resolve(props.inventoryFile), consoleStepOutput: true, ...props.handlerSecurity?.(this.stack) });
    new DriftMonitor(this.stack, 'DriftMonitor', { inventory: this.inventory });
  }
}

export interface RoomsPipelineStackProps extends StackProps {
  /** GitHub repository, `owner/name`. */
  readonly repository: string;
  /** The branch that deploys. */
  readonly branch: string;
  /** ARN of the CodeStar (CodeConnections) connection to GitHub, made and authorized once in the console. */
  readonly connectionArn: string;
  /** The inventory file, relative to the repository root. */
  readonly inventoryFile: string;
  /** Security options of the library's functions in the rooms stage (see RoomsStageProps). */
  readonly roomsHandlerSecurity?: (stack: Stack) => HandlerSecurityOptions;
}

export class RoomsPipelineStack extends Stack {
  public readonly pipeline: pipelines.CodePipeline;
  public readonly rooms: RoomsStage;

  constructor(scope: Construct, id: string, props: RoomsPipelineStackProps) {
    super(scope, id, props);
    const file = props.inventoryFile;
    const source = pipelines.CodePipelineSource.connection(props.repository, props.branch, { connectionArn: props.connectionArn });

    this.pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      pipelineType: codepipeline.PipelineType.V2,
      // The inventory is checked offline before anything is synthesized: every problem as FILE:LINE:COL, exit 1.
      synth: new pipelines.CodeBuildStep('Synth', {
        input: source,
        commands: ['npm ci', `npx a4b-rooms validate ${file}`, 'npx cdk synth'],
      }),
      // cdk-a4b-rooms needs Node 22 or later (its engines); CodeBuild's standard:7.0 image has 22.
      codeBuildDefaults: { partialBuildSpec: codebuild.BuildSpec.fromObject({ phases: { install: { 'runtime-versions': { nodejs: 22 } } } }) },
    });

    this.rooms = new RoomsStage(this, 'Rooms', { inventoryFile: file, handlerSecurity: props.roomsHandlerSecurity });
    const link = this.rooms.inventory.calendarLink;

    // Before the deploy: the Office 365 checks of a deploy (mailboxes, rooms, calendar permissions, consent), every
    // problem of every room with its fix; exit 1 stops the pipeline before CloudFormation starts.
    // Where A4B is: the app's a4bRegion context (cdk.json), which the provider and the drift monitor read too, else
    // us-east-1 (where A4B ran). The CLI steps get it as A4B_REGION: CodeBuild's AWS_REGION is the pipeline's.
    const a4bRegion: string = this.node.tryGetContext('a4bRegion') ?? 'us-east-1';
    const env = { A4B_REGION: a4bRegion };
    const check = new pipelines.CodeBuildStep('Check', {
      input: source,
      env,
      commands: ['npm ci', `npx a4b-rooms check ${file}`],
    });
    // After the deploy: live A4B and Office 365 against the file, as a Markdown report in the build log. Exit 2
    // (drift, e.g. rooms in A4B the file does not declare: add --ignore-unmanaged to allow them) fails the stage.
    const drift = new pipelines.CodeBuildStep('Drift', {
      input: source,
      env,
      commands: ['npm ci', `npx a4b-rooms drift ${file} --markdown`],
      // What the drift monitor may read: A4B searches (no resource ARN in IAM), tags and profiles, in A4B's region.
      rolePolicyStatements: [
        new iam.PolicyStatement({ actions: ['a4b:SearchRooms', 'a4b:SearchProfiles', 'a4b:SearchSkillGroups', 'a4b:SearchDevices'], resources: ['*'] }),
        new iam.PolicyStatement({
          actions: ['a4b:ListTags', 'a4b:GetProfile'],
          resources: ['room', 'profile', 'skill-group'].map((type) => this.formatArn({ service: 'a4b', region: a4bRegion, resource: type, resourceName: '*' })),
        }),
      ],
    });
    this.pipeline.addStage(this.rooms, { pre: link ? [check] : [], post: [drift] });

    // The steps' roles exist once the pipeline is built. Read access (GetSecretValue, DescribeSecret) to the one
    // secret the inventory names (calendarLink.credentialsSecret, by name or complete ARN): the CLI reads its value at
    // run time, so it never enters a template or the build's environment variables.
    this.pipeline.buildPipeline();
    link?.credentials.grantRead(check.grantPrincipal);
    link?.credentials.grantRead(drift.grantPrincipal);
  }
}

if (require.main === module) {
  const app = new App();
  const context = (key: string, placeholder: string): string => app.node.tryGetContext(key) ?? placeholder;
  new RoomsPipelineStack(app, 'RoomsPipeline', {
    repository: context('repository', 'my-org/rooms'),
    branch: context('branch', 'main'),
    connectionArn: context('connectionArn', 'arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000'),
    // rooms.yaml beside cdk.json, as `a4b-rooms init` makes it (in this repository: -c inventory=examples/rooms.yaml).
    inventoryFile: context('inventory', 'rooms.yaml'),
  });
  app.synth();
}
