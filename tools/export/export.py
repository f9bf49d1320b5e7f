"""Export the lessons and the tour as self-contained HTML pages and reveal.js slides that work offline.

::

    python tools/export/export.py                      # every lesson and the tour into site/
    python tools/export/export.py --out /tmp/x 05      # only lesson 05 (names, numbers or paths)

``make export`` runs this after ``scripts/setup_export.sh`` (which installs the pinned npm packages into
``node_modules/``). For every notebook: execute it in a fresh kernel (which stores the widgets' state in
the notebook, so the steppers step without a kernel: their controls are ``jslink``-ed in the browser),
then write ``NN_name.html`` (the whole lesson, JupyterLab's look) and ``NN_name.slides.html`` (reveal.js,
from our templates in ``tools/export/templates/``). Next to them go local copies of everything the pages
load (``lib/``: require.js, jQuery, MathJax 2, reveal.js; ``@jupyter-widgets/``: the widget HTML manager
and its Font Awesome files, where it looks for them: relative to the page), and an ``index.html``
linking every lesson. The folder opens from ``file://`` with no network and can be zipped and handed out.

The Chinese edition (``notebooks/zh/``) goes into ``zh/`` beside them, with the same file names, loading
the same ``lib/`` from one folder up; ``index.html`` lists both (``make export LESSONS="zh/05"`` exports
one Chinese lesson).
"""

import argparse
import html
import json
import shutil
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter, SlidesExporter

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
NODE_MODULES = REPO / "node_modules"
TEMPLATES = Path(__file__).resolve().parent / "templates"

LIB = "lib"
MATHJAX_CONFIG = "TeX-AMS_CHTML-full,Safe"
WIDGET_RENDERER = "@jupyter-widgets/html-manager/dist/embed-amd.js"
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")

#: What is copied from node_modules/ (source → destination inside the site folder).
ASSETS = [
    ("requirejs/require.js", f"{LIB}/require.js"),
    ("jquery/dist/jquery.min.js", f"{LIB}/jquery.min.js"),
    ("reveal.js/dist", f"{LIB}/reveal.js/dist"),
    ("reveal.js/plugin/notes", f"{LIB}/reveal.js/plugin/notes"),
    ("reveal.js/LICENSE", f"{LIB}/reveal.js/LICENSE"),
    ("mathjax/MathJax.js", f"{LIB}/mathjax/MathJax.js"),
    ("mathjax/LICENSE", f"{LIB}/mathjax/LICENSE"),
    ("mathjax/config/TeX-AMS_CHTML-full.js", f"{LIB}/mathjax/config/TeX-AMS_CHTML-full.js"),
    ("mathjax/config/Safe.js", f"{LIB}/mathjax/config/Safe.js"),
    ("mathjax/extensions", f"{LIB}/mathjax/extensions"),
    ("mathjax/jax/input/TeX", f"{LIB}/mathjax/jax/input/TeX"),
    ("mathjax/jax/element", f"{LIB}/mathjax/jax/element"),
    ("mathjax/jax/output/CommonHTML", f"{LIB}/mathjax/jax/output/CommonHTML"),
    ("mathjax/fonts/HTML-CSS/TeX/woff", f"{LIB}/mathjax/fonts/HTML-CSS/TeX/woff"),
    ("mathjax/fonts/HTML-CSS/TeX/otf", f"{LIB}/mathjax/fonts/HTML-CSS/TeX/otf"),
    ("mathjax/localization/en", f"{LIB}/mathjax/localization/en"),
    ("@jupyter-widgets/html-manager/dist/embed-amd.js", WIDGET_RENDERER),
    ("@jupyter-widgets/html-manager/package.json", "@jupyter-widgets/html-manager/package.json"),
]


def notebook_paths(selection):
    """The notebooks to export: every lesson (``NN_*.ipynb``) and the tour, in English and in Chinese, or
    those named in ``selection`` (a lesson number such as ``05``, a file name, ``zh/05``, or a path)."""
    english = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) + [NOTEBOOKS / "tour.ipynb"]
    chinese = [NOTEBOOKS / "zh" / p.name for p in english]
    if not selection:
        return [p for p in english + chinese if p.exists()]
    chosen = []
    for item in selection:
        path = Path(item)
        if path.suffix == ".ipynb" and path.exists():
            chosen.append(path.resolve())
            continue
        everything = english
        if item.startswith("zh/"):
            everything, item = [p for p in chinese if p.exists()], item[3:]
        matches = [p for p in everything if p.stem == item or p.stem.split("_")[0] == item.zfill(2)]
        if not matches:
            raise SystemExit(f"export: no notebook matches {item!r} in {NOTEBOOKS}")
        chosen.extend(matches)
    return chosen


def copy_assets(out):
    """Copy the local libraries next to the pages; fails with a hint when node_modules/ is missing."""
    missing = [src for src, _ in ASSETS if not (NODE_MODULES / src).exists()]
    if missing:
        raise SystemExit(
            f"export: {NODE_MODULES} lacks {', '.join(missing)}; run scripts/setup_export.sh "
            "(make export does) to install the pinned npm packages"
        )
    for src, dest in ASSETS:
        source, target = NODE_MODULES / src, out / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)
    copy_widget_fonts(out)


def copy_widget_fonts(folder):
    """embed-amd.js loads its Font Awesome files relative to the *page*, from both of these folders."""
    dist = NODE_MODULES / "@jupyter-widgets/html-manager/dist"
    for font in dist.iterdir():
        if font.suffix in FONT_SUFFIXES:
            for sub in ("@jupyter-widgets/html-manager/dist", "@jupyter-widgets"):
                (folder / sub).mkdir(parents=True, exist_ok=True)
                shutil.copy2(font, folder / sub / font.name)


def execute(path, timeout):
    """Run every cell in a fresh kernel, in the notebook's folder; widget state is stored in the notebook."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        store_widget_state=True,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no start-up warnings in make export's output
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return nb


def exporters(up="", language_code="en"):
    """The page and slides exporters; ``up="../"`` for pages one folder down (the Chinese ones, whose
    ``language_code`` is ``zh``: ``<html lang>``, and the templates' monospace font for Chinese)."""
    common = dict(
        extra_template_paths=[str(TEMPLATES)],  # (for what both templates include)
        language_code=language_code,
        require_js_url=f"{up}{LIB}/require.js",
        jquery_url=f"{up}{LIB}/jquery.min.js",
        mathjax_url=f"{up}{LIB}/mathjax/MathJax.js?config={MATHJAX_CONFIG}",
        widget_renderer_url=up + WIDGET_RENDERER,
    )
    page = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES)], template_name="minigrad_lab", theme="light", **common
    )
    slides = SlidesExporter(
        extra_template_basedirs=[str(TEMPLATES)],
        template_name="minigrad_reveal",
        reveal_url_prefix=f"{up}{LIB}/reveal.js",
        reveal_theme="white",
        reveal_scroll=True,
        reveal_transition="none",
        theme="light",
        **common,
    )
    return page, slides


def title_of(nb, fallback):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip().replace("`", "")  # the index is plain text, not Markdown
    return fallback


def write_index(out, entries):
    def rows(language, slides):
        return "\n".join(
            f'<li><a href="{html.escape(e["html"])}">{html.escape(e["title"])}</a> '
            f'<span class="alt">· <a href="{html.escape(e["slides"])}">{slides}</a></span></li>'
            for e in entries
            if e.get("language", "en") == language
        )

    chinese = rows("zh", "幻灯片")
    if chinese:
        chinese = f"""<section lang="zh-CN">
<h2>中文版</h2>
<p>每一课都有网页版和幻灯片版，不联网、不需要 Python 内核也能打开。逐步演示控件在这里同样能一帧一帧地走
（帧按钮、滑块、播放键）。幻灯片中：→ 或空格下一页，← 上一页，Esc 总览；先点一下控件以外的地方
（或按 Esc），方向键才会回到幻灯片。</p>
<ul>
{chinese}
</ul>
</section>"""
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>minigrad — a hands-on course on backpropagation</title>
<style>
body {{ font-family: "DejaVu Sans", "Helvetica Neue", Arial, "Noto Sans CJK SC", sans-serif; max-width: 46em;
       margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #222; }}
h1 {{ font-size: 1.6em; }}
li {{ margin: 0.4em 0; font-size: 1.1em; }}
a {{ color: #0072B2; }}
.alt {{ color: #555; font-size: 0.9em; }}
footer {{ margin-top: 2em; color: #555; font-size: 0.9em; }}
</style>
</head>
<body>
<h1>minigrad — a hands-on course on backpropagation</h1>
<p>Every lesson as a page and as slides. The steppers step here too, with no kernel (the frame
buttons, the slider, Play, ← → on the slider handle). In the slides:
→ / Space next, ← back, Esc overview; click outside a widget (or press Esc) to give the keys back to the
slides.</p>
<ul>
{rows("en", "slides")}
</ul>
{chinese}
<footer>Made by <code>make export</code>. Works offline, from a folder or a zip.</footer>
</body>
</html>
"""
    (out / "index.html").write_text(page, encoding="utf-8")


def export(paths, out, timeout=600, log=print):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    entries = []
    for path in paths:
        t0 = time.monotonic()
        nb = execute(path, timeout)
        stem = path.stem
        chinese = path.parent.name == "zh"
        folder, prefix = (out / "zh", "zh/") if chinese else (out, "")
        if chinese and not (folder / "@jupyter-widgets").exists():
            copy_widget_fonts(folder)
        page, slides = exporters(up="../", language_code="zh") if chinese else exporters()
        folder.mkdir(exist_ok=True)
        body, _ = page.from_notebook_node(nb, resources={"metadata": {"name": stem}})
        (folder / f"{stem}.html").write_text(body, encoding="utf-8")
        deck, _ = slides.from_notebook_node(nb, resources={"metadata": {"name": stem}})
        (folder / f"{stem}.slides.html").write_text(deck, encoding="utf-8")
        entries.append(
            {
                "name": prefix + stem,
                "title": title_of(nb, stem),
                "html": f"{prefix}{stem}.html",
                "slides": f"{prefix}{stem}.slides.html",
                "language": "zh" if chinese else "en",
            }
        )
        log(f"export: {prefix}{stem}.html and {prefix}{stem}.slides.html ({time.monotonic() - t0:.1f} s)")
    write_index(out, entries)
    (out / "manifest.json").write_text(json.dumps(entries, indent=1), encoding="utf-8")
    log(f"export: {len(entries)} notebooks → {out / 'index.html'} (opens from the file system, no network)")
    return entries


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "notebooks", nargs="*", help="lesson numbers (05), names, zh/05 or paths; default: all"
    )
    parser.add_argument("--out", default=str(REPO / "site"), help="output folder (default: site/)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    export(notebook_paths(args.notebooks), args.out, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
