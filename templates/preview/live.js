// policygen serve: reload the page when a rebuild rewrote it, show the project's problems over it, link the PDF.
// Served at /_policygen/live.js and added to every page of the preview (never to the pages `policygen build` writes).
(function () {
  "use strict";
  var generation = null;
  var match = location.pathname.match(/^\/(regulations|forms)\/([a-z0-9-]+)\.html$/);

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (k) { node.setAttribute(k, attributes[k]); });
    if (text) node.textContent = text;
    return node;
  }

  var bar = element("div", {id: "policygen-preview-bar", style:
    "position:fixed;right:12px;bottom:12px;z-index:2147483647;font:13px/1.4 system-ui,sans-serif;" +
    "background:#1f2937;color:#fff;padding:6px 10px;border-radius:6px;box-shadow:0 2px 8px rgba(0,0,0,.3)"});
  bar.appendChild(element("span", {id: "policygen-preview-state"}, "policygen preview"));
  if (match) {
    bar.appendChild(document.createTextNode(" · "));
    bar.appendChild(element("a", {id: "policygen-pdf", href: "/" + match[1] + "/" + match[2] + ".pdf",
                                  target: "_blank", style: "color:#93c5fd"}, "PDF"));
  }
  bar.appendChild(document.createTextNode(" · "));
  bar.appendChild(element("a", {href: "/", style: "color:#93c5fd"}, "index"));
  document.body.appendChild(bar);

  function showProblems(problems) {
    var old = document.getElementById("policygen-problems");
    if (old) old.remove();
    var errors = problems.filter(function (p) { return p.severity === "error"; });
    if (!errors.length) return;
    var box = element("div", {id: "policygen-problems", role: "alert", style:
      "position:fixed;inset:0;z-index:2147483646;overflow:auto;background:rgba(255,255,255,.97);" +
      "padding:24px;font:14px/1.5 system-ui,sans-serif;color:#111"});
    box.appendChild(element("h2", {style: "color:#b91c1c;margin-top:0"},
      errors.length + (errors.length === 1 ? " problem" : " problems") + " in the documents: the page shows the last version that built"));
    errors.forEach(function (p) {
      var item = element("div", {"class": "policygen-problem", "data-code": p.code, "data-file": p.file || "",
                                 "data-line": p.line || ""});
      item.appendChild(element("pre", {style: "background:#fef2f2;border-left:4px solid #b91c1c;padding:8px 12px;" +
                                              "white-space:pre-wrap;font:13px/1.45 ui-monospace,monospace"}, p.text));
      box.appendChild(item);
    });
    document.body.appendChild(box);
  }

  var page = location.pathname.replace(/^\//, "") || "index.html";
  var written = null;  // the generation that wrote the page shown

  function poll() {
    fetch("/_policygen/status?since=" + (generation === null ? -1 : generation) + "&page=" + encodeURIComponent(page),
          {cache: "no-store"})
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (written === null) written = status.page_generation;
        if (status.ok && status.page_generation > written) {  // this page was rebuilt: show the new one
          location.reload();
          return;
        }
        generation = status.generation;
        showProblems(status.problems);
        document.getElementById("policygen-preview-state").textContent =
          status.ok ? "policygen preview" : "policygen preview: errors";
        poll();
      })
      .catch(function () {
        document.getElementById("policygen-preview-state").textContent = "policygen preview: server stopped";
        setTimeout(poll, 1000);
      });
  }
  poll();
})();
