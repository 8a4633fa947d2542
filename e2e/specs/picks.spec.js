// Editors' picks and the newsroom's answers (contract v1.2) in Chromium against the real
// server and SQLite file: a moderator features a comment and answers another as the
// newsroom from the moderation pages; readers see "Featured" on the one, find it alone
// under the sort's "Featured", and see the answer marked "Staff"; in English, Hindi and
// Punjabi; axe in each state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, widget, showThread, postViaApi, addModerator, signIn, axeViolations } from '../harness.js';

const PASSWORD = 'a long demo password for the tests';
const THREAD = 'picks';
const BODY = 'A thoughtful comment that is long enough for the minimum of fifty characters';

let env;
before(async () => {
  env = await setUp();
  addModerator(env, 'mira', PASSWORD);
});
after(async () => { await env?.tearDown(); });

test('a featured comment is marked and found under Featured, and the newsroom answers with a Staff mark', async () => {
  for (const author of ['Priya S', 'Omar K']) assert.equal((await postViaApi(env.api(THREAD), author, `${BODY} (${author})`)).status, 201);
  const moderator = await newPage(env, { context: await env.browser.newContext({ bypassCSP: true }) });
  const m = moderator.page;
  await signIn(env, m, 'mira', PASSWORD);
  await m.goto(`${env.server.origin}/admin/comments`);
  await m.getByRole('button', { name: 'Feature the comment by Priya S' }).click();
  await m.getByRole('status').filter({ hasText: 'Featured: readers find it under Featured' }).waitFor();
  await m.getByRole('link', { name: 'Answer the comment by Omar K as the newsroom' }).click();
  assert.deepEqual(await axeViolations(m, null), [], 'axe on the answer page');
  await m.getByLabel(/The answer, published at once as The newsroom/).fill('Thank you, Omar: the ministry has confirmed the dates and the article is updated.');
  await m.getByRole('button', { name: 'Publish the answer' }).click();
  await m.getByRole('status').filter({ hasText: 'Answered' }).waitFor();

  const reader = await newPage(env);
  const { page } = reader;
  await page.goto(`${env.pages.origin}/index.html`);
  await showThread(page, env.api(THREAD));
  const w = widget(page);
  const priya = w.locator('[part="root"] .rc-comment', { hasText: '(Priya S)' });
  await priya.locator('.rc-mark--featured', { hasText: 'Featured' }).waitFor();
  const answer = w.locator('[part="root"] .rc-replies .rc-comment', { hasText: 'the ministry has confirmed' });
  assert.equal(await answer.locator('.rc-comment__author').textContent(), 'The newsroom');
  assert.equal(await answer.locator('.rc-mark--staff').textContent(), 'Staff');
  assert.equal(await w.locator('.rc-mark').count(), 2, 'nothing else is marked');
  assert.deepEqual(await axeViolations(page), [], 'axe with marks');
  await w.getByLabel('Sort comments').selectOption('featured');
  await w.locator('[part="root"] .rc-comment', { hasText: '(Omar K)' }).waitFor({ state: 'detached' });
  assert.deepEqual(await w.locator('[part="root"] .rc-comment__author').allTextContents(), ['Priya S'], 'only the featured comment');
  assert.deepEqual(await axeViolations(page), [], 'axe under Featured');
  await w.getByLabel('Sort comments').selectOption('oldest');
  await w.locator('[part="root"] .rc-comment', { hasText: '(Omar K)' }).waitFor();

  for (const [locale, featured, staff] of [['hi', 'संपादक की पसंद', 'संपादकीय टीम'], ['pa', 'ਸੰਪਾਦਕ ਦੀ ਪਸੰਦ', 'ਸੰਪਾਦਕੀ ਟੀਮ']]) {
    await showThread(page, env.api(THREAD), { locale });
    await w.locator('[part="root"] .rc-mark--featured', { hasText: featured }).waitFor();
    assert.equal(await w.locator('[part="root"] .rc-mark--staff').textContent(), staff, locale);
  }
  for (const opened of [reader, moderator]) {
    assert.deepEqual(opened.problems, []);
    await opened.page.close();
  }
});
