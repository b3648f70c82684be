// A ministry's viewer asking for another organization's system gets the
// same "not found" as for a system that does not exist, and nothing of it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { csv, launch, ministry, shot, viewerPage } from './lib.mjs';

const file = '05-scope';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// outside picks an organization outside the ministry's subtree that has
// systems, from the register's export (organization code, parent code and
// a system's organization code are the first columns).
function outside() {
  const parent = new Map(csv('organizations.csv').slice(1).map((r) => [r[0], r[1]]));
  const under = (org) => {
    for (let o = org, seen = 0; o && seen < 100; o = parent.get(o), seen++) if (o === ministry) return true;
    return false;
  };
  assert.ok(parent.has(ministry), `the ministry ${ministry} is in the register`);
  const owners = new Set(csv('systems.csv').slice(1).map((r) => r[1]));
  const org = [...owners].sort().find((o) => parent.has(o) && !under(o));
  assert.ok(org, 'some organization outside the ministry has systems');
  return org;
}

// errorText is what an error page says, with the code asked for taken out.
async function errorText(page, code) {
  return (await page.locator('main').innerText()).replaceAll(code, 'CODE').replace(/受付番号.*|request.*id.*/gi, '').trim();
}

test('ministry is refused another organization\'s system as if it did not exist', { timeout: 60_000 }, async () => {
  const org = outside();
  const demo = await viewerPage(browser, 'demo');
  await demo.goto(`/systems?org=${encodeURIComponent(org)}`);
  const row = demo.locator('table.list tbody tr').first();
  const code = (await row.locator('td.code a').textContent()).trim();
  const name = (await row.locator('td').nth(1).textContent()).trim();
  assert.ok(code && name, `demo sees a system of ${org}`);
  await demo.goto(`/systems/${encodeURIComponent(code)}`);
  assert.equal((await demo.locator('main h1').textContent()).trim(), name, 'demo may open it');
  await shot(demo, file, 'demo-sees-it');
  await demo.context().close();

  const page = await viewerPage(browser, 'ministry');
  const res = await page.goto(`/systems/${encodeURIComponent(code)}`);
  assert.equal(res.status(), 404, 'another ministry\'s system answers 404');
  const body = await page.content();
  assert.ok(!body.includes(name), 'the system\'s name does not appear');
  const refused = await errorText(page, code);
  await shot(page, file, 'ministry-refused');

  const missing = 'NO-SUCH-SYSTEM-1';
  const res2 = await page.goto(`/systems/${missing}`);
  assert.equal(res2.status(), 404);
  assert.equal(refused, await errorText(page, missing), 'the refusal reads exactly like a missing system');

  // The ministry's own register does not list it either.
  await page.goto(`/systems?q=${encodeURIComponent(code)}`);
  assert.equal(await page.locator(`table.list a:text-is("${code}")`).count(), 0, 'not in the ministry\'s register');
  await page.context().close();
});
