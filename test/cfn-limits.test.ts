// CloudFormation's template limits: each one at its maximum passes, one over breaks it, in CloudFormation's words.
import { templateLimitBreaches } from '../lib/cfn-limits';

const section = (n: number, value: (i: number) => unknown) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`X${i}`, value(i)]));
const resources = (n: number) => ({ Resources: section(n, () => ({ Type: 'AWS::SNS::Topic' })) });
const body = (t: object) => JSON.stringify(t);

describe('templateLimitBreaches', () => {
  test.each([
    ['resources', (n: number) => resources(n), 500, 'Template format error: Number of resources, 501, is greater than maximum allowed, 500'],
    ['parameters', (n: number) => ({ ...resources(1), Parameters: section(n, () => ({ Type: 'String' })) }), 200, 'Template format error: Parameter count 201 is greater than max allowed 200'],
    ['outputs', (n: number) => ({ ...resources(1), Outputs: section(n, () => ({ Value: 'v' })) }), 200, 'Template format error: Outputs count 201 is greater than max allowed 200'],
    ['mappings', (n: number) => ({ ...resources(1), Mappings: section(n, () => ({ K: { K: 'v' } })) }), 200, 'Template format error: Mappings count 201 is greater than max allowed 200'],
  ])('%s: the maximum passes, one more is refused in CloudFormation\'s words', (limit, make, max, message) => {
    expect(templateLimitBreaches(body(make(max)), make(max))).toEqual([]);
    expect(templateLimitBreaches(body(make(max + 1)), make(max + 1))).toEqual([{ limit, actual: max + 1, maximum: max, message }]);
  });

  test('the body is counted in UTF-8 bytes against 1,000,000 (not 1 MiB)', () => {
    const t = resources(1);
    const pad = (bytes: number) => `${body(t)}${' '.repeat(bytes - body(t).length)}`;
    expect(templateLimitBreaches(pad(1_000_000), t)).toEqual([]);
    expect(templateLimitBreaches(pad(1_000_001), t)).toEqual([
      { limit: 'templateBodyBytes', actual: 1_000_001, maximum: 1_000_000, message: 'Template may not exceed 1000000 bytes in size.' },
    ]);
    // 'ß' is two bytes: 500,001 of them are 1,000,002 bytes, though only 500,001 characters.
    expect(templateLimitBreaches('ß'.repeat(500_001), t)[0]).toMatchObject({ limit: 'templateBodyBytes', actual: 1_000_002 });
  });

  test('parameter values: a Default, or the value passed in instead, over 4,096 bytes', () => {
    const t = { ...resources(1), Parameters: { Long: { Type: 'String', Default: 'x'.repeat(4097) }, Short: { Type: 'String', Default: 'ok' }, Arns: { Type: 'String' } } };
    expect(templateLimitBreaches(body(t), t)).toEqual([{
      limit: 'parameterValueBytes', actual: 4097, maximum: 4096, parameter: 'Long',
      message: "Template format error: Parameter 'Long' default value '[****]' length is greater than 4096.",
    }]);
    // Passed values replace the defaults: a short value for Long passes; 4,096 bytes pass; 2,049 two-byte characters do not.
    expect(templateLimitBreaches(body(t), t, { Long: 'short', Arns: 'a'.repeat(4096) })).toEqual([]);
    expect(templateLimitBreaches(body(t), t, { Long: 'short', Arns: 'é'.repeat(2049) })).toEqual([{
      limit: 'parameterValueBytes', actual: 4098, maximum: 4096, parameter: 'Arns',
      message: "Template format error: Parameter 'Arns' value '[****]' length is greater than 4096.",
    }]);
  });

  test('every breach of one template is listed, size first', () => {
    const t = { ...resources(501), Parameters: section(201, () => ({ Type: 'String' })), Outputs: section(201, () => ({ Value: 'v' })) };
    expect(templateLimitBreaches(' '.repeat(1_000_001), t).map((b) => b.limit)).toEqual(['templateBodyBytes', 'resources', 'parameters', 'outputs']);
  });
});
