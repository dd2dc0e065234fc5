'use strict';
// The response monitor (issue 23, item 2): a begeleider makes a place link; a teller on a
// phone follows it and tells a story with JavaScript, another without; the monitor's counters
// for that place move from 0 to 2 (opened, started, sent), equal to the counter table, and the
// monitor page has no axe findings at all, on a phone and on a desktop.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const h = require('../lib/harness');
const { auditor, markNoScript, axeViolations } = require('../lib/a11y');
const { fillByKeyboard } = require('../lib/story');

const P = `/beheer/p/${h.PROJECT}`;

/** The counters of a place straight from the database: { geopend, begonnen, verstuurd }. */
function countersOf(place) {
  const url = process.env.DATABASE_URL || '';
  if (!url || url.startsWith('postgres')) throw new Error('the browser tests read a SQLite DATABASE_URL');
  const file = url.replace(/^sqlite:\/\//, '');
  const query = `
import json, sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT stage, SUM(count) FROM response_counts WHERE project_slug = ? AND place = ? GROUP BY stage",
    (sys.argv[2], sys.argv[3])).fetchall()
print(json.dumps(dict(rows)))
`;
  const out = JSON.parse(execFileSync('python3', ['-c', query, file, h.PROJECT, place], { encoding: 'utf8' }));
  return { geopend: out.geopend || 0, begonnen: out.begonnen || 0, verstuurd: out.verstuurd || 0 };
}

/** The monitor's row of a place: [opened, started, sent] as shown. */
async function placeRow(page, code) {
  await h.open(page, `${P}/respons`);
  const cells = page.locator(`#plek-${code} td`);
  const texts = (await cells.allTextContents()).map((t) => t.trim());
  // After the link: opened, started, sent (the last cell leads to the campaign kit).
  return texts.slice(1, 4);
}

/** A teller on a phone follows the place link and tells a story. */
async function tell(browser, code, javaScriptEnabled, shot, a11y) {
  const context = await h.newContext(browser, { ...h.PHONE, javaScriptEnabled });
  if (!javaScriptEnabled) markNoScript(context);
  const page = await context.newPage();
  const label = javaScriptEnabled ? 'js' : 'zonder-js';
  // The place's short link, as the poster prints it, leads to the vertelpunt with the place.
  await h.open(page, `/v/${h.PROJECT}/p/${code}`);
  assert.equal(new URL(page.url()).searchParams.get('plek'), code);
  await page.getByRole('link', { name: 'Ik ben een kind of jongere' }).click();
  await page.waitForURL(new RegExp(`/vertel\\?rol=jongere&plek=${code}`));
  assert.equal(await page.locator('input[name=plek]').inputValue(), code, 'the form carries the place');
  assert.ok((await page.locator('input[name=meting]').inputValue()).length > 20, 'and a signed measure');
  await shot(page, `formulier-${label}`);
  await a11y.check(page, `story form from a place link (${label})`);
  const story = h.fixtureStory(`respons-${label}`);
  await fillByKeyboard(page, story, { naKey: 'regie' });
  await Promise.all([page.waitForURL(/\/vertel$/), page.keyboard.press('Enter')]);
  await page.getByRole('heading', { level: 1, name: 'Dank je wel voor je verhaal' }).waitFor();
  await shot(page, `bedankt-${label}`);
  await context.close();
}

/** Sets the project's k on its privacy page. */
async function setK(page, k) {
  await h.open(page, `${P}/privacy`);
  await page.locator('#k').fill(String(k));
  await h.clickAndLoad(page, page.getByRole('button', { name: /opslaan/i }).first());
}

test('a place link counts opened, started and sent, and the monitor shows it', { timeout: 300000 }, async () => {
  const browser = await h.launch();
  const a11y = auditor('respons');
  const shot = h.screenshots('respons');
  const context = await h.newContext(browser, h.DESKTOP);
  const page = await context.newPage();
  try {
    await h.signIn(page);
    // k = 2, so that two stories may be shown as a number (put back at the end).
    await setK(page, 2);

    await h.open(page, `${P}/respons`);
    await page.getByLabel('Naam van de plek of het kanaal').fill('Wachtkamer browsertest');
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Maak een plek-link' }));
    const row = page.locator('#plek-tabel tr', { hasText: 'Wachtkamer browsertest' });
    const link = (await row.locator('code').textContent()).trim();
    const code = new URL(link).pathname.split('/').pop();
    assert.match(code, /^[0-9a-z]{6}$/, `a place code: ${code}`);
    assert.deepEqual(await placeRow(page, code), ['0', '0', '0'], 'nothing counted yet');

    await tell(browser, code, true, shot, a11y);
    assert.deepEqual(countersOf(code), { geopend: 1, begonnen: 1, verstuurd: 1 });
    // One of each is under k = 2.
    assert.deepEqual(await placeRow(page, code), ['< 2', '< 2', '< 2']);

    await tell(browser, code, false, shot, a11y);
    const counted = countersOf(code);
    assert.deepEqual(counted, { geopend: 2, begonnen: 2, verstuurd: 2 });
    assert.deepEqual(await placeRow(page, code), ['2', '2', '2'], 'the monitor equals the counter table');

    // The monitor page at desktop and at 390 px: screenshots, and no axe finding at all.
    await h.open(page, `${P}/respons`);
    await shot(page, 'monitor-desktop');
    await a11y.check(page, 'response monitor (desktop)');
    assert.deepEqual((await axeViolations(page)).map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target} ${n.html}`).join(" | ")}`), [], 'axe at zero on the monitor');
    const phone = await h.newContext(browser, h.PHONE);
    const phonePage = await phone.newPage();
    await h.signIn(phonePage);
    await h.open(phonePage, `${P}/respons`);
    await shot(phonePage, 'monitor-390');
    await a11y.check(phonePage, 'response monitor (390 px)');
    assert.deepEqual((await axeViolations(phonePage)).map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target} ${n.html}`).join(" | ")}`), [], 'axe at zero at 390 px');
    // A refused target comes back with what was typed.
    await h.open(page, `${P}/respons`);
    await page.locator('summary', { hasText: 'Doelen instellen' }).click();
    await page.getByLabel('Ik ben een kind of jongere').fill('veel');
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Doelen opslaan' }));
    assert.equal(await page.getByLabel('Ik ben een kind of jongere').inputValue(), 'veel');
    await shot(page, 'doelen-fout');
    await a11y.check(page, 'response monitor with a refused target');
    await phone.close();
  } finally {
    await setK(page, 5).catch(() => {});
    await context.close();
    await browser.close();
  }
  a11y.assertClean();
});
