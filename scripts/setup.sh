#!/usr/bin/env bash
# Set up everything the course needs, idempotently, on a fresh Debian machine with Python 3.11:
#   system packages (Graphviz's `dot`, Chromium for the browser tests, bubblewrap for the grader's
#   sandbox, python3-venv, DejaVu and Noto CJK fonts),
#   a virtual environment in .venv with the pinned requirements, minigrad installed editable,
#   and JupyterLab settings (slideshow clicks, no news pop-ups).
# Safe to run again: each step checks first and does nothing when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
VENV=.venv

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)  # the grader's sandbox for submissions
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
# Chinese in plots, graph drawings and screenshots (the Chinese edition): no tofu boxes.
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
"$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  # matplotlib's font list, if built before the fonts came, would not know them: rebuilt on next use.
  rm -f "${MPLCONFIGDIR:-$HOME/.cache/matplotlib}"/fontlist-*.json
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV with $PYTHON"
  "$PYTHON" -m venv "$VENV"
fi

stamp="$VENV/.installed"
want=$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing pinned requirements into $VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -r requirements.txt
  "$VENV/bin/python" -m pip install -q --no-deps -e .
  echo "$want" > "$stamp"
fi

# JupyterLab settings: jupyterlab-slideshow's prompt overlay swallows clicks on widgets unless
# showCodeCellPrompt is on; the news/update pop-up would cover slides and needs the network.
settings="$VENV/share/jupyter/lab/settings"
mkdir -p "$settings"
cat > "$settings/overrides.json" <<'JSON'
{
  "jupyterlab-slideshow:plugin": {"showCodeCellPrompt": true},
  "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}
}
JSON

# JupyterLab in Chinese for `make lab-zh` (the language pack is in requirements.txt): its own
# user-settings folder, chosen by JUPYTERLAB_SETTINGS_DIR, so `make lab` stays in English.
zh_settings="$VENV/share/jupyter/lab/user-settings-zh/@jupyterlab/translation-extension"
mkdir -p "$zh_settings"
printf '{\n  "locale": "zh_CN"\n}\n' > "$zh_settings/plugin.jupyterlab-settings"
# Code and printed text in a monospace font whose Chinese characters are exactly two Latin columns
# wide (fonts-noto-cjk, installed above): the lessons' text tables line up.
zh_themes="$VENV/share/jupyter/lab/user-settings-zh/@jupyterlab/apputils-extension"
mkdir -p "$zh_themes"
printf '{\n  "overrides": {"code-font-family": "%s"}\n}\n' "'Noto Sans Mono CJK SC', monospace" \
  > "$zh_themes/themes.jupyterlab-settings"
