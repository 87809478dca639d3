// The A4B constraints as tables: what each rule accepts just inside its limits and refuses just past them, and the
// words of its problem. test/local/a4b-model.test.ts holds the same rules to the committed A4B model.
import {
  ARN_PATTERN, DOMAIN_PATTERN, enumProblem, EnumValues, GUID_PATTERN, integerProblem, IntegerRules, isDeviceArn, isTimeZone, MAILBOX_PATTERN,
  showValue, stringProblem, StringRules, TAG_PATTERN, TEXT_PATTERN, TOKEN_PATTERN,
} from '../../lib/constraints';

describe('stringProblem', () => {
  test.each<[string, keyof typeof StringRules, string, string | undefined]>([
    ['a room name of 1', 'RoomName', 'A', undefined],
    ['a room name of 100', 'RoomName', 'x'.repeat(100), undefined],
    ['a room name of 101', 'RoomName', 'x'.repeat(101), 'must be 1 to 100 characters (it is 101)'],
    ['an empty room name', 'RoomName', '', 'must be 1 to 100 characters (it is 0)'],
    ['a room name with a control character', 'RoomName', 'Board\u0007Room', 'must contain only printable characters'],
    ['a room name with TAB, LF, CR and U+0085', 'RoomName', 'a\tb\nc\rd\u0085e', undefined],
    ['a calendar id may be empty (min 0)', 'ProviderCalendarId', '', undefined],
    ['a calendar id of 101', 'ProviderCalendarId', 'x'.repeat(101), 'must be at most 100 characters (it is 101)'],
    ['a tag key with a comma', 'TagKey', 'cost,centre', 'must contain only letters, digits, spaces and _ . : / = + - @'],
    ['a tag key with every allowed sign', 'TagKey', 'Ab 9_.:/=+-@é', undefined],
    ['a token starting with -', 'ClientRequestToken', '-abcdefghij', 'must contain only letters, digits, _ and -, starting with a letter or digit'],
    ['a token of 10', 'ClientRequestToken', 'abcdefghij', undefined],
    ['a token of 9', 'ClientRequestToken', 'abcdefghi', 'must be 10 to 150 characters (it is 9)'],
  ])('%s', (_, rule, value, problem) => {
    expect(stringProblem(StringRules[rule], value)).toBe(problem);
  });

  test('a rule without words for its pattern shows the pattern', () => {
    expect(stringProblem({ min: 0, max: 5, pattern: /^[a-c]*$/ }, 'abd')).toBe('must contain only characters matching ^[a-c]*$');
  });
});

describe('integerProblem and enumProblem', () => {
  test.each<[keyof typeof IntegerRules, number, string | undefined]>([
    ['EndOfMeetingReminderMinutes', 3, undefined],
    ['EndOfMeetingReminderMinutes', 15, undefined],
    ['EndOfMeetingReminderMinutes', 2, 'must be 3 to 15'],
    ['EndOfMeetingReminderMinutes', 16, 'must be 3 to 15'],
    ['EndOfMeetingReminderMinutes', 4.5, 'must be a whole number'],
    ['InstantBookingDurationMinutes', 15, undefined],
    ['InstantBookingDurationMinutes', 240, undefined],
    ['InstantBookingDurationMinutes', 45, undefined],
    ['InstantBookingDurationMinutes', 20, 'must be 15 to 240 in steps of 15'],
    ['InstantBookingDurationMinutes', 255, 'must be 15 to 240 in steps of 15'],
    ['MaxVolumeLimit', 0, undefined],
    ['MaxVolumeLimit', -1, 'must be 0 to 10'],
  ])('%s %p: %p', (rule, value, problem) => {
    expect(integerProblem(IntegerRules[rule], value)).toBe(problem);
  });

  // Steps count from the minimum, which need not be a multiple of the step.
  test.each<[number, string | undefined]>([[1, undefined], [4, undefined], [10, undefined], [3, 'must be 1 to 10 in steps of 3'], [5, 'must be 1 to 10 in steps of 3']])(
    'steps of 3 from 1: %p: %p', (value, problem) => {
      expect(integerProblem({ min: 1, max: 10, step: 3 }, value)).toBe(problem);
    });

  test.each<[string, string | undefined]>([['METRIC', undefined], ['metric', 'must be one of METRIC, IMPERIAL'], ['', 'must be one of METRIC, IMPERIAL']])(
    'DistanceUnit %p: %p', (value, problem) => {
      expect(enumProblem(EnumValues.DistanceUnit, value)).toBe(problem);
    });
});

describe('patterns', () => {
  test.each<[string, RegExp, string, boolean]>([
    ['mailbox', MAILBOX_PATTERN, 'spree@contoso.com', true],
    ['mailbox without a domain dot', MAILBOX_PATTERN, 'spree@contoso', false],
    ['mailbox with a space', MAILBOX_PATTERN, 'spree room@contoso.com', false],
    ['mailbox with two @', MAILBOX_PATTERN, 'a@b@contoso.com', false],
    ['mailbox ending in a dot', MAILBOX_PATTERN, 'spree@contoso.com.', false],
    ['mailbox with text before it', MAILBOX_PATTERN, 'x y@contoso.com', false],
    ['GUID', GUID_PATTERN, '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', true],
    ['GUID in upper case', GUID_PATTERN, '0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0', true],
    ['GUID one short', GUID_PATTERN, '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f', false],
    ['GUID with a g', GUID_PATTERN, 'gf1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', false],
    ['GUID with a prefix', GUID_PATTERN, 'x0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', false],
    ['GUID with a suffix', GUID_PATTERN, '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0x', false],
    ['domain', DOMAIN_PATTERN, 'contoso.onmicrosoft.com', true],
    ['domain in upper case', DOMAIN_PATTERN, 'Contoso.OnMicrosoft.com', true],
    ['domain without a dot', DOMAIN_PATTERN, 'contoso', false],
    ['domain with a one-letter label', DOMAIN_PATTERN, 'x.contoso.com', true],
    ['domain with a digit in its top level', DOMAIN_PATTERN, 'contoso.c0m', false],
    ['domain ending in -', DOMAIN_PATTERN, 'contoso.com-', false],
    ['domain label starting with -', DOMAIN_PATTERN, '-contoso.com', false],
    ['domain with a one-letter top level', DOMAIN_PATTERN, 'contoso.c', false],
    ['domain of 3 characters', DOMAIN_PATTERN, 'a.b', false],
    ['domain of 253 characters', DOMAIN_PATTERN, `${`${'a'.repeat(63)}.`.repeat(3)}${'b'.repeat(57)}.com`, true],
    ['domain of 254 characters', DOMAIN_PATTERN, `${`${'a'.repeat(63)}.`.repeat(3)}${'b'.repeat(58)}.com`, false],
    ['domain label of 64', DOMAIN_PATTERN, `${'a'.repeat(64)}.com`, false],
    ['domain label of 63', DOMAIN_PATTERN, `${'a'.repeat(63)}.com`, true],
    ['token', TOKEN_PATTERN, 'a_b-C9', true],
    ['token with a dot', TOKEN_PATTERN, 'a.b', false],
    ['token starting with _', TOKEN_PATTERN, '_ab', false],
    ['tag value', TAG_PATTERN, 'Floor 2 / West', true],
    ['tag value with a #', TAG_PATTERN, 'floor #2', false],
    ['text: an astral character', TEXT_PATTERN, 'Raum \u{1F600}', true],
    ['text: a lone surrogate', TEXT_PATTERN, 'Raum \ud800', false],
    ['text: U+FFFE', TEXT_PATTERN, '\ufffe', false],
    ['text: DEL', TEXT_PATTERN, '\u007f', false],
    ['ARN', ARN_PATTERN, 'arn:aws:a4b:us-east-1:123456789012:room/abc', true],
    ['ARN whose resource starts with /', ARN_PATTERN, 'arn:aws:a4b:us-east-1:123456789012:/room', false],
    ['ARN with an upper-case service', ARN_PATTERN, 'arn:aws:A4B:us-east-1:123456789012:room/abc', false],
    ['not an ARN', ARN_PATTERN, 'urn:aws:a4b:us-east-1:123456789012:room/abc', false],
  ])('%s: %p is %p', (_, pattern, value, ok) => {
    expect(pattern.test(value)).toBe(ok);
  });

  test.each<[string, boolean]>([
    ['arn:aws:a4b:us-east-1:123456789012:device/G090LF0000000000', true],
    ['arn:aws-cn:a4b:cn-north-1:123456789012:device/x', true],
    ['arn:aws:a4b:us-east-1:123456789012:room/x', false],
    ['arn:aws:a4b:us-east-1:12345678901:device/x', false],
    ['arn:aws:a4b:us-east-1:123456789012:device/', false],
    ['arn:aws:s3:us-east-1:123456789012:device/x', false],
    // The model's ARN shape: a resource of at most 1,024 characters.
    [`arn:aws:a4b:us-east-1:123456789012:device/${'x'.repeat(1017)}`, true],
    [`arn:aws:a4b:us-east-1:123456789012:device/${'x'.repeat(1018)}`, false],
    ['see arn:aws:a4b:us-east-1:123456789012:device/x', false],
    // An ARN of another service that holds a device ARN in its resource is not a device.
    ['arn:aws:s3:::bucket/arn:aws:a4b:us-east-1:123456789012:device/x', false],
  ])('isDeviceArn(%p) is %p', (value, ok) => {
    expect(isDeviceArn(value)).toBe(ok);
  });
});

describe('showValue and isTimeZone', () => {
  test.each<[unknown, number | undefined, string]>([
    ['Spree', undefined, "'Spree'"],
    ['x'.repeat(61), undefined, `'${'x'.repeat(60)}…'`],
    ['x'.repeat(60), undefined, `'${'x'.repeat(60)}'`],
    ['abcdef', 3, "'abc…'"],
    [42, undefined, '42'],
    [{ a: 1 }, undefined, '{"a":1}'],
    [undefined, undefined, 'undefined'],
  ])('showValue(%p, %p) is %p', (value, max, shown) => {
    expect(showValue(value, max)).toBe(shown);
  });

  test.each<[string, boolean]>([['Europe/Berlin', true], ['UTC', true], ['US/Eastern', true], ['Europe/Atlantis', false], ['', false]])('isTimeZone(%p) is %p', (tz, ok) => {
    expect(isTimeZone(tz)).toBe(ok);
  });
});
