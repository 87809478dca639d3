// Does the A4B app hold its calendar consent? Pure, shared by the link's check, `check` and drift.
//
// Which resource A4B's app holds Calendars.ReadWrite on is not documented (A4B's limited-access guide uses EWS, whose
// resource is Office 365 Exchange Online), so the accepted resources are a setting: Microsoft Graph
// (00000003-0000-0000-c000-000000000000) and Office 365 Exchange Online (00000002-0000-0ff1-ce00-000000000000) by
// default. App roles are matched by value through the resource's appRoles (servicePrincipal resource: appRoles).
//
// The calendar permission has a different name on each resource: Microsoft Graph's application permission is
// `Calendars.ReadWrite` (permissions-reference.md, "Calendars.ReadWrite ... Read and write calendars in all
// mailboxes"); the Office 365 Exchange Online first-party app lists `Calendars.ReadWrite.All` (read: `Calendars.Read`)
// among its application permissions (its service principal's appRoles, which Entra ID shows under API permissions >
// APIs my organization uses > Office 365 Exchange Online; the audit in issue #25, row 1). No Microsoft Learn page lists
// that app's roles, so the name is read from the tenant's own service principal: the check matches by value.

export const CONSENT_RESOURCES: Record<string, { appId: string; name: string; calendarsReadWrite: string }> = {
  graph: { appId: '00000003-0000-0000-c000-000000000000', name: 'Microsoft Graph', calendarsReadWrite: 'Calendars.ReadWrite' },
  exchange: { appId: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online', calendarsReadWrite: 'Calendars.ReadWrite.All' },
};

export { DEFAULT_CONSENT_RESOURCES } from '../contract';

/** A resource's service principal as read: its object id and its app roles. */
export interface ResourcePrincipal {
  readonly key: string;
  readonly id: string;
  readonly appRoles: Array<{ id: string; value: string }>;
}

export interface Assignment {
  readonly resourceId: string;
  readonly appRoleId: string;
}

export type ConsentDecision =
  | { readonly kind: 'ok'; readonly resource: string }
  | { readonly kind: 'missing'; readonly held: string[] };

/**
 * Whether `assignments` hold the calendar read-write permission on any of the accepted resources, each under its own
 * name (`role` overrides it for every resource); `held` names what it holds instead.
 */
export function decideConsent(assignments: readonly Assignment[], resources: readonly ResourcePrincipal[], role?: string): ConsentDecision {
  const held: string[] = [];
  for (const r of resources) {
    const name = role ?? CONSENT_RESOURCES[r.key]?.calendarsReadWrite ?? 'Calendars.ReadWrite';
    const wanted = r.appRoles.find((x) => x.value === name);
    const mine = assignments.filter((a) => a.resourceId === r.id);
    if (wanted && mine.some((a) => a.appRoleId === wanted.id)) return { kind: 'ok', resource: r.key };
    for (const a of mine) held.push(`${CONSENT_RESOURCES[r.key]?.name ?? r.key} ${r.appRoles.find((x) => x.id === a.appRoleId)?.value ?? a.appRoleId}`);
  }
  return { kind: 'missing', held };
}

/** The resources with the permission each needs: `Calendars.ReadWrite on Microsoft Graph or Calendars.ReadWrite.All on ...`. */
export function consentNames(keys: readonly string[]): string {
  return keys.map((k) => (CONSENT_RESOURCES[k] ? `${CONSENT_RESOURCES[k].calendarsReadWrite} on ${CONSENT_RESOURCES[k].name}` : k)).join(' or ');
}
