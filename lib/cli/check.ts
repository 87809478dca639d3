// `a4b-rooms check`: the Office 365 checks of a deploy (the calendar link handler's checkLink, the same code), run
// from a pipeline step or a laptop before `cdk deploy`: every problem of every room with its fix. Writes nothing.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DEFAULT_ACCEPTED_ROLES, DEFAULT_CONSENT_RESOURCES } from '../contract';
import { HtmlReport, HtmlRow, HtmlSource } from '../drift/report-html';
import { LinkSpec, requiredPermissions } from '../o365/link-checks';
import { graphFor } from '../runtime/graph/clients';
import { checkLink } from '../runtime/graph/link-validation';
import { cliMessage } from './errors';
import { readLinked } from './linked-inventory';
import { withLocalEmulators } from './local-emulators';
import { secretsClient } from './secrets';

export interface CheckOptions {
  /** The inventory file; or give `assemblyDir`. */
  readonly inventoryFile?: string;
  /** A synthesized cloud assembly (`--app`), instead of an inventory file. */
  readonly assemblyDir?: string;
  /** Read the local emulators of this state directory instead of Microsoft 365. */
  readonly localStateDir?: string;
}

export interface CheckedRoom {
  readonly name: string;
  readonly mailbox: string;
  /** `mailbox-missing`, `not-a-room`, `permission` or `unknown` (a read failed). */
  readonly kind: string;
  readonly problem: string;
  readonly fix: string;
}

export interface CheckReport {
  readonly version: 1;
  /** `clean` (exit 0), `problems` (exit 1) or `error` (exit 1: the check could not run, or a read failed). */
  readonly status: 'clean' | 'problems' | 'error';
  readonly link: string;
  /** The Graph application permissions the check reads with (each entry: any one of them), tenant-wide or RBAC-scoped. */
  readonly permissions: string[];
  readonly checked: number;
  /** Problems of the link itself (service account, consent, the Graph app's permissions). */
  readonly linkProblems: string[];
  readonly rooms: CheckedRoom[];
  /** What could not be checked without being a problem. */
  readonly notes: string[];
  /** What a deploy with grantMissingPermissions would grant. */
  readonly grants: string[];
  readonly errors: string[];
}

export async function checkInventory(options: CheckOptions): Promise<CheckReport> {
  const { link: l, rooms } = readLinked(options, 'check');
  const spec: LinkSpec = {
    tenant: l.tenantId, method: l.method, serviceAccount: l.serviceAccount, applicationId: l.applicationId, credentialsSecretArn: l.credentialsSecret,
    grantMissingPermissions: l.grantMissingPermissions ?? false, acceptedRoles: l.acceptedRoles ?? DEFAULT_ACCEPTED_ROLES,
    consentResources: l.method === 'application' ? l.consentResources ?? DEFAULT_CONSENT_RESOURCES : undefined, rooms,
  };
  const link = `calendar link (tenant ${spec.tenant}, ${spec.method === 'delegate' ? `delegate ${spec.serviceAccount}` : `application ${spec.applicationId}`})`;
  const permissions = requiredPermissions(spec).map((p) => `${p.anyOf.join(' or ')}: ${p.why}`);
  const run = async (env: NodeJS.ProcessEnv, secrets?: SecretsManagerClient): Promise<CheckReport> => {
    try {
      const graph = await graphFor(spec.credentialsSecretArn, spec.tenant, env, secrets);
      const f = await checkLink(spec, rooms, graph, env);
      const out = f.problems.map((p) => ({ name: p.room.name, mailbox: p.room.mailbox, kind: p.kind ?? 'unknown', problem: p.problem, fix: p.fix }));
      const status = out.some((r) => r.kind === 'unknown') ? 'error' : f.linkProblems.length || out.length ? 'problems' : 'clean';
      return { version: 1, status, link, permissions, checked: f.checked, linkProblems: f.linkProblems, rooms: out, notes: f.notes, grants: f.grants.map((g) => g.description.replace(/^(granted|raised)/, (v) => (v === 'granted' ? 'would grant' : 'would raise'))), errors: [] };
    } catch (e) {
      return { version: 1, status: 'error', link, permissions, checked: 0, linkProblems: [], rooms: [], notes: [], grants: [], errors: [cliMessage(e)] };
    }
  };
  if (!options.localStateDir) {
    const secrets = secretsClient(spec.credentialsSecretArn);
    return run(process.env, secrets).finally(() => secrets.destroy());
  }
  return withLocalEmulators(options.localStateDir, ({ env, secrets }) => run(env, secrets));
}

export function checkExitCode(report: CheckReport): number {
  return report.status === 'clean' ? 0 : 1;
}

/** Every problem, each with its fix, grouped: the link's, then each room's in file order. */
export function checkText(report: CheckReport): string {
  const lines: string[] = [];
  for (const e of report.errors) lines.push(`✗ ${e}`);
  for (const p of report.linkProblems) lines.push(`✗ ${report.link}: ${p}`);
  for (const r of report.rooms) lines.push(`✗ room '${r.name}' (${r.mailbox}) [${r.kind}]: ${r.problem}\n    fix: ${r.fix}`);
  for (const g of report.grants) lines.push(`+ ${g} (grantMissingPermissions)`);
  for (const n of report.notes) lines.push(`i ${n}`);
  const bad = report.rooms.length;
  lines.push(report.status === 'clean'
    ? `${report.link}: ${report.checked} room mailbox${report.checked === 1 ? '' : 'es'} checked, no problem`
    : `${report.link}: ${report.errors.length ? 'the check could not run' : `${report.checked} room mailbox${report.checked === 1 ? '' : 'es'} checked: ${bad} bad room${bad === 1 ? '' : 's'}`
      + `${report.linkProblems.length ? `, ${report.linkProblems.length} problem${report.linkProblems.length === 1 ? '' : 's'} of the link` : ''}`}`);
  return lines.join('\n');
}

const CHECK_STATUS: Record<CheckReport['status'], [words: string, tone: HtmlReport['tone'], meaning: string]> = {
  clean: ['clean', 'ok', 'every room mailbox and the link pass the checks a deploy runs'],
  problems: ['problems', 'bad', 'a deploy would fail on the problems below (each with its fix)'],
  error: ['could not run (error)', 'bad', 'the check could not run, or a read failed; what was read is reported'],
};

/** The check as the HTML report's data: a row per problem, the link's and each room's. */
export function checkHtml(report: CheckReport, o: HtmlSource): HtmlReport {
  const [status, tone, meaning] = CHECK_STATUS[report.status];
  const rows: HtmlRow[] = [
    ...report.linkProblems.map((p): HtmlRow => ({ resource: 'calendar link', name: report.link, kind: 'link', live: p, groups: {} })),
    ...report.rooms.map((r): HtmlRow => ({
      resource: 'room', name: r.name, kind: r.kind, field: 'mailbox', declared: r.mailbox, live: r.problem, fix: r.fix, mailbox: r.mailbox, groups: o.groupsOf?.(r.name) ?? {},
    })),
  ];
  return {
    title: 'Office 365 check', status, tone, exitCode: checkExitCode(report), exitMeaning: meaning, generated: o.generated, source: `${o.source}: ${report.link}`,
    rowNoun: 'problem', errors: report.errors, notes: [...report.grants.map((g) => `${g} (grantMissingPermissions)`), ...report.notes], rows,
    counts: [
      { label: 'mailboxes checked', value: report.checked }, { label: 'bad rooms', value: new Set(report.rooms.map((r) => r.name)).size, tone: report.rooms.length ? 'bad' : 'ok' },
      { label: 'link problems', value: report.linkProblems.length, tone: report.linkProblems.length ? 'bad' : undefined },
      { label: 'would grant', value: report.grants.length }, { label: 'errors', value: report.errors.length, tone: report.errors.length ? 'bad' : undefined },
    ],
  };
}
