// A ban in Chromium against the real server and SQLite file (its own server: a ban
// covers the test's one address, 127.0.0.1): a reader's comment with a link waits for
// moderation, a moderator rejects it and bans its author for 30 days from the queue, and
// the same reader's next comment is refused with the endpoint's reason, the words kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, openThread, addModerator, signIn } from '../harness.js';

const PASSWORD = 'a long demo password for the tests';

let env;
before(async () => {
  env = await setUp();
  addModerator(env, 'mira', PASSWORD);
});
after(async () => { await env?.tearDown(); });

test('a moderator bans the author of a held comment; that reader is refused with the reason and keeps their words', async () => {
  const { page: reader, w } = await openThread(env, env.api('banning'));
  const post = async (text) => {
    await w.getByLabel('Your name').fill('Spammer');
    await w.getByLabel('Your comment', { exact: true }).fill(text);
    await w.locator('button[type=submit]').click();
  };
  await post('Cheap watches for everyone who reads this article: https://spam.example/watches');
  await w.getByRole('status').filter({ hasText: 'awaiting moderation' }).waitFor();

  const { page, context } = await newPage(env);
  await signIn(env, page, 'mira', PASSWORD);
  const length = page.getByRole('combobox', { name: 'Ban for how long: the author of the comment by Spammer' });
  assert.equal(await length.inputValue(), '7', '7 days unless chosen');
  await length.selectOption({ label: '30 days' });
  const banned = Date.now();
  await page.getByRole('button', { name: 'Reject and ban the author of the comment by Spammer' }).click();
  await page.getByRole('status').filter({ hasText: 'its author\'s address is banned' }).waitFor();
  await page.getByRole('link', { name: 'Bans' }).click();
  await page.getByRole('heading', { name: 'Bans in force (1)' }).waitFor();
  const until = Date.parse(await page.getByRole('row').nth(1).getByRole('cell').nth(1).textContent());
  const days = (until - banned) / 86_400_000;
  assert.ok(days > 29.99 && days < 30.01, `banned for the 30 days chosen (${days})`);

  const text = 'Another try from the same connection, with no link at all this time around.';
  await post(text);
  await w.locator('.rc-fail', { hasText: 'Comments from your connection are not accepted for now.' }).waitFor();
  assert.equal(await w.getByLabel('Your comment', { exact: true }).inputValue(), text, 'the words are kept');
  assert.equal(await w.locator('.rc-comment', { hasText: 'Another try' }).count(), 0);
  await context.close();
  await reader.close();
});
