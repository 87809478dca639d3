// One small rule per check of an inventory, each returning its problems with the path of the bad value
// (the shape of cdk-nag's rules). Pure: the same rules serve `a4b-rooms validate` and synth.
import {
  DOMAIN_PATTERN, GUID_PATTERN, IntegerRule, IntegerRules, integerProblem, isDeviceArn, isTimeZone, MAILBOX_PATTERN, showValue, StringRule,
  stringProblem, StringRules,
} from '../constraints';
import { isSystemTag, Quotas } from '../contract';
import { Inventory } from './model';
import { InventoryPath, InventoryProblem } from './parse';

export type InventoryRule = (inventory: Inventory) => InventoryProblem[];

/** A room's stable key: any printable text a room name could hold. */
const ROOM_ID = StringRules.RoomName;

const room = (inv: Inventory, i: number) => `room ${showValue(inv.rooms?.[i]?.name ?? `#${i + 1}`)}`;
const profile = (inv: Inventory, i: number) => `profile ${showValue(inv.profiles?.[i]?.name ?? `#${i + 1}`)}`;
const group = (inv: Inventory, i: number) => `skill group ${showValue(inv.skillGroups?.[i]?.name ?? `#${i + 1}`)}`;

function problem(path: InventoryPath, entity: string, field: string, value: unknown, must: string | undefined): InventoryProblem[] {
  return must ? [{ path, entity, field, message: `${field} ${showValue(value)} ${must}` }] : [];
}

function text(path: InventoryPath, entity: string, field: string, value: unknown, rule: StringRule): InventoryProblem[] {
  return typeof value === 'string' ? problem(path, entity, field, value, stringProblem(rule, value)) : [];
}

function integer(path: InventoryPath, entity: string, field: string, value: unknown, rule: IntegerRule): InventoryProblem[] {
  return typeof value === 'number' ? problem(path, entity, field, value, integerProblem(rule, value)) : [];
}

function tagProblems(path: InventoryPath, entity: string, tags: Record<string, string> | undefined): InventoryProblem[] {
  const atKey = (ps: InventoryProblem[]) => ps.map((p) => ({ ...p, at: 'key' as const }));
  return Object.entries(tags ?? {}).flatMap(([k, v]) => [
    ...atKey(text([...path, k], entity, 'tag key', k, StringRules.TagKey)),
    ...atKey(problem([...path, k], entity, 'tag key', k, isSystemTag(k) ? 'must not start with aws: or cdk-a4b-rooms: (system tags are reserved)' : undefined)),
    ...text([...path, k], entity, `tag '${k}' value`, v, StringRules.TagValue),
  ]);
}

/** Lengths, patterns, ranges and tag rules of every room (the A4B model's, as the constructs check them). */
export const roomFields: InventoryRule = (inv) => (inv.rooms ?? []).flatMap((r, i) => {
  const p = ['rooms', i];
  const who = room(inv, i);
  return [
    ...text([...p, 'id'], who, 'id', r.id, ROOM_ID),
    ...text([...p, 'name'], who, 'name', r.name, StringRules.RoomName),
    ...text([...p, 'description'], who, 'description', r.description, StringRules.RoomDescription),
    ...text([...p, 'mailbox'], who, 'mailbox', r.mailbox, StringRules.ProviderCalendarId),
    ...(typeof r.mailbox === 'string' && r.mailbox.length <= 100
      ? problem([...p, 'mailbox'], who, 'mailbox', r.mailbox, MAILBOX_PATTERN.test(r.mailbox) ? undefined : "must be the email address of the room's resource mailbox, e.g. board-room@contoso.com")
      : []),
    ...(r.devices ?? []).flatMap((d, j) => typeof d === 'string'
      ? problem([...p, 'devices', j], who, 'devices', d, !isDeviceArn(d) ? 'must be an A4B device ARN (arn:aws:a4b:REGION:ACCOUNT:device/...)'
        : r.devices!.indexOf(d) !== j ? 'is listed twice' : undefined)
      : []),
    ...problem([...p, 'devices'], who, 'devices', (r.devices ?? []).length, (r.devices ?? []).length > Quotas.DEVICES_PER_ROOM ? `must list at most ${Quotas.DEVICES_PER_ROOM} devices (the A4B limit per room)` : undefined),
    ...tagProblems([...p, 'tags'], who, r.tags),
  ];
});

export const profileFields: InventoryRule = (inv) => (inv.profiles ?? []).flatMap((pr, i) => {
  const p = ['profiles', i];
  const who = profile(inv, i);
  const mr = pr.meetingRoom ?? {};
  return [
    ...text([...p, 'name'], who, 'name', pr.name, StringRules.ProfileName),
    ...text([...p, 'address'], who, 'address', pr.address, StringRules.Address),
    ...text([...p, 'timezone'], who, 'timezone', pr.timezone, StringRules.Timezone),
    ...(typeof pr.timezone === 'string' ? problem([...p, 'timezone'], who, 'timezone', pr.timezone, isTimeZone(pr.timezone) ? undefined : 'must be an IANA time zone such as Europe/Berlin or America/New_York') : []),
    ...text([...p, 'locale'], who, 'locale', pr.locale, StringRules.DeviceLocale),
    ...integer([...p, 'maxVolume'], who, 'maxVolume', pr.maxVolume, IntegerRules.MaxVolumeLimit),
    ...integer([...p, 'meetingRoom', 'endOfMeetingReminder', 'minutes'], who, 'meetingRoom.endOfMeetingReminder.minutes', mr.endOfMeetingReminder?.minutes, IntegerRules.EndOfMeetingReminderMinutes),
    ...integer([...p, 'meetingRoom', 'instantBooking', 'durationMinutes'], who, 'meetingRoom.instantBooking.durationMinutes', mr.instantBooking?.durationMinutes, IntegerRules.InstantBookingDurationMinutes),
    ...integer([...p, 'meetingRoom', 'requireCheckIn', 'releaseAfterMinutes'], who, 'meetingRoom.requireCheckIn.releaseAfterMinutes', mr.requireCheckIn?.releaseAfterMinutes, IntegerRules.RequireCheckInReleaseAfterMinutes),
    ...tagProblems([...p, 'tags'], who, pr.tags),
  ];
});

export const skillGroupFields: InventoryRule = (inv) => (inv.skillGroups ?? []).flatMap((g, i) => [
  ...text(['skillGroups', i, 'name'], group(inv, i), 'name', g.name, StringRules.SkillGroupName),
  ...text(['skillGroups', i, 'description'], group(inv, i), 'description', g.description, StringRules.SkillGroupDescription),
  ...tagProblems(['skillGroups', i, 'tags'], group(inv, i), g.tags),
]);

export const inventoryTags: InventoryRule = (inv) => tagProblems(['tags'], 'inventory', inv.tags);

/** Names are unique per A4B account, case-insensitively (as the emulator and, by its errors, A4B enforce). */
export const uniqueNames: InventoryRule = (inv) => [
  ...duplicates(inv.rooms, 'rooms', (r) => r.name, (i) => room(inv, i), 'name', 'is also the name of', 'names are unique per A4B account, ignoring case'),
  ...duplicates(inv.profiles, 'profiles', (r) => r.name, (i) => profile(inv, i), 'name', 'is also the name of', 'names are unique per A4B account, ignoring case'),
  ...duplicates(inv.skillGroups, 'skillGroups', (r) => r.name, (i) => group(inv, i), 'name', 'is also the name of', 'names are unique per A4B account, ignoring case'),
];

/**
 * A room's key (its id, else its name) names its resource in the stack: two rooms with one key would be one
 * resource. Rooms without ids are already told apart by their unique names.
 */
export const uniqueRoomKeys: InventoryRule = (inv) => {
  const first = new Map<string, number>();
  return (inv.rooms ?? []).flatMap((r, i) => {
    const key = r.id ?? r.name;
    if (typeof key !== 'string') return [];
    const j = first.get(key.toLowerCase());
    if (j === undefined) first.set(key.toLowerCase(), i);
    if (j === undefined || (r.id === undefined && inv.rooms![j].id === undefined)) return [];
    const field = r.id === undefined ? 'name' : 'id';
    return problem(['rooms', i, field], room(inv, i), field, key, `is also the key (id, or name without an id) of ${room(inv, j)} (rooms[${j}]): each room needs its own id`);
  });
};

/** One resource mailbox is one room's calendar: a second room on it would book the same calendar. */
export const uniqueMailboxes: InventoryRule = (inv) =>
  duplicates(inv.rooms, 'rooms', (r) => r.mailbox, (i) => room(inv, i), 'mailbox', 'is also the mailbox of', 'a resource mailbox belongs to one room');

function duplicates<T>(
  list: readonly T[] | undefined, key: string, value: (t: T) => unknown, who: (i: number) => string, field: string, message: string, why: string,
): InventoryProblem[] {
  const first = new Map<string, number>();
  const out: InventoryProblem[] = [];
  (list ?? []).forEach((item, i) => {
    const v = value(item);
    if (typeof v !== 'string') return;
    const k = v.toLowerCase();
    const seen = first.get(k);
    if (seen === undefined) first.set(k, i);
    else out.push(...problem([key, i, field], who(i), field, v, `${message} ${who(seen)} (${key}[${seen}]): ${why}`));
  });
  return out;
}

/**
 * A room names its profile and skill groups as they are declared. A name that differs only in case would be the
 * same A4B resource (names are unique ignoring case) but not the same entry, so it is refused with the declared name.
 */
export const references: InventoryRule = (inv) => {
  const profiles = (inv.profiles ?? []).map((p) => p.name);
  const groups = (inv.skillGroups ?? []).map((g) => g.name);
  return (inv.rooms ?? []).flatMap((r, i) => [
    ...(typeof r.profile === 'string'
      ? problem(['rooms', i, 'profile'], room(inv, i), 'profile', r.profile, unknownReference(r.profile, profiles, 'a profile')) : []),
    ...(r.skillGroups ?? []).flatMap((g, j) => typeof g !== 'string' ? [] : [
      ...problem(['rooms', i, 'skillGroups', j], room(inv, i), 'skillGroups', g, unknownReference(g, groups, 'a skill group')),
      ...((r.skillGroups ?? []).indexOf(g) !== j ? problem(['rooms', i, 'skillGroups', j], room(inv, i), 'skillGroups', g, 'is listed twice') : []),
    ]),
  ]);
};

/** What is wrong with a reference to one of `declared` by name; undefined when it names one exactly. */
function unknownReference(name: string, declared: readonly unknown[], what: string): string | undefined {
  if (declared.includes(name)) return undefined;
  const sameIgnoringCase = declared.find((d) => typeof d === 'string' && d.toLowerCase() === name.toLowerCase());
  if (sameIgnoringCase !== undefined) return `must name ${what} of this inventory as it is declared: did you mean '${sameIgnoringCase}'?`;
  return `must name ${what} of this inventory (${declared.map((d) => `'${d}'`).join(', ') || 'there are none'})`;
}

export const quotas: InventoryRule = (inv) => [
  ...problem(['rooms'], 'inventory', 'rooms', (inv.rooms ?? []).length, (inv.rooms ?? []).length > Quotas.ROOMS ? `must be at most ${Quotas.ROOMS} (the A4B quota of rooms per account)` : undefined),
  ...problem(['profiles'], 'inventory', 'profiles', (inv.profiles ?? []).length, (inv.profiles ?? []).length > Quotas.ROOM_PROFILES ? `must be at most ${Quotas.ROOM_PROFILES} (the A4B quota of room profiles per account)` : undefined),
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
  calendarLink, quotas, profileFields, skillGroupFields, roomFields, inventoryTags, uniqueNames, uniqueRoomKeys, uniqueMailboxes, references,
];

