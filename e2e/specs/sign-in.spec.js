// Readers signed in with the site's own accounts (issue 23, contract v1.3) in Chromium
// against the real server and SQLite file, with tokens the test signs as a site would
// (HS256, the secret shared with the server's --sign-in-secret).
// Optional: a signed-in reader posts under the account's name with a "Verified" mark
// (no name field), an anonymous reader as before, and a posted `verified` fakes nothing;
// a token that expired keeps the text and says why; a single-page app signs in and out
// without remounting. Required: the form is a "Sign in to comment" link back to the
// article, rows have no Reply or Report, until the reader is signed in. A moderator
// suspends an account from its history: its owner is told the reason, the text kept.
// axe throughout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setUp, startServer, newPage, widget, widgetRows, showThread, axeViolations, addModerator, signIn } from '../harness.js';

const SECRET = 'the secret the news site and the server share 0123456789';
const LOGIN = 'https://news.example/login';
const BODY = 'A thoughtful comment that is long enough for the minimum of fifty characters';

/** A JWT as the site signs it for its logged-in reader. */
function token(claims) {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);
const reader = (sub, name, more = {}) => token({ sub, name, exp: now() + 600, ...more });

/** A free loopback port. */
async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** A real SMTP server on loopback (Debian's python3-aiosmtpd), delivering into a Maildir. */
async function startSmtp(folder) {
  const port = await freePort();
  mkdirSync(folder, { recursive: true });
  const child = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', join(folder, 'box')], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    const up = await new Promise((r) => { const c = connect(port, '127.0.0.1', () => { c.end(); r(true); }); c.on('error', () => r(false)); });
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const mails = () => {
    try { return readdirSync(join(folder, 'box/new')).map((f) => readFileSync(join(folder, 'box/new', f), 'utf8')); } catch { return []; }
  };
  return { port, mails, stop: () => child.kill() };
}

let env, required, dir, smtp;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rc-e2e-required-'));
  smtp = await startSmtp(join(dir, 'mail'));
  env = await setUp({
    moderation: 'none',
    extra: ['--sign-in', 'optional', '--sign-in-secret', SECRET, '--smtp', `smtp://127.0.0.1:${smtp.port}`, '--mail-from', 'Comments <comments@news.example>'],
  });
  required = await startServer({
    db: join(dir, 'required.sqlite3'), allowOrigin: [env.pages.origin], moderation: 'none', seed: false,
    extra: ['--sign-in', 'required', '--sign-in-secret', SECRET, '--sign-in-url', LOGIN],
  });
});
after(async () => {
  smtp?.stop();
  await required?.stop();
  await env?.tearDown();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The page with its widget on `api`'s thread, with these attributes. */
async function open(api, attributes = {}) {
  const opened = await newPage(env);
  await opened.page.goto(`${env.pages.origin}/index.html`);
  await showThread(opened.page, api, attributes);
  return { ...opened, w: widget(opened.page) };
}

const mainForm = (w) => w.locator('.rc-form:not(.rc-form--reply)');

test('optional: a signed-in reader posts under the account name, marked Verified, and nobody can fake the mark', async () => {
  const api = env.api('signed-optional');
  const faking = await fetch(api, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ author: 'Faker', body: `${BODY} (posted verified)`, verified: true, staff: true }),
  });
  assert.equal(faking.status, 201);
  const asha = await open(api, { 'user-token': reader('u-1', 'आशा राव') });
  const { page, w } = asha;
  await widgetRows(page).first().waitFor();
  const form = mainForm(w);
  // The shell already says whom the comment is posted as; so does the form that takes over.
  await form.locator('.rc-as', { hasText: 'Posting as आशा राव' }).waitFor();
  assert.equal(await form.locator('input[name="author"]').isVisible(), false, 'no name field');
  assert.equal(await form.locator('.rc-as .rc-mark--verified').textContent(), 'Verified');
  await form.locator('textarea').fill(`${BODY} (signed in)`);
  await form.locator('.rc-as', { hasText: 'Posting as आशा राव' }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'axe with the signed-in form');
  await form.getByRole('button', { name: 'Post Comment' }).click();
  const mine = w.locator('[part="root"] .rc-comment', { hasText: '(signed in)' });
  await mine.waitFor();
  assert.equal(await mine.locator('.rc-comment__author').textContent(), 'आशा राव');
  assert.equal(await mine.locator('.rc-mark--verified').textContent(), 'Verified');
  const faked = w.locator('[part="root"] .rc-comment', { hasText: '(posted verified)' });
  assert.equal(await faked.locator('.rc-mark').count(), 0, 'a posted verified or staff means nothing');
  assert.deepEqual(await axeViolations(page), [], 'axe with a verified comment');

  // Anonymous readers post as before, with their name.
  const anonymous = await open(api);
  const f = mainForm(anonymous.w);
  await f.locator('input[name="author"]').fill('Ben');
  await f.locator('textarea').fill(`${BODY} (anonymous)`);
  await f.getByRole('button', { name: 'Post Comment' }).click();
  const ben = anonymous.w.locator('[part="root"] .rc-comment', { hasText: '(anonymous)' });
  await ben.waitFor();
  assert.equal(await ben.locator('.rc-mark').count(), 0);
  for (const opened of [asha, anonymous]) assert.deepEqual(opened.problems, []);
});

test('optional: an expired sign-in keeps the text and says to reload; a single-page app signs in and out in place', async () => {
  const api = env.api('signed-expired');
  const expired = token({ sub: 'u-2', name: 'Gurpreet', exp: now() - 3600 });
  const opened = await open(api, { 'user-token': expired });
  const { page, w } = opened;
  const form = mainForm(w);
  await form.locator('.rc-as', { hasText: 'Gurpreet' }).waitFor();
  await form.locator('textarea').fill(`${BODY} (expired)`);
  await form.getByRole('button', { name: 'Post Comment' }).click();
  await form.locator('.rc-fail', { hasText: 'Your sign-in has expired. Reload the page to sign in again.' }).waitFor();
  assert.equal(await form.locator('textarea').inputValue(), `${BODY} (expired)`, 'the text is kept');
  assert.equal(await w.locator('[part="root"] .rc-comment', { hasText: '(expired)' }).count(), 0);

  // The site signs the reader in again, then out: the same widget follows, the text stays.
  const root = await page.evaluate(() => document.querySelector('reader-comments').shadowRoot.querySelector('[part="root"]') !== null);
  assert.ok(root);
  await page.evaluate((t) => {
    const el = document.querySelector('reader-comments');
    el.__root = el.shadowRoot.querySelector('[part="root"]');
    el.setAttribute('user-token', t);
  }, reader('u-2', 'Gurpreet Kaur'));
  await form.locator('.rc-as', { hasText: 'Posting as Gurpreet Kaur' }).waitFor();
  await page.evaluate(() => document.querySelector('reader-comments').removeAttribute('user-token'));
  await form.locator('input[name="author"]').waitFor();
  assert.equal(await form.locator('.rc-as').isVisible(), false);
  assert.equal(await form.locator('textarea').inputValue(), `${BODY} (expired)`, 'the text is still there');
  assert.equal(await page.evaluate(() => {
    const el = document.querySelector('reader-comments');
    return el.shadowRoot.querySelector('[part="root"]') === el.__root;
  }), true, 'not remounted');
  await page.evaluate((t) => document.querySelector('reader-comments').setAttribute('user-token', t), reader('u-2', 'Gurpreet Kaur'));
  await form.locator('.rc-as', { hasText: 'Posting as Gurpreet Kaur' }).waitFor();
  await form.getByRole('button', { name: 'Post Comment' }).click();
  const posted = w.locator('[part="root"] .rc-comment', { hasText: '(expired)' });
  await posted.waitFor();
  assert.equal(await posted.locator('.rc-comment__author').textContent(), 'Gurpreet Kaur');
  assert.deepEqual(opened.problems, []);
});

test('required: readers read, a reader who is not signed in is sent to sign in, a signed-in one writes', async () => {
  const api = `${required.origin}/api/threads/signed-required/comments`;
  const first = await fetch(api, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${reader('u-3', 'Omar K')}` },
    body: JSON.stringify({ body: `${BODY} (first)` }),
  });
  assert.equal(first.status, 201);
  const outside = await open(api);
  const { page, w } = outside;
  await widgetRows(page).first().waitFor();
  const link = w.getByRole('link', { name: 'Sign in to comment' });
  await link.waitFor();
  const href = new URL(await link.getAttribute('href'));
  assert.equal(`${href.origin}${href.pathname}`, LOGIN);
  assert.equal(href.searchParams.get('return'), page.url(), 'back to the article');
  assert.equal(await w.locator('.rc-form-area').isVisible(), false, 'no form');
  assert.equal(await w.locator('[part="root"] .rc-reply').count(), 0, 'no Reply');
  assert.equal(await w.locator('[part="root"] .rc-report').count(), 0, 'no Report');
  assert.deepEqual(await axeViolations(page), [], 'axe with the sign-in link');

  const inside = await open(api, { 'user-token': reader('u-4', 'Priya S') });
  await widgetRows(inside.page).first().waitFor();
  const form = mainForm(inside.w);
  await form.locator('.rc-as', { hasText: 'Posting as Priya S' }).waitFor();
  assert.equal(await inside.w.getByRole('link', { name: 'Sign in to comment' }).isVisible(), false);
  await inside.w.locator('[part="root"] .rc-reply').first().waitFor();
  await form.locator('textarea').fill(`${BODY} (required)`);
  await form.getByRole('button', { name: 'Post Comment' }).click();
  const posted = inside.w.locator('[part="root"] .rc-comment', { hasText: '(required)' });
  await posted.waitFor();
  assert.equal(await posted.locator('.rc-mark--verified').textContent(), 'Verified');
  for (const opened of [outside, inside]) assert.deepEqual(opened.problems, []);
});

test('a moderator suspends an account: its owner is told the reason when they try to post, and keeps the text', async () => {
  const api = env.api('signed-suspended');
  const token = reader('u-6', 'Karan');
  const first = await fetch(api, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ body: `${BODY} (before)` }),
  });
  assert.equal(first.status, 201);
  const id = (await first.json()).id;
  addModerator(env, 'mira', 'a long demo password for the tests');
  const moderator = await newPage(env, { context: await env.browser.newContext({ bypassCSP: true }) });
  const m = moderator.page;
  await signIn(env, m, 'mira', 'a long demo password for the tests');
  await m.goto(`${env.server.origin}/admin/commenter?comment=${id}`);
  await m.getByText("signed in with the site's account").waitFor();
  await m.getByLabel('Suspend the account for').check();
  await m.getByLabel('Days of a suspension').fill('2');
  const why = 'Repeated personal attacks on other readers.';
  await m.getByLabel('The reason they are told when they try to comment').fill(why);
  await m.getByRole('button', { name: 'Save for the account' }).click();
  await m.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  await m.locator('.note', { hasText: /^The account is suspended until .*: Repeated personal attacks/ }).waitFor();
  assert.deepEqual(await axeViolations(m, null), [], 'axe on the history with the account');

  const opened = await open(api, { 'user-token': token, locale: 'hi' });
  const form = mainForm(opened.w);
  await form.locator('.rc-as', { hasText: 'Karan' }).waitFor();
  const text = `${BODY} (during the suspension)`;
  await form.locator('textarea').fill(text);
  await form.locator('button[type="submit"]').click();
  await form.locator('.rc-fail', { hasText: `आपका खाता अभी टिप्पणी नहीं कर सकता। मॉडरेटरों का कारण: ${why}` }).waitFor();
  assert.equal(await form.locator('textarea').inputValue(), text, 'the text is kept');
  assert.deepEqual(await axeViolations(opened.page), [], 'axe with the refusal');
  for (const o of [opened, moderator]) assert.deepEqual(o.problems, []);
});

test('a signed-in reader asks for e-mail: a reply sends exactly one mail whose one-click unsubscribe works', async () => {
  const api = env.api('signed-mail');
  const asha = await open(api, { 'user-token': reader('u-11', 'Asha', { email: 'asha@example.com', email_verified: true }) });
  const form = mainForm(asha.w);
  await form.locator('.rc-as', { hasText: 'Asha' }).waitFor();
  const box = form.getByLabel('E-mail me at asha@example.com when someone replies or a moderator decides');
  await box.waitFor();
  await form.locator('textarea').fill(`${BODY} (tell me)`);
  await box.check();
  assert.deepEqual(await axeViolations(asha.page), [], 'axe with the e-mail box');
  await form.getByRole('button', { name: 'Post Comment' }).click();
  const mine = asha.w.locator('[part="root"] .rc-comment', { hasText: '(tell me)' });
  await mine.waitFor();
  // A reader without a verified address is not offered the box.
  const unverified = await open(api, { 'user-token': reader('u-12', 'Ila', { email: 'ila@example.com' }) });
  await mainForm(unverified.w).locator('.rc-as', { hasText: 'Ila' }).waitFor();
  await mainForm(unverified.w).locator('textarea').focus();
  await mainForm(unverified.w).locator('.rc-counter[data-count]').waitFor();
  assert.equal(await mainForm(unverified.w).locator('.rc-check').isVisible(), false);

  const ben = await open(api);
  const row = ben.w.locator('[part="root"] .rc-comment', { hasText: '(tell me)' });
  await row.getByRole('button', { name: /^Reply/ }).click();
  const reply = ben.w.locator('.rc-reply-form form');
  await reply.locator('input[name="author"]').fill('Ben');
  await reply.locator('textarea').fill(`${BODY} (Ben answers)`);
  await reply.getByRole('button', { name: 'Reply' }).click();
  await ben.w.locator('[part="root"] .rc-replies .rc-comment', { hasText: '(Ben answers)' }).waitFor();

  let mails = [];
  for (let i = 0; i < 150 && mails.length === 0; i++) { await new Promise((r) => setTimeout(r, 100)); mails = smtp.mails(); }
  await new Promise((r) => setTimeout(r, 2500));
  mails = smtp.mails();
  assert.equal(mails.length, 1, 'exactly one mail');
  assert.match(mails[0], /^To: asha@example\.com/m);
  assert.match(mails[0], /^Subject: Ben replied to your comment/m);
  assert.match(mails[0], /^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
  const url = mails[0].match(/^List-Unsubscribe: <([^>]+)>/m)[1];
  const reader2 = await newPage(env);
  await reader2.page.goto(url);
  await reader2.page.getByRole('button', { name: 'Stop the e-mails' }).click();
  await reader2.page.getByRole('heading', { name: 'You will get no more e-mails' }).waitFor();
  for (const o of [asha, unverified, ben, reader2]) assert.deepEqual(o.problems, []);
});

