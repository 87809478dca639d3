// The hash behind every shard, wave and construct id: 32-bit FNV-1a over the UTF-8 bytes of a name. It must never
// change (it places rooms in shards and names their resources), whichever path computes it.
import { constructIdFor, shardId, shardOf, skillGroupStackOf, stableHash, WAVES, waveOf } from '../../lib/inventory/sharding';

/** FNV-1a over Buffer.from(text, 'utf8'), as the hash was first written. */
function reference(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

describe('stableHash', () => {
  test.each<[string, number]>([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('FNV-1a of %p is the published value', (text, hash) => {
    expect(stableHash(text)).toBe(hash);
  });

  test.each([['Room 00042'], ['board room'], ['Besprechungsraum Müller'], ['会议室'], ['\u{1F600} room'], ['lone \ud800 surrogate'], ['\u007f\u0080']])(
    '%p hashes as its UTF-8 bytes do', (text) => {
      expect(stableHash(text)).toBe(reference(text));
    },
  );

  test('random ASCII and non-ASCII names hash as their UTF-8 bytes do', () => {
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const units = [0x20, 0x41, 0x7a, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0xd83d, 0xde00, 0xdc00, 0xffff];
    for (let k = 0; k < 3000; k++) {
      const text = String.fromCharCode(...Array.from({ length: Math.floor(next() * 12) }, () => units[Math.floor(next() * units.length)]));
      expect(stableHash(text)).toBe(reference(text));
    }
  });

  test('shards and construct ids of known names are as they were', () => {
    expect(shardOf('Room 00042', 32)).toBe(reference('room 00042') % 32);
    expect(constructIdFor('Room', 'Board Room')).toBe(`RoomBoardRoom${reference('board room').toString(16).padStart(8, '0')}`);
  });

  // A name's NFC form places it (its hash is over the NFC UTF-8 bytes): NFC names place as they always did, and the
  // same name saved in NFD lands in the same place.
  test.each([['Café Ost'], ['Zürich Süd'], ['Salle Élysée'], ['한국 회의실'], ['Board Room']])('%p in NFC and NFD: one shard, wave, skill-group stack and construct id', (name) => {
    const [nfc, nfd] = [name.normalize('NFC'), name.normalize('NFD')];
    expect(constructIdFor('Room', nfc)).toBe(`Room${nfc.replace(/[^A-Za-z0-9]+/g, '') || 'Room'}${reference(nfc.toLowerCase()).toString(16).padStart(8, '0')}`);
    expect(constructIdFor('Room', nfd)).toBe(constructIdFor('Room', nfc));
    expect(shardOf(nfd, 32)).toBe(reference(nfc.toLowerCase()) % 32);
    expect(waveOf(nfd)).toBe(waveOf(nfc));
    expect(skillGroupStackOf(nfd)).toBe(skillGroupStackOf(nfc));
  });
});

describe('waveOf', () => {
  // A shard's rooms are written a wave at a time: if the rooms of one shard fell into a few waves, those waves would
  // put hundreds of rooms in flight at once and the rest would wait for nothing.
  test.each([[0], [7], [31]])('the rooms of shard %p of 32 spread over all %p waves', (shard) => {
    const names = Array.from({ length: 10_000 }, (_, i) => `Room ${String(i).padStart(5, '0')}`).filter((n) => shardOf(n, 32) === shard);
    const perWave = Array<number>(WAVES).fill(0);
    for (const n of names) perWave[waveOf(n)]++;
    expect(names.length).toBeGreaterThan(250);
    // About names / 16 each (~20); none empty, none holding more than twice its share.
    expect(Math.min(...perWave)).toBeGreaterThan(0);
    expect(Math.max(...perWave)).toBeLessThan((2 * names.length) / WAVES);
  });

  test('a wave is one of 0..WAVES-1, the same for a name in any case', () => {
    const waves = new Set(Array.from({ length: 2000 }, (_, i) => waveOf(`room ${i}`)));
    expect([...waves].sort((a, b) => a - b)).toEqual(Array.from({ length: WAVES }, (_, i) => i));
    expect(waveOf('BOARD ROOM')).toBe(waveOf('board room'));
  });
});

describe('where known names go', () => {
  // Pinned: a change here moves deployed rooms to other nested stacks (a replacement) or other waves. A name counts
  // ignoring case, so its upper-case form goes to the same place.
  test.each<[string, number, number, number]>([
    ['Room 00042', 24, 9, 0],
    ['Board Room', 14, 3, 2],
    ['Spree (2.01)', 28, 4, 0],
    ['Café Ost', 27, 13, 3],
    ['会议室', 28, 5, 0],
    // Upper case flips bit 5 of each letter, which the low bits of FNV-1a (the shard) do not see; ß -> SS they do.
    ['Großer Saal', 5, 7, 1],
  ])('%p: shard %p of 32, wave %p, skill-group stack %p', (name, shard, wave, stack) => {
    // (GROSSER SAAL is another name: its lower case is grosser saal.)
    for (const written of [name, name.toUpperCase(), name.toLowerCase()].filter((w) => w.toLowerCase() === name.toLowerCase())) {
      expect([shardOf(written, 32), waveOf(written), skillGroupStackOf(written)]).toEqual([shard, wave, stack]);
    }
  });

  // RoomInventory takes 1 to 100 shards: a count that is not a power of two sees every bit of the hash, bit 5 (case) too.
  test.each([[3], [10], [100]])('with %p shards, a name goes to its lower case\'s shard, whatever case it is written in', (shards) => {
    for (const name of ['Board Room', 'Room 00042', 'Café Ost']) {
      const shard = reference(name.toLowerCase()) % shards;
      expect([shardOf(name, shards), shardOf(name.toUpperCase(), shards), shardOf(name.toLowerCase(), shards)]).toEqual([shard, shard, shard]);
    }
  });

  test.each([[0, 'Shard00'], [7, 'Shard07'], [31, 'Shard31'], [100, 'Shard100']])('shard %p is the nested stack %p', (shard, id) => {
    expect(shardId(shard)).toBe(id);
  });

  test('a construct id keeps the first 40 letters and digits of a long name, then its hash', () => {
    expect(constructIdFor('Room', 'A very long room name that goes on and on past forty letters'))
      .toBe('RoomAverylongroomnamethatgoesonandonpastfort6018738d');
    expect(constructIdFor('Room', '(2.01)')).toBe(`Room201${stableHash('(2.01)').toString(16).padStart(8, '0')}`);
    // No letters or digits: the kind stands in for them.
    expect(constructIdFor('Room', '---')).toBe(`RoomRoom${stableHash('---').toString(16).padStart(8, '0')}`);
  });
});
