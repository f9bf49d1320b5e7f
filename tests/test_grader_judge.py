"""The judge and the in-notebook check helpers: what a learner reads after running a check cell."""

import json

import numpy as np
import pytest

import minigrad
from grader import Task
from grader.checks import RECORD_MIME
from grader.judge import describe, judge, to_plain


def spec(expected, **kw):
    return {"expected": expected, "judge": "close", "rtol": 1e-6, "atol": 1e-9, **kw}


def test_close_numbers_pass_within_tolerance():
    assert judge(spec(14.0), 14.0000000001).ok


def test_wrong_number_says_expected_and_got_with_enough_digits():
    verdict = judge(spec(14.0, rtol=1e-8), 14.00003)
    assert verdict.status == "wrong"
    assert verdict.message == "expected 14, got 14.00003"


def test_known_wrong_answer_names_the_misconception():
    verdict = judge(spec(2.0, hints=[[1.0, "use += at forks"]]), 1.0)
    assert verdict.hint == "use += at forks"


def test_hint_can_match_none():
    verdict = judge(spec(6.0, hints=[[None, "call retain_grad"]]), None)
    assert verdict.hint == "call retain_grad"


def test_none_without_a_listed_hint_suggests_a_missing_return():
    assert "return" in judge(spec(6.0), None).hint


def test_shape_mismatch_is_explained():
    assert "shape" in judge(spec([1.0, 2.0]), [1.0, 2.0, 3.0]).hint


def test_bools_are_not_numbers():
    assert not judge(spec(True, judge="equal"), 1).ok
    assert not judge(spec(1.0), True).ok


def test_name_error_means_not_attempted():
    verdict = judge(spec(1.0), error={"type": "NameError", "message": "name 'x' is not defined"})
    assert verdict.status == "not attempted"
    assert verdict.message.startswith("not attempted yet")


def test_not_implemented_means_not_attempted():
    assert judge(spec(1.0), error={"type": "NotImplementedError"}).status == "not attempted"


def test_other_exceptions_are_reported_with_their_message():
    verdict = judge(spec(1.0), error={"type": "ZeroDivisionError", "message": "division by zero"})
    assert verdict.status == "error"
    assert verdict.message == "your code raised ZeroDivisionError: division by zero"


def test_an_error_gets_the_task_s_own_hint_after_the_generic_one():
    """Lesson 10: a first grad() without create_graph=True makes the second raise; the task's hint
    about create_graph is what the learner needs (it never showed before)."""
    error = {"type": "RuntimeError", "message": "element 0 of tensors does not require grad"}
    verdict = judge(spec(12.0, hint="Did the first grad call get create_graph=True?"), error=error)
    assert verdict.hint.startswith("Read the error message")
    assert verdict.hint.endswith("Did the first grad call get create_graph=True?")
    assert judge(spec(12.0), error=error).hint.startswith("Read the error message")


def test_recursion_error_gets_the_explicit_stack_hint():
    verdict = judge(spec(1.0), error={"type": "RecursionError", "message": "too deep"})
    assert "stack" in verdict.hint


GRAPH = {"nodes": ["out", "s", "a"], "edges": [["out", "s"], ["s", "a"], ["out", "a"]]}


def test_any_valid_topological_order_passes():
    assert judge(spec(GRAPH, judge="topo_order"), ["out", "s", "a"]).ok


@pytest.mark.parametrize(
    "order, words",
    [
        (["out", "a", "s"], "must be processed first"),
        (["out", "s"], "missing"),
        (["out", "s", "a", "a"], "more than once"),
        (["out", "s", "a", "zz"], "not nodes"),
    ],
)
def test_invalid_orders_are_explained(order, words):
    verdict = judge(spec(GRAPH, judge="topo_order"), order)
    assert not verdict.ok and words in verdict.message


def test_to_plain_turns_tensors_and_arrays_into_lists():
    t = minigrad.tensor([1.0, 2.0], requires_grad=True)
    assert to_plain({"t": t, "a": np.array([[1, 2]]), "s": np.float64(0.5)}) == {
        "t": [1.0, 2.0],
        "a": [[1, 2]],
        "s": 0.5,
    }


def test_to_plain_marks_foreign_objects():
    assert to_plain(len) == {"__object__": "builtin_function_or_method"}
    assert describe(to_plain(len)) == "a builtin_function_or_method object"


# --------------------------------------------------------------------------- Task, in a notebook


def test_task_prints_a_tick_and_the_points(capsys):
    task = Task("demo", points=2)
    task.check("value", lambda: 14.0, expected=14.0)
    task.done()
    out = capsys.readouterr().out
    assert "✓ value" in out and "✓ demo: 2/2 points" in out


def test_task_explains_a_wrong_answer_without_raising(capsys):
    task = Task("demo", points=2)
    task.check("value", lambda: 28.0, expected=14.0, hints=[(28.0, "divide by 2h")])
    task.done()
    out = capsys.readouterr().out
    assert "expected 14, got 28" in out and "Hint: divide by 2h" in out
    assert "0/2 points" in out


def test_task_says_not_attempted_for_an_unfinished_answer(capsys):
    task = Task("demo", points=1)

    def unfinished():
        raise NotImplementedError()

    task.check("value", unfinished, expected=1.0)
    task.check("other", lambda: undefined_name, expected=1.0)  # noqa: F821
    task.done()
    out = capsys.readouterr().out
    assert "not attempted yet" in out and "Traceback" not in out


def test_records_are_emitted_only_while_grading(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    Task("demo", 1).check("v", lambda: 1.0, expected=1.0)
    assert shown == []
    monkeypatch.setenv("MINIGRAD_GRADER_RECORDS", "1")
    Task("demo", 1).check("v", lambda: 1.0)
    record = json.loads(shown[0][RECORD_MIME])
    assert record["task"] == "demo" and record["label"] == "v" and record["got"] == 1.0


def test_a_digest_recognises_the_answer_to_six_digits():
    from grader.judge import answer_digest

    digest = answer_digest("t/x", [2 - np.cos(5), True])
    assert judge({"digest": digest, "salt": "t/x", "hints": []}, [1.7163378, True]).ok
    wrong = judge({"digest": digest, "salt": "t/x", "hints": [[[1.0, True], "why"]]}, [1.0, True])
    assert wrong.message == "[1, True] is not right yet" and wrong.hint == "why"


def test_secret_checks_are_graded_to_six_digits_like_the_learner_sees_them():
    assert judge({"expected": 1.7163378, "secret": True}, 1.71634).ok
    assert not judge({"expected": 1.7163378, "secret": True}, 1.7163).ok
