import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SkillGroup } from '../lib';

describe('SkillGroup', () => {
  test('declares a Custom::A4BSkillGroup', () => {
    const stack = new Stack();
    new SkillGroup(stack, 'G', { skillGroupName: 'Conferencing', description: 'Meetings', tags: { team: 'it' } });
    Template.fromStack(stack).hasResourceProperties('Custom::A4BSkillGroup', {
      SkillGroupName: 'Conferencing', Description: 'Meetings', Tags: [{ Key: 'team', Value: 'it' }],
    });
  });

  test.each([
    [{ skillGroupName: '' }, /skillGroupName '' must be 1 to 100 characters/],
    [{ skillGroupName: 'G', description: 'x'.repeat(201) }, /description 'x{60}…' must be 1 to 200 characters/],
  ])('synth fails on bad props %#', (props, message) => {
    const app = new App();
    new SkillGroup(new Stack(app, 'S'), 'G', props);
    expect(() => app.synth()).toThrow(message);
  });

  test('fromSkillGroupArn imports a skill group', () => {
    expect(SkillGroup.fromSkillGroupArn(new Stack(), 'I', 'arn:aws:a4b:us-east-1:1:skill-group/a/b').skillGroupArn).toBe('arn:aws:a4b:us-east-1:1:skill-group/a/b');
  });
});
