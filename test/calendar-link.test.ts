import { App, AspectPriority, Aspects, CfnParameter, NestedStack, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CalendarLinkMethod, CalendarRole, ConsentResource, Office365CalendarLink, Room, RoomProfile, SkillGroup } from '../lib';

function stackWithLink(linkProps: Partial<ConstructorParameters<typeof Office365CalendarLink>[2]> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Rooms');
  const secret = new secretsmanager.Secret(stack, 'GraphCredentials');
  new Office365CalendarLink(stack, 'Link', {
    tenant: 'contoso.onmicrosoft.com',
    method: CalendarLinkMethod.delegate({ serviceAccount: 'alexaforbusiness@contoso.com' }),
    credentials: secret,
    ...linkProps,
  });
  const profile = new RoomProfile(stack, 'Profile', { roomProfileName: 'P', address: 'a', timezone: 'UTC' });
  const sg = new SkillGroup(stack, 'Sg', { skillGroupName: 'S' });
  new Room(stack, 'Spree', { roomName: 'Spree', mailbox: 'spree@contoso.com', profile, skillGroups: [sg] });
  new Room(stack, 'NoCalendar', { roomName: 'Lobby', profile });
  return { app, stack };
}

describe('Office365CalendarLink', () => {
  test('declares the link with every linked room mailbox, the secret by ARN, and the default accepted roles', () => {
    const { stack } = stackWithLink();
    Template.fromStack(stack).hasResourceProperties('Custom::A4BCalendarLink', {
      Tenant: 'contoso.onmicrosoft.com',
      Method: 'delegate',
      ServiceAccount: 'alexaforbusiness@contoso.com',
      CredentialsSecretArn: { Ref: Match.stringLikeRegexp('^GraphCredentials') },
      AcceptedRoles: ['write', 'delegateWithoutPrivateEventAccess', 'delegateWithPrivateEventAccess'],
      Rooms: [{ Name: 'Spree', Mailbox: 'spree@contoso.com' }],
      GrantMissingPermissions: Match.absent(),
    });
  });

  test('the secret value never enters the template', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'Creds', 'a4b/graph');
    new Office365CalendarLink(stack, 'Link', { tenant: 'contoso.com', method: CalendarLinkMethod.delegate({ serviceAccount: 'sa@contoso.com' }), credentials: secret });
    const text = JSON.stringify(Template.fromStack(stack).toJSON());
    expect(text).not.toContain('SecretString');
    expect(text).not.toContain('resolve:secretsmanager');
    Template.fromStack(stack).hasResourceProperties('Custom::A4BCalendarLink', {
      CredentialsSecretArn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':secret:a4b/graph$')])] },
    });
  });

  test('the validation function may read that one secret and nothing else', () => {
    const { stack } = stackWithLink();
    const t = Template.fromStack(stack);
    const policies = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes('secretsmanager'));
    expect(policies).toHaveLength(1);
    const statements = policies[0].Properties.PolicyDocument.Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue']));
    expect(statements[0].Action.every((a: string) => a.startsWith('secretsmanager:'))).toBe(true);
    expect(statements[0].Resource).toEqual({ Ref: expect.stringMatching(/^GraphCredentials/) });
    t.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Timeout: 600, Description: Match.stringLikeRegexp('calendar link') });
  });

  test('every room, profile and skill group waits for the link', () => {
    const { stack } = stackWithLink();
    const t = Template.fromStack(stack);
    const linkId = Object.keys(t.findResources('Custom::A4BCalendarLink'))[0];
    for (const type of ['Custom::A4BRoom', 'Custom::A4BRoomProfile', 'Custom::A4BSkillGroup']) {
      for (const r of Object.values(t.findResources(type))) expect(r.DependsOn).toContain(linkId);
    }
  });

  test('rooms of a nested stack whose mailboxes no check reads fail synth, each by name; rooms without a mailbox do not', () => {
    const { stack } = stackWithLink();
    const shard = new NestedStack(stack, 'Unchecked');
    const profile = RoomProfile.fromRoomProfileArn(shard, 'P', 'arn:aws:a4b:us-east-1:123456789012:room-profile/x');
    for (const name of ['Havel', 'Dahme']) new Room(shard, name, { roomName: name, mailbox: `${name.toLowerCase()}@contoso.com`, profile });
    new Room(shard, 'Lobby', { roomName: 'Lobby', profile });
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('calendar link does not check')).map((e) => e.id);
    expect(errors.sort()).toEqual(['/Rooms/Unchecked/Dahme', '/Rooms/Unchecked/Havel']);
    // The stack as a whole waits for the link's own check, once.
    const parent = Template.fromStack(stack).findResources('AWS::CloudFormation::Stack');
    const linkId = Object.keys(Template.fromStack(stack).findResources('Custom::A4BCalendarLink'))[0];
    expect(Object.values(parent)[0].DependsOn).toEqual([linkId]);
  });

  test('the link\'s aspect, which adds dependencies, runs at the mutating priority (before aspects that only read, e.g. cdk-nag)', () => {
    const { stack } = stackWithLink();
    const link = Office365CalendarLink.of(stack)!;
    expect(Aspects.of(link).applied.map((a) => a.priority)).toEqual([AspectPriority.MUTATING]);
  });

  test('the console step left is a property, a stack output only when asked (consoleStepOutput), and a notice gives the DeleteComments command', () => {
    const step = 'In the A4B console choose Calendar > Office 365 > Service account using delegate access > Link account, sign in as alexaforbusiness@contoso.com and accept the user consent.';
    const plain = stackWithLink();
    expect(Template.fromStack(plain.stack).toJSON().Outputs).toBeUndefined();
    expect(Office365CalendarLink.of(plain.stack)!.consoleStep).toBe(step);
    const { stack } = stackWithLink({ consoleStepOutput: true });
    Template.fromStack(stack).hasOutput('*', { Description: 'The one step A4B has no API for', Value: step });
    expect(Object.keys(Template.fromStack(stack).toJSON().Outputs)).toEqual([expect.stringMatching(/^LinkConsoleStep/)]);
    Annotations.fromStack(stack).hasInfo('/Rooms/Link', Match.stringLikeRegexp('Set-CalendarProcessing "spree@contoso.com" -DeleteComments \\$FALSE'));
  });

  test('application method: the app id, no service account, and its own console step', () => {
    const { stack } = stackWithLink({ method: CalendarLinkMethod.application({ applicationId: '0d9bd8c6-1b27-4b60-a52e-4c1e2f3e8b11' }), acceptedRoles: [CalendarRole.WRITE, CalendarRole.CUSTOM], consoleStepOutput: true });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('Custom::A4BCalendarLink', { Method: 'application', ApplicationId: '0d9bd8c6-1b27-4b60-a52e-4c1e2f3e8b11', ServiceAccount: Match.absent(), AcceptedRoles: ['write', 'custom'] });
    t.hasOutput('*', { Value: Match.stringLikeRegexp('Application permissions > Link account, sign in as a Global Administrator of contoso.onmicrosoft.com') });
  });

  test('application method: the consent is accepted on Graph and Exchange Online by default, or on the resources given', () => {
    const method = CalendarLinkMethod.application({ applicationId: '0d9bd8c6-1b27-4b60-a52e-4c1e2f3e8b11' });
    Template.fromStack(stackWithLink({ method }).stack).hasResourceProperties('Custom::A4BCalendarLink', { ConsentResources: ['graph', 'exchange'] });
    Template.fromStack(stackWithLink({ method, consentResources: [ConsentResource.EXCHANGE_ONLINE] }).stack).hasResourceProperties('Custom::A4BCalendarLink', { ConsentResources: ['exchange'] });
    Template.fromStack(stackWithLink().stack).hasResourceProperties('Custom::A4BCalendarLink', { ConsentResources: Match.absent() });
  });

  test.each([
    [{ tenant: 'contoso' }, /calendar link: tenant 'contoso' must be the directory id \(a GUID\) or a domain/],
    [{ method: CalendarLinkMethod.delegate({ serviceAccount: 'alexaforbusiness' }) }, /serviceAccount 'alexaforbusiness' must be the service account's user principal name/],
    [{ method: CalendarLinkMethod.application({ applicationId: 'a4b' }) }, /applicationId 'a4b' must be an application \(client\) id, a GUID/],
    [{ method: CalendarLinkMethod.application({ applicationId: '0d9bd8c6-1b27-4b60-a52e-4c1e2f3e8b11' }), grantMissingPermissions: true }, /grantMissingPermissions true applies to the delegate method only/],
    [{ consentResources: [ConsentResource.MICROSOFT_GRAPH] }, /consentResources 'graph' applies to the application method only/],
    [{ method: CalendarLinkMethod.application({ applicationId: '0d9bd8c6-1b27-4b60-a52e-4c1e2f3e8b11' }), consentResources: [] }, /consentResources '\[\]' must name at least one resource/],
  ])('bad props fail synth, as a room\'s do %#', (props, message) => {
    const { stack } = stackWithLink(props as any);
    expect(() => Template.fromStack(stack)).toThrow(message);
  });

  test('one synth reports the link\'s problems and the rooms\' together, each under its construct path', () => {
    const { app, stack } = stackWithLink({ tenant: 'contoso' });
    const profile = RoomProfile.fromRoomProfileArn(stack, 'Other', 'arn:aws:a4b:us-east-1:123456789012:profile/abc');
    new Room(stack, 'Bad', { roomName: 'Bad', mailbox: 'nope', profile });
    expect(() => app.synth()).toThrow(/\[Rooms\/Link\] calendar link: tenant 'contoso' must be[^\n]*\n\s*\[Rooms\/Bad\] room 'Bad': mailbox 'nope'/);
  });

  test('one link per stack', () => {
    const { stack } = stackWithLink();
    expect(() => new Office365CalendarLink(stack, 'Second', {
      tenant: 'contoso.com', method: CalendarLinkMethod.delegate({ serviceAccount: 'a@contoso.com' }), credentials: secretsmanager.Secret.fromSecretNameV2(stack, 'X', 'x'),
    })).toThrow(/already has an Office365CalendarLink at Rooms\/Link/);
  });

  test('recorded checks: rooms of a recorded stack wait for the gate; a recorded check without a gate fails synth', () => {
    const build = (withGate: boolean) => {
      const { app, stack } = stackWithLink();
      const link = Office365CalendarLink.of(stack)!;
      const shard = new NestedStack(stack, 'Shard');
      const checks = new NestedStack(stack, 'Checks');
      new Room(shard, 'Havel', { roomName: 'Havel', mailbox: 'havel@contoso.com', profile: RoomProfile.fromRoomProfileArn(shard, 'P', 'arn:aws:a4b:us-east-1:123456789012:room-profile/x') });
      link.recordRoomsIn(shard, checks, 'CheckShard');
      if (withGate) link.gateRecordedChecks(checks, 'Gate');
      return { app, stack, checks };
    };
    const { stack, checks } = build(true);
    const gate = Template.fromStack(checks).findResources('Custom::A4BMailboxCheckGate');
    expect(Object.values(gate)[0].Properties.Checks).toEqual([{ Name: 'CheckShard', Findings: { 'Fn::GetAtt': ['CheckShard', 'Findings'] } }]);
    // The shard's nested stack resource waits for the checks' nested stack, which holds the gate.
    const parent = Template.fromStack(stack).findResources('AWS::CloudFormation::Stack');
    const shardId = Object.keys(parent).find((id) => id.startsWith('Shard'))!;
    const checksId = Object.keys(parent).find((id) => id.startsWith('Checks'))!;
    expect(parent[shardId].DependsOn).toContain(checksId);
    expect(() => build(false).app.synth()).toThrow(/checks made with recordRoomsIn need a gate \(gateRecordedChecks\)/);
  });

  test('a check lists every room of its stack, and a room named from another stack is wired in as a parameter', () => {
    // CDK's search for references sees only the rooms with a token (lib/calendar-link.ts onceRendered): the one
    // named by the parent's parameter must still reach the check's nested stack, and the template lists both.
    const { stack } = stackWithLink();
    const link = Office365CalendarLink.of(stack)!;
    const name = new CfnParameter(stack, 'BoardRoomName', { default: 'Board Room' });
    const shard = new NestedStack(stack, 'Shard');
    const checks = new NestedStack(stack, 'Checks');
    const profile = RoomProfile.fromRoomProfileArn(shard, 'P', 'arn:aws:a4b:us-east-1:123456789012:room-profile/x');
    new Room(shard, 'Havel', { roomName: 'Havel', mailbox: 'havel@contoso.com', profile });
    new Room(shard, 'Board', { roomName: name.valueAsString, mailbox: 'board@contoso.com', profile });
    link.recordRoomsIn(shard, checks, 'CheckShard');
    link.gateRecordedChecks(checks, 'Gate');
    const template = Template.fromStack(checks).toJSON();
    const parameter = Object.keys(template.Parameters).find((p) => p.includes('BoardRoomName'))!;
    expect(parameter).toBeDefined();
    expect(template.Resources.CheckShard.Properties.Rooms).toEqual([
      { Name: 'Havel', Mailbox: 'havel@contoso.com' },
      { Name: { Ref: parameter }, Mailbox: 'board@contoso.com' },
    ]);
    // The parent passes its parameter in; the gate's hash of what was checked is made (not the search's blank).
    const nested = Object.values(Template.fromStack(stack).findResources('AWS::CloudFormation::Stack')).find((r) => r.Properties.Parameters?.[parameter]);
    expect(nested!.Properties.Parameters[parameter]).toEqual({ Ref: 'BoardRoomName' });
    expect(template.Resources.Gate.Properties.Checked).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
