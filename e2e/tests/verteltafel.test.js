'use strict';
// A verteltafel on a phone without a connection (issue 20). A begeleider opens a table; the
// device types its code and loads the table once with a connection; then the network goes off
// (playwright's offline mode) and three tellers tell their story: each is kept on the device,
// encrypted (IndexedDB holds no plain text), and the count says 3. Back online the device
// sends them; the server has each story once, and sending them all again stores nothing twice.
// The table pages pass the audit with zero axe findings, with and without JavaScript.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');
const { auditor, markNoScript, axeViolations } = require('../lib/a11y');
const { storiesWith } = require('../lib/db');

const P = `/v/${h.PROJECT}`;
const SEND = `${P}/tafel/nasturen`;

/** The begeleider opens a table on the staff pages and reads its code. */
async function openTable(page, name) {
  await h.open(page, `/beheer/p/${h.PROJECT}/verteltafels`);
  await page.getByLabel('Naam van de verteltafel').fill(name);
  await page.getByLabel('Plaats en datum').fill('Jongerencentrum De Pit, 12 maart');
  await h.clickAndLoad(page, page.getByRole('button', { name: 'Open de verteltafel' }));
  return (await page.locator('#tafelcode').textContent()).trim();
}

/** The number of stories the staff page counts for the table. */
async function storiesAtTable(page, name) {
  await h.open(page, `/beheer/p/${h.PROJECT}/verteltafels`);
  const row = page.locator('tr', { has: page.locator('td', { hasText: name }) });
  return Number((await row.locator('td.number').textContent()).trim());
}

/** Fills the table's story form as a worker does for a teller. */
async function fillStory(page, story, { javaScript = true } = {}) {
  await page.locator('#veld-verhaal').fill(story.text);
  await page.locator('#veld-titel').fill(story.title);
  for (const [key, value] of [['gehoord', '80'], ['juiste_hulp', '60'], ['op_tijd', '25']]) {
    await page.locator(`#schuif-${key}`).fill(value);
    // With JavaScript moving the slider chooses "my answer"; without it the worker does.
    if (!javaScript) await page.locator(`#stand-${key}-schuif`).check();
  }
  await page.locator('#toestemming-analyse').check();
  await page.locator('#voorgelezen').check();
}

/** The audit of a table page, and zero axe findings of any impact. */
async function audit(a11y, page, label, options) {
  await a11y.check(page, label, options);
  const all = await axeViolations(page);
  assert.deepEqual(all.map((v) => `${v.impact} ${v.id}`), [], `${label}: axe findings`);
}

/** Everything IndexedDB holds for the table, with every byte array read as text. */
function storedOnDevice(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('vertelpunt-verteltafel');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const read = (store) => new Promise((resolve) => {
      const request = db.transaction(store).objectStore(store).getAll();
      request.onsuccess = () => resolve(request.result);
    });
    const decoder = new TextDecoder('utf-8', { fatal: false });
    const asText = (value) => JSON.stringify(value, (k, v) => {
      if (v instanceof ArrayBuffer) return decoder.decode(new Uint8Array(v));
      if (ArrayBuffer.isView(v)) return decoder.decode(v);
      if (v instanceof CryptoKey) return { cryptoKey: v.algorithm.name, extractable: v.extractable };
      return v;
    });
    const queue = await read('queue');
    const keys = await read('keys');
    const state = await read('state');
    db.close();
    return { count: queue.length, queue: asText(queue), keys: asText(keys), state: asText(state) };
  });
}

/** "Nu versturen", unless the device is already sending by itself (then it is hidden). */
async function sendNow(page) {
  await page.evaluate(() => {
    const button = document.getElementById('tafel-nu-versturen');
    if (button && !button.hidden) button.click();
  });
}

/** Waits until `check()` holds (answers are read from responses asynchronously). */
async function until(check, what) {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** The kept (encrypted) records in IndexedDB, copied out (runs in the page). */
async function keptRecords() {
  const db = await new Promise((resolve) => {
    const request = indexedDB.open('vertelpunt-verteltafel');
    request.onsuccess = () => resolve(request.result);
  });
  const records = await new Promise((resolve) => {
    const request = db.transaction('queue').objectStore('queue').getAll();
    request.onsuccess = () => resolve(request.result);
  });
  db.close();
  // Byte arrays as plain arrays, to come back through playwright.
  return records.map((r) => ({ ...r, iv: Array.from(r.iv), data: Array.from(new Uint8Array(r.data)) }));
}

/** Puts copied records back into IndexedDB (runs in the page). */
async function restoreRecords(records) {
  const db = await new Promise((resolve) => {
    const request = indexedDB.open('vertelpunt-verteltafel');
    request.onsuccess = () => resolve(request.result);
  });
  await new Promise((resolve, reject) => {
    const tx = db.transaction('queue', 'readwrite');
    for (const r of records) {
      tx.objectStore('queue').put({ ...r, iv: new Uint8Array(r.iv), data: new Uint8Array(r.data).buffer });
    }
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

test('a verteltafel takes three stories offline and sends each once', { timeout: 300000 }, async () => {
  const browser = await h.launch();
  const a11y = auditor('verteltafel');
  const shot = h.screenshots('verteltafel');
  const tableName = `Offline tafel ${Date.now()}`;
  try {
    const staffContext = await h.newContext(browser, h.DESKTOP);
    const staff = await staffContext.newPage();
    await h.signIn(staff);
    const code = await openTable(staff, tableName);
    assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    const context = await h.newContext(browser, { ...h.PHONE, serviceWorkers: 'allow' });
    const page = await context.newPage();
    const answers = [];
    page.on('response', async (response) => {
      if (new URL(response.url()).pathname === SEND) {
        answers.push((await response.json().catch(() => ({}))).uitkomst);
      }
    });

    // The code, typed loosely; the script derives the table's key and opens the table.
    await h.open(page, `${P}/tafel`);
    await shot(page, 'code');
    await audit(a11y, page, 'table: code');
    await page.getByLabel('Code van de verteltafel').fill(code.toLowerCase().replace(/-/g, ' '));
    await page.getByRole('button', { name: 'Open de verteltafel' }).click();
    await page.getByRole('heading', { level: 2, name: 'Wie vertelt er nu?' }).waitFor();
    // Its pages and assets are kept on the device before the connection goes.
    await page.waitForFunction(() => document.documentElement.getAttribute('data-tafel-offline') === 'klaar');
    await page.locator('#tafel-offline-klaar', { hasText: 'Valt het internet weg?' }).waitFor();
    await shot(page, 'wie-vertelt');
    await audit(a11y, page, 'table: who tells');

    // The form, loaded once with a connection.
    await h.clickAndLoad(page, page.getByRole('link', { name: 'Ik ben een kind of jongere' }));
    await page.waitForFunction(() => document.documentElement.getAttribute('data-tafel-offline') === 'klaar');
    assert.equal(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), true, 'the service worker controls the table');
    await shot(page, 'formulier');
    await audit(a11y, page, 'table: story form');

    // No connection from here on.
    await context.setOffline(true);
    assert.equal(await page.evaluate(() => navigator.onLine), false);

    const stories = [1, 2, 3].map((n) => h.fixtureStory(`verteltafel-offline-${n}`));
    const keys = new Set();
    const codes = new Set();
    for (const [i, story] of stories.entries()) {
      if (i > 0) {
        // The next teller: the table's pages come from the device.
        await h.clickAndLoad(page, page.getByRole('link', { name: 'Volgende verteller' }));
        await h.clickAndLoad(page, page.getByRole('link', { name: 'Ik ben een kind of jongere' }));
        assert.equal(await page.locator('#veld-verhaal').inputValue(), '', 'an empty form for the next teller');
      }
      keys.add(await page.locator('input[name="sleutel"]').inputValue());
      await fillStory(page, story);
      if (i === 0) await shot(page, 'formulier-ingevuld-offline');
      await page.getByRole('button', { name: 'Verstuur mijn verhaal' }).click();
      await page.getByRole('heading', { level: 1, name: 'Het verhaal is bewaard op dit apparaat' }).waitFor();
      const withdrawal = (await page.locator('#intrekcode').textContent()).trim();
      assert.match(withdrawal, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/, 'the teller gets a withdrawal code at once');
      codes.add(withdrawal);
      await page.locator(`#tafel-offline[data-count="${i + 1}"]`).waitFor();
      // Nothing of the story is left on the page.
      assert.equal(await page.locator('main').evaluate((m, t) => m.textContent.includes(t), story.marker), false);
      if (i === 0) {
        await shot(page, 'bewaard-offline');
        await audit(a11y, page, 'table: story kept offline');
      }
    }
    assert.equal(keys.size, 3, 'every teller a form key of their own');
    assert.equal(codes.size, 3, 'every teller a withdrawal code of their own');
    await page.locator('#tafel-offline-stand', { hasText: 'Verhalen die nog wachten op dit apparaat: 3.' }).waitFor();
    assert.equal(answers.length, 0, 'nothing reached the server without a connection');

    // On the device: three records, no plain text; a non-extractable key; not the code.
    const stored = await storedOnDevice(page);
    assert.equal(stored.count, 3);
    for (const story of stories) {
      for (const word of [story.marker, story.title, 'De begeleider luisterde goed']) {
        assert.equal(stored.queue.includes(word), false, `no plain "${word}" in IndexedDB`);
      }
    }
    assert.match(stored.keys, /"cryptoKey":"AES-GCM","extractable":false/);
    for (const text of [stored.queue, stored.keys, stored.state]) {
      assert.equal(text.includes(code), false, 'the table code is not stored');
    }
    // Nor in the service worker's cache (pages and assets only).
    const cached = await page.evaluate(async () => {
      let all = '';
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
          all += await (await cache.match(request)).text();
        }
      }
      return all;
    });
    for (const story of stories) assert.equal(cached.includes(story.marker), false);
    await shot(page, 'drie-wachten');

    // Keep a copy of what waits (the encrypted records), to send it all again later.
    const copy = await page.evaluate(keptRecords);

    // Online again. (Chromium's offline emulation leaves `navigator.onLine` true in pages
    // loaded while offline, so this page sees no `online` event: the worker presses the
    // button. The event and a page load send by themselves; see below.)
    await context.setOffline(false);
    await sendNow(page);
    await page.locator('#tafel-offline[data-count="0"]').waitFor({ timeout: 30000 });
    await page.locator('#tafel-offline-stand', { hasText: 'Laatst verstuurd:' }).waitFor();
    await until(() => answers.length >= 3, 'three answers');
    assert.deepEqual(answers, ['opgeslagen', 'opgeslagen', 'opgeslagen']);
    await shot(page, 'verstuurd');
    for (const story of stories) {
      const found = storiesWith(story.marker);
      assert.equal(found.length, 1, `${story.marker} stored once`);
      assert.equal(found[0].title, story.title);
    }
    assert.equal(await storiesAtTable(staff, tableName), 3, 'the staff page counts three stories');

    // The same three again, as if the device never heard back: sent when a page loads, and
    // again when the connection comes back. Nothing is stored twice.
    await page.evaluate(restoreRecords, copy);
    await page.reload();
    await page.locator('#tafel-offline[data-count="0"]').waitFor({ timeout: 30000 });
    await until(() => answers.length >= 6, 'six answers');
    assert.deepEqual(answers.slice(3), ['al_opgeslagen', 'al_opgeslagen', 'al_opgeslagen']);
    await page.evaluate(restoreRecords, copy);
    await context.setOffline(true);
    await page.locator('#tafel-offline-stand', { hasText: 'Er is nu geen internet.' }).waitFor();
    await context.setOffline(false);
    await page.locator('#tafel-offline[data-count="0"]').waitFor({ timeout: 30000 });
    await until(() => answers.length >= 9, 'nine answers');
    assert.deepEqual(answers.slice(6), ['al_opgeslagen', 'al_opgeslagen', 'al_opgeslagen']);
    for (const story of stories) assert.equal(storiesWith(story.marker).length, 1, `${story.marker} still once`);
    assert.equal(await storiesAtTable(staff, tableName), 3, 'still three stories');

    // With a connection the script posts the form itself and shows the thank-you page in
    // place, with the withdrawal code the device drew.
    await h.open(page, `${P}/tafel`);
    await h.clickAndLoad(page, page.getByRole('link', { name: 'Ik ben een kind of jongere' }));
    const online = h.fixtureStory('verteltafel-online');
    await fillStory(page, online);
    const drawn = await page.locator('input[name="intrekcode"]').inputValue();
    await page.getByRole('button', { name: 'Verstuur mijn verhaal' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dank je wel voor je verhaal' }).waitFor();
    assert.equal((await page.locator('#intrekcode').textContent()).trim(), drawn);
    await shot(page, 'bedankt-online');
    await audit(a11y, page, 'table: thank-you (online, with JavaScript)');
    assert.equal(storiesWith(online.marker).length, 1);

    // Closing the table: a story finished before it closed is still taken when it arrives
    // later; one finished after is refused, and the worker is told which and why.
    await context.setOffline(true);
    const before = h.fixtureStory('verteltafel-voor-sluiten');
    const after = h.fixtureStory('verteltafel-na-sluiten');
    await h.open(page, `${P}/tafel/vertel?rol=jongere`);
    await fillStory(page, before);
    await page.getByRole('button', { name: 'Verstuur mijn verhaal' }).click();
    await page.getByRole('heading', { level: 1, name: 'Het verhaal is bewaard op dit apparaat' }).waitFor();
    await page.waitForTimeout(1100);
    const table = await staff.locator('tr', { has: staff.locator('td', { hasText: tableName }) });
    await h.clickAndLoad(staff, table.getByRole('button', { name: `Sluit ${tableName}` }));
    await page.waitForTimeout(1100);
    await h.clickAndLoad(page, page.getByRole('link', { name: 'Volgende verteller' }));
    await h.clickAndLoad(page, page.getByRole('link', { name: 'Ik ben een kind of jongere' }));
    await fillStory(page, after);
    await page.getByRole('button', { name: 'Verstuur mijn verhaal' }).click();
    await page.getByRole('heading', { level: 1, name: 'Het verhaal is bewaard op dit apparaat' }).waitFor();
    await page.locator('#tafel-offline[data-count="2"]').waitFor();
    await context.setOffline(false);
    await sendNow(page);
    await page.locator('#tafel-offline[data-count="0"]').waitFor({ timeout: 30000 });
    const refused = page.locator('#tafel-offline-geweigerd li');
    await refused.first().waitFor();
    assert.equal(await refused.count(), 1, 'one story refused');
    assert.match(await refused.textContent(), /^Niet bewaard: het verhaal van .+\. De verteltafel was toen al gesloten\.$/);
    await shot(page, 'geweigerd-na-sluiten');
    await audit(a11y, page, 'table: a story refused after closing');
    assert.equal(storiesWith(before.marker).length, 1, 'finished before closing: taken');
    assert.equal(storiesWith(after.marker).length, 0, 'finished after closing: refused');
    assert.equal(await storiesAtTable(staff, tableName), 5);
    // "Ik heb dit gelezen" clears the notice.
    await page.getByRole('button', { name: 'Ik heb dit gelezen' }).click();
    await page.locator('#tafel-offline-geweigerd').waitFor({ state: 'hidden' });

    await context.close();
    await staffContext.close();
    a11y.assertClean();
  } finally {
    await browser.close();
  }
});

test('without JavaScript the verteltafel works online as before', { timeout: 300000 }, async () => {
  const browser = await h.launch();
  const a11y = auditor('verteltafel-zonder-js');
  const shot = h.screenshots('verteltafel-zonder-js');
  const tableName = `Tafel zonder script ${Date.now()}`;
  try {
    const staffContext = await h.newContext(browser, h.DESKTOP);
    const staff = await staffContext.newPage();
    await h.signIn(staff);
    const code = await openTable(staff, tableName);

    const context = markNoScript(await h.newContext(browser, { ...h.PHONE, javaScriptEnabled: false }));
    const page = await context.newPage();
    await h.open(page, `${P}/tafel`);
    assert.equal(await page.locator('#tafel-offline').isVisible(), false, 'no offline state without JavaScript');
    await shot(page, 'code');
    await audit(a11y, page, 'table without JS: code');
    await page.getByLabel('Code van de verteltafel').fill(code);
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Open de verteltafel' }));
    await page.getByRole('heading', { level: 2, name: 'Wie vertelt er nu?' }).waitFor();
    await shot(page, 'wie-vertelt');
    await audit(a11y, page, 'table without JS: who tells');

    await h.clickAndLoad(page, page.getByRole('link', { name: 'Ik ben een kind of jongere' }));
    const story = h.fixtureStory('verteltafel-zonder-js');
    await fillStory(page, story, { javaScript: false });
    await shot(page, 'formulier-ingevuld');
    await audit(a11y, page, 'table without JS: story form', { focus: false });
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Verstuur mijn verhaal' }));
    await page.getByRole('heading', { level: 1, name: 'Dank je wel voor je verhaal' }).waitFor();
    assert.match((await page.locator('#intrekcode').textContent()).trim(), /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await shot(page, 'bedankt');
    await audit(a11y, page, 'table without JS: thank-you');
    assert.equal(storiesWith(story.marker).length, 1);
    assert.equal(await storiesAtTable(staff, tableName), 1);

    await context.close();
    await staffContext.close();
    a11y.assertClean();
  } finally {
    await browser.close();
  }
});
