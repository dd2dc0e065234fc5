'use strict';
// The campaign kit (issue 23, item 1). The admin opens the kit from the project page, makes a
// place link, sees the place's short link and QR code, changes the texts of one role (a text
// without the link is refused, what was typed stays), and downloads posters and flyers. Every
// PDF kind is rendered with pdftoppm into the artifacts, to be looked at. A teller who follows
// the place's short link on a phone lands on the vertelpunt with the place. Every page passes
// the audit, on a phone and a desktop, with and without JavaScript.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const h = require('../lib/harness');
const { auditor, markNoScript } = require('../lib/a11y');

const P = `/beheer/p/${h.PROJECT}`;
const KIT = `${P}/campagne`;

/** Saves a PDF and renders its page as PNG beside it (artifacts/campagne/pdf/...). */
function renderPdf(bytes, name) {
  const dir = path.join(h.ARTIFACTS, 'campagne', 'pdf');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, bytes);
  execFileSync('pdftoppm', ['-r', '60', '-png', '-singlefile', file, path.join(dir, name)]);
  const png = path.join(dir, `${name}.png`);
  assert.ok(fs.statSync(png).size > 5000, `${name}: rendered`);
  return png;
}

test('the campaign kit: posters, flyers, texts and a place link', { timeout: 300000 }, async () => {
  const browser = await h.launch();
  const a11y = auditor('campagne');
  const shot = h.screenshots('campagne');
  try {
    const staff = await h.newContext(browser, h.DESKTOP);
    const page = await staff.newPage();
    await h.signIn(page);
    await h.open(page, P);
    await h.clickAndLoad(page, page.getByRole('link', { name: /^Campagnemateriaal/ }));
    assert.equal(new URL(page.url()).pathname, KIT);
    await a11y.check(page, 'beheer: campaign kit');

    // A place link, made in the response monitor, appears in the kit with its QR code.
    const placeName = `Wachtkamer proef ${Date.now() % 100000}`;
    await h.open(page, `${P}/respons`);
    await page.getByLabel('Naam van de plek of het kanaal').fill(placeName);
    await h.clickAndLoad(page, page.getByRole('button', { name: 'Maak een plek-link' }));
    await h.clickAndLoad(page, page.getByRole('link', { name: `QR-code en posters voor ${placeName}` }));
    const place = page.locator('li[id^="plek-"]', { has: page.getByRole('heading', { name: placeName }) });
    assert.equal(await place.locator('svg[role="img"]').count(), 1, 'the place has its QR code');
    const shortLink = (await place.locator('code').textContent()).trim();
    assert.match(shortLink, new RegExp(`/v/${h.PROJECT}/p/[0-9a-z]{6}$`));
    await shot(page, 'desktop-kit');

    // Every PDF kind in every language, rendered to look at; one for the place.
    const code = shortLink.split('/').pop();
    for (const [lang, role, format, query] of [
      ['nl', 'jongere', 'poster-a3', ''],
      ['nl', 'ouder', 'poster-a4', `?plek=${code}`],
      ['nl', 'professional', 'flyer-a5', ''],
      ['ar', 'ouder', 'poster-a4', ''],
      ['uk', 'jongere', 'flyer-a5', ''],
      ['en', 'professional', 'poster-a4', ''],
      ['tr', 'ouder', 'flyer-a5', ''],
      ['pl', 'jongere', 'poster-a4', ''],
    ]) {
      const response = await page.request.get(`${KIT}/${lang}/${role}/${format}.pdf${query}`);
      assert.equal(response.status(), 200, `${lang} ${role} ${format}`);
      assert.equal(response.headers()['content-type'], 'application/pdf');
      renderPdf(await response.body(), `${lang}-${role}-${format}${query ? '-plek' : ''}`);
    }
    const zip = await page.request.get(`${KIT}/campagne.zip`);
    assert.equal(zip.status(), 200);
    assert.equal(zip.headers()['content-type'], 'application/zip');
    await staff.close();

    // The texts of one role: refused without the link, kept as typed; then saved.
    for (const [label, options] of [
      ['telefoon-js', { ...h.PHONE, javaScriptEnabled: true }],
      ['telefoon-zonder-js', { ...h.PHONE, javaScriptEnabled: false }],
      ['desktop-zonder-js', { ...h.DESKTOP, javaScriptEnabled: false }],
    ]) {
      const context = await h.newContext(browser, options);
      if (!options.javaScriptEnabled) markNoScript(context);
      const p = await context.newPage();
      await h.signIn(p);
      await h.open(p, KIT);
      await shot(p, `${label}-kit`);
      await a11y.check(p, `${label}: campaign kit`);
      await h.clickAndLoad(p, p.getByRole('link', { name: /^Uitnodigingen in het Nederlands/ }));
      const role = p.locator('#rol-jongere');
      assert.match(await role.locator('pre').nth(1).textContent(), /\/v\//, `${label}: the e-mail holds the link`);
      await role.locator('summary').click();
      const typed = `Vertel ons hoe het was (${label})`;
      await role.getByRole('textbox', { name: /^Kort bericht voor chat/ }).fill(typed);
      await h.clickAndLoad(p, role.getByRole('button', { name: 'Teksten voor Jongeren opslaan' }));
      assert.match(await p.locator('.error-summary').textContent(), /Zet \{link\} in de tekst/);
      const field = p.locator('#jongere-chat');
      assert.equal(await field.inputValue(), typed, `${label}: what was typed stays`);
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      await shot(p, `${label}-tekst-geweigerd`);
      await a11y.check(p, `${label}: a refused text`);
      await field.fill(`${typed}: {link}`);
      await h.clickAndLoad(p, p.locator('#rol-jongere').getByRole('button', { name: 'Teksten voor Jongeren opslaan' }));
      assert.match(await p.locator('#rol-jongere [role="status"]').textContent(), /opgeslagen/);
      const chat = p.locator('#rol-jongere pre').nth(3);
      assert.match(await chat.textContent(), new RegExp(`^Vertel ons hoe het was \\(${label}\\): http`));
      await shot(p, `${label}-tekst-opgeslagen`);
      await a11y.check(p, `${label}: saved texts`);
      await context.close();
    }

    // A teller scans the place's code on a phone: the vertelpunt opens, counted for the place.
    const teller = await h.newContext(browser, h.PHONE);
    const t = await teller.newPage();
    await h.open(t, new URL(shortLink).pathname);
    assert.equal(new URL(t.url()).pathname, `/v/${h.PROJECT}`);
    assert.equal(new URL(t.url()).searchParams.get('plek'), code);
    await t.getByRole('link', { name: /kind of jongere/ }).first().click();
    await t.waitForURL(new RegExp(`/vertel\\?rol=jongere&plek=${code}`));
    await teller.close();
    a11y.assertClean();
  } finally {
    await browser.close();
  }
});
