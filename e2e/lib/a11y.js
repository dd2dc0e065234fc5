'use strict';
// The accessibility audit of one page: axe-core, plus checks axe cannot make on its own
// (accessible names computed by Chromium itself, sliders, visible focus, reflow at 320 px and
// at 200% zoom). `auditor(scenario)` collects the problems of every page a scenario visits;
// `assertClean()` fails the test with a readable list at the end of the scenario.

const fs = require('node:fs');
const path = require('node:path');
const { ARTIFACTS } = require('./harness');

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const FAILING_IMPACTS = new Set(['serious', 'critical']);

/** Contexts made with javaScriptEnabled: false (axe cannot run inside them). */
const noScriptContexts = new WeakSet();
function markNoScript(context) {
  noScriptContexts.add(context);
  return context;
}

/**
 * axe-core on the page as it is now. In a context without JavaScript axe cannot run (its
 * timers never fire), so the current DOM is served once more to a scripting context with the
 * page's own scripts blocked: the same markup and CSS, audited as the no-JS visitor gets it.
 */
async function axeViolations(page) {
  const run = async (target) => {
    await target.evaluate(`${AXE_SOURCE}\n;0`);
    return target.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 300), summary: n.failureSummary })),
      }));
    });
  };
  if (!noScriptContexts.has(page.context())) return run(page);

  const url = page.url();
  const html = await page.content();
  const size = page.viewportSize() || { width: 1280, height: 900 };
  const context = await page.context().browser().newContext({ viewport: size, locale: 'nl-NL' });
  try {
    await context.route('**/*', (route) => {
      const req = route.request();
      if (req.url() === url && req.resourceType() === 'document') {
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      }
      if (req.resourceType() === 'script') return route.abort();
      return route.continue();
    });
    const copy = await context.newPage();
    await copy.goto(url);
    return await run(copy);
  } finally {
    await context.close();
  }
}

/** Chromium's own accessibility node (name, role, value, description) for each match. */
async function axNodes(page, selector) {
  const count = await page.evaluate((sel) => {
    let i = 0;
    for (const el of document.querySelectorAll(sel)) {
      const style = getComputedStyle(el);
      const rect = el.getBoundingClientRect();
      const shown = style.visibility !== 'hidden' && style.display !== 'none' && (rect.width > 0 || rect.height > 0 || el.type === 'checkbox' || el.type === 'radio');
      if (shown && !el.closest('[hidden], [aria-hidden="true"]')) el.setAttribute('data-e2e-node', String(i++));
      else el.removeAttribute('data-e2e-node');
    }
    return i;
  }, selector);
  if (count === 0) return [];
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '[data-e2e-node]' });
    const out = [];
    for (const nodeId of nodeIds) {
      const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
      const ax = nodes[0] || {};
      const { node } = await cdp.send('DOM.describeNode', { nodeId });
      const attrs = {};
      for (let i = 0; i + 1 < (node.attributes || []).length; i += 2) attrs[node.attributes[i]] = node.attributes[i + 1];
      const props = {};
      for (const p of ax.properties || []) props[p.name] = p.value && p.value.value;
      out.push({
        tag: node.localName,
        id: attrs.id || '',
        name: (attrs.name || ''),
        type: attrs.type || '',
        attrs,
        ignored: Boolean(ax.ignored),
        role: ax.role && ax.role.value,
        accName: ((ax.name && ax.name.value) || '').trim(),
        description: ((ax.description && ax.description.value) || '').trim(),
        value: ax.value && ax.value.value,
        props,
      });
    }
    return out;
  } finally {
    await cdp.detach();
    await page.evaluate(() => document.querySelectorAll('[data-e2e-node]').forEach((el) => el.removeAttribute('data-e2e-node')));
  }
}

const CONTROLS = 'input:not([type=hidden]), select, textarea, button';

/** Every page links to the accessibility statement from its footer. */
async function statementLink(page) {
  const n = await page.locator('footer a[href="/toegankelijkheid"]').count();
  return n === 1 ? [] : ['no link to the accessibility statement (/toegankelijkheid) in the footer'];
}

/** Every visible form control has an accessible name (as Chromium computes it). */
async function unlabelledControls(page) {
  const nodes = await axNodes(page, CONTROLS);
  return nodes
    .filter((n) => !n.ignored && n.accName === '')
    .map((n) => `form control without an accessible name: <${n.tag}${n.type ? ` type=${n.type}` : ''}${n.id ? ` id=${n.id}` : ''}${n.name ? ` name=${n.name}` : ''}>`);
}

/** A slider's name or description names both poles, and it exposes a value. */
async function sliderProblems(page) {
  const nodes = await axNodes(page, 'input[type=range]');
  const problems = [];
  for (const n of nodes) {
    const spoken = `${n.accName} ${n.description} ${n.props.valuetext || ''}`.toLowerCase();
    const poles = [n.attrs['data-left'], n.attrs['data-right']].filter(Boolean);
    if (poles.length < 2) problems.push(`slider #${n.id}: no data-left/data-right poles to check`);
    for (const pole of poles) {
      if (!spoken.includes(pole.toLowerCase())) problems.push(`slider #${n.id}: the pole "${pole}" is not announced (name: "${n.accName}", description: "${n.description}")`);
    }
    if (n.role !== 'slider') problems.push(`slider #${n.id}: role is ${n.role}, not slider`);
    if ((n.value === undefined || n.value === '') && !n.props.valuetext) problems.push(`slider #${n.id}: no value is exposed`);
  }
  return problems;
}

/** Tabbing through the first elements: each focused element shows a focus indicator. */
async function focusProblems(page, steps = 12) {
  await page.evaluate(() => {
    const start = document.createElement('span');
    start.id = 'e2e-focus-start';
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus();
  });
  const problems = [];
  const seen = new Set();
  for (let i = 0; i < steps; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1;
      const shadow = s.boxShadow && s.boxShadow !== 'none';
      // Checkboxes and radios may show focus on their label or wrapper (.check:focus-within).
      let wrapper = false;
      const holder = el.closest('.check, .choice-field, label');
      if (holder) {
        const hs = getComputedStyle(holder);
        wrapper = (hs.outlineStyle !== 'none' && parseFloat(hs.outlineWidth) >= 1) || (hs.boxShadow && hs.boxShadow !== 'none');
      }
      const rect = el.getBoundingClientRect();
      return {
        desc: `<${el.tagName.toLowerCase()}${el.id ? ` id=${el.id}` : ''}${el.className && typeof el.className === 'string' ? ` class="${el.className}"` : ''}> "${(el.textContent || el.value || '').trim().slice(0, 40)}"`,
        visibleFocus: el.matches(':focus-visible') && (outline || shadow || wrapper),
        onScreen: rect.width > 0 && rect.height > 0,
      };
    });
    if (!f) break;
    if (seen.has(f.desc)) break;
    seen.add(f.desc);
    if (!f.visibleFocus) problems.push(`no visible focus indicator on ${f.desc}`);
    if (!f.onScreen) problems.push(`focused element has no size (invisible): ${f.desc}`);
  }
  await page.evaluate(() => {
    const start = document.getElementById('e2e-focus-start');
    if (start) start.remove();
    if (document.activeElement) document.activeElement.blur();
  });
  return problems;
}

/**
 * No horizontal scrolling at 320 CSS px (WCAG 1.4.10) and at 640 CSS px, which is what a
 * 1280 px wide window shows at 200% browser zoom (zooming divides the CSS viewport by the
 * zoom factor; media queries see the same width). Wide data tables scroll inside their own
 * container, which WCAG allows; the page itself must not.
 */
async function reflowProblems(page) {
  const original = page.viewportSize();
  const problems = [];
  try {
    for (const [width, what] of [[320, '320 px width'], [640, '200% zoom (640 CSS px)']]) {
      await page.setViewportSize({ width, height: 800 });
      const r = await page.evaluate(() => {
        const doc = document.documentElement;
        const overflow = doc.scrollWidth - doc.clientWidth;
        const culprits = [];
        const inScroller = (el) => {
          for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            const ox = getComputedStyle(p).overflowX;
            if (ox === 'auto' || ox === 'scroll' || ox === 'hidden') return true;
          }
          return false;
        };
        if (overflow > 1) {
          for (const el of document.body.querySelectorAll('*')) {
            const rect = el.getBoundingClientRect();
            if (rect.right > doc.clientWidth + 1 && rect.width > 0 && !inScroller(el)) {
              culprits.push(`<${el.tagName.toLowerCase()}${el.id ? ` id=${el.id}` : ''}${typeof el.className === 'string' && el.className ? ` class="${el.className}"` : ''}> right edge ${Math.round(rect.right)} px`);
              if (culprits.length >= 5) break;
            }
          }
        }
        if (overflow > 1 && culprits.length === 0) {
          // Nothing sticks out as a box: then text (a long word or link) overflows its box.
          for (const el of document.body.querySelectorAll('*')) {
            const ox = getComputedStyle(el).overflowX;
            if (ox === 'visible' && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && !inScroller(el)) {
              culprits.push(`content of <${el.tagName.toLowerCase()}${el.id ? ` id=${el.id}` : ''}${typeof el.className === 'string' && el.className ? ` class="${el.className}"` : ''}> is ${el.scrollWidth - el.clientWidth} px too wide: "${(el.textContent || '').trim().slice(0, 60)}"`);
              if (culprits.length >= 5) break;
            }
          }
        }
        return { overflow, culprits };
      });
      if (r.overflow > 1) problems.push(`horizontal scroll of ${r.overflow} px at ${what}: ${r.culprits.join('; ')}`);
    }
  } finally {
    if (original) await page.setViewportSize(original);
  }
  return problems;
}

function formatViolation(v) {
  const lines = [`[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`];
  for (const n of v.nodes.slice(0, 6)) {
    lines.push(`      at ${n.target}`);
    lines.push(`         ${n.html.replace(/\s+/g, ' ')}`);
    if (n.summary) lines.push(`         ${n.summary.replace(/\n\s*/g, ' | ')}`);
  }
  if (v.nodes.length > 6) lines.push(`      … and ${v.nodes.length - 6} more`);
  return lines.join('\n');
}

/** Collects the audit of every page of one scenario. */
function auditor(scenario) {
  const pages = [];
  return {
    /** Audits the page as it is now. `options.focus` / `options.reflow` can switch parts off. */
    async check(page, label, options = {}) {
      const violations = await axeViolations(page);
      const failing = violations.filter((v) => FAILING_IMPACTS.has(v.impact));
      const problems = [
        ...(await statementLink(page)),
        ...(await unlabelledControls(page)),
        ...(await sliderProblems(page)),
        ...(options.focus === false ? [] : await focusProblems(page)),
        ...(options.reflow === false ? [] : await reflowProblems(page)),
      ];
      pages.push({ label, url: page.url(), failing, minor: violations.filter((v) => !FAILING_IMPACTS.has(v.impact)), problems });
      return { failing, problems };
    },
    pagesChecked() {
      return pages.length;
    },
    /** Throws with a readable report when any page had a serious/critical violation or a failed check. */
    assertClean() {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      fs.writeFileSync(path.join(ARTIFACTS, `a11y-${scenario}.json`), JSON.stringify(pages, null, 2));
      const bad = pages.filter((p) => p.failing.length || p.problems.length);
      const minorCount = pages.reduce((n, p) => n + p.minor.length, 0);
      console.log(`a11y ${scenario}: ${pages.length} pages audited, ${bad.length} with problems, ${minorCount} minor/moderate axe findings (see artifacts/a11y-${scenario}.json)`);
      if (bad.length === 0) return;
      const report = bad
        .map((p) => [`■ ${p.label} — ${p.url}`, ...p.failing.map((v) => `  ${formatViolation(v)}`), ...p.problems.map((x) => `  [check] ${x}`)].join('\n'))
        .join('\n\n');
      throw new Error(`accessibility problems in scenario "${scenario}":\n\n${report}\n`);
    },
  };
}

module.exports = { auditor, markNoScript, axeViolations, axNodes };
