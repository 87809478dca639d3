// The HTML report as a person sees it, in a real browser: Debian's Chromium driven by playwright-core. The demo fleet
// (examples/rooms.yaml deployed to the local emulators, then drifted by editing the inventory) through the real CLI,
// and a generated fleet of 10,000 rooms. Skipped only when no Chromium is installed and CI is unset; under CI a missing
// Chromium fails. A4B_UPDATE_SCREENSHOT=1 writes docs/drift-report.png from the demo report; A4B_REPORT_TIMING=1 prints
// how long the 10,000-room report took to become interactive.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Browser, Page } from 'playwright-core';
import { compare } from '../../lib/drift/compare';
import { desiredFromInventory } from '../../lib/drift/desired';
import { LiveState, RoomState } from '../../lib/drift/model';
import { driftFacts, driftHtml, HtmlRow, toHtml } from '../../lib/drift/report-html';
import { Inventory } from '../../lib/inventory/model';
import { scaled, tempDir } from '../helpers';
const { quotaInventory } = require('../../bench/quota-inventory');

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'a4b-rooms.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
if (!HAVE_CHROMIUM && !process.env.CI) {
  process.stderr.write(`skipped test/drift/report-html-browser.test.ts: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH); under CI=true this fails\n`);
}
const describeBrowser = HAVE_CHROMIUM || process.env.CI ? describe : describe.skip;

jest.setTimeout(scaled(180_000));

function cli(args: string[], cwd = ROOT) {
  return spawnSync('node', [CLI, ...args], { cwd, encoding: 'utf8' });
}

/** A page on a report file, with every request and every console error or warning it makes. */
async function open(browser: Browser, file: string, colorScheme: 'light' | 'dark' = 'light') {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme });
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => ['error', 'warning'].includes(m.type()) && problems.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const url = pathToFileURL(file).href;
  await page.goto(url);
  await page.waitForSelector('html[data-ready]');
  return { page, requests, problems, url };
}

/** What the table shows: each body row's cells as text. */
function tableRows(page: Page): Promise<string[][]> {
  return page.$$eval('#findings tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => (c as HTMLElement).innerText.trim())));
}

/** The summary band's counts, label -> number. */
async function counts(page: Page): Promise<Record<string, number>> {
  return Object.fromEntries(await page.$$eval('.counts .count', (cs) => cs.map((c) => [c.querySelector('dt')!.textContent, Number(c.querySelector('dd')!.textContent!.replace(/,/g, ''))])));
}

/** Every visible text whose contrast with what is behind it is under WCAG AA's 4.5:1. */
function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rgb = (c: string) => c.match(/[\d.]+/g)!.map(Number);
    const lum = (c: string) => {
      const [r, g, b] = rgb(c).slice(0, 3).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const behind = (el: Element | null): string => {
      for (; el; el = el.parentElement) {
        const c = getComputedStyle(el).backgroundColor;
        if (!/^rgba\(.*,\s*0\)$/.test(c) && c !== 'transparent') return c;
      }
      return 'rgb(255, 255, 255)';
    };
    const bad: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      const box = el.getBoundingClientRect();
      if (!own || !box.width || getComputedStyle(el).visibility === 'hidden') continue;
      const fg = el instanceof SVGElement ? getComputedStyle(el).fill : getComputedStyle(el).color;
      const [a, b] = [lum(fg), lum(behind(el))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) bad.push(`${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''} "${el.textContent!.trim().slice(0, 30)}": ${ratio.toFixed(2)}`);
    }
    return bad;
  });
}

describeBrowser('HTML report in Chromium', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`no Chromium at ${CHROMIUM}: install it (apt-get install -y --no-install-recommends chromium, as .ci/run does) or set CHROMIUM_PATH`);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM });
    dir = tempDir('a4b-html-');
  });
  afterAll(() => browser?.close());

  describe('the demo fleet, drifted', () => {
    let report: string;

    beforeAll(() => {
      // examples/rooms.yaml deployed; the inventory then says what a reviewer changed: a description, a mailbox, a
      // floor tag and a profile's locale, a new room; and Lech is no longer declared.
      const deploy = cli(['local', 'deploy', 'examples/rooms.yaml', '--state', path.join(dir, '.a4b-local')]);
      if (deploy.status !== 0) throw new Error(deploy.stderr);
      const yaml = fs.readFileSync(path.join(ROOT, 'examples', 'rooms.yaml'), 'utf8')
        .replace('{ name: Spree (2.01), mailbox', '{ name: Spree (2.01), description: Moved to the 4th floor, mailbox')
        .replace('havel@contoso', 'havel-old@contoso')
        .replace('Tegel (3.01), mailbox: tegel@contoso.onmicrosoft.com, profile: Berlin meeting rooms, skillGroups: [Conferencing, Facilities], tags: { floor: "3" }',
          'Tegel (3.01), mailbox: tegel@contoso.onmicrosoft.com, profile: Berlin meeting rooms, skillGroups: [Conferencing, Facilities], tags: { floor: "4" }')
        .replace('locale: de-DE', 'locale: en-GB')
        .replace(/^ {2}- \{ name: Lech.*\n/m, '')
        + '  - { name: Elbe (4.01), mailbox: elbe@contoso.onmicrosoft.com, profile: Berlin meeting rooms, skillGroups: [Conferencing], tags: { floor: "4" } }\n';
      fs.writeFileSync(path.join(dir, 'rooms.yaml'), yaml);
      const drift = cli(['drift', 'rooms.yaml', '--local', '--state', '.a4b-local', '--html', 'report.html'], dir);
      expect({ status: drift.status, stderr: drift.stderr }).toEqual({ status: 2, stderr: 'wrote the HTML report report.html\n' });
      expect(drift.stdout).toContain('A4B drift: drifted');
      report = path.join(dir, 'report.html');
    });

    test('the summary, the charts and every finding with declared, live and fix; no request but the file, no console error', async () => {
      const { page, requests, problems, url } = await open(browser, report);
      expect(await page.locator('h1').innerText()).toBe('A4B drift: drifted');
      expect(await page.locator('.exit').innerText()).toMatch(/^Exit code 2: drift/);
      expect(await counts(page)).toMatchObject({
        'rooms in sync': 8, 'rooms drifted': 3, 'rooms missing': 1, 'rooms unmanaged': 1, 'rooms unknown': 0, 'findings': 8, 'mailboxes checked': 12,
      });
      expect(await page.getByRole('img', { name: /^Findings by kind:/ }).getAttribute('aria-label')).toBe('Findings by kind: changed 4, mailbox-missing 2, missing 1, unmanaged 1');
      expect(await page.getByRole('img', { name: /^Findings by floor:/ }).getAttribute('aria-label')).toBe('Findings by floor: 2 3, 4 3, (no floor) 2');
      expect(await page.getByRole('img', { name: /^Findings by profile:/ }).getAttribute('aria-label')).toBe('Findings by profile: Berlin meeting rooms 6, Munich meeting rooms 2');

      const rows = await tableRows(page);
      expect(rows).toHaveLength(8);
      expect(rows).toContainEqual(['room', 'Spree (2.01)\nspree@contoso.onmicrosoft.com', 'changed', 'description', 'Moved to the 4th floor', '(none)',
        'a4b-rooms local deploy rooms.yaml --state .a4b-local (sets description back to the declared value), or declare the live value in the inventory',
        'profile: Berlin meeting rooms · floor: 2']);
      expect(rows).toContainEqual(['profile', 'Munich meeting rooms', 'changed', 'locale', 'en-GB', 'de-DE', expect.stringContaining('(sets locale back'), 'profile: Munich meeting rooms']);
      expect(rows.find((r) => r[1].startsWith('Lech'))).toEqual(['room', 'Lech (2.01)\nlech@contoso.onmicrosoft.com', 'unmanaged', '', '', expect.stringMatching(/^arn:aws:a4b:/),
        expect.stringContaining('a4b-rooms import'), 'profile: Munich meeting rooms · site: munich']);
      // A room A4B has links to its console page, a room that is missing has none; every room links to its mailbox.
      const spree = page.getByRole('rowheader', { name: /Spree/ });
      expect(await spree.getByRole('link', { name: 'Spree (2.01)' }).getAttribute('href')).toMatch(/^https:\/\/console\.aws\.amazon\.com\/a4b\/home\?region=us-east-1#rooms\/arn%3Aaws%3Aa4b/);
      expect(await spree.getByRole('link', { name: 'spree@contoso.onmicrosoft.com' }).getAttribute('href')).toBe('mailto:spree@contoso.onmicrosoft.com');
      expect(await page.getByRole('rowheader', { name: /Elbe/ }).first().getByRole('link').allInnerTexts()).toEqual(['elbe@contoso.onmicrosoft.com']);

      expect(requests).toEqual([url]);
      expect(problems).toEqual([]);

      await page.setViewportSize({ width: 1280, height: 1000 });
      const png = await page.screenshot({ fullPage: true, type: 'png' });
      expect(png.length).toBeLessThan(300_000);
      if (process.env.A4B_UPDATE_SCREENSHOT) fs.writeFileSync(path.join(ROOT, 'docs', 'drift-report.png'), png);
      await page.close();
    });

    test('typing in the search box filters; a click on a header sorts (aria-sort), again reverses; the keyboard reaches and works both', async () => {
      const { page, requests, url } = await open(browser, report);
      // Real table semantics and labels: found by role and accessible name, as a screen reader finds them.
      await page.getByRole('table', { name: /^Findings: 8/ }).waitFor();
      const search = page.getByRole('searchbox', { name: 'Search' });
      await page.keyboard.press('Tab');
      expect(await search.evaluate((el) => el === document.activeElement && getComputedStyle(el).outlineStyle)).toBe('solid');
      await page.keyboard.type('havel');
      await page.keyboard.press('Enter');
      expect((await tableRows(page)).map((r) => [r[1], r[2]])).toEqual([
        ['Havel (2.02)\nhavel-old@contoso.onmicrosoft.com', 'changed'], ['Havel (2.02)\nhavel-old@contoso.onmicrosoft.com', 'mailbox-missing'],
      ]);
      expect(await page.getByRole('status').innerText()).toBe('Showing 1–2 of 2 findings (filtered from 8)');
      await search.fill('');
      await page.getByRole('combobox', { name: 'Kind' }).selectOption('changed');
      expect((await tableRows(page)).map((r) => r[2])).toEqual(['changed', 'changed', 'changed', 'changed']);
      await page.getByRole('combobox', { name: 'Kind' }).selectOption('');
      // The group filter: an office's, a floor's rows (the values the charts show).
      await page.getByRole('combobox', { name: 'Group' }).selectOption('floor: 4');
      expect((await tableRows(page)).map((r) => [r[1].split('\n')[0], r[2]])).toEqual([['Tegel (3.01)', 'changed'], ['Elbe (4.01)', 'missing'], ['Elbe (4.01)', 'mailbox-missing']]);
      await page.getByRole('combobox', { name: 'Group' }).selectOption('site: munich');
      expect((await tableRows(page)).map((r) => r[1].split('\n')[0])).toEqual(['Lech (2.01)']);
      await page.getByRole('combobox', { name: 'Group' }).selectOption('');

      const name = page.getByRole('columnheader', { name: 'Name' });
      expect(await name.getAttribute('aria-sort')).toBe('none');
      await name.getByRole('button').click();
      expect(await name.getAttribute('aria-sort')).toBe('ascending');
      const names = (await tableRows(page)).map((r) => r[1].split('\n')[0]);
      expect(names).toEqual(['Elbe (4.01)', 'Elbe (4.01)', 'Havel (2.02)', 'Havel (2.02)', 'Lech (2.01)', 'Munich meeting rooms', 'Spree (2.01)', 'Tegel (3.01)']);
      await name.getByRole('button').click();
      expect(await name.getAttribute('aria-sort')).toBe('descending');
      expect((await tableRows(page)).map((r) => r[1].split('\n')[0])[0]).toBe('Tegel (3.01)');

      // From the search box, Tab goes through the three filters to the first header; Enter sorts by it.
      await search.focus();
      for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement!.closest('th')?.getAttribute('data-key'))).toBe('resource');
      await page.keyboard.press('Enter');
      expect(await page.getByRole('columnheader', { name: 'Resource' }).getAttribute('aria-sort')).toBe('ascending');
      expect(await name.getAttribute('aria-sort')).toBe('none');
      expect((await tableRows(page)).map((r) => r[0])).toEqual(['profile', 'room', 'room', 'room', 'room', 'room', 'room', 'room']);
      expect(requests).toEqual([url]);
      await page.close();
    });

    test.each(['light', 'dark'] as const)('%s: every text meets WCAG AA contrast', async (scheme) => {
      const { page } = await open(browser, report, scheme);
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(scheme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(13, 17, 23)');
      expect(await lowContrast(page)).toEqual([]);
      await page.close();
    });

    test('check --html and test-booking --html on the same fleet', async () => {
      const check = cli(['check', 'rooms.yaml', '--local', '--state', '.a4b-local', '--html', 'check.html'], dir);
      expect(check.status).toBe(1);
      const booking = cli(['test-booking', 'rooms.yaml', '--local', '--state', '.a4b-local', '--rooms', 'Spree (2.01),Isar (1.01)', '--html', 'booking.html'], dir);
      expect(booking.status).toBe(0);

      const c = await open(browser, path.join(dir, 'check.html'));
      expect(await c.page.locator('h1').innerText()).toBe('Office 365 check: problems');
      expect(await counts(c.page)).toMatchObject({ 'mailboxes checked': 12, 'bad rooms': 2, 'link problems': 0 });
      expect((await tableRows(c.page)).map((r) => [r[1].split('\n')[0], r[2], r[6]])).toEqual([
        ['Havel (2.02)', 'mailbox-missing', 'create the room mailbox (New-Mailbox -Room), or correct the address'],
        ['Elbe (4.01)', 'mailbox-missing', 'create the room mailbox (New-Mailbox -Room), or correct the address'],
      ]);
      expect([c.requests, c.problems]).toEqual([[c.url], []]);

      const b = await open(browser, path.join(dir, 'booking.html'));
      expect(await b.page.locator('h1').innerText()).toBe('Test booking: passed');
      expect(await counts(b.page)).toMatchObject({ 'rooms passed': 2, 'rooms failed': 0 });
      expect((await tableRows(b.page)).map((r) => [r[1].split('\n')[0], r[2], r[5], r[7]])).toEqual([
        ['Spree (2.01)', 'passed', 'accepted, yes, yes', 'profile: Berlin meeting rooms · floor: 2'],
        ['Isar (1.01)', 'passed', 'accepted, yes, yes', 'profile: Munich meeting rooms · site: munich'],
      ]);
      expect([b.requests, b.problems]).toEqual([[b.url], []]);
      await Promise.all([c.page.close(), b.page.close()]);
    });
  });

  test('hostile room names stay text: no script runs, nothing breaks out of the data', async () => {
    const hostile = ['</script><script>window.pwned=1</script>', 'line\u2028sep\u2029para', '<!--<script>', '"><img src=x onerror="window.pwned=2">'];
    const rows: HtmlRow[] = hostile.map((name) => ({ resource: 'room', name, kind: 'changed', field: 'description', declared: name, live: 'x', fix: 'cdk deploy', console: 'javascript:window.pwned=3', groups: { floor: name } }));
    const file = path.join(dir, 'hostile.html');
    fs.writeFileSync(file, toHtml({
      title: 'A4B drift', status: 'drifted', tone: 'warn', exitCode: 2, exitMeaning: 'drift', generated: 'now', source: hostile[0], counts: [], errors: [hostile[3]], notes: [], rows, rowNoun: 'finding',
    }));
    const { page, requests, problems, url } = await open(browser, file);
    await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
    await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
    expect(await page.evaluate(() => (window as any).pwned)).toBeUndefined();
    expect((await page.$$eval('#findings tbody th', (ths) => ths.map((t) => t.textContent))).sort()).toEqual([...hostile].sort());
    // A javascript: URL is never made a link.
    expect(await page.locator('#findings a').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect([requests, problems]).toEqual([[url], []]);
    await page.close();
  });

  test('10,000 rooms: pages of 100, search, sort and paging work; printing lays out every matching row', async () => {
    const inventory: Inventory = quotaInventory({ rooms: 10_000, profiles: 20, skillGroups: 30, seed: 7 });
    const desired = desiredFromInventory(inventory);
    // The live fleet, worse than a bad day: every 10th room missing, 4 in 5 with an edited description, every 4th with
    // another mailbox, every 7th moved a floor; 200 unmanaged. Over 10,000 findings.
    const liveRooms = new Map<string, RoomState>();
    [...desired.rooms].forEach(([k, r], i) => {
      if (i % 10 === 0) return;
      liveRooms.set(k, {
        ...r, arn: `arn:aws:a4b:us-east-1:123456789012:room/${i}`, description: i % 5 !== 1 ? 'edited in the console' : r.description,
        mailbox: i % 4 === 0 ? `moved-${r.mailbox}` : r.mailbox,
        tags: i % 7 === 0 ? { ...r.tags, floor: `${r.tags.floor}0` } : r.tags,
      });
    });
    for (let i = 0; i < 200; i++) liveRooms.set(`stray ${i}`, { name: `Stray ${i}`, profile: desired.profiles.values().next().value!.name, tags: {}, arn: `arn:aws:a4b:us-east-1:123456789012:room/s${i}` });
    const live: LiveState = {
      rooms: liveRooms, profiles: new Map([...desired.profiles].map(([k, p]) => [k, { ...p, arn: `arn:aws:a4b:us-east-1:123456789012:profile/${k}` }])),
      skillGroups: desired.skillGroups, mailboxes: new Map(), unknownRooms: new Map(), errors: [],
    };
    const report = compare(desired, live);
    expect(report.findings.length).toBeGreaterThan(10_000);
    const file = path.join(dir, 'fleet-10000.html');
    const html = toHtml(driftHtml(report, driftFacts(desired, live), { generated: 'now', source: '10,000 rooms', deploy: 'cdk deploy', region: 'us-east-1', link: desired.link }));
    fs.writeFileSync(file, html);

    const started = Date.now();
    const { page, requests, problems, url } = await open(browser, file);
    const wall = Date.now() - started;
    // A figure for docs/benchmarks.md, not an assertion (the machine's speed is not the report's); a passing test prints
    // nothing unless asked.
    if (process.env.A4B_REPORT_TIMING) {
      process.stderr.write(`10,000-room HTML report: ${(html.length / 1e6).toFixed(1)} MB, ${report.findings.length} findings, interactive ${await page.getAttribute('html', 'data-ready')} ms `
      + `after navigation start (${wall} ms from goto to ready)\n`);
    }

    const missing = 1000;
    const changedRooms = new Set(report.findings.filter((f) => f.kind === 'changed').map((f) => f.name)).size;
    expect(await counts(page)).toMatchObject({ 'rooms missing': missing, 'rooms unmanaged': 200, 'rooms drifted': changedRooms, 'rooms in sync': 10_000 - missing - changedRooms, 'findings': report.findings.length });
    expect(await tableRows(page)).toHaveLength(100);
    expect(await page.getByRole('status').innerText()).toBe(`Showing 1–100 of ${report.findings.length} findings`);
    await page.getByRole('button', { name: 'Next page' }).click();
    expect(await page.getByRole('status').innerText()).toBe(`Showing 101–200 of ${report.findings.length} findings`);

    // A room halfway down that has drifted, found by its mailbox (the address is in no other row).
    const changed = report.findings.filter((f) => f.kind === 'changed');
    const one = desired.rooms.get(changed[changed.length >> 1].name.toLowerCase())!;
    await page.getByRole('searchbox', { name: 'Search' }).fill(one.mailbox!);
    const found = await tableRows(page);
    expect(found.length).toBe(report.findings.filter((f) => f.name === one.name).length);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((r) => r[1] === `${one.name}\n${one.mailbox}`)).toBe(true);
    await page.getByRole('searchbox', { name: 'Search' }).fill('');

    await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
    const first = (await tableRows(page)).slice(0, 3).map((r) => r[1].split('\n')[0]);
    const sorted = report.findings.map((f) => f.name).sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }));
    expect(first).toEqual(sorted.slice(0, 3));

    // Printing (a real print: page.pdf fires beforeprint and afterprint) lays out every row that matches the filter,
    // then the page goes back to its page of 100. Filtered to the missing rooms, to keep the PDF short.
    await page.getByRole('combobox', { name: 'Kind' }).selectOption('missing');
    await page.evaluate(() => {
      const w = window as any;
      w.printedRows = [];
      window.addEventListener('beforeprint', () => w.printedRows.push(document.querySelectorAll('#findings tbody tr').length));
    });
    expect((await page.pdf()).length).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as any).printedRows)).toEqual([missing]);
    expect(await page.locator('#findings tbody tr').count()).toBe(100);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#print-note').innerText()).toBe(`All ${missing} findings matching the filters are printed.`);
    expect(await page.locator('.controls').isVisible()).toBe(false);
    expect(await page.locator('.pager').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('#print-note').isVisible()).toBe(false);

    expect([requests, problems]).toEqual([[url], []]);
    await page.close();
  });
});
