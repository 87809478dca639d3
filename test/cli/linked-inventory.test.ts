import * as fs from 'fs';
import * as path from 'path';
import { readLinkedInventory } from '../../lib/cli/linked-inventory';
import { tempDir } from '../helpers';

const LINK = 'calendarLink:\n  tenantId: contoso.onmicrosoft.com\n  method: delegate\n  serviceAccount: alexa@contoso.onmicrosoft.com\n  credentialsSecret: s\n';
const BODY = 'profiles:\n  - name: Std\n    address: a\n    timezone: Europe/Berlin\nrooms:\n'
  + '  - { name: Spree, profile: Std, mailbox: spree@contoso.com }\n  - { name: Lobby, profile: Std }\n  - { name: Havel, profile: Std, mailbox: havel@contoso.com }\n';

function file(text: string): string {
  const f = path.join(tempDir('a4b-linked-'), 'rooms.yaml');
  fs.writeFileSync(f, text);
  return f;
}

describe('readLinkedInventory (a4b-rooms check and test-booking)', () => {
  test('the link and the rooms that have a mailbox, in file order', () => {
    const { link, rooms } = readLinkedInventory(file(LINK + BODY), 'check');
    expect(link.serviceAccount).toBe('alexa@contoso.onmicrosoft.com');
    expect(rooms).toEqual([{ name: 'Spree', mailbox: 'spree@contoso.com' }, { name: 'Havel', mailbox: 'havel@contoso.com' }]);
  });

  test('an inventory without a calendar link has nothing to check or test', () => {
    const f = file(BODY);
    expect(() => readLinkedInventory(f, 'check')).toThrow(`${f} has no calendarLink: there is no Office 365 side to check`);
    expect(() => readLinkedInventory(f, 'test')).toThrow('there is no Office 365 side to test');
  });

  test('every problem of the file, counted, before any Office 365 call', () => {
    const f = file(LINK + BODY.replace('timezone: Europe/Berlin', 'timezone: Europe/Berlni').replace('profile: Std, mailbox: havel', 'profile: Sdt, mailbox: havel'));
    let message = '';
    try {
      readLinkedInventory(f, 'check');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')[0]).toBe(`2 problems in ${f}; fix them first (a4b-rooms validate):`);
    expect(message).toMatch(/rooms\.yaml:9:\d+: profile 'Std': timezone 'Europe\/Berlni' must be an IANA time zone/);
    expect(message).toMatch(/room 'Havel': profile 'Sdt' must name a profile of this inventory/);
  });
});
