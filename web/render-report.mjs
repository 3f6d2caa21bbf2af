// Opens a darkfigure report.html in headless Chromium and checks that it works offline: that it
// requests nothing beyond its own file, logs no error, and draws every chart.
//
//   node web/render-report.mjs REPORT.html [--screenshot OUT.png]
//
// The screenshot is the top of the page, 1280 by at most 2000 pixels: the header, the interval
// table and what follows it.
//
// Prints one line and exits 0 when all is well:
//
//   report.html: 23 charts drawn, no console errors, no requests
//
// otherwise prints each failure and exits 1 (2 for a wrong command line). Chromium is
// /usr/bin/chromium, or the program named by $CHROMIUM.

import { existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const kTimeoutMs = 60_000;
const usage = "usage: node web/render-report.mjs REPORT.html [--screenshot OUT.png]";

function parseArguments(args) {
  let report = null;
  let screenshot = null;
  for (let i = 0; i < args.length; ++i) {
    if (args[i] === "--screenshot" && i + 1 < args.length) {
      screenshot = args[++i];
    } else if (!args[i].startsWith("--") && report === null) {
      report = args[i];
    } else {
      return null;
    }
  }
  return report === null ? null : { report, screenshot };
}

const options = parseArguments(process.argv.slice(2));
if (options === null) {
  console.error(usage);
  process.exit(2);
}
if (!existsSync(options.report)) {
  console.error(`${options.report}: no such file`);
  process.exit(1);
}
const executable = process.env.CHROMIUM || "/usr/bin/chromium";
if (!existsSync(executable)) {
  console.error(
    `Chromium is not at ${executable}: install it (apt-get install chromium) or set CHROMIUM ` +
      "to its executable",
  );
  process.exit(1);
}
let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch (error) {
  console.error(
    `playwright-core cannot be loaded (${error.code ?? error.message}): run \`npm ci\` in web/`,
  );
  process.exit(1);
}

// Fragments are not part of a request.
const withoutFragment = (url) => url.split("#")[0];
const reportUrl = pathToFileURL(resolve(options.report)).href;

const failures = [];
const requests = new Set();
const consoleErrors = [];
let charts = [];

let browser;
try {
  browser = await chromium.launch({ executablePath: executable, headless: true });
} catch (error) {
  console.error(`Chromium (${executable}) did not start: ${error.message}`);
  process.exit(1);
}
try {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    offline: true,
    serviceWorkers: "block",
  });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (withoutFragment(url) === reportUrl) return route.continue();
    requests.add(url);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.on("request", (request) => {
    const url = request.url();
    if (withoutFragment(url) !== reportUrl) requests.add(url);
  });
  page.on("websocket", (socket) => requests.add(socket.url()));
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));

  await page.goto(reportUrl, { waitUntil: "load", timeout: kTimeoutMs });
  try {
    await page.waitForFunction(
      () => ["drawn", "failed"].includes(document.body && document.body.dataset.charts),
      null,
      { timeout: kTimeoutMs },
    );
  } catch {
    failures.push(`the charts did not finish drawing within ${kTimeoutMs / 1000} s`);
  }
  const state = await page.evaluate(() => document.body.dataset.charts ?? "unset");
  if (state === "failed") failures.push('the page says its charts "failed"');

  charts = await page.$$eval("div.chart", (elements) =>
    elements.map((element) => {
      const drawing = element.querySelector("svg.marks, canvas.marks");
      const box = drawing ? drawing.getBoundingClientRect() : null;
      return {
        name: element.dataset.name || element.id || "(unnamed)",
        drawn: box !== null && box.width > 0 && box.height > 0,
      };
    }),
  );
  for (const chart of charts) {
    if (!chart.drawn) failures.push(`chart ${chart.name}: no <svg> or <canvas> of non-zero size`);
  }
  if (options.screenshot) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({
      path: options.screenshot,
      fullPage: true,
      clip: { x: 0, y: 0, width: 1280, height: Math.min(height, 2000) },
    });
  }
} catch (error) {
  failures.push(error.message);
} finally {
  await browser.close();
}

for (const url of requests) failures.push(`requested ${url}`);
for (const text of consoleErrors) failures.push(`console error: ${text}`);

const name = basename(options.report);
if (failures.length > 0) {
  for (const failure of failures) console.error(`${name}: ${failure}`);
  process.exit(1);
}
const drawn = charts.length === 1 ? "1 chart drawn" : `${charts.length} charts drawn`;
console.log(`${name}: ${drawn}, no console errors, no requests`);
