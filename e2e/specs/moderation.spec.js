// The newsroom's everyday moderation in Chromium against the real server and SQLite
// file: three readers report a comment from the widget (each in their own browser
// profile, so each has their own reader key; the first reloads and still sees
// "Reported"), it leaves the thread and waits in the
// queue with the reasons; a moderator deletes a published comment and closes a thread
// from the moderation pages, and readers see both in the widget; the queue by keyboard;
// every page at 320 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, openThread, showThread, postViaApi, addModerator, signIn, startForwarder } from '../harness.js';

const PASSWORD = 'a long demo password for the tests';
const BODY = 'A comment long enough for the fifty character rule of this comment section.';

let env;
before(async () => {
  // Readers on their own addresses, through a proxy the server trusts (a report counts
  // once per address).
  env = await setUp({ trustedProxy: '127.0.0.1' });
  addModerator(env, 'mira', PASSWORD);
});
after(async () => { await env?.tearDown(); });

test('three readers, each on an address of their own, report a comment: each is thanked, and the third report sends it back to the queue with the reasons', async () => {
  const target = await postViaApi(env.api('reported'), 'Troll', `${BODY} (report me)`);
  assert.equal(target.status, 201);
  for (const [n, reason] of [[1, 'Spam or advertising'], [2, 'Spam or advertising'], [3, 'Abusive or hateful']]) {
    // A new browser profile (a new reader key), on an address of its own.
    const forwarder = await startForwarder(env.server.origin, `203.0.113.${n}`);
    const reader = await openThread(env, `${forwarder.origin}/api/threads/reported/comments`);
    const row = reader.w.locator('.rc-comment', { hasText: '(report me)' });
    await row.getByRole('button', { name: "Report Troll's comment" }).click();
    const question = row.getByRole('group', { name: 'Why should a moderator look at this comment?' });
    await question.getByRole('radio', { name: reason }).check();
    await question.getByRole('button', { name: 'Send report' }).click();
    const thanks = row.getByRole('status').filter({ hasText: 'Thank you. A moderator will look at this comment.' });
    await thanks.waitFor();
    assert.equal(await thanks.evaluate((e) => e === e.getRootNode().activeElement), true, 'the thanks, in the row, have the focus');
    assert.equal(await row.locator('.rc-reported').textContent(), 'Reported', `reader ${n}`);
    assert.equal(await question.count(), 0, 'the question is closed');
    if (n === 1) {
      // The page loaded again: this browser remembers the report.
      await reader.page.goto(`${env.pages.origin}/index.html`);
      await showThread(reader.page, `${forwarder.origin}/api/threads/reported/comments`);
      await row.locator('.rc-reported', { hasText: 'Reported' }).waitFor();
      assert.equal(await row.getByRole('button', { name: "Report Troll's comment" }).count(), 0, 'no Report again');
    }
    assert.deepEqual(reader.problems, []);
    await reader.context.close();
    await forwarder.stop();
  }
  const later = await openThread(env, env.api('reported'));
  await later.w.getByText('No comments yet', { exact: false }).waitFor();
  assert.equal(await later.w.locator('.rc-comment', { hasText: '(report me)' }).count(), 0, 'it left the thread');
  await later.context.close();

  const { page, context } = await newPage(env);
  await signIn(env, page, 'mira', PASSWORD);
  const item = page.getByRole('listitem').filter({ hasText: '(report me)' });
  await item.getByText('Held because: Reported by 3 readers: spam or advertising (2), abusive or hateful (1).').waitFor();
  await item.getByRole('button', { name: 'Approve the comment by Troll' }).click();
  await page.getByRole('status').filter({ hasText: 'Approved.' }).waitFor();
  await context.close();
  const again = await openThread(env, env.api('reported'));
  await again.w.locator('.rc-comment', { hasText: '(report me)' }).waitFor();
  await again.context.close();
});

test('a moderator deletes a published comment and closes a thread; readers see both in the widget', async () => {
  assert.equal((await postViaApi(env.api('newsroom'), 'Rude Reader', `${BODY} (delete me)`)).status, 201);
  assert.equal((await postViaApi(env.api('newsroom'), 'Kind Reader', `${BODY} (keep me)`)).status, 201);
  const { page, context } = await newPage(env);
  await signIn(env, page, 'mira', PASSWORD);
  await page.getByRole('link', { name: 'Published' }).click();
  await page.getByLabel('Text contains').fill('(delete me)');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('button', { name: 'Delete the comment by Rude Reader' }).click();
  // Delete asks first.
  await page.getByRole('heading', { name: 'Delete this comment?' }).waitFor();
  await page.getByRole('button', { name: 'Delete it' }).click();
  await page.getByRole('status').waitFor();
  await page.getByRole('link', { name: 'Threads' }).click();
  await page.getByRole('button', { name: 'Close newsroom' }).click();
  await page.getByRole('button', { name: 'Open newsroom again' }).waitFor();

  const reader = await openThread(env, env.api('newsroom'));
  await reader.w.locator('.rc-comment', { hasText: '(keep me)' }).waitFor();
  assert.equal(await reader.w.locator('.rc-comment', { hasText: '(delete me)' }).count(), 0, 'deleted');
  await reader.w.getByText('Comments on this article are closed.').waitFor();
  assert.equal(await reader.w.locator('.rc-form-area').isHidden(), true, 'no form on a closed thread');
  assert.deepEqual(reader.problems, []);
  await reader.context.close();
  await context.close();
});

test('the queue works by keyboard: X selects, J and K move between comments, A approves, R rejects, only with a comment focused', async () => {
  const link = 'with a link that holds it: https://example.com/held';
  assert.equal((await postViaApi(env.api('keys'), 'Key Oldest', `${BODY} ${link} (oldest)`)).status, 202);
  assert.equal((await postViaApi(env.api('keys'), 'Key Older', `${BODY} ${link} (older)`)).status, 202);
  assert.equal((await postViaApi(env.api('keys'), 'Key Newer', `${BODY} ${link} (newer)`)).status, 202);
  const { page, context, problems } = await newPage(env);
  await signIn(env, page, 'mira', PASSWORD);
  await page.getByText('Keyboard, with a comment in the queue focused').waitFor();
  const focused = () => page.evaluate(() => document.activeElement.closest('li')?.querySelector('.text')?.textContent ?? document.activeElement.textContent);
  await page.getByRole('link', { name: 'Queue' }).focus();
  await page.keyboard.press('a');
  assert.equal(await page.getByRole('heading', { name: 'Waiting for moderation (3)' }).count(), 1, 'A outside the queue does nothing');
  const newer = page.getByLabel('Select the comment by Key Newer');
  await newer.focus();
  await page.keyboard.press('x');
  assert.equal(await newer.isChecked(), true, 'X selects the focused comment');
  await page.keyboard.press('x');
  assert.equal(await newer.isChecked(), false, 'and again unselects it');
  await page.keyboard.press('j');
  assert.match(await focused(), /\(older\)/, 'J: the next comment');
  await page.keyboard.press('k');
  assert.match(await focused(), /\(newer\)/, 'K: the previous one');
  await page.keyboard.press('j');
  await page.keyboard.press('a');
  await page.getByRole('status').filter({ hasText: 'Approved.' }).waitFor();
  assert.match(await focused(), /\(oldest\)/, 'after an action by key, the comment after it has the focus, not the first');
  await page.keyboard.press('r');
  await page.getByRole('status').filter({ hasText: 'Rejected.' }).waitFor();
  assert.match(await focused(), /\(newer\)/, 'after the last, the one now in its place');
  await page.keyboard.press('a');
  await page.getByText('Nothing is waiting.').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
  const reader = await openThread(env, env.api('keys'));
  await reader.w.locator('.rc-comment__body', { hasText: '(newer)' }).waitFor();
  await reader.w.locator('.rc-comment__body', { hasText: '(older)' }).waitFor();
  assert.equal(await reader.w.locator('.rc-comment__body', { hasText: '(oldest)' }).count(), 0, 'rejected');
  await reader.context.close();
});

test('"Select all N shown" selects every comment in the queue (mixed when some are), and Reject selected rejects them all; without JavaScript it is not offered', async () => {
  const link = 'with a link that holds it: https://example.com/flood';
  for (const n of [1, 2, 3]) assert.equal((await postViaApi(env.api('flood'), `Flood ${n}`, `${BODY} ${link} ${n}`)).status, 202);
  const plain = await env.browser.newContext({ javaScriptEnabled: false });
  const bare = await newPage(env, { context: plain });
  await signIn(env, bare.page, 'mira', PASSWORD);
  assert.equal(await bare.page.locator('#select-all').isVisible(), false, 'no box that could not work');
  assert.equal(await bare.page.locator('#shortcuts').isVisible(), false, 'no keys that could not work');
  await plain.close();
  const { page, context, problems } = await newPage(env);
  await signIn(env, page, 'mira', PASSWORD);
  const shown = await page.locator('input[name="id"]').count();
  assert.ok(shown >= 3, `${shown} shown`);
  const all = page.getByLabel(`Select all ${shown} shown`);
  await all.check();
  for (const box of await page.locator('input[name="id"]').all()) assert.equal(await box.isChecked(), true);
  await page.getByLabel('Select the comment by Flood 2').uncheck();
  assert.equal(await all.isChecked(), false);
  assert.equal(await all.evaluate((box) => box.indeterminate), true, 'some selected: mixed');
  await page.getByLabel('Select the comment by Flood 2').focus();
  await page.keyboard.press('x');
  assert.equal(await all.isChecked(), true, 'X selects the last one: all again');
  await page.getByRole('button', { name: 'Reject selected' }).click();
  await page.getByRole('status').filter({ hasText: 'rejected' }).waitFor();
  await page.getByText('Nothing is waiting.').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('the moderation pages fit a 320 px wide phone: nothing scrolls sideways, and each table value keeps its label', async () => {
  assert.equal((await postViaApi(env.api('narrow-thread-with-a-long-key-for-the-list'), 'A Reader With A Rather Long Name Indeed', `${BODY} https://example.com/a/very/long/link/that/should/wrap/somewhere/sensible`)).status, 202);
  const context = await env.browser.newContext({ viewport: { width: 320, height: 640 } });
  const { page } = await newPage(env, { context });
  await signIn(env, page, 'mira', PASSWORD);
  for (const path of ['/admin', '/admin/comments?text=a', '/admin/threads', '/admin/words', '/admin/bans', '/admin/audit']) {
    await page.goto(`${env.server.origin}${path}`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 320, `${path} is ${wide} px wide`);
  }
  // The tables' header row is out of sight on a phone: each value says what it is.
  await page.goto(`${env.server.origin}/admin/threads`);
  const row = page.locator('tr', { hasText: 'narrow-thread-with-a-long-key-for-the-list' });
  const labels = await row.locator('td').evaluateAll((cells) => cells.map((c) => getComputedStyle(c, '::before').content));
  assert.deepEqual(labels, ['"Thread: "', '"Published: "', '"Waiting: "', '"Comments: "']);
  assert.equal(await row.locator('td').nth(2).textContent(), '1', 'one comment waits');
  await context.close();
});
