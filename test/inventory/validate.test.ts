// Malformed inventories: each problem reported with file, line, column, the entity, the field and what is allowed.
import { NO_ROOMS_FIX, parseInventoryText } from '../../lib/inventory/parse';
import { inventoryProblems, validateInventory } from '../../lib/inventory/validate';

const HEAD = `profiles:
  - name: Std
    address: 1 Main St
    timezone: UTC
skillGroups:
  - name: Conferencing
rooms:
`;
// Line numbers below count from this header: rooms start on line 8.
const check = (rooms: string, head = HEAD) => validateInventory(parseInventoryText(head + rooms, 'rooms.yaml'));

describe('inventory validation', () => {
  test('the example inventory is valid', () => {
    const fs = require('fs');
    expect(validateInventory(parseInventoryText(fs.readFileSync(`${__dirname}/../../examples/rooms.yaml`, 'utf8'), 'rooms.yaml'))).toEqual([]);
  });

  test.each([
    ['a name over 100 characters', `  - { name: ${'x'.repeat(101)}, profile: Std }\n`, "rooms.yaml:8:13: room 'x{60}…': name 'x{60}…' must be 1 to 100 characters \\(it is 101\\)"],
    ['a description over 200 characters', `  - name: A\n    profile: Std\n    description: ${'d'.repeat(201)}\n`, "rooms.yaml:10:18: room 'A': description 'd{60}…' must be 1 to 200 characters"],
    ['a mailbox that is not an email', '  - name: A\n    profile: Std\n    mailbox: board room\n', "rooms.yaml:10:14: room 'A': mailbox 'board room' must be the email address of the room's resource mailbox"],
    ['11 devices', `  - name: A\n    profile: Std\n    devices:\n${Array.from({ length: 11 }, (_, i) => `      - arn:aws:a4b:us-east-1:123456789012:device/a/${i}\n`).join('')}`, "rooms.yaml:10:5: room 'A': devices 11 must list at most 10 devices"],
    ['a device ARN that is not a device', '  - name: A\n    profile: Std\n    devices: [arn:aws:a4b:us-east-1:123456789012:room/a/b]\n', "rooms.yaml:10:15: room 'A': devices 'arn:aws:a4b:us-east-1:123456789012:room/a/b' must be an A4B device ARN"],
    ['a tag value with #', '  - name: A\n    profile: Std\n    tags: { team: "a#b" }\n', "rooms.yaml:10:19: room 'A': tag 'team' value 'a#b' must contain only letters, digits, spaces and _ . : / = \\+ - @"],
    ['a system tag', '  - name: A\n    profile: Std\n    tags: { "aws:x": "1" }\n', "rooms.yaml:10:13: room 'A': tag key 'aws:x' must not start with aws:"],
    ['two rooms with one name, ignoring case', '  - { name: Spree, profile: Std }\n  - { name: SPREE, profile: Std }\n', "rooms.yaml:9:13: room 'SPREE': name 'SPREE' is also the name of room 'Spree' \\(rooms\\[0\\], rooms.yaml:8:13\\): names are unique per A4B account, ignoring case"],
    ['one mailbox on two rooms', '  - { name: A, profile: Std, mailbox: a@contoso.com }\n  - { name: B, profile: Std, mailbox: A@contoso.com }\n', "rooms.yaml:9:39: room 'B': mailbox 'A@contoso.com' is also the mailbox of room 'A' \\(rooms\\[0\\], rooms.yaml:8:39\\): a resource mailbox belongs to one room"],
    ['one device in two rooms, both places given', '  - { name: A, profile: Std, devices: [arn:aws:a4b:us-east-1:123456789012:device/a/1] }\n  - name: B\n    profile: Std\n    devices:\n      - arn:aws:a4b:us-east-1:123456789012:device/a/1\n',
      "rooms.yaml:12:9: room 'B': devices 'arn:aws:a4b:us-east-1:123456789012:device/a/1' is also a device of room 'A' \\(rooms\\[0\\], rooms.yaml:8:40\\): a device is in one room at a time; remove it from one of them"],
    ['a room in NFD next to the same name in NFC', '  - { name: "Caf\u00e9", profile: Std }\n  - { name: "Cafe\u0301", profile: Std }\n',
      "rooms.yaml:9:13: room 'Cafe\u0301': name 'Cafe\u0301' is also the name of room 'Caf\u00e9' \\(rooms\\[0\\], rooms.yaml:8:13\\): the two look the same"],
    ['a zero width space in a name', '  - { name: "Spree\u200b", profile: Std }\n',
      "rooms.yaml:8:13: room 'Spree\u200b': name 'Spree\u200b' has the invisible character U\\+200B \\(zero width space\\) at position 6: remove it"],
    ['an unknown profile', '  - { name: A, profile: Standard }\n', "rooms.yaml:8:25: room 'A': profile 'Standard' must name a profile of this inventory \\('Std'\\)"],
    ['an unknown skill group', '  - { name: A, profile: Std, skillGroups: [Conferencing, Confrencing] }\n', "rooms.yaml:8:58: room 'A': skillGroups 'Confrencing' must name a skill group of this inventory \\('Conferencing'\\)"],
    ['a skill group listed twice', '  - { name: A, profile: Std, skillGroups: [Conferencing, Conferencing] }\n', "rooms.yaml:8:58: room 'A': skillGroups 'Conferencing' is listed twice"],
    ['a missing profile', '  - name: A\n', "rooms.yaml:8:5: room 'A': profile is required"],
    ['a misspelt field', '  - name: A\n    profile: Std\n    mailBox: a@contoso.com\n', "rooms.yaml:10:5: room 'A': mailBox is not a field here: did you mean mailbox\\?"],
    ['a name that is a number', '  - { name: 42, profile: Std }\n', "rooms.yaml:8:13: room '#1': name 42 must be a string"],
    ['rooms that are not a list', '  name: A\n', 'rooms.yaml:7:1: inventory: rooms \\{"name":"A"\\} must be a list'],
  ])('%s', (_, rooms, expected) => {
    const problems = check(rooms);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${expected}`));
  });

  test.each([
    ['an unknown wake word', '    wakeWord: SIRI\n', "rooms.yaml:5:15: profile 'Std': wakeWord 'SIRI' must be one of ALEXA, AMAZON, ECHO, COMPUTER"],
    ['a misspelt time zone', '    timezone: Europe/Berln\n', "rooms.yaml:4:15: profile 'Std': timezone 'Europe/Berln' must be an IANA time zone"],
    ['instant booking of 20 minutes', '    meetingRoom: { instantBooking: { durationMinutes: 20 } }\n', "rooms.yaml:5:55: profile 'Std': meetingRoom.instantBooking.durationMinutes 20 must be 15 to 240 in steps of 15"],
    ['a reminder without its type', '    meetingRoom: { endOfMeetingReminder: { minutes: 5 } }\n', "rooms.yaml:5:20: profile 'Std': type is required"],
    ['a volume of 11', '    maxVolume: 11\n', "rooms.yaml:5:16: profile 'Std': maxVolume 11 must be 0 to 10"],
    ['proactiveJoin.enabledByMotion that is not a boolean', '    meetingRoom: { proactiveJoin: { enabledByMotion: yes } }\n',
      "rooms.yaml:5:54: profile 'Std': meetingRoom.proactiveJoin.enabledByMotion 'yes' must be a boolean: write true or false"],
    ['proactiveJoin.enabledByMotion quoted', "    meetingRoom: { proactiveJoin: { enabledByMotion: 'true' } }\n",
      "rooms.yaml:5:54: profile 'Std': meetingRoom.proactiveJoin.enabledByMotion 'true' must be a boolean: write true or false"],
    ['proactiveJoin without enabledByMotion', '    meetingRoom: { proactiveJoin: {} }\n', "rooms.yaml:5:20: profile 'Std': enabledByMotion is required"],
  ])('profile with %s', (_, extra, expected) => {
    const head = `profiles:\n  - name: Std\n    address: 1 Main St\n${extra.startsWith('    timezone') ? '' : '    timezone: UTC\n'}${extra}rooms: []\n`;
    const problems = validateInventory(parseInventoryText(head, 'rooms.yaml'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  test.each([
    ['method delegate without a service account', 'calendarLink: { tenantId: contoso.com, method: delegate, credentialsSecret: s }\n', 'rooms.yaml:1:1: calendarLink: serviceAccount is required with method delegate'],
    ['an unknown method', 'calendarLink: { tenantId: contoso.com, method: oauth, credentialsSecret: s }\n', "rooms.yaml:1:48: calendarLink: method 'oauth' must be one of delegate, application"],
    ['a tenant that is neither GUID nor domain', 'calendarLink: { tenantId: contoso, method: application, applicationId: 0d9bd8c6-1b27-4b60-a52e-4c1e2f3e8b11, credentialsSecret: s }\n', "rooms.yaml:1:27: calendarLink: tenantId 'contoso' must be the directory id"],
    ['no credentials secret', 'calendarLink: { tenantId: contoso.com, method: application, applicationId: 0d9bd8c6-1b27-4b60-a52e-4c1e2f3e8b11 }\n', 'rooms.yaml:1:1: calendarLink: credentialsSecret is required'],
    ['consentResources with the delegate method', 'calendarLink: { tenantId: contoso.com, method: delegate, serviceAccount: a@contoso.com, credentialsSecret: s, consentResources: [graph] }\n', 'rooms.yaml:1:111: calendarLink: consentResources ["graph"] applies to the application method only'],
    ['an unknown consent resource', 'calendarLink: { tenantId: contoso.com, method: application, applicationId: 0d9bd8c6-1b27-4b60-a52e-4c1e2f3e8b11, credentialsSecret: s, consentResources: [ews] }\n', "rooms.yaml:1:155: calendarLink: consentResources[0] 'ews' must be one of graph, exchange"],
  ])('calendar link with %s', (_, text, expected) => {
    const problems = validateInventory(parseInventoryText(`${text}rooms: []\n`, 'rooms.yaml'));
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(expected)).toBe(true);
  });

  test('quotas: 101 profiles', () => {
    const profiles = Array.from({ length: 101 }, (_, i) => `  - { name: P${i}, address: a, timezone: UTC }\n`).join('');
    const problems = validateInventory(parseInventoryText(`profiles:\n${profiles}rooms: []\n`, 'rooms.yaml'));
    expect(problems).toEqual(['rooms.yaml:1:1: inventory: profiles 101 must be at most 100 (the A4B quota of room profiles per account)']);
  });

  test('a YAML syntax error is reported where it is', () => {
    expect(validateInventory(parseInventoryText('rooms:\n  - name: A\n    profile: [Std\n', 'rooms.yaml'))[0]).toMatch(/^rooms\.yaml:\d+:\d+: /);
    expect(validateInventory(parseInventoryText('rooms:\n  - name: A\n    name: B\n', 'rooms.yaml'))).toEqual(["rooms.yaml:3:5: duplicate key 'name': a mapping may hold each key once (of two, one would silently replace the other); merge them or remove one"]);
  });

  test('two YAML documents in one file: refused where the second starts, with what to do instead of the library\'s advice', () => {
    const ONE = 'an inventory is one document; merge the two or split them into two files';
    expect(validateInventory(parseInventoryText(`${HEAD}  - { name: A, profile: Std }\n---\nrooms: []\n`, 'rooms.yaml')))
      .toEqual([`rooms.yaml:9:1: a second YAML document starts here (---): ${ONE}`]);
    // A first `---` is one document; a document ended by `...` and then another is two.
    expect(validateInventory(parseInventoryText(`---\n${HEAD}  - { name: A, profile: Std }\n`, 'rooms.yaml'))).toEqual([]);
    expect(validateInventory(parseInventoryText(`---\n${HEAD}  - { name: A, profile: Std }\n...\nrooms: []\n`, 'rooms.yaml')))
      .toEqual([`rooms.yaml:11:1: a second YAML document starts here: ${ONE}`]);
  });

  // The YAML library reads `.nan`, `.inf` and `-.inf` (in each spelling) as numbers, which JSON prints as null.
  test.each([
    ['.nan', '.nan'], ['.NaN', '.nan'], ['.NAN', '.nan'], ['.inf', '.inf'], ['+.Inf', '.inf'], ['-.inf', '-.inf'], ['-.INF', '-.inf'],
  ])('%s where a whole number goes says what was written and what to write', (written, shown) => {
    const block = `profiles:\n  - name: Std\n    address: 1 Main St\n    timezone: UTC\n    maxVolume: ${written}\nrooms: []\n`;
    expect(validateInventory(parseInventoryText(block, 'rooms.yaml')))
      .toEqual([`rooms.yaml:5:16: profile 'Std': maxVolume: ${shown} is not a number A4B accepts: give a whole number from 0 to 10`]);
    // Flow style, and the reminder's range with its steps: the same words.
    const flow = `profiles:\n  - { name: Std, address: a, timezone: UTC, maxVolume: ${written}, meetingRoom: { instantBooking: { durationMinutes: ${written} } } }\nrooms: []\n`;
    expect(validateInventory(parseInventoryText(flow, 'rooms.yaml')).map((p) => p.replace(/^rooms\.yaml:\d+:\d+: /, ''))).toEqual([
      `profile 'Std': maxVolume: ${shown} is not a number A4B accepts: give a whole number from 0 to 10`,
      `profile 'Std': meetingRoom.instantBooking.durationMinutes: ${shown} is not a number A4B accepts: give a whole number from 15 to 240 in steps of 15`,
    ]);
  });

  test('.nan and .inf where text, a boolean or a choice goes; a -.inf is still refused next to another bad value', () => {
    const text = `profiles:\n  - name: Std\n    address: .nan\n    timezone: UTC\n    maxVolume: -.inf\n    wakeWord: .inf\n    setupModeDisabled: .nan\nrooms: []\n`;
    expect(validateInventory(parseInventoryText(text, 'rooms.yaml'))).toEqual([
      "rooms.yaml:3:14: profile 'Std': address: .nan is a number to YAML (not-a-number), not text: write '.nan' in quotes if you mean those characters",
      "rooms.yaml:5:16: profile 'Std': maxVolume: -.inf is not a number A4B accepts: give a whole number from 0 to 10",
      "rooms.yaml:6:15: profile 'Std': wakeWord: .inf is a number to YAML (infinity): give one of ALEXA, AMAZON, ECHO, COMPUTER",
      "rooms.yaml:7:24: profile 'Std': setupModeDisabled: .nan is a number to YAML (not-a-number), not a boolean: write true or false",
    ]);
  });

  test('every problem of the file in one run, in file order', () => {
    const problems = check('  - { name: A, profile: Nope }\n  - { name: a, profile: Std, mailbox: x }\n');
    expect(problems.map((p) => p.split(': ')[0])).toEqual(['rooms.yaml:8:25', 'rooms.yaml:9:13', 'rooms.yaml:9:39']);
  });

  test('JSON inventories are read the same way, with positions', () => {
    const problems = validateInventory(parseInventoryText('{\n  "rooms": [\n    { "name": "A", "profile": "Std" }\n  ]\n}\n', 'rooms.json'));
    expect(problems).toEqual(["rooms.json:3:31: room 'A': profile 'Std' must name a profile of this inventory (there are none)"]);
  });
});

// The structure check on its own, as a table: the exact problem (path, entity, field, message) for each kind of value
// the schema refuses, at the bounds of each wording (entry index >= 10, keys with / and ~, a suggestion 2 edits away).
describe('inventoryProblems', () => {
  const P = { profiles: [{ name: 'Std', address: 'a', timezone: 'UTC' }] };
  const room = (extra: object) => ({ ...P, rooms: [{ name: 'A', profile: 'Std', ...extra }] });
  const ROOM_FIELDS = '(allowed: id, name, mailbox, profile, skillGroups, description, devices, tags, adoptExisting)';
  const NOT_MAPPING = [{ path: [], entity: 'inventory', field: 'inventory', message: 'an inventory is a mapping with calendarLink, profiles, skillGroups and rooms' }];
  const notField = (key: string, message: string) => [{ path: ['rooms', 0, key], at: 'key', entity: "room 'A'", field: key, message }];
  const wrong = (path: (string | number)[], entity: string, field: string, message: string) => [{ path, entity, field, message }];
  test.each<[string, unknown, object[]]>([
    ['null', null, NOT_MAPPING],
    ['a list', [], NOT_MAPPING],
    ['text', 'rooms', NOT_MAPPING],
    ['no rooms', {}, [{ path: [], entity: 'inventory', field: 'rooms', message: `rooms is required: ${NO_ROOMS_FIX} (an inventory without rooms would delete every room deployed before)` }]],
    ['a room without a name', { ...P, rooms: [{ profile: 'Std' }] }, wrong(['rooms', 0], "room '#1'", 'name', 'name is required')],
    ['a field in other case', room({ MAILBOX: 'a@b.co' }), notField('MAILBOX', `MAILBOX is not a field here: did you mean mailbox? ${ROOM_FIELDS}`)],
    ['a field 2 edits away', room({ malbx: 'a@b.co' }), notField('malbx', `malbx is not a field here: did you mean mailbox? ${ROOM_FIELDS}`)],
    ['a field 3 edits away', room({ mlbx: 'a@b.co' }), notField('mlbx', `mlbx is not a field here ${ROOM_FIELDS}`)],
    ['two letters swapped', room({ devicse: [] }), notField('devicse', `devicse is not a field here: did you mean devices? ${ROOM_FIELDS}`)],
    ['a field of the same length as three, like none', room({ qqqqqqq: 1 }), notField('qqqqqqq', `qqqqqqq is not a field here ${ROOM_FIELDS}`)],
    ['a number for text', room({ name: 42 }), wrong(['rooms', 0, 'name'], "room '#1'", 'name', 'name 42 must be a string')],
    ['text for a whole number', { profiles: [{ ...P.profiles[0], maxVolume: 'loud' }], rooms: [] }, wrong(['profiles', 0, 'maxVolume'], "profile 'Std'", 'maxVolume', "maxVolume 'loud' must be a whole number")],
    ['a number for a mapping', { profiles: [{ ...P.profiles[0], meetingRoom: 5 }], rooms: [] }, wrong(['profiles', 0, 'meetingRoom'], "profile 'Std'", 'meetingRoom', 'meetingRoom 5 must be a mapping')],
    ['text for a list', room({ devices: 'arn' }), wrong(['rooms', 0, 'devices'], "room 'A'", 'devices', "devices 'arn' must be a list")],
    ['.inf for a list', room({ skillGroups: Infinity }), wrong(['rooms', 0, 'skillGroups'], "room 'A'", 'skillGroups', 'skillGroups: .inf is a number to YAML (infinity), not a list')],
    ['.nan for a mapping', { profiles: [{ ...P.profiles[0], meetingRoom: NaN }], rooms: [] },
      wrong(['profiles', 0, 'meetingRoom'], "profile 'Std'", 'meetingRoom', 'meetingRoom: .nan is a number to YAML (not-a-number), not a mapping')],
    ['tag keys with digits, / and ~', room({ tags: { '1a': 5, 'a1': 5, 'a/b': 5, 'a~b': 5 } }), ['1a', 'a1', 'a/b', 'a~b'].flatMap((k) =>
      wrong(['rooms', 0, 'tags', k], "room 'A'", `tags.${k}`, `tags.${k} 5 must be a string`))],
    ['the eleventh room', { ...P, rooms: [...Array.from({ length: 10 }, (_, i) => ({ name: `R${i}`, profile: 'Std' })), { name: 'R10', profile: 5 }] },
      wrong(['rooms', 10, 'profile'], "room 'R10'", 'profile', 'profile 5 must be a string')],
    ['the inventory\'s own tags', { tags: { team: 5 }, rooms: [] }, wrong(['tags', 'team'], 'inventory', 'tags.team', 'tags.team 5 must be a string')],
    ['a room that is text', { rooms: ['A'] }, wrong(['rooms', 0], "room '#1'", 'rooms[0]', "rooms[0] 'A' must be a mapping")],
    ['a room that is null', { rooms: [null] }, wrong(['rooms', 0], "room '#1'", 'rooms[0]', 'rooms[0] null must be a mapping')],
    ['a calendar link that is a number', { calendarLink: 5, rooms: [] }, wrong(['calendarLink'], 'calendarLink', 'calendarLink', 'calendarLink 5 must be a mapping')],
    ['a skill group named by a number', { skillGroups: [{ name: 5 }], rooms: [] }, wrong(['skillGroups', 0, 'name'], "skill group '#1'", 'name', 'name 5 must be a string')],
    // The rules still read the rest of an entry the schema refused a field of.
    ['a missing profile and a long name', { ...P, rooms: [{ name: 'x'.repeat(101) }] }, [
      { path: ['rooms', 0], entity: `room '${'x'.repeat(60)}…'`, field: 'profile', message: 'profile is required' },
      { path: ['rooms', 0, 'name'], entity: `room '${'x'.repeat(60)}…'`, field: 'name', message: `name '${'x'.repeat(60)}…' must be 1 to 100 characters (it is 101)` },
    ]],
  ])('%s', (_, inventory, expected) => {
    expect(inventoryProblems(inventory)).toEqual(expected);
  });
});

describe('the compiled schema check', () => {
  // A fresh validate module (it keeps the compiled check once loaded) over a schema-validator that throws.
  const thrownWith = (error: Error & { code?: string }): unknown => {
    let thrown: unknown;
    jest.isolateModules(() => {
      jest.doMock('../../lib/inventory/schema-validator', () => { throw error; });
      try {
        (require('../../lib/inventory/validate') as typeof import('../../lib/inventory/validate')).inventoryProblems({ rooms: [] });
      } catch (e) {
        thrown = e;
      }
    });
    jest.dontMock('../../lib/inventory/schema-validator');
    return thrown;
  };

  test('missing (no build yet): says to build', () => {
    const missing = Object.assign(new Error("Cannot find module './schema-validator' from 'lib/inventory/validate.ts'"), { code: 'MODULE_NOT_FOUND' });
    expect(thrownWith(missing)).toEqual(new Error('lib/inventory/schema-validator.js is missing: run npm run build (it compiles the inventory schema)'));
  });

  test('another error in it (naming it): that error, not the advice to build', () => {
    const broken = new SyntaxError('schema-validator.js: Unexpected token');
    expect(thrownWith(broken)).toBe(broken);
  });
});
