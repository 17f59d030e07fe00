// Drives Debian's chromium (headless, through playwright-core) against `policygen serve`, for tests/test_serve.py.
// Usage: node preview.mjs URL PROJECT PDF_OUT. Prints one JSON object of what the page showed at each step.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

const [url, project, pdfOut] = process.argv.slice(2);
const regulation = path.join(project, "policies", "service-regulation.yaml");
const seen = {};
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const page = await browser.newPage();
  await page.goto(url + "regulations/service-regulation.html");
  await page.getByText("本制度适用于公司各部门").first().waitFor({ timeout: 20000 });
  seen.before = await page.locator("main, body").first().innerText();
  seen.pdfLink = await page.locator("#policygen-pdf").getAttribute("href");

  // 1. an edit: the page reloads by itself and shows the new words
  const original = fs.readFileSync(regulation, "utf8");
  fs.writeFileSync(regulation, original.replace("本制度适用于公司各部门", "本制度适用于公司全体员工"));
  await page.getByText("本制度适用于公司全体员工").first().waitFor({ timeout: 20000 });
  seen.afterEdit = await page.locator("body").innerText();

  // 2. a broken edit: the problems show over the page, with file and line
  const edited = fs.readFileSync(regulation, "utf8");
  fs.writeFileSync(regulation, edited.replace("issued_by: general-office", "issued_by: general-ofice"));
  const problems = page.locator("#policygen-problems");
  await problems.waitFor({ timeout: 20000 });
  seen.problems = await problems.innerText();
  seen.problemFiles = await page.locator(".policygen-problem").evaluateAll(
    (nodes) => nodes.map((n) => [n.dataset.code, n.dataset.file, n.dataset.line]));

  // 3. YAML that does not parse at all
  fs.writeFileSync(regulation, edited.replace("chapters:", "chapters: [\n"));
  await page.locator(".policygen-problem[data-code='PG-LOAD-004']").waitFor({ timeout: 20000 });
  seen.syntax = await page.locator("#policygen-problems").innerText();

  // 4. fixed: the problems go, the page is the new version
  fs.writeFileSync(regulation, edited);
  await problems.waitFor({ state: "detached", timeout: 20000 });
  await page.getByText("本制度适用于公司全体员工").first().waitFor({ timeout: 20000 });
  seen.fixed = await page.locator("#policygen-problems").count();

  // 5. the PDF of the document in view, on demand
  const response = await page.request.get(new URL(seen.pdfLink, url).href);
  seen.pdfStatus = response.status();
  seen.pdfType = response.headers()["content-type"];
  fs.writeFileSync(pdfOut, await response.body());

  // 6. from the page, paths that leave the folder fetch nothing
  seen.escapes = await page.evaluate(async () => {
    const out = {};
    for (const p of ["/..%2f..%2fpolicygen.yaml", "/%2e%2e/%2e%2e/policygen.yaml", "/regulations/..%5c..%5cpolicygen.yaml"]) {
      out[p] = (await fetch(p)).status;
    }
    return out;
  });
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
