// The desired state from an inventory: what `drift` compares the live account with.
import { DEFAULT_ACCEPTED_ROLES } from '../contract';
import { ProfileAsRead } from '../inventory/a4b-profile';
import { Inventory, InventoryProfile } from '../inventory/model';
import { DesiredState, key, ProfileState, RoomState, SkillGroupState } from './model';

export function desiredFromInventory(inv: Inventory): DesiredState {
  const tags = (own?: Record<string, string>) => ({ ...inv.tags, ...own });
  const rooms = new Map<string, RoomState>((inv.rooms ?? []).map((r) => [key(r.name), {
    name: r.name, mailbox: r.mailbox, description: r.description, profile: r.profile, devices: r.devices, tags: tags(r.tags),
  }]));
  const profiles = new Map<string, ProfileState>((inv.profiles ?? []).map((p) => [key(p.name), {
    name: p.name, fields: profileFields(withConstructDefaults(p)),
  }]));
  const skillGroups = new Map<string, SkillGroupState>((inv.skillGroups ?? []).map((g) => [key(g.name), {
    name: g.name, description: g.description,
  }]));
  const l = inv.calendarLink;
  return {
    rooms, profiles, skillGroups,
    link: l && {
      tenant: l.tenantId, method: l.method, serviceAccount: l.serviceAccount, applicationId: l.applicationId,
      acceptedRoles: l.acceptedRoles ?? DEFAULT_ACCEPTED_ROLES, consentResources: l.consentResources, credentialsSecret: l.credentialsSecret,
      grantMissingPermissions: l.grantMissingPermissions ?? false,
    },
  };
}

/** The defaults the constructs apply to a profile, so an inventory that leaves them out matches A4B, which has them. */
function withConstructDefaults(p: InventoryProfile): InventoryProfile {
  return { ...p, distanceUnit: p.distanceUnit ?? 'METRIC', temperatureUnit: p.temperatureUnit ?? 'CELSIUS', wakeWord: p.wakeWord ?? 'ALEXA' };
}

/**
 * The profile settings drift compares, of an inventory's profile or of one read from A4B (`profileFromA4b`: live,
 * and a `Custom::A4BRoomProfile`'s properties), as flat `field -> value`; a feature that is off is `off`.
 */
export function profileFields(p: ProfileAsRead): ProfileState['fields'] {
  const mr = p.meetingRoom;
  const feature = (f: { enabled?: boolean } | undefined, setting: string | number | undefined) => (f ? (f.enabled === false ? 'off' : setting) : undefined);
  const reminder = mr?.endOfMeetingReminder;
  return {
    address: p.address,
    timezone: p.timezone,
    distanceUnit: p.distanceUnit,
    temperatureUnit: p.temperatureUnit,
    wakeWord: p.wakeWord,
    locale: p.locale,
    maxVolume: p.maxVolume,
    'meetingRoom.instantBooking': feature(mr?.instantBooking, mr?.instantBooking?.durationMinutes),
    'meetingRoom.requireCheckIn': feature(mr?.requireCheckIn, mr?.requireCheckIn?.releaseAfterMinutes),
    'meetingRoom.endOfMeetingReminder': feature(reminder, `${reminder?.minutes} ${reminder?.type}`),
    // Only where it is set: a profile that leaves it out does not send it, so A4B's value is no drift.
    ...(mr?.proactiveJoin?.enabledByMotion !== undefined ? { 'meetingRoom.proactiveJoin.enabledByMotion': mr.proactiveJoin.enabledByMotion } : {}),
  };
}
