// The support forum in the browser (issue 15, item 7): a municipality's
// officer asks about a finding from the findings list, the prefecture's
// security officer (another organization) answers, the asker accepts the
// answer, and the question is found again by a three-character Japanese
// fragment. The forum's pages pass axe-core.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { alertText, axe, launch, newContext, shot, signInWithSecondFactor, submit } from './lib.mjs';

const file = '17-forum';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function account(name) {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await signInWithSecondFactor(page, name);
  await page.goto('/forum');
  assert.equal(new URL(page.url()).pathname, '/forum', `${name} is signed in`);
  return page;
}

test('ask about a finding, answer from another organization, accept, find by search', { timeout: 180_000 }, async () => {
  const stamp = String(Date.now()).slice(-6);
  // A sentence of the asker's own words: the fragment 紙台帳 crosses no
  // word boundary a tokenizer would need.
  const body = `持出し記録を紙台帳から電子化したいのですが、他の団体ではどう移行しましたか（${stamp}）。`;

  const city = await account('city');
  assert.deepEqual(await axe(city), [], 'the forum list passes axe-core');
  await city.goto('/findings');
  const ask = city.locator('a[href^="/forum/new?"]').first();
  assert.ok(await ask.count(), 'every finding offers この指摘について質問する');
  assert.equal((await ask.textContent()).trim(), 'この指摘について質問する');
  assert.deepEqual(await axe(city), [], 'the findings list with its forum column passes axe-core');
  await submit(city, ask);
  assert.equal(new URL(city.url()).pathname, '/forum/new', 'the button opens a new question');
  const control = await city.locator('#forum-controls').inputValue();
  assert.match(control, /^[A-Z]+-\d+$/, 'the question is pre-filled with the finding\'s control');
  assert.equal(await city.locator('#forum-body').inputValue(), '', 'the body is the asker\'s to write');
  assert.ok((await city.locator('#forum-title').inputValue()).includes(control), 'the title names the control');
  assert.deepEqual(await axe(city), [], 'the new question form passes axe-core');
  await shot(city, file, 'ask');
  await city.fill('#forum-body', body);
  await submit(city, city.locator('form[action="/forum/new"] button[type=submit]'));
  const thread = new URL(city.url()).pathname;
  assert.match(thread, /^\/forum\/\d+$/, `posting leads to the thread (the page says ${JSON.stringify(await alertText(city))})`);
  assert.ok((await city.locator('main').innerText()).includes(control), 'the thread names its control');

  // The prefecture's security officer answers.
  const pref = await account('pref');
  await pref.goto(thread);
  assert.ok((await pref.locator('.post-body').first().innerText()).includes(stamp), 'another organization reads the question');
  await pref.fill('#answer-body', '県内では、持出しの申請と記録を同じ様式にまとめ、電子申請に切り替えた団体が多いです。');
  await submit(pref, pref.locator(`form[action="${thread}/posts"] button[type=submit]`));
  assert.ok(await pref.locator('[role=status]').count(), 'the answer is posted');
  assert.deepEqual(await axe(pref), [], 'the thread with an answer passes axe-core');
  await shot(pref, file, 'answered');

  // The asker accepts it.
  await city.goto(thread);
  const accept = city.locator(`form[action="${thread}/accept"] button[type=submit]`);
  assert.equal(await accept.count(), 1, 'the asker may accept the answer');
  await submit(city, accept);
  assert.ok(await city.locator('.post.accepted').count(), 'the answer is marked accepted');
  assert.ok((await city.locator('.post.accepted').innerText()).includes('採用された回答'));
  await shot(city, file, 'accepted');

  // Found by three characters of the question, and beside the finding.
  await city.goto('/forum/search?q=' + encodeURIComponent('紙台帳'));
  assert.ok(await city.locator(`a[href^="${thread}"]`).count(), 'the search finds the thread by 紙台帳');
  assert.deepEqual(await axe(city), [], 'the search results pass axe-core');
  await city.goto('/findings?control=' + encodeURIComponent(control));
  assert.ok(await city.locator(`td a[href="${thread}"]`).count(), 'the findings of the control show the thread');

  // The prefecture sees its municipalities' use, and those that never used it.
  await pref.goto('/forum/usage');
  assert.equal(new URL(pref.url()).pathname, '/forum/usage');
  assert.ok(await pref.locator('figure.chart svg').count(), 'the usage page draws its chart');
  assert.ok(await pref.locator('#never').count(), 'the usage page lists the organizations that never used the forum');
  assert.deepEqual(await axe(pref), [], 'the usage page passes axe-core');
  await shot(pref, file, 'usage');
});
