// Each inventory rule called on its own, as a table: the values at and just past each bound, and the exact problem
// (path, entity, field, message) a refused value gives. Positions in the file are test/inventory/validate.test.ts's.
import { Inventory, InventoryRoom } from '../../lib/inventory/model';
import { InventoryProblem } from '../../lib/inventory/parse';
import {
  calendarLink, inventoryTags, InventoryRule, profileFields, quotas, references, roomFields, skillGroupFields, uniqueDevices, uniqueMailboxes,
  uniqueNames, uniqueRoomKeys,
} from '../../lib/inventory/rules';

type Row = [string, Inventory, InventoryProblem[]];
const problem = (path: (string | number)[], entity: string, field: string, message: string, at?: 'key'): InventoryProblem =>
  (at ? { path, entity, field, message, at } : { path, entity, field, message });
/** A problem between two entries: `also` is where the other one stands. */
const between = (path: (string | number)[], entity: string, field: string, message: string, also: (string | number)[]): InventoryProblem =>
  ({ path, entity, field, message, also });

const x = (n: number, c = 'x') => c.repeat(n);
/** How showValue shows a long string: its first 60 characters, then an ellipsis. */
const cut = (s: string) => `'${s.slice(0, 60)}…'`;
const rooms = (...list: Partial<InventoryRoom>[]): Inventory => ({ rooms: list.map((r) => ({ name: 'A', profile: 'Std', ...r }) as InventoryRoom) });
const TAG_CHARS = 'letters, digits, spaces and _ . : / = + - @';
const SYSTEM = 'must not start with aws: or cdk-a4b-rooms: (system tags are reserved)';
const LOOKS = (name: string) => `(A4B accepts it, but the name would look like '${name}' and be another name)`;
const DEVICE = (s: string) => `arn:aws:a4b:us-east-1:123456789012:device/${s}`;

const run = (rule: InventoryRule) => (_: string, inventory: Inventory, expected: InventoryProblem[]) => {
  expect(rule(inventory)).toEqual(expected);
};

describe('roomFields', () => {
  test.each<Row>([
    ['a plain room', rooms({ name: 'Spree', mailbox: 'spree@contoso.com', description: 'd' }), []],
    ['no rooms at all', {}, []],
    ['a name of 100 characters', rooms({ name: x(100) }), []],
    ['a name of 101 characters', rooms({ name: x(101) }), [problem(['rooms', 0, 'name'], `room ${cut(x(101))}`, 'name', `name ${cut(x(101))} must be 1 to 100 characters (it is 101)`)]],
    ['an empty name', rooms({ name: '' }), [problem(['rooms', 0, 'name'], "room ''", 'name', "name '' must be 1 to 100 characters (it is 0)")]],
    ['a name of 100 astral characters counts characters, not UTF-16 units', rooms({ name: x(100, '😀') }), []],
    ['a control character in the name', rooms({ name: 'A\u0001' }), [problem(['rooms', 0, 'name'], "room 'A\u0001'", 'name', "name 'A\u0001' must contain only printable characters")]],
    ['a name in NFD (combining accent) is a name like any other', rooms({ name: 'Cafe\u0301' }), []],
    ['a no-break space inside a name', rooms({ name: 'Room\u00a04' }), []],
    ['a zero width space in the name', rooms({ name: 'Spr\u200bee' }),
      [problem(['rooms', 0, 'name'], "room 'Spr\u200bee'", 'name', `name 'Spr\u200bee' has the invisible character U+200B (zero width space) at position 4: remove it ${LOOKS('Spree')}`)]],
    ...([['\u200c', 'U+200C (zero width non-joiner)'], ['\u200d', 'U+200D (zero width joiner)'], ['\u2060', 'U+2060 (word joiner)'], ['\ufeff', 'U+FEFF (zero width no-break space)']] as const)
      .map(([c, named]): Row => [`${named} at the end of the name`, rooms({ name: `Spree${c}` }),
        [problem(['rooms', 0, 'name'], `room 'Spree${c}'`, 'name', `name 'Spree${c}' has the invisible character ${named} at position 6: remove it ${LOOKS('Spree')}`)]]),
    ['a space at the start of the name', rooms({ name: ' Spree' }),
      [problem(['rooms', 0, 'name'], "room ' Spree'", 'name', `name ' Spree' has the invisible character U+0020 (white space at the start) at position 1: remove it ${LOOKS('Spree')}`)]],
    ['a no-break space at the end of the name (astral characters count as one)', rooms({ name: '😀 Spree\u00a0' }),
      [problem(['rooms', 0, 'name'], "room '😀 Spree\u00a0'", 'name', `name '😀 Spree\u00a0' has the invisible character U+00A0 (white space at the end) at position 8: remove it ${LOOKS('😀 Spree')}`)]],
    ['a zero width space in the id', rooms({ id: 'r1\u200b' }),
      [problem(['rooms', 0, 'id'], "room 'A'", 'id', `id 'r1\u200b' has the invisible character U+200B (zero width space) at position 3: remove it ${LOOKS('r1')}`)]],
    ['an empty id', rooms({ id: '' }), [problem(['rooms', 0, 'id'], "room 'A'", 'id', "id '' must be 1 to 100 characters (it is 0)")]],
    ['an id of 101 characters', rooms({ id: x(101, 'i') }), [problem(['rooms', 0, 'id'], "room 'A'", 'id', `id ${cut(x(101, 'i'))} must be 1 to 100 characters (it is 101)`)]],
    ['a description of 200 characters', rooms({ description: x(200, 'd') }), []],
    ['a description of 201 characters', rooms({ description: x(201, 'd') }),
      [problem(['rooms', 0, 'description'], "room 'A'", 'description', `description ${cut(x(201, 'd'))} must be 1 to 200 characters (it is 201)`)]],
    ['an empty description', rooms({ description: '' }), [problem(['rooms', 0, 'description'], "room 'A'", 'description', "description '' must be 1 to 200 characters (it is 0)")]],
    ['a mailbox that is not an address', rooms({ mailbox: 'board room' }),
      [problem(['rooms', 0, 'mailbox'], "room 'A'", 'mailbox', "mailbox 'board room' must be the email address of the room's resource mailbox, e.g. board-room@contoso.com")]],
    ['a mailbox without a dot in its domain', rooms({ mailbox: 'a@contoso' }),
      [problem(['rooms', 0, 'mailbox'], "room 'A'", 'mailbox', "mailbox 'a@contoso' must be the email address of the room's resource mailbox, e.g. board-room@contoso.com")]],
    ['the shortest mailbox', rooms({ mailbox: 'a@b.c' }), []],
    ['a mailbox of 100 characters that is no address', rooms({ mailbox: x(100, 'm') }),
      [problem(['rooms', 0, 'mailbox'], "room 'A'", 'mailbox', `mailbox ${cut(x(100, 'm'))} must be the email address of the room's resource mailbox, e.g. board-room@contoso.com`)]],
    ['a mailbox of 101 characters that is no address: only the length is told', rooms({ mailbox: x(101, 'm') }),
      [problem(['rooms', 0, 'mailbox'], "room 'A'", 'mailbox', `mailbox ${cut(x(101, 'm'))} must be at most 100 characters (it is 101)`)]],
    ['a mailbox of 100 characters', rooms({ mailbox: `${x(90, 'm')}@contoso.c` }), []],
    // Over 100 characters only the length is told: the pattern is not checked on top.
    ['a mailbox of 101 characters', rooms({ mailbox: `${x(91, 'm')}@contoso.c` }),
      [problem(['rooms', 0, 'mailbox'], "room 'A'", 'mailbox', `mailbox ${cut(`${x(91, 'm')}@contoso.c`)} must be at most 100 characters (it is 101)`)]],
    ['10 devices', rooms({ devices: Array.from({ length: 10 }, (_, i) => DEVICE(`d${i}`)) }), []],
    ['11 devices', rooms({ devices: Array.from({ length: 11 }, (_, i) => DEVICE(`d${i}`)) }),
      [problem(['rooms', 0, 'devices'], "room 'A'", 'devices', 'devices 11 must list at most 10 devices (the A4B limit per room)')]],
    ['a room ARN among the devices', rooms({ devices: [DEVICE('a'), 'arn:aws:a4b:us-east-1:123456789012:room/a/b'] }),
      [problem(['rooms', 0, 'devices', 1], "room 'A'", 'devices', "devices 'arn:aws:a4b:us-east-1:123456789012:room/a/b' must be an A4B device ARN (arn:aws:a4b:REGION:ACCOUNT:device/...)")]],
    ['a device ARN with an 11-digit account', rooms({ devices: ['arn:aws:a4b:us-east-1:12345678901:device/a'] }),
      [problem(['rooms', 0, 'devices', 0], "room 'A'", 'devices', "devices 'arn:aws:a4b:us-east-1:12345678901:device/a' must be an A4B device ARN (arn:aws:a4b:REGION:ACCOUNT:device/...)")]],
    ['a device ARN in another partition', rooms({ devices: ['arn:aws-cn:a4b:cn-north-1:123456789012:device/a'] }), []],
    ['a device listed twice (synth refused it; validate did not)', rooms({ devices: [DEVICE('a'), DEVICE('b'), DEVICE('a')] }),
      [problem(['rooms', 0, 'devices', 2], "room 'A'", 'devices', `devices '${DEVICE('a')}' is listed twice`)]],
    ['a tag', rooms({ tags: { team: 'facilities', empty: '' } }), []],
    ['a system tag key, in any case', rooms({ tags: { 'AWS:x': '1', 'cdk-a4b-rooms:y': '2' } }), [
      problem(['rooms', 0, 'tags', 'AWS:x'], "room 'A'", 'tag key', `tag key 'AWS:x' ${SYSTEM}`, 'key'),
      problem(['rooms', 0, 'tags', 'cdk-a4b-rooms:y'], "room 'A'", 'tag key', `tag key 'cdk-a4b-rooms:y' ${SYSTEM}`, 'key'),
    ]],
    ['a tag key of 128 characters', rooms({ tags: { [x(128, 'k')]: 'v' } }), []],
    ['a tag key of 129 characters', rooms({ tags: { [x(129, 'k')]: 'v' } }),
      [problem(['rooms', 0, 'tags', x(129, 'k')], "room 'A'", 'tag key', `tag key ${cut(x(129, 'k'))} must be 1 to 128 characters (it is 129)`, 'key')]],
    ['a # in a tag value', rooms({ tags: { team: 'a#b' } }),
      [problem(['rooms', 0, 'tags', 'team'], "room 'A'", "tag 'team' value", `tag 'team' value 'a#b' must contain only ${TAG_CHARS}`)]],
    ['a tag value of 257 characters', rooms({ tags: { team: x(257, 'v') } }),
      [problem(['rooms', 0, 'tags', 'team'], "room 'A'", "tag 'team' value", `tag 'team' value ${cut(x(257, 'v'))} must be at most 256 characters (it is 257)`)]],
    ['the second room is named in its problem', rooms({ name: 'A' }, { name: 'B', description: '' }),
      [problem(['rooms', 1, 'description'], "room 'B'", 'description', "description '' must be 1 to 200 characters (it is 0)")]],
    // The schema reports the missing name; the room's other problems name it by its place in the list.
    ['a room without a name', { rooms: [{ name: 'A', profile: 'Std' }, { profile: 'Std', description: '' } as InventoryRoom] },
      [problem(['rooms', 1, 'description'], "room '#2'", 'description', "description '' must be 1 to 200 characters (it is 0)")]],
    // A device that is not a string is the schema's problem.
    ['a number among the devices', rooms({ devices: [42 as unknown as string] }), []],
  ])('%s', run(roomFields));
});

const std = { name: 'Std', address: '1 Main St', timezone: 'Europe/Berlin' };
const profiles = (extra: object): Inventory => ({ profiles: [{ ...std, ...extra }] } as Inventory);
const at = (field: string, value: number | string, must: string, ...path: string[]) =>
  [problem(['profiles', 0, ...(path.length ? path : [field])], "profile 'Std'", field, `${field} ${typeof value === 'string' ? `'${value}'` : value} ${must}`)];
const REMINDER = ['meetingRoom', 'endOfMeetingReminder', 'minutes'];
const BOOKING = ['meetingRoom', 'instantBooking', 'durationMinutes'];
const CHECK_IN = ['meetingRoom', 'requireCheckIn', 'releaseAfterMinutes'];
const reminder = (minutes: number) => profiles({ meetingRoom: { endOfMeetingReminder: { minutes, type: 'CHIME' } } });
const booking = (durationMinutes: number) => profiles({ meetingRoom: { instantBooking: { durationMinutes } } });
const checkIn = (releaseAfterMinutes: number) => profiles({ meetingRoom: { requireCheckIn: { releaseAfterMinutes } } });

describe('profileFields', () => {
  test.each<Row>([
    ['a plain profile', profiles({}), []],
    ['a profile without a time zone (the schema\'s problem)', profiles({ timezone: undefined }), []],
    ['a time zone that is a number (the schema\'s problem)', profiles({ timezone: 42 }), []],
    ['a time zone of 101 characters', profiles({ timezone: x(101, 'z') }), [
      problem(['profiles', 0, 'timezone'], "profile 'Std'", 'timezone', `timezone ${cut(x(101, 'z'))} must be 1 to 100 characters (it is 101)`),
      problem(['profiles', 0, 'timezone'], "profile 'Std'", 'timezone', `timezone ${cut(x(101, 'z'))} must be an IANA time zone such as Europe/Berlin or America/New_York`),
    ]],
    ['a word joiner in the name', profiles({ name: 'Std\u2060' }),
      [problem(['profiles', 0, 'name'], "profile 'Std\u2060'", 'name', `name 'Std\u2060' has the invisible character U+2060 (word joiner) at position 4: remove it ${LOOKS('Std')}`)]],
    ['an alias time zone the platform knows', profiles({ timezone: 'US/Eastern' }), []],
    ['a misspelt time zone', profiles({ timezone: 'Europe/Berln' }), at('timezone', 'Europe/Berln', 'must be an IANA time zone such as Europe/Berlin or America/New_York')],
    ['an address of 500 characters', profiles({ address: x(500, 'a') }), []],
    ['an address of 501 characters', profiles({ address: x(501, 'a') }),
      [problem(['profiles', 0, 'address'], "profile 'Std'", 'address', `address ${cut(x(501, 'a'))} must be 1 to 500 characters (it is 501)`)]],
    ['an empty locale', profiles({ locale: '' }), at('locale', '', 'must be 1 to 256 characters (it is 0)')],
    ['a name of 101 characters', profiles({ name: x(101, 'p') }),
      [problem(['profiles', 0, 'name'], `profile ${cut(x(101, 'p'))}`, 'name', `name ${cut(x(101, 'p'))} must be 1 to 100 characters (it is 101)`)]],
    ['volume 0', profiles({ maxVolume: 0 }), []],
    ['volume 10', profiles({ maxVolume: 10 }), []],
    ['volume 11', profiles({ maxVolume: 11 }), at('maxVolume', 11, 'must be 0 to 10')],
    ['volume -1', profiles({ maxVolume: -1 }), at('maxVolume', -1, 'must be 0 to 10')],
    ['volume 2.5', profiles({ maxVolume: 2.5 }), at('maxVolume', 2.5, 'must be a whole number')],
    // YAML's .nan and .inf are numbers to the schema, and no value A4B takes.
    ['volume .nan', profiles({ maxVolume: NaN }),
      [problem(['profiles', 0, 'maxVolume'], "profile 'Std'", 'maxVolume', 'maxVolume: .nan is not a number A4B accepts: give a whole number from 0 to 10')]],
    ['a profile without a name, volume -.inf, instant booking .inf', { profiles: [{ address: 'a', timezone: 'UTC', maxVolume: -Infinity, meetingRoom: { instantBooking: { durationMinutes: Infinity } } }] } as unknown as Inventory, [
      problem(['profiles', 0, 'maxVolume'], "profile '#1'", 'maxVolume', 'maxVolume: -.inf is not a number A4B accepts: give a whole number from 0 to 10'),
      problem(['profiles', 0, ...BOOKING], "profile '#1'", 'meetingRoom.instantBooking.durationMinutes',
        'meetingRoom.instantBooking.durationMinutes: .inf is not a number A4B accepts: give a whole number from 15 to 240 in steps of 15'),
    ]],
    ['a reminder of 3 minutes', reminder(3), []],
    ['a reminder of 15 minutes', reminder(15), []],
    ['a reminder of 2 minutes', reminder(2), at('meetingRoom.endOfMeetingReminder.minutes', 2, 'must be 3 to 15', ...REMINDER)],
    ['a reminder of 16 minutes', reminder(16), at('meetingRoom.endOfMeetingReminder.minutes', 16, 'must be 3 to 15', ...REMINDER)],
    ['instant booking of 15 minutes', booking(15), []],
    ['instant booking of 240 minutes', booking(240), []],
    ['instant booking of 20 minutes', booking(20), at('meetingRoom.instantBooking.durationMinutes', 20, 'must be 15 to 240 in steps of 15', ...BOOKING)],
    ['instant booking of 255 minutes', booking(255), at('meetingRoom.instantBooking.durationMinutes', 255, 'must be 15 to 240 in steps of 15', ...BOOKING)],
    ['instant booking of 0 minutes', booking(0), at('meetingRoom.instantBooking.durationMinutes', 0, 'must be 15 to 240 in steps of 15', ...BOOKING)],
    ['release after 5 minutes', checkIn(5), []],
    ['release after 20 minutes', checkIn(20), []],
    ['release after 4 minutes', checkIn(4), at('meetingRoom.requireCheckIn.releaseAfterMinutes', 4, 'must be 5 to 20', ...CHECK_IN)],
    ['release after 21 minutes', checkIn(21), at('meetingRoom.requireCheckIn.releaseAfterMinutes', 21, 'must be 5 to 20', ...CHECK_IN)],
    ['a system tag', profiles({ tags: { 'aws:x': '1' } }), [problem(['profiles', 0, 'tags', 'aws:x'], "profile 'Std'", 'tag key', `tag key 'aws:x' ${SYSTEM}`, 'key')]],
  ])('%s', run(profileFields));
});

describe('skillGroupFields', () => {
  test.each<Row>([
    ['a plain skill group', { skillGroups: [{ name: 'Conferencing', description: x(200, 'd') }] }, []],
    ['a zero width no-break space in the name', { skillGroups: [{ name: '\ufeffG' }] },
      [problem(['skillGroups', 0, 'name'], "skill group '\ufeffG'", 'name', `name '\ufeffG' has the invisible character U+FEFF (zero width no-break space) at position 1: remove it ${LOOKS('G')}`)]],
    ['a name of 101 characters', { skillGroups: [{ name: x(101, 'g') }] },
      [problem(['skillGroups', 0, 'name'], `skill group ${cut(x(101, 'g'))}`, 'name', `name ${cut(x(101, 'g'))} must be 1 to 100 characters (it is 101)`)]],
    ['a description of 201 characters', { skillGroups: [{ name: 'G', description: x(201, 'd') }] },
      [problem(['skillGroups', 0, 'description'], "skill group 'G'", 'description', `description ${cut(x(201, 'd'))} must be 1 to 200 characters (it is 201)`)]],
    ['a tag value with a !', { skillGroups: [{ name: 'G', tags: { team: 'a!' } }] },
      [problem(['skillGroups', 0, 'tags', 'team'], "skill group 'G'", "tag 'team' value", `tag 'team' value 'a!' must contain only ${TAG_CHARS}`)]],
    ['a skill group without a name', { skillGroups: [{ name: 'G' }, { description: '' }] } as unknown as Inventory,
      [problem(['skillGroups', 1, 'description'], "skill group '#2'", 'description', "description '' must be 1 to 200 characters (it is 0)")]],
  ])('%s', run(skillGroupFields));
});

describe('inventoryTags', () => {
  test.each<Row>([
    ['no tags', {}, []],
    ['allowed tags', { tags: { 'cost-center': '42', 'owner@x': 'a b/c=d+e' } }, []],
    ['a system tag', { tags: { 'aws:cloudformation:stack-name': 's' } },
      [problem(['tags', 'aws:cloudformation:stack-name'], 'inventory', 'tag key', `tag key 'aws:cloudformation:stack-name' ${SYSTEM}`, 'key')]],
    ['an empty tag key', { tags: { '': 'v' } }, [problem(['tags', ''], 'inventory', 'tag key', "tag key '' must be 1 to 128 characters (it is 0)", 'key')]],
    ['a tag key with a *', { tags: { 'a*': 'v' } }, [problem(['tags', 'a*'], 'inventory', 'tag key', `tag key 'a*' must contain only ${TAG_CHARS}`, 'key')]],
    // Tags given in code may be any object: only its own keys are tags.
    ['a system tag key inherited, not the object\'s own', { tags: Object.create({ 'aws:x': 'v' }) as Record<string, string> }, []],
  ])('%s', run(inventoryTags));
});

const UNIQUE = 'names are unique per A4B account, ignoring case';
describe('uniqueNames', () => {
  test.each<Row>([
    ['distinct names', rooms({ name: 'A' }, { name: 'B' }), []],
    ['a room and a profile may share a name', { ...rooms({ name: 'Std' }), profiles: [std] }, []],
    ['two rooms with one name, ignoring case', rooms({ name: 'Spree' }, { name: 'SPREE' }),
      [between(['rooms', 1, 'name'], "room 'SPREE'", 'name', `name 'SPREE' is also the name of room 'Spree' (rooms[0]): ${UNIQUE}`, ['rooms', 0, 'name'])]],
    ['a third room points at the first of its name', rooms({ name: 'A' }, { name: 'B' }, { name: 'a' }),
      [between(['rooms', 2, 'name'], "room 'a'", 'name', `name 'a' is also the name of room 'A' (rooms[0]): ${UNIQUE}`, ['rooms', 0, 'name'])]],
    ['two profiles with one name', { profiles: [std, { ...std, name: 'std' }] },
      [between(['profiles', 1, 'name'], "profile 'std'", 'name', `name 'std' is also the name of profile 'Std' (profiles[0]): ${UNIQUE}`, ['profiles', 0, 'name'])]],
    ['two skill groups with one name', { skillGroups: [{ name: 'G' }, { name: 'H' }, { name: 'G' }] },
      [between(['skillGroups', 2, 'name'], "skill group 'G'", 'name', `name 'G' is also the name of skill group 'G' (skillGroups[0]): ${UNIQUE}`, ['skillGroups', 0, 'name'])]],
  ])('%s', run(uniqueNames));
});

const OWN_ID = 'each room needs its own id';
describe('names that look the same are one name', () => {
  const LOOK_ALIKE = 'the two look the same (they differ only in Unicode form, invisible characters or surrounding spaces): give each its own name';
  const NFC = 'Caf\u00e9';
  const NFD = 'Cafe\u0301';
  test.each<Row>([
    ['a room in NFC and one in NFD', rooms({ name: NFC }, { name: NFD }),
      [between(['rooms', 1, 'name'], `room '${NFD}'`, 'name', `name '${NFD}' is also the name of room '${NFC}' (rooms[0]): ${LOOK_ALIKE}`, ['rooms', 0, 'name'])]],
    ['NFD and upper case together', rooms({ name: NFC }, { name: 'CAFE\u0301' }),
      [between(['rooms', 1, 'name'], "room 'CAFE\u0301'", 'name', `name 'CAFE\u0301' is also the name of room '${NFC}' (rooms[0]): ${LOOK_ALIKE}`, ['rooms', 0, 'name'])]],
    ['a zero width joiner apart', rooms({ name: 'Spree' }, { name: 'Sp\u200dree' }),
      [between(['rooms', 1, 'name'], "room 'Sp\u200dree'", 'name', `name 'Sp\u200dree' is also the name of room 'Spree' (rooms[0]): ${LOOK_ALIKE}`, ['rooms', 0, 'name'])]],
    ['a trailing space apart, in profiles', { profiles: [std, { ...std, name: 'Std ' }] },
      [between(['profiles', 1, 'name'], "profile 'Std '", 'name', `name 'Std ' is also the name of profile 'Std' (profiles[0]): ${LOOK_ALIKE}`, ['profiles', 0, 'name'])]],
    ['NFC and NFD skill groups', { skillGroups: [{ name: `${NFC} Talk` }, { name: `${NFD} Talk` }] },
      [between(['skillGroups', 1, 'name'], `skill group '${NFD} Talk'`, 'name', `name '${NFD} Talk' is also the name of skill group '${NFC} Talk' (skillGroups[0]): ${LOOK_ALIKE}`, ['skillGroups', 0, 'name'])]],
    ['different letters with the same accent stay apart', rooms({ name: NFC }, { name: 'Cafe\u0300' }), []],
  ])('%s', run(uniqueNames));

  test.each<Row>([
    ['an id in NFD on the key of a room in NFC', rooms({ name: NFC }, { id: NFD, name: 'B' }),
      [between(['rooms', 1, 'id'], "room 'B'", 'id', `id '${NFD}' is also the key (id, or name without an id) of room '${NFC}' (rooms[0]): ${OWN_ID}`, ['rooms', 0, 'name'])]],
  ])('%s', run(uniqueRoomKeys));

  const inv = (...list: Partial<InventoryRoom>[]): Inventory => ({ ...rooms(...list), profiles: [{ ...std, name: NFC }], skillGroups: [{ name: `${NFD} Talk` }] });
  test.each<Row>([
    ['a profile declared in NFC named in NFD, a skill group declared in NFD named in NFC', inv({ profile: NFD, skillGroups: [`${NFC} Talk`] }), []],
    ['a skill group named in NFC and NFD is listed twice', inv({ profile: NFC, skillGroups: [`${NFC} Talk`, `${NFD} Talk`] }),
      [problem(['rooms', 0, 'skillGroups', 1], "room 'A'", 'skillGroups', `skillGroups '${NFD} Talk' is listed twice`)]],
    ['a profile named with a zero width space', inv({ profile: `${NFC}\u200b` }),
      [problem(['rooms', 0, 'profile'], "room 'A'", 'profile', `profile '${NFC}\u200b' must name a profile of this inventory as it is declared: did you mean '${NFC}'?`)]],
  ])('%s', run(references));

  test('profiles and skill groups are held to the invisible-character rule too', () => {
    expect(profileFields({ profiles: [{ ...std, name: 'Std\u2060' }] }).map((p) => p.message))
      .toEqual([`name 'Std\u2060' has the invisible character U+2060 (word joiner) at position 4: remove it ${LOOKS('Std')}`]);
    expect(skillGroupFields({ skillGroups: [{ name: '\ufeffG' }] }).map((p) => p.message))
      .toEqual([`name '\ufeffG' has the invisible character U+FEFF (zero width no-break space) at position 1: remove it ${LOOKS('G')}`]);
  });
});

describe('uniqueDevices', () => {
  const SPREE = { name: 'Spree', profile: 'Std' };
  test.each<Row>([
    ['distinct devices in two rooms', rooms({ name: 'A', devices: [DEVICE('a')] }, { name: 'B', devices: [DEVICE('b')] }), []],
    ['a device twice in one room is roomFields\' problem, not this one', rooms({ devices: [DEVICE('a'), DEVICE('a')] }), []],
    ['one device in two rooms', rooms({ name: 'A', devices: [DEVICE('x'), DEVICE('a')] }, { name: 'B', devices: [DEVICE('a')] }),
      [between(['rooms', 1, 'devices', 0], "room 'B'", 'devices', `devices '${DEVICE('a')}' is also a device of room 'A' (rooms[0]): a device is in one room at a time; remove it from one of them`, ['rooms', 0, 'devices', 1])]],
    ['a third room points at the first', rooms({ name: 'A', devices: [DEVICE('a')] }, { ...SPREE, devices: [] }, { name: 'C', devices: [DEVICE('b'), DEVICE('a')] }),
      [between(['rooms', 2, 'devices', 1], "room 'C'", 'devices', `devices '${DEVICE('a')}' is also a device of room 'A' (rooms[0]): a device is in one room at a time; remove it from one of them`, ['rooms', 0, 'devices', 0])]],
    ['ARNs that are not device ARNs are roomFields\' problem', rooms({ name: 'A', devices: ['x'] }, { name: 'B', devices: ['x'] }), []],
  ])('%s', run(uniqueDevices));
});

describe('uniqueRoomKeys', () => {
  test.each<Row>([
    ['rooms without ids (their names are checked by uniqueNames)', rooms({ name: 'A' }, { name: 'a' }), []],
    ['distinct ids', rooms({ id: 'r1', name: 'A' }, { id: 'r2', name: 'B' }), []],
    ['one id on three rooms: both point at the first', rooms({ id: 'r1', name: 'A' }, { id: 'R1', name: 'B' }, { id: 'r1', name: 'C' }), [
      between(['rooms', 1, 'id'], "room 'B'", 'id', `id 'R1' is also the key (id, or name without an id) of room 'A' (rooms[0]): ${OWN_ID}`, ['rooms', 0, 'id']),
      between(['rooms', 2, 'id'], "room 'C'", 'id', `id 'r1' is also the key (id, or name without an id) of room 'A' (rooms[0]): ${OWN_ID}`, ['rooms', 0, 'id']),
    ]],
    ['an id that is another room\'s name is fine when that room has its own id', rooms({ id: 'r1', name: 'B' }, { id: 'B', name: 'C' }), []],
    ['one id on two rooms, ignoring case', rooms({ id: 'r1', name: 'A' }, { id: 'R1', name: 'B' }),
      [between(['rooms', 1, 'id'], "room 'B'", 'id', `id 'R1' is also the key (id, or name without an id) of room 'A' (rooms[0]): ${OWN_ID}`, ['rooms', 0, 'id'])]],
    ['an id equal to the name of a room without an id', rooms({ name: 'X' }, { id: 'x', name: 'Y' }),
      [between(['rooms', 1, 'id'], "room 'Y'", 'id', `id 'x' is also the key (id, or name without an id) of room 'X' (rooms[0]): ${OWN_ID}`, ['rooms', 0, 'name'])]],
    ['a room without an id named like an earlier id', rooms({ id: 'Y', name: 'A' }, { name: 'y' }),
      [between(['rooms', 1, 'name'], "room 'y'", 'name', `name 'y' is also the key (id, or name without an id) of room 'A' (rooms[0]): ${OWN_ID}`, ['rooms', 0, 'id'])]],
  ])('%s', run(uniqueRoomKeys));
});

describe('uniqueMailboxes', () => {
  test.each<Row>([
    ['rooms without mailboxes', rooms({ name: 'A' }, { name: 'B' }), []],
    ['distinct mailboxes', rooms({ name: 'A', mailbox: 'a@contoso.com' }, { name: 'B', mailbox: 'b@contoso.com' }), []],
    // Lower case tells them apart; upper case would not (STRASSE for both).
    ['ss and \u00df are two mailboxes', rooms({ name: 'A', mailbox: 'strasse@contoso.com' }, { name: 'B', mailbox: 'stra\u00dfe@contoso.com' }), []],
    ['one mailbox on two rooms, ignoring case', rooms({ name: 'A', mailbox: 'a@contoso.com' }, { name: 'B', mailbox: 'A@contoso.com' }),
      [between(['rooms', 1, 'mailbox'], "room 'B'", 'mailbox', "mailbox 'A@contoso.com' is also the mailbox of room 'A' (rooms[0]): a resource mailbox belongs to one room", ['rooms', 0, 'mailbox'])]],
  ])('%s', run(uniqueMailboxes));
});

describe('references', () => {
  const withProfiles = (names: string[], ...list: Partial<InventoryRoom>[]): Inventory =>
    ({ ...rooms(...list), profiles: names.map((name) => ({ ...std, name })), skillGroups: [{ name: 'Conferencing' }] });
  test.each<Row>([
    ['a known profile and skill group', withProfiles(['Std'], { profile: 'Std', skillGroups: ['Conferencing'] }), []],
    // Values of other types are the schema's problems.
    ['a number and a list among the skill groups', withProfiles(['Std'], { skillGroups: [42, ['Caf\u00e9'], 'Conferencing'] as unknown as string[] }), []],
    ['a profile declared with a number for a name', { ...rooms({ profile: '42' }), profiles: [{ ...std, name: 42 as unknown as string }] },
      [problem(['rooms', 0, 'profile'], "room 'A'", 'profile', "profile '42' must name a profile of this inventory ('42')")]],
    ['a profile declared with a list for a name', { ...rooms({ profile: 'Caf\u00e9' }), profiles: [{ ...std, name: ['Caf\u00e9'] as unknown as string }] },
      [problem(['rooms', 0, 'profile'], "room 'A'", 'profile', "profile 'Caf\u00e9' must name a profile of this inventory ('Caf\u00e9')")]],
    ['an unknown profile', withProfiles(['Std', 'Big'], { profile: 'Standard' }),
      [problem(['rooms', 0, 'profile'], "room 'A'", 'profile', "profile 'Standard' must name a profile of this inventory ('Std', 'Big')")]],
    // A4B would take 'std' for 'Std' (names are unique ignoring case); the inventory asks for the declared name.
    ['a profile named in another case', withProfiles(['Std', 'Big'], { profile: 'std' }),
      [problem(['rooms', 0, 'profile'], "room 'A'", 'profile', "profile 'std' must name a profile of this inventory as it is declared: did you mean 'Std'?")]],
    ['a skill group named in another case', withProfiles(['Std'], { skillGroups: ['CONFERENCING'] }),
      [problem(['rooms', 0, 'skillGroups', 0], "room 'A'", 'skillGroups', "skillGroups 'CONFERENCING' must name a skill group of this inventory as it is declared: did you mean 'Conferencing'?")]],
    ['an inventory without profiles', rooms({ profile: 'Std' }),
      [problem(['rooms', 0, 'profile'], "room 'A'", 'profile', "profile 'Std' must name a profile of this inventory (there are none)")]],
    ['an unknown skill group', withProfiles(['Std'], { skillGroups: ['Conferencing', 'Confrencing'] }),
      [problem(['rooms', 0, 'skillGroups', 1], "room 'A'", 'skillGroups', "skillGroups 'Confrencing' must name a skill group of this inventory ('Conferencing')")]],
    ['a skill group listed twice', withProfiles(['Std'], { skillGroups: ['Conferencing', 'Conferencing'] }),
      [problem(['rooms', 0, 'skillGroups', 1], "room 'A'", 'skillGroups', "skillGroups 'Conferencing' is listed twice")]],
    ['an unknown skill group listed twice: both problems on the second', withProfiles(['Std'], { skillGroups: ['X', 'X'] }), [
      problem(['rooms', 0, 'skillGroups', 0], "room 'A'", 'skillGroups', "skillGroups 'X' must name a skill group of this inventory ('Conferencing')"),
      problem(['rooms', 0, 'skillGroups', 1], "room 'A'", 'skillGroups', "skillGroups 'X' must name a skill group of this inventory ('Conferencing')"),
      problem(['rooms', 0, 'skillGroups', 1], "room 'A'", 'skillGroups', "skillGroups 'X' is listed twice"),
    ]],
  ])('%s', run(references));
});

describe('quotas', () => {
  const many = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));
  test.each<Row>([
    ['10,000 rooms, 100 profiles, 1,000 skill groups', {
      rooms: many(10_000, (i) => ({ name: `r${i}`, profile: 'p0' })), profiles: many(100, (i) => ({ ...std, name: `p${i}` })), skillGroups: many(1_000, (i) => ({ name: `g${i}` })),
    }, []],
    ['10,001 rooms', { rooms: many(10_001, (i) => ({ name: `r${i}`, profile: 'p0' })) },
      [problem(['rooms'], 'inventory', 'rooms', 'rooms 10001 must be at most 10000 (the A4B quota of rooms per account)')]],
    ['101 profiles', { profiles: many(101, (i) => ({ ...std, name: `p${i}` })) },
      [problem(['profiles'], 'inventory', 'profiles', 'profiles 101 must be at most 100 (the A4B quota of room profiles per account)')]],
    ['1,001 skill groups', { skillGroups: many(1_001, (i) => ({ name: `g${i}` })) },
      [problem(['skillGroups'], 'inventory', 'skillGroups', 'skillGroups 1001 must be at most 1000 (the A4B quota of skill groups per account)')]],
  ])('%s', run(quotas));
});

describe('calendarLink', () => {
  const delegate = { tenantId: 'contoso.onmicrosoft.com', method: 'delegate' as const, serviceAccount: 'alexa@contoso.com', credentialsSecret: 's' };
  const application = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', method: 'application' as const, applicationId: '0c7d5e5e-1f8b-4c3b-9f4e-2f1a3b4c5d6e', credentialsSecret: 's' };
  const link = (l: object): Inventory => ({ calendarLink: l } as Inventory);
  const TENANT = 'must be the directory id (a GUID) or a domain such as contoso.onmicrosoft.com';
  test.each<Row>([
    ['no link', {}, []],
    ['a delegate link', link(delegate), []],
    ['an application link', link(application), []],
    // Missing or mistyped values are the schema's problems.
    ['a link without a tenant id', link({ ...delegate, tenantId: undefined }), []],
    ['a service account that is a number', link({ ...delegate, serviceAccount: 42 }), []],
    ['an application id that is a number', link({ ...application, applicationId: 42 }), []],
    ['a tenant GUID in capitals', link({ ...delegate, tenantId: '72F988BF-86F1-41AF-91AB-2D7CD011DB47' }), []],
    ['the shortest domain', link({ ...delegate, tenantId: 'a.io' }), []],
    ['a tenant name without its domain', link({ ...delegate, tenantId: 'contoso' }), [problem(['calendarLink', 'tenantId'], 'calendarLink', 'tenantId', `tenantId 'contoso' ${TENANT}`)]],
    ['a one-letter top-level domain', link({ ...delegate, tenantId: 'contoso.c' }), [problem(['calendarLink', 'tenantId'], 'calendarLink', 'tenantId', `tenantId 'contoso.c' ${TENANT}`)]],
    ['a GUID one digit short', link({ ...delegate, tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db4' }),
      [problem(['calendarLink', 'tenantId'], 'calendarLink', 'tenantId', `tenantId '72f988bf-86f1-41af-91ab-2d7cd011db4' ${TENANT}`)]],
    ['delegate without a service account', link({ ...delegate, serviceAccount: undefined }),
      [problem(['calendarLink'], 'calendarLink', 'serviceAccount', 'serviceAccount is required with method delegate: the account that holds Editor on the room calendars')]],
    ['a service account that is not a UPN', link({ ...delegate, serviceAccount: 'alexa' }),
      [problem(['calendarLink', 'serviceAccount'], 'calendarLink', 'serviceAccount', "serviceAccount 'alexa' must be the service account's user principal name, e.g. alexaforbusiness@contoso.com")]],
    ['delegate with consentResources', link({ ...delegate, consentResources: ['graph'] }),
      [problem(['calendarLink', 'consentResources'], 'calendarLink', 'consentResources', 'consentResources ["graph"] applies to the application method only (the delegate method needs no consent)')]],
    ['delegate with grantMissingPermissions', link({ ...delegate, grantMissingPermissions: true }), []],
    ['application without an application id', link({ ...application, applicationId: undefined }),
      [problem(['calendarLink'], 'calendarLink', 'applicationId', 'applicationId is required with method application: the A4B enterprise app id')]],
    ['an application id that is not a GUID', link({ ...application, applicationId: 'alexa-for-business' }),
      [problem(['calendarLink', 'applicationId'], 'calendarLink', 'applicationId', "applicationId 'alexa-for-business' must be an application (client) id, a GUID")]],
    ['application with grantMissingPermissions', link({ ...application, grantMissingPermissions: true }),
      [problem(['calendarLink', 'grantMissingPermissions'], 'calendarLink', 'grantMissingPermissions', 'grantMissingPermissions true applies to the delegate method only')]],
    ['application with grantMissingPermissions false', link({ ...application, grantMissingPermissions: false }), []],
    ['application with consentResources', link({ ...application, consentResources: ['graph', 'exchange'] }), []],
  ])('%s', run(calendarLink));
});

describe('the rules only read', () => {
  // inventoryProblems hands the parsed inventory itself to the rules when the schema found no value of a wrong type.
  const deepFreeze = <T>(v: T): T => {
    if (v && typeof v === 'object') {
      Object.values(v).forEach(deepFreeze);
      Object.freeze(v);
    }
    return v;
  };
  test('no rule changes a frozen inventory, with and without problems', () => {
    const inventory = deepFreeze({
      calendarLink: { tenantId: 'contoso.c', method: 'delegate', serviceAccount: 'alexa', consentResources: ['graph'] },
      profiles: [{ name: 'Std', address: 'a', timezone: 'Mars/Olympus', tags: { 'aws:x': 'y' } }, { name: 'std', address: 'b', timezone: 'UTC' }],
      skillGroups: [{ name: 'G', description: '' }, { name: 'g' }],
      rooms: [
        { name: 'A', profile: 'STD', skillGroups: ['G', 'G', 'h'], mailbox: 'a', devices: ['x'], tags: { '': 'v' } },
        { name: 'a', id: 'A', profile: 'Std', mailbox: 'a' },
      ],
      tags: { 'cdk-a4b-rooms:k': 'v' },
    } as unknown as Inventory);
    const all = [
      calendarLink, quotas, profileFields, skillGroupFields, roomFields, inventoryTags, uniqueNames, uniqueRoomKeys, uniqueMailboxes, references,
    ];
    const found = all.flatMap((rule) => rule(inventory));
    expect(found.length).toBeGreaterThanOrEqual(12);
  });
});
