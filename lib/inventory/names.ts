import { createHash } from 'crypto';

// When two names of an inventory are the same name. A4B compares names as code units (ignoring case), so 'Café'
// written precomposed (NFC) and decomposed (NFD), or 'Spree' and 'Spree' + U+200B, are two names there that look
// like one: a rename between such spellings would replace the room. The inventory treats them as one name.

/** Characters that take no room on screen; U+FEFF is also the byte order mark. */
const ZERO_WIDTH = /[\u200b\u200c\u200d\u2060\ufeff]/g;
const ZERO_WIDTH_NAMES: Record<string, string> = {
  '\u200b': 'zero width space', '\u200c': 'zero width non-joiner', '\u200d': 'zero width joiner', '\u2060': 'word joiner', '\ufeff': 'zero width no-break space',
};
const ASCII = /^[\x00-\x7f]*$/;

/**
 * A name as it keys resources (construct ids, shards, waves, references): its NFC form, so a name spelled in NFD
 * keeps its room. ASCII names are their own NFC form, so their keys are unchanged.
 */
export function canonicalName(name: string): string {
  return ASCII.test(name) ? name : name.normalize('NFC');
}

/** What two names that look the same share: NFC, no zero-width characters, no surrounding white space, lower case. */
export function nameKey(name: string): string {
  if (ASCII.test(name)) return name.trim().toLowerCase();
  return name.normalize('NFC').replace(ZERO_WIDTH, '').trim().toLowerCase();
}

/**
 * Why a name would look like another one, or undefined: a zero-width character anywhere, or white space at either end.
 * Phrased to follow "name 'X' ". A4B's text pattern accepts both; they are refused because nobody can see them.
 */
export function invisibleCharacterProblem(name: string): string | undefined {
  const chars = [...name];
  const zw = chars.findIndex((c) => ZERO_WIDTH_NAMES[c] !== undefined);
  const fix = (what: string, at: number) => `has the invisible character ${what} at position ${at + 1}: remove it (A4B accepts it, but the name would look like '${chars.filter((c) => !ZERO_WIDTH_NAMES[c]).join('').trim()}' and be another name)`;
  if (zw !== -1) return fix(`${codePoint(chars[zw])} (${ZERO_WIDTH_NAMES[chars[zw]]})`, zw);
  if (chars.length && /\s/u.test(chars[0])) return fix(`${codePoint(chars[0])} (white space at the start)`, 0);
  if (chars.length && /\s/u.test(chars[chars.length - 1])) return fix(`${codePoint(chars[chars.length - 1])} (white space at the end)`, chars.length - 1);
  return undefined;
}

function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A room as the deletion guard lists it (ROOM_KEY_CHARS characters): 24 bits of SHA-256 of its name key, then of its
 * stable id (ROOM_NO_ID without one). The construct writes these; the handler matches live rooms' names against them.
 */
export function guardRoomKey(name: string, id?: string, noId = '....'): string {
  return guardHash(nameKey(name)) + (id === undefined ? noId : guardHash(`id:${id}`));
}

/** The name half of guardRoomKey. */
export function guardHash(value: string): string {
  return createHash('sha256').update(value).digest().subarray(0, 3).toString('base64url');
}
