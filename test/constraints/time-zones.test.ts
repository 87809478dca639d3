import { isTimeZone } from '../../lib/constraints';
import { TIME_ZONES } from '../../lib/constraints/time-zones';

/** What isTimeZone answered before the list: whatever Intl accepts. */
function intlAccepts(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

describe('time zones', () => {
  test('Intl accepts every listed name, so the list never lets a zone through that Intl refuses', () => {
    const refused = [...TIME_ZONES].filter((tz) => !intlAccepts(tz));
    expect(refused).toEqual([]);
    expect(TIME_ZONES.size).toBeGreaterThan(400);
  });

  test('the list holds the canonical zones of this Node, so a synth rarely asks ICU', () => {
    // A newer Node may know zones the list does not; they still pass through Intl (next test).
    const missing = Intl.supportedValuesOf('timeZone').filter((tz) => !TIME_ZONES.has(tz));
    expect(missing.length).toBeLessThanOrEqual(5);
  });

  test('a listed zone is answered without Intl (its first time-zone lookup loads ICU, ~14 ms a synth)', () => {
    const intl = jest.spyOn(Intl, 'DateTimeFormat');
    try {
      // Etc/... are not in Intl's own list, so only this test sees them dropped from ours.
      expect(['Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Tokyo', 'Etc/UTC', 'Etc/GMT+5', 'Etc/GMT-14'].every(isTimeZone)).toBe(true);
      expect(intl).not.toHaveBeenCalled();
      expect(isTimeZone('US/Eastern')).toBe(true); // an alias: asked of Intl
      expect(intl).toHaveBeenCalledTimes(1);
    } finally {
      intl.mockRestore();
    }
  });

  test.each<[string, boolean]>([
    ['Europe/Berlin', true], ['America/New_York', true], ['UTC', true], ['Etc/GMT+5', true],
    ['US/Eastern', true], ['europe/berlin', true], ['Asia/Kolkata', true], ['Asia/Calcutta', true],
    ['Europe/Berlni', false], ['Mars/Olympus_Mons', false], ['', false], ['Europe/Berlin ', false], ['GMT+25', false],
    // An area alone is no zone.
    ...['Etc', 'Africa', 'America', 'Antarctica', 'Arctic', 'Asia', 'Atlantic', 'Australia', 'Europe', 'Indian', 'Pacific'].map((area): [string, boolean] => [`${area}/`, false]),
  ])('isTimeZone(%j) is %s, as Intl answers', (tz, expected) => {
    expect(isTimeZone(tz)).toBe(expected);
    expect(intlAccepts(tz)).toBe(expected);
  });
});
