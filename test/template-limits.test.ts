// Every template CloudFormation would be handed stays within its limits, at A4B's quotas; and a stack that would not
// fails synth first, naming the template, the limit and what to change.
import * as fs from 'fs';
import * as path from 'path';
import { App, attachCustomSynthesis, BootstraplessSynthesizer, CfnParameter, NestedStack, Stack } from 'aws-cdk-lib';
import { Room, RoomInventory, RoomProfile, TemplateLimits } from '../lib';
import { CFN_LIMITS } from '../lib/cfn-limits';
import { tempDir } from './helpers';


const { quotaInventory } = require('../bench/quota-inventory.js');

function synthesize(inventory: object, shards?: number, app = new App({ outdir: tempDir('a4b-limits-') })): { outdir: string; templates: Record<string, { body: string; template: any }> } {
  const outdir = app.outdir;
  new RoomInventory(new Stack(app, 'Rooms'), 'Inventory', { inventory, shards });
  app.synth();
  const templates = Object.fromEntries(fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).map((f) => {
    const body = fs.readFileSync(path.join(outdir, f), 'utf8');
    return [f, { body, template: JSON.parse(body) }];
  }));
  return { outdir, templates };
}

describe('CloudFormation template limits', () => {
  test('A4B quotas at once (10,000 rooms, 100 profiles, 1,000 skill groups, random references): every template within every limit', () => {
    const inventory = quotaInventory({ rooms: 10_000, profiles: 100, skillGroups: 1_000, seed: 7 });
    expect(inventory.rooms.filter((r: any) => r.skillGroups?.length === 3).length).toBeGreaterThan(2000);
    const { outdir, templates } = synthesize(inventory);
    let rooms = 0;
    let profiles = 0;
    let groups = 0;
    for (const [file, { body, template }] of Object.entries(templates)) {
      const count = (section: string) => Object.keys(template[section] ?? {}).length;
      expect({ file, resources: count('Resources') <= CFN_LIMITS.resources, parameters: count('Parameters') <= CFN_LIMITS.parameters, outputs: count('Outputs') <= CFN_LIMITS.outputs })
        .toEqual({ file, resources: true, parameters: true, outputs: true });
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(CFN_LIMITS.templateBodyBytes);
      for (const r of Object.values<any>(template.Resources)) {
        if (r.Type === 'AWS::CloudFormation::Stack') {
          for (const v of Object.values(r.Properties.Parameters ?? {})) {
            expect(Buffer.byteLength(JSON.stringify(v))).toBeLessThanOrEqual(CFN_LIMITS.parameterValueBytes);
          }
        }
        rooms += Number(r.Type === 'Custom::A4BRoom');
        profiles += Number(r.Type === 'Custom::A4BRoomProfile');
        groups += Number(r.Type === 'Custom::A4BSkillGroup');
      }
    }
    expect([rooms, profiles, groups]).toEqual([10_000, 100, 1_000]);
    // The DeleteComments notice is short at any size; the full list is a script in the cloud assembly.
    // The assembly's metadata: in manifest.json, or (newer aws-cdk-lib) beside it.
    const metadata = fs.readdirSync(outdir).filter((f) => f.endsWith('.json') && !f.endsWith('.template.json')).map((f) => fs.readFileSync(path.join(outdir, f), 'utf8')).join('\n');
    const notice = /"(Graph cannot read whether room mailboxes[^"]*)"/.exec(metadata)![1];
    expect(notice.length).toBeLessThan(700);
    expect(notice).toContain('For the 10,000 room mailboxes of this stack run in Exchange Online PowerShell the script');
    const script = fs.readFileSync(path.join(outdir, 'Rooms.delete-comments.ps1'), 'utf8').trim().split('\n');
    expect(script).toHaveLength(10_000);
    expect(new Set(script)).toEqual(new Set(inventory.rooms.map((r: any) => `Set-CalendarProcessing "${r.mailbox}" -DeleteComments $FALSE`)));
  });

  test('a nested stack of over 500 resources fails synth naming the stack, the count, the limit and the fix (not aws-cdk-lib\'s stack dump)', () => {
    const app = new App({ outdir: tempDir() });
    const stack = new Stack(app, 'S');
    TemplateLimits.check(stack);
    const nested = new NestedStack(stack, 'Rooms');
    const profile = new RoomProfile(stack, 'P', { roomProfileName: 'P', address: 'a', timezone: 'UTC' });
    for (let i = 0; i < 510; i++) new Room(nested, `R${i}`, { roomName: `R${i}`, profile });
    expect(() => app.synth()).toThrow("[S] nested stack S/Rooms would have 510 resources, over CloudFormation's 500 per template: move some of its resources to another stack");
  });

  test('a top-level stack of over 500 resources fails the same way, before aws-cdk-lib counts them', () => {
    const app = new App({ outdir: tempDir() });
    const stack = new Stack(app, 'Big');
    TemplateLimits.check(stack);
    const profile = new RoomProfile(stack, 'P', { roomProfileName: 'P', address: 'a', timezone: 'UTC' });
    for (let i = 0; i < 500; i++) new Room(stack, `R${i}`, { roomName: `R${i}`, profile });
    expect(() => app.synth()).toThrow(/\[Big\] stack Big would have 5\d\d resources, over CloudFormation's 500 per template: move some of its resources to another stack/);
  });

  test('over 200 parameters fails synth naming the stack', () => {
    const app = new App({ outdir: tempDir() });
    const stack = new Stack(app, 'S');
    TemplateLimits.check(stack);
    new RoomProfile(stack, 'P', { roomProfileName: 'P', address: 'a', timezone: 'UTC' });
    for (let i = 0; i < 201; i++) new CfnParameter(stack, `P${i}`);
    expect(() => app.synth()).toThrow("[S] stack S would have 201 parameters, over CloudFormation's 200 per template: move some of its resources to another stack");
  });

  test('200 parameters of its own and the synthesizer\'s BootstrapVersion fail once the template is written', () => {
    const app = new App({ outdir: tempDir() });
    const stack = new Stack(app, 'S');
    TemplateLimits.check(stack, { advice: 'split the stack' });
    for (let i = 0; i < 200; i++) new CfnParameter(stack, `P${i}`);
    expect(() => app.synth()).toThrow("CloudFormation would refuse a template:\n  stack S has 201 parameters, over CloudFormation's 200 per template: split the stack");
    // Without the bootstrap version's parameter, 200 are within the limit.
    const app2 = new App({ outdir: tempDir(), defaultStackSynthesizer: new BootstraplessSynthesizer() });
    const stack2 = new Stack(app2, 'S');
    TemplateLimits.check(stack2);
    for (let i = 0; i < 200; i++) new CfnParameter(stack2, `P${i}`);
    expect(() => app2.synth()).not.toThrow();
  });

  test('a stack of the user\'s is checked only when asked: a Room, its provider and 201 parameters synthesize unchecked', () => {
    const app = new App({ outdir: tempDir() });
    const stack = new Stack(app, 'S');
    const profile = new RoomProfile(stack, 'P', { roomProfileName: 'P', address: 'a', timezone: 'UTC' });
    new Room(stack, 'R', { roomName: 'R', profile });
    for (let i = 0; i < 201; i++) new CfnParameter(stack, `P${i}`);
    const assembly = app.synth();
    expect(Object.keys(assembly.getStackByName('S').template.Parameters)).toHaveLength(202);
    // Nothing was added beside the stack.
    expect(app.node.children.map((c) => c.node.id).sort()).toEqual(['S', 'Tree']);
  });

  test('a user\'s own custom synthesis on the app is kept, whether attached before or after the inventory, and the inventory\'s checks still run', () => {
    const inventory = { profiles: [{ name: 'Std', address: 'a', timezone: 'UTC' }], rooms: [{ name: 'Room 1', profile: 'Std' }] };
    for (const order of ['before', 'after']) {
      const app = new App({ outdir: tempDir('a4b-limits-') });
      const written: string[] = [];
      const attach = () => attachCustomSynthesis(app, { onSynthesize: (session) => written.push(...fs.readdirSync(session.outdir).filter((f) => f.endsWith('.template.json'))) });
      if (order === 'before') attach();
      const stack = new Stack(app, 'Rooms');
      new RoomInventory(stack, 'Inventory', { inventory });
      if (order === 'after') attach();
      app.synth();
      expect({ order, written: written.some((f) => f === 'Rooms.template.json') }).toEqual({ order, written: true });
    }
    // Over the limit, with the app's slot taken by the user first: the inventory's size check fires all the same.
    const over = {
      profiles: [{ name: 'Std', address: 'a', timezone: 'UTC' }],
      rooms: Array.from({ length: 400 }, (_, i) => ({
        name: `Room ${i}`, profile: 'Std', tags: Object.fromEntries(Array.from({ length: 10 }, (__, k) => [`tag${k}`, `${k}`.repeat(250)])),
      })),
    };
    const app = new App({ outdir: tempDir('a4b-limits-') });
    let called = false;
    attachCustomSynthesis(app, { onSynthesize: () => { called = true; } });
    expect(() => synthesize(over, 1, app)).toThrow(/^CloudFormation would refuse a template:\n  nested stack Rooms\/Inventory\/Shard00: its template .* is 1,\d{3},\d{3} bytes/);
    // It failed as the shard's template was checked, before the app's own synthesis step.
    expect(called).toBe(false);
  });

  test('an inventory checks only its own nested stacks, not the rest of the stack it is in', () => {
    const app = new App({ outdir: tempDir() });
    const stack = new Stack(app, 'S');
    new RoomInventory(stack, 'Inventory', { inventory: { profiles: [{ name: 'Std', address: 'a', timezone: 'UTC' }], rooms: [{ name: 'Room 1', profile: 'Std' }] } });
    for (let i = 0; i < 201; i++) new CfnParameter(stack, `P${i}`);
    expect(() => app.synth()).not.toThrow();
  });

  test('a shard template over 1 MB fails synth naming the file, the size and the fix (raise shards)', () => {
    const inventory = {
      profiles: [{ name: 'Std', address: 'a', timezone: 'UTC' }],
      rooms: Array.from({ length: 400 }, (_, i) => ({
        name: `Room ${i}`, profile: 'Std', tags: Object.fromEntries(Array.from({ length: 10 }, (__, k) => [`tag${k}`, `${k}`.repeat(250)])),
      })),
    };
    expect(() => synthesize(inventory, 1)).toThrow(new RegExp(
      '^CloudFormation would refuse a template:\\n  nested stack Rooms/Inventory/Shard00: its template \\(RoomsInventoryShard00\\w+\\.nested\\.template\\.json\\) is 1,\\d{3},\\d{3} bytes, '
      + "over CloudFormation's 1,000,000 per template: raise the inventory's shards \\(now 1\\), which spreads its rooms over more nested stacks, or shorten the rooms' descriptions and tags$"));
    // Spread over more shards, the same rooms fit.
    expect(() => synthesize(inventory, 4)).not.toThrow();
  });

  test('a literal nested stack parameter over 4 KB fails synth naming the parameter', () => {
    const app = new App({ outdir: tempDir() });
    const stack = new Stack(app, 'S');
    TemplateLimits.check(stack);
    new RoomProfile(stack, 'P', { roomProfileName: 'P', address: 'a', timezone: 'UTC' });
    const nested = new NestedStack(stack, 'N', { parameters: { Big: 'x'.repeat(5000) } });
    new CfnParameter(nested, 'Big');
    expect(() => app.synth()).toThrow("[S] stack S: parameter Big of nested stack S/N is 5000 bytes, over CloudFormation's 4096 per parameter value: pass less in it");
  });
});
