"""Keep the Chinese twins of the notebooks in step with the English: ``python tools/twin.py``.

Every notebook of the course has a Chinese twin of the same name one folder down::

    notebooks/05_engine.ipynb   ->  notebooks/zh/05_engine.ipynb
    solutions/05_engine.ipynb   ->  solutions/zh/05_engine.ipynb
    (exercises/zh/ is generated from solutions/zh/ by ``python -m grader.generate``, as in English)

A twin has the English notebook's cells, in the same order, with the same ids and slide and
nbgrader metadata. What differs, and how:

* **Markdown cells** are translated by hand. Each remembers which English text it translates: a
  fingerprint of that text in ``cell.metadata.twin.en``. When the English cell changes, the
  fingerprint no longer matches and ``check`` says so: the translation must be looked at again,
  then ``stamp --cell ID`` records the new fingerprint.
* **Code cells** are never edited by hand: they are the English code with its comments and string
  literals translated through one table, ``metadata.twin.code`` of the twin notebook
  (``{"<English token>": "<Chinese token>"}``, whole tokens: ``# a comment`` or ``"a label"``).
  The first code cell also gets the language call (``LANGUAGE_CALL``), so that the widgets and the
  grader's checks speak Chinese. ``sync`` writes them; ``check`` fails when a stored code cell is
  not what the English and the table give.

Commands::

    python tools/twin.py new notebooks/05_engine.ipynb      # start a twin: English text to translate
    python tools/twin.py strings notebooks/zh/05_engine.ipynb  # code tokens the table does not cover
    python tools/twin.py sync notebooks/zh/05_engine.ipynb [--execute]   # regenerate code cells
    python tools/twin.py stamp notebooks/zh/05_engine.ipynb [--cell ID]  # record translated cells
    python tools/twin.py check                              # every twin, every English notebook

``check`` is what ``tests/test_twins.py`` runs: it also fails on an English lesson without a twin,
so a lesson added later cannot be forgotten.
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import io
import re
import sys
import tokenize
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
#: The folders whose notebooks have twins (exercises/zh is generated from solutions/zh).
FOLDERS = ("notebooks", "solutions")
LANGUAGE = "zh"
VIZ_IMPORT = "from minigrad import viz"
LANGUAGE_CALL = 'viz.set_language("zh")  # 控件和练习检查的反馈从这里起用中文'
#: Comments the grader reads: never translated.
PROTECTED = re.compile(r"#+\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS)")
#: Markers of a cell not translated yet (``new`` writes them, ``check`` refuses them).
UNTRANSLATED = "<!-- 待翻译 -->"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: A line break between two Chinese characters (or full-width punctuation) outside code and display
#: math: Markdown renders it as a space, which Chinese text does not have.
CJK_BREAK = re.compile(
    r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])\n(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])"
)
BLOCKS = re.compile(r"(```.*?```|\$\$.*?\$\$)", re.S)


def join_chinese_lines(text: str) -> str:
    """``text`` without line breaks between two Chinese characters (code blocks and math kept)."""
    return "".join(p if BLOCKS.fullmatch(p) else CJK_BREAK.sub("", p) for p in BLOCKS.split(text))


# ----------------------------------------------------------------------------- pairs


def english_notebooks() -> list[Path]:
    """Every English notebook that must have a twin."""
    found = []
    for folder in FOLDERS:
        found += sorted((ROOT / folder).glob("*.ipynb"))
    return found


def twin_path(english: Path) -> Path:
    return english.parent / LANGUAGE / english.name


def english_path(twin: Path) -> Path:
    return twin.parent.parent / twin.name


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def write(nb: nbformat.NotebookNode, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------- code cells


def code_tokens(source: str) -> list[tokenize.TokenInfo]:
    """The comments and string literals of a code cell (IPython ``%`` lines are left alone)."""
    magic = ("%", "!")  # an empty line in its place keeps the line numbers of the tokens below it
    lines = [
        line[len(line.rstrip("\n")) :] if line.lstrip().startswith(magic) else line
        for line in source.splitlines(True)
    ]
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO("".join(lines)).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    return [t for t in tokens if t.type in (tokenize.COMMENT, tokenize.STRING)]


def translate_code(source: str, table: dict[str, str]) -> str:
    """The English code with each comment or string literal found in ``table`` replaced."""
    lines = source.splitlines(True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    edits = []
    for tok in code_tokens(source):
        if tok.string in table and not PROTECTED.match(tok.string):
            begin = starts[tok.start[0] - 1] + tok.start[1]
            end = starts[tok.end[0] - 1] + tok.end[1]
            edits.append((begin, end, table[tok.string]))
    for begin, end, text in reversed(edits):
        source = source[:begin] + text + source[end:]
    return source


def with_language_call(source: str) -> str:
    """The first code cell of a twin: the English one with the call that switches to Chinese right
    after its imports (after ``from minigrad import viz``, added if missing), so that the rest of the
    cell, and what it shows, stays as it is."""
    lines = source.splitlines()
    if VIZ_IMPORT in lines:
        at = lines.index(VIZ_IMPORT) + 1
        return "\n".join([*lines[:at], LANGUAGE_CALL, *lines[at:]])
    try:
        imports = [n for n in ast.parse(source).body if isinstance(n, (ast.Import, ast.ImportFrom))]
    except SyntaxError:
        imports = []
    at = imports[-1].end_lineno if imports else 0
    return "\n".join([*lines[:at], VIZ_IMPORT, LANGUAGE_CALL, *lines[at:]])


def expected_code(english: nbformat.NotebookNode, table: dict[str, str]) -> dict[str, str]:
    """Cell id -> the source each of the twin's code cells must have."""
    out, first = {}, True
    for cell in english.cells:
        if cell.cell_type != "code":
            continue
        source = translate_code(cell.source, table)
        if first:
            source, first = with_language_call(source), False
        out[cell.id] = source
    return out


def twin_metadata(cell: nbformat.NotebookNode) -> dict:
    """The English cell's metadata a twin keeps (slides, grading, tags), without run records."""
    return {k: copy.deepcopy(v) for k, v in cell.metadata.items() if k not in ("execution", "twin")}


# ----------------------------------------------------------------------------- commands


def new(english_file: Path) -> Path:
    """Write a twin to translate: English prose marked untranslated, code cells generated."""
    english = read(english_file)
    target = twin_path(english_file)
    if target.exists():
        raise SystemExit(f"{target} exists: use `sync`")
    nb = copy.deepcopy(english)
    nb.metadata["twin"] = {"of": f"../{english_file.name}", "code": {}}
    for cell in nb.cells:
        cell.metadata = twin_metadata(cell)
        if cell.cell_type == "markdown":
            cell.source = UNTRANSLATED + "\n" + cell.source
    sync_code(nb, english)
    write(nb, target)
    return target


def sync_code(twin: nbformat.NotebookNode, english: nbformat.NotebookNode) -> list[str]:
    """Make the twin's code cells what the English and the table give; ids of cells changed."""
    table = twin.metadata.get("twin", {}).get("code", {})
    wanted = expected_code(english, table)
    changed = []
    by_id = {c.id: c for c in twin.cells}
    cells = []
    for cell in english.cells:
        mine = by_id.get(cell.id)
        if cell.cell_type == "code":
            if mine is None or mine.cell_type != "code":
                mine = nbformat.v4.new_code_cell(id=cell.id)
            if mine.source != wanted[cell.id]:
                mine.source = wanted[cell.id]
                mine.outputs, mine.execution_count = [], None
                changed.append(cell.id)
        elif mine is None or mine.cell_type != cell.cell_type:
            mine = copy.deepcopy(cell)
            mine.source = UNTRANSLATED + "\n" + cell.source
            changed.append(cell.id)
        kept = mine.metadata.get("twin")
        mine.metadata = twin_metadata(cell)
        if kept and cell.cell_type == "markdown":
            mine.metadata["twin"] = kept
        cells.append(mine)
    twin.cells = cells
    return changed


def untranslated_strings(twin: nbformat.NotebookNode, english: nbformat.NotebookNode) -> list[str]:
    """Comments and strings of the English code with Latin letters in them that the table leaves as
    they are: words to translate, or names and keys to keep."""
    table = twin.metadata.get("twin", {}).get("code", {})
    seen = []
    for cell in english.cells:
        if cell.cell_type != "code":
            continue
        for tok in code_tokens(cell.source):
            text = tok.string
            if text in table or text in seen or PROTECTED.match(text):
                continue
            if re.search(r"[A-Za-z]{2,}", text):  # words (a name or a key too: the translator decides)
                seen.append(text)
    return seen


def stamp(twin_file: Path, cell_ids: list[str] | None = None) -> list[str]:
    """Record, for translated markdown cells, which English text they translate."""
    twin, english = read(twin_file), read(english_path(twin_file))
    english_by_id = {c.id: c for c in english.cells}
    stamped = []
    for cell in twin.cells:
        if cell.cell_type != "markdown" or cell.id not in english_by_id:
            continue
        has = cell.metadata.get("twin", {}).get("en")
        wanted = cell_ids is None and has is None or cell_ids is not None and cell.id in cell_ids
        if wanted and UNTRANSLATED not in cell.source:
            cell.metadata["twin"] = {"en": fingerprint(english_by_id[cell.id].source)}
            stamped.append(cell.id)
    write(twin, twin_file)
    return stamped


def problems(twin_file: Path) -> list[str]:
    """Why this twin is out of step with its English notebook (empty: in step)."""
    english_file = english_path(twin_file)
    if not english_file.exists():
        return [f"{rel(twin_file)}: no English notebook {rel(english_file)}"]
    twin, english = read(twin_file), read(english_file)
    found = []
    say = found.append
    if [(c.id, c.cell_type) for c in twin.cells] != [(c.id, c.cell_type) for c in english.cells]:
        say(f"{rel(twin_file)}: cells differ from {rel(english_file)} (ids or kinds or order): run `sync`")
        return found
    table = twin.metadata.get("twin", {}).get("code", {})
    wanted = expected_code(english, table)
    for mine, cell in zip(twin.cells, english.cells):
        where = f"{rel(twin_file)} cell {cell.id}"
        if twin_metadata(mine) != twin_metadata(cell):
            say(f"{where}: metadata differs from the English cell: run `sync`")
        if cell.cell_type == "code":
            if mine.source != wanted[cell.id]:
                say(f"{where}: code is not the English code through the table: run `sync --execute`")
        elif cell.cell_type == "markdown":
            if UNTRANSLATED in mine.source or not CJK.search(mine.source):
                say(f"{where}: not translated yet")
            elif join_chinese_lines(mine.source) != mine.source:
                say(f"{where}: a line break between Chinese characters shows as a space: join the lines")
            elif mine.metadata.get("twin", {}).get("en") != fingerprint(cell.source):
                say(f"{where}: English text changed since translated: update, then `stamp --cell`")
    return found


def check() -> list[str]:
    """Every English notebook has a twin, and every twin is in step."""
    found = []
    for english_file in english_notebooks():
        twin_file = twin_path(english_file)
        if not twin_file.exists():
            found.append(f"{rel(english_file)} has no Chinese twin {rel(twin_file)}: run `new`")
        else:
            found += problems(twin_file)
    for folder in FOLDERS:
        for twin_file in sorted((ROOT / folder / LANGUAGE).glob("*.ipynb")):
            if not english_path(twin_file).exists():
                found.append(f"{rel(twin_file)}: no English notebook of that name")
    return found


def execute(twin_file: Path) -> None:
    """Run the twin top to bottom in a fresh kernel and store its outputs (as nbval will see them)."""
    sys.path.insert(0, str(ROOT))
    from grader.generate import execute_solution

    execute_solution(twin_file)


def rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/twin.py", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("new", help="start the twin of an English notebook").add_argument("english", type=Path)
    sub.add_parser("strings", help="code tokens with words the table leaves English").add_argument(
        "twin", type=Path
    )
    p = sub.add_parser("sync", help="regenerate the twin's code cells (and cell list) from the English")
    p.add_argument("twins", type=Path, nargs="+")
    p.add_argument("--execute", action="store_true", help="then run it and store the outputs")
    p = sub.add_parser("stamp", help="record which English text translated cells translate")
    p.add_argument("twin", type=Path)
    p.add_argument("--cell", action="append", help="re-stamp this cell id (after updating it)")
    sub.add_parser("check", help="every English notebook has an in-step twin")
    args = parser.parse_args(argv)

    if args.command == "new":
        print(f"wrote {rel(new(args.english))}")
    elif args.command == "strings":
        for text in untranslated_strings(read(args.twin), read(english_path(args.twin))):
            print(text)
    elif args.command == "sync":
        for twin_file in args.twins:
            twin = read(twin_file)
            changed = sync_code(twin, read(english_path(twin_file)))
            write(twin, twin_file)
            print(f"{rel(twin_file)}: {len(changed)} cells regenerated")
            if args.execute:
                execute(twin_file)
                print(f"{rel(twin_file)}: executed")
    elif args.command == "stamp":
        print(f"stamped {len(stamp(args.twin, args.cell))} cells")
    elif args.command == "check":
        found = check()
        for line in found:
            print(line, file=sys.stderr)
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
