// Steps the playground page tests share: open the page, sign in, read a canvas, find a line.

import type { Page } from "playwright-core";

const WAIT = { timeout: 30_000 };

export async function openPage(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.waitForSelector("body[data-ready=true]", WAIT);
}

/** Signs in through the dialog as a real client (id and token). */
export async function signIn(page: Page, id: string, token: string): Promise<void> {
  await page.click("#signin-open");
  await page.fill("#signin-id", id);
  await page.fill("#signin-token", token);
  await page.click("#signin-submit");
  await page.waitForSelector(".who:not(.demo)", WAIT);
}

/** RGB(A) of every pixel of a figure's canvas. */
export async function canvasPixels(page: Page, figure: string) {
  return page.evaluate((sel) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`${sel} canvas`)!;
    const ctx = canvas.getContext("2d")!;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    return { width: canvas.width, height: canvas.height, rgba: Array.from(data) };
  }, figure);
}

/** The editor's text as its lines show it. */
export async function editorText(page: Page): Promise<string> {
  return page.evaluate(() =>
    [...document.querySelectorAll(".cm-content .cm-line")].map((l) => l.textContent).join("\n"),
  );
}

/** 1-based number of the first editor line matching `pattern` (0: none). */
export async function editorLine(page: Page, pattern: RegExp): Promise<number> {
  const lines = (await editorText(page)).split("\n");
  return lines.findIndex((l) => pattern.test(l)) + 1;
}
