"""minigrad.viz.tables: the text tables lessons print (checked line by line)."""

import warnings

import minigrad
from minigrad import viz


def test_describe_prints_one_row_per_tensor(capsys):
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    viz.describe(x=x, h=h)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["is_leaf", "requires_grad", "grad_fn", "grad"]
    assert lines[1].split() == ["x", "True", "True", "None", "None"]
    assert lines[2].split() == ["h", "False", "True", "MulBackward0", "None"]


def test_describe_reads_a_non_leaf_grad_without_a_warning():
    x = minigrad.tensor(1.0, requires_grad=True)
    y = x * 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        viz.describe(y=y)


def test_grad_row_says_when_a_tensor_does_not_exist_yet(capsys):
    x = minigrad.tensor(1.0, requires_grad=True)
    viz.grad_row("x created", x=x, y=None)
    assert capsys.readouterr().out == f"{'x created':26} x.grad = None         y.grad = (no y yet)\n"


def test_walk_indents_each_input_under_its_node_and_names_the_leaf(capsys):
    x = minigrad.tensor(1.0, requires_grad=True)
    z = (x + 2) ** 2
    viz.walk(z.grad_fn, names={"x": x})
    assert capsys.readouterr().out.splitlines() == [
        "<PowBackward0 object>",
        "    <AddBackward0 object>",
        "        <AccumulateGrad object>  → .grad of x",
    ]


def test_walk_follows_a_deep_chain_without_recursion(capsys):
    x = minigrad.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(3000):
        y = y + 1
    viz.walk(y.grad_fn)
    assert len(capsys.readouterr().out.splitlines()) == 3001


def test_event_table_prints_the_engines_steps_and_fills_grad(capsys):
    a = minigrad.tensor(5.0, requires_grad=True)
    b = a + a
    viz.event_table(b, names={"a": a, "b": b})
    assert capsys.readouterr().out.splitlines() == [
        "start: seed 1 into AddBackward0(b)",
        "       edges into each node: AccumulateGrad(a) 2",
        "step 1: run AddBackward0(b) with buffer 1   (ready queue now: empty)",
        "        send 1 to AccumulateGrad(a): buffer = 1, waits for 1 more",
        "        send 1 to AccumulateGrad(a): buffer = 2, ready",
        "step 2: run AccumulateGrad(a) with buffer 2   (ready queue now: empty)",
        "        AccumulateGrad(a): .grad = 2",
        "done after 2 steps",
    ]
    assert a.grad.item() == 2.0


def test_first_warning_keeps_the_start_of_the_message():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.warn(
            "Input #0 is not a double precision floating point tensor. More text", UserWarning, stacklevel=1
        )
    assert viz.first_warning(caught) == "UserWarning: Input #0 is not a double precision floating point …"
    assert viz.first_warning([]) == "no warning"
