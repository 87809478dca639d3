#!/usr/bin/env node
// npm run bench (or node bench/html-report.js after npm run build): how long the HTML drift report of a large fleet
// takes to become interactive in Chromium (its script has parsed the data and rendered the first page of the table).
// Figures, not assertions; test/drift/report-html-browser.test.ts asserts what the same page shows.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');

const root = path.join(__dirname, '..');
const { quotaInventory } = require(path.join(root, 'bench', 'quota-inventory'));
const { compare } = require(path.join(root, 'lib', 'drift', 'compare'));
const { desiredFromInventory } = require(path.join(root, 'lib', 'drift', 'desired'));
const { driftFacts, driftHtml, toHtml } = require(path.join(root, 'lib', 'drift', 'report-html'));

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The report of n declared rooms where every 10th is missing, 4 in 5 have an edited description, every 4th another mailbox. */
function driftedFleetHtml(n) {
  const desired = desiredFromInventory(quotaInventory({ rooms: n, profiles: 20, skillGroups: 30, seed: 7 }));
  const rooms = new Map();
  [...desired.rooms].forEach(([k, r], i) => {
    if (i % 10 === 0) return;
    rooms.set(k, { ...r, arn: `arn:aws:a4b:us-east-1:123456789012:room/${i}`, description: i % 5 !== 1 ? 'edited in the console' : r.description, mailbox: i % 4 === 0 ? `moved-${r.mailbox}` : r.mailbox });
  });
  const live = { rooms, profiles: desired.profiles, skillGroups: desired.skillGroups, mailboxes: new Map(), unknownRooms: new Map(), errors: [] };
  const report = compare(desired, live);
  return { findings: report.findings.length, html: toHtml(driftHtml(report, driftFacts(desired, live), { generated: new Date().toISOString(), source: `${n} rooms`, deploy: 'cdk deploy', region: 'us-east-1' })) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function benchHtmlReport(n = 10000, reps = 5) {
  if (!fs.existsSync(CHROMIUM)) {
    console.log(`HTML report: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
    return;
  }
  const { chromium } = require('playwright-core');
  const { findings, html } = driftedFleetHtml(n);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'a4b-bench-html-'));
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, html);
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const ready = [];
    for (let i = 0; i < reps; i++) {
      // A fresh page each time: nothing cached from the run before.
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('html[data-ready]');
      ready.push(Number(await page.getAttribute('html', 'data-ready')));
      await page.close();
    }
    console.log(`HTML drift report of ${n.toLocaleString('en-US')} rooms (${findings.toLocaleString('en-US')} findings, ${(html.length / 1e6).toFixed(1)} MB): `
      + `interactive ${median(ready)} ms after navigation start (median of ${reps}; ${Math.min(...ready)}-${Math.max(...ready)} ms)`);
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { benchHtmlReport, driftedFleetHtml };

if (require.main === module) {
  benchHtmlReport(Number(process.env.BENCH_HTML_ROOMS ?? 10000), Number(process.env.BENCH_HTML_REPS ?? 5)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
