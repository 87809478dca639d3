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
    link: l && {
      tenant: l.tenantId, method: l.method, serviceAccount: l.serviceAccount, applicationId: l.applicationId,
      acceptedRoles: l.acceptedRoles ?? DEFAULT_ACCEPTED_ROLES, consentResources: l.consentResources, credentialsSecret: l.credentialsSecret,
    },
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

/** The compared profile settings from a `Custom::A4BRoomProfile`'s properties, as `profileFields` gives them. */
export function profileFieldsFromProperties(p: Record<string, any>): ProfileState['fields'] {
  const mr = p.MeetingRoomConfiguration ?? {};
  const feature = (f: any, value: string | number | undefined) => (f ? (f.Enabled === false || f.Enabled === 'false' ? 'off' : value) : undefined);
  const num = (v: unknown) => (v === undefined ? undefined : Number(v));
  return {
    address: p.Address, timezone: p.Timezone, distanceUnit: p.DistanceUnit, temperatureUnit: p.TemperatureUnit, wakeWord: p.WakeWord,
    locale: p.Locale, maxVolume: num(p.MaxVolumeLimit),
    'meetingRoom.instantBooking': feature(mr.InstantBooking, num(mr.InstantBooking?.DurationInMinutes)),
    'meetingRoom.requireCheckIn': feature(mr.RequireCheckIn, num(mr.RequireCheckIn?.ReleaseAfterMinutes)),
    'meetingRoom.endOfMeetingReminder': feature(mr.EndOfMeetingReminder, mr.EndOfMeetingReminder ? `${mr.EndOfMeetingReminder.ReminderAtMinutes?.[0]} ${mr.EndOfMeetingReminder.ReminderType}` : undefined),
  };
}
