'use strict';
// The public page "Wat is er met de verhalen gedaan?" (issue 23, item 3). A teller shares a
// story (with consent to quote) and keeps the code; the admin makes a card with the story and
// a quote, lets a duidingssessie table read the story, publishes the card and switches the
// page on. The page is read on a phone (390 px) and on a desktop, with and without
// JavaScript, in Dutch and in English; the teller's code shows the path of that story; a
// wrong code gets the withdrawal form's message. Every page passes the audit.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');
const { auditor, markNoScript } = require('../lib/a11y');

const QUOTE = 'De begeleider luisterde goed en we maakten samen een plan.';

async function tellStory(browser, story) {
  const context = await h.newContext(browser, h.PHONE);
  const page = await context.newPage();
  await h.open(page, `/v/${h.PROJECT}/vertel?rol=professional`);
  await page.locator('#veld-verhaal').fill(story.text);
  await page.locator('#veld-titel').fill(story.title);
  await page.locator('#schuif-gehoord').fill('80');
  await page.locator('#schuif-juiste_hulp').fill('70');
  await page.locator('#schuif-op_tijd').fill('20');
  await page.locator('#toestemming-analyse').check();
  await page.locator('#toestemming-citaten').check();
  await page.getByRole('button', { name: 'Verstuur mijn verhaal' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dank je wel voor je verhaal' }).waitFor();
  const code = (await page.locator('#intrekcode').textContent()).trim();
  await context.close();
  return code;
}

test('the public results page and the path of one story', { timeout: 300000 }, async () => {
  const browser = await h.launch();
  const a11y = auditor('resultaten');
  const shot = h.screenshots('resultaten');
  const P = `/beheer/p/${h.PROJECT}`;
  const PAGE = `/v/${h.PROJECT}/resultaten`;
  try {
    const story = h.fixtureStory('resultaten');
    const code = await tellStory(browser, story);
    assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    const staff = await h.newContext(browser, h.DESKTOP);
    const page = await staff.newPage();
    await h.signIn(page);
    // Off: a plain 404.
    const off = await page.goto(PAGE);
    assert.equal(off.status(), 404, 'the page is off until a begeleider switches it on');

    // A card with the story and a quote, ready.
    const cardTitle = `Hulp die op tijd komt ${story.marker}`;
    await h.open(page, `${P}/observaties`);
    await page.getByLabel('Titel').fill(cardTitle);
    await page.getByRole('button', { name: 'Maak observatie' }).click();
    await page.waitForURL(/\/observaties\/[^/]+$/);
    await page.getByLabel('Wat laat het patroon zien?').fill('Vertellers zeggen vaak dat de hulp te laat kwam. (proeftekst)');
    await page.getByLabel('Duiding 1', { exact: true }).fill('De wachtlijsten zijn te lang. (proeftekst)');
    await page.getByLabel('Duiding 2, die tegen duiding 1 in gaat').fill('Gezinnen vragen pas laat om hulp. (proeftekst)');
    await page.locator('#thema').fill('Wachttijd');
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Opslaan' }));
    const storyId = await (async () => {
      const { storiesWith } = require('../lib/db');
      const rows = storiesWith(story.marker);
      assert.equal(rows.length, 1, 'the story is stored once');
      return rows[0].id;
    })();
    await page.getByLabel('Voeg een verhaal toe met zijn nummer').fill(storyId);
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Voeg toe', exact: true }));
    await page.getByLabel('Het stukje tekst, letterlijk').fill(QUOTE);
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Voeg citaat toe' }));
    await page.locator('#status-klaar').check();
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Opslaan' }));

    // A session on 1 December whose table reads the story.
    await h.open(page, `${P}/sessies`);
    await page.getByLabel('Naam van de sessie').fill(`Proefsessie ${story.marker}`);
    await page.getByLabel('Datum').fill('2026-12-01');
    await page.getByLabel('Begintijd').fill('19:30');
    await page.getByLabel('Plaats').fill('Buurthuis (proef)');
    await page.getByLabel('Doel van de sessie').fill('Samen kijken naar de wachttijd. (proeftekst)');
    await page.getByRole('button', { name: 'Plan de sessie' }).click();
    await page.waitForURL(/\/sessies\/[^/]+$/);
    if ((await page.locator('section.cluster[id^="tafel-"]').count()) === 0) {
      await h.clickAndLoad(page, page.getByRole('button', { name: 'Voeg de tafel toe' }));
    }
    const table = page.locator('section.cluster[id^="tafel-"]').first();
    await table.locator('summary', { hasText: 'Materiaal kiezen' }).click();
    await table.getByLabel(/Nog een verhaal erbij/).fill(storyId);
    await h.clickAndLoad(page, table.getByRole('button', { name: 'Bewaar het materiaal' }));

    // Publish the card and switch the page on.
    await h.open(page, `${P}/resultaten`);
    await a11y.check(page, 'beheer: public page (off)');
    await h.clickAndLoad(page, page.getByRole('button', { name: `Publiceer “${cardTitle}”` }));
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Pagina aanzetten' }));
    assert.match(await page.locator('#pagina-stand').textContent(), /staat aan/);
    await shot(page, 'beheer-openbare-pagina');
    await a11y.check(page, 'beheer: public page (on)');
    await staff.close();

    for (const [label, options] of [
      ['telefoon-js', { ...h.PHONE, javaScriptEnabled: true }],
      ['telefoon-zonder-js', { ...h.PHONE, javaScriptEnabled: false }],
      ['desktop-js', { ...h.DESKTOP, javaScriptEnabled: true }],
      ['desktop-zonder-js', { ...h.DESKTOP, javaScriptEnabled: false }],
    ]) {
      const context = await h.newContext(browser, options);
      if (!options.javaScriptEnabled) markNoScript(context);
      const p = await context.newPage();
      await h.open(p, PAGE);
      const main = await p.locator('main').textContent();
      assert.ok(main.includes(cardTitle), `${label}: the published card`);
      assert.ok(main.includes(QUOTE), `${label}: the quote of a teller who allowed it`);
      assert.ok(!main.includes(story.title), `${label}: never the story's title`);
      // The browser tests share one server: earlier scenarios told stories too. Under k (5) the
      // page says "minder dan 5", never a number below it (tests/app/public_results.rs checks
      // the exact figures).
      const told = main.match(/Er zijn (minder dan 5|\d+) verhalen verteld/);
      assert.ok(told, `${label}: the number of stories`);
      assert.ok(told[1] === 'minder dan 5' || Number(told[1]) >= 5, `${label}: no count under k (${told[1]})`);
      assert.match(main, /1 december 2026\. Aantal tafels: 1\. Aantal deelnemers: 0\./);
      await shot(p, `${label}-pagina`);
      await a11y.check(p, `${label}: public page`);

      await p.getByLabel('Je code').fill(code.toLowerCase());
      await h.clickAndLoad(p, p.getByRole('button', { name: 'Laat zien' }));
      const path = await p.locator('#mijn-verhaal').textContent();
      assert.match(path, /Je verhaal is gelezen in een duidingssessie op 1 december 2026/);
      assert.ok(path.includes(cardTitle), `${label}: the card that took the story up`);
      await shot(p, `${label}-mijn-verhaal`);
      await a11y.check(p, `${label}: the path of my story`);

      await p.getByLabel('Je code').fill('ABCD-EFGH-JKMN');
      await h.clickAndLoad(p, p.getByRole('button', { name: 'Laat zien' }));
      assert.match(await p.locator('#fout-code').textContent(), /We vinden geen verhaal met deze code/);
      assert.equal(await p.locator('#mijn-verhaal').count(), 0);
      await shot(p, `${label}-verkeerde-code`);
      await a11y.check(p, `${label}: a wrong code`);
      await context.close();
    }

    // English and Arabic, on a phone: the interface in the language, the card marked Dutch.
    for (const lang of ['en', 'ar']) {
      const context = await h.newContext(browser, h.PHONE);
      const p = await context.newPage();
      await h.open(p, `${PAGE}?taal=${lang}`);
      assert.equal(await p.locator('html').getAttribute('lang'), lang);
      assert.equal(await p.locator(`h3[lang="nl"]`, { hasText: cardTitle }).count(), 1, `${lang}: the card's title is marked Dutch`);
      await shot(p, `taal-${lang}-pagina`);
      await a11y.check(p, `${lang}: public page`);
      await p.locator('#veld-code').fill(code);
      await h.clickAndLoad(p, p.locator('form[action*="/resultaten"] button[type=submit]'));
      assert.equal(await p.locator('#mijn-verhaal').count(), 1);
      await shot(p, `taal-${lang}-mijn-verhaal`);
      await a11y.check(p, `${lang}: the path of my story`);
      await context.close();
    }
    a11y.assertClean();
  } finally {
    await browser.close();
  }
});
