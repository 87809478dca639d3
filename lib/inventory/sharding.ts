// Where a room of an inventory goes: a shard (nested stack) and a construct id, both derived from its name only,
// never from its position, so adding, removing or reordering rooms changes only the shards that hold them. Names
// count in their NFC form: a name written in NFD is the same room, in the same place.
import { canonicalName } from './names';

/** Rooms spread over this many shards unless the inventory says otherwise: 10,000 rooms (the A4B quota) fit. */
export const DEFAULT_SHARDS = 32;
/** Rooms a shard may hold: CloudFormation's 500 resources less the waves' barriers and headroom. */
export const MAX_ROOMS_PER_SHARD = 480;
/**
 * Nested stacks the skill groups are spread over, each group by a hash of its name: 1,000 (the A4B quota) make about
 * 250 a stack, within CloudFormation's 500 resources. Fixed, so that no change of the inventory moves a skill group.
 */
export const SKILL_GROUP_STACKS = 4;
/**
 * Waves per nested stack: its rooms (or profiles, or skill groups) are written a wave at a time, each wave after the
 * previous one, so a first deploy of 10,000 rooms has about 32 shards x 20 rooms in flight instead of 10,000.
 */
export const WAVES = 16;

/** FNV-1a, 32 bits: small, stable across Node versions and platforms, and well spread for short strings. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  // ASCII text is its own UTF-8: hashed from its char codes, without a Buffer and an iterator for every name (a
  // synth hashes each room's name five times, cold).
  // Stryker disable next-line ConditionalExpression,BlockStatement: the fast path only; the UTF-8 loop below gives the same hash
  if (ASCII.test(text)) {
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h;
  }
  // Stryker disable next-line StringLiteral: Buffer.from(text, '') is UTF-8 too
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

// Stryker disable next-line Regex: a narrower test only sends more names down the UTF-8 loop, to the same hash
const ASCII = /^[\x00-\x7f]*$/;

export function shardOf(roomName: string, shards: number): number {
  return stableHash(canonicalName(roomName).toLowerCase()) % shards;
}

/** The wave of a room, profile or skill group in its stack: a hash of its key independent of the shard's. */
export function waveOf(key: string): number {
  // The top bits: FNV-1a's low bits depend only on the low bits of the input, so any `% 2^k` of the same or a
  // prefixed hash would put every room of a shard (chosen by the low bits) into the same few waves.
  return Math.floor(stableHash(canonicalName(key).toLowerCase()) / 2 ** 32 * WAVES);
}

export function skillGroupStackOf(name: string): number {
  // Stryker disable next-line MethodExpression: toUpperCase gives the same stack: FNV-1a's two low bits do not see bit 5, where cases differ
  return stableHash(canonicalName(name).toLowerCase()) % SKILL_GROUP_STACKS;
}

export function shardId(shard: number): string {
  return `Shard${String(shard).padStart(2, '0')}`;
}

/** A construct id from a name: readable, unique per name (names are unique ignoring case), stable. */
export function constructIdFor(kind: string, written: string): string {
  const name = canonicalName(written);
  // Stryker disable next-line Regex: removing each character or each run of them leaves the same letters and digits
  const readable = name.replace(/[^A-Za-z0-9]+/g, '').slice(0, 40) || kind;
  return `${kind}${readable}${stableHash(name.toLowerCase()).toString(16).padStart(8, '0')}`;
}
