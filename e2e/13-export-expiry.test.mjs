// A data export request (情報持出し申請) from request to re-blocking,
// through the pages and the expiry job: the ministry's system officer asks
// for an export beyond the maximum expiry and is refused with the reason,
// then asks for one ending today; the officer is offered no approval of
// their own request; the central administrator approves it; the next day's
// expiry run (mamori workflow expire, as serve runs hourly) blocks it
// again, which the item's history shows as mamori's; the officer then
// records what was taken out and the request ends.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { adminPage, alertText, axe, csv, launch, ministry, shot, submit, viewerPage } from './lib.mjs';

const file = '13-export-expiry';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function mamori(...args) {
  const bin = process.env.MAMORI_E2E_MAMORI, db = process.env.MAMORI_E2E_DB;
  assert.ok(bin && db, 'MAMORI_E2E_MAMORI and MAMORI_E2E_DB are set by scripts/e2e.sh');
  return execFileSync(bin, [...args, '--db', db], { encoding: 'utf8' });
}

// day is a date in Japan, days from today, as YYYY-MM-DD.
function day(days) {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date(Date.now() + days * 86_400_000));
}

const act = (page, transition) => page.locator(`form[action$="/act"]:has(input[name=transition][value=${transition}])`);

test('an export is approved, blocked again at its expiry and its record kept', { timeout: 120_000 }, async () => {
  // A component of one of the ministry's systems.
  const parent = new Map(csv('organizations.csv').slice(1).map((r) => [r[0], r[1]]));
  const under = (org) => {
    for (let o = org, n = 0; o && n < 100; o = parent.get(o), n++) if (o === ministry) return true;
    return false;
  };
  const sysOrg = new Map(csv('systems.csv').slice(1).map((r) => [r[0], r[1]]));
  const comp = csv('components.csv').slice(1).find((r) => under(sysOrg.get(r[1])));
  assert.ok(comp, 'the ministry has a component');
  const [code, org] = [comp[0], sysOrg.get(comp[1])];

  const officer = await viewerPage(browser, 'officer');
  const ask = async (expires) => {
    await officer.goto('/workflows?new=export_request#create');
    await officer.fill('#create-subject', `${code} からの持出し`);
    await officer.fill('#create-org', org);
    await officer.fill('#create-component_code', code);
    await officer.fill('#create-purpose', '委員会資料の作成');
    await officer.fill('#create-medium', '暗号化 USB メモリ');
    await officer.fill('#create-expires_on', expires);
    await submit(officer, officer.locator('form[action="/workflows"][method=post] button[type=submit]'));
  };
  await ask(day(60));
  assert.match(await alertText(officer), /上限/, 'an expiry beyond the maximum is refused with the reason');
  assert.equal(await officer.locator('#create-component_code').inputValue(), code, 'the form keeps what was sent');
  assert.deepEqual(await axe(officer), [], 'the export form and its refusal have no serious or critical axe-core violation');
  await shot(officer, file, 'refused');

  await ask(day(0));
  assert.match(new URL(officer.url()).pathname, /^\/workflows\/\d+$/, `the request is opened (the page says ${JSON.stringify(await alertText(officer))})`);
  const item = new URL(officer.url()).pathname;
  const id = item.split('/').pop();
  assert.equal(await act(officer, 'approve').count(), 0, 'the applicant is offered no approval');

  const admin = await adminPage(browser);
  await admin.goto(item);
  assert.equal(await act(admin, 'approve').locator('input[name=detail_expires_on]').inputValue(), day(0), 'the approval shows the expiry');
  await submit(admin, act(admin, 'approve').locator('button'));
  assert.match(await admin.locator('main').innerText(), /許可中/, 'approved: the export is allowed');
  await shot(admin, file, 'approved');
  await admin.context().close();

  // Today is the last day: nothing expires; tomorrow it does.
  assert.doesNotMatch(mamori('workflow', 'expire'), new RegExp(`item ${id} `), 'not expired on its last day');
  assert.match(mamori('workflow', 'expire', '--as-of', day(1)), new RegExp(`item ${id} \\(export_request\\) expired`), 'expired the day after');
  await officer.goto(item);
  const text = await officer.locator('main').innerText();
  assert.match(text, /期限切れ（再遮断）/, 'blocked again');
  assert.match(await officer.locator('#history ~ div table').innerText(), /mamori[\s\S]*期限到来/, 'the history shows mamori blocked it');
  await shot(officer, file, 'expired');

  assert.deepEqual(await axe(officer), [], 'the item page with its record form has no serious or critical axe-core violation');
  await act(officer, 'record').locator('textarea[name=detail_items_taken]').fill('委員会資料 PDF 3 件');
  await submit(officer, act(officer, 'record').locator('button'));
  const done = await officer.locator('main').innerText();
  assert.match(done, /終了（記録済み）/, 'ended');
  assert.ok(done.includes('委員会資料 PDF 3 件'), 'the record of what was taken out is kept');
  await shot(officer, file, 'recorded');
  await officer.context().close();
});
