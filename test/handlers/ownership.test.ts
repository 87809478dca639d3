// Who holds an A4B resource, and what each CloudFormation request may do about it: the pure decisions, as tables.
import { OWNER_NONE, OWNER_PROVIDER_TAG, OWNER_TAG, PREVIOUS_OWNER_TAG, RENAMED_FROM_TAG } from '../../lib/contract';
import { holderText, onDelete, onTakeOver, onUpdate, Ownership, ownerId, providerName } from '../../lib/handlers/a4b/ownership';

const STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Rooms/6f1c0c5e-0000-4000-8000-000000000001';
const OTHER_STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Other/6f1c0c5e-0000-4000-8000-000000000002';
const ME = `${STACK}/RoomNew`;
const OLD = `${STACK}/RoomOld`;
const ELSEWHERE = `${OTHER_STACK}/Room1`;
const OLD_NAME = Buffer.from('Bravo').toString('base64url');

describe('onDelete', () => {
  test.each<[string, Ownership, string, Record<string, string>, string[], string | undefined]>([
    ['unmarked (made before ownership was recorded): deleted', {}, 'delete', {}, [], undefined],
    ['held by this resource: deleted', { owner: ME }, 'delete', {}, [], undefined],
    ['held by another resource: kept (the cleanup after a move)', { owner: OLD }, 'keep', {}, [], undefined],
    ['held by another resource that took it from us: kept, the handover confirmed', { owner: OLD, previous: ME, renamedFrom: OLD_NAME }, 'keep', {},
      [PREVIOUS_OWNER_TAG, RENAMED_FROM_TAG], undefined],
    ['held by another resource that took it from nobody recorded: kept, confirmed', { owner: OLD, previous: OWNER_NONE }, 'keep', {}, [PREVIOUS_OWNER_TAG], undefined],
    ['held by another resource that took it from a third: kept, nothing confirmed', { owner: OLD, previous: ELSEWHERE }, 'keep', {}, [], undefined],
    ['taken over by us, not confirmed (a rollback): handed back under its old name', { owner: ME, previous: OLD, renamedFrom: OLD_NAME }, 'keep',
      { [OWNER_TAG]: OLD }, [PREVIOUS_OWNER_TAG, RENAMED_FROM_TAG], 'Bravo'],
    ['adopted by us from nobody recorded, not confirmed: kept and unmarked', { owner: ME, previous: OWNER_NONE, provider: 'P' }, 'keep', {},
      [OWNER_TAG, OWNER_PROVIDER_TAG, PREVIOUS_OWNER_TAG], undefined],
  ])('%s', (_, o, action, put, remove, restoreName) => {
    const d = onDelete(o, ME);
    expect({ action: d.action, put: d.put, remove: d.remove, restoreName: d.restoreName }).toEqual({ action, put, remove, restoreName });
    if (action === 'keep') expect(d.note).toMatch(/^kept: /);
  });

  test('the notes say who holds it, or where it went', () => {
    expect(onDelete({ owner: ELSEWHERE }, ME).note).toBe('kept: resource Room1 of stack Other holds it now');
    expect(onDelete({ owner: ME, previous: OLD }, ME).note).toBe('kept: handed back to resource RoomOld of stack Rooms, which held it before this deploy');
    expect(onDelete({ owner: ME, previous: OWNER_NONE }, ME).note).toContain('it stays in A4B, no longer managed');
  });
});

describe('onUpdate', () => {
  test.each<[string, Ownership, string | undefined, string, Record<string, string>, string[]]>([
    ['unmarked: marked as ours', {}, 'P', 'update', { [OWNER_TAG]: ME, [OWNER_PROVIDER_TAG]: 'P' }, []],
    ['unmarked, no provider known: the owner alone', {}, undefined, 'update', { [OWNER_TAG]: ME }, []],
    ['ours: nothing to write', { owner: ME, provider: 'P' }, 'P', 'update', {}, []],
    ['ours, through a new provider: the provider tag follows', { owner: ME, provider: 'P' }, 'Q', 'update', { [OWNER_PROVIDER_TAG]: 'Q' }, []],
    ['ours after a takeover: confirmed', { owner: ME, provider: 'P', previous: OLD, renamedFrom: OLD_NAME }, 'P', 'update', {}, [PREVIOUS_OWNER_TAG, RENAMED_FROM_TAG]],
    ['held by another resource: refused', { owner: ELSEWHERE }, 'P', 'refuse', {}, []],
    ['taken over from us in this deploy: refused too', { owner: OLD, previous: ME }, 'P', 'refuse', {}, []],
  ])('%s', (_, o, provider, action, put, remove) => {
    const d = onUpdate(o, ME, provider);
    expect({ action: d.action, put: d.put, remove: d.remove }).toEqual({ action, put, remove });
  });

  test('a refusal names the holder and the fix', () => {
    expect(onUpdate({ owner: ELSEWHERE }, ME, 'P').note).toBe('resource Room1 of stack Other holds it (it took it over, or declares it too): nothing was changed. '
      + 'Declare it in one place only; to move it here, remove the other declaration, or deploy this one with adoptExisting');
    expect(onUpdate({ owner: OLD, previous: ME }, ME, 'P').note).toContain('Deploy the rename first, then the new room');
  });
});

describe('onTakeOver', () => {
  const took = (previous: string) => ({ [OWNER_TAG]: ME, [PREVIOUS_OWNER_TAG]: previous, [OWNER_PROVIDER_TAG]: 'P' });
  test.each<[string, Ownership, boolean, boolean, string, Record<string, string>]>([
    ['ours already (a re-delivered Create): taken, nothing to write', { owner: ME }, false, false, 'take', {}],
    ['held by a resource of the same stack: taken (a move)', { owner: OLD, provider: 'X' }, false, false, 'take', took(OLD)],
    ['held through the same provider (another nested stack): taken', { owner: ELSEWHERE, provider: 'P' }, false, false, 'take', took(ELSEWHERE)],
    ['held through another provider: refused', { owner: ELSEWHERE, provider: 'Q' }, false, false, 'refuse', {}],
    ['held through another provider, adoptExisting: taken', { owner: ELSEWHERE, provider: 'Q' }, true, false, 'take', took(ELSEWHERE)],
    ['unmarked: refused', {}, false, false, 'refuse', {}],
    ['unmarked, adoptExisting: taken from nobody recorded', {}, true, false, 'take', took(OWNER_NONE)],
    ['unmarked, plainly the same room renamed in case: taken from nobody recorded', {}, false, true, 'take', took(OWNER_NONE)],
    ['marked by another provider, plainly the same: still refused', { owner: ELSEWHERE, provider: 'Q' }, false, true, 'refuse', {}],
  ])('%s', (_, o, adopt, plainlySame, action, put) => {
    const d = onTakeOver(o, ME, STACK, 'P', adopt, plainlySame);
    expect({ action: d.action, put: d.put }).toEqual({ action, put });
  });

  test('a stack whose name starts like ours is another stack', () => {
    const lookalike = `${STACK.slice(0, -1)}9/RoomOld`;
    expect(onTakeOver({ owner: lookalike }, ME, STACK, undefined, false).action).toBe('refuse');
  });
});

describe('identities', () => {
  test('ownerId is the stack id and logical id, hashed when A4B\'s tag value could not hold it', () => {
    expect(ownerId(STACK, 'Room1')).toBe(`${STACK}/Room1`);
    const long = ownerId(`arn:aws:cloudformation:us-east-1:123456789012:stack/${'x'.repeat(128)}/6f1c0c5e-0000-4000-8000-000000000001`, 'R'.repeat(100));
    expect(long).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(ownerId('stack(1)', 'R')).toMatch(/^sha256:/);
    expect(ownerId(STACK, 'Room1')).not.toBe(ownerId(STACK, 'Room2'));
  });

  test('providerName is the function name of the ServiceToken', () => {
    expect(providerName('arn:aws:lambda:eu-west-1:123456789012:function:Rooms-A4BRoomsProvider-AbC123')).toBe('Rooms-A4BRoomsProvider-AbC123');
    expect(providerName('arn:aws:lambda:eu-west-1:123456789012:function:Fn:live')).toBe('Fn');
    expect(providerName(undefined)).toBeUndefined();
    expect(providerName(42)).toBeUndefined();
  });

  test('holderText reads a stack id back', () => {
    expect(holderText(`${STACK}/RoomOld`)).toBe('resource RoomOld of stack Rooms');
    expect(holderText('sha256:abc')).toBe('resource sha256:abc');
  });
});
