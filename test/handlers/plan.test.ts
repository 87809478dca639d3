import { devicesToRelease, namesToResolve, refSetChange, resolveRefSetChange, setChange, tagChange } from '../../lib/handlers/a4b/plan';
import { PropertyReader } from '../../lib/handlers/properties';
import { planRoomUpdate, readRoom, RoomSpec } from '../../lib/handlers/a4b/room';
import { planRoomProfileUpdate, readRoomProfile, RoomProfileSpec } from '../../lib/handlers/a4b/room-profile';

describe('setChange', () => {
  test.each([
    [[], [], [], []],
    [['a'], ['a'], [], []],
    [['a', 'b'], ['b', 'c'], ['c'], ['a']],
    [[], ['a', 'a'], ['a'], []],
    [['a'], [], [], ['a']],
  ])('%j -> %j adds %j and removes %j', (before, after, add, remove) => {
    expect(setChange(before, after)).toEqual({ add, remove });
  });
});

describe('devicesToRelease', () => {
  test.each([
    [['d1'], ['d1', 'd2'], ['d1'], []],
    [['d1'], ['d2'], [], ['d1']],
    [['d1', 'd2'], [], [], ['d1', 'd2']],
    [[], ['d1'], [], []],
  ])('removing %j from a room holding %j disassociates %j and leaves %j', (remove, here, release, elsewhere) => {
    expect(devicesToRelease(remove, new Set(here))).toEqual({ release, elsewhere });
  });
});

describe('tagChange', () => {
  test.each([
    [[{ Key: 'a', Value: '1' }], [{ Key: 'a', Value: '1' }], [], []],
    [[{ Key: 'a', Value: '1' }], [{ Key: 'a', Value: '2' }], [{ Key: 'a', Value: '2' }], []],
    [[{ Key: 'a', Value: '1' }], [{ Key: 'b', Value: '1' }], [{ Key: 'b', Value: '1' }], ['a']],
    [[], [{ Key: 'a', Value: '' }], [{ Key: 'a', Value: '' }], []],
  ])('%j -> %j puts %j and removes %j', (before, after, put, remove) => {
    expect(tagChange(before, after)).toEqual({ put, remove });
  });
});

describe('planRoomUpdate', () => {
  const room: RoomSpec = { RoomName: 'A', Description: 'd', ProviderCalendarId: 'a@b.co', ProfileArn: 'p1', skillGroupArns: ['g1'], skillGroupNames: [], deviceArns: ['d1'], tags: [], adoptExisting: false };

  test.each<[string, Partial<RoomSpec>, Record<string, unknown>]>([
    ['nothing', {}, {}],
    ['name', { RoomName: 'B' }, { RoomName: 'B' }],
    ['profile', { ProfileArn: 'p2' }, { ProfileArn: 'p2' }],
    ['mailbox removed (A4B takes an empty ProviderCalendarId)', { ProviderCalendarId: undefined }, { ProviderCalendarId: '' }],
    ['description removed (not sent: A4B cannot clear it)', { Description: undefined }, {}],
  ])('%s', (_, change, fields) => {
    expect(planRoomUpdate(room, { ...room, ...change }).fields).toEqual(fields);
  });

  test('a removed description is reported as unclearable', () => {
    expect(planRoomUpdate(room, { ...room, Description: undefined }).unclearable).toEqual(['Description']);
  });

  test('devices not declared are not managed: no device change at all', () => {
    expect(planRoomUpdate(room, { ...room, deviceArns: undefined }).devices).toEqual({ add: [], remove: [] });
    expect(planRoomUpdate(room, { ...room, deviceArns: [] }).devices).toEqual({ add: [], remove: ['d1'] });
  });
});

describe('planRoomUpdate: a profile by name or by ARN', () => {
  const base: RoomSpec = { RoomName: 'A', skillGroupArns: [], skillGroupNames: [], tags: [], adoptExisting: false };
  const byArn = (ProfileArn: string): RoomSpec => ({ ...base, ProfileArn });
  const byName = (ProfileName: string): RoomSpec => ({ ...base, ProfileName });

  test.each<[string, RoomSpec, RoomSpec, Record<string, unknown>, unknown]>([
    ['same name: nothing to resolve, no UpdateRoom', byName('Std'), byName('Std'), {}, undefined],
    ['same name in another case: the same profile (A4B names are unique ignoring case)', byName('Std'), byName('STD'), {}, undefined],
    ['another name: resolved, then set', byName('Std'), byName('Other'), {}, { name: 'Other' }],
    ['same ARN: nothing', byArn('p1'), byArn('p1'), {}, undefined],
    ['another ARN: set, nothing to resolve', byArn('p1'), byArn('p2'), { ProfileArn: 'p2' }, undefined],
    ['ARN to name: resolved, set unless it is the old ARN', byArn('p1'), byName('Std'), {}, { name: 'Std', unlessArn: 'p1' }],
    ['name to ARN: set unless the old name resolves to it', byName('Std'), byArn('p1'), {}, { arn: 'p1', unlessName: 'Std' }],
    ['name to ARN with another change: set with it, no lookup', byName('Std'), { ...byArn('p1'), RoomName: 'B' }, { RoomName: 'B', ProfileArn: 'p1' }, undefined],
    ['a live room with no profile (deleted) to a name: set', { ...base }, byName('Std'), {}, { name: 'Std', unlessArn: undefined }],
  ])('%s', (_, before, after, fields, profile) => {
    const plan = planRoomUpdate(before, after);
    expect(plan.fields).toEqual(fields);
    expect(plan.profile).toEqual(profile);
  });
});

describe('skill groups by name and by ARN', () => {
  const refs = (arns: string[], names: string[]) => ({ arns, names });

  type Change = { add: string[]; remove: string[]; addNames: string[]; removeNames: string[] };
  test.each<[string, ReturnType<typeof refs>, ReturnType<typeof refs>, Change, string[]]>([
    ['unchanged names: nothing to resolve', refs([], ['A', 'B']), refs([], ['A', 'B']), { add: [], remove: [], addNames: [], removeNames: [] }, []],
    ['a name in another case is unchanged', refs([], ['Sales']), refs([], ['SALES']), { add: [], remove: [], addNames: [], removeNames: [] }, []],
    ['one name added, one removed: only those resolved', refs([], ['A', 'B']), refs([], ['B', 'C']), { add: [], remove: [], addNames: ['C'], removeNames: ['A'] }, ['C', 'A']],
    ['ARNs compared with ARNs', refs(['g1', 'g2'], []), refs(['g2', 'g3'], []), { add: ['g3'], remove: ['g1'], addNames: [], removeNames: [] }, []],
    ['an ARN removed while names are kept: the kept names are resolved (one may be it)', refs(['g1'], ['A']), refs([], ['A']), { add: [], remove: ['g1'], addNames: [], removeNames: [] }, ['A']],
    ['an ARN added while a name goes', refs([], ['A']), refs(['g1'], []), { add: ['g1'], remove: [], addNames: [], removeNames: ['A'] }, ['A']],
  ])('%s', (_, before, after, change, resolve) => {
    const c = refSetChange(before, after);
    expect({ add: c.add, remove: c.remove, addNames: c.addNames, removeNames: c.removeNames }).toEqual(change);
    expect(namesToResolve(c)).toEqual(resolve);
  });

  const arns: Record<string, string> = { a: 'gA', b: 'gB', c: 'gC' };
  const arnOf = (n: string) => arns[n.toLowerCase()];
  test.each<[string, ReturnType<typeof refs>, ReturnType<typeof refs>, { add: string[]; remove: string[] }]>([
    ['names added and removed become ARNs', refs([], ['A', 'B']), refs([], ['B', 'C']), { add: ['gC'], remove: ['gA'] }],
    ['moved from ARN to name: no change', refs(['gA'], []), refs([], ['A']), { add: [], remove: [] }],
    ['moved from name to ARN: no change', refs([], ['A']), refs(['gA'], []), { add: [], remove: [] }],
    ['ARN removed but still named: stays', refs(['gA'], ['A']), refs([], ['A']), { add: [], remove: [] }],
    ['name removed but still given by ARN: stays', refs(['gA'], ['A']), refs(['gA'], []), { add: [], remove: [] }],
    ['a removed name A4B no longer has: already disassociated, skipped', refs([], ['A', 'Gone']), refs([], []), { add: [], remove: ['gA'] }],
    ['mixed: one of each added and removed', refs(['gX'], ['A']), refs(['gY'], ['B']), { add: ['gY', 'gB'], remove: ['gX', 'gA'] }],
  ])('%s', (_, before, after, change) => {
    expect(resolveRefSetChange(refSetChange(before, after), arnOf)).toEqual(change);
  });
});

describe('readRoom: the profile by ARN or by name, exactly one', () => {
  const room = "room 'Board' (Board)";
  test.each<[string, Record<string, unknown>, Partial<RoomSpec>]>([
    ['by ARN', { RoomName: 'Board', ProfileArn: 'arn:p' }, { ProfileArn: 'arn:p', ProfileName: undefined, skillGroupNames: [] }],
    ['by name, with skill groups by name and ARN', { RoomName: 'Board', ProfileName: 'Std', SkillGroupNames: ['A'], SkillGroupArns: ['g'] },
      { ProfileArn: undefined, ProfileName: 'Std', skillGroupNames: ['A'], skillGroupArns: ['g'] }],
  ])('%s', (_, props, spec) => {
    expect(readRoom(props, room)).toMatchObject(spec);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['both', { RoomName: 'Board', ProfileArn: 'arn:p', ProfileName: 'Std' },
      "room 'Board' (Board): has both ProfileArn and ProfileName; give one of them (ProfileName for a room profile declared in another stack, ProfileArn otherwise)"],
    ['neither', { RoomName: 'Board' }, "room 'Board' (Board): has neither ProfileArn nor ProfileName; give the room profile's ARN (ProfileArn) or its name (ProfileName)"],
    ['an empty skill group name', { RoomName: 'Board', ProfileName: 'Std', SkillGroupNames: ['A', ''] },
      "room 'Board' (Board): property SkillGroupNames has an empty name; each must be the name of a skill group"],
  ])('refuses %s', (_, props, message) => {
    expect(() => readRoom(props, room)).toThrow(message);
  });
});

describe('planRoomProfileUpdate', () => {
  const profile: RoomProfileSpec = {
    ProfileName: 'P', Address: 'a', Timezone: 'UTC', DistanceUnit: 'METRIC', TemperatureUnit: 'CELSIUS', WakeWord: 'ALEXA', Locale: 'en-US',
    PSTNEnabled: true, MeetingRoomConfiguration: { InstantBooking: { Enabled: true, DurationInMinutes: 30 }, RoomUtilizationMetricsEnabled: true },
    tags: [], adoptExisting: false,
  };

  test.each<[string, Partial<RoomProfileSpec>, Record<string, unknown>, string[]]>([
    ['nothing', {}, {}, []],
    ['address', { Address: 'b' }, { Address: 'b' }, []],
    ['PSTN removed falls back to false', { PSTNEnabled: undefined }, { PSTNEnabled: false }, []],
    ['locale removed cannot be cleared', { Locale: undefined }, {}, ['Locale']],
    ['instant booking removed is switched off', { MeetingRoomConfiguration: { RoomUtilizationMetricsEnabled: true } }, { MeetingRoomConfiguration: { InstantBooking: { Enabled: false } } }, []],
    ['booking duration changed', { MeetingRoomConfiguration: { InstantBooking: { Enabled: true, DurationInMinutes: 45 }, RoomUtilizationMetricsEnabled: true } },
      { MeetingRoomConfiguration: { InstantBooking: { Enabled: true, DurationInMinutes: 45 } } }, []],
    ['all meeting-room settings removed', { MeetingRoomConfiguration: undefined }, { MeetingRoomConfiguration: { RoomUtilizationMetricsEnabled: false, InstantBooking: { Enabled: false } } }, []],
  ])('%s', (_, change, fields, unclearable) => {
    expect(planRoomProfileUpdate(profile, { ...profile, ...change })).toEqual({ fields, unclearable });
  });

  const meeting = profile.MeetingRoomConfiguration!;
  const withJoin = (EnabledByMotion: boolean) => ({ ...profile, MeetingRoomConfiguration: { ...meeting, ProactiveJoin: { EnabledByMotion } } });
  test.each<[string, RoomProfileSpec, RoomProfileSpec, Record<string, unknown>]>([
    ['ProactiveJoin added', profile, withJoin(true), { MeetingRoomConfiguration: { ProactiveJoin: { EnabledByMotion: true } } }],
    ['EnabledByMotion changed', withJoin(true), withJoin(false), { MeetingRoomConfiguration: { ProactiveJoin: { EnabledByMotion: false } } }],
    ['EnabledByMotion unchanged', withJoin(false), withJoin(false), {}],
    ['ProactiveJoin removed is switched off (A4B requires EnabledByMotion)', withJoin(true), profile, { MeetingRoomConfiguration: { ProactiveJoin: { EnabledByMotion: false } } }],
  ])('%s', (_, before, after, fields) => {
    expect(planRoomProfileUpdate(before, after)).toEqual({ fields, unclearable: [] });
  });
});

describe('readRoomProfile: ProactiveJoin as CloudFormation passes it', () => {
  const props = (ProactiveJoin: unknown) => ({
    ProfileName: 'P', Address: 'a', Timezone: 'UTC', DistanceUnit: 'METRIC', TemperatureUnit: 'CELSIUS', WakeWord: 'ALEXA',
    MeetingRoomConfiguration: { ProactiveJoin },
  });
  test.each([[{ EnabledByMotion: 'true' }, true], [{ EnabledByMotion: 'false' }, false], [{ EnabledByMotion: true }, true]])('%j', (join, enabled) => {
    expect(readRoomProfile(props(join), "room profile 'P' (P)").MeetingRoomConfiguration?.ProactiveJoin).toEqual({ EnabledByMotion: enabled });
  });
  test.each([
    [{}, "room profile 'P' (P): property MeetingRoomConfiguration.ProactiveJoin.EnabledByMotion is missing; it must be true or false"],
    [{ EnabledByMotion: 'yes' }, 'room profile \'P\' (P): property MeetingRoomConfiguration.ProactiveJoin.EnabledByMotion is "yes"; it must be true or false'],
  ])('refuses %j', (join, message) => {
    expect(() => readRoomProfile(props(join), "room profile 'P' (P)")).toThrow(message);
  });
});

describe('PropertyReader reads what CloudFormation sends', () => {
  const r = new PropertyReader({ b: 'true', f: 'false', n: '42', neg: '-3', x: 'yes', s: 'text', l: ['a'], t: [{ Key: 'k', Value: 'v' }], o: { a: '1' } }, "room 'R' (R)");

  test.each([
    [() => r.boolean('b'), true],
    [() => r.boolean('f'), false],
    [() => r.boolean('missing'), undefined],
    [() => r.integer('n'), 42],
    [() => r.integer('neg'), -3],
    [() => r.string('s'), 'text'],
    [() => r.stringList('l'), ['a']],
    [() => r.tags('t'), [{ Key: 'k', Value: 'v' }]],
    [() => r.tags('missing'), []],
  ])('reader %#', (read, value) => {
    expect(read()).toEqual(value);
  });

  test.each([
    [() => r.boolean('x'), 'room \'R\' (R): property x is "yes"; it must be true or false'],
    [() => r.integer('s'), 'room \'R\' (R): property s is "text"; it must be a whole number'],
    [() => r.requiredString('missing'), "room 'R' (R): property missing is missing; it must be a non-empty string"],
    [() => r.stringList('s'), 'room \'R\' (R): property s is "text"; it must be a list of strings'],
    [() => r.object('l'), 'room \'R\' (R): property l is ["a"]; it must be an object'],
  ])('refusal %#', (read, message) => {
    expect(read).toThrow(message);
  });
});
