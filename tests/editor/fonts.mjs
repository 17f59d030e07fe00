// Which fonts Chromium draws each page's text with, for tests/test_html_fonts.py.
// Usage: node fonts.mjs URL... Prints one JSON object: {url: [[familyName, isCustomFont, glyphCount, text], ...]}
// for every element that has text of its own (CSS.getPlatformFontsForNode, the fonts DevTools lists as "Rendered
// Fonts": a custom font is one the page loaded with @font-face, a platform font one of the machine's).
import { chromium } from "playwright-core";

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const seen = {};
try {
  for (const url of process.argv.slice(2)) {
    const page = await browser.newPage();
    await page.goto(url);
    await page.evaluate(() => document.fonts.ready);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("DOM.enable");
    await cdp.send("CSS.enable");
    const { root } = await cdp.send("DOM.getDocument", { depth: -1, pierce: true });
    const withText = [];
    const walk = (node) => {
      const own = (node.children || []).filter((c) => c.nodeType === 3).map((c) => c.nodeValue).join("");
      if (node.nodeType === 1 && own.trim() && !["SCRIPT", "STYLE", "TITLE"].includes(node.nodeName)) {
        withText.push([node.nodeId, own.trim().slice(0, 40)]);
      }
      (node.children || []).forEach(walk);
    };
    walk(root);
    const fonts = [];
    for (const [nodeId, text] of withText) {
      const { fonts: used } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
      for (const f of used) fonts.push([f.familyName, f.isCustomFont, f.glyphCount, text]);
    }
    seen[url] = fonts;
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
