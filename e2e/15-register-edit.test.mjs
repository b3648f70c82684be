// The register editor in the browser: open a contract, change its title
// and save it, see the change; a second tab still holding the record as it
// was before is refused and told so, and the first save stands; a value
// the import would refuse is refused next to its field, nothing written.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminPage, alertText, axe, launch, shot, submit } from './lib.mjs';

const file = '15-register-edit';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a contract edited in one tab; the stale second tab is refused', { timeout: 120_000 }, async () => {
  const page = await adminPage(browser);
  await page.goto('/register');
  assert.deepEqual(await axe(page), [], 'the index has no serious or critical axe-core violation');
  await submit(page, page.locator('main a[href="/register/contracts"]'));
  assert.deepEqual(await axe(page), [], 'the list has no serious or critical axe-core violation');
  const first = page.locator('table.list tbody tr td a').first();
  assert.ok(await first.count(), 'the demo has contracts');
  await submit(page, first);
  const recordURL = page.url();
  const title = page.locator('#f-title');
  const before = await title.inputValue();
  await shot(page, file, 'contract-form');
  assert.deepEqual(await axe(page), [], 'the form has no serious or critical axe-core violation');

  // A second tab opens the same record before the first saves.
  const stale = await page.context().newPage();
  await stale.goto(recordURL);
  assert.equal(await stale.locator('#f-title').inputValue(), before);

  const changed = `${before}（E2E変更 ${Date.now()}）`;
  await title.fill(changed);
  await submit(page, page.locator('form.editor button[type=submit]'));
  assert.equal(new URL(page.url()).pathname, new URL(recordURL).pathname, 'back on the record after saving');
  assert.match(await page.locator('main [role=status]').innerText(), /保存しました/);
  assert.equal(await page.locator('#f-title').inputValue(), changed, 'the saved title is shown');
  await shot(page, file, 'saved');

  // The stale tab saves its own change: refused, told, its text kept.
  await stale.locator('#f-title').fill('古いタブからの変更');
  const [res] = await Promise.all([stale.waitForNavigation(), stale.locator('form.editor button[type=submit]').click()]);
  assert.equal(res.status(), 409, 'the stale save answers 409');
  assert.match(await alertText(stale), /他の人が変更しました/);
  assert.equal(await stale.locator('#f-title').inputValue(), '古いタブからの変更', 'the stale tab keeps what was typed');
  await shot(stale, file, 'stale-refused');
  await stale.close();

  await page.goto(recordURL);
  assert.equal(await page.locator('#f-title').inputValue(), changed, 'the first save stands');

  // A value the import would refuse: shown next to its field, nothing written.
  await page.locator('#f-total_amount').fill('たくさん');
  await page.locator('#f-title').fill('書き込まれない件名');
  const [bad] = await Promise.all([page.waitForNavigation(), page.locator('form.editor button[type=submit]').click()]);
  assert.equal(bad.status(), 422);
  assert.match(await page.locator('#f-total_amount-err').innerText(), /金額として読めません/);
  assert.equal(await page.locator('#f-total_amount').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await axe(page), [], 'the refused form has no serious or critical axe-core violation');
  await shot(page, file, 'invalid-refused');
  await page.goto(recordURL);
  assert.equal(await page.locator('#f-title').inputValue(), changed, 'the refused save wrote nothing');

  // Put the title back, as the demo had it.
  await title.fill(before);
  await submit(page, page.locator('form.editor button[type=submit]'));
  assert.equal(await page.locator('#f-title').inputValue(), before);
  await page.context().close();
});
