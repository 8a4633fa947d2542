// Keyboard and screen-reader users after "Show N more replies" and "Load more" (issue 27,
// first part), in Chromium against the real server and SQLite file, with the keyboard
// only: the focus moves to the first comment revealed (never to the page's body, also on
// the last page, when the button goes), and a polite status says how many were shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, widget, showThread, axeViolations } from '../harness.js';

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
  await sort.focus();
  await sort.selectOption('newest');
  await w.locator('[aria-live="polite"]').filter({ hasText: 'Sorted: Newest first' }).waitFor();
  assert.equal(await w.locator('[part="root"] .rc-comment__author').first().textContent(), 'Sorter 3');

  const report = w.getByRole('button', { name: "Report Sorter 2's comment" });
  await report.focus();
  await page.keyboard.press('Enter');
  const choices = w.locator('.rc-report-ask');
  await choices.waitFor();
  assert.equal(await focused(page), 'button', 'the first reason has the focus');
  await page.keyboard.press('Escape');
  await choices.waitFor({ state: 'detached' });
  assert.equal(await report.evaluate((b) => b.getRootNode().activeElement === b), true, 'back on Report');
  assert.deepEqual(problems, []);
  await page.close();
});
