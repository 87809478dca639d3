// Is this address a room mailbox? Decided from the mailbox itself, never from places: pure, shared by the calendar
// link's check, `a4b-rooms check` and drift.
//
// Sources:
// - mailboxSettings.userPurpose is "user, linked, shared, room, equipment, others" (Graph v1.0, resources/mailboxsettings.md);
//   read with MailboxSettings.Read (api/user-get-mailboxsettings.md). A user without an Exchange Online mailbox, or
//   whose mailbox is inactive, soft-deleted or hosted on-premises, answers 404 MailboxNotEnabledForRESTAPI (microsoft-
//   graph-docs #5888, #6305) "The mailbox is either inactive, soft-deleted, or is hosted on-premise." (the message as
//   Graph gives it: microsoft/MicrosoftCloud#41, msgraph-sdk-javascript#1756): one answer for all of them, so a
//   finding names them all and the command that tells them apart.
// - /places lags: a new room takes up to ~48 h to be listed (microsoft-graph-docs #7192, #15460, #20558), a room hidden
//   from the address list is never listed, sovereign clouds have no places API. So places is detail only.
// - A room list answers /places/{address} with "@odata.type": "#microsoft.graph.roomList" (api/place-get.md, example 2);
//   it is a distribution group, not a user, so /users never finds it.
// - /users/{id | userPrincipalName} does not take an SMTP address ("UPN != email address", maintainer answer in
//   microsoft-graph-docs #3979): an address is resolved with $filter on mail, userPrincipalName or proxyAddresses.

/** One Graph answer: its status and body, as a `$batch` item gives it. */
export interface GraphAnswer {
  readonly status: number;
  readonly body?: any;
}

/** The directory object an address resolved to. */
export interface DirectoryEntry {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly mail?: string | null;
  readonly proxyAddresses?: string[] | null;
  readonly accountEnabled?: boolean | null;
}

/** What Graph answered about one address; a read not made is undefined. */
export interface MailboxAnswers {
  /** `GET /users?$filter=mail eq ... or userPrincipalName eq ... or proxyAddresses/any(...)`. */
  readonly lookup?: GraphAnswer;
  /** `GET /users/{id}/mailboxSettings`, when the address resolved. */
  readonly settings?: GraphAnswer;
  /** `GET /places/{address}`, when the address did not resolve to a user (is it a room list?). */
  readonly place?: GraphAnswer;
  /** `GET /places/{address}/microsoft.graph.roomlist/rooms`, for a room list. */
  readonly roomListRooms?: GraphAnswer;
}

export type MailboxClass =
  | { readonly kind: 'room'; readonly entry: DirectoryEntry }
  /**
   * A mailbox, but not a room: purpose is userPurpose (user, shared, equipment, ...) or `no mailbox` (none Graph can
   * reach: `graphMessage` is what Graph said).
   */
  | { readonly kind: 'not-a-room'; readonly entry: DirectoryEntry; readonly purpose: string; readonly graphMessage?: string }
  | { readonly kind: 'room-list'; readonly displayName?: string; readonly rooms?: string[] }
  | { readonly kind: 'missing' }
  /** A read failed: nothing can be said. `read` names it. */
  | { readonly kind: 'unknown'; readonly read: string; readonly answer?: GraphAnswer };

/** The `$filter` that finds a recipient by any of its addresses (user resource: mail, userPrincipalName and proxyAddresses take `eq`). */
export function addressFilter(address: string): string {
  const q = address.replace(/'/g, "''");
  return `mail eq '${q}' or userPrincipalName eq '${q}' or proxyAddresses/any(x:x eq 'smtp:${q}')`;
}

export const LOOKUP_SELECT = 'id,userPrincipalName,mail,proxyAddresses,accountEnabled';

/** The lookup's object, if exactly one; undefined when none. */
export function entryOf(lookup: GraphAnswer | undefined): DirectoryEntry | undefined {
  const found = (lookup?.body?.value ?? []) as DirectoryEntry[];
  return found[0];
}

/** Every SMTP address of an entry and its UPN, lower-cased. */
export function addressesOfEntry(e: DirectoryEntry): string[] {
  // Stryker disable next-line ArrayDeclaration: whatever the fallback holds goes through the smtp: filter, and Stryker's text has no smtp: prefix
  const proxies = (e.proxyAddresses ?? []).filter((p) => /^smtp:/i.test(p)).map((p) => p.slice(5));
  const all = [e.userPrincipalName, e.mail ?? undefined, ...proxies];
  return [...new Set(all.filter((a): a is string => !!a).map((a) => a.toLowerCase()))];
}

/** Which reads are still needed for an address given what is known so far. */
export function nextReads(a: MailboxAnswers): Array<'settings' | 'place' | 'roomListRooms'> {
  if (!a.lookup || a.lookup.status !== 200) return [];
  const entry = entryOf(a.lookup);
  if (entry) return a.settings ? [] : ['settings'];
  if (!a.place) return ['place'];
  if (a.place.status === 200 && isRoomList(a.place.body) && !a.roomListRooms) return ['roomListRooms'];
  return [];
}

function isRoomList(body: any): boolean {
  // No type is String(undefined), 'undefined': not a room list.
  return String(body?.['@odata.type']).toLowerCase() === '#microsoft.graph.roomlist';
}

/** The classification, once nextReads has nothing left to read. */
export function classifyMailbox(a: MailboxAnswers): MailboxClass {
  if (a.lookup?.status !== 200) return { kind: 'unknown', read: 'looking the address up (/users $filter)', answer: a.lookup };
  const entry = entryOf(a.lookup);
  if (entry) {
    const s = a.settings;
    if (s?.status === 200) {
      const purpose = String(s.body?.userPurpose ?? '');
      if (purpose.toLowerCase() === 'room') return { kind: 'room', entry };
      if (!purpose) return { kind: 'unknown', read: 'the mailbox settings (no userPurpose)', answer: s };
      return { kind: 'not-a-room', entry, purpose };
    }
    // unreachableMailbox read s.body.error.code: all three are there.
    if (unreachableMailbox(s)) return { kind: 'not-a-room', entry, purpose: 'no mailbox', ...(s!.body.error.message ? { graphMessage: String(s!.body.error.message) } : {}) };
    return { kind: 'unknown', read: 'the mailbox settings (/users/{id}/mailboxSettings)', answer: s };
  }
  const p = a.place;
  if (!p) return { kind: 'unknown', read: 'places (/places/{address})' };
  if (p.status === 404) return { kind: 'missing' };
  if (p.status === 200 && isRoomList(p.body)) {
    const rooms = a.roomListRooms?.status === 200
      ? (a.roomListRooms.body?.value ?? []).map((r: any) => String(r.emailAddress ?? r.displayName))
      : undefined;
    return { kind: 'room-list', displayName: p.body.displayName, rooms };
  }
  // Places knows a room that /users does not: not documented to happen; say what was seen.
  if (p.status === 200) return { kind: 'unknown', read: 'the directory (places lists it, /users does not find it)', answer: p };
  return { kind: 'unknown', read: 'places (/places/{address})', answer: p };
}

/** Graph's answer for an account with no Exchange Online mailbox it can reach. */
export function unreachableMailbox(a: GraphAnswer | undefined): boolean {
  return a?.status === 404 && a.body?.error?.code === 'MailboxNotEnabledForRESTAPI';
}

/**
 * What MailboxNotEnabledForRESTAPI means, with Graph's own words when it gave them. Graph words every case the same;
 * what tells one apart is the account's mail: Exchange sets it for a mailbox (user resource: mail), so an account
 * without one never had a mailbox, while an inactive, soft-deleted or on-premises mailbox keeps its address.
 */
export function unreachableWhy(graphMessage: string | undefined, entry: Pick<DirectoryEntry, 'mail'>): string {
  const said = `Graph answers 404 MailboxNotEnabledForRESTAPI${graphMessage ? ` ("${graphMessage}")` : ''}`;
  return entry.mail ? `${said}: its mailbox (${entry.mail}) is inactive, soft-deleted or hosted on-premises, or has no Exchange Online license`
    : `${said}, and the account has no mail address: it has no Exchange Online mailbox at all`;
}

/** Each case's fix, and how to tell them apart when the account has a mail address; `create` makes a missing mailbox. */
export function unreachableFix(address: string, entry: Pick<DirectoryEntry, 'mail'>, create: string): string {
  if (!entry.mail) return create;
  return `find which with Get-Mailbox ${address} in Exchange Online PowerShell: -SoftDeletedMailbox finds a soft-deleted one (restore it: Undo-SoftDeletedMailbox), -InactiveMailboxOnly an inactive one (restore its content to a new mailbox: New-MailboxRestoreRequest), `
    + `Get-RemoteMailbox in Exchange on-premises one hosted there (move it to Exchange Online: New-MoveRequest -Remote); an unlicensed one: assign an Exchange Online license; none at all: ${create}`;
}

/** A problem and its fix for a class that is not a room; undefined for a room or an unknown read. */
export function mailboxProblem(c: MailboxClass, mailbox: string, tenant: string): { problem: string; fix: string } | undefined {
  switch (c.kind) {
    case 'missing':
      return { problem: `there is no mailbox with this address in tenant ${tenant} (not a user's UPN, primary SMTP or proxy address)`, fix: 'create the room mailbox (New-Mailbox -Room), or correct the address' };
    case 'room-list': {
      const rooms = c.rooms === undefined ? '' : c.rooms.length ? `; it holds ${c.rooms.slice(0, 10).join(', ')}${c.rooms.length > 10 ? ` and ${c.rooms.length - 10} more` : ''}` : '; it lists no rooms';
      return { problem: `this is a room list${c.displayName ? ` (${c.displayName})` : ''}, not a room${rooms}`, fix: "use one room's mailbox per A4B room" };
    }
    case 'not-a-room':
      if (c.purpose === 'no mailbox') {
        return { problem: `this account has no room mailbox Graph can reach: ${unreachableWhy(c.graphMessage, c.entry)}`, fix: unreachableFix(mailbox, c.entry, 'create the room mailbox (New-Mailbox -Room), or correct the address') };
      }
      // "an equipment", "an others", but "a user": no userPurpose starts with a u sounded as a vowel.
      return { problem: `this is ${/^[aeio]/i.test(c.purpose) ? 'an' : 'a'} ${c.purpose} mailbox (userPurpose ${c.purpose}), not a room mailbox`, fix: `use the room's resource mailbox, or convert it with Set-Mailbox ${mailbox} -Type Room` };
    // Stryker disable next-line ConditionalExpression: an empty default falls out of the switch, which returns undefined too
    default:
      return undefined;
  }
}
