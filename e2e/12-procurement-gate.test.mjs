// A procurement gate from request to clearing, through the pages alone:
// the ministry's system officer requests a 適合性確認 (conformity check)
// for a contract that OUT-05 finds contracted without one; the officer is
// offered no review of their own request; the central administrator starts
// the review and clears it, which stamps today's date; after mamori check
// the contract's finding no longer says the check is missing but that it
// came after the contract (the demo's contracts are all signed before
// today, so a check cleared today is late, which is the rule).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { adminPage, alertText, axe, csv, launch, ministry, shot, submit, viewerPage } from './lib.mjs';

const file = '12-procurement-gate';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// mamori runs the command line on the demo's database, as an operator
// would beside the server.
function mamori(...args) {
  const bin = process.env.MAMORI_E2E_MAMORI, db = process.env.MAMORI_E2E_DB;
  assert.ok(bin && db, 'MAMORI_E2E_MAMORI and MAMORI_E2E_DB are set by scripts/e2e.sh');
  return execFileSync(bin, [...args, '--db', db], { encoding: 'utf8' });
}

// findingRow is the OUT-05 finding row of a contract on the findings list.
async function findingRow(page, contract) {
  await page.goto(`/findings?control=OUT-05&target=${encodeURIComponent(contract)}`);
  return page.locator('table.list tbody tr', { has: page.locator(`td.code:text-is("${contract}"), td.code a:text-is("${contract}")`) });
}

test('a conformity check is requested, reviewed and cleared, and OUT-05 reads it', { timeout: 120_000 }, async () => {
  // A contract of the ministry without any conformity check: no date in
  // the register, so OUT-05 finds it "missing".
  const parent = new Map(csv('organizations.csv').slice(1).map((r) => [r[0], r[1]]));
  const under = (org) => {
    for (let o = org, n = 0; o && n < 100; o = parent.get(o), n++) if (o === ministry) return true;
    return false;
  };
  const rows = csv('contracts.csv');
  const col = (name) => rows[0].indexOf(name);
  const contracts = rows.slice(1).filter((r) => under(r[col('組織コード')]) && !r[col('適合性確認日')] &&
    (r[col('契約締結日')] || r[col('契約開始日')]));
  assert.ok(contracts.length > 0, 'the ministry has a contract without a conformity check');

  const officer = await viewerPage(browser, 'officer');
  let contract, org, date;
  for (const r of contracts) {
    const row = await findingRow(officer, r[0]);
    if (await row.count() && /適合性確認なし|行わずに/.test(await row.first().innerText())) {
      [contract, org, date] = [r[0], r[col('組織コード')], r[col('契約締結日')] || r[col('契約開始日')]];
      break;
    }
  }
  assert.ok(contract, 'OUT-05 finds one of them contracted without a check');
  await shot(officer, file, 'finding-missing');

  await officer.goto('/workflows?new=conformity_check#create');
  assert.deepEqual(await axe(officer), [], 'the gate form has no serious or critical axe-core violation');
  await officer.fill('#create-subject', `${contract} の適合性確認`);
  await officer.fill('#create-org', org);
  await officer.fill('#create-contract_code', contract);
  await officer.fill('#create-planned_contract_on', date);
  await submit(officer, officer.locator('form[action="/workflows"][method=post] button[type=submit]'));
  assert.match(new URL(officer.url()).pathname, /^\/workflows\/\d+$/, `the request is opened (the page says ${JSON.stringify(await alertText(officer))})`);
  const item = new URL(officer.url()).pathname;
  assert.match(await officer.locator('main').innerText(), /申請中/, 'the request waits in 申請中');
  const review = (page) => page.locator('form[action$="/act"]:has(input[name=transition][value=review]) button');
  assert.equal(await review(officer).count(), 0, 'the applicant is offered no review of their own request');
  await shot(officer, file, 'requested');

  const admin = await adminPage(browser);
  await admin.goto(item);
  await submit(admin, review(admin));
  assert.match(await admin.locator('main').innerText(), /審査中/, 'under review');
  await submit(admin, admin.locator('form[action$="/act"]:has(input[name=transition][value=clear]) button'));
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());
  const text = await admin.locator('main').innerText();
  assert.match(text, /確認済み/, 'cleared');
  assert.ok(text.includes(today), `the clearing date ${today} is recorded`);
  await shot(admin, file, 'cleared');
  await admin.context().close();

  mamori('check');
  const row = await findingRow(officer, contract);
  assert.equal(await row.count(), 1, 'OUT-05 still finds the contract');
  const after = await row.first().innerText();
  assert.match(after, /契約後|契約の後/, `the check is now late, not missing: ${after}`);
  assert.ok(after.includes(today), 'the finding names the clearing date');
  await shot(officer, file, 'finding-late');
  await officer.context().close();
});
