// One small rule per check of an inventory, each returning its problems with the path of the bad value
// (the shape of cdk-nag's rules). Pure: the same rules serve `a4b-rooms validate` and synth.
import {
  DOMAIN_PATTERN, GUID_PATTERN, IntegerRule, IntegerRules, integerProblem, isDeviceArn, isTimeZone, MAILBOX_PATTERN, showValue, StringRule,
  stringProblem, StringRules,
} from '../constraints';
import { isSystemTag, Quotas } from '../contract';
import { Inventory } from './model';
import { canonicalName, invisibleCharacterProblem, nameKey } from './names';
import { InventoryPath, InventoryProblem } from './parse';

export type InventoryRule = (inventory: Inventory) => InventoryProblem[];

/** A room's stable key: any printable text a room name could hold. */
const ROOM_ID = StringRules.RoomName;

// Stryker disable OptionalChaining: an entry is named only by its index in a list it is in
const room = (inv: Inventory, i: number) => `room ${showValue(inv.rooms?.[i]?.name ?? `#${i + 1}`)}`;
const profile = (inv: Inventory, i: number) => `profile ${showValue(inv.profiles?.[i]?.name ?? `#${i + 1}`)}`;
const group = (inv: Inventory, i: number) => `skill group ${showValue(inv.skillGroups?.[i]?.name ?? `#${i + 1}`)}`;
// Stryker restore OptionalChaining

/** `also`: where the other entry of a cross-entry problem stands (validate adds its FILE:LINE:COL). */
function problem(
  path: InventoryPath, entity: string, field: string, value: unknown, must: string | undefined, also?: InventoryPath,
): InventoryProblem[] {
  if (!must) return [];
  const p: InventoryProblem = { path, entity, field, message: `${field} ${showValue(value)} ${must}` };
  return [also ? { ...p, also } : p];
}

/**
 * The problems of one entry (a room, a profile, a skill group), collected as its checks run. An entry's label and a
 * value's path are made only for a problem: at 10,000 rooms, building them for every field that passes was most of
 * what the rules allocated.
 */
class EntryProblems {
  private label?: string;

  constructor(private readonly out: InventoryProblem[], private readonly base: InventoryPath, private readonly who: () => string) {}

  get entity(): string {
    return (this.label ??= this.who());
  }

  /** `must` (when given) for the value at `base` + `at`. */
  add(at: InventoryPath, field: string, value: unknown, must: string | undefined, where?: 'key'): void {
    if (!must) return;
    const p: InventoryProblem = { path: [...this.base, ...at], entity: this.entity, field, message: `${field} ${showValue(value)} ${must}` };
    this.out.push(where ? { ...p, at: where } : p);
  }

  text(at: InventoryPath, field: string, value: unknown, rule: StringRule, where?: 'key'): void {
    if (typeof value === 'string') this.add(at, field, value, stringProblem(rule, value), where);
  }

  /** A name (or room id) with nothing invisible in it: see invisibleCharacterProblem. */
  visible(at: InventoryPath, field: string, value: unknown): void {
    if (typeof value === 'string') this.add(at, field, value, invisibleCharacterProblem(value));
  }

  integer(at: InventoryPath, field: string, value: unknown, rule: IntegerRule): void {
    if (typeof value !== 'number') return;
    if (Number.isFinite(value)) this.add(at, field, value, integerProblem(rule, value));
    else this.out.push({ path: [...this.base, ...at], entity: this.entity, field, message: nonFiniteInteger(field, value, rule) });
  }

  tags(at: string, tags: Record<string, string> | undefined): void {
    for (const k in tags) {
      if (!Object.prototype.hasOwnProperty.call(tags, k)) continue;
      this.text([at, k], 'tag key', k, StringRules.TagKey, 'key');
      if (isSystemTag(k)) this.add([at, k], 'tag key', k, 'must not start with aws: or cdk-a4b-rooms: (system tags are reserved)', 'key');
      this.text([at, k], `tag '${k}' value`, tags[k], StringRules.TagValue);
    }
  }
}

/**
 * How YAML writes the numbers JSON has no words for (`.nan`, `.inf`, `-.inf`, in any of their spellings): the YAML
 * library reads them as NaN and ±Infinity, which JSON would print as null.
 */
export function yamlNumber(value: number): string {
  // Stryker disable next-line EqualityOperator: only NaN and ±Infinity come here, never 0
  return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
}

/** A number A4B cannot take where it takes a whole number: what was written and what to write. */
export function nonFiniteInteger(field: string, value: number, rule: IntegerRule): string {
  return `${field}: ${yamlNumber(value)} is not a number A4B accepts: give a whole number from ${rule.min} to ${rule.max}${rule.step ? ` in steps of ${rule.step}` : ''}`;
}

/** Runs `check` on each entry of one of the inventory's lists, collecting the problems of all of them. */
function eachEntry<T>(
  list: readonly T[] | undefined, key: string, who: (i: number) => string, check: (e: EntryProblems, entry: T, i: number) => void,
): InventoryProblem[] {
  const out: InventoryProblem[] = [];
  // Stryker disable next-line ArrayDeclaration: a string entry in place of a missing list has no fields, so no problems
  (list ?? []).forEach((entry, i) => check(new EntryProblems(out, [key, i], () => who(i)), entry, i));
  return out;
}

/** Lengths, patterns, ranges and tag rules of every room (the A4B model's, as the constructs check them). */
export const roomFields: InventoryRule = (inv) => eachEntry(inv.rooms, 'rooms', (i) => room(inv, i), (e, r) => {
  e.text(['id'], 'id', r.id, ROOM_ID);
  e.text(['name'], 'name', r.name, StringRules.RoomName);
  e.visible(['id'], 'id', r.id);
  e.visible(['name'], 'name', r.name);
  e.text(['description'], 'description', r.description, StringRules.RoomDescription);
  e.text(['mailbox'], 'mailbox', r.mailbox, StringRules.ProviderCalendarId);
  if (typeof r.mailbox === 'string' && r.mailbox.length <= 100 && !MAILBOX_PATTERN.test(r.mailbox)) {
    e.add(['mailbox'], 'mailbox', r.mailbox, "must be the email address of the room's resource mailbox, e.g. board-room@contoso.com");
  }
  const devices = r.devices ?? [];
  devices.forEach((d, j) => {
    if (typeof d !== 'string') return;
    e.add(['devices', j], 'devices', d, !isDeviceArn(d) ? 'must be an A4B device ARN (arn:aws:a4b:REGION:ACCOUNT:device/...)'
      : devices.indexOf(d) !== j ? 'is listed twice' : undefined);
  });
  if (devices.length > Quotas.DEVICES_PER_ROOM) e.add(['devices'], 'devices', devices.length, `must list at most ${Quotas.DEVICES_PER_ROOM} devices (the A4B limit per room)`);
  e.tags('tags', r.tags);
});

export const profileFields: InventoryRule = (inv) => eachEntry(inv.profiles, 'profiles', (i) => profile(inv, i), (e, pr) => {
  const mr = pr.meetingRoom ?? {};
  e.text(['name'], 'name', pr.name, StringRules.ProfileName);
  e.visible(['name'], 'name', pr.name);
  e.text(['address'], 'address', pr.address, StringRules.Address);
  e.text(['timezone'], 'timezone', pr.timezone, StringRules.Timezone);
  if (typeof pr.timezone === 'string' && !isTimeZone(pr.timezone)) e.add(['timezone'], 'timezone', pr.timezone, 'must be an IANA time zone such as Europe/Berlin or America/New_York');
  e.text(['locale'], 'locale', pr.locale, StringRules.DeviceLocale);
  e.integer(['maxVolume'], 'maxVolume', pr.maxVolume, IntegerRules.MaxVolumeLimit);
  e.integer(['meetingRoom', 'endOfMeetingReminder', 'minutes'], 'meetingRoom.endOfMeetingReminder.minutes', mr.endOfMeetingReminder?.minutes, IntegerRules.EndOfMeetingReminderMinutes);
  e.integer(['meetingRoom', 'instantBooking', 'durationMinutes'], 'meetingRoom.instantBooking.durationMinutes', mr.instantBooking?.durationMinutes, IntegerRules.InstantBookingDurationMinutes);
  e.integer(['meetingRoom', 'requireCheckIn', 'releaseAfterMinutes'], 'meetingRoom.requireCheckIn.releaseAfterMinutes', mr.requireCheckIn?.releaseAfterMinutes, IntegerRules.RequireCheckInReleaseAfterMinutes);
  e.tags('tags', pr.tags);
});

export const skillGroupFields: InventoryRule = (inv) => eachEntry(inv.skillGroups, 'skillGroups', (i) => group(inv, i), (e, g) => {
  e.text(['name'], 'name', g.name, StringRules.SkillGroupName);
  e.visible(['name'], 'name', g.name);
  e.text(['description'], 'description', g.description, StringRules.SkillGroupDescription);
  e.tags('tags', g.tags);
});

export const inventoryTags: InventoryRule = (inv) => {
  const out: InventoryProblem[] = [];
  new EntryProblems(out, [], () => 'inventory').tags('tags', inv.tags);
  return out;
};

/**
 * Names are unique per A4B account, case-insensitively (as the emulator and, by its errors, A4B enforce). Names that
 * A4B would tell apart but that look the same (NFC and NFD spellings, invisible characters, surrounding spaces) are
 * refused too: they are one name to whoever reads the inventory.
 */
export const uniqueNames: InventoryRule = (inv) => [
  ...duplicates(inv.rooms, 'rooms', (r) => r.name, (i) => room(inv, i), 'name', 'is also the name of', sameNameWhy, nameKey),
  ...duplicates(inv.profiles, 'profiles', (r) => r.name, (i) => profile(inv, i), 'name', 'is also the name of', sameNameWhy, nameKey),
  ...duplicates(inv.skillGroups, 'skillGroups', (r) => r.name, (i) => group(inv, i), 'name', 'is also the name of', sameNameWhy, nameKey),
];

function sameNameWhy(a: string, b: string): string {
  return a.toLowerCase() === b.toLowerCase() ? 'names are unique per A4B account, ignoring case'
    : 'the two look the same (they differ only in Unicode form, invisible characters or surrounding spaces): give each its own name';
}

/**
 * A room's key (its id, else its name) names its resource in the stack: two rooms with one key would be one
 * resource. Rooms without ids are already told apart by their unique names.
 */
export const uniqueRoomKeys: InventoryRule = (inv) => {
  const first = new Map<string, number>();
  const out: InventoryProblem[] = [];
  // Stryker disable next-line ArrayDeclaration: a string entry in place of a missing list has no fields, so no problems
  (inv.rooms ?? []).forEach((r, i) => {
    const key = r.id ?? r.name;
    if (typeof key !== 'string') return;
    const k = nameKey(key);
    const j = first.get(k);
    if (j === undefined) first.set(k, i);
    if (j === undefined || (r.id === undefined && inv.rooms![j].id === undefined)) return;
    const field = r.id === undefined ? 'name' : 'id';
    const also = ['rooms', j, inv.rooms![j].id === undefined ? 'name' : 'id'];
    out.push(...problem(['rooms', i, field], room(inv, i), field, key, `is also the key (id, or name without an id) of ${room(inv, j)} (rooms[${j}]): each room needs its own id`, also));
  });
  return out;
};

/** One resource mailbox is one room's calendar: a second room on it would book the same calendar. */
export const uniqueMailboxes: InventoryRule = (inv) =>
  duplicates(inv.rooms, 'rooms', (r) => r.mailbox, (i) => room(inv, i), 'mailbox', 'is also the mailbox of', () => 'a resource mailbox belongs to one room');

/**
 * A device is in one room at a time: declared in two, each deploy would move it to whichever room A4B writes last, and
 * drift would report the other room forever. (Twice in one room is roomFields' problem.)
 */
export const uniqueDevices: InventoryRule = (inv) => {
  const first = new Map<string, [number, number]>();
  const out: InventoryProblem[] = [];
  // Stryker disable next-line ArrayDeclaration: a string entry in place of a missing list has no fields, so no problems
  (inv.rooms ?? []).forEach((r, i) => (r.devices ?? []).forEach((d, j) => {
    // Stryker disable next-line ConditionalExpression: isDeviceArn fails every non-string but a list holding one ARN, and a list is a Map key equal to nothing else
    if (typeof d !== 'string' || !isDeviceArn(d)) return;
    const seen = first.get(d);
    if (seen === undefined) first.set(d, [i, j]);
    else if (seen[0] !== i) {
      out.push(...problem(['rooms', i, 'devices', j], room(inv, i), 'devices', d,
        `is also a device of ${room(inv, seen[0])} (rooms[${seen[0]}]): a device is in one room at a time; remove it from one of them`, ['rooms', seen[0], 'devices', seen[1]]));
    }
  }));
  return out;
};

function duplicates<T>(
  list: readonly T[] | undefined, key: string, value: (t: T) => unknown, who: (i: number) => string, field: string, message: string,
  why: (value: string, first: string) => string, keyOf: (v: string) => string = (v) => v.toLowerCase(),
): InventoryProblem[] {
  const first = new Map<string, number>();
  const out: InventoryProblem[] = [];
  // Stryker disable next-line ArrayDeclaration: a string entry in place of a missing list has no fields, so no problems
  (list ?? []).forEach((item, i) => {
    const v = value(item);
    if (typeof v !== 'string') return;
    const k = keyOf(v);
    const seen = first.get(k);
    if (seen === undefined) first.set(k, i);
    else out.push(...problem([key, i, field], who(i), field, v, `${message} ${who(seen)} (${key}[${seen}]): ${why(v, value(list![seen]) as string)}`, [key, seen, field]));
  });
  return out;
}

/**
 * A room names its profile and skill groups as they are declared (in NFC or NFD alike: one name). A name that
 * differs in case, invisible characters or surrounding spaces would be the same A4B resource or look like it, but is
 * not the same entry, so it is refused with the declared name.
 */
export const references: InventoryRule = (inv) => {
  const profiles = declaredNames(inv.profiles);
  const groups = declaredNames(inv.skillGroups);
  return eachEntry(inv.rooms, 'rooms', (i) => room(inv, i), (e, r) => {
    if (typeof r.profile === 'string') e.add(['profile'], 'profile', r.profile, unknownReference(r.profile, profiles, 'a profile'));
    const named = r.skillGroups ?? [];
    named.forEach((g, j) => {
      if (typeof g !== 'string') return;
      e.add(['skillGroups', j], 'skillGroups', g, unknownReference(g, groups, 'a skill group'));
      if (named.findIndex((h) => typeof h === 'string' && canonicalName(h) === canonicalName(g)) !== j) e.add(['skillGroups', j], 'skillGroups', g, 'is listed twice');
    });
  });
};

/** The names a list declares, and their NFC forms (looked up once per reference: 10,000 rooms name 1,000 skill groups). */
function declaredNames(list: ReadonlyArray<{ name: string }> | undefined): { names: unknown[]; canonical: Set<string> } {
  const names = (list ?? []).map((x) => x.name);
  return { names, canonical: new Set(names.filter((n): n is string => typeof n === 'string').map(canonicalName)) };
}

/** What is wrong with a reference to one of `declared` by name; undefined when it names one (in NFC or NFD). */
function unknownReference(name: string, declared: { names: unknown[]; canonical: Set<string> }, what: string): string | undefined {
  if (declared.canonical.has(canonicalName(name))) return undefined;
  const key = nameKey(name);
  const alike = declared.names.find((d) => typeof d === 'string' && nameKey(d) === key);
  if (alike !== undefined) return `must name ${what} of this inventory as it is declared: did you mean '${alike}'?`;
  return `must name ${what} of this inventory (${declared.names.map((d) => `'${d}'`).join(', ') || 'there are none'})`;
}

export const quotas: InventoryRule = (inv) => [
  // Stryker disable next-line ArrayDeclaration: a missing list counts 0, or 1 with a made-up entry: both far under every quota
  ...problem(['rooms'], 'inventory', 'rooms', (inv.rooms ?? []).length, (inv.rooms ?? []).length > Quotas.ROOMS ? `must be at most ${Quotas.ROOMS} (the A4B quota of rooms per account)` : undefined),
  // Stryker disable next-line ArrayDeclaration: as above
  ...problem(['profiles'], 'inventory', 'profiles', (inv.profiles ?? []).length, (inv.profiles ?? []).length > Quotas.ROOM_PROFILES ? `must be at most ${Quotas.ROOM_PROFILES} (the A4B quota of room profiles per account)` : undefined),
  // Stryker disable next-line ArrayDeclaration: as above
  ...problem(['skillGroups'], 'inventory', 'skillGroups', (inv.skillGroups ?? []).length, (inv.skillGroups ?? []).length > Quotas.SKILL_GROUPS ? `must be at most ${Quotas.SKILL_GROUPS} (the A4B quota of skill groups per account)` : undefined),
];

export const calendarLink: InventoryRule = (inv) => {
  const link = inv.calendarLink;
  if (!link) return [];
  const p = ['calendarLink'];
  const out: InventoryProblem[] = [];
  if (typeof link.tenantId === 'string') out.push(...problem([...p, 'tenantId'], 'calendarLink', 'tenantId', link.tenantId, GUID_PATTERN.test(link.tenantId) || DOMAIN_PATTERN.test(link.tenantId) ? undefined : 'must be the directory id (a GUID) or a domain such as contoso.onmicrosoft.com'));
  if (link.method === 'delegate') {
    if (link.serviceAccount === undefined) out.push({ path: p, entity: 'calendarLink', field: 'serviceAccount', message: 'serviceAccount is required with method delegate: the account that holds Editor on the room calendars' });
    else if (typeof link.serviceAccount === 'string') out.push(...problem([...p, 'serviceAccount'], 'calendarLink', 'serviceAccount', link.serviceAccount, MAILBOX_PATTERN.test(link.serviceAccount) ? undefined : "must be the service account's user principal name, e.g. alexaforbusiness@contoso.com"));
  }
  if (link.method === 'application') {
    if (link.applicationId === undefined) out.push({ path: p, entity: 'calendarLink', field: 'applicationId', message: 'applicationId is required with method application: the A4B enterprise app id' });
    else if (typeof link.applicationId === 'string') out.push(...problem([...p, 'applicationId'], 'calendarLink', 'applicationId', link.applicationId, GUID_PATTERN.test(link.applicationId) ? undefined : 'must be an application (client) id, a GUID'));
    if (link.grantMissingPermissions) out.push(...problem([...p, 'grantMissingPermissions'], 'calendarLink', 'grantMissingPermissions', true, 'applies to the delegate method only'));
  }
  if (link.method === 'delegate' && link.consentResources !== undefined) {
    out.push(...problem([...p, 'consentResources'], 'calendarLink', 'consentResources', link.consentResources, 'applies to the application method only (the delegate method needs no consent)'));
  }
  return out;
};

/** Every rule, in the order their problems are reported. */
export const INVENTORY_RULES: InventoryRule[] = [
  calendarLink, quotas, profileFields, skillGroupFields, roomFields, inventoryTags, uniqueNames, uniqueRoomKeys, uniqueMailboxes, uniqueDevices,
  references,
];

