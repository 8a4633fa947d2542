// Every fault of v1, for each call contract v1.1 added: a reply's POST, an edit's PATCH
// and a delete's DELETE, against the real server and SQLite file. Each fault is faked by
// Playwright routing (or the browser's offline switch), named "faked" below. Each must
// say why, keep the reader's words on screen and in storage, and never store twice when
// the reader tries again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, openThread } from '../harness.js';

let env;
before(async () => { env = await setUp({ moderation: 'none' }); });
after(async () => { await env?.tearDown(); });

const CORS = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'retry-after' };
const PROBLEM = { contentType: 'application/problem+json', headers: CORS };

/** The faults: a name, how to fake it on one request, and what the reader is told. */
const FAULTS = {
  500: { fake: (r) => r.fulfill({ status: 500, ...PROBLEM, body: '{"title":"Internal Server Error","status":500}' }), says: 'had a problem (error 500)' },
  html: { fake: (r) => r.fulfill({ status: 502, contentType: 'text/html', headers: CORS, body: '<h1>Bad Gateway</h1>' }), says: 'had a problem (error 502)' },
  timeout: { fake: () => { /* never answered */ }, says: 'took too long' },
  429: { fake: (r) => r.fulfill({ status: 429, ...PROBLEM, headers: { ...CORS, 'retry-after': '30' }, body: '{"title":"Too many requests","status":429}' }), says: 'wait 30 seconds' },
  truncated: {
    fake: async (r) => {
      const real = await r.fetch();
      const text = await real.text();
      await r.fulfill({ response: real, body: text.slice(0, Math.floor(text.length / 2)) });
    },
    says: 'cannot read',
  },
  offline: { offline: true, says: 'appear to be offline' },
};

/** Puts `fault` on the next `method` request to `pattern`; returns how to lift it. */
async function fake(page, context, fault, method, pattern) {
  if (fault.offline) {
    await context.setOffline(true);
    return () => context.setOffline(false);
  }
  await page.route(pattern, (r) => (r.request().method() === method ? fault.fake(r) : r.continue()));
  return () => page.unrouteAll({ behavior: 'ignoreErrors' });
}

async function thread(name) {
  const res = await fetch(`${env.api(name)}?limit=100`);
  return (await res.json()).comments;
}

async function postTop(name, author, body) {
  const res = await fetch(env.api(name), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ author, body }),
  });
  assert.equal(res.status, 201);
}

/** A page showing `name`'s thread with a two-second bound on every request. */
const open = (name) => openThread(env, env.api(name), { attributes: { timeout: '2' } });

const stored = (page, text) => page.evaluate((t) => Object.values(localStorage).some((v) => v.includes(t)), text);

for (const [name, fault] of Object.entries(FAULTS)) {
  test(`faked ${name} on posting a reply: told why, the reply kept, and stored once on the retry`, async () => {
    const id = `reply-fault-${name}`;
    await postTop(id, 'Lata', 'The top comment that the reader answers, long enough for the rule.');
    const { page, context, problems, w } = await open(id);
    const keys = [];
    page.on('request', (r) => { if (r.method() === 'POST') keys.push(r.headers()['idempotency-key']); });
    await w.getByLabel('Your name').first().fill('Mohan');
    await w.getByRole('button', { name: 'Reply to Lata' }).click();
    const form = w.locator('.rc-reply-form form');
    const text = `A reply written during the ${name} fault, long enough to pass the rule of fifty.`;
    await form.getByLabel('Your reply to Lata').fill(text);
    const lift = await fake(page, context, fault, 'POST', `**/api/threads/${id}/comments`);
    await form.locator('button[type=submit]').click();
    const failure = form.locator('.rc-fail', { hasText: fault.says });
    await failure.waitFor({ timeout: 10_000 });
    assert.match(await failure.textContent(), /Your comment was not posted\..*still here/);
    assert.equal(await form.getByLabel('Your reply to Lata').inputValue(), text, 'the reply stays in its field');
    assert.ok(await stored(page, text), 'and in localStorage');
    await lift();
    await form.locator('button[type=submit]').click();
    await w.getByRole('list', { name: 'Replies to Lata' }).locator('.rc-comment__body', { hasText: text }).waitFor();
    const top = (await thread(id))[0];
    assert.equal(top.reply_count, 1, 'stored once');
    assert.ok(keys.length >= 2 && keys.every((k) => k && k === keys[0]), `one Idempotency-Key for every attempt: ${keys}`);
    assert.ok(!(await stored(page, text)), 'the draft is forgotten once posted');
    assert.deepEqual(problems, []);
    await context.close();
  });
}

/** Posts a comment from the widget's main form (so this browser holds its edit token). */
async function postOwn(w, text) {
  await w.getByLabel('Your name').last().fill('Quinn');
  await w.getByLabel('Your comment', { exact: true }).last().fill(text);
  await w.locator('.rc-form:not(.rc-form--reply) button[type=submit]').click();
  await w.locator('.rc-comment__body', { hasText: text }).waitFor();
}

for (const name of ['500', 'timeout', 'offline', '429']) {
  test(`faked ${name} on saving an edit: told why, the change kept, and saved on the retry`, async () => {
    const id = `edit-fault-${name}`;
    const { page, context, problems, w } = await open(id);
    const first = 'My first version of this comment, before the fault, long enough for the rule.';
    await postOwn(w, first);
    await w.getByRole('button', { name: 'Edit your comment' }).click();
    const form = w.locator('.rc-edit-form form');
    const fixed = `My second version, written during the ${name} fault, also long enough for it.`;
    await form.getByLabel('Your comment', { exact: true }).fill(fixed);
    const lift = await fake(page, context, FAULTS[name], 'PATCH', `**/api/threads/${id}/comments/*`);
    await form.getByRole('button', { name: 'Save changes' }).click();
    const failure = form.locator('.rc-fail', { hasText: FAULTS[name].says });
    await failure.waitFor({ timeout: 10_000 });
    assert.match(await failure.textContent(), /Your change was not saved\./);
    assert.equal(await form.getByLabel('Your comment', { exact: true }).inputValue(), fixed, 'the change stays');
    assert.ok(await stored(page, fixed), 'and in localStorage');
    assert.deepEqual((await thread(id)).map((c) => c.body), [first], 'the server still has the first version');
    await lift();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await w.locator('.rc-comment__body', { hasText: fixed }).waitFor();
    assert.deepEqual((await thread(id)).map((c) => c.body), [fixed]);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

for (const name of ['500', 'timeout', 'offline']) {
  test(`faked ${name} on deleting: told why, the comment kept, and deleted on the retry`, async () => {
    const id = `delete-fault-${name}`;
    const { page, context, problems, w } = await open(id);
    const text = 'A comment whose author will try to delete it while the connection fails.';
    await postOwn(w, text);
    const row = w.locator('.rc-comment__body', { hasText: text }).locator('xpath=ancestor::li[1]');
    const lift = await fake(page, context, FAULTS[name], 'DELETE', `**/api/threads/${id}/comments/*`);
    await row.getByRole('button', { name: 'Delete your comment' }).click();
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    const note = row.getByRole('alert').filter({ hasText: FAULTS[name].says });
    await note.waitFor({ timeout: 10_000 });
    assert.match(await note.textContent(), /Your comment was not deleted\./);
    assert.equal(await row.getByRole('button', { name: 'Delete your comment' }).evaluate((e) => e === e.getRootNode().activeElement),
      true, 'the focus is back on Delete');
    assert.equal(await row.count(), 1, 'still shown');
    assert.equal((await thread(id)).length, 1, 'still stored');
    await lift();
    await row.getByRole('button', { name: 'Delete your comment' }).click();
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await w.locator('.rc-action-error', { hasText: 'Your comment was deleted.' }).waitFor();
    assert.equal((await thread(id)).length, 0);
    assert.deepEqual(problems, []);
    await context.close();
  });
}
