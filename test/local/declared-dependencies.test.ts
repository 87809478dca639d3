// The local engine applies only the resources it has a handler for; the rest (the provider's function, wave
// barriers) exist only in AWS. A dependency through one of them still holds: an inventory's waves pace a local deploy
// as they pace CloudFormation.
import { declaredDependencies } from '../../lib/local/deploy-engine';
import { topologicalOrder } from '../../lib/local/template';

test('a room that waits for a barrier waits for the rooms the barrier waits for, through a chain of barriers', () => {
  const template = {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function' },
      A: { Type: 'Custom::A4BRoom', Properties: { ServiceToken: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
      B: { Type: 'Custom::A4BRoom', Properties: { ServiceToken: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
      Wave00Done: { Type: 'AWS::CloudFormation::WaitConditionHandle', DependsOn: ['A', 'B'] },
      C: { Type: 'Custom::A4BRoom', DependsOn: ['Wave00Done'] },
      Wave01Done: { Type: 'AWS::CloudFormation::WaitConditionHandle', DependsOn: ['C', 'Wave00Done'] },
      Wave02Done: { Type: 'AWS::CloudFormation::WaitConditionHandle', DependsOn: ['Wave01Done'] },
      D: { Type: 'Custom::A4BRoom', DependsOn: ['Wave02Done'], Properties: { Other: { Ref: 'C' } } },
    },
  };
  const deps = declaredDependencies(template as any, new Set(['A', 'B', 'C', 'D']));
  expect(Object.fromEntries([...deps].map(([id, d]) => [id, [...d].sort()]))).toEqual({ A: [], B: [], C: ['A', 'B'], D: ['A', 'B', 'C'] });
});

test('a cycle through resources the engine does not apply is still a cycle', () => {
  const template = { Resources: { A: { Type: 'Custom::A4BRoom', DependsOn: ['W'] }, W: { Type: 'AWS::CloudFormation::WaitConditionHandle', DependsOn: ['A'] } } };
  expect(() => topologicalOrder(declaredDependencies(template as any, new Set(['A'])))).toThrow('circular dependency: A -> A');
});
