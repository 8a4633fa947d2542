// The moderation pages in Chromium against the real server and SQLite file, with a
// moderator made by the server's own command line: signing in (the __Host- cookie over
// plain HTTP on 127.0.0.1), approving a held comment and seeing it in the widget,
// rejecting one, and axe (WCAG 2.2 AA) on the sign-in page, the queue, the thread list
// and every other page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, openThread, postViaApi, addModerator, axeViolations } from '../harness.js';

const PASSWORD = 'a long demo password for the tests';
const BODY = 'A comment long enough for the rule, with a link that holds it: https://example.com/x';

let env;
before(async () => {
  env = await setUp();
  addModerator(env, 'mira', PASSWORD);
});
after(async () => { await env?.tearDown(); });

test('a moderator signs in, approves a held comment that then shows in the widget, and rejects another', async () => {
  const held = await postViaApi(env.api('moderated'), 'Held Reader', `${BODY} (approve me)`);
  const spam = await postViaApi(env.api('moderated'), 'Spam Reader', `${BODY} (reject me)`);
  assert.equal(held.status, 202);
  assert.equal(spam.status, 202);
  // axe is injected as a script, which the pages' policy forbids: the test's context
  // bypasses CSP for that alone.
  const { page, context, problems } = await newPage(env, { context: await env.browser.newContext({ bypassCSP: true }) });
  await page.goto(`${env.server.origin}/admin`);
  assert.equal(new URL(page.url()).pathname, '/admin/sign-in', 'no session: the sign-in page');
  assert.deepEqual(await axeViolations(page, null), [], 'axe on the sign-in page');
  await page.getByLabel('Name').fill('mira');
  await page.getByLabel('Password').fill('wrong password entirely');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'The name or password is wrong.' }).waitFor();
  await page.getByLabel('Name').fill('mira');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Waiting for moderation (2)' }).waitFor();
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === '__Host-rc-admin');
  assert.ok(session && session.httpOnly && session.secure && session.sameSite === 'Strict', JSON.stringify(cookies));
  assert.deepEqual(await axeViolations(page, null), [], 'axe on the queue');
  // The first Tab offers to skip the header's links; the navigation says where one is.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to the content' });
  assert.equal(await skip.evaluate((a) => a === document.activeElement), true, 'the skip link comes first');
  assert.equal(await skip.isVisible(), true, 'and shows when focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main', 'Enter moves to the content');
  assert.equal(await page.getByRole('link', { name: 'Queue' }).getAttribute('aria-current'), 'page');
  assert.equal(await page.getByRole('link', { name: 'Threads' }).getAttribute('aria-current'), null);

  await page.getByRole('link', { name: 'Threads' }).click();
  await page.getByRole('heading', { name: /^Threads/ }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Threads' }).getAttribute('aria-current'), 'page');
  assert.deepEqual(await axeViolations(page, null), [], 'axe on the thread list');
  // A thread's waiting count opens the queue of that thread alone.
  await page.getByRole('link', { name: '2 waiting in moderated' }).click();
  await page.getByRole('heading', { name: 'Waiting for moderation in moderated (2)' }).waitFor();
  await page.getByRole('link', { name: 'Show what waits in every thread' }).click();
  await page.getByRole('heading', { name: 'Waiting for moderation (2)' }).waitFor();
  // axe on the other pages too (published comments listed; no words or bans yet).
  for (const [link, heading] of [['Reported', /^Reported comments/], ['Rejected', /^Rejected comments/], ['Published', 'Published comments'], ['Blocked words', 'Blocked words and phrases'],
    ['Bans', /^Bans in force/], ['Audit log', 'Audit log']]) {
    await page.getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { name: heading }).waitFor();
    assert.deepEqual(await axeViolations(page, null), [], `axe on ${link}`);
  }
  await page.getByRole('link', { name: 'Queue' }).click();
  await page.getByRole('button', { name: 'Approve the comment by Held Reader' }).click();
  await page.getByRole('status').filter({ hasText: 'Approved.' }).waitFor();
  await page.getByRole('button', { name: 'Reject the comment by Spam Reader', exact: true }).click();
  await page.getByText('Nothing is waiting.').waitFor();

  const reader = await openThread(env, env.api('moderated'));
  await reader.w.locator('.rc-comment__body', { hasText: '(approve me)' }).waitFor();
  assert.equal(await reader.w.locator('.rc-comment__body', { hasText: '(reject me)' }).count(), 0);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.goto(`${env.server.origin}/admin`);
  assert.equal(new URL(page.url()).pathname, '/admin/sign-in', 'signed out');
  assert.deepEqual(problems, []);
  await context.close();
  await reader.page.close();
});
