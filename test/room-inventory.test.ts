import * as fs from 'fs';
import * as path from 'path';
import { App, NestedStack, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Room, RoomInventory, RoomProfile, SkillGroup } from '../lib';
import { inventoryProblems } from '../lib/inventory/validate';
import { shardOf } from '../lib/inventory/sharding';
import { tempDir } from './helpers';

function inventory(roomNames: string[]) {
  return {
    calendarLink: { tenantId: 'contoso.onmicrosoft.com', method: 'delegate', serviceAccount: 'a4b@contoso.onmicrosoft.com', credentialsSecret: 'a4b/graph' },
    profiles: [{ name: 'Std', address: '1 Main St', timezone: 'UTC' }],
    skillGroups: [{ name: 'Conferencing' }],
    rooms: roomNames.map((name) => ({ name, mailbox: `room${name.replace(/\W/g, '').toLowerCase()}@contoso.onmicrosoft.com`, profile: 'Std', skillGroups: ['Conferencing'], tags: { n: name.slice(-1) } })),
  };
}

/** Synthesizes an inventory; returns every template (parent and shards) by file name. */
function synthesize(inv: object): Record<string, any> {
  const outdir = tempDir('a4b-inv-');
  const app = new App({ outdir });
  new RoomInventory(new Stack(app, 'Rooms'), 'Inventory', { inventory: inv });
  app.synth();
  return Object.fromEntries(fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).map((f) => [f, JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8'))]));
}

const names = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => `Room ${String(i + offset).padStart(5, '0')}`);
/** Templates by masked file name (a nested template's file name holds its content hash). */
const byFile = (t: Record<string, any>) =>
  Object.fromEntries(Object.entries(t).map(([f, x]) => [maskHashes(f), x]).sort(([a], [b]) => (a < b ? -1 : 1)));
/** Content hashes (asset hashes in file names and S3 keys, the mailbox gate's hash) replaced by one placeholder. */
const maskHashes = (text: string) => text.replace(/\b[0-9a-fA-F]{64}\b/g, '<hash>').replace(/"Checked":"[\w-]+"/g, '"Checked":"<hash>"').replace(/[0-9A-F]{8}(\.nested\.template\.json)/g, '<id>$1');
const roomsIn = (t: any) => Object.values<any>(t.Resources).filter((r) => r.Type === 'Custom::A4BRoom').map((r) => r.Properties.RoomName);

describe('RoomInventory', () => {
  test('link and gate in the stack; profiles, skill groups, checks and rooms in nested stacks; every mailbox checked before any A4B write', () => {
    const templates = synthesize(inventory(names(40)));
    const parent = templates['Rooms.template.json'];
    const types = Object.values<any>(parent.Resources).map((r) => r.Type);
    expect(types.filter((t) => t === 'Custom::A4BCalendarLink')).toHaveLength(1);
    expect(types.filter((t) => /^Custom::A4B(Room|RoomProfile|SkillGroup)$/.test(t))).toEqual([]);
    const nested = (part: string) => Object.entries(templates).filter(([f]) => f.includes(part));
    expect(nested('Profiles').flatMap(([, t]) => Object.values<any>(t.Resources)).filter((r) => r.Type === 'Custom::A4BRoomProfile')).toHaveLength(1);
    expect(nested('SkillGroups').flatMap(([, t]) => Object.values<any>(t.Resources)).filter((r) => r.Type === 'Custom::A4BSkillGroup')).toHaveLength(1);
    const shards = nested('Shard');
    expect(shards.length).toBe(new Set(names(40).map((n) => shardOf(n, 32))).size);
    // Rooms name their profile and skill groups (resolved at deploy time): a shard takes no parameter but the provider's.
    for (const [, t] of shards) {
      expect(Object.keys(t.Parameters)).toHaveLength(1);
      for (const r of Object.values<any>(t.Resources).filter((x) => x.Type === 'Custom::A4BRoom')) {
        expect(r.Properties).toMatchObject({ ProfileName: 'Std', SkillGroupNames: ['Conferencing'] });
        expect(r.Properties.ProfileArn).toBeUndefined();
      }
    }
    // One check per shard, in nested stacks of four shards each, side by side (none waits for another), each
    // recording its bad rooms; they cover exactly the shard's rooms.
    const validations = nested('MailboxChecks').flatMap(([, t]) => Object.entries<any>(t.Resources).filter(([, r]) => r.Type === 'Custom::A4BCalendarLink'));
    expect(validations).toHaveLength(shards.length);
    expect(validations.filter(([, r]) => r.DependsOn)).toEqual([]);
    expect(validations.filter(([, r]) => r.Properties.RecordFindings !== true)).toEqual([]);
    for (const [file, t] of shards) {
      const id = /Shard(\d\d)/.exec(file)!;
      const check = validations.find(([vid]) => vid === id[0])![1];
      expect(check.Properties.Rooms.map((r: any) => r.Name).sort()).toEqual(roomsIn(t).sort());
      expect(nested(`MailboxChecks${Math.floor(Number(id[1]) / 4)}`).some(([, c]) => Object.values(c.Resources).includes(check))).toBe(true);
    }
    // One gate after every check, in the parent: it takes each check's findings from its nested stack's outputs.
    const gates = Object.entries<any>(parent.Resources).filter(([, r]) => r.Type === 'Custom::A4BMailboxCheckGate');
    expect(gates).toHaveLength(1);
    const [gateId, gate] = gates[0];
    expect(gate.Properties.Checks.map((c: any) => c.Name)).toEqual(validations.map(([id]) => id));
    for (const c of gate.Properties.Checks) expect(c.Findings['Fn::GetAtt'][1]).toMatch(/^Outputs\./);
    expect(gate.Properties.Header).toBe('calendar link (tenant contoso.onmicrosoft.com, delegate a4b@contoso.onmicrosoft.com)');
    expect(gate.Properties.Checked).toMatch(/^[\w-]{43}$/);
    // The profiles, the skill groups and every shard wait for the gate; the checks wait for the deletion guard.
    const guardId = Object.entries<any>(parent.Resources).find(([, r]) => r.Type === 'Custom::A4BRoomDeletionGuard')![0];
    for (const [id, r] of Object.entries<any>(parent.Resources).filter(([, x]) => x.Type === 'AWS::CloudFormation::Stack')) {
      expect(r.DependsOn).toContain(id.includes('MailboxChecks') ? guardId : gateId);
      // Every shard waits for the profiles and for the skill groups its rooms name.
      if (id.includes('Shard')) expect(r.DependsOn.filter((d: string) => /Profiles|SkillGroups/.test(d))).toHaveLength(2);
    }
  });

  test('the rooms, profiles and skill groups it made are reachable, in name order; roomByName matches names as A4B and the rules do', () => {
    const stack = new Stack(new App(), 'Rooms');
    const inv = new RoomInventory(stack, 'Inventory', {
      inventory: {
        profiles: [{ name: 'Std', address: '1 Main St', timezone: 'UTC' }, { name: 'Big', address: '2 Main St', timezone: 'UTC' }],
        skillGroups: [{ name: 'Conferencing' }],
        rooms: [{ name: 'Spree', profile: 'Std' }, { name: 'Caf\u0065\u0301', profile: 'Big', skillGroups: ['Conferencing'] }, { name: 'Alster', profile: 'Std' }],
      },
    });
    expect(inv.rooms.map((r) => r.roomName)).toEqual(['Alster', 'Caf\u0065\u0301', 'Spree']);
    expect(inv.rooms.every((r) => Room.isRoom(r))).toBe(true);
    expect(inv.profiles.map((p) => p.roomProfileName)).toEqual(['Big', 'Std']);
    expect(inv.skillGroups.map((g) => g.skillGroupName)).toEqual(['Conferencing']);
    // The constructs themselves: a tag added to one reaches its template.
    Tags.of(inv.roomByName('spree')!).add('team', 'ops');
    expect(inv.roomByName(' SPREE ')).toBe(inv.rooms[2]);
    expect(inv.roomByName('Caf\u00e9')).toBe(inv.rooms[1]);
    expect(inv.roomByName('Elbe')).toBeUndefined();
    const shard = Stack.of(inv.rooms[2]);
    expect(Object.values<any>(Template.fromStack(shard).findResources('Custom::A4BRoom')).find((r) => r.Properties.RoomName === 'Spree').Properties.Tags)
      .toEqual([{ Key: 'team', Value: 'ops' }]);
  });

  test('the calendar link\'s console step is a stack output only with consoleStepOutput; calendarLink.consoleStep has it either way', () => {
    const outputs = (consoleStepOutput?: boolean) => {
      const stack = new Stack(new App(), 'Rooms');
      const inv = new RoomInventory(stack, 'Inventory', { inventory: inventory(['A']), consoleStepOutput });
      const values = Object.values<any>(Template.fromStack(stack).toJSON().Outputs ?? {}).map((o) => o.Value);
      return { step: inv.calendarLink!.consoleStep, outputs: values };
    };
    const step = 'In the A4B console choose Calendar > Office 365 > Service account using delegate access > Link account, sign in as a4b@contoso.onmicrosoft.com and accept the user consent.';
    expect(outputs()).toEqual({ step, outputs: [] });
    expect(outputs(true)).toEqual({ step, outputs: [step] });
  });

  test('a shard writes its rooms in waves: each room waits for the barrier of the wave before it, each barrier for its wave', () => {
    const templates = synthesize(inventory(names(2000)));
    for (const [file, t] of Object.entries(templates).filter(([f]) => f.includes('Shard'))) {
      const resources = Object.entries<any>(t.Resources);
      const barriers = resources.filter(([, r]) => r.Type === 'AWS::CloudFormation::WaitConditionHandle').map(([id]) => id);
      expect(barriers.length).toBeGreaterThan(10);
      const waveOfRoom = new Map<string, number>();
      for (const [id, r] of resources.filter(([, x]) => x.Type === 'Custom::A4BRoom')) {
        const before = (r.DependsOn ?? []).filter((d: string) => barriers.includes(d));
        expect(before.length).toBeLessThanOrEqual(1);
        waveOfRoom.set(id, before.length ? barriers.indexOf(before[0]) + 1 : 0);
      }
      // Barrier w waits for exactly the rooms of wave w and for barrier w-1: the rooms in flight at once are one wave's.
      barriers.forEach((b, w) => {
        const deps = (t.Resources[b].DependsOn ?? []) as string[];
        expect(deps.filter((d) => barriers.includes(d))).toEqual(w ? [barriers[w - 1]] : []);
        expect(deps.filter((d) => !barriers.includes(d)).sort()).toEqual([...waveOfRoom].filter(([, rw]) => rw === w).map(([id]) => id).sort());
      });
      const sizes = [...waveOfRoom.values()].reduce((m, w) => m.set(w, (m.get(w) ?? 0) + 1), new Map<number, number>());
      expect(Math.max(...sizes.values())).toBeLessThan(waveOfRoom.size / 4);
      void file;
    }
  });

  test("the gate's Checked hash is stable across synths and changes with any check's rooms", () => {
    const gateOf = (templates: Record<string, any>) => Object.values<any>(templates['Rooms.template.json'].Resources)
      .find((r) => r.Type === 'Custom::A4BMailboxCheckGate').Properties.Checked;
    const base = gateOf(synthesize(inventory(names(40))));
    expect(gateOf(synthesize(inventory([...names(40)].reverse())))).toBe(base);
    expect(gateOf(synthesize(inventory(names(41))))).not.toBe(base);
    const readdressed = inventory(names(40));
    readdressed.rooms[7].mailbox = 'elsewhere@contoso.onmicrosoft.com';
    expect(gateOf(synthesize(readdressed))).not.toBe(base);
    expect(gateOf(synthesize({ ...inventory(names(40)), calendarLink: { ...inventory([]).calendarLink, serviceAccount: 'other@contoso.onmicrosoft.com' } }))).not.toBe(base);
  });

  test('2,000 rooms: every template under 500 resources and 1 MB; one provider function for all shards', () => {
    const templates = synthesize(inventory(names(2000)));
    let rooms = 0;
    for (const [file, t] of Object.entries(templates)) {
      expect(Object.keys(t.Resources).length).toBeLessThanOrEqual(500);
      expect(Buffer.byteLength(JSON.stringify(t))).toBeLessThan(1024 * 1024);
      rooms += roomsIn(t).length;
      if (file.includes('Shard')) expect(Object.values<any>(t.Resources).filter((r) => r.Type === 'AWS::Lambda::Function')).toHaveLength(0);
    }
    expect(rooms).toBe(2000);
    expect(Object.values<any>(templates['Rooms.template.json'].Resources).filter((r) => r.Type === 'AWS::Lambda::Function')).toHaveLength(2);
  });

  test('sharding is stable: adding, removing and reordering rooms changes only the shards that hold them', () => {
    const base = names(2000);
    const before = synthesize(inventory(base));
    const shardFiles = (t: Record<string, any>) => Object.fromEntries(Object.entries(t).filter(([f]) => f.includes('Shard')));
    const changed = (a: Record<string, any>, b: Record<string, any>) => Object.keys({ ...shardFiles(a), ...shardFiles(b) })
      .filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
    const shardFileOf = (name: string) => Object.keys(shardFiles(before)).find((f) => roomsIn(before[f]).includes(name));

    const added = synthesize(inventory([...base, 'Room 99999']));
    const newShard = `Shard${String(shardOf('Room 99999', 32)).padStart(2, '0')}`;
    expect(changed(before, added)).toEqual(Object.keys(added).filter((f) => f.includes(newShard)));

    // cdk diff shows the new room and no other: only it and its wave's barrier differ in its shard.
    const file = Object.keys(added).find((f) => f.includes(newShard))!;
    const differs = Object.keys(added[file].Resources)
      .filter((id) => JSON.stringify(added[file].Resources[id]) !== JSON.stringify(before[file].Resources[id]));
    expect(differs.map((id) => added[file].Resources[id].Type).sort()).toEqual(['AWS::CloudFormation::WaitConditionHandle', 'Custom::A4BRoom']);

    const removed = synthesize(inventory(base.filter((n) => n !== 'Room 01234')));
    expect(changed(before, removed)).toEqual([shardFileOf('Room 01234')]);

    const reordered = synthesize(inventory([...base].reverse()));
    expect(changed(before, reordered)).toEqual([]);
    // The rooms' logical ids stay: CloudFormation would replace a room whose id changed.
    const ids = (t: Record<string, any>) => Object.values(shardFiles(t)).flatMap((x) => Object.keys(x.Resources)).sort();
    expect(ids(reordered)).toEqual(ids(before));
  });

  test('a new skill group or profile changes its own nested stack and no shard', () => {
    const base = inventory(names(500));
    const before = synthesize(base);
    const changed = (after: Record<string, any>) => Object.keys(after).filter((f) => JSON.stringify(after[f]) !== JSON.stringify(before[f])).map((f) => f.replace(/[0-9A-F]{8}\.nested\.template\.json$/, ''));
    const grown = synthesize({ ...base, skillGroups: [...base.skillGroups, { name: 'Whiteboards' }], profiles: [...base.profiles, { name: 'Annex', address: '2 Main St', timezone: 'UTC' }] });
    // The parent changes only where the new skill group's stack is new to it; no shard nor check changes.
    expect(changed(grown).filter((f) => /Shard|MailboxChecks/.test(f))).toEqual([]);
    expect(changed(grown).filter((f) => /Profiles|SkillGroups/.test(f)).length).toBeGreaterThanOrEqual(2);
  });

  test('a name written in NFD keeps the logical id, shard and wave of its NFC spelling: only the names differ', () => {
    // Every name and reference in NFC, then in NFD ('é' as 'e' + U+0301): a user's editor may save either.
    const spelled = (form: 'NFC' | 'NFD') => {
      const n = (s: string) => s.normalize(form);
      return {
        calendarLink: inventory([]).calendarLink,
        profiles: [{ name: n('Büro Standard'), address: '1 Main St', timezone: 'UTC' }],
        skillGroups: [{ name: n('Konferenzräume') }, { name: 'Plain' }],
        rooms: [...['Café Ost', 'Zürich Süd', 'Salle Élysée', 'Plain Room'], ...names(40)].map((name, i) => ({
          name: n(name), mailbox: `room${i}@contoso.onmicrosoft.com`, profile: n('Büro Standard'), skillGroups: [n('Konferenzräume'), 'Plain'],
        })),
      };
    };
    const nfc = synthesize(spelled('NFC'));
    const nfd = synthesize(spelled('NFD'));
    expect(JSON.stringify(nfd)).toContain('Cafe\u0301 Ost');
    // The same nested stacks (shards, skill-group stacks), the same logical ids in each, and the same templates once
    // the names are read in NFC and the hashes that cover them (nested template files, the gate's hash) are masked.
    expect(Object.keys(nfd).map(maskHashes).sort()).toEqual(Object.keys(nfc).map(maskHashes).sort());
    const byStack = (t: Record<string, any>) =>
      Object.fromEntries(Object.entries(t).map(([f, x]) => [maskHashes(f), Object.keys(x.Resources).sort()]));
    expect(byStack(nfd)).toEqual(byStack(nfc));
    expect(JSON.parse(maskHashes(JSON.stringify(byFile(nfd)).normalize('NFC')))).toEqual(JSON.parse(maskHashes(JSON.stringify(byFile(nfc)))));
  });

  test('a bad inventory fails synth with every problem, as a4b-rooms validate words them', () => {
    const file = path.join(tempDir(), 'rooms.yaml');
    fs.writeFileSync(file, 'profiles:\n  - { name: Std, address: a, timezone: UTC }\nrooms:\n  - { name: A, profile: Std, mailbox: nope }\n  - { name: B, profile: Missing }\n');
    const app = new App();
    expect(() => new RoomInventory(new Stack(app, 'S'), 'Inventory', { file })).toThrow(
      `2 problems in inventory ${file}:\n${file}:4:39: room 'A': mailbox 'nope' must be the email address of the room's resource mailbox, e.g. board-room@contoso.com\n${file}:5:25: room 'B': profile 'Missing' must name a profile of this inventory ('Std')`);
  });

  test('inventory tags reach every room, profile and skill group', () => {
    const templates = synthesize({ ...inventory(names(3)), tags: { 'cost-center': '42' } });
    for (const t of Object.values(templates)) {
      for (const r of Object.values<any>(t.Resources).filter((x) => /^Custom::A4B(Room|RoomProfile|SkillGroup)$/.test(x.Type))) {
        expect(r.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'cost-center', Value: '42' }]));
      }
    }
  });

  test('the example inventory synthesizes from the CDK app cdk.json runs', () => {
    const app = new App();
    const stack = new Stack(app, 'A4BRooms');
    const inv = new RoomInventory(stack, 'Inventory', { file: path.join(__dirname, '..', 'examples', 'rooms.yaml') });
    expect(inv.roomCount).toBe(12);
    Template.fromStack(inv.node.findChild('Profiles') as NestedStack).resourceCountIs('Custom::A4BRoomProfile', 3);
  });

  // Rooms made from an inventory skip the Room's own property checks at synth (the rules made them, with positions):
  // every check the Room makes must then be one the rules make. Each row is refused by both.
  const DEVICE = (s: string) => `arn:aws:a4b:us-east-1:123456789012:device/${s}`;
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['a name of 101 characters', { name: 'x'.repeat(101) }, /(name|roomName) '.*' must be 1 to 100 characters/],
    ['a name with a control character', { name: 'A\u0001' }, /(name|roomName) '.*' must contain only printable characters/],
    ['a description of 201 characters', { description: 'd'.repeat(201) }, /description '.*' must be 1 to 200 characters/],
    ['a mailbox of 101 characters', { mailbox: `${'m'.repeat(89)}@contoso.com` }, /mailbox '.*' must be at most 100 characters/],
    ['a mailbox that is no address', { mailbox: 'board-room' }, /mailbox 'board-room' must be the email address/],
    ['a device that is no device ARN', { devices: ['device-1'] }, /(devices|deviceArns) 'device-1' must be an A4B device ARN/],
    ['a device listed twice', { devices: [DEVICE('a'), DEVICE('a')] }, /(devices|deviceArns) '.*device\/a' is listed twice/],
    ['11 devices', { devices: Array.from({ length: 11 }, (_, i) => DEVICE(String(i))) }, /(devices|deviceArns) 11 must list at most 10 devices/],
    ['a skill group listed twice', { skillGroups: ['Conferencing', 'Conferencing'] }, /skillGroups '.*Conferencing' is listed twice/],
    ['a system tag', { tags: { 'aws:x': 'v' } }, /tag key 'aws:x' must not start with aws:/],
    ['a tag value with a bad character', { tags: { k: 'a;b' } }, /tag 'k' value 'a;b' must contain only letters/],
    ['a tag key of 129 characters', { tags: { ['k'.repeat(129)]: 'v' } }, /tag key '.*' must be 1 to 128 characters/],
  ])('%s is refused by the inventory rules as by the Room construct', (_, bad, message) => {
    const entry = { ...inventory(['Board']).rooms[0], ...bad };
    const problems = inventoryProblems({ ...inventory([]), rooms: [entry] }).map((p) => `${p.entity}: ${p.message}`);
    expect(problems.join('\n')).toMatch(message);

    const stack = new Stack(new App(), 'S');
    const profile = new RoomProfile(stack, 'Std', { roomProfileName: 'Std', address: '1 Main St', timezone: 'UTC' });
    const group = new SkillGroup(stack, 'Conferencing', { skillGroupName: 'Conferencing' });
    const r = entry as any;
    new Room(stack, 'Room', {
      roomName: r.name, description: r.description, mailbox: r.mailbox, profile, deviceArns: r.devices, tags: r.tags,
      skillGroups: (r.skillGroups ?? []).map(() => group),
    });
    expect(() => Template.fromStack(stack)).toThrow(message);
  });

  test('a room of an inventory still has its tags checked at synth: Tags.of can add a bad one after the rules ran', () => {
    const app = new App();
    const stack = new Stack(app, 'Rooms');
    const inv = new RoomInventory(stack, 'Inventory', { inventory: inventory(names(2)) });
    Tags.of(inv).add('aws:owner', 'platform');
    expect(() => app.synth()).toThrow(/room 'Room 00000': tag key 'aws:owner' must not start with aws:/);
  });

  test.each([[0], [101], [2.5]])('shards %p is refused', (shards) => {
    expect(() => new RoomInventory(new Stack(new App(), 'S'), 'I', { inventory: inventory([]), shards })).toThrow(/shards .* must be a whole number from 1 to 100/);
  });
});
