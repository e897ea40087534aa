// The playground as a working tool, in Chromium: the WAT view linked to the source both ways,
// share links, templates that ask before replacing unsaved code, parameters of the chain's
// plugins only, the resizable split, large images fetched as WebP, the phone layout, and
// screenshots at 1280x900 and 390x844 in test/artifacts/.

import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { encodePnm } from "../../httpd/codecs.ts";
import { testImage } from "../httpd/fixtures.ts";
import { createClient, type Harness, startServer } from "../httpd/harness.ts";
import { launchBrowser } from "./browser.ts";
import { editorLine, editorText, openPage, signIn } from "./page-helpers.ts";

const ARTIFACTS = join(import.meta.dirname, "..", "artifacts");

const PRINTS = `#include <stdio.h>
#include "kplug/image.h"
int my_filter_transform(const image *in, image *out, const params *p) {
  (void)p;
  printf("hello from the playground %d\\n", 42);
  *out = *in;
  return IMAGE_OK;
}
`;

/** Reads far outside the image: an out-of-bounds fault at the marked line, inside a callee. */
const FAULTS = `#include "kplug/image.h"
static int peek(const uint8_t *p, int i) {
  return p[i]; /* FAULT HERE */
}
int my_filter_transform(const image *in, image *out, const params *p) {
  (void)p;
  in->pixels[0] = (uint8_t)peek(in->pixels, 0x7ffffff0);
  *out = *in;
  return IMAGE_OK;
}
`;

/** Replaces the editor's whole text (as a paste would). */
async function replaceSource(page: Page, text: string): Promise<void> {
  await page.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(text);
  await page.waitForFunction(
    (t) => document.querySelector(".cm-content")?.textContent === t.replaceAll("\n", ""),
    text,
  );
}
const WAIT = { timeout: 30_000 };

describe("playground workbench", () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let token: string;
  const pageErrors: string[] = [];
  /** The answer the next confirm() gets. */
  let confirmAnswer = true;
  const confirms: string[] = [];

  before(async () => {
    h = await startServer();
    // 700x500 RGB: 1 MB as PPM, so the page asks for WebP.
    writeFileSync(join(h.imagesDir, "large.ppm"), encodePnm(testImage(700, 500, 3)));
    token = await createClient(h, "alice", { fuel: 5_000_000 });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("dialog", (d) => {
      confirms.push(d.message());
      void (confirmAnswer ? d.accept() : d.dismiss());
    });
    await openPage(page, h.url);
    await signIn(page, "alice", token);
  });

  after(async () => {
    await browser?.close();
    await h?.stop();
  });

  test("the WAT view links source and WAT lines both ways", WAIT, async () => {
    await page.click("#tab-wat");
    await page.waitForSelector("#wat .wl.mapped", WAIT);
    assert.match((await page.locator("#wat").textContent()) ?? "", /\(module/);
    const markedLines = () =>
      page.evaluate(() =>
        [...document.querySelectorAll(".cm-content .cm-line")]
          .map((l, i) => (l.classList.contains("cm-linked-line") ? i + 1 : 0))
          .filter((n) => n > 0),
      );
    const linked = page.locator("#wat .wl.linked");
    const hoverLine = (n: number) =>
      page
        .locator(".cm-content .cm-line")
        .nth(n - 1)
        .hover({ position: { x: 5, y: 5 } });

    // The C definition marks its function's header.
    const defLine = await editorLine(page, /my_filter_transform\(/);
    await hoverLine(defLine);
    await linked.first().waitFor(WAIT);
    assert.match((await linked.first().textContent()) ?? "", /\(func \$my_filter_transform/);

    // A statement marks its instructions (the line table's rows): `in->width * in->channels`.
    const rowLine = await editorLine(page, /int row = in->width \* in->channels;/);
    await hoverLine(rowLine);
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll("#wat .wl.linked")].some((l) =>
          /i32\.mul/.test(l.textContent ?? ""),
        ),
      undefined,
      WAIT,
    );
    const mul = await linked.evaluateAll((els) =>
      els.find((e) => /i32\.mul/.test(e.textContent ?? ""))?.getAttribute("data-n"),
    );
    // That WAT line marks the statement's line; clicking it moves the cursor there.
    const wl = page.locator(`#wat .wl[data-n="${mul}"]`);
    await page.mouse.move(0, 0);
    await wl.hover();
    await page.waitForFunction(
      () => document.querySelector(".cm-content .cm-linked-line"),
      undefined,
      WAIT,
    );
    assert.deepEqual(await markedLines(), [rowLine]);
    await wl.click();
    const cursorLine = await page.evaluate(() => {
      const active = document.querySelector(".cm-content .cm-activeLine");
      return [...document.querySelectorAll(".cm-content .cm-line")].indexOf(active!) + 1;
    });
    assert.equal(cursorLine, rowLine);
    await page.click("#tab-image");
  });

  test("a share link carries the source and restores it in a fresh tab", WAIT, async () => {
    const marker = `/* shared ${Date.now()} */`;
    await page.locator(".cm-content .cm-line").first().click();
    await page.keyboard.press("Home");
    await page.keyboard.type(marker);
    await page.click("#share");
    await page.waitForFunction(() => location.hash.includes("src="), undefined, WAIT);
    const url = page.url();
    assert.ok(url.length < 4000, `link of ${url.length} characters`);
    const source = await editorText(page);
    // A fresh context: no draft in session storage, only the link.
    const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const fresh = await other.newPage();
    await fresh.goto(url);
    await fresh.waitForSelector("body[data-ready=true]", WAIT);
    await fresh.waitForFunction(
      (m) => document.querySelector(".cm-content")?.textContent?.includes(m),
      marker,
      WAIT,
    );
    assert.equal(await editorText(fresh), source);
    assert.equal(await fresh.inputValue("#plugin-name"), "my_filter");
    await other.close();
  });

  test("a template asks before replacing unsaved code", WAIT, async () => {
    // The editor holds edits from the share test: unsaved.
    const before = await page.locator(".cm-content").textContent();
    confirmAnswer = false;
    confirms.length = 0;
    await page.selectOption("#template", "invert");
    await page.waitForFunction(() => true);
    assert.equal(confirms.length, 1);
    assert.match(confirms[0], /Replace your unsaved code with the library plugin invert\?/);
    assert.equal(await page.locator(".cm-content").textContent(), before);
    assert.equal(await page.inputValue("#template"), "");
    confirmAnswer = true;
    await page.selectOption("#template", "invert");
    await page.waitForFunction(
      () => document.querySelector(".cm-content")?.textContent?.includes("255 - "),
      undefined,
      WAIT,
    );
    // Loaded code is not unsaved: the next template replaces it without asking.
    confirms.length = 0;
    await page.selectOption("#template", "sepia");
    await page.waitForFunction(
      () => document.querySelector(".cm-content")?.textContent?.includes("sepia"),
      undefined,
      WAIT,
    );
    assert.deepEqual(confirms, []);
  });

  test("parameters are labelled and shown only for the chain's plugins", WAIT, async () => {
    await page.click("#tab-image");
    confirmAnswer = true;
    await page.selectOption("#template", "invert"); // its source declares no parameters
    await page.click('.thumb[data-image="small.ppm"]');
    await page.click("#chain-clear");
    await page.click('.chip[data-plugin="threshold"]');
    const groups = () =>
      page
        .locator("#params .param-group")
        .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.plugin));
    await page.waitForSelector('#params .param-group[data-plugin="threshold"]', WAIT);
    // The editor's plugin (sepia's source) declares none: only threshold shows.
    assert.deepEqual(await groups(), ["threshold"]);
    const label = page.locator('#params .param-group[data-plugin="threshold"] .param-label');
    assert.match((await label.textContent()) ?? "", /luma at or above which a pixel turns white/);
    // Threshold 0: every pixel is at or above it, so the result is all white.
    await page.fill('#params input[name="threshold"]', "0");
    await page.waitForFunction(
      () => {
        const c = document.querySelector<HTMLCanvasElement>("#result canvas")!;
        if (document.querySelector<HTMLElement>("#result")?.dataset.state !== "ready") return false;
        const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
        return d.length > 0 && d.every((v) => v === 255);
      },
      undefined,
      WAIT,
    );
    await page.click('.chip[data-plugin="blur"]');
    await page.waitForFunction(
      () => document.querySelectorAll("#params .param-group").length === 2,
      undefined,
      WAIT,
    );
    assert.deepEqual(await groups(), ["threshold", "blur"]);
    await page.click("#chain-clear");
    await page.waitForFunction(
      () => document.querySelectorAll("#params .param-group").length === 0,
      undefined,
      WAIT,
    );
  });

  test("the split between editor and output resizes from the keyboard", WAIT, async () => {
    const width = () =>
      page.locator("#source-pane").evaluate((e) => e.getBoundingClientRect().width);
    const before = await width();
    assert.ok(before > 1280 * 0.45, `editor ${before}px wide at 1280`);
    await page.focus("#split-main");
    await page.keyboard.press("Shift+ArrowRight");
    await page.waitForFunction((w) => {
      const e = document.querySelector("#source-pane")!;
      return e.getBoundingClientRect().width > w + 50;
    }, before);
    assert.equal(await page.getAttribute("#split-main", "aria-valuenow"), "65");
    await page.keyboard.press("Enter"); // back to the default
    await page.waitForFunction(
      () => document.querySelector("#split-main")?.getAttribute("aria-valuenow") === "55",
    );
    // No soft wrap: a long line scrolls sideways instead of wrapping.
    const wraps = await page
      .locator(".cm-content")
      .evaluate((e) => e.classList.contains("cm-lineWrapping"));
    assert.equal(wraps, false);
  });

  test("a large image and its result come as WebP, not raw PPM", WAIT, async () => {
    await page.click("#tab-image");
    await page.click('.thumb[data-image="small.ppm"]');
    await page.click("#chain-clear");
    await page.click('.chip[data-plugin="grayscale"]');
    // The chain runs (debounced) on the small image first.
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLElement>("#result")?.dataset.state === "ready" &&
        document.querySelector("#result .view-title")?.textContent === "grayscale",
      undefined,
      WAIT,
    );
    await page.click('.thumb[data-image="large.ppm"]');
    const meta = (sel: string) => page.locator(`${sel} .view-meta`).textContent();
    await page.waitForFunction(
      () =>
        ["#original", "#result"].every(
          (sel) =>
            document.querySelector<HTMLElement>(sel)?.dataset.state === "ready" &&
            document.querySelector(`${sel} .view-meta`)?.textContent?.includes("700"),
        ),
      undefined,
      WAIT,
    );
    assert.match((await meta("#original")) ?? "", /^WebP · 700×500/);
    assert.match((await meta("#result")) ?? "", /^WebP · 700×500/);
    const bytes = Number(await page.getAttribute("#result", "data-bytes"));
    assert.ok(bytes < 700 * 500, `result ${bytes} bytes`);
    const width = await page
      .locator("#result canvas")
      .evaluate((c) => (c as HTMLCanvasElement).width);
    assert.equal(width, 700);
    await page.click('.thumb[data-image="small.ppm"]');
  });

  test("the console shows what a try printed", WAIT, async () => {
    await replaceSource(page, PRINTS);
    await page.click("#try");
    const row = page.locator("#console .row.stdout", { hasText: "hello from the playground 42" });
    await row.first().waitFor(WAIT);
    assert.equal(await row.first().locator(".src").textContent(), "my_filter");
  });

  test("a fault is reported in the console and its line marked in the editor", WAIT, async () => {
    await replaceSource(page, FAULTS);
    await page.click("#try");
    const fault = page.locator("#console .row.fault-row").last();
    await fault.waitFor(WAIT);
    assert.equal(await fault.getAttribute("data-kind"), "out-of-bounds");
    const line = FAULTS.split("\n").findIndex((l) => l.includes("FAULT HERE")) + 1;
    assert.equal(await fault.locator(".loc").first().getAttribute("data-line"), String(line));
    await page.waitForSelector(".cm-content .cm-fault-line", WAIT);
    const marked = await page.evaluate(() => {
      const lines = [...document.querySelectorAll(".cm-content .cm-line")];
      return lines.findIndex((l) => l.classList.contains("cm-fault-line")) + 1;
    });
    assert.equal(marked, line);
    // Hovering the WAT (which marks linked source lines) and switching tabs keep the fault line.
    await page.click("#tab-wat");
    await page.waitForSelector("#wat .wl", WAIT);
    await page.hover("#wat .wl >> nth=3");
    await page.hover(".cm-content .cm-line >> nth=0");
    await page.click("#tab-image");
    assert.equal(await page.locator(".cm-content .cm-fault-line").count(), 1);
  });

  test("without a token the page works in a demo sandbox: Try runs at once", WAIT, async () => {
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const demo = await fresh.newPage();
    demo.on("pageerror", (e) => pageErrors.push(e.message));
    await openPage(demo, h.url);
    await demo.waitForSelector(".who.demo", WAIT);
    await demo.click("#try");
    await demo.waitForFunction(
      () =>
        document.querySelector<HTMLElement>("#result")?.dataset.state === "ready" &&
        document.querySelector("#result .view-title")?.textContent?.startsWith("Try:"),
      undefined,
      WAIT,
    );
    // A real client can still sign in from there.
    await signIn(demo, "alice", token);
    await fresh.close();
  });

  test("at 1280x900 and 390x844: no sideways overflow; screenshots", WAIT, async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The fault test left an error in the result pane: a working try first.
    await replaceSource(page, PRINTS);
    await page.click("#try");
    await page.waitForSelector("#result[data-state=ready]", WAIT);
    await page.screenshot({ path: join(ARTIFACTS, "playground-1280x900.png") });
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    phone.on("pageerror", (e) => pageErrors.push(e.message));
    await openPage(phone, h.url);
    await signIn(phone, "alice", token);
    const overflow = () =>
      phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await phone.waitForSelector("#result[data-state=ready]", WAIT);
    assert.equal(await overflow(), 0);
    await phone.screenshot({ path: join(ARTIFACTS, "playground-390x844.png") });
    await phone.screenshot({ path: join(ARTIFACTS, "playground-390-full.png"), fullPage: true });
    // The WAT's long lines scroll inside their pane, not the page.
    await phone.click("#tab-wat");
    await phone.waitForSelector("#wat .wl", WAIT);
    assert.equal(await overflow(), 0);
    await phone.close();
    assert.deepEqual(pageErrors, []);
  });
});
