// When two names are one name (NFC, zero-width characters, case, surrounding spaces), and the deletion guard's keys.
import { canonicalName, guardHash, guardRoomKey, nameKey } from '../../lib/inventory/names';

test.each([
  ['an ASCII name is its own key', 'Spree', 'Spree'],
  ['NFD becomes NFC', 'Cafe\u0301', 'Caf\u00e9'],
  ['NFD with no ASCII character at all (Greek alpha + tonos)', '\u03b1\u0301', '\u03ac'],
])('canonicalName: %s', (_, name, canonical) => {
  expect(canonicalName(name)).toBe(canonical);
});

test.each([
  ['ASCII: case and surrounding spaces', ' SPREE ', 'spree'],
  ['NFD, no ASCII character at all', '\u0391\u0301', '\u03ac'],
  ['non-ASCII: zero-width characters, case and surrounding spaces', ' Caf\u00e9\u200b\u200c\u200d\u2060\ufeff ', 'caf\u00e9'],
])('nameKey: %s', (_, name, key) => {
  expect(nameKey(name)).toBe(key);
});

// The keys are stored in deployed stacks (the guard's RoomKeys) and matched by the deployed handler: a change of their
// form would make the guard miss rooms, so they are fixed values here (SHA-256, first 3 bytes, base64url).
test.each([
  ['a name without an id', ['Spree'], 'mUOY....'],
  ['the same name in another case and with spaces', [' SPREE '], 'mUOY....'],
  ['a name with its id', ['Spree', 'r1'], 'mUOYmKex'],
  ['another no-id marker', ['Spree', undefined, '-'], 'mUOY-'],
])('guardRoomKey: %s', (_, args, key) => {
  expect(guardRoomKey(...(args as [string, string?, string?]))).toBe(key);
  expect(guardHash('spree')).toBe('mUOY');
});
