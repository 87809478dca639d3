import { dependencies, resolve, stringifyScalars, topologicalOrder } from '../../lib/local/template';

const ctx = {
  region: 'us-east-1', accountId: '123456789012', stackName: 'S', stackId: 'arn:stack',
  physicalId: (id: string) => (id === 'A' ? 'phys-a' : undefined),
  attribute: (id: string, name: string) => (id === 'A' && name === 'Arn' ? 'arn:a' : undefined),
};

describe('template reading', () => {
  test('dependencies come from DependsOn, Ref and Fn::GetAtt, only on known resources', () => {
    const deps = dependencies({ Type: 'X', DependsOn: 'B', Properties: { a: { Ref: 'A' }, b: [{ 'Fn::GetAtt': ['C', 'Arn'] }], c: { Ref: 'AWS::Region' }, d: { 'Fn::GetAtt': 'D.Arn' } } }, new Set(['A', 'B', 'C', 'D']));
    expect(deps.sort()).toEqual(['A', 'B', 'C', 'D']);
  });

  test('topological order puts dependencies first and refuses cycles', () => {
    expect(topologicalOrder(new Map([['room', ['profile', 'group']], ['profile', []], ['group', []]]))).toEqual(['group', 'profile', 'room']);
    expect(() => topologicalOrder(new Map([['a', ['b']], ['b', ['a']]]))).toThrow('circular dependency: a -> b -> a');
  });

  test('intrinsics resolve against what is deployed', () => {
    expect(resolve({ x: { Ref: 'A' }, y: { 'Fn::GetAtt': ['A', 'Arn'] }, z: { 'Fn::Join': ['-', [{ Ref: 'AWS::Region' }, 'b']] }, s: { 'Fn::Sub': '${AWS::AccountId}/${A}' } }, ctx, {}))
      .toEqual({ x: 'phys-a', y: 'arn:a', z: 'us-east-1-b', s: '123456789012/phys-a' });
    expect(() => resolve({ 'Fn::GetAtt': ['A', 'Name'] }, ctx, {})).toThrow('A has no attribute Name');
  });

  test('every scalar becomes a string, as CloudFormation sends it', () => {
    expect(stringifyScalars({ a: 1, b: true, c: [false, 2], d: { e: 3.5 }, f: undefined })).toEqual({ a: '1', b: 'true', c: ['false', '2'], d: { e: '3.5' } });
  });
});
