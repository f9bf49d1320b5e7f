"""Which language the widgets, the drawings and the check cells speak: English or Chinese (中文).

One call, usually in a notebook's first (reset) cell, picks the language for the rest of the kernel::

    from minigrad import viz
    viz.set_language("zh")     # 从这里起，组件、图例、表格和检查结果都说中文
    viz.get_language()         # 'zh'

Everything made *after* the call speaks that language: a :class:`~minigrad.viz.widgets.BackwardStepper`
builds its frames' text when it is made, so a widget made before the switch keeps its words.

How it works — one source for each message
------------------------------------------
Every sentence a learner sees is written once, in a *catalogue*: a dict from a key to the message in
each language, e.g.::

    "stepper.ready_queue": {"en": "ready queue", "zh": "就绪队列"},
    "trace.step_run":      {"en": "Step {step}: run {name}", "zh": "第 {step} 步：运行 {name}"},

Code never writes the sentence itself; it asks the catalogue for it, with the values to fill in
(``str.format`` fields): ``text("trace.step_run", step=3, name="MulBackward0")``. The widgets' catalogue
is :mod:`minigrad.viz.messages`, the check cells' is :mod:`grader.messages`; both follow the switch
kept here. PyTorch's own names (``grad_fn``, ``AccumulateGrad``, ``MulBackward0``, ``.grad``,
``requires_grad``) are code and stay as they are in every language.

Chinese in a fixed-width font
-----------------------------
A Chinese character takes two columns of a monospace font, a Latin letter one, so ``f"{s:10}"`` (which
counts characters) misaligns text tables. :func:`width` counts columns (Unicode's "East Asian Width":
wide ``W`` and full-width ``F`` characters count 2) and :func:`pad` pads to a number of columns.

Matplotlib
----------
``set_language("zh")`` also appends a Chinese font (Noto Sans CJK SC, from the ``fonts-noto-cjk``
package) to matplotlib's ``font.family`` list, *after* the usual ``sans-serif`` (DejaVu Sans): matplotlib
draws each character with the first family of that list that has it, so Latin letters and digits look as
before and Chinese characters come from Noto. (The fallback works across the families of
``font.family``, not within the ``font.sans-serif`` list, which only picks one font.)
``set_language("en")`` puts the list back.
"""

import os
import unicodedata

#: The languages there are catalogues for: code → name.
LANGUAGES = {"en": "English", "zh": "中文 (简体)"}

#: The font matplotlib falls back on for Chinese characters (Debian/Ubuntu: ``fonts-noto-cjk``).
CJK_FONT = "Noto Sans CJK SC"

_language = "en"
_saved_fonts = None  # matplotlib's font.family before set_language("zh") changed it


def get_language():
    """The language the course's widgets and checks speak now: ``"en"`` (the default) or ``"zh"``."""
    return _language


def set_language(code):
    """Make the widgets, drawings, text tables and check cells made from now on speak ``code``.

    ``code`` is ``"en"`` (English, the default) or ``"zh"`` (Chinese). Anything else raises a
    ``ValueError`` that lists the choices. Returns nothing; :func:`get_language` reads it back.
    """
    global _language
    if code not in LANGUAGES:
        choices = ", ".join(repr(c) for c in LANGUAGES)
        raise ValueError(f"set_language: unknown language {code!r}; choose one of {choices}")
    _language = code
    _matplotlib_fonts(code)


def _matplotlib_fonts(code):
    """Let matplotlib draw Chinese (``"zh"``), or restore its fonts (``"en"``). Without matplotlib installed,
    nothing to do."""
    global _saved_fonts
    try:
        import matplotlib
    except ImportError:  # pragma: no cover - matplotlib is a course dependency
        return
    families = list(matplotlib.rcParams["font.family"])
    if code == "zh":
        if CJK_FONT in families:
            return
        _make_cjk_font_known()
        _saved_fonts = families
        matplotlib.rcParams["font.family"] = families + [CJK_FONT]
    elif _saved_fonts is not None:
        matplotlib.rcParams["font.family"] = _saved_fonts
        _saved_fonts = None


def _make_cjk_font_known():
    """Tell matplotlib about the CJK font if its font list predates it: matplotlib caches the list of
    installed fonts the first time it runs, so a font installed later (``apt-get install
    fonts-noto-cjk``) is unknown to it until it is added (:meth:`FontManager.addfont`)."""
    import warnings

    from matplotlib import font_manager

    manager = font_manager.fontManager
    if any(font.name == CJK_FONT for font in manager.ttflist):
        return
    paths = [p for p in font_manager.findSystemFonts() if os.path.basename(p).startswith("NotoSansCJK")]
    for path in paths:
        manager.addfont(path)
    if not any(font.name == CJK_FONT for font in manager.ttflist):
        warnings.warn(
            f"set_language('zh'): the font {CJK_FONT!r} is not installed, so matplotlib will draw Chinese "
            "characters as empty boxes (Debian/Ubuntu: sudo apt-get install fonts-noto-cjk)",
            stacklevel=3,
        )


class Catalogue:
    """Messages by key, each in every language of :data:`LANGUAGES`; calling it looks one up.

    ``catalogue("key", name="a")`` is the message ``key`` in the current language with its ``{name}``
    field filled in (``str.format``, so a literal brace is written ``{{``). A missing key is a
    ``KeyError`` (a typo in the code, not something to hide).
    """

    def __init__(self, messages):
        self.messages = messages

    def __call__(self, key, **fields):
        return self.messages[key][_language].format(**fields)

    def __contains__(self, key):
        return key in self.messages

    def __iter__(self):
        return iter(self.messages)

    def __len__(self):
        return len(self.messages)


def text(key, **fields):
    """A message of the widgets' catalogue (:mod:`minigrad.viz.messages`) in the current language:
    ``text("stepper.ready_queue")`` → ``'ready queue'`` or ``'就绪队列'``."""
    from .messages import MESSAGES

    return MESSAGES(key, **fields)


def width(s):
    """How many columns ``s`` takes in a monospace font: wide (``W``) and full-width (``F``) characters,
    such as Chinese ones, take 2; others 1. ``width("梯度 grad")`` → 9."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in str(s))


def pad(s, columns):
    """``s`` followed by spaces up to ``columns`` display columns (like ``f"{s:{columns}}"``, counting a
    Chinese character as two columns); never cut."""
    s = str(s)
    return s + " " * max(0, columns - width(s))
