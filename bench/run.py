#!/usr/bin/env python3
"""policygen benchmark: every figure of issue 8 as a ratio to a baseline measured in the same run.

    python bench/run.py              # from the repository root, with policygen installed in the active venv
    python bench/run.py --only 1,5   # some figures only
    python bench/run.py --keep       # keep the temporary folder (generated projects, PDFs) and print it

It reports and never judges by its exit code: a MISS exits 0; only a crash exits 1. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

CORPUS_REGULATION = "customer-service"
CHANGED_FORM = "policies/forms/sales-discount-certificate.yaml"
MB = 1024 * 1024

VERDICTS: list[tuple[str, str, str]] = []  # (figure, what, PASS | MISS | SKIP | ERROR)


# --- printing ------------------------------------------------------------------------------------------------

def say(text: str = "") -> None:
    print(text, flush=True)


def secs(t: float | None) -> str:
    if t is None:
        return "-"
    return f"{t:8.3f} s" if t < 10 else f"{t:8.2f} s"


def line(label: str, seconds: float | None, ratio: str = "", target: str = "", verdict: str = "") -> None:
    say(f"   {label:<66}{secs(seconds):>11}   {ratio:<16}{target:<16}{verdict}".rstrip())


def judge(figure: str, what: str, ok: bool) -> str:
    verdict = "PASS" if ok else "MISS"
    VERDICTS.append((figure, what, verdict))
    return verdict


def skip(figure: str, what: str, why: str) -> None:
    VERDICTS.append((figure, what, "SKIP"))
    say(f"   SKIPPED: {why}")


# --- children: builds and renders in fresh processes ---------------------------------------------------------

# Runs a command and reports the peak resident memory of its process tree (RUSAGE_CHILDREN of this wrapper,
# which has no other child).
_MEMORY_WRAPPER = ("import json, resource, subprocess, sys\n"
                   "code = subprocess.call(sys.argv[1:])\n"
                   "print(json.dumps({'maxrss_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n"
                   "sys.exit(code)\n")


def child(*args: str, memory: bool = False) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    if memory:
        command = [sys.executable, "-c", _MEMORY_WRAPPER, *command]
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"child {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    report: dict = {"wall": wall}
    for text in proc.stdout.splitlines():
        if text.startswith("{"):
            report.update(json.loads(text))
    return report


def child_main(argv: list[str]) -> None:
    mode = argv[0]
    if mode == "build":  # build DIR JOBS PREIMPORT
        root, jobs, preimport = Path(argv[1]), int(argv[2]), argv[3] == "1"
        from policygen import build_project

        if preimport:  # the naive baseline is timed with everything imported: so is this build
            import importlib

            import weasyprint  # noqa: F401

            from policygen.render import dispatch

            for _, module, _ in dispatch.WRITERS:
                importlib.import_module(module)
        start = time.perf_counter()
        result = build_project(root, jobs=jobs)
        seconds = time.perf_counter() - start
        errors = [f"{d.code} {d.file}: {d.message}" for d in result.diagnostics.errors]
        import resource

        # the render workers are this process's children, waited for when the pool closes
        workers_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(json.dumps({"seconds": seconds, "written": result.written, "kept": result.kept,
                          "up_to_date": result.up_to_date, "errors": errors, "worker_maxrss_kb": workers_kb}))
    elif mode == "render":  # render DIR OUT WARMUP_ID ID RUNS: one regulation's PDF after a warm-up, best of RUNS
        root, out, warmup, reg_id, runs = Path(argv[1]), Path(argv[2]), argv[3], argv[4], int(argv[5])
        from policygen import load_project
        from policygen.render.pdf import write_regulations

        project = load_project(root).project
        write_regulations(project, out / "warmup", ids={warmup})
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            [path] = write_regulations(project, out, ids={reg_id})
            times.append(time.perf_counter() - start)
        print(json.dumps({"seconds": min(times), "times": times, "pages": page_count(path)}))
    else:
        raise SystemExit(f"unknown child mode {mode}")


def page_count(path: Path) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(str(path)).pages)


# --- the machine ---------------------------------------------------------------------------------------------

def cpu_busy_elsewhere(seconds: float = 2.0) -> float:
    """Share of all CPUs used by other processes over `seconds` while this process sleeps (Linux)."""
    def sample():
        with open("/proc/stat", encoding="ascii") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        return sum(values), values[3] + values[4]  # total, idle + iowait

    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except OSError:
        return float("nan")
    return 1 - (idle1 - idle0) / max(1, total1 - total0)


def machine_state(when: str) -> bool:
    load = os.getloadavg()
    busy = cpu_busy_elsewhere()
    is_busy = busy > 0.25
    say(f"   {when}: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"other processes used {busy:.0%} of the CPUs over the last 2 s"
        + (" -> the machine is BUSY: the figures below are pessimistic" if is_busy else " (idle)"))
    return is_busy


# --- figures -------------------------------------------------------------------------------------------------

def cache_folder() -> Path:
    """policygen's cache (rendered documents in renders/, font subsets in fonts/): the bench's own, see main()."""
    from policygen.cache import cache_dir

    return cache_dir()


def empty(folder: Path) -> None:
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()


def cold_cache() -> None:
    """Empty policygen's cache, so the next build renders everything and cuts every font subset again."""
    empty(cache_folder())


def figure_1(repo: Path, tmp: Path) -> None:
    say("1. PDF stage of the whole corpus vs the naive way (WeasyPrint write_pdf, full Debian fonts, no cache)")
    import gen

    root = gen.copy_project(repo, tmp / "pdf-corpus", outputs=["pdf"])
    say(f"   policygen's cache: {cache_folder()} (the bench's own)")
    cold_cache()
    cold = child("build", str(root), "1", "1")
    _check_build(cold)
    shutil.rmtree(root / gen.project_paths(root)["output"])
    shutil.rmtree(cache_folder() / "renders")
    warm = child("build", str(root), "1", "1")
    _check_build(warm)
    shutil.rmtree(root / gen.project_paths(root)["output"])
    cached = child("build", str(root), "1", "1")
    _check_build(cached)
    pdfs = len([p for p in warm["written"] if p.endswith(".pdf")])

    import fullfonts

    found, missing = fullfonts.locate()
    if missing:
        line("policygen cold build (fresh process, output and cache empty)", cold["seconds"])
        line("policygen warm build (output deleted, font subsets kept)", warm["seconds"])
        skip("1", "PDF stage vs naive", f"the full Debian fonts are missing ({', '.join(missing)}); install them with\n"
             f"      apt-get install fonts-noto-cjk texlive-lang-chinese fonts-lxgw-wenkai  (and fonts-dejavu-core)")
        return
    start = time.perf_counter()
    files = fullfonts.full_files(tmp / "full-fonts")
    extract = time.perf_counter() - start

    from weasyprint import HTML

    from policygen import load_project
    from policygen.render import form_pdf, pdf
    from policygen.render.html import environment

    project = load_project(root).project
    env = environment(project)
    jobs = []  # (name, markup, fillable)
    for reg_id in sorted(project.regulations):
        jobs.append((f"{reg_id}.pdf", pdf.regulation_html(env, project, project.regulations[reg_id]), False))
    for form_id in sorted(project.forms):
        form = project.forms[form_id]
        for n, copy in enumerate(form.copies or [None], start=1):
            jobs.append((f"{form_id}.copy{n}.pdf", form_pdf.form_html(env, project, form, copy), False))
        jobs.append((f"{form_id}.fillable.pdf", form_pdf.form_html(env, project, form, None, fillable=True), True))
    unmapped: set[str] = set()
    jobs = [(name, fullfonts.point_at(markup, files, unmapped), fillable) for name, markup, fillable in jobs]
    out = tmp / "naive"
    out.mkdir()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from weasyprint.pdf import fonts as weasyprint_fonts

    if getattr(weasyprint_fonts.Font.subset, "policygen", False):  # policygen's speedups are for policygen's time
        raise RuntimeError("the naive baseline must run WeasyPrint as shipped, but policygen's speedups are installed")
    start = time.perf_counter()
    for name, markup, fillable in jobs:
        HTML(string=markup, base_url=str(root)).write_pdf(out / name, **({"pdf_forms": True} if fillable else {}))
    naive = time.perf_counter() - start
    size_naive = sum(p.stat().st_size for p in out.iterdir())
    size_pg = sum(p.stat().st_size for p in (root / gen.project_paths(root)["output"]).rglob("*.pdf"))

    say(f"   corpus: {len(project.regulations)} regulations, {len(project.forms)} forms; naive: {len(jobs)} write_pdf"
        f" calls (each regulation, each form copy, each fillable form); policygen: {pdfs} PDF files")
    say(f"   full fonts: {', '.join(sorted({str(p) for p, _ in found.values()}))}")
    say(f"   (faces of .ttc collections extracted once to standalone files before timing, {extract:.1f} s)")
    if unmapped:
        say(f"   WARNING: @font-face families not mapped to a full font (left as they were): {', '.join(sorted(unmapped))}")
    line("naive: write_pdf of the same HTML, full fonts, no cache", naive, "baseline")
    line("policygen cold build (fresh process, output and cache empty)", cold["seconds"],
         f"{naive / cold['seconds']:.2f}x faster", "target >= 3x", judge("1", "cold >= 3x", naive / cold["seconds"] >= 3))
    line("policygen warm build (output and rendered documents deleted,", warm["seconds"],
         f"{naive / warm['seconds']:.2f}x faster", "target >= 10x", judge("1", "warm >= 10x", naive / warm["seconds"] >= 10))
    say("   font subsets kept: every PDF laid out and written again)")
    line("policygen warm build, whole cache kept (output deleted)", cached["seconds"],
         f"{naive / cached['seconds']:.2f}x faster", "(not judged: no PDF is laid out)")
    say(f"   PDF bytes: naive {size_naive / MB:.1f} MB, policygen {size_pg / MB:.1f} MB; policygen times are"
        f" build_project() inside the child, renderers imported (process wall times: cold {cold['wall']:.1f} s,"
        f" warm {warm['wall']:.1f} s, whole cache {cached['wall']:.1f} s)")


def _check_build(report: dict) -> None:
    if report["errors"]:
        raise RuntimeError("the build failed: " + "; ".join(report["errors"][:5]))


def figure_2(repo: Path, tmp: Path) -> None:
    say(f"2. One regulation ({CORPUS_REGULATION}) vs Typst compiling the same text with the same fonts and page")
    try:
        import typst
    except ImportError:
        skip("2", "one regulation vs Typst", "the PyPI package typst is not installed: pip install typst")
        return
    import typst_source

    from policygen import load_project
    from policygen.fonts import FONTS_DIR
    from policygen.render.pdf import write_regulations

    project = load_project(repo).project
    source = typst_source.regulation_source(project, CORPUS_REGULATION).encode("utf-8")
    (tmp / "typst").mkdir()
    (tmp / "typst" / f"{CORPUS_REGULATION}.typ").write_bytes(source)
    typst_pdf = tmp / "typst" / f"{CORPUS_REGULATION}.pdf"

    def compile_typst():
        typst.compile(source, output=str(typst_pdf), font_paths=[str(FONTS_DIR)], ignore_system_fonts=True)

    out = tmp / "one-regulation"

    def render_policygen():
        return write_regulations(project, out, ids={CORPUS_REGULATION})

    first_typst = _timed(compile_typst)
    first_pg = _timed(render_policygen)
    t_typst = min(_timed(compile_typst) for _ in range(3))
    t_pg = min(_timed(render_policygen) for _ in range(3))
    pages_pg = page_count(out / "regulations" / f"{CORPUS_REGULATION}.pdf")
    pages_typst = page_count(typst_pdf)
    say(f"   pages: policygen {pages_pg} (body and the attached form's grid), Typst {pages_typst} (body, the"
        f" attachment heading without the form's grid); warm-up runs: policygen {first_pg:.3f} s, Typst {first_typst:.3f} s")
    line("Typst: typst.compile of the bench's source, best of 3", t_typst, "baseline")
    ratio = t_pg / t_typst
    line("policygen: write_regulations(ids={...}), best of 3", t_pg, f"{ratio:.1f}x Typst",
         "target <= 2.5x", judge("2", "within 2.5x of Typst", ratio <= 2.5))
    say(f"   (aim: 1.5x, {'met' if ratio <= 1.5 else 'not met'}; Typst source kept in the temp folder as typst/{CORPUS_REGULATION}.typ)")
    say("   where policygen's time goes (best of 3 each): " + ", ".join(
        f"{what} {seconds:.3f} s" for what, seconds in _regulation_stages(project, out / "stages")))


def _regulation_stages(project, out: Path) -> list[tuple[str, float]]:
    """The stages of one regulation's PDF, timed apart: markup (Jinja), layout (WeasyPrint, with the font
    subsets), writing the PDF (WeasyPrint, fonts cut to the glyphs drawn)."""
    from policygen.render import pdf
    from policygen.render.html import environment

    reg = project.regulations[CORPUS_REGULATION]
    env = environment(project)
    markup = pdf.regulation_html(env, project, reg)
    document = pdf.render(project, markup, reg.language)
    return [("markup", min(_timed(lambda: pdf.regulation_html(env, project, reg)) for _ in range(3))),
            ("layout", min(_timed(lambda: pdf.render(project, markup, reg.language)) for _ in range(3))),
            ("writing", min(_timed(lambda: pdf.write_pdf(document, out / "stage.pdf")) for _ in range(3)))]


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def figure_3(repo: Path, tmp: Path) -> None:
    say("3. Validation of a generated project of ~1,000 documents vs only parsing its files with PyYAML's C loader")
    import gen
    import yaml

    from policygen import load_project

    if not hasattr(yaml, "CSafeLoader"):
        skip("3", "validation vs parsing", "PyYAML has no C loader (libyaml) here")
        return
    root, count = gen.many_documents(repo, tmp / "many")
    files = sorted((root / "policies").rglob("*.yaml"))

    def parse():
        for path in files:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    t_parse = min(_timed(parse) for _ in range(3))
    times, results = [], []
    for _ in range(2):
        start = time.perf_counter()
        results.append(load_project(root))
        times.append(time.perf_counter() - start)
    diags = results[-1].diagnostics
    errors = len(diags.errors)
    say(f"   {count} documents ({len(files)} files, {sum(p.stat().st_size for p in files) / MB:.1f} MB): the corpus's"
        f" organization and {count - 1} renamed copies of its other documents; load_project found"
        f" {errors} errors, {len(diags.items) - errors} warnings")
    if errors:
        say(f"   WARNING: the generated project is not valid: {diags.errors[0].code} {diags.errors[0].message}")
    line("yaml.load(Loader=CSafeLoader) of every file, best of 3", t_parse, "baseline")
    ratio = min(times) / t_parse
    line("policygen.load_project (parse, schemas, model, checks), best of 2", min(times), f"{ratio:.1f}x parsing",
         "target <= 3x", judge("3", "validation within 3x of parsing", ratio <= 3))
    say(f"   (first load_project in this process: {times[0]:.2f} s)")


def figure_4(repo: Path, tmp: Path) -> None:
    say("4. Scale: a generated regulation of 1,000 articles vs 100 articles (PDF only, ten articles to a chapter)")
    import gen

    from policygen import load_project

    corpus = load_project(repo).project
    paragraph = gen.plain_paragraph(corpus)
    root = gen.long_regulations(repo, tmp / "long", {"warmup": 1, "articles-100": 100, "articles-1000": 1000}, paragraph)
    small = child("render", str(root), str(tmp / "long-out-100"), "warmup", "articles-100", "3", memory=True)
    large = child("render", str(root), str(tmp / "long-out-1000"), "warmup", "articles-1000", "3", memory=True)
    say(f"   every article: the same {len(paragraph)}-character paragraph; pages: {small['pages']} and {large['pages']};"
        " each size in a fresh process, after rendering a one-article regulation there, best of 3 renders (all: "
        + "; ".join(", ".join(f"{t:.2f}" for t in r["times"]) for r in (small, large)) + " s)")
    line("100 articles: write_regulations(ids={...})", small["seconds"], "baseline")
    ratio = large["seconds"] / small["seconds"]
    line("1,000 articles", large["seconds"], f"{ratio:.1f}x", "target <= 12x", judge("4", "10x articles <= 12x time", ratio <= 12))
    peak = large["maxrss_kb"] * 1024
    say(f"   {'peak memory of the 1,000-article process (ru_maxrss)':<66}{peak / MB:8.0f} MB   "
        f"{'':<16}{'target < 1 GB':<16}{judge('4', 'peak memory < 1 GB', peak < 1024 * MB)}")
    say(f"   (peak memory of the 100-article process: {small['maxrss_kb'] / 1024:.0f} MB)")


def figures_5_6(repo: Path, tmp: Path, run5: bool, run6: bool) -> None:
    import gen

    root = gen.copy_project(repo, tmp / "corpus")
    output = root / gen.project_paths(root)["output"]
    full = None
    if run5:
        say("5. No-op rebuild of the unchanged corpus vs the full build (cache empty); then one form changed")
        cold_cache()
        full = child("build", str(root), "1", "0")
        _check_build(full)
        noop = child("build", str(root), "1", "0")
        _check_build(noop)
        line("full build, -j 1 (all outputs, empty output folder)", full["seconds"], "baseline")
        ratio = noop["seconds"] / full["seconds"]
        line("no-op rebuild" + (" (up to date: output left alone)" if noop["up_to_date"] else " (NOT reported up to date)"),
             noop["seconds"], f"{ratio:.1%} of full", "target < 5%", judge("5", "no-op < 5% of full", ratio < 0.05))
        say(f"   (times are build_project() in a fresh process each; process wall time of the no-op rebuild, Python"
            f" start and imports included: {noop['wall']:.2f} s)")
        form = root / CHANGED_FORM
        original = form.read_text(encoding="utf-8")
        changed, n = re.subn(r"(?m)^title: (.*)$", lambda m: f"title: {m.group(1)}（修订）", original, count=1)
        if not n:
            raise RuntimeError(f"{CHANGED_FORM} has no top-level title line")
        form.write_text(changed, encoding="utf-8")
        after = child("build", str(root), "1", "0")
        _check_build(after)
        form.write_text(original, encoding="utf-8")
        line(f"rebuild after changing the title of {Path(CHANGED_FORM).name}", after["seconds"],
             f"{after['seconds'] / full['seconds']:.1%} of full")
        say(f"   rebuilt {len(after['written'])} files, kept {len(after['kept'])} from the previous build:")
        for path in after["written"]:
            say(f"      {path}")
        say()
    if run6:
        say("6. -j 2 vs -j 1: full build of the corpus, all outputs, fresh output folder and empty cache each time")
        busy = machine_state("before measuring")
        shutil.rmtree(output, ignore_errors=True)
        cold_cache()
        parallel = child("build", str(root), "2", "0")
        _check_build(parallel)
        shutil.rmtree(output)
        cold_cache()
        serial = child("build", str(root), "1", "0")
        _check_build(serial)
        runs = [serial["seconds"]] + ([full["seconds"]] if full else [])
        t1 = min(runs)
        say(f"   {len(serial['written'])} output files; times are build_project() in a fresh process each")
        line(f"-j 1{', best of 2' if len(runs) > 1 else ''}", t1, "baseline")
        ratio = t1 / parallel["seconds"]
        line("-j 2", parallel["seconds"], f"{ratio:.2f}x faster", "target >= 1.6x", judge("6", "-j 2 >= 1.6x", ratio >= 1.6))
        if busy:
            say("   the machine was busy: -j 2 competed with other processes for the second core")


def figure_7(repo: Path, tmp: Path) -> None:
    import gen

    say("7. Memory per render worker: a generated project of ~1,000 documents vs one of ~100, -j 2, PDF only,")
    say("   empty cache; peak resident memory of the largest worker (RUSAGE_CHILDREN of the build process)")
    peaks = {}
    for target in (100, 1000):
        root, count = gen.many_documents(repo, tmp / f"many-{target}", target)
        cold_cache()
        report = child("build", str(root), "2", "0")
        _check_build(report)
        peaks[target] = report["worker_maxrss_kb"] / 1024
        say(f"   {count} documents: {report['seconds']:.0f} s, {len(report['written'])} files, "
            f"largest worker {peaks[target]:.0f} MB")
        shutil.rmtree(root, ignore_errors=True)
    ratio = peaks[1000] / peaks[100]
    line("1,000 vs 100 documents, peak worker memory", None, f"{ratio:.2f}x", "target <= 1.2x",
         judge("7", "worker memory 1,000 vs 100 <= 1.2x", ratio <= 1.2))
    say()


def figure_8(repo: Path, tmp: Path) -> None:
    """Edit-to-preview speed: `policygen serve` on a copy of the corpus, one article of the corpus regulation edited
    and saved; the time until the refreshed HTML page is served, and until its refreshed PDF is, vs one PDF render of
    that regulation (in this process after a warm-up, one after each edit; best of 5)."""
    import urllib.request

    from policygen import load_project
    from policygen.render import pdf

    say(f"8. Edit-to-preview: policygen serve, one article of {CORPUS_REGULATION} changed and saved, vs one PDF render")
    root = tmp / "preview"
    root.mkdir()
    shutil.copytree(repo / "policies", root / "policies")
    shutil.copy(repo / "policygen.yaml", root / "policygen.yaml")
    project = load_project(root).project
    pdf.write_regulations(project, tmp / "preview-render", {CORPUS_REGULATION})  # warm-up: fonts, subsets
    renders = []  # one after each edit, while the server is idle: both sides see the same state of the machine

    def render_once() -> None:
        renders.append(_timed(lambda: pdf.write_regulations(project, tmp / "preview-render", {CORPUS_REGULATION})))
    server = subprocess.Popen([sys.executable, "-m", "policygen", "serve", "--port", "0"], cwd=root,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = re.search(r"preview at (\S+) ", server.stderr.readline())[1]
        threading_drain(server.stderr)

        def get(path: str) -> bytes:
            with urllib.request.urlopen(url + path.lstrip("/"), timeout=120) as response:
                return response.read()

        page = f"regulations/{CORPUS_REGULATION}.html"
        generation = json.loads(get("/_policygen/status?since=-1"))["generation"]
        get(f"regulations/{CORPUS_REGULATION}.pdf")  # the server's warm-up, as after an author's first look
        source = root / "policies" / f"{CORPUS_REGULATION}.yaml"
        text = source.read_text(encoding="utf-8")
        anchor = "特制定本制度。"
        html_times, pdf_times = [], []
        for n in range(5):
            marker = f"（第{n + 1}次修改）"
            source.write_text(text.replace(anchor, anchor + marker, 1), encoding="utf-8")
            saved = time.perf_counter()
            while True:  # the page the browser reloads once the status says a new generation is there
                status = json.loads(get(f"/_policygen/status?since={generation}"))
                if status["generation"] > generation:
                    generation = status["generation"]
                    if marker in get(page).decode("utf-8"):
                        break
            html_times.append(time.perf_counter() - saved)
            body = get(f"regulations/{CORPUS_REGULATION}.pdf")
            pdf_times.append(time.perf_counter() - saved)
            if not body.startswith(b"%PDF"):
                raise RuntimeError("the preview did not serve a PDF")
            render_once()
    finally:
        server.terminate()
        server.wait(30)
    say(f"   every time: save the file, wait for the page with the new words, then ask for the PDF (5 edits; renders "
        f"{', '.join(f'{r:.2f}' for r in renders)} s; HTML {', '.join(f'{t:.3f}' for t in html_times)} s; "
        f"PDF {', '.join(f'{t:.2f}' for t in pdf_times)} s)")
    render = min(renders)
    line("one PDF render of the regulation: write_regulations, best of 5", render, "baseline")
    ratio = min(html_times) / render
    line("save -> refreshed HTML page (watchfiles, rebuild, served), best of 5", min(html_times),
         f"{ratio:.3f}x render", "target < 0.1x", judge("8", "edit to HTML page < 0.1x render", ratio < 0.1))
    ratio = min(pdf_times) / render
    line("save -> refreshed PDF served, best of 5", min(pdf_times), f"{ratio:.2f}x render", "target <= 1.2x",
         judge("8", "edit to PDF <= 1.2x render", ratio <= 1.2))


def threading_drain(stream) -> None:
    """Read a child's stream in the background so that it never blocks on a full pipe."""
    import threading

    threading.Thread(target=lambda: [None for _ in stream], daemon=True).start()


# --- main ----------------------------------------------------------------------------------------------------

def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="1,2,3,4,5,6,7,8", help="comma-separated figures to run (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    wanted = {s.strip() for s in args.only.split(",")}

    import policygen

    repo = Path.cwd()
    if not (repo / "policygen.yaml").is_file():
        repo = BENCH.parent
    versions = [f"policygen {policygen.__version__}", f"Python {platform.python_version()}"]
    for name in ("weasyprint", "typst"):
        try:
            module = __import__(name)
            versions.append(f"{name} {getattr(module, '__version__', '?')}")
        except ImportError:
            versions.append(f"{name} not installed")
    say(f"policygen bench: {', '.join(versions)}; corpus {repo}")
    busy = machine_state("machine")
    tmp = Path(tempfile.mkdtemp(prefix="policygen-bench-"))
    os.environ["POLICYGEN_CACHE_DIR"] = str(tmp / "cache")  # the bench's own cache, inherited by the children
    say(f"   temp folder: {tmp}" + ("" if args.keep else " (removed at the end; --keep keeps it)"))
    say()
    started = time.perf_counter()
    crashed = False
    figures = [("1", figure_1), ("2", figure_2), ("3", figure_3), ("4", figure_4)]
    try:
        for number, fn in figures:
            if number in wanted:
                crashed |= _run(number, lambda fn=fn: fn(repo, tmp))
        if wanted & {"5", "6"}:
            crashed |= _run("5/6", lambda: figures_5_6(repo, tmp, "5" in wanted, "6" in wanted))
        if "7" in wanted:
            crashed |= _run("7", lambda: figure_7(repo, tmp))
        if "8" in wanted:
            crashed |= _run("8", lambda: figure_8(repo, tmp))
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    total = time.perf_counter() - started
    say("Summary")
    for figure, what, verdict in VERDICTS:
        say(f"   {figure:>3}  {what:<40}{verdict}")
    counts = {v: sum(1 for *_, x in VERDICTS if x == v) for v in ("PASS", "MISS", "SKIP", "ERROR")}
    say(f"   {counts['PASS']} PASS, {counts['MISS']} MISS, {counts['SKIP']} SKIP, {counts['ERROR']} ERROR"
        f" in {total:.0f} s" + ("; the machine was busy when the bench started" if busy else ""))
    return 1 if crashed else 0


def _run(figure: str, fn) -> bool:
    try:
        fn()
        return False
    except Exception:  # noqa: BLE001 (report it and go on with the other figures; the process then exits 1)
        say(f"   ERROR in figure {figure}:")
        say("   " + traceback.format_exc().replace("\n", "\n   "))
        VERDICTS.append((figure, "crashed", "ERROR"))
        return True
    finally:
        say()


if __name__ == "__main__":
    sys.exit(main())
