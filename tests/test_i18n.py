"""The Chinese edition: viz.set_language("zh") makes the widgets, drawings, text tables and check cells
speak Chinese; "en" (the default) is exactly today's English."""

import contextlib
import io
import re
import string

import matplotlib
import numpy as np
import pytest

import minigrad
from grader import Task
from grader.messages import MESSAGES as GRADER_MESSAGES
from minigrad import viz
from minigrad.viz import i18n
from minigrad.viz.messages import MESSAGES as VIZ_MESSAGES

CATALOGUES = {"viz": VIZ_MESSAGES, "grader": GRADER_MESSAGES}
HAN = re.compile(r"[\u4e00-\u9fff]")
#: Messages whose Chinese is only code and punctuation (no Han character to expect).
NO_HAN = {"render.tag.retained", "check.line", "judge.not_attempted_detail", "broadcast.sep", "compare.note"}


@pytest.fixture(autouse=True)
def english_before_and_after():
    """Every test starts in English and leaves English behind, even when it fails."""
    viz.set_language("en")
    yield
    viz.set_language("en")


def leaf(value):
    return minigrad.tensor(value, requires_grad=True)


def example():
    a, b = leaf(2.0), leaf(3.0)
    c = a * b
    d = c + 1
    L = d**2
    return a, b, c, d, L


def printed(f, *args, **kwargs):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        f(*args, **kwargs)
    return out.getvalue()


def without_ids(html):
    """Widget HTML without its per-instance prefix (mgs3_, mgp4_), which counts widgets made."""
    return re.sub(r"mg[a-z]\d+_", "mgX_", html)


def fields(template):
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# --- the catalogues ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_every_message_has_english_and_chinese_with_the_same_fields(name):
    catalogue = CATALOGUES[name]
    assert len(catalogue) > 20
    for key in catalogue:
        entry = catalogue.messages[key]
        assert set(entry) == {"en", "zh"}, key
        assert entry["en"].strip() and entry["zh"].strip(), key
        assert fields(entry["en"]) == fields(entry["zh"]), key


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_every_chinese_message_is_in_chinese(name):
    catalogue = CATALOGUES[name]
    for key in catalogue:
        zh = catalogue.messages[key]["zh"]
        if key not in NO_HAN:
            assert HAN.search(zh), f"{key}: {zh!r} has no Chinese"
        assert zh != catalogue.messages[key]["en"], key


# --- the switch -------------------------------------------------------------------------------------


def test_english_is_the_default_and_set_language_switches():
    assert viz.get_language() == "en"
    viz.set_language("zh")
    assert viz.get_language() == "zh"
    assert i18n.text("stepper.ready_queue") == "就绪队列"
    viz.set_language("en")
    assert i18n.text("stepper.ready_queue") == "ready queue"


@pytest.mark.parametrize("code", ["fr", "ZH", "zh-CN", "", None])
def test_set_language_rejects_unknown_codes_naming_the_choices(code):
    with pytest.raises(ValueError, match=r"unknown language .*'en', 'zh'"):
        viz.set_language(code)
    assert viz.get_language() == "en"


def test_chinese_adds_a_cjk_font_after_the_usual_one_for_matplotlib_and_english_restores_it():
    before = list(matplotlib.rcParams["font.family"])
    viz.set_language("zh")
    assert matplotlib.rcParams["font.family"] == before + [i18n.CJK_FONT]
    viz.set_language("zh")  # twice: still once in the list
    assert matplotlib.rcParams["font.family"].count(i18n.CJK_FONT) == 1
    viz.set_language("en")
    assert matplotlib.rcParams["font.family"] == before


def test_matplotlib_draws_chinese_without_missing_glyphs_after_set_language_zh(tmp_path):
    """Needs fonts-noto-cjk (scripts/setup.sh installs it): without the font, matplotlib warns
    "Glyph … missing" and draws empty boxes."""
    import warnings

    import matplotlib.pyplot as plt

    viz.set_language("zh")
    fig, ax = plt.subplots()
    ax.set_title("损失随步数下降 (loss)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a UserWarning
        fig.savefig(tmp_path / "zh.png")
    plt.close(fig)


def test_display_width_counts_chinese_characters_as_two_columns():
    assert i18n.width("abc") == 3
    assert i18n.width("梯度 grad") == 9
    assert i18n.pad("梯度", 6) == "梯度  "
    assert i18n.pad("too long", 3) == "too long"


# --- widgets ----------------------------------------------------------------------------------------


def test_backward_stepper_made_after_set_language_zh_speaks_chinese():
    a, b, c, d, L = example()
    viz.set_language("zh")
    s = viz.BackwardStepper(L, names=locals())
    panels = [w.value for w in s.stack.children]
    assert "就绪队列" in panels[0] and "输入缓冲区" in panels[0] and "[第 0/10 帧]" in panels[0]
    assert "开始：把种子梯度 ∂L/∂L = 1 放进 PowBackward0 的输入缓冲区" in panels[0]
    assert any("第 3 步：运行 MulBackward0<" in p for p in panels)
    assert "∂L/∂a += ∂L/∂c · ∂c/∂a = 14 · 3 = 42" in panels[6]  # the arithmetic is the same
    legend = s.children[1].value
    assert "正在运行" in legend and "在就绪队列中" in legend
    for english in ("ready queue", "input buffers", "Step ", "[frame", "running now", "gradients so far"):
        assert not any(english in p for p in panels + [legend]), english
    assert s.slider.description == "帧" and s.play.description == "播放"


def test_switching_back_to_english_gives_the_english_stepper_byte_for_byte():
    a, b, c, d, L = example()
    before = viz.BackwardStepper(L, names=locals())
    viz.set_language("zh")
    viz.BackwardStepper(L, names=locals())
    viz.set_language("en")
    after = viz.BackwardStepper(L, names=locals())
    old = [without_ids(w.value) for w in before.stack.children + (before.children[1],)]
    new = [without_ids(w.value) for w in after.stack.children + (after.children[1],)]
    assert new == old
    assert "ready queue" in old[0] and "[frame 0/10]" in old[0]


def test_path_explorer_speaks_chinese():
    a, b, c, d, L = example()
    viz.set_language("zh")
    p = viz.PathExplorer(L, a, names=locals())
    assert p.select.options[0] == "路径 1：a → c → d → L：42"
    assert p.select.options[-1] == "全部 1 条路径：和 = 42"
    assert "是各条路径之和" in p.children[0].value
    last = p.stack.children[-1].value
    assert "引擎：∂L/∂a = 42" in last and "✓ 相等" in last and "各路径之和" in last
    viz.set_language("en")
    q = viz.PathExplorer(L, a, names=locals())
    assert q.select.options[0] == "path 1: a → c → d → L: 42"
    assert without_ids(q.stack.children[-1].value) == without_ids(
        viz.PathExplorer(L, a, names=locals()).stack.children[-1].value
    )


def test_graph_explorer_speaks_chinese():
    a, b, c, d, L = example()
    viz.set_language("zh")
    e = viz.GraphExplorer(L, names=locals())
    assert "的反向计算图" in e.children[0].value
    assert any(o.startswith("AccumulateGrad：叶子节点") for o in e.select.options)
    assert any("保存的张量" in w or "_saved_" in w for w in e.panels)


def test_drawing_legend_and_labels_in_chinese():
    a, b, c, d, L = example()
    viz.set_language("zh")
    source = viz.draw(L, names=locals()).source
    assert "图例" in source and "叶子节点" in source and "legend</I>" not in source
    values = viz.draw(L, view="values", names=locals()).source
    assert "（叶子节点）" in values and "(leaf)" not in values


def test_legend_rows_in_chinese_get_room_to_spare():
    """dot measures Chinese characters narrower than Chromium draws them: without a spare cell the
    legend's last characters touch its dashed box. English drawings stay as they were."""
    *_, L = example()
    spare = '<TD WIDTH="8" BORDER="0"></TD></TR>'
    assert spare not in viz.draw(L).source
    viz.set_language("zh")
    assert viz.draw(L).source.count(spare) == 2  # grad_fn and AccumulateGrad rows


# --- text tables --------------------------------------------------------------------------------------


def test_event_table_speaks_chinese():
    a, b, c, d, L = example()
    viz.set_language("zh")
    text = printed(viz.event_table, L, names=locals())
    assert text.splitlines()[0] == "开始：把种子梯度 1 放进 PowBackward0(L)"
    assert "第 1 步：运行 PowBackward0(L)，缓冲区 1   （现在的就绪队列：空）" in text
    assert "完成，共 5 步" in text and "step " not in text and "send " not in text
    assert np.isclose(a.grad.item(), 42.0)  # it still runs the real backward


def test_event_table_in_english_is_unchanged_after_a_round_trip():
    a, b, c, d, L = example()
    english = printed(viz.event_table, L, names=locals())
    viz.set_language("zh")
    viz.set_language("en")
    a, b, c, d, L = example()
    assert printed(viz.event_table, L, names=locals()) == english
    assert english.startswith("start: seed 1 into PowBackward0(L)\n")


def test_grad_row_pads_chinese_labels_by_display_width():
    a = leaf(1.0)
    viz.set_language("zh")
    lines = printed(viz.grad_row, "反向传播之后", a=a) + printed(viz.grad_row, "before", a=a)
    first, second = lines.splitlines()
    # the values start in the same column of a monospace font
    assert i18n.width(first.split("a.grad")[0]) == i18n.width(second.split("a.grad")[0]) == 27
    assert "（还没有 b）" in printed(viz.grad_row, "x", b=None)


def test_walk_and_describe_in_chinese():
    a, b, c, d, L = example()
    viz.set_language("zh")
    assert "→ a 的 .grad" in printed(viz.walk, L.grad_fn, names=locals())
    rows = printed(viz.describe, 损失=L, a=a).splitlines()
    # columns stay aligned in a monospace font: the same display width before each value
    assert i18n.width(rows[1][: rows[1].index("False")]) == i18n.width(rows[2][: rows[2].index("True")])


# --- the grader's check cells --------------------------------------------------------------------------


def run_task(*checks):
    task = Task("l05_demo", points=2)
    for label, answer, kwargs in checks:
        task.check(label, answer, **kwargs)
    task.done()


def not_yet():
    raise NotImplementedError()


CHECKS = {
    "passed": [("14", lambda: 14.0, dict(expected=14.0))],
    "wrong": [("14", lambda: 28.0, dict(expected=14.0, hints=[(28.0, "divide by 2h")]))],
    "not attempted": [("14", not_yet, dict(expected=14.0))],
}


def test_grader_check_lines_in_chinese():
    viz.set_language("zh")
    assert printed(run_task, *CHECKS["passed"]) == "  ✓ 14：得到 14\n✓ l05_demo：2/2 分\n"
    wrong = printed(run_task, *CHECKS["wrong"])
    assert wrong.startswith("  ✗ 14：期望 14，得到 28\n      提示：divide by 2h\n✗ l05_demo：目前 0/2 分")
    waiting = printed(run_task, *CHECKS["not attempted"])
    assert waiting.startswith("… l05_demo：还没有作答（0/2 分）\n  请在上面的单元格里写出你的答案")


@pytest.mark.parametrize("status", sorted(CHECKS))
def test_grader_feedback_in_english_is_unchanged_after_a_round_trip(status):
    english = printed(run_task, *CHECKS[status])
    viz.set_language("zh")
    assert printed(run_task, *CHECKS[status]) != english
    viz.set_language("en")
    assert printed(run_task, *CHECKS[status]) == english
    assert {"passed": "2/2 points", "wrong": "0/2 points so far", "not attempted": "not attempted yet"}[
        status
    ] in english


def test_grader_topological_order_feedback_in_chinese():
    viz.set_language("zh")
    graph = {"nodes": ["a", "b"], "edges": [["a", "b"]]}
    out = printed(run_task, ("order", lambda: ["b", "a"], dict(expected=graph, judge="topo_order")))
    assert "b 排在 a 前面，但必须先处理 a" in out


# --- the later lessons' widgets -------------------------------------------------------------------------


def all_text(widget):
    """Every HTML value, description and option of a widget and its children."""
    found = []

    def walk(w):
        if isinstance(getattr(w, "value", None), str):
            found.append(w.value)
        for attr in ("description", "options"):
            if hasattr(w, attr):
                found.append(str(getattr(w, attr)))
        for child in getattr(w, "children", ()):
            walk(child)

    walk(getattr(widget, "widget", widget))
    return "\n".join(found)


def later_widgets():
    x = minigrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    X = minigrad.ones(4, 3, requires_grad=True)
    Y = X * x - x
    hand = {"W": np.ones((2, 3)), "b": np.ones(3) * 2}
    auto = {"W": np.ones((3, 2)), "b": np.ones(3)}
    code = "a = torch.ones(3, requires_grad=True)\nb = a.exp()\nb.add_(1)\nb.sum().backward()"
    return {
        "SavedTensorsStepper": (
            lambda: viz.SavedTensorsStepper(example()[-1]),
            "前向传播之后",
            "After the",
        ),
        "VersionTimeline": (lambda: viz.VersionTimeline(code), "被原地修改", "changed in place"),
        "GradientTable": (lambda: viz.GradientTable(hand, auto), "转置了", "transposed"),
        "VJPExplorer": (lambda: viz.VJPExplorer(x * x, x), "加权各行之和", "sum of the weighted rows"),
        "JacobianRows": (
            lambda: viz.JacobianRows(lambda t: t * t, x.detach()),
            "次 backward 调用",
            "backward calls",
        ),
        "ShapeAligner": (lambda: viz.ShapeAligner([((4, 3), (3,))]), "大小为 1，被拉伸", "stretched"),
        "UnbroadcastStepper": (
            lambda: viz.UnbroadcastStepper(Y, minigrad.ones(4, 3), names={"X": X, "x": x, "Y": Y}),
            "梯度要求和回它的形状",
            "summed back",
        ),
    }


@pytest.mark.parametrize("name", sorted(later_widgets()))
def test_later_lessons_widgets_speak_chinese(name):
    make, chinese, english = later_widgets()[name]
    assert english in all_text(make())  # (the English counterpart is there in English)
    viz.set_language("zh")
    text = all_text(make())
    assert chinese in text and english not in text
