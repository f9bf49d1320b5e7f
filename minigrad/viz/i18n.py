"""The course's language: ``viz.set_language("zh")`` makes widgets and checks speak Chinese.

(Placeholder: the message catalogue lands with the widget translations.)
"""

from __future__ import annotations

LANGUAGES = ("en", "zh")
_current = "en"


def set_language(code: str) -> None:
    """Choose the language of widgets and check feedback for this kernel: "en" or "zh"."""
    global _current
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}: choose one of {', '.join(LANGUAGES)}")
    _current = code


def get_language() -> str:
    return _current
