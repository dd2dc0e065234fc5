'use strict';
// The whole teller's path in each of the six languages, with JavaScript on and off: a link
// with ?taal= opens the vertelpunt (and its privacy page and accessibility statement), a role
// is chosen, the story form is filled in (story, title, sliders, consent), kept with "Later
// verder" and taken up again with its code, and sent; the thank-you page gives the code, and
// the story is withdrawn with it. Every page passes the accessibility audit, carries its language and
// direction, and has no Dutch text left outside elements marked lang="nl" (the project's own
// texts and the help lines), except proper names.
//
// How "no Dutch left" is checked, on every page:
//   1. Every text a person gets in the page's own language (text nodes, also those only a
//      screen reader reads, the page title, aria-label, title, placeholder, alt,
//      aria-valuetext) is compared with the Dutch texts of locales/nl.json and of the default
//      questionnaire (questionnaires/default.json), cut at their {placeholders} and sentences.
//      A Dutch piece found in it fails, unless the language's own texts (its locale file and
//      questionnaire translation) have that piece too (names such as "Vertelpunt" or
//      "Wijchen", the Dutch word in brackets after "wijkteam").
//   2. Texts written into the templates themselves are in no locale file: so every text seen
//      on the Dutch pages is kept, and the same text on a page in another language fails
//      (again unless that language's own texts have it).

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const h = require('../lib/harness');
const { auditor, markNoScript } = require('../lib/a11y');

const ROOT = path.join(__dirname, '..', '..');
const LANGUAGES = ['nl', 'en', 'ar', 'tr', 'pl', 'uk'];
const RTL = new Set(['ar']);
/** Proper names that are the same in every language. */
const PROPER_NAMES = ['Vertelpunt Jeugdhulp', 'Vertelpunt'];

const readJson = (rel) => JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8'));
const LOCALES = Object.fromEntries(LANGUAGES.map((l) => [l, readJson(`locales/${l}.json`)]));
const QUESTIONNAIRE = readJson('questionnaires/default.json');

/** Every Dutch text of the questionnaire a teller can read. */
function questionnaireDutch(q) {
  const texts = [];
  for (const r of q.roles) texts.push(r.label, r.prompt, r.title_hint);
  for (const question of q.questions) {
    texts.push(question.label, question.help, question.left, question.right);
    texts.push(...Object.values(question.role_labels || {}));
    texts.push(...(question.options || []).map((o) => o.label));
  }
  return texts.filter((t) => typeof t === 'string' && t.trim());
}

/** A text cut into the pieces a page shows whole: at {placeholders} and at sentence ends. */
function pieces(text) {
  return text
    .split(/\{[a-z_]+\}/)
    .flatMap((part) => part.split(/(?<=[.!?:])\s+/))
    .map((p) => p.trim().replace(/[.:,;]$/, '').trim())
    .filter((p) => (p.match(/\p{L}/gu) || []).length >= 4);
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `piece` as a whole word or phrase, any case. */
const wordRe = (piece) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(piece)}(?![\\p{L}\\p{N}])`, 'iu');
const squeeze = (s) => s.replace(/\s+/g, ' ').trim();

const DUTCH_PIECES = [...new Set([...Object.values(LOCALES.nl), ...questionnaireDutch(QUESTIONNAIRE)].flatMap(pieces))];

/** The language's own texts: its locale file and its questionnaire translation. */
function ownTexts(lang) {
  return [...Object.values(LOCALES[lang]), ...Object.values((QUESTIONNAIRE.translations || {})[lang] || {}), ...PROPER_NAMES].map(squeeze);
}

/** Is `text` (whole, as a word or phrase) part of one of the language's own texts? */
function isOwn(own, text) {
  const re = wordRe(text);
  return own.some((t) => re.test(t));
}

/** The Dutch pieces a page in `lang` must not show: those its own texts do not have. */
const forbiddenCache = new Map();
function forbiddenPieces(lang) {
  if (!forbiddenCache.has(lang)) {
    const own = ownTexts(lang);
    forbiddenCache.set(
      lang,
      DUTCH_PIECES.filter((p) => !isOwn(own, p)).map((p) => ({ piece: p, re: wordRe(p) })),
    );
  }
  return forbiddenCache.get(lang);
}

/**
 * The texts a person gets on the page in the page's own language: text nodes and the
 * attributes that are read out, with where they are. Text marked with another language
 * (lang="nl" on the project's texts, each language's own name in the list), form fields'
 * contents and hidden elements are left out.
 */
function pageTexts(page) {
  return page.evaluate(() => {
    const pageLang = document.documentElement.getAttribute('lang');
    const inPageLanguage = (el) => {
      const marked = el.closest('[lang]');
      return !marked || marked.getAttribute('lang') === pageLang;
    };
    const shown = (el) => {
      if (el.closest('[hidden], script, style, template, textarea, datalist')) return false;
      if (typeof el.checkVisibility === 'function') return el.checkVisibility({ visibilityProperty: true });
      const s = getComputedStyle(el);
      return s.display !== 'none' && s.visibility !== 'hidden';
    };
    const where = (el) => `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${typeof el.className === 'string' && el.className ? `.${el.className.split(/\s+/).join('.')}` : ''}>`;
    const out = [{ text: document.title, where: '<title>' }];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent.trim() || !shown(el) || !inPageLanguage(el)) continue;
      out.push({ text: n.textContent, where: where(el) });
    }
    const attrs = ['aria-label', 'title', 'placeholder', 'alt', 'aria-valuetext'];
    for (const el of document.body.querySelectorAll('*')) {
      if (!shown(el) || !inPageLanguage(el)) continue;
      for (const a of attrs) {
        if (el.hasAttribute(a) && el.getAttribute(a).trim()) out.push({ text: el.getAttribute(a), where: `${where(el)}[${a}]` });
      }
      if (el.matches('input[type=submit], input[type=button]') && el.value) out.push({ text: el.value, where: `${where(el)}[value]` });
    }
    return out;
  });
}

/** Texts seen on the Dutch pages (filled by the Dutch run, which comes first). */
const seenInDutch = new Set();

/** The Dutch left on the page, as readable lines; empty when there is none. */
async function dutchLeft(page, lang, label) {
  const texts = (await pageTexts(page)).map((t) => ({ ...t, text: squeeze(t.text) })).filter((t) => /\p{L}/u.test(t.text));
  // A page of the path has a title, a header, a heading, text and a footer: a check that
  // collected almost nothing would pass without looking.
  assert.ok(texts.length >= 8, `${label}: only ${texts.length} texts collected`);
  if (lang === 'nl') {
    for (const t of texts) seenInDutch.add(t.text);
    return [];
  }
  assert.ok(seenInDutch.size > 0, 'the Dutch path runs first: it collects the texts of the Dutch pages');
  const own = ownTexts(lang);
  const problems = [];
  for (const t of texts) {
    // One line per text: the Dutch pieces in it, or else that it is a text of the Dutch pages.
    const pieces = forbiddenPieces(lang).filter(({ re }) => re.test(t.text)).map(({ piece }) => `"${piece}"`);
    if (pieces.length > 0) {
      problems.push(`${label}: Dutch ${pieces.join(', ')} in ${t.where}: "${t.text}"`);
    } else if (seenInDutch.has(t.text) && !isOwn(own, t.text)) {
      problems.push(`${label}: "${t.text}" in ${t.where} is also on the Dutch pages and not in the ${lang} texts`);
    }
  }
  return problems;
}

/** A number as the language writes it (CLDR, as the server does): 25.000, 25,000, 25 000. */
const grouped = (n, lang) => new Intl.NumberFormat(lang === 'ar' ? 'ar-u-nu-latn' : lang, { useGrouping: true }).format(n);

/** Today (plus `days`) in the Netherlands, as the language writes a date in words (CLDR
 *  through Intl). */
function longDate(lang, days = 0) {
  const locale = { en: 'en-GB', ar: 'ar-u-nu-latn' }[lang] || lang;
  const when = new Date(Date.now() + days * 86400000);
  const text = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' }).format(when);
  return text.replace(/[\u200e\u200f\u061c]/g, '');
}

/** Generated fixture text in the teller's language, with a marker to find it back. */
function fixture(lang, scenario) {
  const marker = `proef${lang}${crypto.randomBytes(4).toString('hex')}`;
  const texts = {
    nl: ['Testverhaal', 'Dit is een verzonnen verhaal voor de browsertest. Mijn mentor luisterde en we maakten samen een plan.'],
    en: ['Test story', 'This is a made-up story for the browser test. My mentor listened and we made a plan together.'],
    ar: ['قصة اختبار', 'هذه قصة مختلقة لاختبار المتصفح. استمع إلي المرشد ووضعنا خطة معا.'],
    tr: ['Test hikâyesi', 'Bu, tarayıcı testi için uydurulmuş bir hikâye. Mentorum beni dinledi ve birlikte bir plan yaptık.'],
    pl: ['Historia testowa', 'To jest wymyślona historia do testu przeglądarki. Mentor mnie wysłuchał i razem zrobiliśmy plan.'],
    uk: ['Тестова історія', 'Це вигадана історія для тесту браузера. Ментор мене вислухав, і ми разом склали план.'],
  }[lang];
  return { marker, title: `${texts[0]} ${marker}`, text: `${texts[1]} ${marker} (${scenario})` };
}

/** The stored story with `marker`: its language and slider answers (SQLite, as lib/db.js). */
function storedStory(marker) {
  const query = `
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
row = db.execute("SELECT id, language FROM stories WHERE body LIKE ?", ('%' + sys.argv[2] + '%',)).fetchone()
answers = {} if row is None else {k: n for (k, n) in db.execute("SELECT question_key, number_value FROM answers WHERE story_id = ?", (row[0],))}
print(json.dumps(None if row is None else {"language": row[1], "answers": answers}))
`;
  const file = (process.env.DATABASE_URL || '').replace(/^sqlite:\/\//, '');
  return JSON.parse(execFileSync('python3', ['-c', query, file, marker], { encoding: 'utf8' }));
}

/** The questionnaire's text `id` in `lang` (Dutch from the questionnaire itself). */
function questionnaireText(lang, question, field) {
  if (lang !== 'nl') return QUESTIONNAIRE.translations[lang][`q.${question}.${field}`];
  return QUESTIONNAIRE.questions.find((q) => q.key === question)[field];
}

async function tellerPath(browser, lang, javaScriptEnabled) {
  const scenario = `taal-${lang}-${javaScriptEnabled ? 'js' : 'zonder-js'}`;
  const a11y = auditor(scenario);
  const shot = h.screenshots(scenario);
  const t = LOCALES[lang];
  const problems = [];
  const dir = RTL.has(lang) ? 'rtl' : 'ltr';
  const context = await h.newContext(browser, { ...h.PHONE, javaScriptEnabled });
  if (!javaScriptEnabled) markNoScript(context);
  const page = await context.newPage();

  const visit = async (label, step) => {
    assert.equal(await page.getAttribute('html', 'lang'), lang, `${label}: <html lang>`);
    assert.equal(await page.getAttribute('html', 'dir'), dir, `${label}: <html dir>`);
    await shot(page, step);
    problems.push(...(await dutchLeft(page, lang, label)));
    await a11y.check(page, label);
  };

  try {
    // A link as on a poster or in a message: the language holds for the whole visit.
    await h.open(page, `/v/${h.PROJECT}?taal=${lang}`);
    await visit('landing page', 'vertelpunt');
    await page.locator('main a[href$="/privacy"]').click();
    await page.waitForURL(/\/privacy$/);
    await visit('privacy page', 'privacy');
    await page.locator('footer a[href="/toegankelijkheid"]').click();
    await page.waitForURL(/\/toegankelijkheid$/);
    await visit('accessibility statement', 'toegankelijkheid');
    await h.open(page, `/v/${h.PROJECT}`);

    await page.locator(`a.role-button[href$="vertel?rol=jongere"]`).click();
    await page.waitForURL(/\/vertel\?rol=jongere$/);
    const max = Number(await page.locator('#veld-verhaal').getAttribute('data-max'));
    if (!javaScriptEnabled) {
      // Without JavaScript the limit is said once, written the language's way.
      assert.equal(squeeze(await page.locator('#teller-verhaal').textContent()), squeeze(t['form.story_max'].replace('{max}', grouped(max, lang))));
    }
    await visit('story form', 'formulier-leeg');

    const story = fixture(lang, scenario);
    await page.locator('#veld-verhaal').fill(story.text);
    await page.locator('#veld-titel').fill(story.title);
    if (javaScriptEnabled) {
      const left = max - [...story.text].length;
      assert.equal(squeeze(await page.locator('#teller-verhaal').textContent()), squeeze(t['form.story_left'].replace('{left}', grouped(left, lang))), 'the character counter in the language');
    }
    // Every slider that must be answered: moved with the keyboard and confirmed.
    const sliders = {};
    for (const [key, steps] of [['gehoord', 12], ['juiste_hulp', 5], ['op_tijd', 20]]) {
      const range = page.locator(`#schuif-${key}`);
      await range.focus();
      await page.keyboard.press('Home');
      // Up raises the value in either direction (Right lowers it on a right-to-left page).
      for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowUp');
      await page.locator(`#stand-${key}-schuif`).check();
      sliders[key] = Number(await range.inputValue());
    }
    assert.ok(sliders.gehoord > 0, `the slider moved (${JSON.stringify(sliders)})`);
    if (javaScriptEnabled) {
      // What a screen reader says for the slider: the value and both ends, in the language.
      const expected = `${t['form.slider_value'].replace('{value}', String(sliders.gehoord)).replace('{max}', '100')} ${t['form.slider_poles']
        .replace('{left}', questionnaireText(lang, 'gehoord', 'left'))
        .replace('{right}', questionnaireText(lang, 'gehoord', 'right'))}`;
      assert.equal(await page.locator('#schuif-gehoord').getAttribute('aria-valuetext'), expected);
    }
    // "Weet ik niet / past niet" on an optional slider: said as that choice, with the ends.
    await page.locator('#na-regie').check();
    if (javaScriptEnabled) {
      const poles = t['form.slider_poles'].replace('{left}', questionnaireText(lang, 'regie', 'left')).replace('{right}', questionnaireText(lang, 'regie', 'right'));
      assert.equal(await page.locator('#schuif-regie').getAttribute('aria-valuetext'), `${t['form.not_applicable']} ${poles}`);
    }
    await page.locator('#keuze-gevoel-gemengd').check();
    await page.locator('#toestemming-analyse').check();
    await visit('story form filled in', 'formulier-ingevuld');

    // "Later verder": the code and the last day it works, in words of the language.
    await Promise.all([page.waitForURL(/\/vertel\/later$/), page.locator('.form-actions button[formaction$="/vertel/later"]').click()]);
    const resumeCode = squeeze(await page.locator('#verdercode').textContent());
    const days = 14;
    assert.equal(
      squeeze(await page.locator('#verdercode + .hint').textContent()),
      squeeze(t['draft.code_keep'].replace('{days}', String(days)).replace('{until}', longDate(lang, days))),
    );
    await visit('draft saved', 'later-verder');
    await page.locator('main a[href$="/verder"]').click();
    await page.waitForURL(/\/verder$/);
    await visit('resume form', 'verder');
    await page.locator('#veld-code').fill(resumeCode);
    await Promise.all([page.waitForURL(/\/verder$/), page.locator('form[action$="/verder"] button[type=submit]').click()]);
    await page.locator('#veld-verhaal').waitFor();
    assert.equal(await page.locator('#veld-verhaal').inputValue(), story.text, 'the story comes back with the code');
    await visit('story form resumed', 'formulier-hervat');

    await Promise.all([page.waitForURL(/\/vertel$/), page.locator('.form-actions button.button:not(.secondary)').click()]);
    await page.locator('#intrekcode').waitFor();
    assert.equal(squeeze(await page.locator('h1').textContent()), squeeze(t['thanks.title']));
    const code = squeeze(await page.locator('#intrekcode').textContent());
    assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/, `a withdrawal code: ${code}`);
    await visit('thank-you page', 'bedankt');

    // The story is stored as told in this language, with the sliders as moved.
    const stored = storedStory(story.marker);
    assert.ok(stored, 'the story is stored');
    assert.equal(stored.language, lang, 'the story keeps the language of the visit');
    assert.equal(stored.answers.gehoord, sliders.gehoord);

    await h.open(page, `/v/${h.PROJECT}`);
    await page.locator('footer a[href$="/intrekken"]').click();
    await page.waitForURL(/\/intrekken$/);
    await visit('withdraw form', 'intrekken');
    await page.locator('#veld-code').fill(code);
    await page.locator('form[action$="/intrekken"] button[type=submit]').click();
    await page.locator('form[action$="/intrekken/bevestig"]').waitFor();
    assert.equal(squeeze(await page.locator('.story-facts dd').first().textContent()), story.title);
    // The day it was shared, in words of the language (CLDR's long date, as Intl has it).
    assert.equal(squeeze(await page.locator('.story-facts dd').nth(1).textContent()), longDate(lang));
    await visit('withdraw confirmation', 'intrekken-bevestigen');
    await Promise.all([page.waitForURL(/\/intrekken\/bevestig$/), page.locator('form[action$="/intrekken/bevestig"] button[type=submit]').click()]);
    assert.equal(squeeze(await page.locator('h1').textContent()), squeeze(t['withdraw.done_title']));
    await visit('withdrawn', 'ingetrokken');
    assert.equal(storedStory(story.marker), null, 'the text is gone after withdrawal');

    if (lang !== 'nl') {
      // The check itself, on this page: a Dutch text of the locale and a text of the Dutch
      // pages that is in no locale (the Dutch date on the withdrawal page) put in unmarked are
      // found and named; the same texts marked lang="nl" are not.
      const dutch = [LOCALES.nl['form.submit'], longDate('nl')];
      await page.evaluate((texts) => {
        const main = document.querySelector('main');
        for (const text of texts) {
          for (const marked of [false, true]) {
            const p = document.createElement('p');
            p.textContent = text;
            if (marked) p.setAttribute('lang', 'nl');
            main.append(p);
          }
        }
      }, dutch);
      const found = await dutchLeft(page, lang, 'self-test');
      assert.equal(found.length, 2, `the check finds each unmarked Dutch text once: ${found.join('; ')}`);
      assert.match(found[0], new RegExp(`Dutch "${escapeRe(dutch[0])}"`));
      assert.match(found[1], new RegExp(`"${escapeRe(dutch[1])}" .* is also on the Dutch pages`));
    }
    await context.close();
  } catch (e) {
    await shot(page, 'fout').catch(() => {});
    throw e;
  }
  a11y.assertClean();
  assert.deepEqual(problems, [], `Dutch text left on the ${lang} pages (${javaScriptEnabled ? 'JavaScript on' : 'JavaScript off'}):\n${problems.join('\n')}`);
}

for (const lang of LANGUAGES) {
  test(`the teller's path in ${lang}, with JavaScript on and off`, { timeout: 600000 }, async () => {
    const browser = await h.launch();
    try {
      await tellerPath(browser, lang, true);
      await tellerPath(browser, lang, false);
    } finally {
      await browser.close();
    }
  });
}

test('the check finds Dutch that is left', () => {
  // A self-test of the comparison: a Dutch sentence of the locale on a Polish page fails,
  // a name both languages have does not.
  const forbidden = forbiddenPieces('pl');
  const find = (text) => forbidden.filter(({ re }) => re.test(text)).map(({ piece }) => piece);
  assert.ok(find(`Mój tekst. ${LOCALES.nl['thanks.title']}`).length > 0);
  assert.ok(find('Het Baken z Wijchen i Vertelpunt').length === 0);
  assert.ok(find(LOCALES.pl['thanks.title']).length === 0);
});
