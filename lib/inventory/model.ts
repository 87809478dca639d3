// The declarative room inventory: what a rooms.yaml (or .json) holds once parsed and checked. Pure types.
import { InventoryCalendarLink, InventoryDocument } from './document';

export type {
  InventoryCalendarLink, InventoryDocument, InventoryEndOfMeetingReminder, InventoryInstantBooking, InventoryMeetingRoom,
  InventoryProactiveJoin, InventoryProfile, InventoryRequireCheckIn, InventoryRoom, InventorySkillGroup,
} from './document';

/** A checked calendar link: its method is one of the two. */
export interface CheckedCalendarLink extends InventoryCalendarLink {
  readonly method: 'delegate' | 'application';
}

/** The checked inventory, as the library's code reads it: its values are the allowed ones. */
export interface Inventory extends InventoryDocument {
  readonly calendarLink?: CheckedCalendarLink;
}
