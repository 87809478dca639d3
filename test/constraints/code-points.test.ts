// String lengths as A4B counts them: codePoints must agree with the string iterator ([...s].length), which the
// rules used before, for surrogate pairs, lone surrogates at every position, and random UTF-16.
import { codePoints, stringProblem, StringRules } from '../../lib/constraints';

describe('codePoints', () => {
  test.each<[string, string, number]>([
    ['empty', '', 0],
    ['ASCII', 'Board Room', 10],
    ['a pair (U+1F600)', '\u{1F600}', 1],
    ['pairs and text', 'a\u{1F600}b\u{10FFFF}', 4],
    ['a lone high surrogate at the end', 'ab\ud800', 3],
    ['a lone high surrogate first', '\ud800ab', 3],
    ['a lone low surrogate', 'a\udc00b', 3],
    ['low then high (not a pair)', '\udc00\ud800', 2],
    ['two highs then a low', '\ud800\ud800\udc00', 2],
  ])('%s', (_, s, n) => {
    expect(codePoints(s)).toBe(n);
    expect(codePoints(s)).toBe([...s].length);
  });

  test('random UTF-16 strings rich in surrogates agree with the string iterator', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const units = [0x41, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0x20];
    for (let k = 0; k < 5000; k++) {
      const s = String.fromCharCode(...Array.from({ length: Math.floor(next() * 8) }, () => units[Math.floor(next() * units.length)]));
      expect(codePoints(s)).toBe([...s].length);
    }
  });

  test('a name of 100 emoji is within the 100-character limit; 101 is not', () => {
    expect(stringProblem(StringRules.RoomName, '\u{1F600}'.repeat(100))).toBeUndefined();
    expect(stringProblem(StringRules.RoomName, '\u{1F600}'.repeat(101))).toBe('must be 1 to 100 characters (it is 101)');
  });
});
