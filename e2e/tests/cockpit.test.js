'use strict';
// The session cockpit (issue 22): a begeleider plans a session with three tables and opens the
// cockpit; three participants on phones join a table each and write a note, which the open
// cockpit shows by itself. The begeleider starts a phase, which the tables show by themselves;
// the tables make groepen and vote in secret until the cockpit shows the votes. Without
// JavaScript the begeleider merges two groepen of different tables and runs the phases with
// the forms. The cockpit, the regroup page and a table with the phase banner pass the audit.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const h = require('../lib/harness');
const { auditor, markNoScript } = require('../lib/a11y');

/** The cockpit polls every 2 s: a change must show well within this. */
const LIVE = { timeout: 10000 };
/** A big screen or beamer, where the room is read from a distance. */
const BEAMER = { viewport: { width: 1920, height: 1080 } };

const squash = (s) => (s || '').replace(/\s+/g, ' ').trim();

/** One groep on a participant's board, found by its name. */
function boardGroup(page, name) {
  return page.locator('#bord section.cluster', { has: page.getByRole('heading', { level: 3, name, exact: true }) });
}

/** Marks the page, so a later check can tell it was not loaded again. */
async function markPage(page) {
  await page.evaluate(() => {
    window.__vpSamePage = true;
  });
}
async function assertSamePage(page, what) {
  assert.equal(await page.evaluate(() => window.__vpSamePage === true), true, `${what}: the page was loaded again`);
}

/** Waits until `locator`'s text matches `pattern` (the live update swaps the element). */
async function waitForText(locator, pattern, what) {
  const deadline = Date.now() + LIVE.timeout;
  let last = '';
  while (Date.now() < deadline) {
    if ((await locator.count()) > 0) {
      last = squash(await locator.first().textContent());
      if (pattern.test(last)) return last;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: after ${LIVE.timeout / 1000} s the text is "${last}", expected ${pattern}`);
}

test('the cockpit shows every table live, runs phases and the vote, and works without JavaScript', { timeout: 420000 }, async () => {
  const browser = await h.launch();
  const a11y = auditor('cockpit');
  const shot = h.screenshots('cockpit');
  const P = `/beheer/p/${h.PROJECT}`;
  const marker = `proefcockpit${crypto.randomBytes(4).toString('hex')}`;
  const contexts = [];
  try {
    // --- 1. The begeleider plans a session with three tables and opens the cockpit --------
    const desk = await h.newContext(browser, h.DESKTOP);
    contexts.push(desk);
    const page = await desk.newPage();
    await h.signIn(page);
    await h.open(page, `${P}/sessies`);
    await page.getByLabel('Naam van de sessie').fill(`Cockpitsessie ${marker}`);
    await page.getByLabel('Datum').fill('2026-12-01');
    await page.getByLabel('Begintijd').fill('19:30');
    await page.getByLabel('Plaats').fill('Buurthuis (proef)');
    await page.getByLabel('Doel van de sessie').fill('Samen kijken naar wachten op hulp. (proeftekst)');
    await page.getByRole('button', { name: 'Plan de sessie' }).click();
    await page.waitForURL(/\/sessies\/[^/]+$/);
    const sessionUrl = new URL(page.url()).pathname;
    const tableSections = page.locator('section.cluster[id^="tafel-"]');
    for (let i = 0; i < 3 && (await tableSections.count()) < 3; i++) {
      await h.clickAndLoad(page, page.getByRole('button', { name: 'Voeg de tafel toe' }));
    }
    assert.equal(await tableSections.count(), 3, 'the session has three tables');
    const tables = await tableSections.evaluateAll((sections) =>
      sections.map((s) => {
        const h3 = s.querySelector('h3');
        const name = Array.from(h3.childNodes)
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent)
          .join('')
          .trim();
        return { id: s.id.slice('tafel-'.length), name };
      }),
    );
    assert.deepEqual(
      tables.map((t) => t.name),
      ['Tafel 1', 'Tafel 2', 'Tafel 3'],
    );
    const joinLink = await page.locator('.code-box a').getAttribute('href');
    const joinPath = new URL(joinLink, h.BASE_URL).pathname;
    assert.match(joinPath, /^\/s\/[^/]+$/);

    const cockpitUrl = `${sessionUrl}/cockpit`;
    await page.getByRole('link', { name: /Open de cockpit/ }).click();
    await page.waitForURL((u) => u.pathname === cockpitUrl);
    const room = page.locator('#cockpit');
    assert.equal(await room.locator('.cockpit-table').count(), 3, 'the cockpit shows three tables');
    assert.match(squash(await room.locator('.phase-banner').textContent()), /Er is nog geen fase gestart/);
    for (const t of tables) {
      assert.match(squash(await page.locator(`#cockpit-${t.id}`).textContent()), /0 deelnemers · 0 notities.*Nog geen notities\./);
    }
    await shot(page, 'cockpit-leeg');
    await markPage(page);

    // --- 2. Three participants on phones join a table each and write a note ---------------
    const people = [];
    const names = ['Sam (proef)', 'Noor (proef)', 'Lev (proef)'];
    const ideas = [
      `een vast aanspreekpunt regelen ${marker}-een`,
      `elke week even bellen ${marker}-twee`,
      `de wachttijd eerlijk uitleggen ${marker}-drie`,
    ];
    for (let i = 0; i < 3; i++) {
      const context = await h.newContext(browser, h.PHONE);
      contexts.push(context);
      const p = await context.newPage();
      await h.open(p, joinPath);
      await p.locator(`#tafel-${tables[i].id}`).check();
      await p.getByLabel('Hoe mogen we je noemen?').fill(names[i]);
      await h.clickAndLoad(p, p.getByRole('button', { name: 'Naar mijn tafel' }));
      assert.equal(new URL(p.url()).pathname, `${joinPath}/tafel`);
      assert.match(squash(await p.locator('h1').textContent()), new RegExp(`^${tables[i].name} `));
      await markPage(p);
      people.push({ page: p, table: tables[i], name: names[i], idea: ideas[i] });
    }
    for (const person of people) {
      const p = person.page;
      await p.getByLabel('We zouden eigenlijk … moeten doen', { exact: true }).fill(person.idea);
      await p.getByLabel('… zodat', { exact: true }).fill('jongeren weten waar ze aan toe zijn');
      await p.getByRole('button', { name: 'Zet op het bord' }).click();
      await p.locator('#bord').getByText(person.idea).waitFor();
      // The cockpit, not loaded again, shows the note at its table.
      await page.locator(`#cockpit-${person.table.id} .cockpit-notes`).getByText(person.idea).waitFor(LIVE);
    }
    for (const person of people) {
      const table = page.locator(`#cockpit-${person.table.id}`);
      assert.match(squash(await table.locator('.cockpit-counts').textContent()), /^1 deelnemer\b.* · 1 notitie$/);
      const note = squash(await table.locator('.cockpit-notes li').textContent());
      assert.equal(note, `We zouden eigenlijk ${person.idea} moeten doen, zodat jongeren weten waar ze aan toe zijn – ${person.name}`);
      assert.equal(await table.getByText('Nog geen notities.').count(), 0);
    }
    assert.match(squash(await room.locator('.cockpit-totals').textContent()), /^3 deelnemers · 3 notities · 0 van de \d+ stemmen gegeven \(nog geheim\)$/);
    await assertSamePage(page, 'cockpit after three notes');
    await shot(page, 'cockpit-drie-notities');

    // --- 3. A phase: the tables show it by themselves ------------------------------------
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Start met lezen' }));
    assert.equal(new URL(page.url()).pathname, cockpitUrl, 'the phase button comes back to the cockpit');
    assert.match(squash(await room.locator('.phase-now').textContent()), /^Nu: Lezen nog 15 minuten$/);
    await page.locator('summary', { hasText: 'Een fase kiezen en de klok zelf zetten' }).click();
    await page.getByLabel('Fase', { exact: true }).selectOption({ label: 'Stemmen' });
    await page.getByLabel('Minuten op de klok').fill('1');
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Start deze fase' }));
    assert.match(squash(await room.locator('.phase-now').textContent()), /^Nu: Stemmen nog (1 minuut|\d+ seconden)$/);
    await markPage(page);

    const first = people[0];
    const banner = first.page.locator('#fase-boven #fase[data-fase="stemmen"]');
    await banner.waitFor(LIVE);
    await assertSamePage(first.page, 'table page after the phase started');
    assert.match(squash(await banner.locator('.phase-now').textContent()), /^Nu: Stemmen nog (1 minuut|\d+ seconden)$/);
    assert.equal(squash(await banner.locator('.phase-instruction').textContent()), 'Geef je stemmen aan de groepen die jij het belangrijkst vindt.');
    assert.equal(await banner.locator('.phase-steps li[aria-current="step"]').textContent(), 'Stemmen');
    for (const person of people.slice(1)) {
      await person.page.locator('#fase-boven #fase[data-fase="stemmen"]').waitFor(LIVE);
    }
    await shot(first.page, 'tafel-met-fase-390');
    await a11y.check(first.page, 'table with the phase banner (390 px)');

    // --- 4. Groepen and secret votes, then the reveal ------------------------------------
    const groups = [`Aanspreekpunt ${marker}`, `Contact ${marker}`, `Uitleg ${marker}`];
    for (let i = 0; i < 3; i++) {
      const p = people[i].page;
      await p.getByLabel('Naam van de nieuwe groep').fill(groups[i]);
      await h.clickAndLoad(p, p.getByRole('button', { name: 'Maak de groep' }));
      await boardGroup(p, groups[i]).waitFor();
      // The note goes into the groep with the select box next to it (or by dragging).
      const note = p.locator('#bord .note', { hasText: people[i].idea });
      await note.getByLabel('Groep', { exact: true }).selectOption({ label: groups[i] });
      await h.clickAndLoad(p, note.getByRole('button', { name: 'Verplaats' }));
      assert.equal(await boardGroup(p, groups[i]).locator('.note', { hasText: people[i].idea }).count(), 1, 'the note is in the groep');
    }
    // Table 1 gives its groep 2 votes, tables 2 and 3 one each.
    const votesFor = [2, 1, 1];
    for (let i = 0; i < 3; i++) {
      const p = people[i].page;
      for (let v = 0; v < votesFor[i]; v++) {
        await h.clickAndLoad(p, p.getByRole('button', { name: `Stem op "${groups[i]}"` }));
      }
      const votes = squash(await boardGroup(p, groups[i]).locator('.cluster-votes').textContent());
      const mine = votesFor[i] === 1 ? '1 stem' : `${votesFor[i]} stemmen`;
      assert.equal(votes, `De stemmen blijven geheim tot de begeleider ze laat zien. Jij gaf deze groep ${mine}.`);
      await markPage(p);
    }
    // Before the reveal: no totals on a board, none in the cockpit.
    for (const person of people) {
      for (const text of await person.page.locator('#bord .cluster-votes').allTextContents()) {
        assert.doesNotMatch(squash(text), /^\d+ stem/, `${person.table.name}: a vote total shows before the reveal`);
      }
    }
    await waitForText(room.locator('.cockpit-totals'), /^3 deelnemers · 3 notities · 4 van de \d+ stemmen gegeven \(nog geheim\)$/, 'cockpit totals before the reveal');
    for (let i = 0; i < 3; i++) {
      await waitForText(page.locator(`#cockpit-${tables[i].id} .cockpit-clusters`), new RegExp(`^${groups[i]} 1 notitie$`), `cockpit groep of ${tables[i].name}`);
    }
    assert.equal(await room.locator('.cockpit-votes').count(), 0, 'the cockpit shows no votes per groep before the reveal');
    assert.equal(await page.getByRole('heading', { name: 'Alle groepen op volgorde van stemmen' }).count(), 0);
    await assertSamePage(page, 'cockpit after the groepen and votes');
    await shot(page, 'cockpit-stemmen-geheim');

    await h.clickAndLoad(page, page.getByRole('button', { name: 'Laat de stemmen zien' }));
    assert.equal(new URL(page.url()).pathname, cockpitUrl);
    await page.getByRole('heading', { level: 2, name: 'Alle groepen op volgorde van stemmen' }).waitFor();
    const ranking = (await page.locator('.cockpit-ranking .ranking li').allTextContents()).map(squash);
    assert.deepEqual(ranking, [
      `${groups[0]} (Tafel 1) · 2 stemmen · 1 notitie`,
      `${groups[1]} (Tafel 2) · 1 stem · 1 notitie`,
      `${groups[2]} (Tafel 3) · 1 stem · 1 notitie`,
    ]);
    assert.match(squash(await room.locator('.cockpit-totals').textContent()), / · 4 stemmen gegeven$/);
    assert.equal(squash(await page.locator(`#cockpit-${tables[0].id} .cockpit-votes`).textContent()), '2 stemmen');
    await markPage(page);
    // The open boards show the totals by themselves.
    for (let i = 0; i < 3; i++) {
      const p = people[i].page;
      const mine = votesFor[i] === 1 ? '1 stem' : `${votesFor[i]} stemmen`;
      await waitForText(boardGroup(p, groups[i]).locator('.cluster-votes'), new RegExp(`^${mine} \\(van jou: ${votesFor[i]}\\)$`), `votes on the board of ${tables[i].name}`);
      await assertSamePage(p, `board of ${tables[i].name} after the reveal`);
    }
    await shot(people[0].page, 'tafel-stemmen-zichtbaar-390');
    await shot(page, 'cockpit-stemmen-zichtbaar');
    await a11y.check(page, 'cockpit (JavaScript, desktop)');

    // The same cockpit on a big screen, and on a phone.
    const beamer = await h.newContext(browser, BEAMER);
    contexts.push(beamer);
    const big = await beamer.newPage();
    await h.signIn(big);
    await h.open(big, cockpitUrl);
    await shot(big, 'cockpit-beamer-1920');
    const adminPhone = await h.newContext(browser, h.PHONE);
    contexts.push(adminPhone);
    const small = await adminPhone.newPage();
    await h.signIn(small);
    await h.open(small, cockpitUrl);
    await shot(small, 'cockpit-390');
    await a11y.check(small, 'cockpit (JavaScript, 390 px)');

    // --- 5. Without JavaScript: merge the groep of table 1 into the one of table 2 --------
    const plain = markNoScript(await h.newContext(browser, { ...h.DESKTOP, javaScriptEnabled: false }));
    contexts.push(plain);
    const form = await plain.newPage();
    await h.signIn(form);
    await h.open(form, `${cockpitUrl}/groepen`);
    await shot(form, 'groepen-zonder-js');
    await a11y.check(form, 'regroup page (without JavaScript)');
    const from = form.locator('section.regroup-cluster', { has: form.getByRole('heading', { level: 3, name: groups[0] }) });
    await from.getByLabel('Voeg samen met').selectOption({ label: `${groups[1]} (Tafel 2)` });
    await h.clickAndLoad(form, from.getByRole('button', { name: 'Voeg samen' }));
    assert.equal(new URL(form.url()).pathname, `${cockpitUrl}/groepen`);
    assert.equal(await form.getByRole('heading', { level: 3, name: groups[0] }).count(), 0, 'the merged groep is gone');
    const into = form.locator('section.regroup-cluster', { has: form.getByRole('heading', { level: 3, name: groups[1] }) });
    assert.match(squash(await into.locator('h3').textContent()), / · 2 notities · 3 stemmen$/);
    assert.match(squash(await into.textContent()), new RegExp(`${ideas[0]}.*– Sam \\(proef\\) · van Tafel 1`));
    await shot(form, 'groepen-samengevoegd-zonder-js');

    // The open cockpit shows it by itself.
    await waitForText(page.locator(`#cockpit-${tables[1].id} .cockpit-clusters`), new RegExp(`^${groups[1]} 2 notities 3 stemmen$`), 'cockpit after the merge');
    assert.equal(await page.locator(`#cockpit-${tables[0].id} .cockpit-clusters`).count(), 0, 'table 1 has no groep left');
    assert.match(squash(await page.locator(`#cockpit-${tables[0].id}`).textContent()), /1 notitie van deze tafel staat nu bij een groep van een andere tafel\./);
    assert.equal(squash(await page.locator('.cockpit-ranking .ranking li').first().textContent()), `${groups[1]} (Tafel 2) · 3 stemmen · 2 notities`);
    await assertSamePage(page, 'cockpit after the merge');
    await shot(page, 'cockpit-na-samenvoegen');

    // --- 6. The cockpit without JavaScript: it renders, and the forms work ------------------
    await h.open(form, cockpitUrl);
    assert.equal(await form.locator('#cockpit .cockpit-table').count(), 3);
    assert.match(squash(await form.locator('#cockpit .phase-now').textContent()), /^Nu: Stemmen (nog (1 minuut|\d+ seconden)|de tijd is om)$/);
    assert.match(squash(await form.locator(`#cockpit-${tables[1].id}`).textContent()), new RegExp(`${groups[1]} 2 notities 3 stemmen`));
    await form.getByRole('heading', { level: 2, name: 'Alle groepen op volgorde van stemmen' }).waitFor();
    await shot(form, 'cockpit-zonder-js');
    await a11y.check(form, 'cockpit (without JavaScript, desktop)');
    await h.clickAndLoad(form, form.getByRole('button', { name: 'Naar de volgende fase' }));
    assert.equal(new URL(form.url()).pathname, cockpitUrl, 'the phase form comes back to the cockpit');
    assert.match(squash(await form.locator('#cockpit .phase-now').textContent()), /^Nu: Voorstellen maken nog 20 minuten$/);
    await h.clickAndLoad(form, form.getByRole('button', { name: 'Geef 5 minuten meer' }));
    assert.match(squash(await form.locator('#cockpit .phase-now').textContent()), /^Nu: Voorstellen maken nog 25 minuten$/);
    await h.clickAndLoad(form, form.getByRole('button', { name: 'Maak de stemmen weer geheim' }));
    assert.equal(await form.locator('#cockpit .cockpit-votes').count(), 0);
    assert.equal(await form.getByRole('heading', { name: 'Alle groepen op volgorde van stemmen' }).count(), 0);
    await h.clickAndLoad(form, form.getByRole('button', { name: 'Laat de stemmen zien' }));
    await form.getByRole('heading', { level: 2, name: 'Alle groepen op volgorde van stemmen' }).waitFor();
    await form.setViewportSize(h.PHONE.viewport);
    await shot(form, 'cockpit-zonder-js-390');
    await a11y.check(form, 'cockpit (without JavaScript, 390 px)');

    // The cockpit and a table with JavaScript follow the new phase by themselves.
    await waitForText(room.locator('.phase-now'), /^Nu: Voorstellen maken nog 2\d minuten$/, 'the open cockpit after the phase changed elsewhere');
    await waitForText(people[1].page.locator('#fase-boven #fase .phase-now'), /^Nu: Voorstellen maken nog 2\d minuten$/, 'the open table after the phase changed');
    await assertSamePage(people[1].page, 'table page after the next phase');
    await shot(page, 'cockpit-voorstellen');
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
    await browser.close();
  }
  assert.ok(a11y.pagesChecked() >= 6, 'every page of the scenario was audited');
  a11y.assertClean();
});
