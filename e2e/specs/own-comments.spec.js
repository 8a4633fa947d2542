// Contract v1.2 in Chromium against the real server and SQLite file: a reader learns what
// became of their comment. A held comment survives a reload for its author only; it is
// approved while the page is open and moves into place with a polite announcement (the
// page's clock is moved a minute on: the widget asks at most once a minute); another is
// rejected from the queue with "Off-topic" and a note, and its author reads the reason
// (with the site's guidelines) after a reload, in English, Hindi and Punjabi, until a
// moderator restores it from the Rejected page; the form
// says beforehand what waits for a moderator; the queue shows the article's headline,
// linked, and the author's history; a link to a comment in place shows it; axe in each
// state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, widget, widgetRows, showThread, addModerator, signIn, axeViolations } from '../harness.js';

const PASSWORD = 'a long demo password for the tests';
const THREAD = 'own-comments';
const GUIDELINES = 'https://news.example/community-guidelines';
const LINK = 'More on the liaison officers at https://example.com/liaison for anyone following this.';

let env;
before(async () => {
  env = await setUp();
  addModerator(env, 'mira', PASSWORD);
});
after(async () => { await env?.tearDown(); });

/** The demo page showing the test's thread, in `locale` when given. */
async function show(page, locale) {
  await page.goto(`${env.pages.origin}/index.html`);
  const attributes = { 'guidelines-url': GUIDELINES };
  if (locale) attributes.locale = locale;
  await showThread(page, env.api(THREAD), attributes);
  return widget(page);
}

/** Posts from the widget's form; waits for the thank-you. */
async function post(w, name, text) {
  await w.getByLabel('Your name').fill(name);
  await w.getByLabel('Your comment', { exact: true }).fill(text);
  await w.getByRole('button', { name: 'Post Comment' }).click();
  await w.locator('.rc-ok', { hasText: 'awaiting moderation' }).waitFor();
}

test('a held comment waits for its author only, is published while the page is open, and a rejected one says why after a reload', async () => {
  const author = await newPage(env);
  const { page } = author;
  await page.clock.install();
  let w = await show(page);
  await w.locator('.rc-holds', { hasText: 'Comments with links are reviewed by a moderator before they appear.' }).waitFor();
  await post(w, 'Asha Rao', `${LINK} (first)`);
  await page.reload();
  w = await show(page);
  const waiting = w.locator('[part="root"] .rc-comment--pending', { hasText: '(first)' });
  await waiting.waitFor();
  assert.equal(await waiting.locator('.rc-badge').textContent(), 'Waiting for review — only you can see this');
  assert.equal(await waiting.getByRole('button', { name: 'Withdraw your comment before it is reviewed' }).textContent(), 'Withdraw');
  await waiting.getByRole('button', { name: /^Edit/ }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'axe with a comment waiting');

  // Nobody else sees it.
  const stranger = await newPage(env);
  const s = await show(stranger.page);
  await s.locator('.rc-state--empty').waitFor();
  assert.equal(await widgetRows(stranger.page).count(), 0);

  // A moderator approves it; a minute later the author's page shows it published.
  // (axe is injected as a script, which the moderation pages' policy forbids: this
  // context bypasses CSP for that alone.)
  const moderator = await newPage(env, { context: await env.browser.newContext({ bypassCSP: true }) });
  await signIn(env, moderator.page, 'mira', PASSWORD);
  await moderator.page.getByRole('button', { name: 'Approve the comment by Asha Rao' }).click();
  await moderator.page.getByRole('status').filter({ hasText: 'Approved.' }).waitFor();
  await page.clock.fastForward(61_000);
  const published = w.locator('[part="root"] .rc-comment', { hasText: '(first)' });
  await w.locator('[aria-live="polite"]', { hasText: 'Your comment was published.' }).waitFor();
  assert.equal(await published.getAttribute('class'), 'rc-comment', 'no longer marked as waiting');
  assert.equal(await published.locator('.rc-badge').count(), 0);

  // A link to it in place opens the page with it shown, marked and focused.
  const id = await published.getAttribute('data-id');
  await page.goto(`${env.pages.origin}/index.html#comment-${id}`);
  await showThread(page, env.api(THREAD), { 'guidelines-url': GUIDELINES });
  const named = w.locator(`[part="root"] .rc-comment--named[data-id="${id}"]`);
  await named.waitFor();
  assert.equal(await named.evaluate((li) => li.getRootNode().activeElement === li), true, 'focused');

  // Another is rejected as off-topic, with a note; its author reads why after a reload.
  // First the moderator sees it with the article's headline, linked, and the author's
  // history: both of their comments.
  await post(w, 'Asha Rao', `${LINK} (second)`);
  await moderator.page.reload();
  // The reloaded queue, with the second comment: not the page before the reload.
  await moderator.page.getByText(`${LINK} (second)`).waitFor();
  const headline = moderator.page.getByRole('link', { name: 'Host page: one widget' });
  assert.equal(await headline.getAttribute('href'), `${env.pages.origin}/index.html`);
  await moderator.page.getByRole('link', { name: 'The history of Asha Rao' }).click();
  await moderator.page.getByRole('heading', { name: 'Comments (2)' }).waitFor();
  for (const which of ['(first)', '(second)']) await moderator.page.getByText(`${LINK} ${which}`).waitFor();
  assert.deepEqual(await axeViolations(moderator.page, null), [], 'axe on the history');
  // Back to the queue by its address. (This step failed 3 runs in 5 when the name came
  // out as "Asha RaoAsha Rao": fill() selected the name in the form's shell and the form
  // arrived before the typing; writing-part.spec.js now tests that case on its own.)
  await moderator.page.goto(`${env.server.origin}/admin`);
  const why = moderator.page.locator('select[aria-label="Why reject the comment by Asha Rao (its author reads it)"]');
  await why.selectOption('off_topic');
  await moderator.page.locator('input[aria-label="A note to the author of the comment by Asha Rao, optional"]').fill('Please keep to the liaison office.');
  await moderator.page.getByRole('button', { name: 'Reject the comment by Asha Rao', exact: true }).click();
  await moderator.page.getByText('Nothing is waiting.').waitFor();
  await page.reload();
  w = await show(page);
  const rejected = w.locator('[part="root"] .rc-comment--rejected', { hasText: '(second)' });
  await rejected.waitFor();
  assert.equal(await rejected.locator('.rc-badge').textContent(), 'Not published — only you can see this');
  assert.equal(
    await rejected.locator('.rc-comment__fate').textContent(),
    "A moderator did not publish this comment. Reason: Off-topic. The moderator's note: Please keep to the liaison office. Read the community guidelines",
  );
  assert.equal(await rejected.getByRole('link', { name: 'Read the community guidelines' }).getAttribute('href'), GUIDELINES);
  assert.equal(await w.locator('[part="root"] .rc-comment', { hasText: '(first)' }).getAttribute('class'), 'rc-comment');
  assert.deepEqual(await axeViolations(page), [], 'axe with a rejected comment');
  await showThread(stranger.page, env.api(THREAD), {});
  await widget(stranger.page).locator('[part="root"] .rc-comment', { hasText: '(first)' }).waitFor();
  assert.equal(await widget(stranger.page).locator('.rc-comment', { hasText: '(second)' }).count(), 0, 'only its author sees it');

  // The same in Hindi and Punjabi.
  for (const [locale, words] of [
    ['hi', ['प्रकाशित नहीं हुई — इसे केवल आप देख सकते हैं', 'कारण: विषय से हटकर।', 'समुदाय के दिशानिर्देश पढ़ें']],
    ['pa', ['ਪ੍ਰਕਾਸ਼ਿਤ ਨਹੀਂ ਹੋਈ — ਇਸ ਨੂੰ ਸਿਰਫ਼ ਤੁਸੀਂ ਵੇਖ ਸਕਦੇ ਹੋ', 'ਕਾਰਨ: ਵਿਸ਼ੇ ਤੋਂ ਬਾਹਰ।', 'ਭਾਈਚਾਰੇ ਦੇ ਦਿਸ਼ਾ-ਨਿਰਦੇਸ਼ ਪੜ੍ਹੋ']],
  ]) {
    const local = await show(page, locale);
    const row = local.locator('[part="root"] .rc-comment--rejected');
    await row.waitFor();
    assert.equal(await row.locator('.rc-badge').textContent(), words[0], locale);
    const fate = await row.locator('.rc-comment__fate').textContent();
    assert.ok(fate.includes(words[1]) && fate.endsWith(words[2]), `${locale}: ${fate}`);
    await local.locator('.rc-holds').waitFor();
    assert.deepEqual(await axeViolations(page), [], `axe in ${locale}`);
  }
  // Restore brings it back to the queue as it waited; its author sees it waiting again.
  await moderator.page.getByRole('link', { name: 'Rejected', exact: true }).click();
  await moderator.page.getByText('Reason: Off-topic').waitFor();
  assert.deepEqual(await axeViolations(moderator.page, null), [], 'axe on the Rejected page');
  await moderator.page.getByRole('button', { name: 'Restore the comment by Asha Rao to the queue' }).click();
  await moderator.page.getByRole('status').filter({ hasText: 'Restored: it waits in the queue again.' }).waitFor();
  await moderator.page.getByRole('link', { name: 'Queue', exact: true }).click();
  await moderator.page.getByText(`${LINK} (second)`).waitFor();
  w = await show(page);
  await w.locator('[part="root"] .rc-comment--pending', { hasText: '(second)' }).waitFor();
  assert.equal(await w.locator('.rc-comment--rejected').count(), 0);
  for (const opened of [author, stranger, moderator]) {
    assert.deepEqual(opened.problems, []);
    await opened.page.close();
  }
});
