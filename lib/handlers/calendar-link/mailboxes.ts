import { BatchItem, BatchResult } from './batch';

/** What Graph answered about one mailbox; a read not made (not needed) is undefined. */
export interface MailboxReads {
  /** `GET /places/{mailbox}`: 200 for a room, 404 for anything else. */
  readonly place?: BatchResult;
  /** `GET /users/{mailbox}`, only when it is not a room: does it exist at all. */
  readonly user?: BatchResult;
  /** `GET /users/{mailbox}/calendar/calendarPermissions`, only for rooms and only when asked. */
  readonly permissions?: BatchResult;
}

/**
 * Reads each mailbox as the calendar link's check and drift both need it, one `$batch` item per mailbox and read,
 * so N mailboxes cost ⌈N/20⌉ requests per read. The answers are in the order of `mailboxes`.
 */
export async function readMailboxes(mailboxes: readonly string[], batch: (items: BatchItem[]) => Promise<Map<string, BatchResult>>,
  withPermissions: boolean): Promise<MailboxReads[]> {
  const get = (indexes: number[], url: (mailbox: string) => string) => (indexes.length
    ? batch(indexes.map((i) => ({ id: String(i), method: 'GET' as const, url: url(encodeURIComponent(mailboxes[i])) })))
    : Promise.resolve(new Map<string, BatchResult>()));
  const all = mailboxes.map((_, i) => i);
  const places = await get(all, (m) => `/places/${m}`);
  const status = (i: number) => places.get(String(i))?.status;
  const users = await get(all.filter((i) => status(i) === 404), (m) => `/users/${m}`);
  const permissions = withPermissions ? await get(all.filter((i) => status(i) === 200), (m) => `/users/${m}/calendar/calendarPermissions`) : new Map<string, BatchResult>();
  return all.map((i) => ({ place: places.get(String(i)), user: users.get(String(i)), permissions: permissions.get(String(i)) }));
}
