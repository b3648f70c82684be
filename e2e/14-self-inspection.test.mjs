// One self-inspection round from opening to the central review, by three
// accounts: the ministry's system officer opens a fiscal-year round and
// inspects (submission is not offered while questions are unanswered; one piece of
// evidence is uploaded and chosen for an answer), the ministry's security
// officer reviews as the PMO (enrolling a second factor at the first
// sign-in, as its role requires) and raises a finding, and the central
// administrator reviews last. The inspector is never offered a review.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  adminPage, alertText, axe, launch, ministry, newContext, shot, signIn, signInWithSecondFactor, signOut, submit,
} from './lib.mjs';

const file = '14-self-inspection';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// button is the submit button of the transition form named label.
function transition(page, label) {
  return page.locator(`form[action$="/act"][aria-label="${label}"] button[type=submit]`);
}

test('a self-inspection goes from the inspector to the PMO and the centre', { timeout: 180_000 }, async () => {
  // The inspector: the ministry's system officer (no second factor).
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await signIn(page, 'officer');
  await page.goto('/inspections');
  assert.ok(await page.locator('table.list tbody tr').count() > 0, 'the demo\'s rounds are listed');
  await shot(page, file, 'list');
  assert.deepEqual(await axe(page), [], 'the list passes axe-core');
  const fy = page.locator('form[aria-labelledby="open-fy"]');
  await fy.locator('#open-org').fill(ministry);
  const year = await fy.locator('#open-year').inputValue();
  assert.match(year, /^\d{4}$/, 'the form offers this year');
  await submit(page, fy.locator('button[type=submit]'));
  assert.match(new URL(page.url()).pathname, /^\/inspections\/\d+$/, `the round opens (the page says ${JSON.stringify(await alertText(page))})`);
  const round = new URL(page.url()).pathname;
  assert.match(await page.locator('main h1').textContent(), /自己点検/);
  const questions = await page.locator('select[id^="answer-"]').count();
  assert.ok(questions > 0, 'the round asks the catalog\'s manual controls');
  await shot(page, file, 'opened');
  assert.deepEqual(await axe(page), [], 'the questionnaire passes axe-core');

  // Submission is not offered before every question is answered, and the
  // page says how many are missing.
  assert.equal(await transition(page, '自己点検完了').count(), 0, 'no submission while questions are unanswered');
  assert.match(await page.locator('#unanswered').textContent(), new RegExp(`未回答の設問が ${questions} 件`));

  // One piece of evidence, chosen for the first answer.
  await page.goto(round);
  await page.locator('#attach-file').setInputFiles({ name: 'self-inspection-plan.txt', mimeType: 'text/plain',
    buffer: Buffer.from('年度自己点検計画（デモ）\n統括情報セキュリティ責任者 承認済み\n') });
  await submit(page, page.locator('form[aria-labelledby="attach"] button[type=submit]'));
  assert.equal(new URL(page.url()).pathname, round, 'the upload comes back to the round');
  for (let n = 1; n <= questions; n++) await page.selectOption(`#answer-${n}`, n === questions ? 'partial' : 'yes');
  await page.selectOption('#evidence-1', { label: '1. self-inspection-plan.txt' });
  await page.fill('#note-1', '計画書を添付');
  await submit(page, page.locator(`form[action="${round}/answers"] button[type=submit]`));
  assert.equal(await alertText(page), '', 'the answers are saved');
  await page.goto(round);
  assert.ok(await page.locator('text=設問').first().isVisible());
  assert.match(await page.locator('#questions-summary').textContent(), /未回答 0 件/);
  await submit(page, transition(page, '自己点検完了'));
  assert.equal(await alertText(page), '', 'the self-inspection is submitted');
  assert.match(await page.locator('table.fields').textContent(), /自己点検済み/);
  assert.equal(await transition(page, 'PMOレビュー完了').count(), 0, 'the inspector is offered no review');
  await shot(page, file, 'submitted');
  await signOut(page);

  // The PMO: the ministry's security officer, with a second factor.
  // (Its first sign-in of the run enrols one; 11-remediation may have.)
  await signInWithSecondFactor(page, 'security');
  await page.goto(round);
  assert.equal(new URL(page.url()).pathname, round, 'the PMO reaches the round');
  const evidence = page.locator('a[download]', { hasText: 'self-inspection-plan.txt' });
  assert.equal(await evidence.count(), 1, 'the answer carries its evidence');
  await page.fill('#finding-text', '教育の実施記録が年度途中のもの');
  await submit(page, page.locator(`form[action="${round}/findings"] button[type=submit]`));
  assert.match(await page.locator('main').textContent(), /教育の実施記録が年度途中のもの/, 'the finding is shown');
  await submit(page, transition(page, 'PMOレビュー完了'));
  assert.equal(await alertText(page), '', 'the PMO review is done');
  assert.match(await page.locator('table.fields').textContent(), /PMOレビュー済み/);
  assert.equal(await transition(page, '中央レビュー完了').count(), 0, 'the PMO is offered no central review');
  await shot(page, file, 'pmo-reviewed');
  await ctx.close();

  // The centre: the central administrator.
  const admin = await adminPage(browser);
  await admin.goto(round);
  await submit(admin, transition(admin, '中央レビュー完了'));
  assert.equal(await alertText(admin), '', 'the central review is done');
  const fields = await admin.locator('table.fields').textContent();
  assert.match(fields, /中央レビュー済み/);
  assert.equal((fields.match(/\d{4}-\d{2}-\d{2}/g) || []).length >= 3, true, 'the three steps\' dates are recorded');
  await shot(admin, file, 'centrally-reviewed');
  await admin.context().close();
});
