'use strict';
// A jongere on a phone tells a story with the keyboard only, gets the code and withdraws the
// story with it — once with JavaScript and once without.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');
const { auditor, markNoScript } = require('../lib/a11y');
const { fillByKeyboard } = require('../lib/story');

async function tellAndWithdraw({ scenario, javaScriptEnabled }) {
  const browser = await h.launch();
  const a11y = auditor(scenario);
  const shot = h.screenshots(scenario);
  try {
    const context = await h.newContext(browser, { ...h.PHONE, javaScriptEnabled });
    if (!javaScriptEnabled) markNoScript(context);
    const page = await context.newPage();

    await h.open(page, '/');
    await shot(page, 'start');
    await a11y.check(page, 'home');

    await h.open(page, `/v/${h.PROJECT}`);
    await shot(page, 'vertelpunt');
    await a11y.check(page, 'vertelpunt landing');
    await page.getByRole('link', { name: 'Ik ben een kind of jongere' }).click();
    await page.waitForURL(/\/vertel\?rol=jongere/);
    await shot(page, 'formulier-leeg');
    await a11y.check(page, 'story form (jongere)');

    const story = h.fixtureStory(scenario);
    const sliders = await fillByKeyboard(page, story, { naKey: 'regie' });
    assert.ok(Object.keys(sliders).length >= 8, `every slider answered (${Object.keys(sliders).join(', ')})`);
    if (javaScriptEnabled) {
      // With JavaScript a slider says its value and poles in words, and shows the number.
      const valuetext = await page.locator('#schuif-gehoord').getAttribute('aria-valuetext');
      assert.match(valuetext, new RegExp(`^${sliders.gehoord} van 100 \\(links: .+, rechts: .+\\)$`));
      assert.equal((await page.locator('#waarde-gehoord').textContent()).trim(), String(sliders.gehoord));
      assert.ok(await page.locator('#veld-regie').evaluate((el) => el.classList.contains('is-na')), 'the slider marked "past niet" is dimmed');
    }
    await shot(page, 'formulier-ingevuld');
    // The filled-in form too (a dimmed "past niet" slider must keep its contrast); focus stays
    // on the submit button for the Enter below.
    await a11y.check(page, 'story form filled in', { focus: false });
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.type), 'submit');

    // Enter on the focused submit button sends the form.
    await Promise.all([page.waitForURL(/\/vertel$/), page.keyboard.press('Enter')]);
    await page.getByRole('heading', { level: 1, name: 'Dank je wel voor je verhaal' }).waitFor();
    const code = (await page.locator('#intrekcode').textContent()).trim();
    assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/, `a withdrawal code is shown: ${code}`);
    await shot(page, 'bedankt-met-code');
    await a11y.check(page, 'thank-you page');

    // Withdraw with the code, reached from the footer of the landing page.
    await h.open(page, `/v/${h.PROJECT}`);
    await page.getByRole('link', { name: 'Verhaal weghalen' }).click();
    await page.waitForURL(/\/intrekken$/);
    await a11y.check(page, 'withdraw form');
    await page.getByLabel('Je code').fill(code.toLowerCase());
    await shot(page, 'intrekken-code');
    await page.getByRole('button', { name: 'Zoek mijn verhaal' }).click();
    await page.getByRole('heading', { level: 1, name: 'Is dit je verhaal?' }).waitFor();
    assert.equal((await page.locator('.story-facts dd').first().textContent()).trim(), story.title, 'the confirmation shows the story told');
    await shot(page, 'intrekken-bevestigen');
    await a11y.check(page, 'withdraw confirmation');
    await page.locator('form[action$="/intrekken/bevestig"] button[type=submit]').click();
    await page.waitForURL(/\/intrekken\/bevestig$/);
    await shot(page, 'ingetrokken');
    await a11y.check(page, 'withdrawn');

    // The code no longer finds the story.
    await h.open(page, `/v/${h.PROJECT}/intrekken`);
    await page.getByLabel('Je code').fill(code);
    await page.getByRole('button', { name: 'Zoek mijn verhaal' }).click();
    await page.locator('#fout-code').waitFor();
    assert.match(await page.locator('#fout-code').textContent(), /We vinden geen verhaal met deze code/);
    await shot(page, 'code-werkt-niet-meer');
    await a11y.check(page, 'withdraw form with error');
    await context.close();
  } finally {
    await browser.close();
  }
  a11y.assertClean();
}

test('a jongere on a phone tells a story by keyboard and withdraws it (JavaScript on)', { timeout: 180000 }, () =>
  tellAndWithdraw({ scenario: 'jongere-telefoon', javaScriptEnabled: true }));

test('the same without JavaScript', { timeout: 180000 }, () =>
  tellAndWithdraw({ scenario: 'jongere-zonder-js', javaScriptEnabled: false }));
