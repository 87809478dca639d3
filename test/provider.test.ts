import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, NestedStack, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Room, RoomProfile, RoomsProvider, SkillGroup } from '../lib';

function stackWithRooms(n: number, configure?: (stack: Stack) => void) {
  const stack = new Stack(new App(), 'S');
  configure?.(stack);
  const profile = new RoomProfile(stack, 'P', { roomProfileName: 'P', address: 'a', timezone: 'UTC' });
  const sg = new SkillGroup(stack, 'G', { skillGroupName: 'G' });
  for (let i = 0; i < n; i++) new Room(stack, `R${i}`, { roomName: `R${i}`, profile, skillGroups: [sg] });
  return stack;
}

describe('RoomsProvider', () => {
  test('one function per stack, however many rooms', () => {
    const t = Template.fromStack(stackWithRooms(25));
    t.resourceCountIs('AWS::Lambda::Function', 1);
    t.resourceCountIs('AWS::IAM::Role', 1);
    t.resourceCountIs('Custom::A4BRoom', 25);
  });

  test('Node 24 function on the prebundled asset, 5 minute timeout, logs kept a month, A4B region set', () => {
    const t = Template.fromStack(stackWithRooms(1));
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x', Handler: 'index.handler', Timeout: 300, Architectures: ['arm64'],
      Environment: { Variables: { A4B_REGION: 'us-east-1' } },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^A4BRoomsProviderLogs') } },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('a provider created first configures the endpoint, region, retention, timeout and attempts', () => {
    const t = Template.fromStack(stackWithRooms(1, (stack) => new RoomsProvider(stack, 'Custom', {
      a4bEndpoint: 'https://a4b.example.internal', a4bRegion: 'eu-west-1', logRetention: RetentionDays.ONE_WEEK, timeout: Duration.minutes(10), maxAttempts: 5,
    })));
    t.resourceCountIs('AWS::Lambda::Function', 1);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 600,
      Environment: { Variables: { A4B_REGION: 'eu-west-1', AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS: 'https://a4b.example.internal', A4B_MAX_ATTEMPTS: '5' } },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('the provider paces the A4B writes: 10 requests at once by default (reserved concurrency), another number, or none', () => {
    const reserved = (configure?: (s: Stack) => void) => Template.fromStack(stackWithRooms(1, configure)).findResources('AWS::Lambda::Function');
    expect(Object.values<any>(reserved())[0].Properties.ReservedConcurrentExecutions).toBe(10);
    expect(Object.values<any>(reserved((s) => new RoomsProvider(s, 'Provider', { reservedConcurrency: 25 })))[0].Properties.ReservedConcurrentExecutions).toBe(25);
    expect(Object.values<any>(reserved((s) => new RoomsProvider(s, 'Provider', { reserveConcurrency: false })))[0].Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  test.each([[0, /reservedConcurrency 0 must be a whole number from 1 to 1000 \(0 would refuse every request; set reserveConcurrency: false for none\)/], [1.5, /reservedConcurrency 1.5 must be/]])(
    'reservedConcurrency %p is refused', (reservedConcurrency, message) => {
      expect(() => new RoomsProvider(new Stack(new App(), 'S'), 'Provider', { reservedConcurrency })).toThrow(message);
    });

  test('reservedConcurrency with reserveConcurrency false is refused as contradictory', () => {
    expect(() => new RoomsProvider(new Stack(new App(), 'S'), 'Provider', { reservedConcurrency: 5, reserveConcurrency: false })).toThrow(
      'RoomsProvider S/Provider: reservedConcurrency 5 is set with reserveConcurrency false: remove one');
  });

  test('the provider is found in the construct tree: at A4BRoomsProvider in the top-level stack, or through a reference there', () => {
    const stack = stackWithRooms(1);
    expect(stack.node.tryFindChild('A4BRoomsProvider')).toBe(RoomsProvider.of(stack));
    const custom = new Stack(new App(), 'S');
    const provider = new RoomsProvider(new Construct(custom, 'Platform'), 'Provider', { reservedConcurrency: 3 });
    const profile = new RoomProfile(custom, 'P', { roomProfileName: 'P', address: 'a', timezone: 'UTC' });
    new Room(new NestedStack(custom, 'Shard'), 'R', { roomName: 'R', profile });
    expect(RoomsProvider.of(custom)).toBe(provider);
    Template.fromStack(custom).resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('two copies of the library in one app share one provider per stack', () => {
    const stack = new Stack(new App(), 'S');
    let other: typeof import('../lib') | undefined;
    jest.isolateModules(() => {
      other = require('../lib');
    });
    expect(other!.RoomsProvider).not.toBe(RoomsProvider);
    const profile = new RoomProfile(stack, 'P', { roomProfileName: 'P', address: 'a', timezone: 'UTC' });
    new other!.SkillGroup(stack, 'G', { skillGroupName: 'G' });
    new Room(stack, 'R', { roomName: 'R', profile });
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('a provider configured after the first rooms takes the place of the one they made with defaults, in nested stacks too', () => {
    const stack = new Stack(new App(), 'S');
    const profile = new RoomProfile(stack, 'P', { roomProfileName: 'P', address: 'a', timezone: 'UTC' });
    new Room(new NestedStack(stack, 'Shard'), 'R', { roomName: 'R', profile });
    const provider = RoomsProvider.of(stack, { timeout: Duration.minutes(10), reservedConcurrency: 3 });
    expect(RoomsProvider.of(stack)).toBe(provider);
    expect(RoomsProvider.of(new Construct(stack, 'Elsewhere'))).toBe(provider);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Lambda::Function', 1);
    t.hasResourceProperties('AWS::Lambda::Function', { Timeout: 600, ReservedConcurrentExecutions: 3 });
    // The profile's ServiceTimeout follows the provider that serves it: 10 min + 10 min queue + 30 s.
    t.hasResourceProperties('Custom::A4BRoomProfile', { ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^A4BRoomsProviderHandler'), 'Arn'] }, ServiceTimeout: '1230' });
    expect(Object.keys(t.findResources('AWS::Lambda::Function'))).toEqual([expect.stringMatching(/^A4BRoomsProviderHandler/)]);
    // The room in the nested stack gets the same function's ARN as a parameter.
    const shard = stack.node.findChild('Shard') as NestedStack;
    Template.fromStack(shard).hasResourceProperties('Custom::A4BRoom', { ServiceTimeout: '1230' });
  });

  test('new RoomsProvider after the first room, under another id, takes the default one\'s place too', () => {
    const stack = stackWithRooms(2);
    const provider = new RoomsProvider(new Construct(stack, 'Platform'), 'Provider', { maxAttempts: 5 });
    expect(RoomsProvider.of(stack)).toBe(provider);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Lambda::Function', 1);
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ A4B_MAX_ATTEMPTS: '5' }) } });
    t.hasResourceProperties('Custom::A4BRoom', { ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PlatformProviderHandler'), 'Arn'] } });
  });

  test('RoomsProvider.of with props that disagree with the existing provider is refused, naming both; agreeing props return it', () => {
    const stack = new Stack(new App(), 'S');
    const provider = RoomsProvider.of(stack, { timeout: Duration.minutes(10) });
    expect(RoomsProvider.of(stack, { timeout: Duration.minutes(10), reservedConcurrency: 10 })).toBe(provider);
    expect(() => RoomsProvider.of(stack, { timeout: Duration.minutes(3), maxAttempts: 4 })).toThrow(
      'RoomsProvider.of(S): the stack\'s RoomsProvider at S/A4BRoomsProvider has timeout 10 minutes, maxAttempts the default, not timeout 3 minutes, maxAttempts 4: '
      + 'give these props where it is first made (or the same ones), or call RoomsProvider.of without props');
  });

  test('a second provider in a stack whose provider was handed out is refused with a message that says what to do', () => {
    const stack = stackWithRooms(1);
    RoomsProvider.of(stack);
    expect(() => new RoomsProvider(stack, 'Late')).toThrow(/already has a RoomsProvider at S\/A4BRoomsProvider, which it handed out \(RoomsProvider.of\): configure it with RoomsProvider.of\(scope, props\)/);
  });

  test.each([0, 21, 2.5])('maxAttempts %p is refused', (maxAttempts) => {
    expect(() => new RoomsProvider(new Stack(), 'P', { maxAttempts })).toThrow(/maxAttempts .* must be a whole number from 1 to 20/);
  });

  test('IAM: only a4b actions, and exactly the operations the bundled handler calls', () => {
    const t = Template.fromStack(stackWithRooms(1));
    const policy = Object.values(t.findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument;
    const actions: string[] = policy.Statement.flatMap((s: any) => [s.Action].flat());
    expect(actions.every((a) => a.startsWith('a4b:'))).toBe(true);
    // The handler and the shared A4B runtime it calls (lib/runtime/a4b: ListTags).
    const handlerSources = [['handlers', 'a4b'], ['runtime', 'a4b']].flatMap((dir) => fs.readdirSync(path.join(__dirname, '..', 'lib', ...dir))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => fs.readFileSync(path.join(__dirname, '..', 'lib', ...dir, f), 'utf8'))).join('\n');
    const called = new Set([...handlerSources.matchAll(/new (\w+)Command\(/g)].map((m) => `a4b:${m[1]}`));
    expect(new Set(actions)).toEqual(called);
  });

  test('IAM: calls on existing resources are scoped to A4B room, profile, skill-group and device ARNs', () => {
    const t = Template.fromStack(stackWithRooms(1));
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'A4BManageRoomsProfilesSkillGroups',
          Action: Match.arrayWith(['a4b:UpdateRoom', 'a4b:DeleteRoom']),
          Resource: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':a4b:us-east-1:', { Ref: 'AWS::AccountId' }, ':room/*']] }]),
        })]),
      },
    });
  });

  test('the asset is the prebundled handler with the A4B client inside', () => {
    const bundle = path.join(__dirname, '..', 'assets', 'a4b-provider', 'index.js');
    const code = fs.readFileSync(bundle, 'utf8');
    expect(code).toContain('AlexaForBusiness');
    expect(code).not.toMatch(/require\("@aws-sdk\//);
  });
});

describe('where A4B is: one setting for the app, the pipeline and the CLI (cdk.json context a4bRegion, a4bEndpoint)', () => {
  const envOf = (stack: Stack, fn: string) => {
    const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    const [, f] = Object.entries<any>(functions).find(([id]) => id.startsWith(fn))!;
    return f.Properties.Environment.Variables;
  };
  const app = (context: Record<string, unknown>) => new Stack(new App({ context }), 'S');

  test('RoomsProvider and DriftMonitor take the context when their props do not; props win; the IAM ARNs follow the region', () => {
    const stack = app({ a4bRegion: 'eu-west-1', a4bEndpoint: 'https://a4b.example.internal' });
    RoomsProvider.of(stack);
    expect(envOf(stack, 'A4BRoomsProviderHandler')).toMatchObject({ A4B_REGION: 'eu-west-1', AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS: 'https://a4b.example.internal' });
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'))).toContain(':a4b:eu-west-1:');
    const own = app({ a4bRegion: 'eu-west-1' });
    new RoomsProvider(own, 'A4BRoomsProvider', { a4bRegion: 'us-east-1' });
    expect(envOf(own, 'A4BRoomsProviderHandler')).toMatchObject({ A4B_REGION: 'us-east-1' });
    expect(envOf(own, 'A4BRoomsProviderHandler').AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS).toBeUndefined();
  });

  test('a context value that is not a string is refused, naming the key', () => {
    expect(() => RoomsProvider.of(app({ a4bEndpoint: 42 }))).toThrow('S/A4BRoomsProvider: context a4bEndpoint must be a string (cdk.json "context": { "a4bEndpoint": "…" } or -c a4bEndpoint=…), not 42');
  });
});
