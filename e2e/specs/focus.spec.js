// Keyboard and screen-reader users after "Show N more replies" and "Load more" (issue 27,
// first part), in Chromium against the real server and SQLite file, with the keyboard
// only: the focus moves to the first comment revealed (never to the page's body, also on
// the last page, when the button goes), and a polite status says how many were shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setUp, newPage, widget, showThread, axeViolations, sleep, root } from '../harness.js';

/** Where screenshots are written (checked by eye; docs/screenshots has the ones kept). */
const SHOTS = join(root, 'e2e', 'test-results');

const BODY = 'A comment long enough for the rule of fifty characters, number';

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.tearDown(); });

async function post(thread, author, n, parent) {
  const res = await fetch(env.api(thread), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ author, body: `${BODY} ${n}.`, ...(parent ? { parent_id: parent } : {}) }),
  });
  assert.equal(res.status, 201);
  return (await res.json()).id;
}

/** The element that has the focus, deep inside open shadow roots: its data-id or tag. */
function focused(page) {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active === document.body ? 'body' : (active.getAttribute('data-id') ?? active.localName);
  });
}

test('Show N more replies and Load more move the focus to the first comment revealed and say how many, on every page', async () => {
  const top = await post('focus', 'Asha', 0);
  const replies = [];
  for (let n = 1; n <= 6; n++) replies.push(await post('focus', `Reply ${n}`, n, top));
  for (let n = 1; n <= 54; n++) await post('focus', `Reader ${n}`, 100 + n);
  const { page, problems } = await newPage(env);
  await page.goto(`${env.pages.origin}/index.html`);
  await showThread(page, env.api('focus'), { 'page-size': '20' });
  const w = widget(page);
  const status = w.locator('[aria-live="polite"]').filter({ hasText: /^Showing/ });

  // Three replies come embedded; the button shows the other three.
  const more = w.getByRole('button', { name: 'Show 3 more replies' });
  await more.focus();
  await page.keyboard.press('Enter');
  await status.filter({ hasText: 'Showing 3 more replies' }).waitFor();
  await page.waitForFunction(async (id) => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return a?.getAttribute('data-id') === id;
  }, replies[3]);
  assert.equal(await focused(page), replies[3], 'the first reply revealed');
  assert.equal(await more.count(), 0, 'the button is gone');

  // 55 top-level comments: 20 shown of the 50 the first answer held, then 20 and 10 more
  // from it, then the endpoint's second page of 5 (the last: the button goes).
  const load = w.getByRole('button', { name: 'Load more comments' });
  for (const [shown, nth] of [[20, 20], [10, 40], [5, 50]]) {
    await load.focus();
    await page.keyboard.press('Enter');
    await status.filter({ hasText: `Showing ${shown} more comments` }).waitFor();
    const expected = await w.locator('[part="root"] .rc-list > .rc-comment').nth(nth).getAttribute('data-id');
    await page.waitForFunction(async (id) => {
      let a = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      return a?.getAttribute('data-id') === id;
    }, expected);
    assert.notEqual(await focused(page), 'body');
  }
  assert.equal(await load.isVisible(), false, 'no more: the button is hidden and the focus is on a comment');
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a sort change is said once the list is in the new order, and Escape closes the report choices with the focus back on Report', async () => {
  for (let n = 1; n <= 3; n++) await post('focus-sort', `Sorter ${n}`, n);
  const { page, problems } = await newPage(env);
  await page.goto(`${env.pages.origin}/index.html`);
  await showThread(page, env.api('focus-sort'));
  const w = widget(page);
  await w.locator('[part="root"] .rc-comment').nth(2).waitFor();
  const sort = w.getByLabel('Sort comments');
  // The choice made: a closed select re-sorts on each change as the browser delivers it
  // (an arrow key on a closed select is a change), and says so once it is done.
  await sort.focus();
  assert.equal(await sort.inputValue(), 'oldest');
  await page.keyboard.press('ArrowDown');
  await w.locator('[aria-live="polite"]').filter({ hasText: 'Sorted: Newest first' }).waitFor();
  assert.equal(await w.locator('[part="root"] .rc-comment__author').first().textContent(), 'Sorter 3');

  const report = w.getByRole('button', { name: "Report Sorter 2's comment" });
  await report.focus();
  await page.keyboard.press('Enter');
  const choices = w.locator('.rc-report-ask');
  await choices.waitFor();
  assert.equal(await focused(page), 'input', 'the first reason has the focus');
  await page.keyboard.press('Escape');
  await choices.waitFor({ state: 'detached' });
  assert.equal(await report.evaluate((b) => b.getRootNode().activeElement === b), true, 'back on Report');
  assert.deepEqual(problems, []);
  await page.close();
});

/** The labels of the focused element (deep inside the shadow root), and its description. */
function focusedField(page) {
  return page.evaluate(() => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    const root = a.getRootNode();
    const described = (a.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)
      .map((id) => root.getElementById(id)?.textContent).join(' ');
    return { label: a.labels?.[0]?.textContent ?? '', described };
  });
}

for (const [locale, words] of Object.entries({
  en: { reply: 'Reply to Lata', field: 'Your reply to Lata', name: 'Your name (required)', hint: 'Minimum 50 characters', submit: 'Reply', thanks: 'Thank you. Your comment has been posted.' },
  hi: { reply: 'Lata को जवाब दें', field: 'Lata को आपका जवाब', name: 'आपका नाम (ज़रूरी)', hint: 'कम से कम 50 अक्षर', submit: 'जवाब दें', thanks: 'धन्यवाद। आपकी टिप्पणी प्रकाशित हो गई है।' },
  pa: { reply: 'Lata ਨੂੰ ਜਵਾਬ ਦਿਓ', field: 'Lata ਨੂੰ ਤੁਹਾਡਾ ਜਵਾਬ', name: 'ਤੁਹਾਡਾ ਨਾਮ (ਲਾਜ਼ਮੀ)', hint: 'ਘੱਟੋ-ਘੱਟ 50 ਅੱਖਰ', submit: 'ਜਵਾਬ ਦਿਓ', thanks: 'ਧੰਨਵਾਦ। ਤੁਹਾਡੀ ਟਿੱਪਣੀ ਛਪ ਗਈ ਹੈ।' },
})) {
  test(`(${locale}) the reply field says whom it answers, the name says it is required before any error, and the thank-you is said where it is heard`, async () => {
    const thread = `focus-reply-${locale}`;
    await post(thread, 'Lata', 1);
    const { page, problems } = await newPage(env);
    await page.goto(`${env.pages.origin}/index.html`);
    await showThread(page, env.api(thread), { locale });
    const w = widget(page);
    const reply = w.getByRole('button', { name: words.reply, exact: true });
    await reply.focus();
    await page.keyboard.press('Enter');
    const form = w.locator('.rc-reply-form form');
    await form.waitFor();
    assert.deepEqual(await focusedField(page), { label: words.field, described: words.hint },
      'the focus lands on the field named for whom it answers, its minimum in its description');
    // Nothing typed anywhere: the name field, a Tab back, says "required" in its label.
    await page.keyboard.press('Shift+Tab');
    assert.equal((await focusedField(page)).label, words.name);
    assert.equal(await form.locator('.rc-error').count(), 0, 'before any error');
    await page.keyboard.type('Mohan');
    await page.keyboard.press('Tab');
    await page.keyboard.type('A reply typed with the keyboard only, long enough for the rule of fifty.');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => {
      let a = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      return a.textContent;
    }), words.submit, 'the button says Reply');
    await page.keyboard.press('Enter');
    await form.waitFor({ state: 'detached' });
    // The form and its own status are gone; the section's polite status says it.
    await w.locator('section > [aria-live="polite"]', { hasText: words.thanks }).waitFor();
    assert.equal(await page.evaluate(() => {
      let a = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      return a.querySelector('.rc-comment__author')?.textContent;
    }), 'Mohan', 'the focus is on the reply');
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('a slow typist (a key every 1.2 s) hears the count at most every four seconds, and the last count once they stop', async () => {
  const { page, problems } = await newPage(env);
  await page.goto(`${env.pages.origin}/index.html`);
  await showThread(page, env.api('focus-slow'));
  const w = widget(page);
  const box = w.getByRole('textbox', { name: 'Your comment' });
  await box.focus();
  // Every text the form's polite live region takes, with when.
  await w.locator('form:not(.rc-form--reply) [aria-live="polite"]').evaluate((live) => {
    window.said = [];
    new MutationObserver(() => { if (live.textContent) window.said.push([performance.now(), live.textContent]); })
      .observe(live, { childList: true, subtree: true, characterData: true });
  });
  for (const key of 'slowtyping') {
    await page.keyboard.type(key);
    await sleep(1200);
  }
  await sleep(4500);
  const said = await page.evaluate(() => window.said);
  assert.ok(said.length >= 2 && said.length <= 4, `a few announcements, not one per key: ${JSON.stringify(said)}`);
  for (let i = 1; i < said.length; i++) {
    assert.ok(said[i][0] - said[i - 1][0] >= 3900, `four seconds apart: ${JSON.stringify(said)}`);
  }
  assert.equal(said.at(-1)[1], 'You need 40 more characters', 'the last says the count as it ends');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a pressed Recommend shows in forced colours (a check and the system highlight), unlike an unpressed one; screenshot', async () => {
  await post('focus-forced', 'Ravi', 1);
  await post('focus-forced', 'Sita', 2);
  const { page, problems } = await newPage(env);
  await page.emulateMedia({ forcedColors: 'active' });
  await page.goto(`${env.pages.origin}/index.html`);
  await showThread(page, env.api('focus-forced'));
  const w = widget(page);
  const pressed = w.getByRole('button', { name: /^Recommend, \d+ recommends?: Ravi's comment$/ });
  await pressed.focus();
  await page.keyboard.press('Enter');
  await w.locator('.rc-recommend[aria-pressed="true"]').waitFor();
  const unpressed = w.getByRole('button', { name: /^Recommend, \d+ recommends?: Sita's comment$/ });
  const look = (b) => b.evaluate((el) => {
    const s = getComputedStyle(el);
    return { background: s.backgroundColor, check: getComputedStyle(el, '::before').content };
  });
  const [on, off] = [await look(pressed), await look(unpressed)];
  assert.notEqual(on.background, off.background, 'the pressed one is filled with the highlight colour');
  assert.match(on.check, /✓/, 'and has a check');
  assert.equal(off.check, 'none');
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  mkdirSync(SHOTS, { recursive: true });
  await w.locator('[part="root"] .rc-list').screenshot({ path: join(SHOTS, 'forced-colors-recommend.png') });
  assert.deepEqual(problems, []);
  await page.close();
});
