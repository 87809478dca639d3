// Declared against live, pure. What must not show as drift does not: email case, absent against empty, system tags,
// and anything whose read failed (that is "unknown", and the exit code says error).
import { isSystemTag } from '../contract';
import { DesiredState, key, LiveState } from './model';

export type FindingKind = 'missing' | 'changed' | 'unmanaged' | 'mailbox-missing' | 'not-a-room' | 'permission-lost' | 'consent-missing' | 'unknown';

export interface Finding {
  readonly resource: 'room' | 'profile' | 'skill group' | 'calendar link';
  readonly name: string;
  readonly kind: FindingKind;
  readonly field?: string;
  readonly declared?: string;
  readonly live?: string;
  readonly detail?: string;
}

export interface DriftReport {
  /** `in-sync` (exit 0), `drift` (exit 2) or `error` (exit 1: a read failed; what could be read is still reported). */
  readonly status: 'in-sync' | 'drift' | 'error';
  readonly findings: Finding[];
  readonly errors: string[];
  readonly checked: { readonly rooms: number; readonly profiles: number; readonly skillGroups: number; readonly mailboxes: number };
}

export interface CompareOptions {
  /** Leave out resources that exist in A4B but are not declared. */
  readonly ignoreUnmanaged?: boolean;
}

const norm = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : String(v));
const same = (a: unknown, b: unknown, caseless = false) => {
  const x = norm(a);
  const y = norm(b);
  return caseless ? x?.toLowerCase() === y?.toLowerCase() : x === y;
};
const show = (v: unknown) => norm(v) ?? '(none)';

function userTags(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([k]) => !isSystemTag(k)).sort(([a], [b]) => a.localeCompare(b)));
}

export function compare(desired: DesiredState, live: LiveState, options: CompareOptions = {}): DriftReport {
  const findings: Finding[] = [];
  const a4bRead = !live.errors.some((e) => e.startsWith('A4B'));
  const graphRead = !live.errors.some((e) => e.startsWith('Graph'));

  if (a4bRead) {
    for (const [k, want] of desired.rooms) {
      const unknown = live.unknownRooms.get(k);
      if (unknown) {
        findings.push({ resource: 'room', name: want.name, kind: 'unknown', detail: unknown });
        continue;
      }
      const have = live.rooms.get(k);
      if (!have) {
        findings.push({ resource: 'room', name: want.name, kind: 'missing' });
        continue;
      }
      const changed = (field: string, a: unknown, b: unknown, caseless = false) => {
        if (!same(a, b, caseless)) findings.push({ resource: 'room', name: want.name, kind: 'changed', field, declared: show(a), live: show(b) });
      };
      changed('name', want.name, have.name);
      changed('mailbox', want.mailbox, have.mailbox, true);
      changed('description', want.description, have.description);
      changed('profile', want.profile, have.profile, true);
      if (want.devices !== undefined && have.devices !== undefined) changed('devices', [...want.devices].sort().join(', '), [...have.devices].sort().join(', '));
      changed('tags', JSON.stringify(userTags(want.tags)), JSON.stringify(userTags(have.tags)));
    }
    for (const [k, want] of desired.profiles) {
      const have = live.profiles.get(k);
      if (!have) {
        findings.push({ resource: 'profile', name: want.name, kind: 'missing' });
        continue;
      }
      for (const [field, value] of Object.entries(want.fields)) {
        if (!same(value, have.fields[field], field === 'timezone' || field === 'locale')) {
          findings.push({ resource: 'profile', name: want.name, kind: 'changed', field, declared: show(value), live: show(have.fields[field]) });
        }
      }
    }
    for (const [k, want] of desired.skillGroups) {
      const have = live.skillGroups.get(k);
      if (!have) findings.push({ resource: 'skill group', name: want.name, kind: 'missing' });
      else if (!same(want.description, have.description)) findings.push({ resource: 'skill group', name: want.name, kind: 'changed', field: 'description', declared: show(want.description), live: show(have.description) });
    }
    if (!options.ignoreUnmanaged) {
      for (const [k, have] of live.rooms) if (!desired.rooms.has(k)) findings.push({ resource: 'room', name: have.name, kind: 'unmanaged', detail: have.arn });
      for (const [k, have] of live.profiles) if (!desired.profiles.has(k)) findings.push({ resource: 'profile', name: have.name, kind: 'unmanaged', detail: have.arn });
      for (const [k, have] of live.skillGroups) if (!desired.skillGroups.has(k)) findings.push({ resource: 'skill group', name: have.name, kind: 'unmanaged', detail: have.arn });
    }
  }

  let mailboxes = 0;
  if (desired.link && graphRead) {
    if (desired.link.method === 'application' && live.consent === false) {
      findings.push({ resource: 'calendar link', name: desired.link.applicationId ?? '', kind: 'consent-missing', detail: 'the A4B app no longer holds Calendars.ReadWrite: an administrator revoked the consent' });
    }
    for (const want of desired.rooms.values()) {
      if (!want.mailbox || live.unknownRooms.has(key(want.name))) continue;
      const mb = live.mailboxes.get(want.mailbox.toLowerCase());
      if (!mb) continue;
      mailboxes++;
      if (!mb.exists) findings.push({ resource: 'room', name: want.name, kind: 'mailbox-missing', field: 'mailbox', declared: want.mailbox, detail: 'no mailbox with this address exists in the tenant' });
      else if (!mb.isRoom) findings.push({ resource: 'room', name: want.name, kind: 'not-a-room', field: 'mailbox', declared: want.mailbox, detail: mb.detail ?? 'the mailbox is no longer a room mailbox' });
      else if (desired.link.method === 'delegate' && !(mb.serviceAccountRole && desired.link.acceptedRoles.includes(mb.serviceAccountRole))) {
        findings.push({ resource: 'room', name: want.name, kind: 'permission-lost', field: 'calendar permission', declared: desired.link.acceptedRoles.join(' | '), live: mb.serviceAccountRole ?? 'none', detail: `${desired.link.serviceAccount} can no longer write the room's calendar` });
      }
    }
  }

  const hasUnknown = findings.some((f) => f.kind === 'unknown');
  const status = live.errors.length || hasUnknown ? 'error' : findings.length ? 'drift' : 'in-sync';
  return {
    status, findings, errors: live.errors,
    checked: { rooms: desired.rooms.size, profiles: desired.profiles.size, skillGroups: desired.skillGroups.size, mailboxes },
  };
}

export function exitCode(report: DriftReport): number {
  return report.status === 'in-sync' ? 0 : report.status === 'drift' ? 2 : 1;
}
