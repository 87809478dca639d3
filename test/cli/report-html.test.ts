// check --html and test-booking --html: their reports as the HTML page's data (the page itself is driven in Chromium
// by test/drift/report-html-browser.test.ts).
import { CheckReport, checkHtml } from '../../lib/cli/check';
import { BookingReport, bookingHtml } from '../../lib/cli/test-booking';
import { HtmlSource } from '../../lib/drift/report-html';

const source: HtmlSource = { generated: '2026-12-04T00:00:00Z', source: 'rooms.yaml against Microsoft 365', groupsOf: (room): Record<string, string> => (room === 'Spree' ? { profile: 'Berlin', floor: '2' } : {}) };

function check(over: Partial<CheckReport>): CheckReport {
  return { version: 1, status: 'clean', link: 'calendar link (tenant t, delegate sa@t)', permissions: [], checked: 2, linkProblems: [], rooms: [], notes: [], grants: [], errors: [], ...over };
}

describe('checkHtml', () => {
  test.each<[CheckReport['status'], string, string, number]>([
    ['clean', 'clean', 'ok', 0],
    ['problems', 'problems', 'bad', 1],
    ['error', 'could not run (error)', 'bad', 1],
  ])('%s: status %j, tone %s, exit %i', (status, words, tone, exit) => {
    const html = checkHtml(check({ status }), source);
    expect([html.status, html.tone, html.exitCode]).toEqual([words, tone, exit]);
  });

  test('a row per link problem and per bad room, with the fix; grants and notes as notes', () => {
    const html = checkHtml(check({
      status: 'problems', linkProblems: ['the service account has no mailbox'], grants: ['would grant Editor on spree@t'], notes: ['2 rooms not read'],
      rooms: [{ name: 'Spree', mailbox: 'spree@t', kind: 'permission', problem: 'no Editor', fix: 'Add-MailboxFolderPermission spree@t:\\Calendar -User sa@t -AccessRights Editor' }],
    }), source);
    expect(html.rows).toEqual([
      { resource: 'calendar link', name: 'calendar link (tenant t, delegate sa@t)', kind: 'link', live: 'the service account has no mailbox', groups: {} },
      {
        resource: 'room', name: 'Spree', kind: 'permission', field: 'mailbox', declared: 'spree@t', live: 'no Editor', mailbox: 'spree@t',
        fix: 'Add-MailboxFolderPermission spree@t:\\Calendar -User sa@t -AccessRights Editor', groups: { profile: 'Berlin', floor: '2' },
      },
    ]);
    expect(html.notes).toEqual(['would grant Editor on spree@t (grantMissingPermissions)', '2 rooms not read']);
    expect(html.counts.map((c) => [c.label, c.value])).toEqual([['mailboxes checked', 2], ['bad rooms', 1], ['link problems', 1], ['would grant', 1], ['errors', 0]]);
  });
});

describe('bookingHtml', () => {
  const room = (name: string, check: string, over: object = {}) => ({ name, mailbox: `${name.toLowerCase()}@t`, booked: true, answer: 'accepted', dialInKept: true, cleaned: true, check, message: '', ...over });
  const report: BookingReport = {
    version: 1, status: 'failed', organizer: 'sa@t', runId: 'r1', permissions: [], leftoversRemoved: 1, errors: [],
    rooms: [
      room('Spree', 'passed'),
      room('Isar', 'delete-comments', { dialInKept: false, message: 'the room kept no dial-in line', fix: 'Set-CalendarProcessing isar@t -DeleteComments $FALSE' }),
      room('Lech', 'no-copy', { booked: false, answer: '', dialInKept: null, cleaned: false, message: 'not booked' }),
    ],
  };
  const html = bookingHtml(report, source);

  test('a row per room, passed ones too: what was expected against what the room did, and the fix', () => {
    expect(html.rows.map((r) => [r.name, r.kind, r.declared, r.live, r.detail, r.fix])).toEqual([
      ['Spree', 'passed', 'accepted, yes, yes', 'accepted, yes, yes', undefined, undefined],
      ['Isar', 'delete-comments', 'accepted, yes, yes', 'accepted, no, yes', 'the room kept no dial-in line', 'Set-CalendarProcessing isar@t -DeleteComments $FALSE'],
      ['Lech', 'no-copy', 'accepted, yes, yes', 'not booked, no copy, no', 'not booked', undefined],
    ]);
    expect(html.rows[0].groups).toEqual({ profile: 'Berlin', floor: '2' });
  });

  test('the band: failed is exit 2; counts of passed, failed and not cleaned; leftovers as a note', () => {
    expect([html.status, html.tone, html.exitCode]).toEqual(['failed', 'warn', 2]);
    expect(html.counts.map((c) => [c.label, c.value])).toEqual([['rooms passed', 1], ['rooms failed', 2], ['not cleaned', 1], ['errors', 0]]);
    expect(html.notes).toEqual(['removed 1 test meeting left by an earlier run']);
    expect(html.source).toBe('rooms.yaml against Microsoft 365: booked from sa@t (run r1)');
  });
});
