"""tools/lessons_on_torch.py: which cells it runs on PyTorch, how it rewrites them, what it compares.

These tests need no PyTorch: they check the rewriting and the comparison, not a run.
"""

import importlib.util
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("lessons_on_torch", ROOT / "tools" / "lessons_on_torch.py")
tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tool)


def cell(source, outputs=()):
    return nbformat.v4.new_code_cell(source, outputs=list(outputs))


def test_the_import_becomes_pytorch_and_so_do_other_library_names():
    source = "import minigrad as torch\nimport minigrad.nn\nfrom minigrad.autograd import Function\nminigrad.manual_seed(0)"
    assert tool.on_torch(cell(source)) == (
        "import torch\nimport torch.nn\nfrom torch.autograd import Function\ntorch.manual_seed(0)",
        True,
    )


def test_course_tools_stay_minigrads():
    source = (
        "from minigrad import viz\nfrom minigrad.autograd.engine import iter_backward\nimport minigrad.viz"
    )
    assert tool.on_torch(cell(source)) == (source, True)


def test_minigrad_only_cells_are_not_run():
    assert tool.on_torch(cell("# minigrad only: the stepper\nx = 1")) is None
    assert tool.on_torch(cell("# 仅 minigrad：逐步演示控件\nx = 1")) is None  # the Chinese twins' form
    assert tool.on_torch(cell("x = torch.ones(2)")) == ("x = torch.ones(2)", True)


def test_cells_with_course_tools_run_without_them_and_are_not_compared():
    source = "L = x * 2\nviz.draw(L,\n         names=locals())\nevents = list(iter_backward(L))\ny = L + 1\n"
    assert tool.on_torch(cell(source)) == ("L = x * 2\ny = L + 1\n", False)
    assert tool.on_torch(cell("viz.BackwardStepper(L)")) == ("pass", False)


def test_printed_text_joins_the_pieces_of_one_print_and_skips_pictures_and_widgets():
    outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="w.grad = "),
        nbformat.v4.new_output("stream", name="stdout", text="tensor([1., 2.])\n"),
        nbformat.v4.new_output("display_data", data={"image/png": "iVBOR", "text/plain": "<Figure>"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "tensor(3.)"}, execution_count=1),
    ]
    assert tool.printed(cell("", outputs)) == "w.grad = tensor([1., 2.])\ntensor(3.)\n"


def test_an_error_is_compared_by_its_type_and_message():
    outputs = [nbformat.v4.new_output("error", ename="RuntimeError", evalue="boom", traceback=[])]
    assert tool.printed(cell("", outputs)) == "RuntimeError: boom\n"


def test_names_and_node_addresses_are_the_only_rewrites():
    minigrad_text = "tensor([1.], dtype=minigrad.float64)\n(<MulBackward0 object>, 0)"
    torch_text = "tensor([1.], dtype=torch.float64)\n(<MulBackward0 object at 0x7f3a2c>, 0)"
    assert tool.normalise(minigrad_text) == tool.normalise(torch_text)
    assert tool.normalise("(<PowBackward0 at 0x7f77>, 0)") == "(<PowBackward0 object>, 0)"
    assert tool.normalise("tensor(1.)") != tool.normalise("tensor(2.)")
