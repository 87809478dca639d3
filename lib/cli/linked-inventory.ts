// The declaration as the commands that go to Office 365 (`check`, `test-booking`) read it: an inventory file (valid)
// or a CDK app's cloud assembly, with a calendar link, and its rooms that have a mailbox.
import { desiredFromAssembly } from './desired-assembly';
import { isSystemTag } from '../contract';
import { CheckedCalendarLink, Inventory } from '../inventory/model';
import { parseInventoryFile } from '../inventory/parse';
import { validateInventory } from '../inventory/validate';

export interface LinkedInventory {
  /** The inventory, when the declaration is a file. */
  readonly inventory?: Inventory;
  readonly link: CheckedCalendarLink;
  readonly rooms: Array<{ name: string; mailbox: string }>;
  /** Each room's profile and own tags (lower-cased name), what the HTML report charts and filters by. */
  readonly groups: Map<string, Record<string, string>>;
}

function groupsOf(rooms: ReadonlyArray<{ name: string; profile?: string; tags?: Record<string, string> }>, common: Record<string, string> = {}) {
  return new Map(rooms.map((r) => [r.name.toLowerCase(), {
    ...(r.profile ? { profile: r.profile } : {}), ...Object.fromEntries(Object.entries({ ...common, ...r.tags }).filter(([k]) => !isSystemTag(k))),
  }]));
}

/** Throws with every problem of the file, or when it has no calendar link for the command to `verb`. */
export function readLinkedInventory(file: string, verb: string): LinkedInventory {
  const parsed = parseInventoryFile(file);
  const problems = validateInventory(parsed);
  if (problems.length) throw new Error(`${problems.length} problem${problems.length > 1 ? 's' : ''} in ${file}; fix them first (a4b-rooms validate):\n${problems.join('\n')}`);
  const inventory = parsed.inventory;
  const link = inventory.calendarLink;
  if (!link) throw new Error(`${file} has no calendarLink: there is no Office 365 side to ${verb}`);
  const rooms = (inventory.rooms ?? []).filter((r) => r.mailbox).map((r) => ({ name: r.name, mailbox: r.mailbox! }));
  return { inventory, link, rooms, groups: groupsOf(inventory.rooms ?? [], inventory.tags) };
}

/** The same from a synthesized cloud assembly (`--app`): the calendar link and the rooms of every stack. */
export function readLinkedAssembly(dir: string, verb: string): LinkedInventory {
  const desired = desiredFromAssembly(dir);
  const l = desired.link;
  if (!l) throw new Error(`the app (${dir}) has no Office365CalendarLink: there is no Office 365 side to ${verb}`);
  const link: CheckedCalendarLink = {
    tenantId: l.tenant, method: l.method, serviceAccount: l.serviceAccount, applicationId: l.applicationId, credentialsSecret: l.credentialsSecret,
    grantMissingPermissions: l.grantMissingPermissions, acceptedRoles: l.acceptedRoles, consentResources: l.consentResources,
  };
  const rooms = [...desired.rooms.values()].filter((r) => r.mailbox).map((r) => ({ name: r.name, mailbox: r.mailbox! }));
  return { link, rooms, groups: groupsOf([...desired.rooms.values()]) };
}

/** A file or an assembly: what `check` and `test-booking` were given. */
export function readLinked(source: { readonly inventoryFile?: string; readonly assemblyDir?: string }, verb: string): LinkedInventory {
  if (source.assemblyDir) return readLinkedAssembly(source.assemblyDir, verb);
  return readLinkedInventory(source.inventoryFile ?? 'rooms.yaml', verb);
}
