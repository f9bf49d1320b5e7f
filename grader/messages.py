"""What a check cell says to the learner, in English and Chinese: one source for each message.

The language is the one :func:`minigrad.viz.set_language` chose in the learner's kernel (the Chinese
notebooks call ``viz.set_language("zh")`` in their first cell), so ``✓ …: 2/2 points`` becomes
``✓ …：2/2 分``. The grader's own process never switches: its report for the teacher is English.
Hints written in a check cell (``hints=[(28.0, "…")]``) are the notebook's text, not the grader's:
the Chinese notebooks translate those themselves.
"""

from minigrad.viz.i18n import Catalogue

_M = {
    # --- checks.py: one line per check, one line per task ------------------------------------------
    "check.line": {"en": "  {symbol} {label}: {message}", "zh": "  {symbol} {label}：{message}"},
    "check.hint": {"en": "Hint: {hint}", "zh": "提示：{hint}"},
    "check.recorded": {"en": "answer recorded for the grader", "zh": "答案已记录，交给评分程序"},
    "task.passed": {"en": "✓ {task}: {points}/{points} points", "zh": "✓ {task}：{points}/{points} 分"},
    "task.not_attempted": {
        "en": (
            "… {task}: not attempted yet{detail} (0/{points} points)\n"
            "  Write your answer in the cell above (replace `raise NotImplementedError()`), "
            "run it, then run this cell."
        ),
        "zh": (
            "… {task}：还没有作答{detail}（0/{points} 分）\n"
            "  请在上面的单元格里写出你的答案（替换 `raise NotImplementedError()`），"
            "运行它，然后运行这个单元格。"
        ),
    },
    "task.failed": {
        "en": (
            "✗ {task}: 0/{points} points so far — fix the answer cell above, "
            "run it, then run this cell again."
        ),
        "zh": "✗ {task}：目前 0/{points} 分 —— 请修改上面的答案单元格，运行它，然后再运行这个单元格。",
    },
    # --- judge.py: verdicts --------------------------------------------------------------------------
    "judge.not_attempted": {"en": "not attempted yet", "zh": "还没有作答"},
    "judge.not_attempted_detail": {"en": " ({detail})", "zh": "（{detail}）"},
    "judge.write_answer": {
        "en": "Write your answer in the cell above, run it (Shift+Enter), then run this cell.",
        "zh": "请在上面的单元格里写出你的答案，运行它（Shift+Enter），然后运行这个单元格。",
    },
    "judge.raised": {"en": "your code raised {type}", "zh": "你的代码抛出了 {type}"},
    "judge.raised_message": {
        "en": "your code raised {type}: {message}",
        "zh": "你的代码抛出了 {type}：{message}",
    },
    "judge.recursion_hint": {
        "en": (
            "Recursion cannot follow a long graph (Python stops at ~1000 nested calls): "
            "keep the nodes still to visit in a list used as a stack, and loop."
        ),
        "zh": (
            "递归走不完一个很长的计算图（Python 在大约 1000 层嵌套调用处停止）："
            "把还要访问的节点放在一个当作栈使用的列表里，用循环处理。"
        ),
    },
    "judge.took_too_long": {"en": "took too long", "zh": "运行时间太长"},
    "judge.timeout_hint": {"en": "Look for a loop that never ends.", "zh": "找找有没有永远不会结束的循环。"},
    "judge.error_hint": {
        "en": "Read the error message above the last line of the traceback; fix the answer cell.",
        "zh": "读一读回溯信息最后一行上方的错误消息，然后修改答案单元格。",
    },
    "judge.error_then_hint": {
        "en": "Read the error message above the last line of the traceback; fix the answer cell. {hint}",
        "zh": "读一读回溯信息最后一行上方的错误消息，然后修改答案单元格。{hint}",
    },
    "judge.valid_order": {"en": "a valid order: {order}", "zh": "一个有效的顺序：{order}"},
    "judge.got": {"en": "got {value}", "zh": "得到 {value}"},
    "judge.expected_got": {"en": "expected {expected}, got {got}", "zh": "期望 {expected}，得到 {got}"},
    "judge.not_right_yet": {"en": "{value} is not right yet", "zh": "{value} 还不对"},
    "judge.object": {"en": "a {type} object", "zh": "一个 {type} 对象"},
    # topological orders
    "topo.not_a_list": {
        "en": "expected a list of nodes, got {value}",
        "zh": "期望一个节点列表，得到 {value}",
    },
    "topo.missing": {
        "en": "these nodes are missing from your order: {nodes}",
        "zh": "你的顺序里缺少这些节点：{nodes}",
    },
    "topo.duplicates": {
        "en": "these nodes appear more than once: {nodes}",
        "zh": "这些节点出现了不止一次：{nodes}",
    },
    "topo.not_nodes": {
        "en": "these are not nodes of the graph: {nodes}",
        "zh": "这些不是计算图中的节点：{nodes}",
    },
    "topo.wrong_order": {
        "en": "{b} comes before {a}, but {a} must be processed first (it feeds {b}'s gradient)",
        "zh": "{b} 排在 {a} 前面，但必须先处理 {a}（{b} 的梯度要从它传来）",
    },
    # hints that follow from the kind of mistake
    "hint.none": {
        "en": "Your code gave None: did a function forget to `return` its result?",
        "zh": "你的代码得到了 None：是不是某个函数忘了 `return` 结果？",
    },
    "hint.object": {
        "en": "Give a value (a number, a list, a tensor), not the object itself.",
        "zh": "请给出一个值（数字、列表或张量），而不是对象本身。",
    },
    "hint.one_number": {
        "en": "Expected a single number; yours has several values (did you forget `.item()`?).",
        "zh": "期望一个数；你的答案有好几个值（是不是忘了 `.item()`？）。",
    },
    "hint.shape": {
        "en": "Expected shape {expected}, yours has shape {got}.",
        "zh": "期望的形状是 {expected}，你的形状是 {got}。",
    },
    "hint.bool": {"en": "Answer with True or False.", "zh": "请用 True 或 False 回答。"},
    "hint.sign": {"en": "Right size, wrong sign.", "zh": "大小对了，符号错了。"},
}

#: The check cells' catalogue (see :class:`minigrad.viz.i18n.Catalogue`).
MESSAGES = Catalogue(_M)
