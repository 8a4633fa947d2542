// `--moderation first` in Chromium against the real server and SQLite file: a reader's
// first comment waits (the widget sends the reader's key with the post, as the endpoint
// advertises recommends), the queue says why, a moderator approves it, and the same
// reader's next comment appears at once; another reader's still waits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, openThread, addModerator, signIn } from '../harness.js';

const PASSWORD = 'a long demo password for the tests';

let env;
before(async () => {
  env = await setUp({ moderation: 'first' });
  addModerator(env, 'mira', PASSWORD);
});
after(async () => { await env?.tearDown(); });

/** Posts from the widget as `name`; the request's Reader-Key header. */
async function post(reader, name, text) {
  const sent = reader.page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/comments'));
  await reader.w.getByLabel('Your name').fill(name);
  await reader.w.getByLabel('Your comment', { exact: true }).fill(text);
  await reader.w.locator('button[type=submit]').click();
  return (await sent).headers()['reader-key'];
}

test("a reader's first comment waits for a moderator; once it is published, their next appears at once", async () => {
  const asha = await openThread(env, env.api('first'));
  const key = await post(asha, 'Asha', 'My first comment here, which a moderator reads before anyone else does.');
  assert.match(key ?? '', /^[0-9a-f]{32}$/, 'the reader key goes with the post');
  const stored = await asha.page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith('reader-comments:reader:'))?.[1]);
  assert.equal(key, stored, "the browser's own key");
  await asha.w.getByRole('status').filter({ hasText: 'awaiting moderation' }).waitFor();

  const { page, context } = await newPage(env);
  await signIn(env, page, 'mira', PASSWORD);
  const item = page.getByRole('listitem').filter({ hasText: 'My first comment here' });
  await item.getByText('Held because: It is the first comment from this reader.').waitFor();
  await item.getByRole('button', { name: 'Approve the comment by Asha' }).click();
  await page.getByRole('status').filter({ hasText: 'Approved.' }).waitFor();

  assert.equal(await post(asha, 'Asha', 'And a second one, which nobody needs to read first any more.'), key);
  await asha.w.locator('.rc-comment', { hasText: 'And a second one' }).waitFor();
  assert.equal(await asha.w.locator('.rc-comment--pending', { hasText: 'And a second one' }).count(), 0, 'published at once');

  const bina = await openThread(env, env.api('first'));
  const other = await post(bina, 'Bina', 'Another reader entirely, whose first comment waits like everyone else.');
  assert.notEqual(other, key, 'a browser of its own, a key of its own');
  await bina.w.getByRole('status').filter({ hasText: 'awaiting moderation' }).waitFor();
  assert.deepEqual([...asha.problems, ...bina.problems], []);
  await Promise.all([asha.context.close(), bina.context.close(), context.close()]);
});
