'use strict';
// Shared pieces of the browser tests: the browser, the server under test, screenshots and
// fixture text. The runner (e2e/run) starts the server and sets the VP_* variables.

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { chromium } = require('playwright-core');

const BASE_URL = process.env.VP_BASE_URL || 'http://127.0.0.1:8080';
const ADMIN_EMAIL = process.env.VP_ADMIN_EMAIL || 'beheer@example.org';
const ADMIN_PASSWORD = process.env.VP_ADMIN_PASSWORD || '';
const PROJECT = process.env.VP_PROJECT || 'jeugdhulp';
const ARTIFACTS = process.env.VP_ARTIFACTS || path.join(__dirname, '..', 'artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** A phone: the viewport most storytellers have (iPhone 12-15 size). */
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 900 } };

async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    // The CI container runs as root, where Chromium's sandbox cannot start.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=nl-NL'],
  });
}

/** A fresh browser context (own cookies) that speaks Dutch. */
async function newContext(browser, options = {}) {
  const context = await browser.newContext({ locale: 'nl-NL', baseURL: BASE_URL, ...options });
  context.setDefaultTimeout(15000);
  return context;
}

/** Numbered full-page screenshots per scenario: artifacts/<scenario>/01-<step>.png. */
function screenshots(scenario) {
  const dir = path.join(ARTIFACTS, scenario);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page, step) => {
    n += 1;
    const file = path.join(dir, `${String(n).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
}

/** Generated fixture text: never a real story. The marker makes the story findable. */
function fixtureStory(label) {
  const marker = `proefverhaal${crypto.randomBytes(4).toString('hex')}`;
  return {
    marker,
    title: `Testverhaal ${label} ${marker}`,
    text:
      `Dit is een verzonnen verhaal voor de browsertest (${label}). ` +
      `Het woord ${marker} maakt het terug te vinden. ` +
      'De begeleider luisterde goed en we maakten samen een plan. ' +
      'Soms duurde het lang voordat er iets gebeurde, maar uiteindelijk ging het beter.',
  };
}

/** Goes to a path and fails on an error status. */
async function open(page, pathname, expectedStatus = 200) {
  const response = await page.goto(pathname);
  if (!response) throw new Error(`no response for ${pathname}`);
  if (response.status() !== expectedStatus) {
    throw new Error(`${pathname}: status ${response.status()}, expected ${expectedStatus}`);
  }
  return response;
}

/** Clicks (a submit button) and waits until the next page has loaded, even at the same URL. */
async function clickAndLoad(page, locator) {
  const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() });
  await locator.click();
  await navigated;
  await page.waitForLoadState('load');
}

/** Signs a staff member in through the login form. */
async function signIn(page, email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
  await open(page, '/beheer/inloggen');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/beheer/inloggen')), page.getByRole('button', { name: 'Inloggen' }).click()]);
}

module.exports = {
  BASE_URL,
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  PROJECT,
  ARTIFACTS,
  PHONE,
  DESKTOP,
  launch,
  newContext,
  screenshots,
  fixtureStory,
  open,
  signIn,
  clickAndLoad,
};
