// The desired state from an inventory: what `drift` compares the live account with.
import { DEFAULT_ACCEPTED_ROLES } from '../contract';
import { Inventory } from '../inventory/model';
import { DesiredState, key, ProfileState, RoomState, SkillGroupState } from './model';

export function desiredFromInventory(inv: Inventory): DesiredState {
  const tags = (own?: Record<string, string>) => ({ ...inv.tags, ...own });
  const rooms = new Map<string, RoomState>((inv.rooms ?? []).map((r) => [key(r.name), {
    name: r.name, mailbox: r.mailbox, description: r.description, profile: r.profile, devices: r.devices, tags: tags(r.tags),
  }]));
  const profiles = new Map<string, ProfileState>((inv.profiles ?? []).map((p) => [key(p.name), { name: p.name, fields: profileFields(p) }]));
  const skillGroups = new Map<string, SkillGroupState>((inv.skillGroups ?? []).map((g) => [key(g.name), { name: g.name, description: g.description }]));
  const l = inv.calendarLink;
  return {
    rooms, profiles, skillGroups,
    link: l && { tenant: l.tenantId, method: l.method, serviceAccount: l.serviceAccount, applicationId: l.applicationId, acceptedRoles: l.acceptedRoles ?? DEFAULT_ACCEPTED_ROLES, credentialsSecret: l.credentialsSecret },
  };
}

/** The profile settings drift looks at, with the defaults the constructs apply. */
export function profileFields(p: NonNullable<Inventory['profiles']>[number]): ProfileState['fields'] {
  const mr = p.meetingRoom;
  return {
    address: p.address,
    timezone: p.timezone,
    distanceUnit: p.distanceUnit ?? 'METRIC',
    temperatureUnit: p.temperatureUnit ?? 'CELSIUS',
    wakeWord: p.wakeWord ?? 'ALEXA',
    locale: p.locale,
    maxVolume: p.maxVolume,
    'meetingRoom.instantBooking': mr?.instantBooking ? (mr.instantBooking.enabled === false ? 'off' : mr.instantBooking.durationMinutes) : undefined,
    'meetingRoom.requireCheckIn': mr?.requireCheckIn ? (mr.requireCheckIn.enabled === false ? 'off' : mr.requireCheckIn.releaseAfterMinutes) : undefined,
    'meetingRoom.endOfMeetingReminder': mr?.endOfMeetingReminder ? (mr.endOfMeetingReminder.enabled === false ? 'off' : `${mr.endOfMeetingReminder.minutes} ${mr.endOfMeetingReminder.type}`) : undefined,
  };
}
