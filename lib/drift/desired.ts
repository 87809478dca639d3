// The desired state from an inventory: what `drift` compares the live account with.
import { DEFAULT_ACCEPTED_ROLES, ResourceTypes } from '../contract';
import { Inventory } from '../inventory/model';
import type { Template } from '../local/template';
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

/**
 * The desired state from a synthesized cloud assembly (`cdk.out`): the A4B custom resources of every stack and
 * nested stack, with profile references turned back into profile names.
 */
export function desiredFromAssembly(dir: string): DesiredState {
  const { readAssembly } = require('../local/cloud-assembly') as typeof import('../local/cloud-assembly');
  const { resolve } = require('../local/template') as typeof import('../local/template');
  const out: DesiredState = { rooms: new Map(), profiles: new Map(), skillGroups: new Map() };
  const walk = (stackName: string, template: Template, parameters: Record<string, unknown> | undefined, nested: (url: string) => Template) => {
    const resources = template.Resources ?? {};
    const nameOf = (id: string): string | undefined => {
      const r = resources[id];
      if (r?.Type === ResourceTypes.ROOM_PROFILE) return `profile:${String(r.Properties?.ProfileName)}`;
      if (r?.Type === ResourceTypes.SKILL_GROUP) return `skillgroup:${String(r.Properties?.SkillGroupName)}`;
      return r ? `arn:aws:local:us-east-1:000000000000:${id}` : undefined;
    };
    const ctx = {
      region: 'us-east-1', accountId: '000000000000', stackName, stackId: stackName, parameters,
      physicalId: nameOf, attribute: (id: string) => nameOf(id),
    };
    for (const [id, r] of Object.entries(resources)) {
      const props = () => resolve(r.Properties ?? {}, ctx, template) as Record<string, any>;
      switch (r.Type) {
        case ResourceTypes.ROOM_PROFILE: {
          const p = props();
          out.profiles.set(key(p.ProfileName), { name: p.ProfileName, fields: profileFieldsFromProperties(p) });
          break;
        }
        case ResourceTypes.SKILL_GROUP: {
          const p = props();
          out.skillGroups.set(key(p.SkillGroupName), { name: p.SkillGroupName, description: p.Description });
          break;
        }
        case ResourceTypes.ROOM: {
          const p = props();
          out.rooms.set(key(p.RoomName), {
            name: p.RoomName, mailbox: p.ProviderCalendarId, description: p.Description,
            // By name across stacks (an inventory's), by ARN (a reference resolved to `profile:NAME` here) in the same stack.
            profile: typeof p.ProfileName === 'string' ? p.ProfileName
              : typeof p.ProfileArn === 'string' && p.ProfileArn.startsWith('profile:') ? p.ProfileArn.slice('profile:'.length) : undefined,
            devices: p.DeviceArns, tags: Object.fromEntries((p.Tags ?? []).map((t: any) => [t.Key, String(t.Value)])),
          });
          break;
        }
        case ResourceTypes.CALENDAR_LINK: {
          const p = props();
          const secret = String(p.CredentialsSecretArn ?? '');
          // A reference by name resolves against a placeholder account here; the name is what finds the secret.
          const credentialsSecret = secret.includes(':000000000000:secret:') ? secret.split(':secret:')[1] : secret;
          if (!(out as { link?: unknown }).link && secret) {
            (out as { link?: DesiredState['link'] }).link = {
              tenant: p.Tenant, method: p.Method, serviceAccount: p.ServiceAccount, applicationId: p.ApplicationId,
              acceptedRoles: p.AcceptedRoles ?? DEFAULT_ACCEPTED_ROLES, consentResources: p.ConsentResources, credentialsSecret,
            };
          }
          break;
        }
        case 'AWS::CloudFormation::Stack': {
          const p = props();
          walk(`${stackName}/${id}`, nested(String(p.TemplateURL)), p.Parameters, nested);
          break;
        }
      }
    }
  };
  for (const stack of readAssembly(dir)) walk(stack.stackName, stack.template, undefined, stack.nestedTemplate);
  return out;
}

/** The compared profile settings from a `Custom::A4BRoomProfile`'s properties, as `profileFields` gives them. */
function profileFieldsFromProperties(p: Record<string, any>): ProfileState['fields'] {
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
