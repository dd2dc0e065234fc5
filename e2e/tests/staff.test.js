'use strict';
// A begeleider (here the admin) signs in, finds a story in the story browser, makes an
// observation card from it, plans a duidingssessie, and a participant writes a note at a
// table. Every main signed-in page passes the audit.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');
const { auditor } = require('../lib/a11y');

/** A story through the public form (with consent to quote), so the staff side has one. */
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
  await context.close();
}

test('a begeleider finds the story, makes a card and a session, and a table gets a note', { timeout: 300000 }, async () => {
  const browser = await h.launch();
  const a11y = auditor('begeleider');
  const shot = h.screenshots('begeleider');
  const P = `/beheer/p/${h.PROJECT}`;
  try {
    const story = h.fixtureStory('begeleider');
    await tellStory(browser, story);

    const context = await h.newContext(browser, h.DESKTOP);
    const page = await context.newPage();

    // Signing in.
    await h.open(page, '/beheer');
    assert.match(page.url(), /\/beheer\/inloggen/, 'without a session /beheer asks to sign in');
    await h.signIn(page);
    await shot(page, 'projecten');
    await a11y.check(page, 'beheer: projects');

    await h.open(page, P);
    await shot(page, 'project');
    await a11y.check(page, 'beheer: project');

    // The story browser finds the story by a word from its text.
    await h.open(page, `${P}/verkennen`);
    await a11y.check(page, 'beheer: story browser');
    await page.getByLabel('Zoek in titel en tekst').fill(story.marker);
    await page.getByLabel('Zoek in titel en tekst').press('Enter');
    await page.waitForURL(/zoek=/);
    const found = page.locator('.story-card .story-title a');
    assert.equal(await found.count(), 1, 'the search finds exactly the one story');
    assert.equal((await found.textContent()).trim(), story.title);
    await shot(page, 'verhalen-verkennen-gevonden');
    await a11y.check(page, 'beheer: story browser with search');
    await found.click();
    await page.waitForURL(/\/verhalen\/[^/]+$/);
    const storyId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    assert.match(await page.locator('main').textContent(), new RegExp(story.marker));
    await shot(page, 'verhaal');
    await a11y.check(page, 'beheer: one story');

    // The moderation list shows it under "Nieuw".
    await h.open(page, `${P}/verhalen`);
    assert.ok(await page.locator(`main a[href$="/verhalen/${storyId}"]`).count() >= 1, 'the story is in the list of new stories');
    await shot(page, 'verhalen-lijst');
    await a11y.check(page, 'beheer: stories list');

    // The other main pages of a project and of the installation.
    for (const [path, label] of [
      [`${P}/cijfers`, 'dashboard'],
      [`${P}/patronen`, 'patterns'],
      [`${P}/vergelijk`, 'compare'],
      [`${P}/voorstellen`, 'proposals'],
      [`${P}/instellingen`, 'project settings'],
      [`${P}/privacy`, 'privacy settings'],
      [`${P}/export`, 'export'],
      ['/beheer/account', 'account'],
      ['/api/v1/docs', 'API documentation'],
      [`${P}/vragenlijst`, 'questionnaire'],
      ['/beheer/gebruikers', 'users'],
      ['/beheer/gebruikers/uitnodigen', 'invite a user'],
      ['/beheer/logboek', 'audit log'],
      ['/beheer/projecten/nieuw', 'new project'],
    ]) {
      await h.open(page, path);
      await shot(page, label.replace(/ /g, '-'));
      await a11y.check(page, `beheer: ${label}`);
    }
    // The dashboard's grid of cards on a laptop, and its single column on a phone.
    for (const [width, height] of [[1366, 900], [390, 844]]) {
      await page.setViewportSize({ width, height });
      await h.open(page, `${P}/cijfers`);
      await shot(page, `dashboard-${width}`);
    }
    await page.setViewportSize(h.DESKTOP.viewport);

    // An observation card with the story and a quote from it.
    await h.open(page, `${P}/observaties`);
    await a11y.check(page, 'beheer: observations (empty)');
    const cardTitle = `Proefkaart ${story.marker}`;
    await page.getByLabel('Titel').fill(cardTitle);
    await page.getByRole('button', { name: 'Maak observatie' }).click();
    await page.waitForURL(/\/observaties\/[^/]+$/);
    const observationUrl = new URL(page.url()).pathname;
    await page.getByLabel('Wat laat het patroon zien?').fill('Professionals zeggen vaker dat de hulp te laat kwam. (proeftekst)');
    await page.getByLabel('Duiding 1', { exact: true }).fill('De wachtlijsten zijn te lang. (proeftekst)');
    await page.getByLabel('Duiding 2, die tegen duiding 1 in gaat').fill('Professionals zien de wachttijd scherper dan gezinnen. (proeftekst)');
    await page.getByLabel('Thema', { exact: true }).fill('Wachttijd');
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Opslaan' }));
    await page.getByLabel('Voeg een verhaal toe met zijn nummer').fill(storyId);
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Voeg toe', exact: true }));
    assert.ok(await page.locator(`main a[href$="/verhalen/${storyId}"]`).count() >= 1, 'the story is on the card');
    await page.getByLabel('Het stukje tekst, letterlijk').fill('De begeleider luisterde goed en we maakten samen een plan.');
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Voeg citaat toe' }));
    assert.match(await page.locator('main').textContent(), /De begeleider luisterde goed en we maakten samen een plan\./);
    await page.locator('#status-klaar').check();
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Opslaan' }));
    assert.equal(await page.locator('#status-klaar').isChecked(), true, 'the card is ready for a session');
    await shot(page, 'observatie');
    await a11y.check(page, 'beheer: observation');
    await h.open(page, `${observationUrl}/kaart`);
    assert.match(await page.locator('main').textContent(), new RegExp(cardTitle));
    await shot(page, 'kaart');
    await a11y.check(page, 'beheer: observation card');
    await h.open(page, `${P}/observaties`);
    assert.equal(await page.getByRole('link', { name: cardTitle, exact: true }).count(), 1, 'the card is in the list');
    await a11y.check(page, 'beheer: observations');

    // A duidingssessie with one table that reads the card.
    await h.open(page, `${P}/sessies`);
    await a11y.check(page, 'beheer: sessions (empty)');
    await page.getByLabel('Naam van de sessie').fill(`Proefsessie ${story.marker}`);
    await page.getByLabel('Datum').fill('2026-12-01');
    await page.getByLabel('Begintijd').fill('19:30');
    await page.getByLabel('Plaats').fill('Buurthuis (proef)');
    await page.getByLabel('Doel van de sessie').fill('Samen kijken naar de wachttijd. (proeftekst)');
    await page.getByRole('button', { name: 'Plan de sessie' }).click();
    await page.waitForURL(/\/sessies\/[^/]+$/);
    const sessionUrl = new URL(page.url()).pathname;
    if ((await page.locator('section.cluster[id^="tafel-"]').count()) === 0) {
      await h.clickAndLoad(page, page.getByRole('button', { name: 'Voeg de tafel toe' }));
    }
    const table = page.locator('section.cluster[id^="tafel-"]').first();
    await table.locator('summary', { hasText: 'Materiaal kiezen' }).click();
    await table.getByRole('checkbox', { name: `${cardTitle} (Wachttijd)`, exact: true }).check();
    await table.locator('input[type=checkbox][name=verhaal]').first().check();
    await h.clickAndLoad(page, table.getByRole('button', { name: 'Bewaar het materiaal' }));
    assert.match(await page.locator('section.cluster[id^="tafel-"]').first().textContent(), /Het materiaal is bewaard: 1 kaart en 1 verhaal op /);
    const joinLink = await page.locator('.code-box a').getAttribute('href');
    assert.match(joinLink, /\/s\/[^/]+$/);
    await shot(page, 'sessie');
    await a11y.check(page, 'beheer: session');

    // A participant on a phone joins and writes a note about the card.
    const phone = await h.newContext(browser, h.PHONE);
    const participant = await phone.newPage();
    const joinPath = new URL(joinLink, h.BASE_URL).pathname;
    await h.open(participant, joinPath);
    await shot(participant, 'deelnemer-meedoen');
    await a11y.check(participant, 'session: join');
    await participant.getByLabel('Hoe mogen we je noemen?').fill('Sam (proef)');
    await h.clickAndLoad(participant, participant.getByRole('button', { name: 'Naar mijn tafel' }));
    await participant.locator('summary', { hasText: cardTitle }).click();
    assert.match(await participant.locator('main').textContent(), /De wachtlijsten zijn te lang/);
    await a11y.check(participant, 'session: table');
    await participant.getByLabel('We zouden eigenlijk … moeten doen', { exact: true }).fill('een vast aanspreekpunt tijdens de wachttijd regelen');
    await participant.getByLabel('… zodat', { exact: true }).fill('gezinnen weten waar ze terecht kunnen');
    // With JavaScript the note is posted in the background and the board refreshes itself.
    await participant.getByRole('button', { name: 'Zet op het bord' }).click();
    const board = participant.locator('#bord');
    await board.getByText('een vast aanspreekpunt tijdens de wachttijd regelen').waitFor();
    assert.match(await board.textContent(), /een vast aanspreekpunt tijdens de wachttijd regelen/);
    assert.match(await board.textContent(), /1 notitie\b/);
    await shot(participant, 'deelnemer-notitie');
    await a11y.check(participant, 'session: table with a note');

    // The begeleider sees the note at the table.
    await h.open(page, sessionUrl);
    assert.match(await page.locator('section.cluster[id^="tafel-"]').first().textContent(), /1 notitie\b/);
    await page.getByRole('link', { name: 'Bekijk het bord' }).first().click();
    await page.waitForURL(/\/tafels\//);
    assert.match(await page.locator('main').textContent(), /een vast aanspreekpunt tijdens de wachttijd regelen/);
    await shot(page, 'sessie-bord');
    await a11y.check(page, 'beheer: table board');
    await h.open(page, `${sessionUrl}/verslag`);
    await shot(page, 'verslag');
    await a11y.check(page, 'beheer: session report');
    await h.open(page, `${P}/sessies`);
    await a11y.check(page, 'beheer: sessions');
    await phone.close();
    await context.close();
  } finally {
    await browser.close();
  }
  a11y.assertClean();
});
