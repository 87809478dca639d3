import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, CfnResource, DefaultTokenResolver, Fn, Lazy, NestedStack, RemovalPolicy, Stack, StringConcat, Token, Tokenization } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { holdsToken, LeanCfnResource } from '../lib/lean-cfn-resource';

/** The resource resolved as CDK resolves it: to find references (`preparing`), or for the template. */
function resolved(resource: LeanCfnResource, preparing: boolean): unknown {
  const resolver = new DefaultTokenResolver(new StringConcat());
  return Tokenization.resolve(resource._toCloudFormation(), { scope: resource.stack, resolver, preparing });
}

type Kind = typeof CfnResource | typeof LeanCfnResource;

/**
 * An app whose resources reference each other every way CDK wires: across a nested stack's boundary (parameters),
 * up out of one (outputs), between top-level stacks (exports), in a property, deep in a list, in metadata, in an
 * override, through a Lazy; with plain values, DependsOn and a removal policy beside them.
 */
function buildApp(kind: Kind, outdir: string): App {
  const app = new App({ outdir });
  const parent = new Stack(app, 'Parent');
  const topic = new CfnResource(parent, 'Topic', { type: 'AWS::SNS::Topic' });
  const name = new CfnParameter(parent, 'RoomName', { default: 'Board Room' });
  const nested = new NestedStack(parent, 'Shard');
  const make = (scope: Construct, id: string, properties: Record<string, unknown>) => new kind(scope, id, { type: 'Custom::A4BRoom', properties });
  const before = make(nested, 'Before', { RoomName: 'Before' });
  const room = make(nested, 'Room', {
    ServiceToken: topic.ref,
    RoomName: name.valueAsString,
    Description: `Floor 5 of ${topic.getAtt('TopicName').toString()}`,
    Plain: 'plain text', Number: 5, Flag: true, Nothing: null,
    Deep: { Lists: [['a', { Arn: topic.getAtt('TopicArn') }]], Plain: ['b', 'c'] },
    Produced: Lazy.string({ produce: () => Fn.join('-', [topic.ref, 'x']) }),
    Tags: [{ Key: 'floor', Value: '5' }],
  });
  room.node.addDependency(before);
  room.applyRemovalPolicy(RemovalPolicy.RETAIN);
  room.addPropertyOverride('Overridden', topic.getAtt('TopicArn'));
  room.addMetadata('Owner', topic.ref);
  // Up out of the nested stack, and across to another top-level stack.
  const inner = new CfnResource(nested, 'Inner', { type: 'AWS::SNS::Topic' });
  make(parent, 'Outer', { FromNested: inner.ref });
  make(new Stack(app, 'Other'), 'Importer', { FromParent: topic.getAtt('TopicArn'), Plain: 'x' });
  return app;
}

function templates(kind: Kind): Record<string, unknown> {
  const outdir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'lean-'));
  try {
    buildApp(kind, outdir).synth();
    const out: Record<string, unknown> = {};
    for (const f of fs.readdirSync(outdir).filter((x) => x.endsWith('.template.json')).sort()) out[f] = JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8'));
    return out;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('LeanCfnResource', () => {
  test('synthesizes every template as CfnResource does, each cross-stack reference wired the same way', () => {
    const lean = templates(LeanCfnResource);
    const plain = templates(CfnResource);
    expect(Object.keys(lean)).toEqual(['Other.template.json', 'Parent.template.json', 'ParentShard942F1304.nested.template.json']);
    expect(lean).toEqual(plain);
    // The wiring is there to compare: a parameter into the nested stack, an output out of it, an export to Other.
    const nested = lean['ParentShard942F1304.nested.template.json'] as any;
    expect(Object.keys(nested.Parameters).length).toBeGreaterThanOrEqual(3);
    expect(Object.keys(nested.Outputs)).toHaveLength(1);
    expect(JSON.stringify((lean['Other.template.json'] as any).Resources)).toContain('Fn::ImportValue');
    expect(nested.Resources.Room.DependsOn).toEqual(['Before']);
  });

  test('CDK\'s search for references (a resolve with preparing set) gets only what holds a token; the template gets all', () => {
    const stack = new Stack(new App(), 'S');
    const topic = new CfnResource(stack, 'Topic', { type: 'AWS::SNS::Topic' });
    const room = new LeanCfnResource(stack, 'Room', {
      type: 'Custom::A4BRoom',
      properties: { ServiceToken: topic.ref, RoomName: 'Board Room', Tags: [{ Key: 'floor', Value: '5' }], Deep: { Plain: ['x'], Arn: topic.getAtt('Arn') } },
    });
    room.addPropertyOverride('Over', topic.ref);
    expect(resolved(room, true)).toEqual({ Resources: { Room: {
      Properties: { ServiceToken: { Ref: 'Topic' }, Deep: { Plain: ['x'], Arn: { 'Fn::GetAtt': ['Topic', 'Arn'] } } },
      Options: [{ Properties: { Over: { Ref: 'Topic' } } }],
    } } });
    expect(resolved(room, false)).toEqual({ Resources: { Room: {
      Type: 'Custom::A4BRoom',
      Properties: { ServiceToken: { Ref: 'Topic' }, RoomName: 'Board Room', Tags: [{ Key: 'floor', Value: '5' }], Deep: { Plain: ['x'], Arn: { 'Fn::GetAtt': ['Topic', 'Arn'] } }, Over: { Ref: 'Topic' } },
    } } });
  });

  test('an aws-cdk-lib that keeps its overrides elsewhere gets the whole resource searched', () => {
    const stack = new Stack(new App(), 'S');
    const room = new LeanCfnResource(stack, 'Room', { type: 'Custom::A4BRoom', properties: { RoomName: 'Board Room' } });
    expect(room._withTokens()).toEqual({ Properties: {}, Options: [] });
    const overrides = Object.getOwnPropertyDescriptor(room, 'rawOverrides')!;
    delete (room as unknown as { rawOverrides?: unknown }).rawOverrides;
    expect(room._withTokens()).toBeUndefined();
    // Then the search resolves the resource as CfnResource renders it.
    Object.defineProperty(room, 'rawOverrides', overrides);
    jest.spyOn(room, '_withTokens').mockReturnValue(undefined);
    expect(resolved(room, true)).toEqual({ Resources: { Room: { Type: 'Custom::A4BRoom', Properties: { RoomName: 'Board Room' } } } });
  });

  test('a barrier made as a LeanCfnResource is the template of a CfnWaitConditionHandle', () => {
    const stack = new Stack(new App(), 'S');
    new LeanCfnResource(stack, 'Wave00Done', { type: 'AWS::CloudFormation::WaitConditionHandle' });
    expect(stack.resolve((stack as any)._toCloudFormation()).Resources).toEqual({ Wave00Done: { Type: 'AWS::CloudFormation::WaitConditionHandle' } });
  });

  test.each<[string, boolean, () => unknown]>([
    ['undefined', false, () => undefined],
    ['null', false, () => null],
    ['a boolean', false, () => true],
    ['a number', false, () => 5],
    ['plain text', false, () => 'Board Room'],
    ['text with a dollar and braces', false, () => 'Price ${5} [x]'],
    ['a list of plain values', false, () => ['a', 1, { b: ['c'] }]],
    ['a mapping of plain values', false, () => ({ a: 'b', c: [1, 2], d: { e: null } })],
    ['a string token', true, () => Token.asString(Lazy.string({ produce: () => 'x' }))],
    ['text with a token in it', true, () => `room-${Fn.ref('X')}`],
    ['a number token', true, () => Token.asNumber(Lazy.number({ produce: () => 1 }))],
    ['a list token', true, () => Token.asList(Lazy.list({ produce: () => ['x'] }))],
    ['an IResolvable', true, () => Lazy.any({ produce: () => 1 })],
    ['a token deep in a list', true, () => ['a', ['b', { c: Fn.ref('X') }]]],
    ['a token deep in a mapping', true, () => ({ a: { b: [1, Lazy.any({ produce: () => 1 })] } })],
    ['a token as a mapping key', true, () => ({ [Fn.ref('X')]: 'value' })],
  ])('holdsToken: %s -> %s', (_name, expected, value) => {
    expect(holdsToken(value())).toBe(expected);
  });
});

describe('late renames and overrides win, as with CfnResource', () => {
  /** A stack whose three resources are resolved once (their ids used), then renamed, overridden and changed. */
  function lateChanges(kind: Kind): Record<string, unknown> {
    const app = new App();
    const stack = new Stack(app, 'S');
    const renamed = new kind(stack, 'Renamed', { type: 'Custom::A4BRoom', properties: { RoomName: 'A' } });
    const overridden = new kind(stack, 'Overridden', { type: 'Custom::A4BRoom', properties: { RoomName: 'B' } });
    const changed = new kind(stack, 'Changed', { type: 'Custom::A4BRoom', properties: { RoomName: 'C' } });
    const first = [renamed, overridden, changed].map((r) => stack.resolve(r.logicalId));
    expect(first).toEqual([expect.stringMatching(/^Renamed/), expect.stringMatching(/^Overridden/), expect.stringMatching(/^Changed/)]);
    stack.renameLogicalId(first[0], 'RoomRenamedLater');
    overridden.overrideLogicalId('RoomOverriddenLater');
    changed.addOverride('Properties.RoomName', 'C later');
    changed.addOverride('DeletionPolicy', 'Retain');
    changed.addOverride('UpdateReplacePolicy', 'Retain');
    return app.synth().getStackByName('S').template.Resources;
  }

  test('renameLogicalId, overrideLogicalId and addOverride after the id was resolved', () => {
    const lean = lateChanges(LeanCfnResource);
    expect(lean).toEqual(lateChanges(CfnResource));
    expect(Object.keys(lean).sort()).toEqual(['Changed', 'RoomOverriddenLater', 'RoomRenamedLater'].map((id, i) => (i === 0 ? expect.stringMatching(/^Changed/) : id)));
    const changed = Object.entries(lean).find(([id]) => id.startsWith('Changed'))![1];
    expect(changed).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { RoomName: 'C later' } });
  });

  test('a late rename onto another resource\'s id fails as with CfnResource', () => {
    const failure = (kind: Kind) => {
      const app = new App();
      const stack = new Stack(app, 'S');
      const a = new kind(stack, 'A', { type: 'Custom::A4BRoom' });
      const b = new kind(stack, 'B', { type: 'Custom::A4BRoom' });
      const [idA, idB] = [stack.resolve(a.logicalId), stack.resolve(b.logicalId)];
      stack.renameLogicalId(idB, idA);
      return (() => {
        try {
          app.synth();
          return 'no error';
        } catch (e) {
          return (e as Error).message;
        }
      })();
    };
    expect(failure(LeanCfnResource)).toBe(failure(CfnResource));
    expect(failure(LeanCfnResource)).toContain('Two objects have been assigned the same Logical ID');
  });
});
