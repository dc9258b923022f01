// GraphiQL in a real browser (Debian's chromium, headless, through playwright-core; no browser
// download): the docs explorer lists Tramite, a pasted token reaches a live subscription, and a
// trâmite moved by the test shows up in the page. Screenshots and transfer sizes go to .artifacts/.
// Locally without chromium the test is skipped; in CI (CI=true) a missing browser is a failure.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS } from './support/backends.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { GESTORA_MGI, SPE_MGI } from './support/accounts.js';
import { movableTramites, stepMutation } from './support/tramites.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = new URL('../.artifacts/', import.meta.url).pathname;
const runBrowser = existsSync(CHROMIUM) || process.env.CI === 'true';

/** Bytes that crossed the network for the page and everything it loaded (0 for what came from cache). */
async function transferred(page: Page): Promise<{ total: number; entries: { name: string; transferSize: number }[] }> {
  const entries = await page.evaluate(() =>
    [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map((e) => ({
      name: e.name,
      transferSize: (e as PerformanceResourceTiming).transferSize,
    })),
  );
  return { total: entries.reduce((sum, e) => sum + e.transferSize, 0), entries };
}

describe.skipIf(!runBrowser).each(BACKENDS)('%s, GraphiQL in headless chromium', (backend) => {
  let gw: TestGateway;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    gw = await startTestGateway(backend);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // playwright adds --headless and a fresh --user-data-dir itself.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  test('docs explorer lists Tramite; a pasted token reaches a live subscription; the page is cached', { timeout: 120_000 }, async () => {
    const gestora = await gw.tokenOf(GESTORA_MGI);
    const sei = await gw.tokenOf(SPE_MGI);
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(gw.gateway.url);
    await page.waitForSelector('.graphiql-container');
    // Wait until the schema is loaded (the docs button works only then), through anonymous public introspection.
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Query', { exact: true }).click();
    await expect.poll(() => docs.innerText(), { timeout: 30_000 }).toMatch(/\bTramite\b/);
    const firstLoad = await transferred(page);

    // Paste the token into the Headers tab.
    await page.getByRole('button', { name: 'Headers', exact: true }).click();
    const headersEditor = page.locator('.graphiql-editor-tool .graphiql-editor').last();
    await headersEditor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${gestora}` }));

    // The default tab holds a query and the live subscription: run the subscription.
    // GraphQL over SSE, with the Headers tab: the server answers the stream once the subscription is set up.
    const stream = page.waitForResponse(
      (r) => r.url().startsWith(gw.gateway.url) && /text\/event-stream/.test(r.headers()['content-type'] ?? ''),
    );
    await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).click();
    await page.getByRole('menuitem', { name: 'AoVivo' }).click();
    expect((await stream).status()).toBe(200);
    const response = page.locator('.graphiql-response');

    const [tramite] = await movableTramites(gw, sei);
    const moved = await gw.ok(stepMutation(tramite!), { input: { tramite: tramite!.id } }, sei);
    expect(moved.r.__typename).toBe('TransicaoRealizada');
    await expect.poll(() => response.innerText(), { timeout: 20_000 }).toContain(tramite!.idt);
    const shown = await response.innerText();
    expect(shown).toContain('eventosTramites');
    expect(shown).not.toMatch(/UNAUTHENTICATED|isTrusted/);
    await page.screenshot({ path: `${ARTIFACTS}graphiql-${backend}.png` });

    // Reload: the page revalidates (304), the content-hashed files come from the browser cache.
    await page.reload();
    await page.waitForSelector('.graphiql-container');
    const reload = await transferred(page);
    writeFileSync(`${ARTIFACTS}graphiql-transfer-${backend}.json`, JSON.stringify({ firstLoad, reload }, null, 2));
    console.log(`GraphiQL transfer (${backend}): first load ${firstLoad.total} bytes, reload ${reload.total} bytes`);
    expect(firstLoad.total).toBeGreaterThan(0);
    expect(firstLoad.total).toBeLessThan(3_000_000); // 9 MB uncompressed in one page before
    // Every content-hashed file came from the browser cache (0 bytes over the wire); what is left is the
    // revalidated page and the introspection answer, which grows with the schema.
    const assets = reload.entries.filter((e) => e.name.includes('/graphql/assets/'));
    expect(assets.length).toBeGreaterThan(0);
    expect(assets.filter((e) => e.transferSize > 0)).toEqual([]);
    expect(reload.total).toBeLessThan(firstLoad.total / 20);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
