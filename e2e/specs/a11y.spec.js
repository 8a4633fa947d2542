// axe-core (WCAG 2.0/2.1/2.2 A and AA rules, and Label in Name) on the widget in its
// loaded state (with a reply form open, a report's reasons open, and sent, and a
// recommend's failure in its row), error and posting states, light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setUp, newPage, widget } from '../harness.js';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.tearDown(); });

// Label in Name (WCAG 2.5.3: a control's accessible name holds its visible words, so a
// voice-control user reaches it by saying them) is an axe rule outside the tag sets.
const RULES = ['label-content-name-mismatch'];

async function violations(page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async ([tags, rules]) => {
    const root = document.querySelector('reader-comments');
    const byTag = await window.axe.run(root, { runOnly: { type: 'tag', values: tags } });
    const byRule = await window.axe.run(root, { runOnly: { type: 'rule', values: rules } });
    return [...byTag.violations, ...byRule.violations]
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  }, [TAGS, RULES]);
  return result;
}

test('the loaded state has no WCAG 2.2 AA violations, light and dark', async () => {
  for (const scheme of ['light', 'dark']) {
    const context = await env.browser.newContext({ colorScheme: scheme });
    const { page } = await newPage(env, { context });
    await page.goto(`${env.pages.origin}/index.html`);
    await widget(page).locator('.rc-comment').nth(4).waitFor();
    await page.waitForTimeout(200);
    assert.deepEqual(await violations(page), [], scheme);
    await widget(page).locator('[part="root"] .rc-reply').first().click();
    await widget(page).locator('.rc-reply-form textarea').waitFor();
    assert.deepEqual(await violations(page), [], `${scheme}, a reply form open`);
    await widget(page).locator('.rc-report').first().click();
    await widget(page).getByRole('group', { name: 'Why should a moderator look at this comment?' }).waitFor();
    assert.deepEqual(await violations(page), [], `${scheme}, a report's reasons open`);
    await widget(page).locator('.rc-report-reason').first().check();
    await widget(page).locator('.rc-report-send').click();
    await widget(page).locator('.rc-report-thanks').waitFor();
    assert.deepEqual(await violations(page), [], `${scheme}, a report sent`);
    // A faked 500 on recommending: the failure said in the row.
    await page.route('**/recommend', (r) => r.fulfill({ status: 500, contentType: 'application/problem+json',
      body: '{"title":"Internal Server Error","status":500}', headers: { 'access-control-allow-origin': '*' } }));
    await widget(page).locator('.rc-recommend').first().click();
    await widget(page).locator('.rc-row-error').waitFor();
    assert.deepEqual(await violations(page), [], `${scheme}, a recommend's failure in its row`);
    await context.close();
  }
});

test('every form and question open (an edit, the delete question, a reply with errors) has no violations, light and dark', async () => {
  for (const scheme of ['light', 'dark']) {
    const context = await env.browser.newContext({ colorScheme: scheme });
    const { page } = await newPage(env, { context });
    await page.goto(`${env.pages.origin}/index.html`);
    const w = widget(page);
    const text = `My own comment for the ${scheme} check, long enough for the rule of fifty.`;
    await w.getByLabel('Your name').fill('Axe Reader');
    await w.getByLabel('Your comment', { exact: true }).fill(text);
    await w.locator('.rc-form button[type=submit]').click();
    const mine = w.locator('[part="root"] .rc-comment', { hasText: text });
    await mine.waitFor();
    await mine.getByRole('button', { name: 'Edit your comment' }).click();
    await w.locator('.rc-edit-form').waitFor();
    assert.deepEqual(await violations(page), [], `${scheme}, the edit form open`);
    await w.locator('.rc-edit-form').getByRole('button', { name: 'Cancel' }).click();
    await mine.getByRole('button', { name: 'Delete your comment' }).click();
    await mine.locator('.rc-confirm').waitFor();
    assert.deepEqual(await violations(page), [], `${scheme}, the delete question open`);
    await mine.locator('.rc-confirm-keep').click();
    await w.locator('[part="root"] .rc-reply').first().click();
    const form = w.locator('.rc-reply-form form');
    await form.locator('button[type=submit]').click();
    await form.locator('.rc-error').first().waitFor();
    assert.deepEqual(await violations(page), [], `${scheme}, a reply form with its errors`);
    await context.close();
  }
});

test('the error states (list failed, field errors, post failed) have no violations', async () => {
  const { page, context } = await newPage(env);
  await page.route('**/api/threads/**', (r) => r.fulfill({ status: 503, body: 'down' }));
  await page.goto(`${env.pages.origin}/index.html`);
  const w = widget(page);
  await w.locator('.rc-state--error').waitFor();
  await w.locator('button[type=submit]').click();
  await w.locator('.rc-error').first().waitFor();
  assert.deepEqual(await violations(page), [], 'list error and field errors');
  await w.getByLabel('Your name').fill('Axe Reader');
  await w.getByLabel('Your comment', { exact: true }).fill('An accessible failure message must still pass every WCAG rule we run.');
  await w.locator('button[type=submit]').click();
  await w.locator('.rc-fail', { hasText: 'not posted' }).waitFor();
  assert.deepEqual(await violations(page), [], 'post failed');
  await context.close();
});

test('the posting state (a post in flight, held back by routing) has no violations', async () => {
  const { page, context } = await newPage(env);
  await page.goto(`${env.pages.origin}/index.html`);
  const w = widget(page);
  await w.locator('.rc-comment').nth(4).waitFor();
  await page.route('**/api/threads/**', async (r) => {
    if (r.request().method() === 'POST') await new Promise((done) => setTimeout(done, 4000));
    await r.continue().catch(() => {});
  });
  await w.getByLabel('Your name').fill('Axe Reader');
  await w.getByLabel('Your comment', { exact: true }).fill('Checking the posting state with axe while this request is in flight.');
  await w.locator('button[type=submit]').click();
  assert.equal(await w.locator('button[type=submit]').textContent(), 'Posting…');
  assert.deepEqual(await violations(page), [], 'posting');
  await context.close();
});

test('the form is labelled, the hint is tied to the field, and the count is announced politely', async () => {
  const { page, context } = await newPage(env);
  await page.goto(`${env.pages.origin}/index.html`);
  const w = widget(page);
  const box = w.getByRole('textbox', { name: 'Your comment' });
  await box.waitFor();
  const describedBy = await box.getAttribute('aria-describedby');
  const hintText = await w.locator(`[id="${describedBy.split(' ')[0]}"]`).textContent();
  assert.equal(hintText, 'Minimum 50 characters');
  await box.pressSequentially('Typing a few words');
  const live = w.locator('form [aria-live=polite]');
  assert.equal(await live.textContent(), '', 'not announced on every keystroke');
  await page.waitForTimeout(1300);
  assert.equal(await live.textContent(), 'You need 32 more characters');
  assert.equal(await w.getByRole('textbox', { name: 'Your name' }).count(), 1);
  await context.close();
});
