// Remediation to closure in the browser: the auditor opens a remediation
// item for an open finding from the findings list, the ministry's security
// officer assigns it, the system officer plans a milestone, starts, attaches
// the evidence and resolves it, and the security officer (neither the
// applicant nor the assignee) closes it. Each step is a form of the pages,
// the service decides, and the history records who did what.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { alertText, launch, newContext, shot, signInWithSecondFactor, submit } from './lib.mjs';

const file = '11-remediation';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// account signs name in on a fresh profile, enrolling the second factor
// first when its role asks for one, and returns the page.
async function account(name) {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await signInWithSecondFactor(page, name);
  await page.goto('/workflows');
  assert.equal(new URL(page.url()).pathname, '/workflows', `${name} is signed in`);
  return page;
}

// action takes the transition named on the item's page, with the given
// fields filled in, and returns the status line the page shows after.
async function action(page, transition, fields = {}) {
  const form = page.locator(`form[action$="/act"]:has(input[name=transition][value=${transition}])`);
  assert.equal(await form.count(), 1, `the page offers ${transition}`);
  for (const [name, value] of Object.entries(fields)) await form.locator(`[name=${name}]`).fill(value);
  await submit(page, form.locator('button[type=submit]'));
  const status = page.locator('[role=status]');
  assert.ok(await status.count(), `${transition} is done (the page says ${JSON.stringify(await alertText(page))})`);
  return (await status.textContent()).trim();
}

test('a finding from its remediation item\'s opening to its closing', { timeout: 180_000 }, async () => {
  // The auditor opens the item from the findings list.
  const auditor = await account('auditor');
  await auditor.goto('/findings');
  const open = auditor.locator('form[action="/findings/remediation"]').first();
  assert.ok(await open.count(), 'the findings list offers to open remediation');
  const finding = `${await open.locator('input[name=control]').inputValue()} ${await open.locator('input[name=target]').inputValue()}`;
  await submit(auditor, open.locator('button'));
  const item = new URL(auditor.url()).pathname;
  assert.match(item, /^\/workflows\/\d+$/, 'opening leads to the new item');
  const fields = await auditor.locator('table.fields').innerText();
  assert.ok(fields.includes(finding), `the item is about ${finding}`);
  assert.match(fields, /\d{4}-\d{2}-\d{2}/, 'the item has a due date');
  await shot(auditor, file, 'opened');
  // A second item for the same finding is refused.
  await auditor.goto('/findings?target=' + encodeURIComponent(finding.split(' ')[1]));
  assert.ok(await auditor.locator(`a[href="${item}"]`).count(), 'the finding\'s row links its item');

  // The security officer assigns it to the system officer.
  const security = await account('security');
  await security.goto(item);
  await action(security, 'assign', { assignee: 'officer' });
  assert.ok((await security.locator('table.fields').innerText()).includes('officer'), 'the item is assigned');

  // The system officer plans, starts, attaches the evidence and resolves.
  const officer = await account('officer');
  await officer.goto(item);
  await officer.fill('#milestone-title', '設定の是正');
  await officer.fill('#milestone-due', '2099-01-31');
  await submit(officer, officer.locator('form[action$="/milestones"] button'));
  assert.ok((await officer.locator('table[aria-labelledby=milestones]').innerText()).includes('設定の是正'), 'the milestone is listed');
  await action(officer, 'start');
  await submit(officer, officer.locator('form[action*="/milestones/"] button').first());
  await officer.setInputFiles('#attach-file', { name: 'remediation-report.txt', mimeType: 'text/plain',
    buffer: Buffer.from(`是正報告 / Remediation report: ${finding}\n設定を是正した。/ The setting was corrected.\n`) });
  await submit(officer, officer.locator('form[action$="/evidence"] button'));
  assert.ok(await officer.locator('a[href$="/evidence/1"]').count(), 'the evidence is attached');
  await action(officer, 'resolve', { comment: '是正済み／ fixed' });
  assert.equal(await officer.locator('form input[name=transition][value=close]').count(), 0, 'the assignee is not offered to close');
  await shot(officer, file, 'resolved');

  // Another account closes it.
  await security.goto(item);
  await action(security, 'close', { comment: '報告を確認／ report reviewed' });
  const state = await security.locator('table.fields').innerText();
  assert.ok(state.includes('closed'), 'the item is closed');
  const history = await security.locator('table[aria-labelledby=history]').innerText();
  for (const who of ['auditor', 'security', 'officer']) assert.ok(history.includes(who), `the history names ${who}`);
  await shot(security, file, 'closed');
  for (const p of [auditor, security, officer]) await p.context().close();
});
