// Contract v1.1 in the browser against the real server and SQLite file: replies,
// "Show N more replies", the recommend toggle (per reader key, remembered), and the
// sort control (remembered). Faults are faked by Playwright routing, named "faked".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, openThread, showThread, madeFromText, fixture, axeViolations } from '../harness.js';

const BODY = 'A comment long enough for the fifty character rule, about the liaison officers.';

let env;
before(async () => { env = await setUp({ moderation: 'none' }); });
after(async () => { await env?.tearDown(); });

async function post(thread, author, parent) {
  const res = await fetch(env.api(thread), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ author, body: `${BODY} (${author})`, ...(parent ? { parent_id: parent } : {}) }),
  });
  assert.equal(res.status, 201);
  return (await res.json()).id;
}

test('Show N more replies brings the rest under their comment, each once, and Replying to moves the focus', async () => {
  const top = await post('replies', 'Asha');
  const first = await post('replies', 'Bina', top);
  for (const name of ['Chandra', 'Dev', 'Esha']) await post('replies', name, top);
  await post('replies', 'Farid', first);
  const { page, problems, w } = await openThread(env, env.api('replies'));
  const replies = w.getByRole('list', { name: 'Replies to Asha' });
  await replies.locator('.rc-comment').nth(2).waitFor();
  assert.equal(await replies.locator('.rc-comment').count(), 3, 'three embedded');
  const more = w.getByRole('button', { name: 'Show 2 more replies' });
  await more.click();
  await replies.locator('.rc-comment').nth(4).waitFor();
  assert.deepEqual(await replies.locator('.rc-comment__author').allTextContents(), ['Bina', 'Chandra', 'Dev', 'Esha', 'Farid']);
  assert.equal(await more.count(), 0, 'nothing more to show');
  await w.getByRole('heading', { name: 'Reader Comments (6)' }).waitFor();
  await w.getByRole('button', { name: 'Replying to Bina' }).click();
  const focused = await page.evaluate(() => document.querySelector('reader-comments').shadowRoot.activeElement?.getAttribute('data-id'));
  assert.equal(focused, String(first), 'the comment answered has the focus');
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('recommend is shown at once, counted once per reader key, and remembered after a reload', async () => {
  const id = await post('recommend', 'Gita');
  const { page, problems, w } = await openThread(env, env.api('recommend'));
  const toggle = w.getByRole('button', { name: "Recommend, 0 recommends: Gita's comment" });
  // The toggle shows at once; each click's request is awaited before counting.
  const answered = (p) => p.waitForResponse((r) => r.url().endsWith('/recommend'));
  await Promise.all([answered(page), toggle.click()]);
  const pressed = w.locator('.rc-recommend[aria-pressed=true]');
  await pressed.waitFor();
  assert.equal(await pressed.getAttribute('aria-label'), "Recommend, 1 recommend: Gita's comment");
  assert.equal(await page.evaluate(() => document.querySelector('reader-comments').shadowRoot.activeElement?.className), 'rc-button rc-button--link rc-recommend', 'the toggle keeps the focus');
  await Promise.all([answered(page), pressed.click()]);
  await w.locator('.rc-recommend[aria-pressed=false]').waitFor();
  await Promise.all([answered(page), w.locator('.rc-recommend').click()]);
  await pressed.waitFor();
  const count = async () => (await (await fetch(env.api('recommend'))).json()).comments.find((c) => c.id === id).recommends;
  assert.equal(await count(), 1, 'pressed, unpressed, pressed: one recommend');
  await page.reload();
  await showThread(page, env.api('recommend'));
  await w.locator('.rc-recommend[aria-pressed=true]').waitFor();
  // Another reader (another browser profile, another key) adds one.
  const other = await openThread(env, env.api('recommend'));
  await Promise.all([answered(other.page), other.w.getByRole('button', { name: "Recommend, 1 recommend: Gita's comment" }).click()]);
  await other.w.locator('.rc-recommend[aria-pressed=true]').waitFor();
  assert.equal(await count(), 2);
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(problems, []);
  await other.page.close();
  await page.close();
});

test('faked 500 on recommend: the toggle goes back and the reader is told', async () => {
  await post('refused', 'Hari');
  const { page, w } = await openThread(env, env.api('refused'));
  await page.route('**/recommend', (r) => r.fulfill({ status: 500, contentType: 'application/problem+json',
    body: '{"title":"Internal Server Error","status":500}', headers: { 'access-control-allow-origin': '*' } }));
  await w.locator('.rc-recommend').click();
  const said = w.locator('.rc-comment').getByRole('alert').filter({ hasText: 'Your recommend was not saved.' });
  await said.waitFor();
  assert.equal(await w.locator('.rc-action-error').textContent(), '', 'said in the row, not at the list end');
  assert.equal(await w.locator('.rc-recommend').getAttribute('aria-pressed'), 'false');
  assert.match(await w.locator('.rc-recommend').getAttribute('aria-label'), /0 recommends/);
  await page.close();
});

test('the order a reader chooses is used and remembered for the thread', async () => {
  const ids = [];
  for (const name of ['Ira', 'Jai', 'Kavi']) ids.push(await post('sorted', name));
  const key = { 'reader-key': '0123456789abcdef0123456789abcdef' };
  const liked = await fetch(`${env.api('sorted')}/${ids[2]}/recommend`, { method: 'POST', headers: key });
  assert.equal(liked.status, 200);
  const { page, w } = await openThread(env, env.api('sorted'));
  const authors = () => w.locator('.rc-list > .rc-comment > .rc-comment__main > .rc-comment__meta > .rc-comment__author').allTextContents();
  await w.locator('.rc-comment').nth(2).waitFor();
  assert.deepEqual(await authors(), ['Ira', 'Jai', 'Kavi']);
  await w.getByLabel('Sort comments').selectOption('top');
  await page.waitForFunction(() => document.querySelector('reader-comments').shadowRoot.querySelector('.rc-comment__author')?.textContent === 'Kavi');
  assert.deepEqual(await authors(), ['Kavi', 'Ira', 'Jai']);
  await w.getByLabel('Sort comments').selectOption('newest');
  await page.waitForFunction(() => [...document.querySelector('reader-comments').shadowRoot
    .querySelectorAll('.rc-comment__author')].map((a) => a.textContent).join() === 'Kavi,Jai,Ira');
  assert.deepEqual(await authors(), ['Kavi', 'Jai', 'Ira']);
  await page.reload();
  await showThread(page, env.api('sorted'));
  await w.locator('.rc-comment').nth(2).waitFor();
  assert.deepEqual(await authors(), ['Kavi', 'Jai', 'Ira'], 'still newest first after a reload');
  assert.equal(await w.getByLabel('Sort comments').inputValue(), 'newest');
  // A page with the thread from the start: the loader's prefetch asks for that order,
  // once, and the widget uses it.
  const reads = [];
  page.on('request', (r) => { if (r.url().startsWith(env.api('sorted')) && r.method() === 'GET') reads.push(r.url()); });
  await page.goto(`${env.pages.origin}/sorted.html`);
  await w.locator('.rc-comment').nth(2).waitFor();
  assert.deepEqual(await authors(), ['Kavi', 'Jai', 'Ira']);
  assert.deepEqual(reads, [`${env.api('sorted')}?sort=newest`], 'one read, in the chosen order');
  await page.close();
});

test('a reply is written in a form under its comment, posted once, shown under it with the focus, and kept after a reload', async () => {
  await post('reply-flow', 'Lata');
  const { page, problems, w } = await openThread(env, env.api('reply-flow'));
  await w.getByLabel('Your name').first().fill('Mohan');
  await w.getByRole('button', { name: 'Reply to Lata' }).click();
  const form = w.locator('.rc-reply-form form');
  await form.getByRole('heading', { name: 'Reply to Lata' }).waitFor();
  assert.equal(await page.evaluate(() => document.querySelector('reader-comments').shadowRoot.activeElement?.localName), 'textarea', 'the focus moves into the form');
  assert.equal(await form.getByLabel('Your name').inputValue(), 'Mohan', 'the name comes from the reader\'s main draft');
  assert.equal(await page.evaluate(() => document.querySelector('reader-comments').shadowRoot.activeElement?.labels[0]?.textContent), 'Your reply to Lata', 'the focused field says whom it answers');
  assert.equal(await form.locator('.rc-as').textContent(), 'Posting as Mohan Change name', 'the name is known: not asked again');
  assert.equal(await form.locator('button[type=submit]').textContent(), 'Reply');
  assert.deepEqual(await axeViolations(page), [], 'axe with the reply form open');
  await form.getByLabel('Your reply to Lata').fill('Too short');
  await form.locator('button[type=submit]').click();
  await form.locator('.rc-error', { hasText: 'more characters' }).waitFor();
  // A faked 500 first: the draft stays; then the retry posts it once.
  const text = 'Replying properly: the liaison officers should publish what they share each year.';
  await form.getByLabel('Your reply to Lata').fill(text);
  await page.route('**/api/threads/reply-flow/comments', (r) => r.request().method() === 'POST'
    ? r.fulfill({ status: 500, contentType: 'application/problem+json', body: '{"title":"Internal Server Error","status":500}', headers: { 'access-control-allow-origin': '*' } })
    : r.continue());
  await form.locator('button[type=submit]').click();
  await form.locator('.rc-fail', { hasText: 'had a problem' }).waitFor();
  assert.equal(await form.getByLabel('Your reply to Lata').inputValue(), text, 'the draft stays');
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await form.locator('button[type=submit]').click();
  const replies = w.getByRole('list', { name: 'Replies to Lata' });
  await replies.locator('.rc-comment__body', { hasText: text }).waitFor();
  await page.waitForFunction(() => document.querySelector('reader-comments').shadowRoot.activeElement?.classList.contains('rc-comment'));
  assert.equal(await w.locator('.rc-reply-form').count(), 0, 'the form closes');
  // The form that held its thank-you is gone: the section's polite status says it.
  await w.locator('section > [aria-live="polite"]', { hasText: 'Thank you. Your comment has been posted.' }).waitFor();
  const stored = (await (await fetch(env.api('reply-flow'))).json()).comments[0];
  assert.equal(stored.reply_count, 1, 'stored once');
  assert.equal(stored.replies[0].author, 'Mohan');
  await page.reload();
  await showThread(page, env.api('reply-flow'));
  await w.getByRole('list', { name: 'Replies to Lata' }).locator('.rc-comment__body', { hasText: text }).waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

test('Escape closes a reply form and keeps its draft, one per comment, through a reload; a reply to a reply says whom it answers', async () => {
  const top = await post('reply-drafts', 'Nina');
  await post('reply-drafts', 'Om', top);
  const { page, problems, w } = await openThread(env, env.api('reply-drafts'));
  await w.getByRole('button', { name: 'Reply to Nina' }).click();
  const form = w.locator('.rc-reply-form form');
  await form.getByLabel('Your reply to Nina').fill('A half-written reply to Nina that I will finish later on.');
  await page.keyboard.press('Escape');
  await form.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.querySelector('reader-comments').shadowRoot.activeElement?.getAttribute('aria-label')), 'Reply to Nina', 'the focus goes back');
  await page.reload();
  await showThread(page, env.api('reply-drafts'));
  await w.getByRole('button', { name: 'Reply to Om' }).click();
  assert.equal(await form.getByLabel('Your reply to Om').inputValue(), '', 'Om\'s reply has its own draft');
  await form.getByLabel('Your name').fill('Pia');
  await form.getByLabel('Your reply to Om').fill('Answering Om directly, which the widget should say above my words.');
  await form.locator('button[type=submit]').click();
  const answer = w.locator('.rc-comment__body', { hasText: 'Answering Om directly' }).locator('xpath=ancestor::li[1]');
  await answer.waitFor();
  assert.equal(await answer.locator('.rc-comment__to').textContent(), 'Replying to Om');
  await w.getByRole('button', { name: 'Reply to Nina' }).click();
  assert.equal(await form.getByLabel('Your reply to Nina').inputValue(), 'A half-written reply to Nina that I will finish later on.', 'restored');
  await form.getByRole('button', { name: 'Cancel' }).click();
  await form.waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
  await page.close();
});

/** Posts through the widget's main form; resolves when the comment is shown. */
async function postInWidget(w, name, text) {
  await w.getByLabel('Your name').last().fill(name);
  await w.getByLabel('Your comment', { exact: true }).last().fill(text);
  await w.locator('.rc-form:not(.rc-form--reply) button[type=submit]').click();
  await w.locator('.rc-comment__body', { hasText: text }).waitFor();
}

test('the author edits their comment in place (same rules), sees Edited, and nobody else gets the buttons', async () => {
  await post('own-edit', 'Someone Else');
  const { page, problems, w } = await openThread(env, env.api('own-edit'));
  const text = 'My first version of this comment, with a typo I will want to fix soon.';
  await postInWidget(w, 'Quinn', text);
  assert.equal(await w.locator('.rc-edit').count(), 1, 'only on my own comment');
  await w.getByRole('button', { name: 'Edit your comment' }).click();
  const form = w.locator('.rc-edit-form form');
  await form.getByRole('heading', { name: 'Edit your comment' }).waitFor();
  assert.equal(await form.getByLabel('Your comment', { exact: true }).inputValue(), text);
  assert.deepEqual(await axeViolations(page), [], 'axe with the edit form open');
  await form.getByLabel('Your comment', { exact: true }).fill('short');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await form.locator('.rc-error', { hasText: 'more characters' }).waitFor();
  const fixed = 'My second version of this comment, with the typo fixed and a little more said.';
  await form.getByLabel('Your comment', { exact: true }).fill(fixed);
  await form.getByRole('button', { name: 'Save changes' }).click();
  await w.locator('.rc-comment__body', { hasText: fixed }).waitFor();
  assert.equal(await w.locator('.rc-edit-form').count(), 0, 'the form closes');
  await w.locator('section > [aria-live="polite"]', { hasText: 'Your changes were saved.' }).waitFor();
  assert.equal(await w.locator('.rc-comment__edited').count(), 1, 'marked Edited');
  const stored = (await (await fetch(env.api('own-edit'))).json()).comments.find((c) => c.body === fixed);
  assert.ok(stored && stored.edited_at, 'the server has the new text');
  // Another reader (no token) sees no Edit or Delete.
  const other = await openThread(env, env.api('own-edit'));
  await other.w.locator('.rc-comment').nth(1).waitFor();
  assert.equal(await other.w.locator('.rc-edit, .rc-delete').count(), 0);
  await other.page.close();
  assert.deepEqual(problems, []);
  await page.close();
});

test('the author deletes after confirming in the page; with replies the comment stays as deleted', async () => {
  const { page, problems, w } = await openThread(env, env.api('own-delete'));
  await postInWidget(w, 'Ravi', 'A comment I will delete after thinking about it for a moment or two.');
  await postInWidget(w, 'Ravi', 'A comment that gets a reply before I delete it, so it must keep its place.');
  const rows = await (await fetch(env.api('own-delete'))).json();
  const answered = rows.comments.find((c) => c.body.startsWith('A comment that gets a reply')).id;
  await post('own-delete', 'Sona', answered);
  await page.reload();
  await showThread(page, env.api('own-delete'));
  const first = w.locator('.rc-comment__body', { hasText: 'A comment I will delete' }).locator('xpath=ancestor::li[1]');
  await first.waitFor();
  await first.getByRole('button', { name: 'Delete your comment' }).click();
  const question = first.getByRole('group', { name: 'Delete this comment? This cannot be undone.' });
  await question.waitFor();
  await question.getByRole('button', { name: 'Keep it' }).click();
  await question.waitFor({ state: 'detached' });
  assert.equal(await first.count(), 1, 'kept');
  await first.getByRole('button', { name: 'Delete your comment' }).click();
  await question.getByRole('button', { name: 'Delete', exact: true }).click();
  await w.locator('.rc-action-error', { hasText: 'Your comment was deleted.' }).waitFor();
  await first.waitFor({ state: 'detached' });
  const second = w.locator('.rc-comment__body', { hasText: 'A comment that gets a reply' }).locator('xpath=ancestor::li[1]');
  await second.getByRole('button', { name: 'Delete your comment' }).click();
  await w.getByRole('button', { name: 'Delete', exact: true }).click();
  await w.locator('.rc-comment--deleted', { hasText: 'This comment was deleted' }).waitFor();
  assert.equal(await w.getByRole('list', { name: /Replies to/ }).locator('.rc-comment__author').textContent(), 'Sona', 'its reply stays');
  const after = (await (await fetch(env.api('own-delete'))).json()).comments;
  assert.deepEqual(after.map((c) => c.status), ['deleted']);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a reply with the keyboard alone: Tab to Reply, Enter, type, Enter posts it', async () => {
  await post('keyboard', 'Uma');
  const { page, problems, w } = await openThread(env, env.api('keyboard'));
  const reply = w.getByRole('button', { name: 'Reply to Uma' });
  await reply.waitFor();
  // From the sort control, the first control of the section, Tab reaches Reply.
  await w.getByLabel('Sort comments').focus();
  const active = () => page.evaluate(() => document.querySelector('reader-comments').shadowRoot.activeElement?.getAttribute('aria-label'));
  for (let i = 0; i < 10 && (await active()) !== 'Reply to Uma'; i++) await page.keyboard.press('Tab');
  assert.equal(await active(), 'Reply to Uma', 'reached with Tab');
  await page.keyboard.press('Enter');
  const form = w.locator('.rc-reply-form form');
  await form.waitFor();
  // The focus is in the comment field; the name goes first, with Shift+Tab.
  await page.keyboard.type('Typed with the keyboard only, every key of it, from start to finish.');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.type('Vinod');
  await page.keyboard.press('Enter');
  await w.getByRole('list', { name: 'Replies to Uma' }).locator('.rc-comment__author', { hasText: 'Vinod' }).waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

test('every hostile payload posted as a reply renders as literal text', async () => {
  const payloads = fixture('xss-payloads.json').filter((p) => !/[\u0000-\u001f\u007f-\u009f]/.test(p));
  const top = await post('xss-replies', 'Wren');
  const sent = [];
  for (const p of payloads.slice(0, 12)) {
    const author = p.replace(/\s+/g, ' ').trim().slice(0, 80) || 'x';
    const res = await fetch(env.api('xss-replies'), { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ author, body: `${p} — padding so that the body passes the fifty-character minimum.`, parent_id: top }) });
    assert.equal(res.status, 201, p);
    sent.push(await res.json());
  }
  const { page, problems, w } = await openThread(env, env.api('xss-replies'));
  const more = w.getByRole('button', { name: /Show \d+ more replies/ });
  await more.click();
  const replies = w.getByRole('list', { name: 'Replies to Wren' });
  await replies.locator('.rc-comment').nth(sent.length - 1).waitFor();
  assert.deepEqual(await replies.locator('.rc-comment__author').allTextContents(), sent.map((r) => r.author));
  assert.deepEqual(await replies.locator('.rc-comment__body').allTextContents(), sent.map((r) => r.body));
  assert.deepEqual(await madeFromText(page), [], 'no element was made from endpoint text');
  await page.waitForTimeout(300);
  assert.deepEqual(problems, []);
  await page.close();
});

test('faked v1-only endpoint: exactly v1 — no Reply, Recommend, Edit or sort, and no v1.1 parameter or header sent', async () => {
  const { page, problems } = await newPage(env);
  const seen = [];
  const v1 = { comments: [
    { id: 1, author: 'Xena', body: 'A v1 endpoint knows nothing of replies or recommends.', created_at: '2026-02-08T09:12:00Z' },
    { id: 2, author: 'Yash', body: 'Nor of sorting; the widget must not ask for it.' },
  ] };
  await page.route('**/api/threads/v1-only/comments**', (route) => {
    const r = route.request();
    seen.push({ method: r.method(), url: r.url(), headers: r.headers(), body: r.postData() });
    if (r.method() === 'POST') {
      return route.fulfill({ status: 201, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' },
        body: JSON.stringify({ id: 3, author: 'Zara', body: JSON.parse(r.postData()).body }) });
    }
    return route.fulfill({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify(v1) });
  });
  await page.goto(`${env.pages.origin}/index.html`);
  await showThread(page, env.api('v1-only'));
  const w = page.locator('reader-comments');
  await w.locator('.rc-comment').nth(1).waitFor();
  assert.equal(await w.locator('.rc-recommend, .rc-reply, .rc-edit, .rc-delete, .rc-replies').count(), 0);
  assert.equal(await w.locator('.rc-sort').getAttribute('hidden'), '');
  await w.getByLabel('Your name').fill('Zara');
  await w.getByLabel('Your comment', { exact: true }).fill('Posting to a v1 endpoint, with nothing of contract v1.1 in the request.');
  await w.locator('button[type=submit]').click();
  await w.locator('.rc-comment__author', { hasText: 'Zara' }).waitFor();
  assert.equal(await w.locator('.rc-edit').count(), 0, 'no edit token, no edit window: no Edit');
  for (const r of seen) {
    assert.ok(!/[?&](sort|parent)=/.test(r.url), r.url);
    assert.ok(!('reader-key' in r.headers) && !('authorization' in r.headers), JSON.stringify(r.headers));
  }
  const posted = seen.find((r) => r.method === 'POST');
  assert.ok(posted, 'the post went out');
  assert.deepEqual(Object.keys(JSON.parse(posted.body)).sort(), ['author', 'body'], 'a v1 post');
  assert.deepEqual(problems, []);
  await page.close();
});

test('faked 429 on recommend and a faked network failure on more replies: each says why, and nothing is lost', async () => {
  const top = await post('faults11', 'Ajay');
  for (const name of ['B1', 'B2', 'B3', 'B4']) await post('faults11', name, top);
  const { page, w } = await openThread(env, env.api('faults11'));
  await page.route('**/recommend', (r) => r.fulfill({ status: 429, contentType: 'application/problem+json',
    headers: { 'retry-after': '7', 'access-control-allow-origin': '*', 'access-control-expose-headers': 'Retry-After' },
    body: '{"title":"Too many requests","status":429}' }));
  await w.getByRole('button', { name: "Recommend, 0 recommends: Ajay's comment" }).click();
  const ajay = w.locator('.rc-list > .rc-comment').first();
  await ajay.getByRole('alert').filter({ hasText: 'Please wait 7 seconds' }).waitFor();
  assert.equal(await w.getByRole('button', { name: "Recommend, 0 recommends: Ajay's comment" }).getAttribute('aria-pressed'), 'false');
  await page.route('**/api/threads/faults11/comments?parent=*', (r) => r.abort('connectionrefused'));
  const more = w.getByRole('button', { name: 'Show 1 more reply' });
  await more.click();
  const failed = ajay.getByRole('alert').filter({ hasText: 'The replies could not be loaded.' });
  await failed.waitFor();
  assert.equal(await failed.evaluate((e) => e.previousElementSibling.className), 'rc-button rc-button--secondary rc-more-replies',
    'said under the button');
  const replies = w.getByRole('list', { name: 'Replies to Ajay' });
  assert.equal(await replies.locator('.rc-comment').count(), 3, 'the replies shown stay');
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await more.click();
  await replies.locator('.rc-comment').nth(3).waitFor();
  assert.equal(await failed.count(), 0, 'the failure is taken away on the next try');
  await page.close();
});
