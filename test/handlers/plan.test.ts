import { devicesToRelease, setChange, tagChange } from '../../lib/handlers/a4b/plan';
import { PropertyReader } from '../../lib/handlers/a4b/properties';
import { planRoomUpdate, RoomSpec } from '../../lib/handlers/a4b/room';
import { planRoomProfileUpdate, RoomProfileSpec } from '../../lib/handlers/a4b/room-profile';

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
  const room: RoomSpec = { RoomName: 'A', Description: 'd', ProviderCalendarId: 'a@b.co', ProfileArn: 'p1', skillGroupArns: ['g1'], deviceArns: ['d1'], tags: [], adoptExisting: false };

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

describe('planRoomProfileUpdate', () => {
  const profile: RoomProfileSpec = {
    ProfileName: 'P', Address: 'a', Timezone: 'UTC', DistanceUnit: 'METRIC', TemperatureUnit: 'CELSIUS', WakeWord: 'ALEXA', Locale: 'en-US',
    PSTNEnabled: true, MeetingRoomConfiguration: { InstantBooking: { Enabled: true, DurationInMinutes: 30 }, RoomUtilizationMetricsEnabled: true }, tags: [], adoptExisting: false,
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
