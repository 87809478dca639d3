// Does the A4B app hold its calendar consent? Pure, shared by the link's check, `check` and drift.
//
// Which resource A4B's app holds Calendars.ReadWrite on is not documented (A4B's limited-access guide uses EWS, whose
// resource is Office 365 Exchange Online), so the accepted resources are a setting: Microsoft Graph
// (00000003-0000-0000-c000-000000000000) and Office 365 Exchange Online (00000002-0000-0ff1-ce00-000000000000) by
// default. App roles are matched by value through the resource's appRoles (servicePrincipal resource: appRoles).

export const CONSENT_RESOURCES: Record<string, { appId: string; name: string }> = {
  graph: { appId: '00000003-0000-0000-c000-000000000000', name: 'Microsoft Graph' },
  exchange: { appId: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' },
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

/** Whether `assignments` hold Calendars.ReadWrite on any of the accepted resources; `held` names what it holds instead. */
export function decideConsent(assignments: readonly Assignment[], resources: readonly ResourcePrincipal[], role = 'Calendars.ReadWrite'): ConsentDecision {
  const held: string[] = [];
  for (const r of resources) {
    const wanted = r.appRoles.find((x) => x.value === role);
    const mine = assignments.filter((a) => a.resourceId === r.id);
    if (wanted && mine.some((a) => a.appRoleId === wanted.id)) return { kind: 'ok', resource: r.key };
    for (const a of mine) held.push(`${CONSENT_RESOURCES[r.key]?.name ?? r.key} ${r.appRoles.find((x) => x.id === a.appRoleId)?.value ?? a.appRoleId}`);
  }
  return { kind: 'missing', held };
}

export function consentNames(keys: readonly string[]): string {
  return keys.map((k) => CONSENT_RESOURCES[k]?.name ?? k).join(' or ');
}
