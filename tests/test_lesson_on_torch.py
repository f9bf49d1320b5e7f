"""tools/lesson_on_torch.py: what it runs on PyTorch, and what it compares (no PyTorch needed here)."""

import importlib.util
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def load_tool():
    spec = importlib.util.spec_from_file_location("lesson_on_torch", ROOT / "tools" / "lesson_on_torch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_import_switch_is_the_only_change_and_magics_are_dropped():
    tool = load_tool()
    source = (
        "import numpy as np\nimport minigrad as torch  # the switch\n%matplotlib inline\nx = torch.ones(2)"
    )
    assert tool.torch_source(source) == "import numpy as np\nimport torch  # the switch\nx = torch.ones(2)"


def test_other_minigrad_imports_are_left_alone():
    tool = load_tool()
    assert tool.torch_source("from minigrad import viz") == "from minigrad import viz"


def test_only_printed_text_is_compared():
    tool = load_tool()
    cell = nbformat.v4.new_code_cell(
        "print(1)",
        outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="1\n"),
            nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=1),
        ],
    )
    assert tool.stored_text(cell) == "1\n"
