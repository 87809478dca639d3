// A drift report as a terminal table (in the spirit of `cdk diff`), stable JSON, or Markdown for a pull request.
import { DriftReport, Finding } from './compare';

/** Version of the JSON output's schema (documented in the README); a breaking change bumps it. */
export const DRIFT_JSON_VERSION = 1;

/** The JSON output's schema (JSON Schema draft-07). */
export const DRIFT_REPORT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'a4b-rooms drift --json',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'status', 'findings', 'errors', 'checked'],
  properties: {
    version: { const: DRIFT_JSON_VERSION },
    status: { enum: ['in-sync', 'drift', 'error'] },
    errors: { type: 'array', items: { type: 'string' } },
    checked: {
      type: 'object', additionalProperties: false, required: ['rooms', 'profiles', 'skillGroups', 'mailboxes'],
      properties: { rooms: { type: 'integer' }, profiles: { type: 'integer' }, skillGroups: { type: 'integer' }, mailboxes: { type: 'integer' } },
    },
    findings: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['resource', 'name', 'kind'],
        properties: {
          resource: { enum: ['room', 'profile', 'skill group', 'calendar link'] },
          name: { type: 'string' },
          kind: { enum: ['missing', 'changed', 'unmanaged', 'mailbox-missing', 'not-a-room', 'permission-lost', 'consent-missing', 'unknown'] },
          field: { type: 'string' }, declared: { type: 'string' }, live: { type: 'string' }, detail: { type: 'string' },
        },
      },
    },
  },
};

export function toJson(report: DriftReport): string {
  return JSON.stringify({ version: DRIFT_JSON_VERSION, ...report }, null, 2);
}

function what(f: Finding): string {
  switch (f.kind) {
    case 'missing': return 'declared, missing in A4B';
    case 'unmanaged': return `in A4B, not declared${f.detail ? ` (${f.detail})` : ''}`;
    case 'changed': return `${f.field}: declared ${f.declared}, live ${f.live}`;
    case 'unknown': return `could not be read: ${f.detail}`;
    default: return `${f.field ? `${f.field} ${f.declared ?? ''}: ` : ''}${f.detail ?? f.kind}${f.live ? ` (live: ${f.live})` : ''}`;
  }
}

const SIGN: Record<string, string> = { missing: '-', unmanaged: '+', changed: '~', unknown: '?' };

/** A count with its noun in the right number: `1 room`, `2 rooms`, `0 rooms`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** The status in words (the JSON keeps `in-sync`, `drift`, `error`). */
const STATUS_WORDS: Record<string, string> = { 'in-sync': 'in sync', 'drift': 'drifted', 'error': 'not read (error)' };

function checkedText(c: DriftReport['checked']): string {
  return `${plural(c.rooms, 'room')}, ${plural(c.profiles, 'profile')}, ${plural(c.skillGroups, 'skill group')}, ${plural(c.mailboxes, 'mailbox', 'mailboxes')} checked`;
}

/** What an in-sync report vouches for: Office 365 only when a mailbox was read. */
function inSyncText(c: DriftReport['checked']): string {
  return c.mailboxes ? 'A4B and Office 365 match the declaration.' : 'A4B matches the declaration (no room mailbox declared, so Office 365 was not read).';
}

export function toTable(report: DriftReport): string {
  const lines = [`A4B drift: ${STATUS_WORDS[report.status] ?? report.status} (${checkedText(report.checked)})`];
  for (const e of report.errors) lines.push(`[!] ${e}`);
  for (const f of report.findings) lines.push(`[${SIGN[f.kind] ?? '!'}] ${f.resource} ${f.name}: ${what(f)}`);
  if (report.status === 'in-sync') lines.push(inSyncText(report.checked));
  return lines.join('\n');
}

export function toMarkdown(report: DriftReport): string {
  const icon = report.status === 'in-sync' ? '✅' : report.status === 'drift' ? '⚠️' : '❌';
  const lines = [`### ${icon} A4B drift: ${STATUS_WORDS[report.status] ?? report.status}`, '', `${checkedText(report.checked)}.`, ''];
  for (const e of report.errors) lines.push(`> **Error:** ${e}`, '');
  if (report.findings.length) {
    lines.push('| | resource | name | finding |', '|---|---|---|---|');
    const cell = (s: string) => s.replace(/\|/g, '\\|');
    for (const f of report.findings) lines.push(`| ${SIGN[f.kind] ?? '!'} | ${f.resource} | ${cell(f.name)} | ${cell(what(f))} |`);
  }
  return lines.join('\n');
}
