// Lambda entry of the calendar link provider: validates (and on request grants) the Office 365 side of the A4B
// calendar link on Create and Update. A4B resources of the stack depend on it, so a failure stops the deploy
// before any A4B write. Delete changes nothing: permissions are never revoked by this library.
import {
  CalendarLinkAttributes as A, CalendarLinkMethods, CalendarLinkProps as P, DEFAULT_ACCEPTED_ROLES, DEFAULT_CONSENT_RESOURCES, LinkedRoomProps as R,
  ResourceTypes,
} from '../../contract';
import { CONSENT_RESOURCES } from '../../o365/consent';
import { PropertyReader } from '../properties';
import { CfnEvent, CfnResult, cfnHandler, currentRequest, ResourceError } from '../cfn';
import { LinkSpec, roomsToValidate } from '../../o365/link-checks';
import { graphFor } from '../../runtime/graph/clients';
import { gatePhysicalId, onGateEvent, recordFindings } from './gate';
import { validateLink } from '../../runtime/graph/link-validation';

export function readLink(props: Record<string, unknown>): LinkSpec {
  const p = new PropertyReader(props, 'calendar link');
  const method = p.requiredString(P.METHOD);
  if (method !== CalendarLinkMethods.DELEGATE && method !== CalendarLinkMethods.APPLICATION) {
    throw new ResourceError(`calendar link: property ${P.METHOD} is "${method}"; it must be delegate or application`);
  }
  const consentResources = method === CalendarLinkMethods.APPLICATION ? p.stringList(P.CONSENT_RESOURCES) ?? DEFAULT_CONSENT_RESOURCES : undefined;
  const unknown = (consentResources ?? []).filter((r) => !CONSENT_RESOURCES[r]);
  if (unknown.length || consentResources?.length === 0) {
    throw new ResourceError(`calendar link: property ${P.CONSENT_RESOURCES} is ${JSON.stringify(consentResources)}; each entry must be one of ${Object.keys(CONSENT_RESOURCES).join(', ')}, and at least one`);
  }
  const rooms = props[P.ROOMS] ?? [];
  if (!Array.isArray(rooms)) throw new ResourceError(`calendar link: property ${P.ROOMS} must be a list of { ${R.NAME}, ${R.MAILBOX} }`);
  return {
    tenant: p.requiredString(P.TENANT),
    method,
    serviceAccount: method === CalendarLinkMethods.DELEGATE ? p.requiredString(P.SERVICE_ACCOUNT) : undefined,
    applicationId: method === CalendarLinkMethods.APPLICATION ? p.requiredString(P.APPLICATION_ID) : undefined,
    credentialsSecretArn: p.requiredString(P.CREDENTIALS_SECRET_ARN),
    grantMissingPermissions: p.boolean(P.GRANT_MISSING_PERMISSIONS) ?? false,
    acceptedRoles: p.stringList(P.ACCEPTED_ROLES) ?? DEFAULT_ACCEPTED_ROLES,
    ...(consentResources ? { consentResources } : {}),
    rooms: rooms.map((r: any) => ({ name: String(r?.[R.NAME] ?? ''), mailbox: String(r?.[R.MAILBOX] ?? '') })),
  };
}

export async function onEvent(event: CfnEvent): Promise<CfnResult> {
  if (event.ResourceType === ResourceTypes.MAILBOX_CHECK_GATE) return onGateEvent(event);
  const physicalId = event.PhysicalResourceId ?? `calendar-link-${event.LogicalResourceId}`;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalId };
  const spec = readLink(event.ResourceProperties);
  const before = event.RequestType === 'Update' && event.OldResourceProperties ? readLink(event.OldResourceProperties) : undefined;
  // Record mode checks every room each time: a check's earlier findings are known only by checking again (gate.ts).
  const record = new PropertyReader(event.ResourceProperties, 'calendar link').boolean(P.RECORD_FINDINGS) ?? false;
  const rooms = record ? spec.rooms : roomsToValidate(before, spec);
  const scope = currentRequest();
  if (scope) {
    scope.resource = `calendar link (tenant ${spec.tenant}, ${rooms.length} room mailbox${rooms.length === 1 ? '' : 'es'} to check)`;
    scope.retryHint = `No A4B change was made${spec.grantMissingPermissions ? '; calendar permissions granted so far stay (grants only add)' : ''}. `
      + 'Deploy again once Graph answers in time; the check starts over.';
  }
  const graph = await graphFor(spec.credentialsSecretArn, spec.tenant);
  if (record) return { PhysicalResourceId: physicalId, Data: await recordFindings(rooms, () => validateLink(spec, rooms, graph)) };
  const result = await validateLink(spec, rooms, graph);
  console.log(JSON.stringify({ validated: result.checked, of: spec.rooms.length, granted: result.granted }));
  return {
    PhysicalResourceId: physicalId,
    Data: { [A.ROOMS_VALIDATED]: String(result.checked), [A.PERMISSIONS_GRANTED]: String(result.granted.length) },
  };
}

export const handler = cfnHandler(onEvent, (event) => (event.ResourceType === ResourceTypes.MAILBOX_CHECK_GATE ? gatePhysicalId('') : `calendar-link-${event.LogicalResourceId}`));
