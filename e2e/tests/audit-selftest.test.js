'use strict';
// The audit must be able to fail: a deliberately bad page (served by the test itself, never
// by the product) must trip axe and every extra check. Without this, a silent audit could
// not be told apart from a broken one.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');
const { auditor, markNoScript } = require('../lib/a11y');

const BAD_PAGE = `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Zelftest</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>a:focus, button:focus { outline: none; } .faint { color: #bbb; background: #fff; } .wide { width: 600px; }</style></head>
<body><main>
<h1>Zelftest</h1>
<p class="faint">Lichtgrijze tekst op wit.</p>
<input type="text" name="zonder_label">
<label for="schuif">Hoe ging het?</label><input type="range" id="schuif" data-left="Slecht" data-right="Goed">
<a href="#x">Een link zonder focusrand</a> <button type="button">Knop</button>
<div class="wide">Te breed voor een telefoon.</div>
</main></body></html>`;

for (const javaScriptEnabled of [true, false]) {
  test(`the audit finds the problems of a bad page (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, { timeout: 60000 }, async () => {
    const browser = await h.launch();
    try {
      const context = await h.newContext(browser, { ...h.PHONE, javaScriptEnabled });
      if (!javaScriptEnabled) markNoScript(context);
      await context.route('**/e2e-zelftest', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: BAD_PAGE }));
      const page = await context.newPage();
      await page.goto('/e2e-zelftest');
      const a11y = auditor(`zelftest-${javaScriptEnabled ? 'js' : 'zonder-js'}`);
      const { failing, problems } = await a11y.check(page, 'bad page');
      const ids = failing.map((v) => v.id);
      assert.ok(ids.includes('color-contrast'), `axe reports contrast (got ${ids})`);
      assert.ok(ids.includes('label'), `axe reports the missing label (got ${ids})`);
      const text = problems.join('\n');
      assert.match(text, /form control without an accessible name: <input type=text name=zonder_label>/);
      assert.match(text, /slider #schuif: the pole "Slecht" is not announced/);
      assert.match(text, /no visible focus indicator on <a>/);
      assert.match(text, /horizontal scroll of \d+ px at 320 px width/);
      assert.throws(() => a11y.assertClean(), /accessibility problems in scenario/);
    } finally {
      await browser.close();
    }
  });
}
