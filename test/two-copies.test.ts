// Two copies of cdk-a4b-rooms in one app (a monorepo whose packages resolve it twice, a jsii binding beside the
// TypeScript package): each recognises the other's constructs (isX, not instanceof) and finds what the other attached
// to a stack (the calendar link), as aws-cdk-lib's own Stack.isStack and Stack.of do.
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ours from '../lib';
import { tempDir } from './helpers';

const ROOT = path.join(__dirname, '..');

/** The compiled library copied to a folder of its own (its own module instances), sharing this aws-cdk-lib. */
function secondCopy(): typeof ours {
  const dir = tempDir('a4b-copy-');
  fs.cpSync(path.join(ROOT, 'lib'), path.join(dir, 'lib'), { recursive: true, filter: (f) => !f.endsWith('.ts') || f.endsWith('.d.ts') });
  fs.cpSync(path.join(ROOT, 'assets'), path.join(dir, 'assets'), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return require(path.join(dir, 'lib', 'index.js'));
}

test('a construct made by one copy is recognised by the other; instanceof would not', () => {
  const other = secondCopy();
  expect(other.Room).not.toBe(ours.Room);
  const stack = new Stack(new App(), 'S');
  const profile = new other.RoomProfile(stack, 'P', { roomProfileName: 'Std', address: '1 Main St', timezone: 'UTC' });
  const group = new other.SkillGroup(stack, 'G', { skillGroupName: 'Conf' });
  const room = new ours.Room(stack, 'R', { roomName: 'A', profile, skillGroups: [group] });
  expect(room instanceof other.Room).toBe(false);
  expect([other.Room.isRoom(room), ours.RoomProfile.isRoomProfile(profile), ours.SkillGroup.isSkillGroup(group)]).toEqual([true, true, true]);
  expect([ours.Room.isRoom(profile), ours.RoomProfile.isRoomProfile(room), ours.SkillGroup.isSkillGroup(undefined), ours.Room.isRoom('A')]).toEqual([false, false, false, false]);
  const provider = ours.RoomsProvider.of(stack);
  expect(other.RoomsProvider.isRoomsProvider(provider)).toBe(true);
});

test('a calendar link made by one copy checks the rooms another copy made, and Office365CalendarLink.of finds it', () => {
  const other = secondCopy();
  const stack = new Stack(new App(), 'S');
  const credentials = secretsmanager.Secret.fromSecretNameV2(stack, 'Secret', 'a4b/graph');
  const link = new other.Office365CalendarLink(stack, 'Link', {
    tenant: 'contoso.onmicrosoft.com', method: other.CalendarLinkMethod.delegate({ serviceAccount: 'a4b@contoso.onmicrosoft.com' }), credentials,
  });
  expect(ours.Office365CalendarLink.of(stack)).toBe(link);
  expect(ours.Office365CalendarLink.isOffice365CalendarLink(link)).toBe(true);
  const profile = new ours.RoomProfile(stack, 'P', { roomProfileName: 'Std', address: '1 Main St', timezone: 'UTC' });
  new ours.Room(stack, 'R', { roomName: 'A', profile, mailbox: 'a@contoso.onmicrosoft.com' });
  // A second link in the same top-level stack is refused, whichever copy makes it.
  expect(() => new ours.Office365CalendarLink(stack, 'Link2', {
    tenant: 'contoso.onmicrosoft.com', method: ours.CalendarLinkMethod.delegate({ serviceAccount: 'a4b@contoso.onmicrosoft.com' }), credentials,
  })).toThrow(/already has an Office365CalendarLink at S\/Link/);
  const template = Template.fromStack(stack).toJSON();
  // The room (made by the other copy than the link's) is in the link's check and waits for it.
  const check = Object.values<any>(template.Resources).find((r) => r.Type === 'Custom::A4BCalendarLink');
  expect(JSON.stringify(check.Properties)).toContain('a@contoso.onmicrosoft.com');
  const room = Object.values<any>(template.Resources).find((r) => r.Type === 'Custom::A4BRoom');
  expect(room.DependsOn?.length).toBeGreaterThan(0);
});
