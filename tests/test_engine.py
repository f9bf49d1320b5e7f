"""The backward engine: its events, its order, its bookkeeping, and its limits (depth, memory)."""

import gc
import subprocess
import sys
import weakref

import pytest

import minigrad as mg
from minigrad.autograd.engine import iter_backward


def events_of(output, **options):
    options.setdefault("retain_graph", True)
    return list(iter_backward([output._gradient_edge()], [mg.ones_like(output)], **options))


def scalar(v):
    return mg.tensor(v, requires_grad=True)


def test_events_start_and_finish():
    events = events_of(scalar(1.0) * 2)
    assert events[0].kind == "start" and events[-1].kind == "done"


def test_nodes_run_from_output_to_leaves():
    a, b = scalar(2.0), scalar(3.0)
    loss = (a * b + 1) ** 2
    runs = [e.node.name() for e in events_of(loss) if e.kind == "run"]
    assert runs[:3] == ["PowBackward0", "AddBackward0", "MulBackward0"]
    assert runs[3:] == ["minigrad::autograd::AccumulateGrad"] * 2


def test_send_events_carry_chain_rule_products():
    a, b = scalar(2.0), scalar(3.0)
    loss = (a * b + 1) ** 2
    sends = [(e.node.name(), e.grad.item()) for e in events_of(loss) if e.kind == "send"]
    assert sends == [
        ("PowBackward0", 14.0),
        ("AddBackward0", 14.0),
        ("MulBackward0", 42.0),
        ("MulBackward0", 28.0),
    ]


def test_fork_sums_in_the_input_buffer():
    a = scalar(5.0)
    sends = [e for e in events_of(a + a) if e.kind == "send"]
    assert [e.grad.item() for e in sends] == [1.0, 1.0]
    assert [e.buffer.item() for e in sends] == [1.0, 2.0]
    assert [e.dependencies_left for e in sends] == [1, 0]


def test_dependencies_count_edges_not_nodes():
    x = scalar(3.0)
    start = events_of(x * x)[0]
    (count,) = start.dependencies.values()
    assert count == 2


def test_ready_queue_runs_the_later_created_node_first():
    a = scalar(1.0)
    y = a * 2
    z = a * 3  # created after y
    runs = [e.node for e in events_of(y + z) if e.kind == "run"]
    assert runs[1] is z.grad_fn and runs[2] is y.grad_fn


def test_accumulate_grad_runs_as_soon_as_ready():
    a, b = scalar(1.0), scalar(2.0)
    loss = (a * 2) * (b.exp())
    kinds = [(e.kind, e.node.name()) for e in events_of(loss) if e.kind == "run"]
    # after MulBackward0 (the outer one) both inputs are ready; a leaf's AccumulateGrad is never
    # behind an ordinary node that was ready at the same time
    names = [n for _, n in kinds]
    assert names.index("minigrad::autograd::AccumulateGrad") < len(names) - 1


def test_snapshots_report_the_engine_state():
    a, b = scalar(2.0), scalar(3.0)
    events = events_of(a * b, snapshots=True)
    first_run = next(e for e in events if e.kind == "run")
    assert first_run.state is not None and first_run.state.ready_queue == ()
    sends = [e for e in events if e.kind == "send"]
    assert len(sends[-1].state.ready_queue) == 2


def test_dry_run_reports_totals_without_touching_grad():
    a = scalar(2.0)
    (a * 3).backward(retain_graph=True)
    loss = a * 3
    acc = [e for e in events_of(loss, accumulate_grad=False) if e.kind == "accumulate"]
    assert acc[0].stored is False and acc[0].total.item() == 6.0 and a.grad.item() == 3.0


def test_backward_and_the_dry_run_agree():
    a, b = scalar(0.5), scalar(-1.5)
    loss = (a * b).tanh() + a.exp() * b
    dry = {
        id(e.variable): e.total.item()
        for e in events_of(loss, accumulate_grad=False)
        if e.kind == "accumulate"
    }
    loss.backward()
    assert dry == {id(a): a.grad.item(), id(b): b.grad.item()}


def test_saved_tensors_freed_event_only_without_retain_graph():
    x = scalar(1.0)
    assert not [e for e in events_of(x.exp(), retain_graph=True) if e.kind == "free_saved"]
    assert [e for e in events_of(x.exp(), retain_graph=False) if e.kind == "free_saved"]


def test_hook_events_show_replaced_gradient():
    x = scalar(1.0)
    y = x * 2
    y.register_hook(lambda g: g * 10)
    hooks = [e for e in events_of(y * 1) if e.kind == "hook"]
    assert hooks[0].grad_in.item() == 1.0 and hooks[0].grad_out.item() == 10.0


def test_nodes_off_the_path_to_inputs_are_skipped():
    x, y = scalar(1.0), scalar(2.0)
    y_exp = y.exp()
    loss = x.exp() * y_exp
    events = list(
        iter_backward(
            [loss._gradient_edge()],
            [mg.tensor(1.0)],
            retain_graph=True,
            inputs=[x._gradient_edge()],
            accumulate_grad=False,
        )
    )
    skipped = [e.node for e in events if e.kind == "skip"]
    captured = [e for e in events if e.kind == "capture"]
    # y's branch is not on a path to x; x's AccumulateGrad is captured, not run (autograd.grad)
    assert any(node is y_exp.grad_fn for node in skipped)
    assert captured[0].grad.item() == pytest.approx(2.7182817 * 7.389056)
    assert events[-1].captured[0] is captured[0].grad


def test_no_reference_cycle_between_node_and_output():
    gc.collect()
    gc.disable()
    try:
        x = scalar(1.0)
        y = x.exp()  # ExpBackward0 saves its own output
        node = weakref.ref(y.grad_fn)
        del y
        assert node() is None  # freed by reference counting alone, no cycle collector needed
    finally:
        gc.enable()


def test_graph_is_freed_without_the_cycle_collector():
    gc.collect()
    gc.disable()
    try:
        x = scalar(1.0)
        y = x
        for _ in range(100):
            y = (y * 1.01).tanh()
        first = weakref.ref(y.grad_fn)
        y.backward()
        del y
        assert first() is None
    finally:
        gc.enable()


@pytest.mark.slow
def test_a_chain_of_a_million_ops_runs_backward():
    """No recursion anywhere: building, backward and freeing a 1,000,000-op chain must work
    (run in a subprocess so a crash would show as a failure, not kill the test run)."""
    code = (
        "import minigrad as mg\n"
        "x = mg.tensor(1.0, requires_grad=True)\n"
        "y = x\n"
        "for _ in range(1_000_000):\n"
        "    y = y * 1.0\n"
        "y.backward()\n"
        "print(x.grad.item())\n"
        "del y\n"
        "print('freed')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["1.0", "freed"]


def test_import_minigrad_imports_only_numpy():
    """`import minigrad` pulls in numpy and nothing heavy. (How long it takes, target ≤ 150 ms beyond
    numpy's own import, is measured by bench/lessons.py, not timed here.)"""
    code = (
        "import sys\n"
        "import minigrad\n"
        "print([m for m in ('graphviz', 'ipywidgets', 'matplotlib', 'torch', 'scipy') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_dry_run_does_not_store_retained_gradients():
    x = scalar(2.0)
    y = x * 3
    y.retain_grad()
    events_of(y * y, accumulate_grad=False)
    assert y.grad is None
    (y * y).backward()
    assert y.grad.item() == 12.0


def test_in_place_buffer_sums_never_touch_a_shared_gradient():
    # AddBackward0 hands the *same* gradient object to both inputs; backward() sums buffers in
    # place once it owns a sum, which must never reach a tensor someone else holds.
    x = mg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y, z = x * 2, x * 5
    zz = z + z  # runs first and makes the engine's first sum of its own (in z's buffer)
    s = (y + y) + y + zz  # y's buffer then receives the very gradient object given to backward
    seen = []
    y.register_hook(lambda g: seen.append((g, g.clone())))
    start = mg.tensor([1.0, 10.0, 100.0])
    s.backward(start)
    assert start.tolist() == [1.0, 10.0, 100.0]
    assert x.grad.tolist() == [16.0, 160.0, 1600.0]
    ((g, copy),) = seen
    assert g.tolist() == copy.tolist() == [3.0, 30.0, 300.0]


def test_a_leaf_used_many_times_sums_every_contribution():
    w = mg.tensor(0.5, requires_grad=True)
    x = mg.tensor(1.0)
    total = x
    for k in range(1, 51):
        total = total + w * k
    total.backward()
    assert w.grad.item() == sum(range(1, 51))


def test_backward_and_the_reported_walk_give_the_same_sums():
    def build():
        w = mg.tensor([0.5, -1.5], requires_grad=True)
        y = w
        for _ in range(20):
            y = (y * w + w).tanh()
        return w, y.sum()

    w1, l1 = build()
    l1.backward()
    w2, l2 = build()
    for _event in iter_backward([(l2.grad_fn, 0)], [mg.tensor(1.0)]):
        pass
    assert w1.grad.tolist() == w2.grad.tolist()


def _hooked_graph(order):
    """A graph with forks, chains and several nodes ready at once; every tensor's hook records
    when its node runs (a hook fires as the node producing the tensor starts)."""
    a, b = scalar(0.5), scalar(-1.5)
    tensors = {"a": a, "b": b}
    tensors["c"] = c = a * b
    tensors["d"] = d = c.exp()
    tensors["e"] = e = c * 2
    tensors["f"] = f = (d + e).tanh()
    tensors["g"] = g = f * a + b.sigmoid()
    tensors["h"] = h = g * c + (g - a)
    for name, t in tensors.items():
        t.register_hook(lambda grad, name=name: order.append(name))
    return h, a, b


def test_backward_runs_the_nodes_in_the_order_the_reported_walk_shows():
    # backward() lets a node that became ready alone skip the queue; the order must not change
    unreported, reported = [], []
    h, a, b = _hooked_graph(unreported)
    h.backward()
    h2, a2, b2 = _hooked_graph(reported)
    runs = [e.node for e in iter_backward([(h2.grad_fn, 0)], [mg.tensor(1.0)]) if e.kind == "run"]
    assert unreported == reported and len(reported) == 8
    assert len(runs) == 13  # 11 ops and 2 leaves: every node ran (most have no hook)
    assert (a.grad.item(), b.grad.item()) == (a2.grad.item(), b2.grad.item())


def _node_hooked_graph():
    """y = x * c with a pre-hook and a hook on y's node that both replace gradients."""
    x = mg.tensor([1.0, 2.0], requires_grad=True)
    y = x * mg.tensor([3.0, 4.0])
    y.grad_fn.register_prehook(lambda go: (go[0] * 10,))
    y.grad_fn.register_hook(lambda gi, go: (gi[0] + 1, None))
    return x, y.sum()


def test_node_hooks_replace_gradients_the_same_in_backward_and_in_the_reported_walk():
    x, z = _node_hooked_graph()
    z.backward()
    x2, z2 = _node_hooked_graph()
    events = list(iter_backward([(z2.grad_fn, 0)], [mg.tensor(1.0)]))
    hooks = [(e.hook_kind, e.output_nr) for e in events if e.kind == "hook"]
    assert hooks == [("node pre-hook", None), ("node hook", None)]
    replaced_inputs = [e.grad_out for e in events if e.kind == "hook"][1]
    assert replaced_inputs[0].tolist() == [31.0, 41.0] and replaced_inputs[1] is None
    assert x.grad.tolist() == x2.grad.tolist() == [31.0, 41.0]  # 10 · (3, 4) + 1


def test_removed_node_hooks_no_longer_run():
    x = mg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    seen = []
    handles = [
        y.grad_fn.register_prehook(lambda go: seen.append("pre")),
        y.grad_fn.register_hook(lambda gi, go: seen.append("post")),
    ]
    y.sum().backward(retain_graph=True)
    for h in handles:
        h.remove()
    y.sum().backward()
    assert seen == ["pre", "post"] and x.grad.tolist() == [4.0, 4.0]


class _Reciprocal(mg.autograd.Function):
    """A custom Function whose backward divides by zero at x = 0, with minigrad ops."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * 1.0

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / x


@pytest.mark.parametrize("walk", ["backward", "grad", "reported", "create_graph"])
def test_inf_in_forward_and_backward_gives_no_numpy_warning(walk):
    """As in PyTorch, log(0) = -inf and 1/0 = inf are results, not warnings — in forward, in built-in
    backward formulas and in a learner's backward — and numpy's own settings are left as they were."""
    import warnings

    import numpy as np

    before = np.geterr()
    x = mg.tensor([0.0, 2.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning from numpy fails the test
        y = x.log() + _Reciprocal.apply(x)
        loss = y.sum()
        if walk == "backward":
            loss.backward()
            grad = x.grad
        elif walk == "grad":
            (grad,) = mg.autograd.grad(loss, x)
        elif walk == "reported":
            events = list(iter_backward([loss._gradient_edge()], [mg.ones_like(loss)]))
            (grad,) = [e.total for e in events if e.kind == "accumulate"]
        else:
            (grad,) = mg.autograd.grad(loss, x, create_graph=True)
    assert y.tolist()[0] == float("-inf")
    assert grad.tolist() == [float("inf"), 0.5 + 0.5]
    assert np.geterr() == before


def test_engine_sums_inf_and_minus_inf_to_nan_without_numpy_warning():
    """The engine's own numpy arithmetic (summing a leaf's contributions, accumulating into .grad) is
    quiet too: inf + (-inf) is nan, as in PyTorch."""
    import math
    import warnings

    x = mg.tensor([0.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (x.log() + x - x.log() + x.log() - x.log()).sum().backward()  # inf, 1, -inf, inf, -inf
        assert math.isnan(x.grad.item())
        x.grad = None
        x.log().sum().backward()
        (-x.log()).sum().backward()  # .grad: inf, then += -inf
        assert math.isnan(x.grad.item())


def test_a_reported_walk_reports_post_accumulate_grad_hooks():
    x = mg.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    x.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.tolist()))
    events = list(iter_backward([((x * 3).sum().grad_fn, 0)], [mg.tensor(1.0)]))
    hooks = [(e.hook_kind, e.grad_out.tolist()) for e in events if e.kind == "hook"]
    assert seen == [[3.0, 3.0]] and hooks == [("post accumulate grad", [3.0, 3.0])]


def test_a_node_with_several_outputs_gets_zeros_for_the_ones_nobody_used():
    # split is one node with one output per piece: only the second piece is used here, and the
    # engine hands the node zeros for the first, so that its backward can join the pieces
    x = mg.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    first, second = x.split(2)
    assert first.grad_fn is second.grad_fn and (first.output_nr, second.output_nr) == (0, 1)
    (second * mg.tensor([10.0, 20.0])).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 10.0, 20.0]


def test_a_known_zero_gradient_changed_in_place_by_a_hook_is_a_gradient_again():
    """Known zeros (from sgn's backward) are passed on without computing only while they are
    zeros: a hook that writes into one in place makes it an ordinary gradient, computed with."""
    x = mg.tensor([1.0, 2.0], requires_grad=True)
    s = x.sgn()

    def write_ones(g):
        g._data[...] = 1.0  # (in place, returning nothing: the engine goes on with this tensor)

    y = x * 3
    y.register_hook(write_ones)
    z = y.sgn()  # y gets known zeros from sgn, and the hook changes them
    (z.sum() + s.sum()).backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_a_function_of_yours_built_on_a_builtin_op_still_runs_on_known_zeros():
    """Known zeros skip only built-in nodes: a learner's subclass of a built-in op, with its own
    backward, is called as PyTorch calls every custom Function's backward."""
    from minigrad.ops.elementwise import Exp

    calls = []

    class MyExp(Exp):
        @staticmethod
        def backward(ctx, grad):
            calls.append(grad.tolist())
            return Exp.backward(ctx, grad)

    x = mg.tensor([1.0, 2.0], requires_grad=True)
    MyExp.apply(x).sgn().sum().backward()
    assert calls == [[0.0, 0.0]]
    assert x.grad.tolist() == [0.0, 0.0]


def _leaves_ready_together(order):
    xs = [mg.tensor(float(i + 1), requires_grad=True) for i in range(12)]
    for i, x in enumerate(xs):
        x.register_hook(lambda g, i=i: order.append(i))
    total = xs[0] * xs[3]
    for i in range(1, 12):
        total = total + xs[i] * xs[(i * 5 + 3) % 12]
    return total


def test_backward_and_the_reported_walk_run_tied_leaves_in_the_same_order():
    # backward() keeps a node that became ready alone out of the queue; when a second one becomes
    # ready in the same step, both must enter the heap in the order they became ready, or the ties
    # between AccumulateGrad nodes come out in another order
    unreported, reported = [], []
    _leaves_ready_together(unreported).backward()
    total = _leaves_ready_together(reported)
    for _ in iter_backward([(total.grad_fn, 0)], [mg.tensor(1.0)]):
        pass
    assert unreported == reported and sorted(reported) == list(range(12))


def test_ready_queue_pops_ties_in_the_order_of_cpp_pop_heap():
    from minigrad.autograd.engine import ReadyQueue

    leaves = [mg.tensor(float(i), requires_grad=True)._gradient_edge()[0] for i in range(6)]
    queue = ReadyQueue()
    for node in leaves:
        queue.push(node)
    # std::priority_queue with six equal keys pushed 0..5 pops 0, 2, 5, 4, 1, 3 (measured: g++ 12,
    # libstdc++; neither first-in-first-out nor last-in-first-out)
    assert [leaves.index(queue.pop()) for _ in range(6)] == [0, 2, 5, 4, 1, 3]


# 300 operations on a std::priority_queue: a digit pushes an entry of that priority (ids 0, 1, ...
# in order), a dot pops the top. EXPECTED is the order libstdc++ (g++ 12) popped them, measured.
_HEAP_OPS = (
    "...22103.33001..2.2333.11002.2.320..1.3031.....3.3033.01.1302.1..130.13003..21.03..21200.0..22203"
    "..02.23.30030203.0...0.01.20..2213..3.1..12.31.132.13221203.3..00302....10..0.1..0..1..22011.2.0"
    "..3..23...0.110.03..03320.01..3.11.0....31.2.13110..2..02123..3002.2...223.22....30...01.1..21..."
    ".2..10..01"
)
_HEAP_EXPECTED = (
    "4 5 6 0 12 13 14 21 19 20 25 27 1 10 11 29 30 32 33 37 22 42 45 48 39 52 49 53 55 9 63 60 59 67 68 "
    "71 75 73 61 65 66 80 85 82 86 83 2 89 90 93 96 102 103 106 97 108 98 100 94 16 99 109 84 112 50 "
    "114 115 116 120 87 122 118 124 123 119 28 95 130 126 132 133 134 138 137 127 139 140 91 142 144 "
    "146 92 150 143 155 152 156 154 159 160 163 162 161 164 165 166 145 147 153 35 148 171 169 170 172 "
    "173 40 88 174 41 177 79 24 15 36 44 54 157 117 175 168 104 81 101 105 3 131 43 58 76 151 136 31 "
    "78 128 62 70 69 47 77 18 167 141 56 121 113 51 7 46 149 38 158 135 74 26 176 129 64 107 23 125 17 "
    "72 57 8 111 110 34"
)


def test_ready_queue_makes_the_moves_of_cpp_priority_queue_with_many_ties():
    from minigrad.autograd.ready_queue import ReadyQueue

    class Stub:  # a node as the queue sees it: its sequence number
        def __init__(self, key, ident):
            self._sequence_nr, self.ident = key, ident

    queue, popped, ident = ReadyQueue(), [], 0
    for op in _HEAP_OPS:
        if op == ".":
            if len(queue):
                popped.append(queue.pop().ident)
        else:
            queue.push(Stub(int(op), ident))
            ident += 1
    while len(queue):
        popped.append(queue.pop().ident)
    assert popped == [int(i) for i in _HEAP_EXPECTED.split()]
