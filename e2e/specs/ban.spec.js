// A ban in Chromium against the real server and SQLite file (its own server: a ban
// covers the test's one address, 127.0.0.1): a reader's comment with a link waits for
// moderation, a moderator rejects it and bans its author for 30 days from the queue, and
// the same reader's next comment is refused with the endpoint's reason, the words kept;
// the ban lifted, a published comment is deleted and its author banned from the
// published list, and a seeded comment (no address known) is deleted with no ban claimed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, openThread, showThread, addModerator, signIn } from '../harness.js';

const PASSWORD = 'a long demo password for the tests';

let env;
before(async () => {
  env = await setUp();
  addModerator(env, 'mira', PASSWORD);
});
after(async () => { await env?.tearDown(); });

/** Posts `text` as `name` from the widget `w`. */
async function postAs(w, name, text) {
  await w.getByLabel('Your name').fill(name);
  await w.getByLabel('Your comment', { exact: true }).fill(text);
  await w.locator('button[type=submit]').click();
}

test('a moderator bans the author of a held comment; that reader is refused with the reason and keeps their words', async () => {
  const { page: reader, w } = await openThread(env, env.api('banning'));
  const post = (text) => postAs(w, 'Spammer', text);
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
  const until = Date.parse(await page.getByRole('row').nth(1).getByRole('cell').nth(1).locator('time').getAttribute('datetime'));
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

test('from the published list, "Delete and ban" removes a comment and bans its author; a comment with no known address is deleted and no ban is claimed', async () => {
  // The ban of the test before is lifted first.
  const { page, context } = await newPage(env);
  await signIn(env, page, 'mira', PASSWORD);
  await page.getByRole('link', { name: 'Bans' }).click();
  await page.getByRole('button', { name: 'Lift' }).click();
  await page.getByRole('heading', { name: 'Bans in force (0)' }).waitFor();

  const { page: reader, w } = await openThread(env, env.api('trolling'));
  const post = (text) => postAs(w, 'Troll', text);
  await post('An insult with no link in it, long enough to pass the rule and be published.');
  await w.locator('.rc-comment__author', { hasText: 'Troll' }).waitFor();

  await page.getByRole('link', { name: 'Published' }).click();
  await page.getByLabel('Author contains').fill('Troll');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('combobox', { name: 'Ban for how long: the author of the comment by Troll' }).selectOption({ label: '1 day' });
  const banned = Date.now();
  await page.getByRole('button', { name: 'Delete and ban the author of the comment by Troll' }).click();
  await page.getByRole('status').filter({ hasText: 'Deleted, and its author\'s address is banned' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/admin/comments', 'back on the published list');
  await page.getByRole('link', { name: 'Bans' }).click();
  await page.getByRole('heading', { name: 'Bans in force (1)' }).waitFor();
  const until = Date.parse(await page.getByRole('row').nth(1).getByRole('cell').nth(1).locator('time').getAttribute('datetime'));
  const days = (until - banned) / 86_400_000;
  assert.ok(days > 0.99 && days < 1.01, `banned for the 1 day chosen (${days})`);
  await page.getByRole('link', { name: 'Audit log' }).click();
  assert.equal(await page.getByRole('row').filter({ hasText: /^.*mira.*delete.*comment \d+/ }).count() >= 1, true, 'recorded as a deletion');

  await reader.reload();
  await showThread(reader, env.api('trolling'));
  await w.locator('.rc-state--empty').waitFor(); // the thread loaded, and has nothing left
  assert.equal(await w.locator('.rc-comment__author', { hasText: 'Troll' }).count(), 0, 'gone from the thread');
  await post('Back again from the same connection, with another long enough comment.');
  await w.locator('.rc-fail', { hasText: 'Comments from your connection are not accepted for now.' }).waitFor();

  // The demo's seeded comments were stored without an address hash.
  await page.getByRole('link', { name: 'Published' }).click();
  await page.getByLabel('Author contains').fill('Kriti O');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('button', { name: 'Delete and ban the author of the comment by Kriti O' }).click();
  await page.getByRole('status').filter({ hasText: 'Deleted. No ban was made' }).waitFor();
  await page.getByRole('link', { name: 'Bans' }).click();
  await page.getByRole('heading', { name: 'Bans in force (1)' }).waitFor();
  await context.close();
  await reader.close();
});
