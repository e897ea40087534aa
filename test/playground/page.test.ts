// The playground page in a real browser: the gallery and a grayscale chain checked pixel by
// pixel, a compile error marked at its line, a runaway plugin stopped by fuel while the page
// goes on working, a plugin saved into the client's runtime and used from a chain, and a
// screenshot in test/artifacts/.

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { createClient, type Harness, startServer } from "../httpd/harness.ts";
import { launchBrowser } from "./browser.ts";
import { canvasPixels } from "./page-helpers.ts";

const ARTIFACTS = join(import.meta.dirname, "..", "artifacts");
const WAIT = { timeout: 30_000 };

/** 1-based line of the first error underline in the editor. */
async function errorMarkerLine(page: Page): Promise<number> {
  return page.evaluate(() => {
    const mark = document.querySelector(".cm-content .cm-lintRange-error")!;
    const lines = [...document.querySelectorAll(".cm-content .cm-line")];
    return lines.findIndex((l) => l.contains(mark)) + 1;
  });
}

/** Puts the cursor at the end of editor line `n` (1-based) and types `text`. */
async function typeAtEndOfLine(page: Page, n: number, text: string): Promise<void> {
  await page
    .locator(".cm-content .cm-line")
    .nth(n - 1)
    .click();
  await page.keyboard.press("End");
  await page.keyboard.type(text);
}

async function chooseTemplate(page: Page, name: string): Promise<void> {
  await page.selectOption("#template", name);
  await page.waitForFunction(
    (n) => document.querySelector(".cm-content")?.textContent?.includes(`${n}_transform`),
    "my_filter",
  );
}

describe("playground page", () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let token: string;
  const pageErrors: string[] = [];

  before(async () => {
    h = await startServer();
    token = await createClient(h, "alice", { fuel: 5_000_000 });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 1200 } });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    // Templates ask before replacing unsaved code: these tests mean to replace it.
    page.on("dialog", (d) => void d.accept());
  });

  after(async () => {
    await browser?.close();
    await h?.stop();
  });

  test(
    "the gallery lists the served images and a grayscale chain yields gray pixels",
    WAIT,
    async () => {
      await page.goto(`${h.url}/`);
      await page.waitForSelector("body[data-ready=true]", WAIT);
      const names = await page
        .locator(".thumb")
        .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.image));
      assert.deepEqual(names.sort(), ["gray.pgm", "small.ppm"]);

      await page.click("#chain-clear");
      await page.click('.chip[data-plugin="grayscale"]');
      await page.waitForSelector("#original[data-state=ready]", WAIT);
      await page.waitForFunction(
        () =>
          document.querySelector<HTMLElement>("#result")?.dataset.state === "ready" &&
          document.querySelector("#result .view-title")?.textContent === "grayscale",
        undefined,
        WAIT,
      );
      const before = await canvasPixels(page, "#original");
      const after = await canvasPixels(page, "#result");
      assert.equal(after.width, 40);
      assert.equal(after.height, 30);
      let colourful = 0;
      for (let i = 0; i < before.rgba.length; i += 4)
        if (before.rgba[i] !== before.rgba[i + 1] || before.rgba[i + 1] !== before.rgba[i + 2])
          colourful++;
      assert.ok(colourful > 100, "the original is a colour image");
      for (let i = 0; i < after.rgba.length; i += 4) {
        assert.equal(after.rgba[i], after.rgba[i + 1], `pixel ${i / 4}: r == g`);
        assert.equal(after.rgba[i + 1], after.rgba[i + 2], `pixel ${i / 4}: g == b`);
      }
      // 8-bit gray (PGM) instead of 24-bit colour: a third of the bytes, as the caption says.
      const bytes = await page.locator("#result").getAttribute("data-bytes");
      assert.ok(Number(bytes) < 40 * 30 + 32, `result bytes ${bytes}`);
      assert.match((await page.locator("#result figcaption").textContent()) ?? "", /transcode/);
      assert.match((await page.locator("#original figcaption").textContent()) ?? "", /server \d/);
    },
  );

  test(
    "compiling needs a client: signed in, a compile error is marked at its line",
    WAIT,
    async () => {
      // Compiling is a client's work (its token, its CPU rate): sign in first.
      await page.click("#signin-open");
      await page.fill("#signin-id", "alice");
      await page.fill("#signin-token", token);
      await page.click("#signin-submit");
      await page.waitForSelector(".who", WAIT);

      await page.fill("#plugin-name", "my_filter");
      await chooseTemplate(page, "invert");
      // Line 6 of invert.c is `int row = in->width * in->channels;`.
      await typeAtEndOfLine(page, 6, " int q = no_such_variable;");
      await page.click("#compile");
      await page.waitForSelector(".cm-content .cm-lintRange-error", WAIT);
      assert.equal(await errorMarkerLine(page), 6);
      assert.ok(await page.locator(".cm-gutter-lint .cm-lint-marker-error").count());
      const item = page.locator("#diagnostics li.error").first();
      assert.equal(await item.getAttribute("data-line"), "6");
      assert.match((await item.textContent()) ?? "", /no_such_variable/);
      assert.equal(await page.locator("#compile-status").getAttribute("data-kind"), "error");
    },
  );

  test("a runaway plugin reports fuel exhausted and the gallery still works", WAIT, async () => {
    await page.waitForSelector(".who", WAIT); // signed in by the test before

    await chooseTemplate(page, "invert");
    await typeAtEndOfLine(page, 5, " while (1) {}");
    await page.click("#try");
    await page.waitForSelector("#result[data-state=error][data-fault=fuel-exhausted]", WAIT);
    assert.match(
      (await page.locator("#result .fault-title").textContent()) ?? "",
      /Fuel exhausted/,
    );
    // The live panel counts the fault of the try.
    await page.waitForSelector('.tries .fault-chip[data-kind="fuel-exhausted"]', WAIT);

    // The page and the server carry on: another image, original and result.
    await page.click('.thumb[data-image="gray.pgm"]');
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLElement>("#result")?.dataset.state === "ready" &&
        document.querySelector<HTMLElement>("#original")?.dataset.state === "ready",
      undefined,
      WAIT,
    );
    const gray = await canvasPixels(page, "#original");
    assert.deepEqual([gray.width, gray.height], [33, 21]);
  });

  test(
    "a plugin saved into the client's runtime runs in a chain and shows in the live panel",
    WAIT,
    async () => {
      await page.click('.thumb[data-image="small.ppm"]');
      await chooseTemplate(page, "invert");
      await page.click("#save");
      await page.waitForSelector('#runtime tr[data-plugin="my_filter"]', WAIT);
      await page.click("#chain-clear");
      await page.click('.chip.own[data-plugin="my_filter"]');
      await page.waitForFunction(
        () =>
          document.querySelector<HTMLElement>("#result")?.dataset.state === "ready" &&
          document.querySelector("#result .view-title")?.textContent === "my_filter",
        undefined,
        WAIT,
      );
      const original = await canvasPixels(page, "#original");
      const inverted = await canvasPixels(page, "#result");
      for (let i = 0; i < original.rgba.length; i += 4)
        for (let k = 0; k < 3; k++) assert.equal(inverted.rgba[i + k], 255 - original.rgba[i + k]);
      // The panel polls: the upcall shows up as a call of my_filter.
      await page.waitForFunction(
        () =>
          document.querySelector('#runtime tr[data-plugin="my_filter"] td.num')?.textContent ===
          "1",
        undefined,
        WAIT,
      );
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, "playground.png"), fullPage: true });
      assert.deepEqual(pageErrors, []);
    },
  );
});
