// The inventory as the commands that go to Office 365 (`check`, `test-booking`) read it: valid, with a calendar
// link, and its rooms that have a mailbox.
import { Inventory, InventoryCalendarLink } from '../inventory/model';
import { parseInventoryFile } from '../inventory/parse';
import { validateInventory } from '../inventory/validate';

export interface LinkedInventory {
  readonly inventory: Inventory;
  readonly link: InventoryCalendarLink;
  readonly rooms: Array<{ name: string; mailbox: string }>;
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
  return { inventory, link, rooms };
}
