// The desired state from a synthesized cloud assembly, for `a4b-rooms drift --assembly`: CLI-only, since it reads
// templates the way the local deploy engine does.
import { DEFAULT_ACCEPTED_ROLES, ResourceTypes } from '../contract';
import { profileFields } from '../drift/desired';
import { DesiredState, key } from '../drift/model';
import { profileFromA4b } from '../inventory/a4b-profile';
import { readAssembly } from '../local/cloud-assembly';
import { resolve, Template } from '../local/template';

/**
 * The desired state from a synthesized cloud assembly (`cdk.out`): the A4B custom resources of every stack and
 * nested stack, with profile references turned back into profile names.
 */
export function desiredFromAssembly(dir: string): DesiredState {
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
          out.profiles.set(key(p.ProfileName), { name: p.ProfileName, fields: profileFields(profileFromA4b(p)) });
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
              grantMissingPermissions: String(p.GrantMissingPermissions) === 'true',
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

