// `a4b-rooms import`: an inventory written from a live A4B account, so an existing fleet comes under management.
// Every entry adopts the resource of its name on its first deploy. A4B has no read for the skill groups of a room
// and nothing of the Office 365 link, so those are left for the author to add.
import { AlexaForBusinessClient, GetProfileCommand } from '@aws-sdk/client-alexa-for-business';
import { isSystemTag } from '../contract';
import { listTags } from '../runtime/a4b/client';
import { devicesByRoom, searchDevices, searchProfiles, searchRooms, searchSkillGroups } from '../runtime/a4b/query';
import { mapConcurrent } from '../runtime/graph/batch';
import { inventoryMeetingRoom, profileFromA4b } from '../inventory/a4b-profile';
import { Inventory, InventoryProfile, InventoryRoom, InventorySkillGroup } from '../inventory/model';
import { plural } from './words';


export async function importInventory(a4b: AlexaForBusinessClient, concurrency = 8): Promise<Inventory> {
  const tagsOf = async (arn: string) => {
    const user = (await listTags(a4b, arn)).filter((t) => !isSystemTag(t.Key));
    return user.length ? Object.fromEntries(user.map((t) => [t.Key, t.Value])) : undefined;
  };
  const summaries = await searchProfiles(a4b);
  const profiles: InventoryProfile[] = [];
  await mapConcurrent(summaries, concurrency, async (s) => {
    const p = (await a4b.send(new GetProfileCommand({ ProfileArn: s.ProfileArn }))).Profile!;
    const { meetingRoom, ...settings } = profileFromA4b(p);
    profiles.push(clean({
      ...settings, meetingRoom: inventoryMeetingRoom(meetingRoom),
      tags: await tagsOf(p.ProfileArn!), adoptExisting: true,
    }));
  });
  const groups = await searchSkillGroups(a4b);
  const skillGroups: InventorySkillGroup[] = [];
  await mapConcurrent(groups, concurrency, async (g) => {
    skillGroups.push(clean({ name: g.SkillGroupName!, description: g.Description, tags: await tagsOf(g.SkillGroupArn!), adoptExisting: true }));
  });
  const devices = devicesByRoom(await searchDevices(a4b));
  const liveRooms = await searchRooms(a4b);
  const rooms: InventoryRoom[] = [];
  await mapConcurrent(liveRooms, concurrency, async (r) => {
    const inRoom = devices.get(r.RoomArn!) ?? [];
    rooms.push(clean({
      name: r.RoomName!, mailbox: r.ProviderCalendarId || undefined, profile: r.ProfileName!, description: r.Description,
      devices: inRoom.length ? inRoom : undefined, tags: await tagsOf(r.RoomArn!), adoptExisting: true,
    }));
  });
  const byName = <T extends { name: string }>(xs: T[]) => xs.sort((a, b) => a.name.localeCompare(b.name));
  return { profiles: byName(profiles), skillGroups: byName(skillGroups), rooms: byName(rooms) };
}

/** The inventory as YAML, with the schema line editors read and what import could not know. */
export function inventoryYaml(inventory: Inventory): string {
  const { stringify } = require('yaml') as typeof import('yaml');
  return [
    '# yaml-language-server: $schema=node_modules/cdk-a4b-rooms/schema/rooms.schema.json',
    `# Imported from A4B by a4b-rooms import on ${new Date().toISOString().slice(0, 10)}: ${inventoryCounts(inventory)}.`,
    '# Every entry adopts the A4B resource of its name on the first deploy. Not readable from A4B, so add them yourself:',
    "# the rooms' skillGroups, and calendarLink (tenantId, method, serviceAccount or applicationId, credentialsSecret).",
    stringify(inventory, { lineWidth: 0 }),
  ].join('\n');
}

/** `12 rooms, 3 profiles, 1 skill group`: what an inventory holds, as import reports it. */
export function inventoryCounts(inventory: Inventory): string {
  return `${plural(inventory.rooms?.length ?? 0, 'room')}, ${plural(inventory.profiles?.length ?? 0, 'profile')}, ${plural(inventory.skillGroups?.length ?? 0, 'skill group')}`;
}

function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
