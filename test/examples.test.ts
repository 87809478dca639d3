import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ExampleRoomsStack } from '../examples/rooms-stack';

test('the example app synthesizes: 2 profiles, 2 skill groups, 4 rooms with mailboxes, a calendar link, no warnings', () => {
  const app = new App();
  const stack = new ExampleRoomsStack(app, 'ExampleRooms');
  const t = Template.fromStack(stack);
  t.resourceCountIs('Custom::A4BRoomProfile', 2);
  t.resourceCountIs('Custom::A4BSkillGroup', 2);
  t.resourceCountIs('Custom::A4BRoom', 4);
  t.resourceCountIs('AWS::Lambda::Function', 2);
  t.resourceCountIs('Custom::A4BCalendarLink', 1);
  for (const room of Object.values(t.findResources('Custom::A4BRoom'))) {
    expect(room.Properties.ProviderCalendarId).toMatch(/^[a-z]+@contoso\.onmicrosoft\.com$/);
    expect(room.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'site', Value: 'berlin' }]));
  }
  Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
});
