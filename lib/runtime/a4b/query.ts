// The one way the library searches A4B (the provider's handlers, drift in the CLI and the monitor, import): every page
// of SearchRooms, SearchProfiles, SearchSkillGroups and SearchDevices at A4B's largest page (MaxResults 50, NextToken
// until there is none), and a room, profile or skill group found by its name under the contract's one name rule
// (`a4bNameKey` for identity, `A4B_FILTER_MATCH` for what a name filter returns).
import {
  AlexaForBusinessClient, DeviceData, ProfileData, RoomData, SearchDevicesCommand, SearchProfilesCommand, SearchRoomsCommand,
  SearchSkillGroupsCommand, SkillGroupData,
} from '@aws-sdk/client-alexa-for-business';
import { A4B_FILTER_MATCH, A4B_MAX_RESULTS, A4bFilterMatch, a4bNameKey } from '../../contract';
import { allPages } from './pages';

/** A Search* filter: an item matches when its value for `Key` is one of `Values` (at most A4B_MAX_FILTER_VALUES). */
export interface SearchFilter {
  readonly Key: string;
  readonly Values: string[];
}

/** The filter keys the library searches by (A4B API reference: the supported keys of each Search operation). */
export const FilterKeys = {
  ROOM_NAME: 'RoomName',
  PROFILE_NAME: 'ProfileName',
  SKILL_GROUP_NAME: 'SkillGroupName',
} as const;

type Page<T> = (items: T[]) => void;

export function searchRooms(a4b: AlexaForBusinessClient, filters?: SearchFilter[], onPage?: Page<RoomData>): Promise<RoomData[]> {
  return allPages((NextToken) => a4b.send(new SearchRoomsCommand({ Filters: filters, MaxResults: A4B_MAX_RESULTS, NextToken }))
    .then((o) => ({ items: o.Rooms, NextToken: o.NextToken })), onPage);
}

export function searchProfiles(a4b: AlexaForBusinessClient, filters?: SearchFilter[]): Promise<ProfileData[]> {
  return allPages((NextToken) => a4b.send(new SearchProfilesCommand({ Filters: filters, MaxResults: A4B_MAX_RESULTS, NextToken }))
    .then((o) => ({ items: o.Profiles, NextToken: o.NextToken })));
}

export function searchSkillGroups(a4b: AlexaForBusinessClient, filters?: SearchFilter[]): Promise<SkillGroupData[]> {
  return allPages((NextToken) => a4b.send(new SearchSkillGroupsCommand({ Filters: filters, MaxResults: A4B_MAX_RESULTS, NextToken }))
    .then((o) => ({ items: o.SkillGroups, NextToken: o.NextToken })));
}

export function searchDevices(a4b: AlexaForBusinessClient, filters?: SearchFilter[]): Promise<DeviceData[]> {
  return allPages((NextToken) => a4b.send(new SearchDevicesCommand({ Filters: filters, MaxResults: A4B_MAX_RESULTS, NextToken }))
    .then((o) => ({ items: o.Devices, NextToken: o.NextToken })));
}

export interface FindOptions {
  /**
   * Where a name in another case is looked for when name filters match exactly: the filters of a second search (the
   * rooms of one profile, say), or `all` (the whole list: at most 2 pages of profiles and 20 of skill groups, but up
   * to 200 of rooms). @default not looked for: the name is found as written
   */
  readonly otherCase?: readonly SearchFilter[] | 'all';
  /** How A4B's name filters match. @default A4B_FILTER_MATCH */
  readonly filterMatch?: A4bFilterMatch;
}

/** Whether an A4B item's name is `name` (A4B names are one name ignoring case). */
export function sameName(name: string): (itemName: string | undefined) => boolean {
  const k = a4bNameKey(name);
  return (itemName) => itemName !== undefined && a4bNameKey(itemName) === k;
}

async function findByName<T>(
  search: (filters?: SearchFilter[]) => Promise<T[]>, key: string, nameOf: (item: T) => string | undefined, name: string, options: FindOptions = {},
): Promise<T | undefined> {
  const same = sameName(name);
  // Every page: a filter that matched more loosely than exactly could return the name after others.
  const found = (await search([{ Key: key, Values: [name] }])).find((i) => same(nameOf(i)));
  if (found || !options.otherCase || (options.filterMatch ?? A4B_FILTER_MATCH) !== 'exact') return found;
  return (await search(options.otherCase === 'all' ? undefined : [...options.otherCase])).find((i) => same(nameOf(i)));
}

/** The room of this name (ignoring case), or undefined. */
export function findRoomByName(a4b: AlexaForBusinessClient, name: string, options?: FindOptions): Promise<RoomData | undefined> {
  return findByName((f) => searchRooms(a4b, f), FilterKeys.ROOM_NAME, (r) => r.RoomName, name, options);
}

/** The room profile of this name (ignoring case), or undefined. */
export function findProfileByName(a4b: AlexaForBusinessClient, name: string, options?: FindOptions): Promise<ProfileData | undefined> {
  return findByName((f) => searchProfiles(a4b, f), FilterKeys.PROFILE_NAME, (p) => p.ProfileName, name, options);
}

/** The skill group of this name (ignoring case), or undefined. */
export function findSkillGroupByName(a4b: AlexaForBusinessClient, name: string, options?: FindOptions): Promise<SkillGroupData | undefined> {
  return findByName((f) => searchSkillGroups(a4b, f), FilterKeys.SKILL_GROUP_NAME, (g) => g.SkillGroupName, name, options);
}

/**
 * The devices in a room now. SearchDevices filters by room name only: given the room's ARN, a device another room
 * holds (one that had the name meanwhile) is left out.
 */
export async function devicesOfRoom(a4b: AlexaForBusinessClient, room: { readonly name: string; readonly arn?: string }): Promise<DeviceData[]> {
  const devices = await searchDevices(a4b, [{ Key: FilterKeys.ROOM_NAME, Values: [room.name] }]);
  const same = sameName(room.name);
  return devices.filter((d) => (room.arn === undefined || d.RoomArn === undefined || d.RoomArn === room.arn)
    && (d.RoomName === undefined || same(d.RoomName)));
}

/** Devices by the ARN of the room that holds them (drift and import read every device once); devices in no room are left out. */
export function devicesByRoom(devices: readonly DeviceData[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of devices) {
    if (!d.RoomArn || !d.DeviceArn) continue;
    const held = out.get(d.RoomArn);
    if (held) held.push(d.DeviceArn);
    else out.set(d.RoomArn, [d.DeviceArn]);
  }
  return out;
}
