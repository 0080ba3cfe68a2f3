// The workbench in a real browser: Debian's chromium driven by playwright-core, against
// a real `postmottak serve` on a loopback port over a store with a generated batch taken
// in. Each scenario saves a screenshot under --out; every page is checked with axe-core
// (no serious or critical violation).
//
//   node tests/browser/workbench.test.mjs --cli build/cli/postmottak \
//        --samples build/samples/postmottak-samples --out build/screenshots
//
// Exit 0 when every scenario passed, 1 otherwise, 77 (skipped) when chromium is missing.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`--${name} is required`);
  return process.argv[i + 1];
}

const cli = resolve(arg('cli'));
const samples = resolve(arg('samples'));
const out = resolve(arg('out'));
if (!existsSync(CHROMIUM)) {
  console.log(`skipped: no chromium at ${CHROMIUM} (the README set-up installs it)`);
  process.exit(77);
}
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'postmottak-browser-'));
const env = { ...process.env, OMP_THREAD_LIMIT: '1' };

function run(args, options = {}) {
  return execFileSync(args[0], args.slice(1), { cwd: work, env, encoding: 'utf8', ...options });
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// ---- a store with a batch taken in, tokens, and the server ----

// With a medical certificate only a person can place: its person has two open cases.
run([samples, '--db', 'store', '--out', 'batch', '--pages', '12', '--seed', '5', '--ambiguous']);
run([cli, '--db', 'store', '--principal', 'service:intake', 'intake', 'batch/scans']);
// A second delivery taken in with too low a page limit: its file waits in quarantine.
run([samples, '--db', 'store', '--out', 'late', '--pages', '3', '--pages-per-file', '3', '--seed', '6',
  '--first-case', '4101']);
run([cli, '--db', 'store', '--principal', 'service:intake', 'intake', 'late/scans', '--max-pages', '2']);
const token = (principal, ttl = '1h') =>
  run([cli, 'token', 'issue', '--principal', principal, '--ttl', ttl, '--key', 'key.pem'],
    { stdio: ['ignore', 'pipe', 'ignore'] }).trim();
token('user:kari');  // makes the key and its JWKS
writeFileSync(join(work, 'server.json'), JSON.stringify({
  tokens: { jwks_file: join(work, 'key.pem.jwks.json'), issuer: 'postmottak-dev', audience: 'postmottak' },
}));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(cli, ['--db', 'store', 'serve', '--listen', `127.0.0.1:${port}`, '--config', 'server.json'],
  { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
let serverLog = '';
server.stdout.on('data', (d) => { serverLog += d; });
server.stderr.on('data', (d) => { serverLog += d; });
for (let i = 0; ; ++i) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {
    // not yet
  }
  if (i > 200) throw new Error(`the server did not start:\n${serverLog}`);
  await new Promise((r) => setTimeout(r, 50));
}

// ---- scenarios ----

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
const failures = [];
const axeFindings = [];

function check(condition, what) {
  if (!condition) throw new Error(what);
}

async function accessible(page, name) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
  });
  const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  axeFindings.push({ page: name, violations: result });
  check(serious.length === 0, `${name}: axe found ${JSON.stringify(serious)}`);
}

async function signIn(page, principal, ttl) {
  await page.goto(`${base}/`);
  await page.getByRole('heading', { name: 'Logg inn' }).waitFor();
  await page.getByLabel('Token').fill(token(principal, ttl));
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.getByRole('heading', { name: /Kontorbenk/ }).waitFor();
  await page.waitForFunction((p) => document.getElementById('who-name')?.textContent === p, principal);
}

async function scenario(name, body) {
  // axe is injected as a script: the pages' own CSP would (rightly) refuse it.
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, bypassCSP: true });
  const page = await context.newPage();
  try {
    await body(page, context);
    console.log(`ok    ${name}`);
  } catch (error) {
    failures.push(name);
    console.log(`FAIL  ${name}: ${error.message}`);
  } finally {
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: true }).catch(() => {});
    await context.close();
  }
}

await scenario('sign-in', async (page) => {
  await page.goto(`${base}/`);
  await page.getByRole('heading', { name: 'Logg inn' }).waitFor();
  await accessible(page, 'sign-in');
  await page.getByLabel('Token').fill('not a token');
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.getByText('Tokenet ble ikke godtatt').waitFor();
});

await scenario('unit-queue', async (page) => {
  await signIn(page, 'user:kari');
  check(await page.locator('#who-name').textContent() === 'user:kari', 'the principal is shown');
  check(await page.locator('#who-unit').textContent() === 'Enhet 0301', 'the unit is shown');
  // Only the unit's own queue: every task the page lists is 0301's.
  const tasks = await page.evaluate(async () => (await fetch('/api/v1/tasks?unit=0301')).json());
  const rows = await page.locator('tbody tr').count();
  check(rows > 0 && rows === Math.min(tasks.length, 50), `${rows} rows for ${tasks.length} tasks`);
  check(tasks.every((t) => t.unit === '0301'), 'only unit 0301');
  await accessible(page, 'unit-queue');
});

await scenario('take-a-task', async (page) => {
  await signIn(page, 'user:kari');
  await page.getByRole('button', { name: 'Ta' }).first().click();
  await page.getByText('Oppgaven er tatt.').waitFor();
  await page.getByLabel('Vis').selectOption('mine');
  await page.waitForFunction(() => document.querySelector('.pager span')?.textContent.includes('(1 oppgaver)'));
  const mine = page.locator('tbody tr');
  check(await mine.count() === 1, `one task of mine, not ${await mine.count()}`);
  check((await mine.first().textContent()).includes('user:kari'), 'held by kari');
  await page.getByRole('button', { name: 'Legg tilbake' }).click();
  await page.getByText('Oppgaven er lagt tilbake i køen.').waitFor();
});

await scenario('case-page', async (page) => {
  await signIn(page, 'user:kari');
  // A case whose documents have all arrived: it has pages to look at.
  const tasks = await page.evaluate(async () => (await fetch('/api/v1/tasks?unit=0301')).json());
  const ready = tasks.find((t) => t.kind === 'ready_for_decision');
  check(ready, 'a case ready for decision in the batch');
  await page.getByRole('link', { name: ready.case_id }).first().click();
  await page.getByRole('heading', { name: `Sak ${ready.case_id}` }).waitFor();
  await page.getByRole('heading', { name: 'Sjekkliste' }).waitFor();
  const checklist = await page.locator('section').first().textContent();
  check(!checklist.includes('Nei'), 'every required document received');
  await page.locator('button.thumb').first().click();
  const image = page.locator('img.page-image');
  await image.waitFor();
  await page.waitForFunction(() => document.querySelector('img.page-image')?.naturalWidth > 0);
  await page.waitForFunction(() => (document.querySelector('pre.ocr-text')?.textContent || '').length > 20);
  await page.getByRole('button', { name: 'Roter' }).click();
  check((await image.getAttribute('style')).includes('rotate(90deg)'), 'rotated');
  await accessible(page, 'case-page');
});

await scenario('manual-journaling', async (page) => {
  const truth = JSON.parse(readFileSync(join(work, 'batch', 'truth.json'), 'utf8'));
  const waiting = truth.documents.find((d) => d.intended_case);
  check(waiting, 'the batch holds a document for manual journaling');
  const target = truth.cases.find((c) => c.id === waiting.intended_case);
  // The deciding unit's caseworker sees the case still waiting for the certificate.
  const kariContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const kari = await kariContext.newPage();
  await signIn(kari, 'user:kari');
  const certificateRow = async () => {
    await kari.goto(`${base}/#/sak/${target.id}`);
    await kari.reload();  // the same address again: read the case anew
    await kari.getByRole('heading', { name: 'Sjekkliste' }).waitFor();
    return kari.locator('section', { has: kari.getByRole('heading', { name: 'Sjekkliste' }) })
      .locator('tr', { hasText: 'Legeerklæring' }).textContent();
  };
  check((await certificateRow()).includes('Nei'), 'the certificate is missing before');

  // The intake unit opens it from its queue: the page image, the text, the candidates.
  await signIn(page, 'user:per');
  await page.getByRole('link', { name: 'Journalføring' }).click();
  await page.getByRole('link', { name: 'Begynn med det eldste' }).waitFor();
  await accessible(page, 'journaling-queue');
  await page.getByRole('link', { name: 'Begynn med det eldste' }).click();
  await page.getByRole('heading', { name: 'Journalfør Legeerklæring' }).waitFor();
  await page.waitForFunction(() => document.querySelector('img.page-image')?.naturalWidth > 0);
  await page.waitForFunction(() => (document.querySelector('pre.ocr-text')?.textContent || '').length > 20);
  check(!(await page.locator('main').textContent()).includes(target.person_id), 'ids masked in the fields');
  // OCR may have lost the id: then the journaler types it off the page.
  let option = page.getByRole('radio', { name: new RegExp(`Sak ${target.id}`) });
  if (!(await option.count())) {
    await page.keyboard.press('p');
    await page.keyboard.type(target.person_id);
    await page.keyboard.press('Enter');
    await option.waitFor();
  }
  check(await page.getByRole('radio').count() >= 2, 'both of the person\'s cases are candidates');
  await accessible(page, 'manual-journaling');
  await page.screenshot({ path: join(out, 'journaling.png'), fullPage: true });
  // By keyboard: the candidate's number, then J.
  const position = await page.getByRole('radio').evaluateAll(
    (radios, id) => radios.findIndex((r) => r.value === id), target.id);
  await page.locator('main h1').click();  // focus on the page, not in a field
  await page.keyboard.press(String(position + 1));
  check(await option.isChecked(), 'the number key chose the case');
  await page.keyboard.press('j');
  await page.getByText(`Journalført på sak ${target.id}.`).waitFor();
  // The queue is empty now: the next document would have opened by itself.
  await page.getByText('Ingen flere dokumenter venter.').waitFor();
  check((await certificateRow()).includes('Ja'), 'the checklist counts the certificate now');
  await kari.screenshot({ path: join(out, 'journaled-case.png'), fullPage: true });
  await kariContext.close();
  await accessible(page, 'journaling-queue-empty');
});

await scenario('status-search', async (page) => {
  await signIn(page, 'user:kontakt');
  await page.getByRole('link', { name: 'Status for innbygger' }).click();
  const truth = JSON.parse(readFileSync(join(work, 'batch', 'truth.json'), 'utf8'));
  const personCase = truth.cases?.[0] ?? null;
  check(personCase?.person_id, 'the batch names a person');
  await page.getByLabel('Fødselsnummer eller saksnummer').fill(personCase.person_id);
  await page.getByRole('button', { name: 'Søk' }).click();
  await page.getByRole('heading', { name: `Saker for ${personCase.person_id.slice(0, 6)}*****` }).waitFor();
  const shown = await page.locator('main').textContent();
  check(!shown.includes(personCase.person_id), 'the id is masked on the page');
  check(shown.includes(personCase.id), `the case ${personCase.id} is listed`);
  await accessible(page, 'status-search');
});

await scenario('mail-room-retry', async (page) => {
  await signIn(page, 'user:arkiv');
  await page.getByRole('link', { name: 'Postrom' }).click();
  await page.getByRole('heading', { name: 'Karantene' }).waitFor();
  const row = page.locator('section', { has: page.getByRole('heading', { name: 'Karantene' }) }).locator('tbody tr');
  const held = await row.count();
  check(held >= 1, 'the late delivery waits in quarantine');
  const tiff = row.filter({ hasText: '.tif' }).first();
  check((await tiff.textContent()).includes('exceeds the limit'), 'its reason');
  await tiff.getByRole('button', { name: 'Vis' }).click();
  await page.waitForFunction(() => document.querySelector('img.quarantine-image')?.naturalWidth > 0);
  await accessible(page, 'mail-room');
  await page.screenshot({ path: join(out, 'mail-room.png'), fullPage: true });
  await tiff.getByRole('button', { name: 'Prøv igjen' }).click();
  await page.getByText(/Tatt inn på nytt/).waitFor();
  check(await row.count() === held - 1, 'one fewer in quarantine');
  await page.getByRole('link', { name: 'Vis' }).first().click();
  await page.getByRole('heading', { name: /Avstemming av/ }).waitFor();
  await accessible(page, 'reconciliation');
});

await scenario('forged-cookie', async (page, context) => {
  await context.addCookies([{ name: 'pm_session', value: 'A'.repeat(43), url: base }]);
  await page.goto(`${base}/#/kontorbenk`);
  await page.getByRole('heading', { name: 'Logg inn' }).waitFor();
  const status = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
  check(status === 401, `a forged session is 401, not ${status}`);
});

await scenario('expired-session', async (page) => {
  await signIn(page, 'user:kari', '3s');
  await page.waitForTimeout(3500);
  await page.getByLabel('Vis').selectOption('free');  // nothing asked yet: a reload asks
  await page.reload();
  await page.getByRole('heading', { name: 'Logg inn' }).waitFor();
});

await scenario('sign-out', async (page) => {
  await signIn(page, 'user:kari');
  await page.getByRole('button', { name: 'Logg ut' }).click();
  await page.getByText('Du er logget ut.').waitFor();
  const status = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
  check(status === 401, 'the session is gone');
});

await scenario('cross-site-post', async (page, context) => {
  await signIn(page, 'user:kari');
  // Another site (another origin: localhost, not 127.0.0.1) posts a form to the server.
  const evil = await context.newPage();
  await evil.goto(`http://localhost:${port}/healthz`);
  await evil.setContent(`<form method="post" action="${base}/api/v1/tasks/next">
    <input name="x" value="1"><button>send</button></form>`);
  await evil.getByRole('button', { name: 'send' }).click();
  await evil.waitForLoadState();
  const answer = await evil.textContent('body');
  check(answer.includes('cross-site request refused') || answer.includes('unauthenticated'),
    `refused: ${answer.slice(0, 200)}`);
  const mine = await page.evaluate(async () => (await fetch('/api/v1/tasks?mine=true')).json());
  check(mine.length === 0, 'no task was taken by the forged request');
  await evil.close();
});

await browser.close();
server.kill('SIGTERM');
writeFileSync(join(out, 'axe.json'), JSON.stringify(axeFindings, null, 2));
if (failures.length) {
  console.log(`server log:\n${serverLog.slice(-3000)}`);
  console.log(`${failures.length} scenario(s) failed: ${failures.join(', ')}`);
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
console.log(`all scenarios passed; screenshots in ${out}`);
