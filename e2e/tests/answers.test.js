'use strict';
// Answers that mean what the teller meant (issue 16), with JavaScript on and off: untouched
// sliders store nothing, "weet ik niet" then moving stores the moved value, a story over the
// limit keeps every character, switching language or role keeps the text, Back + edit + send
// leaves one story, and "Later verder" brings the form back with its code. Every new state
// passes the accessibility audit.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');
const { auditor, markNoScript } = require('../lib/a11y');
const { storiesWith, draftsWith } = require('../lib/db');

const REQUIRED = ['gehoord', 'juiste_hulp', 'op_tijd'];

async function startForm(page, role = 'jongere') {
  await h.open(page, `/v/${h.PROJECT}/vertel?rol=${role}`);
}

async function typeStory(page, story) {
  await page.locator('#veld-verhaal').fill(story.text);
  await page.locator('#veld-titel').fill(story.title);
}

async function consent(page) {
  await page.locator('#toestemming-analyse').check();
}

async function send(page) {
  await h.clickAndLoad(page, page.locator('form.story-form button[type=submit]').first());
}

/** Moves a slider with the keyboard: focus, then `steps` presses of the right arrow. */
async function moveRight(page, key, steps) {
  await page.locator(`#schuif-${key}`).focus();
  for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowRight');
}

async function run({ scenario, javaScriptEnabled }) {
  const browser = await h.launch();
  const a11y = auditor(scenario);
  const shot = h.screenshots(scenario);
  try {
    const context = await h.newContext(browser, { ...h.PHONE, javaScriptEnabled });
    if (!javaScriptEnabled) markNoScript(context);
    const page = await context.newPage();

    // 1. Untouched sliders: the required ones are asked for, nothing is invented.
    const story = h.fixtureStory(scenario);
    await startForm(page);
    if (javaScriptEnabled) {
      assert.equal((await page.locator('#waarde-klik').textContent()).trim(), 'nog niet gekozen');
      assert.match(await page.locator('#schuif-klik').getAttribute('aria-valuetext'), /^nog niet gekozen \(links: /);
    }
    await typeStory(page, story);
    await consent(page);
    await send(page);
    assert.equal(await page.locator('.error-summary li').count(), 3, 'the three required sliders are missing');
    assert.equal(await page.locator('#veld-verhaal').inputValue(), story.text, 'the story is kept');
    await shot(page, 'schuiven-niet-gekozen');
    await a11y.check(page, 'required sliders not chosen', { focus: false });

    // The required ones: one chosen in the middle on purpose, two moved. "Regie": weet ik
    // niet, then moved (with JavaScript moving chooses the position; without, the teller
    // chooses it).
    await page.locator('#stand-gehoord-schuif').check();
    await moveRight(page, 'juiste_hulp', 5);
    await moveRight(page, 'op_tijd', 7);
    await page.locator('#na-regie').check();
    if (javaScriptEnabled) {
      assert.ok(await page.locator('#veld-regie').evaluate((el) => el.classList.contains('is-na')), '"weet ik niet" dims the slider');
    }
    await moveRight(page, 'regie', 20);
    if (javaScriptEnabled) {
      assert.equal(await page.locator('#na-regie').isChecked(), false, 'moving clears "weet ik niet"');
      assert.equal(await page.locator('#stand-regie-schuif').isChecked(), true);
    } else {
      await page.locator('#stand-juiste_hulp-schuif').check();
      await page.locator('#stand-op_tijd-schuif').check();
      await page.locator('#stand-regie-schuif').check();
    }
    await shot(page, 'schuiven-gekozen');
    await a11y.check(page, 'sliders in every state', { focus: false });
    await send(page);
    await page.getByRole('heading', { level: 1, name: 'Dank je wel voor je verhaal' }).waitFor();
    const [stored] = storiesWith(story.marker);
    assert.ok(stored, 'the story is stored');
    assert.deepEqual(
      Object.fromEntries(Object.entries(stored.answers).filter(([, a]) => a.number !== null || a.na).map(([k, a]) => [k, a.na ? 'na' : a.number])),
      { gehoord: 50, juiste_hulp: 55, op_tijd: 57, regie: 70 },
      'only the chosen sliders hold a value'
    );

    // 2. Back + edit + send: one story, the edited one, the same code. (A new start on the
    // landing page first, so that the form is sent once and Back leads to it.)
    const story2 = h.fixtureStory(`${scenario}-terug`);
    await h.open(page, `/v/${h.PROJECT}`);
    await startForm(page);
    await typeStory(page, story2);
    for (const key of REQUIRED) await page.locator(`#stand-${key}-schuif`).check();
    await consent(page);
    await send(page);
    await page.getByRole('heading', { level: 1, name: 'Dank je wel voor je verhaal' }).waitFor();
    const code = (await page.locator('#intrekcode').textContent()).trim();
    await page.goBack();
    await page.locator('#aanpassen').waitFor();
    assert.equal(await page.locator('#veld-verhaal').inputValue(), story2.text, 'the story sent is back in the form');
    await shot(page, 'terug-aanpassen');
    await a11y.check(page, 'changing the story just sent', { focus: false });
    const edited = `${story2.text} Later bedacht ik nog iets.`;
    await page.locator('#veld-verhaal').fill(edited);
    await send(page);
    await page.getByText('Je verhaal is aangepast').waitFor();
    assert.equal((await page.locator('#intrekcode').textContent()).trim(), code, 'the code stays the same');
    const afterEdit = storiesWith(story2.marker);
    assert.equal(afterEdit.length, 1, 'one story, not two');
    assert.equal(afterEdit[0].body, edited);
    await shot(page, 'aangepast');
    await a11y.check(page, 'story changed', { focus: false });

    // 3. Too long: refused with every character kept.
    const second = h.fixtureStory(`${scenario}-lang`);
    await h.open(page, `/v/${h.PROJECT}`);
    await startForm(page);
    const long = `${second.text} ${'x'.repeat(25000 - second.text.length - 1)}`;
    await page.locator('#veld-verhaal').fill(long);
    assert.equal((await page.locator('#veld-verhaal').inputValue()).length, 25000, 'the box takes the whole paste');
    if (javaScriptEnabled) {
      assert.match(await page.locator('#teller-verhaal').textContent(), /^5\.000 tekens te veel/);
    }
    await page.locator('#veld-titel').fill(second.title);
    for (const key of REQUIRED) await page.locator(`#stand-${key}-schuif`).check();
    await consent(page);
    await send(page);
    await page.locator('#fout-verhaal').waitFor();
    assert.match(await page.locator('#fout-verhaal').textContent(), /25\.000 tekens lang\. Dat zijn er 5\.000 te veel/);
    assert.equal((await page.locator('#veld-verhaal').inputValue()).length, 25000, 'nothing was cut off');
    await shot(page, 'te-lang');
    await a11y.check(page, 'story too long', { focus: false });

    // 4. Language and role switches keep the text.
    await page.locator('#veld-verhaal').fill(second.text);
    await h.clickAndLoad(page, page.getByRole('button', { name: 'English' }));
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.locator('#veld-verhaal').inputValue(), second.text, 'English keeps the story');
    assert.equal(await page.locator('#stand-gehoord-schuif').isChecked(), true, 'and the answers');
    await shot(page, 'engels');
    await a11y.check(page, 'form switched to English', { focus: false });
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Nederlands' }));
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Iets anders kiezen' }));
    await shot(page, 'rol-kiezen');
    await a11y.check(page, 'choosing another role', { focus: false });
    await h.clickAndLoad(page, page.getByRole('button', { name: /ouder/i }).first());
    assert.equal(await page.locator('input[name=rol]').inputValue(), 'ouder');
    assert.equal(await page.locator('#veld-verhaal').inputValue(), second.text, 'the role switch keeps the story');
    assert.equal(await page.locator('#veld-titel').inputValue(), second.title);

    // 5. Later verder: save, leave, come back with the code in another browser, send.
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Later verder' }));
    await page.getByRole('heading', { level: 1, name: 'Je verhaal is bewaard' }).waitFor();
    const resumeCode = (await page.locator('#verdercode').textContent()).trim();
    assert.match(resumeCode, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    assert.equal(draftsWith(second.marker), 1);
    assert.equal(storiesWith(second.marker).length, 0, 'a draft is no story');
    await shot(page, 'bewaard');
    await a11y.check(page, 'draft saved');
    await context.close();

    const later = await h.newContext(browser, { ...h.DESKTOP, javaScriptEnabled });
    if (!javaScriptEnabled) markNoScript(later);
    const again = await later.newPage();
    await h.open(again, `/v/${h.PROJECT}/verder`);
    await a11y.check(again, 'resume code form');
    await again.getByLabel('Je code').fill(resumeCode.toLowerCase());
    await h.clickAndLoad(again, again.getByRole('button', { name: 'Ga verder' }));
    assert.equal(await again.locator('#veld-verhaal').inputValue(), second.text, 'the draft comes back exactly');
    assert.equal(await again.locator('#stand-gehoord-schuif').isChecked(), true);
    await shot(again, 'verder');
    await a11y.check(again, 'resumed form', { focus: false });
    await h.clickAndLoad(again, again.locator('form.story-form button[type=submit]').first());
    await again.getByRole('heading', { level: 1, name: 'Dank je wel voor je verhaal' }).waitFor();
    assert.equal(storiesWith(second.marker).length, 1);
    assert.equal(draftsWith(second.marker), 0, 'the draft is erased once sent');
    await later.close();
  } finally {
    await browser.close();
  }
  a11y.assertClean();
}

test('answers mean what the teller meant (JavaScript on, phone)', { timeout: 240000 }, () =>
  run({ scenario: 'antwoorden-met-js', javaScriptEnabled: true }));

test('the same without JavaScript', { timeout: 240000 }, () =>
  run({ scenario: 'antwoorden-zonder-js', javaScriptEnabled: false }));
