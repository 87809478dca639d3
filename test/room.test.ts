import { App, CfnResource, Fn, NestedStack, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Room, RoomProfile, SkillGroup } from '../lib';

function setup() {
  const app = new App();
  const stack = new Stack(app, 'Rooms');
  const profile = new RoomProfile(stack, 'Profile', { roomProfileName: 'Std', address: '1 Main St', timezone: 'Europe/Berlin' });
  return { app, stack, profile };
}

describe('Room', () => {
  test('declares a Custom::A4BRoom with its mailbox, profile, skill groups, devices and tags', () => {
    const { stack, profile } = setup();
    const sg = new SkillGroup(stack, 'Sg', { skillGroupName: 'Conferencing' });
    new Room(stack, 'Board', {
      roomName: 'Board Room', mailbox: 'board@contoso.com', description: 'Floor 5', profile, skillGroups: [sg],
      deviceArns: ['arn:aws:a4b:us-east-1:123456789012:device/abc/def'], tags: { floor: '5' },
    });
    Template.fromStack(stack).hasResourceProperties('Custom::A4BRoom', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^A4BRoomsProviderHandler'), 'Arn'] },
      RoomName: 'Board Room',
      ProviderCalendarId: 'board@contoso.com',
      Description: 'Floor 5',
      ProfileArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Profile'), 'Arn'] },
      SkillGroupArns: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Sg'), 'Arn'] }],
      DeviceArns: ['arn:aws:a4b:us-east-1:123456789012:device/abc/def'],
      Tags: [{ Key: 'floor', Value: '5' }],
    });
  });

  test('a profile and skill groups imported by name are named (resolved at deploy time); imported by ARN, their ARNs are passed', () => {
    const stack = new Stack(new App(), 'Rooms');
    const byName = RoomProfile.fromRoomProfileAttributes(stack, 'Std', { roomProfileName: 'Std' });
    const groupByName = SkillGroup.fromSkillGroupAttributes(stack, 'Conf', { skillGroupName: 'Conferencing' });
    const profileArn = 'arn:aws:a4b:us-east-1:123456789012:profile/abc';
    const groupArn = 'arn:aws:a4b:us-east-1:123456789012:skill-group/def';
    const byArn = RoomProfile.fromRoomProfileAttributes(stack, 'Other', { roomProfileArn: profileArn, roomProfileName: 'Other' });
    const groupByArn = SkillGroup.fromSkillGroupAttributes(stack, 'Dev', { skillGroupArn: groupArn });
    new Room(stack, 'A', { roomName: 'A', profile: byName, skillGroups: [groupByName, groupByArn] });
    new Room(stack, 'B', { roomName: 'B', profile: byArn });
    const rooms = Object.values<any>(Template.fromStack(stack).findResources('Custom::A4BRoom')).map((r) => r.Properties);
    expect(rooms[0]).toMatchObject({ ProfileName: 'Std', SkillGroupNames: ['Conferencing'], SkillGroupArns: [groupArn] });
    expect(rooms[0].ProfileArn).toBeUndefined();
    expect(rooms[1]).toMatchObject({ ProfileArn: profileArn });
    expect(rooms[1].ProfileName).toBeUndefined();
    expect(() => byName.roomProfileArn).toThrow("room profile 'Std' (Rooms/Std) was imported by name: its ARN is known only at deploy time; import it with roomProfileArn to read it");
    expect(() => groupByName.skillGroupArn).toThrow(/skill group 'Conferencing' \(Rooms\/Conf\) was imported by name/);
  });

  test('an import with neither ARN nor name is refused at once; a bad imported name fails synth naming the field', () => {
    const stack = new Stack(new App(), 'Rooms');
    expect(() => RoomProfile.fromRoomProfileAttributes(stack, 'P', {})).toThrow('RoomProfile.fromRoomProfileAttributes Rooms/P: give roomProfileArn, roomProfileName or both');
    expect(() => SkillGroup.fromSkillGroupAttributes(stack, 'G', {})).toThrow('SkillGroup.fromSkillGroupAttributes Rooms/G: give skillGroupArn, skillGroupName or both');
    SkillGroup.fromSkillGroupAttributes(stack, 'Long', { skillGroupName: 'x'.repeat(101) });
    expect(() => Template.fromStack(stack)).toThrow(/\[Rooms\/Long\] skill group 'x+…': skillGroupName 'x+…' must be 1 to 100 characters \(it is 101\)/);
  });

  test('leaves out what is not declared, so the handler can tell "not managed" from "empty"', () => {
    const { stack, profile } = setup();
    new Room(stack, 'Plain', { roomName: 'Plain', profile });
    const props = Object.values(Template.fromStack(stack).findResources('Custom::A4BRoom'))[0].Properties;
    expect(Object.keys(props).sort()).toEqual(['ProfileArn', 'RoomName', 'ServiceTimeout', 'ServiceToken']);
  });

  test('Tags.of(scope) reaches the room, and a removal policy becomes the DeletionPolicy', () => {
    const { stack, profile } = setup();
    new Room(stack, 'Kept', { roomName: 'Kept', profile, removalPolicy: RemovalPolicy.RETAIN, tags: { a: '1' } });
    Tags.of(stack).add('cost-center', '42');
    const t = Template.fromStack(stack);
    t.hasResource('Custom::A4BRoom', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    t.hasResourceProperties('Custom::A4BRoom', { Tags: Match.arrayWith([{ Key: 'a', Value: '1' }, { Key: 'cost-center', Value: '42' }]) });
  });

  test('the escape hatch is the room\'s own CfnResource, as with aws-cdk-lib\'s constructs, and Tags stays in its place', () => {
    const { stack, profile } = setup();
    const room = new Room(stack, 'Hatch', { roomName: 'Hatch', profile, tags: { a: '1' } });
    const cfn = room.node.defaultChild as CfnResource;
    expect(cfn).toBeInstanceOf(CfnResource);
    cfn.addPropertyOverride('Description', 'set through the escape hatch');
    Tags.of(room).add('b', '2');
    const resource = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(cfn)];
    expect(resource.Properties).toMatchObject({ Description: 'set through the escape hatch', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] });
    // The order CustomResource wrote: the provider's members first, Tags before AdoptExisting.
    expect(Object.keys(resource.Properties)).toEqual(['ServiceToken', 'ServiceTimeout', 'RoomName', 'ProfileArn', 'Tags', 'Description']);
  });

  test('a room\'s logical id is worked out once a synth, not on every reference; renames and overrides still apply', () => {
    const { stack, profile } = setup();
    const rooms = ['A', 'B', 'C'].map((n) => new Room(stack, n, { roomName: n, profile }));
    const barrier = new CfnResource(stack, 'After', { type: 'AWS::CloudFormation::WaitConditionHandle' });
    for (const r of rooms) barrier.node.addDependency(r.node.defaultChild!);
    const worked = new Map<unknown, number>();
    // The work is the hash of the construct path (Stack#allocateLogicalId); renames and overrides are applied each time.
    const proto = Stack.prototype as unknown as { allocateLogicalId(e: unknown): string };
    const allocateLogicalId = proto.allocateLogicalId;
    const spy = jest.spyOn(proto, 'allocateLogicalId').mockImplementation(function (this: Stack, e: unknown) {
      worked.set(e, (worked.get(e) ?? 0) + 1);
      return allocateLogicalId.call(this, e);
    });
    try {
      stack.renameLogicalId(stack.getLogicalId(rooms[0].node.defaultChild as CfnResource), 'RenamedRoomA');
      worked.clear();
      (rooms[1].node.defaultChild as CfnResource).overrideLogicalId('OverriddenRoomB');
      const resources = Template.fromStack(stack).toJSON().Resources;
      expect(Object.keys(resources)).toEqual(expect.arrayContaining(['RenamedRoomA', 'OverriddenRoomB', stack.getLogicalId(rooms[2].node.defaultChild as CfnResource)]));
      expect(resources.After.DependsOn).toEqual(expect.arrayContaining(['RenamedRoomA', 'OverriddenRoomB']));
      // Resolved in prepare, in the template and in DependsOn: CDK would hash the path each time (twice at least).
      expect(worked.get(rooms[0].node.defaultChild)).toBe(1);
      expect(worked.get(rooms[1].node.defaultChild)).toBeUndefined();
      expect(worked.get(barrier)).toBeGreaterThan(1);
    } finally {
      spy.mockRestore();
    }
  });

  test('the physical name of a room, profile and skill group is its A4B name, and none makes a token for it', () => {
    const { stack, profile } = setup();
    const group = new SkillGroup(stack, 'Sg', { skillGroupName: 'Conferencing' });
    const room = new Room(stack, 'Board', { roomName: 'Board Room', profile });
    // physicalName is protected in Resource (CDK reads it for cross-environment references): read by element access.
    expect([room['physicalName'], profile['physicalName'], group['physicalName']]).toEqual(['Board Room', 'Std', 'Conferencing']);
    // A name given as a token stays that token.
    const named = new Room(stack, 'Named', { roomName: Fn.importValue('RoomName'), profile });
    expect(stack.resolve(named['physicalName'])).toEqual({ 'Fn::ImportValue': 'RoomName' });
  });

  test('defaults to DeletionPolicy Delete and does not send AdoptExisting unless asked', () => {
    const { stack, profile } = setup();
    new Room(stack, 'A', { roomName: 'A', profile });
    new Room(stack, 'B', { roomName: 'B', profile, adoptExisting: true });
    const t = Template.fromStack(stack);
    t.hasResource('Custom::A4BRoom', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ RoomName: 'A', AdoptExisting: Match.absent() }) });
    t.hasResourceProperties('Custom::A4BRoom', { RoomName: 'B', AdoptExisting: true });
  });

  test('fromRoomArn imports a room', () => {
    const { stack } = setup();
    const room = Room.fromRoomArn(stack, 'Imported', 'arn:aws:a4b:us-east-1:123456789012:room/a/b');
    expect(room.roomArn).toBe('arn:aws:a4b:us-east-1:123456789012:room/a/b');
  });

  test.each([
    ['roomName too long', { roomName: 'x'.repeat(101) }, /\[Rooms\/R\] room 'x{60}…': roomName 'x{60}…' must be 1 to 100 characters \(it is 101\)/],
    ['empty roomName', { roomName: '' }, /roomName '' must be 1 to 100 characters \(it is 0\)/],
    ['control character in roomName', { roomName: 'Bell\u0007' }, /roomName 'Bell\u0007' must contain only printable characters/],
    ['description too long', { description: 'd'.repeat(201) }, /description 'd{60}…' must be 1 to 200 characters \(it is 201\)/],
    ['empty description', { description: '' }, /description '' must be 1 to 200 characters/],
    ['mailbox not an email', { mailbox: 'board room' }, /mailbox 'board room' must be the email address of the room's resource mailbox/],
    ['mailbox over 100 characters', { mailbox: `${'m'.repeat(95)}@contoso.com` }, /mailbox 'm{60}…' must be at most 100 characters \(it is 107\)/],
    ['11 devices', { deviceArns: Array.from({ length: 11 }, (_, i) => `arn:aws:a4b:us-east-1:123456789012:device/a/${i}`) }, /deviceArns 11 must list at most 10 devices/],
    ['a device ARN that is not a device', { deviceArns: ['arn:aws:a4b:us-east-1:123456789012:room/a/b'] }, /deviceArns 'arn:aws:a4b:us-east-1:123456789012:room\/a\/b' must be an A4B device ARN/],
    // The inventory's check and the construct's are one (isDeviceArn): past the model's ARN length is no device ARN either.
    ['a device ARN longer than A4B takes', { deviceArns: [`arn:aws:a4b:us-east-1:123456789012:device/${'d'.repeat(1018)}`] }, /deviceArns '.*' must be an A4B device ARN/],
    ['a device listed twice', { deviceArns: ['arn:aws:a4b:us-east-1:123456789012:device/a/1', 'arn:aws:a4b:us-east-1:123456789012:device/a/1'] }, /deviceArns '.*device\/a\/1' is listed twice/],
    ['tag key too long', { tags: { ['k'.repeat(129)]: 'v' } }, /tag key 'k{60}…' must be 1 to 128 characters/],
    ['tag value with a bad character', { tags: { team: 'a#b' } }, /tag 'team' value 'a#b' must contain only letters, digits, spaces and _ \. : \/ = \+ - @/],
    ['system tag', { tags: { 'aws:owner': 'x' } }, /tag key 'aws:owner' must not start with aws:/],
  ])('synth fails on %s, naming the room, the field, the value and what is allowed', (_, override, message) => {
    const { app, stack, profile } = setup();
    new Room(stack, 'R', { roomName: 'Room', profile, ...override });
    expect(() => app.synth()).toThrow(message);
  });

  test('one device in two rooms of one app fails synth, naming both rooms and their paths; the same device in two apps does not', () => {
    const { app, stack, profile } = setup();
    const device = 'arn:aws:a4b:us-east-1:123456789012:device/echo/1';
    new Room(stack, 'Spree', { roomName: 'Spree', profile, deviceArns: [device] });
    // In another stack of the same app: still one device in two rooms.
    const annex = new Stack(app, 'Annex');
    new Room(annex, 'Havel', { roomName: 'Havel', profile: RoomProfile.fromRoomProfileArn(annex, 'Std', 'arn:aws:a4b:us-east-1:123456789012:room-profile/std'), deviceArns: [device] });
    expect(() => app.synth()).toThrow(`[Annex/Havel] room 'Havel': deviceArns '${device}' is also a device of room 'Spree' (Rooms/Spree): a device is in one room at a time; remove it from one of them`);

    const other = setup();
    new Room(other.stack, 'Spree', { roomName: 'Spree', profile: other.profile, deviceArns: [device] });
    new Room(other.stack, 'Havel', { roomName: 'Havel', profile: other.profile, deviceArns: ['arn:aws:a4b:us-east-1:123456789012:device/echo/2'] });
    expect(() => other.app.synth()).not.toThrow();
  });

  test('a skill group listed twice fails synth', () => {
    const { app, stack, profile } = setup();
    const sg = new SkillGroup(stack, 'Sg', { skillGroupName: 'S' });
    new Room(stack, 'R', { roomName: 'Room', profile, skillGroups: [sg, sg] });
    expect(() => app.synth()).toThrow(/skillGroups 'Rooms\/Sg' is listed twice/);
  });

  test('every problem of every room is reported in one synth', () => {
    const { app, stack, profile } = setup();
    new Room(stack, 'A', { roomName: 'x'.repeat(101), profile });
    new Room(stack, 'B', { roomName: 'B', profile, mailbox: 'nope' });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/\[Rooms\/A\] room 'x{60}…': roomName/);
    expect(message).toMatch(/\[Rooms\/B\] room 'B': mailbox 'nope'/);
  });

  test('unresolved tokens are not validated', () => {
    const { app, stack, profile } = setup();
    new Room(stack, 'R', { roomName: stack.stackName, mailbox: Fn.importValue('BoardMailbox'), profile });
    expect(() => app.synth()).not.toThrow();
  });

  test('a profile and skill group of another stack are named, not passed as ARNs: no parameter, and the room waits for their stack', () => {
    const { stack, profile } = setup();
    const shard = new NestedStack(stack, 'Shard');
    const local = new SkillGroup(shard, 'Local', { skillGroupName: 'Local' });
    const remote = new SkillGroup(stack, 'Remote', { skillGroupName: 'Remote' });
    const imported = SkillGroup.fromSkillGroupArn(shard, 'Imported', 'arn:aws:a4b:us-east-1:123456789012:skill-group/imported');
    new Room(shard, 'R', { roomName: 'R', profile, skillGroups: [local, remote, imported] });
    const nested = Template.fromStack(shard);
    const room = Object.values<any>(nested.findResources('Custom::A4BRoom'))[0];
    expect(room.Properties).toMatchObject({ ProfileName: 'Std', SkillGroupNames: ['Remote'] });
    expect(room.Properties.ProfileArn).toBeUndefined();
    // Same stack and imported: ARNs as before.
    expect(room.Properties.SkillGroupArns).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Local/), 'Arn'] }, 'arn:aws:a4b:us-east-1:123456789012:skill-group/imported']);
    expect(Object.keys(nested.toJSON().Parameters ?? {}).filter((p) => !/Provider/.test(p))).toEqual([]);
    // The nested stack waits for the profile and the skill group it names.
    const shardResource = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudFormation::Stack'))[0];
    expect(shardResource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^Profile/), expect.stringMatching(/^Remote/)]));
  });
});
