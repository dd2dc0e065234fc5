'use strict';
// The storyteller's form, driven the way a person does it.

const assert = require('node:assert/strict');

/** Which element has focus: enough to decide what to do with the keyboard. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return null;
    return { tag: el.tagName.toLowerCase(), id: el.id || '', type: el.type || '', name: el.name || '', value: el.value || '', checked: Boolean(el.checked), text: (el.textContent || '').trim() };
  });
}

/** Puts the keyboard focus at the very start of the page, as after loading it. */
async function focusTop(page) {
  await page.evaluate(() => {
    const start = document.createElement('span');
    start.id = 'e2e-top';
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus();
    window.scrollTo(0, 0);
  });
}

/**
 * Fills the story form with the keyboard only: Tab from the top of the page to the story
 * box, type the story and title, move every slider with the arrow keys (a different amount
 * each) and confirm it as the answer, choose "Weet ik niet / past niet" on the slider `naKey`,
 * choose the first option of
 * every choice question with the arrow keys, tick the consent box with Space, and stop on the
 * submit button. Returns what was chosen per slider.
 */
async function fillByKeyboard(page, story, { naKey, consentQuotes = false } = {}) {
  // Start at the top of the page, as a keyboard user arriving on it.
  await focusTop(page);
  let f = null;
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (i === 0) await page.evaluate(() => document.getElementById('e2e-top')?.remove());
    f = await focused(page);
    if (f && f.id === 'veld-verhaal') break;
  }
  assert.equal(f && f.id, 'veld-verhaal', 'Tab reaches the story box');
  await page.keyboard.type(story.text);
  await page.keyboard.press('Tab');
  f = await focused(page);
  assert.equal(f.id, 'veld-titel', 'after the story box comes the title');
  await page.keyboard.type(story.title);

  const sliders = {};
  let sliderIndex = 0;
  const radiosDone = new Set();
  for (let i = 0; i < 300; i++) {
    await page.keyboard.press('Tab');
    f = await focused(page);
    if (!f) continue;
    if (f.tag === 'input' && f.type === 'range') {
      const key = f.id.replace(/^schuif-/, '');
      const before = Number(f.value);
      sliderIndex += 1;
      // Alternate directions and sizes: right 3..9 steps, or Page Up/Home/End now and then.
      let expected;
      if (sliderIndex % 4 === 0) {
        await page.keyboard.press('End');
        expected = 100;
      } else if (sliderIndex % 4 === 3) {
        await page.keyboard.press('Home');
        for (let k = 0; k < 2; k++) await page.keyboard.press('ArrowRight');
        expected = 2;
      } else {
        const steps = 2 + sliderIndex * 3;
        const key2 = sliderIndex % 2 ? 'ArrowRight' : 'ArrowLeft';
        for (let k = 0; k < steps; k++) await page.keyboard.press(key2);
        expected = sliderIndex % 2 ? Math.min(100, before + steps) : Math.max(0, before - steps);
      }
      const after = await focused(page);
      assert.equal(Number(after.value), expected, `slider ${key} moved with the keyboard`);
      sliders[key] = expected;
    } else if (f.tag === 'input' && f.type === 'radio' && f.name.startsWith('stand_') && !radiosDone.has(f.name)) {
      // The choices under a slider: "my answer is where the dot is" (first; with JavaScript
      // already chosen by moving the slider), then "weet ik niet". Space chooses the first,
      // the arrow key the next one.
      await page.keyboard.press('Space');
      const key = f.name.slice('stand_'.length);
      if (key === naKey) {
        await page.keyboard.press('ArrowDown');
        const na = await focused(page);
        assert.equal(na.id, `na-${naKey}`, `"Weet ik niet / past niet" follows on ${naKey}`);
        assert.equal(na.checked, true, `"Weet ik niet / past niet" chosen on ${naKey}`);
      } else {
        assert.equal((await focused(page)).value, 'schuif', `the position is the answer on ${key}`);
      }
      radiosDone.add(f.name);
    } else if (f.tag === 'input' && f.type === 'radio' && !radiosDone.has(f.name)) {
      // A radio group is one tab stop; Space picks the focused (first) option.
      await page.keyboard.press('Space');
      radiosDone.add(f.name);
    } else if (f.id === 'toestemming-analyse') {
      await page.keyboard.press('Space');
      assert.equal((await focused(page)).checked, true, 'consent ticked');
    } else if (f.id === 'toestemming-citaten' && consentQuotes) {
      await page.keyboard.press('Space');
    } else if (f.tag === 'button' && f.type === 'submit') {
      break;
    }
  }
  assert.equal(f.tag, 'button', 'Tab ends on the submit button');
  return sliders;
}

module.exports = { focused, focusTop, fillByKeyboard };
