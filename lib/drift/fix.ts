// What fixes each drift finding, in the words and commands `check` uses for the same problems (lib/o365), so an
// on-call engineer reading the HTML report can act on a row without looking anything up. Pure.
import { Finding } from './compare';
import { DesiredLink } from './model';
import { editorCommand } from '../o365/permissions';

export interface FixContext {
  /** The command that puts the declaration back: `cdk deploy`, or the local deploy of the state read. */
  readonly deploy: string;
  /** The calendar link declared, for the Exchange and consent commands. */
  readonly link?: DesiredLink;
  /** The room's declared mailbox, when the finding is of a room. */
  readonly mailbox?: string;
}

export function driftFix(f: Finding, c: FixContext): string {
  switch (f.kind) {
    case 'missing':
      return `${c.deploy} (creates the ${f.resource} again)`;
    case 'changed':
      return `${c.deploy} (sets ${f.field} back to the declared value), or declare the live value in the inventory`;
    case 'unmanaged':
      return `a4b-rooms import -o imported.yaml, and add the ${f.resource} to the inventory to manage it; or delete it in the A4B console; `
        + 'or run drift with --ignore-unmanaged';
    case 'mailbox-missing':
      return 'create the room mailbox (New-Mailbox -Room), or correct the address in the inventory';
    case 'not-a-room':
      return `convert it with Set-Mailbox ${c.mailbox ?? f.declared} -Type Room, or use the room's resource mailbox`;
    case 'permission-lost':
      // No role yet: Add-MailboxFolderPermission; a lower one: Set- (Add- fails on an existing entry).
      return c.link?.serviceAccount && c.mailbox
        ? editorCommand(c.mailbox, c.link.serviceAccount, f.live && f.live !== 'none' ? 'Set' : 'Add')
        : 'give the service account Editor on the room\'s calendar';
    case 'consent-missing':
      return c.link
        ? `an administrator grants the consent again: https://login.microsoftonline.com/${c.link.tenant}/adminconsent?client_id=${c.link.applicationId ?? f.name}`
        : 'an administrator grants the A4B app\'s consent again';
    case 'unknown':
      return 'run drift again; if the read keeps failing, raise --request-timeout or fix the error shown';
  }
}
