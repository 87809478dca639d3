// Reads the live A4B account and the Office 365 side of its calendar link: A4B list pages of 50 and per-room reads
// only where a list cannot answer (tags), Graph in batches of 20 with at most 4 requests in flight. A read that
// fails is recorded as such (unknown), never as an absence.
import { AlexaForBusinessClient, GetProfileCommand, RoomData } from '@aws-sdk/client-alexa-for-business';
import { listTags } from '../runtime/a4b/client';
import { devicesByRoom, searchDevices, searchProfiles, searchRooms, searchSkillGroups } from '../runtime/a4b/query';
import { DEFAULT_CONSENT_RESOURCES } from '../contract';
import { BatchItem, runBatches } from '../runtime/graph/batch';
import { Graph } from '../runtime/graph/clients';
import { getter, readAccount, readConsent, readMailboxes } from '../runtime/graph/mailboxes';
import { decideConsent } from '../o365/consent';
import { addressesOfEntry, GraphAnswer, mailboxProblem } from '../o365/mailbox';
import { AccountAddresses, CalendarPermission, decidePermission } from '../o365/permissions';
import { profileFromA4b } from '../inventory/a4b-profile';
import { profileFields } from './desired';
import { DesiredState, key, LiveState, MailboxState, ProfileState, RoomState, SkillGroupState } from './model';

export interface LiveReadOptions {
  readonly a4b: AlexaForBusinessClient;
  /** The Graph side, when the desired state has a calendar link. */
  readonly graph?: () => Promise<Graph>;
  /** Per-room A4B reads in flight at once. @default 8 */
  readonly concurrency?: number;
  /** Graph batch requests in flight at once. @default 4 */
  readonly graphConcurrency?: number;
  readonly maxRetryWaitSeconds?: number;
  /** Told how many Graph batch items came back 429 (and were retried). */
  readonly onGraphThrottled?: (items: number) => void;
  /** How a failed read's error is worded in the report. @default its name and message */
  readonly describeError?: (error: unknown) => string;
  /**
   * Called as rooms are read (each room's A4B read, page by page): the rooms read, of those listed (the declared count
   * while A4B is still listing, if more), the reads that failed, and what is still awaited once every room is read.
   */
  readonly onProgress?: (progress: { done: number; total?: number; errors: number; note?: string }) => void;
}

function nameAndMessage(e: unknown): string {
  return `${(e as Error).name}: ${(e as Error).message}`;
}

/** A read started early and awaited later: its failure is handled where it is awaited, not reported as unhandled meanwhile. */
function startedEarly<T>(read: Promise<T>): Promise<T> {
  read.catch(() => undefined);
  return read;
}


export async function readLive(desired: DesiredState, options: LiveReadOptions): Promise<LiveState> {
  const live: LiveState = {
    rooms: new Map(), profiles: new Map(), skillGroups: new Map(), mailboxes: new Map(), unknownRooms: new Map(), errors: [],
  };
  const tally = progressTally(desired, live, options);
  // A4B and Graph are independent: read both at once.
  await Promise.all([
    readA4b(desired, live, options, tally),
    desired.link && options.graph ? readGraph(desired, live, options).finally(() => tally.graphDone()) : Promise.resolve(),
  ]);
  tally.report();
  return live;
}

/** The counts onProgress gets: rooms read from A4B as they come; Graph answers by batches, so it is only awaited. */
function progressTally(desired: DesiredState, live: LiveState, options: LiveReadOptions) {
  let listed = 0;
  let listing = true;
  let read = 0;
  let graphPending = !!(desired.link && options.graph);
  const mailboxes = [...desired.rooms.values()].filter((r) => r.mailbox).length;
  const report = () => {
    if (!options.onProgress) return;
    const total = listing ? Math.max(listed, desired.rooms.size) : listed;
    const note = !listing && read >= listed && graphPending ? `reading ${mailboxes.toLocaleString('en-US')} mailbox${mailboxes === 1 ? '' : 'es'} from Graph` : undefined;
    options.onProgress({ done: read, total, errors: live.unknownRooms.size + live.errors.length, note });
  };
  return {
    report,
    listedPage: (n: number) => { listed += n; report(); },
    listed: () => { listing = false; report(); },
    roomRead: () => { read++; report(); },
    graphDone: () => { graphPending = false; },
  };
}

/** Runs at most `limit` tasks at once; the rest wait their turn. */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    running--;
    queue.shift()?.();
  };
  return (task) => new Promise((resolve, reject) => {
    const start = () => {
      running++;
      task().then(resolve, reject).finally(next);
    };
    if (running < limit) start();
    else queue.push(start);
  });
}

async function readA4b(desired: DesiredState, live: LiveState, options: LiveReadOptions, tally: ReturnType<typeof progressTally>): Promise<void> {
  const a4b = options.a4b;
  const limit = limiter(options.concurrency ?? 8);
  const describe = options.describeError ?? nameAndMessage;
  try {
    const needDevices = [...desired.rooms.values()].some((r) => r.devices !== undefined);
    const devicesRead = startedEarly(needDevices ? searchDevices(a4b).then(devicesByRoom) : Promise.resolve(new Map<string, string[]>()));
    const groupsRead = startedEarly(searchSkillGroups(a4b));
    const profilesRead = startedEarly(searchProfiles(a4b)
      .then((profiles) => Promise.all(profiles.map((p) => limit(() => readProfile(a4b, p.ProfileArn!, p.ProfileName!, live, describe))))));
    // Each room's tags are read as soon as its page arrives, while the next page is fetched.
    const roomReads: Array<Promise<void>> = [];
    const tags = new Map<string, Record<string, string>>();
    const readTags = (r: RoomData) => roomReads.push(limit(async () => {
      try {
        tags.set(r.RoomArn!, Object.fromEntries((await listTags(a4b, r.RoomArn!)).map((t) => [t.Key, t.Value])));
      } catch (e) {
        live.unknownRooms.set(key(r.RoomName!), `A4B ${describe(e)}`);
      }
      tally.roomRead();
    }));
    const rooms = await searchRooms(a4b, undefined, (page) => {
      tally.listedPage(page.length);
      page.forEach(readTags);
    });
    tally.listed();
    await Promise.all(roomReads);
    const devices = await devicesRead;
    for (const r of rooms) {
      const roomTags = tags.get(r.RoomArn!);
      if (!roomTags) continue;
      live.rooms.set(key(r.RoomName!), {
        name: r.RoomName!, mailbox: r.ProviderCalendarId || undefined, description: r.Description, profile: r.ProfileName, arn: r.RoomArn,
        devices: needDevices ? devices.get(r.RoomArn!) ?? [] : undefined,
        tags: roomTags,
      } satisfies RoomState);
    }
    await profilesRead;
    for (const g of await groupsRead) {
      const group: SkillGroupState = { name: g.SkillGroupName!, description: g.Description, arn: g.SkillGroupArn };
      live.skillGroups.set(key(group.name), group);
    }
  } catch (e) {
    live.errors.push(`A4B: listing the account failed (${describe(e)}); nothing can be said about A4B`);
  }
}

async function readProfile(a4b: AlexaForBusinessClient, arn: string, name: string, live: LiveState, describe: (e: unknown) => string): Promise<void> {
  try {
    const { Profile } = await a4b.send(new GetProfileCommand({ ProfileArn: arn }));
    live.profiles.set(key(name), { name, arn, fields: profileFields(profileFromA4b(Profile ?? {})) } satisfies ProfileState);
  } catch (e) {
    live.errors.push(`A4B: reading profile ${name} failed (${describe(e)})`);
  }
}

async function readGraph(desired: DesiredState, live: LiveState, options: LiveReadOptions): Promise<void> {
  const link = desired.link!;
  let graph: Graph;
  try {
    graph = await options.graph!();
    await graph.credential.getToken('https://graph.microsoft.com/.default');
  } catch (e) {
    live.errors.push(`Graph: no token (${options.describeError ? options.describeError(e) : (e as Error).message.split('\n')[0]}); nothing can be said about Office 365`);
    return;
  }
  const withMailbox = [...desired.rooms.values()].filter((r) => r.mailbox);
  const batch = (items: BatchItem[]) => runBatches(items, (body) => graph.client.api('/$batch').post(body), {
    concurrency: options.graphConcurrency ?? 4, maxWaitSeconds: options.maxRetryWaitSeconds, onThrottled: options.onGraphThrottled,
  });
  const get = getter(graph.client);
  try {
    // The same reads and the same classifier as the calendar link's check (lib/o365): a room is a room by its
    // mailboxSettings, not by places, which lags by up to ~48 h.
    let account: AccountAddresses | undefined;
    if (link.method === 'delegate') {
      const a = await readAccount(link.serviceAccount!, get);
      // Without its proxy addresses (User.ReadBasic.All reads none), a permission listed under an alias would read as
      // lost: nothing is claimed about Office 365 rather than a false drift.
      if (a.entry && !Array.isArray(a.entry.proxyAddresses)) {
        throw new Error(`the service account ${a.entry.userPrincipalName} came back without proxyAddresses: the Graph app reads users with User.ReadBasic.All only; give it the application permission User.Read.All`);
      }
      if (a.entry) account = { own: addressesOfEntry(a.entry), groups: a.groups };
      else if (a.lookup.status !== 200) throw new Error(`looking up the service account ${link.serviceAccount}: Graph ${a.lookup.status} ${a.lookup.body?.error?.code ?? ''}`);
      // An account that no longer exists: every room's permission is lost.
      else account = { own: [link.serviceAccount!.toLowerCase()], groups: [] };
    }
    const reads = await readMailboxes(withMailbox.map((r) => r.mailbox!), batch, link.method === 'delegate');
    withMailbox.forEach((r, i) => {
      const { class: c, permissions } = reads[i];
      const unknown = (res: GraphAnswer | undefined, what: string) => live.unknownRooms.set(key(r.name), `Graph ${res?.status ?? 'no answer'} ${res?.body?.error?.code ?? ''} for ${r.mailbox} (${what})`.replace(/ +/g, ' '));
      let state: MailboxState;
      if (c.kind === 'unknown') return unknown(c.answer, c.read);
      if (c.kind === 'missing') state = { exists: false, isRoom: false };
      else if (c.kind !== 'room') state = { exists: true, isRoom: false, detail: mailboxProblem(c, r.mailbox!, link.tenant)?.problem };
      else if (link.method === 'delegate') {
        if (permissions?.status !== 200) return unknown(permissions, 'calendar permissions');
        const d = decidePermission((permissions.body?.value ?? []) as CalendarPermission[], account!, link.acceptedRoles);
        const own = (permissions.body?.value ?? []).find((x: any) => account!.own.includes(String(x.emailAddress?.address ?? '').toLowerCase()));
        state = { exists: true, isRoom: true, serviceAccountRole: d.kind === 'ok' ? d.role : own?.role };
      } else state = { exists: true, isRoom: true };
      live.mailboxes.set(r.mailbox!.toLowerCase(), state);
      return undefined;
    });
    if (link.method === 'application') {
      const c = await readConsent(link.applicationId!, link.consentResources ?? DEFAULT_CONSENT_RESOURCES, get);
      if (c.failed) throw new Error(`reading ${c.failed.what}: Graph ${c.failed.answer.status} ${c.failed.answer.body?.error?.code ?? ''}`);
      (live as { consent?: boolean }).consent = !!c.app && decideConsent(c.assignments, c.resources).kind === 'ok';
    }
  } catch (e) {
    live.errors.push(`Graph: reading failed (${options.describeError ? options.describeError(e) : (e as Error).message}); nothing can be said about Office 365`);
  }
}
