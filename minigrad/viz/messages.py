"""Every sentence the widgets, drawings and text tables show, in English and Chinese: one source each.

A message is looked up by its key with :func:`minigrad.viz.i18n.text` (``text("paths.engine", L="L",
a="a", value="42")``) in the language :func:`minigrad.viz.set_language` chose. Fields in braces are
filled in with ``str.format``. Keys start with the module that uses them.

Terms used in the Chinese text (the client's tutorials use the same): 计算图 (graph), 节点 (node),
边 (edge), 叶子节点 (leaf), 链式法则 (chain rule), 反向传播 (backward pass), 前向传播 (forward pass),
梯度 (gradient), 梯度累加 (gradient accumulation), 输入缓冲区 (input buffer), 依赖计数 (dependency
count), 就绪队列 (ready queue), 保存的张量 (saved tensors), 向量-雅可比积 (vector–Jacobian product),
雅可比矩阵 (Jacobian), 广播 (broadcasting), 版本计数器 (version counter), 损失 (loss), 学习率
(learning rate), 步 (step), 帧 (frame). PyTorch's names (``grad_fn``, ``AccumulateGrad``,
``MulBackward0``, ``.grad``, ``requires_grad``) are not translated.
"""

from .i18n import Catalogue

_M = {
    # --- _format.py: numbers and tensors ----------------------------------------------------------
    "format.shape_only": {"en": "⟨shape {shape}⟩", "zh": "⟨形状 {shape}⟩"},
    # --- graph.py: tensor descriptions --------------------------------------------------------------
    "graph.value_not_kept": {"en": "(value not kept)", "zh": "（值未保留）"},
    # --- style.py: what each kind of node means (legends) --------------------------------------------
    "kind.leaf": {
        "en": "leaf tensor (you made it; .grad is stored here)",
        "zh": "叶子节点张量（由你创建；.grad 存在这里）",
    },
    "kind.non-leaf": {
        "en": "non-leaf tensor (made by an operation)",
        "zh": "非叶子张量（由运算产生）",
    },
    "kind.retained": {
        "en": "non-leaf with retain_grad() (keeps .grad)",
        "zh": "调用了 retain_grad() 的非叶子张量（保留 .grad）",
    },
    "kind.no grad": {
        "en": "constant: requires_grad=False (no gradient)",
        "zh": "常量：requires_grad=False（没有梯度）",
    },
    "kind.op": {"en": "operation", "zh": "运算"},
    "kind.grad_fn": {
        "en": "grad_fn node (backward of one operation)",
        "zh": "grad_fn 节点（一个运算的反向）",
    },
    "kind.accumulate": {
        "en": "AccumulateGrad: adds into leaf.grad",
        "zh": "AccumulateGrad：累加到叶子节点的 .grad",
    },
    "kind.grad_fn retained": {
        "en": "grad_fn whose output called retain_grad()",
        "zh": "其输出调用了 retain_grad() 的 grad_fn",
    },
    # --- render.py: drawings -------------------------------------------------------------------------
    "render.install_hint": {
        "en": (
            "minigrad.viz: the Graphviz program `dot` was not found, so the graph cannot be drawn as a "
            "picture.\n"
            "`pip install graphviz` installs only the Python wrapper; install the program itself:\n"
            "  Debian/Ubuntu:  sudo apt-get install graphviz\n"
            "  macOS:          brew install graphviz\n"
            "  conda:          conda install -c conda-forge graphviz\n"
            "  Windows:        winget install graphviz   (then restart Jupyter)\n"
            "(From this repository, `make setup` installs it.) Meanwhile, here is the graph as text:"
        ),
        "zh": (
            "minigrad.viz：找不到 Graphviz 程序 `dot`，所以无法把计算图画成图片。\n"
            "`pip install graphviz` 只安装 Python 封装；请安装程序本身：\n"
            "  Debian/Ubuntu:  sudo apt-get install graphviz\n"
            "  macOS:          brew install graphviz\n"
            "  conda:          conda install -c conda-forge graphviz\n"
            "  Windows:        winget install graphviz   （然后重启 Jupyter）\n"
            "（在本仓库中，`make setup` 会安装它。）在此之前，下面是文字形式的计算图："
        ),
    },
    "render.tag.leaf": {"en": "(leaf)", "zh": "（叶子节点）"},
    "render.tag.retained": {"en": "(retain_grad)", "zh": "（retain_grad）"},
    "render.tag.const": {"en": "(no grad)", "zh": "（无梯度）"},
    "render.no_grad_fn": {"en": "(no grad_fn)", "zh": "（无 grad_fn）"},
    "render.legend": {"en": "legend", "zh": "图例"},
    "render.text_backward": {
        "en": "backward graph of {L} (gradients flow along →):",
        "zh": "{L} 的反向计算图（梯度沿 → 流动）：",
    },
    "render.text_accumulate": {
        "en": "  {id}: AccumulateGrad → {sym} (leaf) = {value}",
        "zh": "  {id}: AccumulateGrad → {sym}（叶子节点）= {value}",
    },
    "render.text_node": {"en": "  {id}: {name} (made {outs})", "zh": "  {id}: {name}（产生 {outs}）"},
    "render.text_no_graph": {
        "en": "  {value} (no grad_fn, does not require grad)",
        "zh": "  {value}（无 grad_fn，不需要梯度）",
    },
    "render.text_values": {
        "en": "value graph of {L} (values flow along →):",
        "zh": "{L} 的值计算图（值沿 → 流动）：",
    },
    "render.constants": {"en": "(constants)", "zh": "（常量）"},
    # --- widgets.py: BackwardStepper ---------------------------------------------------------------
    "widget.too_many_nodes": {
        "en": (
            "This graph has {n} nodes: too many to draw legibly (the limit is {limit}). "
            "The steps below still show the engine at work."
        ),
        "zh": (
            "这个计算图有 {n} 个节点，太多了，画不清楚（上限是 {limit} 个）。下面的各步仍然展示引擎的工作。"
        ),
    },
    "stepper.legend.running": {"en": "running now", "zh": "正在运行"},
    "stepper.legend.ready": {"en": "in the ready queue", "zh": "在就绪队列中"},
    "stepper.legend.finished": {"en": "has run", "zh": "已运行"},
    "stepper.legend.carried": {
        "en": "edge that carried its gradient (labelled)",
        "zh": "已传过梯度的边（标有梯度值）",
    },
    "stepper.legend.accumulate": {"en": "AccumulateGrad (leaf)", "zh": "AccumulateGrad（叶子节点）"},
    "stepper.empty": {"en": "(empty)", "zh": "（空）"},
    "stepper.none": {"en": "(none)", "zh": "（无）"},
    "stepper.ready_queue": {"en": "ready queue", "zh": "就绪队列"},
    "stepper.dependencies": {"en": "dependencies left", "zh": "剩余依赖计数"},
    "stepper.buffers": {"en": "input buffers", "zh": "输入缓冲区"},
    "stepper.frame": {"en": "[frame {index}/{total}]", "zh": "[第 {index}/{total} 帧]"},
    "stepper.grads_so_far": {
        "en": "gradients so far (what .grad will be)",
        "zh": "目前的梯度（.grad 将会是的值）",
    },
    # --- widgets.py: PathExplorer ------------------------------------------------------------------
    "paths.option": {"en": "path {i}: {symbols}: {value}", "zh": "路径 {i}：{symbols}：{value}"},
    "paths.option_all": {"en": "all {n} paths: sum = {value}", "zh": "全部 {n} 条路径：和 = {value}"},
    "paths.title": {
        "en": (
            "<b>∂{L}/∂{a} as a sum over paths</b>: each path contributes the product of the "
            "local derivatives along it; the contributions add up."
        ),
        "zh": "<b>∂{L}/∂{a} 是各条路径之和</b>：每条路径贡献沿途局部导数的乘积，各条路径的贡献相加。",
    },
    "paths.engine": {"en": "engine: ∂{L}/∂{a} = {value}", "zh": "引擎：∂{L}/∂{a} = {value}"},
    "paths.equal": {"en": "✓ equal", "zh": "✓ 相等"},
    "paths.not_all_yet": {"en": "≠ (not all paths yet)", "zh": "≠（还没加上所有路径）"},
    "paths.path_title": {"en": "path {i} of {n}: {symbols}", "zh": "路径 {i}/{n}：{symbols}"},
    "paths.running_sum": {
        "en": "running sum (paths 1–{i}): {parts} = {value}",
        "zh": "累加和（路径 1–{i}）：{parts} = {value}",
    },
    "paths.only_first": {
        "en": "Only the first {k} of {n} paths are listed: the sum below is not complete.",
        "zh": "{n} 条路径中只列出了前 {k} 条：下面的和并不完整。",
    },
    "paths.all_title": {"en": "all {n} paths", "zh": "全部 {n} 条路径"},
    "paths.sum": {"en": "sum over paths: {parts} = {value}", "zh": "各路径之和：{parts} = {value}"},
    # --- paths.py ----------------------------------------------------------------------------------
    "paths.no_gradient": {"en": "0 (no gradient along this path)", "zh": "0（这条路径上没有梯度）"},
    "paths.vjp_chain": {
        "en": "{chain} (vector–Jacobian products along the path) = {value}",
        "zh": "{chain}（沿路径的向量-雅可比积） = {value}",
    },
    # --- explorer.py: GraphExplorer -----------------------------------------------------------------
    "explorer.freed": {"en": "freed by backward()", "zh": "已被 backward() 释放"},
    "explorer.title": {
        "en": (
            "<b>The backward graph of {L}</b>: pick a node to see where its gradients go "
            "(<code>next_functions</code>), what it saved, and at a leaf, the leaf's "
            "<code>.grad</code>."
        ),
        "zh": (
            "<b>{L} 的反向计算图</b>：选一个节点，看它的梯度传向哪里（<code>next_functions</code>）、"
            "它保存了什么；在叶子节点处，看叶子节点的 <code>.grad</code>。"
        ),
    },
    "explorer.option_leaf": {
        "en": "AccumulateGrad: the leaf {leaf}",
        "zh": "AccumulateGrad：叶子节点 {leaf}",
    },
    "explorer.no_gradient": {
        "en": "this input needs no gradient (a constant)",
        "zh": "这个输入不需要梯度（常量）",
    },
    "explorer.child_leaf": {
        "en": "the AccumulateGrad of the leaf {leaf}",
        "zh": "叶子节点 {leaf} 的 AccumulateGrad",
    },
    "explorer.child_node": {"en": "the node of {sym}", "zh": "{sym} 的节点"},
    "explorer.accumulate_title": {
        "en": "AccumulateGrad: where the gradient of the leaf {leaf} lands",
        "zh": "AccumulateGrad：叶子节点 {leaf} 的梯度落在这里",
    },
    "explorer.variable": {"en": "{value}  (the leaf {leaf} itself)", "zh": "{value}（就是叶子节点 {leaf}）"},
    "explorer.leaf_ends": {
        "en": "{next}: nothing further, the leaf ends the path",
        "zh": "{next}：没有后续了，叶子节点是路径的终点",
    },
    "explorer.saved": {"en": "saved tensors", "zh": "保存的张量"},
    "explorer.saved_none": {
        "en": "none: its backward needs no forward values",
        "zh": "无：它的反向不需要前向传播的值",
    },
    # --- controls.py: frame controls (shared by every widget of frames) -------------------------------
    "controls.frame": {"en": "frame", "zh": "帧"},
    "controls.frame_k": {"en": "frame {k}", "zh": "第 {k} 帧"},
    "controls.play": {"en": "play", "zh": "播放"},
    "controls.ms_per_frame": {"en": "ms/frame", "zh": "毫秒/帧"},
    "controls.step": {"en": "step", "zh": "步"},
    # --- trace.py: the stepper's frames --------------------------------------------------------------
    "trace.more_nodes": {"en": "… {n} more nodes", "zh": "… 另外 {n} 个节点"},
    "trace.more": {"en": "… {n} more", "zh": "… 另外 {n} 个"},
    "trace.truncated": {
        "en": "… the pass goes on ({n} nodes in all); the stepper shows the first {k} steps.",
        "zh": "… 反向传播还在继续（共 {n} 个节点）；步进器只显示前 {k} 步。",
    },
    "trace.start_title": {
        "en": "Start: seed ∂{L}/∂{L} = {seed} into the buffer of {name}",
        "zh": "开始：把种子梯度 ∂{L}/∂{L} = {seed} 放进 {name} 的输入缓冲区",
    },
    "trace.start_seed": {
        "en": "∂{L}/∂{L} = {seed}  (the gradient of {L} with respect to itself)",
        "zh": "∂{L}/∂{L} = {seed}（{L} 对自身的梯度）",
    },
    "trace.start_buffer": {
        "en": "It goes into the input buffer of {name}, the node that made {L}.",
        "zh": "它进入 {name} 的输入缓冲区；{name} 就是产生 {L} 的节点。",
    },
    "trace.run_accumulate_title": {
        "en": "Step {step}: run AccumulateGrad for {sym}",
        "zh": "第 {step} 步：为 {sym} 运行 AccumulateGrad",
    },
    "trace.complete": {"en": "∂{L}/∂{sym} = {value} is complete.", "zh": "∂{L}/∂{sym} = {value} 已完整。"},
    "trace.flowed_in": {
        "en": "∂{L}/∂{sym} = {value}  (everything that flowed into this node, summed)",
        "zh": "∂{L}/∂{sym} = {value}（流入这个节点的所有梯度之和）",
    },
    "trace.multiplies": {
        "en": "{name}.backward multiplies it by the local derivatives, one edge at a time.",
        "zh": "{name}.backward 把它乘以局部导数，一次一条边（链式法则）。",
    },
    "trace.run_title": {"en": "Step {step}: run {name}", "zh": "第 {step} 步：运行 {name}"},
    "trace.hook_outputs": {"en": "the gradients of its outputs", "zh": "其输出的梯度"},
    "trace.hook_inputs": {"en": "the gradients it sends to its inputs", "zh": "它发给各输入的梯度"},
    "trace.node_hook": {
        "en": "{kind} of {name} replaced {what}: {before} → {after}",
        "zh": "{name} 的 {kind} 替换了{what}：{before} → {after}",
    },
    "trace.node_hook_title": {"en": "Step {step}: {kind} of {name}", "zh": "第 {step} 步：{name} 的 {kind}"},
    "trace.tensor_hook": {
        "en": "hook on {sym}: ∂{L}/∂{sym} {before} → {after}",
        "zh": "{sym} 上的钩子：∂{L}/∂{sym} {before} → {after}",
    },
    "trace.tensor_hook_title": {"en": "Step {step}: hook on {sym}", "zh": "第 {step} 步：{sym} 上的钩子"},
    "trace.grad_was_none": {
        "en": "{sym}.grad = {value}  (it was None)",
        "zh": "{sym}.grad = {value}（原来是 None）",
    },
    "trace.only_shown": {
        "en": "(the stepper only shows this: the real .grad is not changed)",
        "zh": "（步进器只是展示这一步：真正的 .grad 没有改变）",
    },
    "trace.accumulate_title": {
        "en": "Step {step}: AccumulateGrad stores {sym}.grad",
        "zh": "第 {step} 步：AccumulateGrad 写入 {sym}.grad",
    },
    "trace.skip_title": {"en": "Step {step}: skip {name}", "zh": "第 {step} 步：跳过 {name}"},
    "trace.skip": {
        "en": "{name} is not on a path to the requested inputs.",
        "zh": "{name} 不在通往所求输入的路径上。",
    },
    "trace.done_title": {"en": "Done: {n} nodes ran", "zh": "完成：共运行了 {n} 个节点"},
    "trace.send_title": {
        "en": "Step {step}: {name} sends ∂{L}/∂{dst} along edge {edge}",
        "zh": "第 {step} 步：{name} 沿边 {edge} 发送 ∂{L}/∂{dst}",
    },
    "trace.no_gradient": {
        "en": "No gradient for {dst} (backward returned None).",
        "zh": "{dst} 没有梯度（backward 返回了 None）。",
    },
    "trace.buffer": {"en": "input buffer of {target}: {total}", "zh": "{target} 的输入缓冲区：{total}"},
    "trace.buffer_fork": {
        "en": "input buffer of {target}: {previous} + {grad} = {total}  (a fork: contributions add up)",
        "zh": "{target} 的输入缓冲区：{previous} + {grad} = {total}（分叉：各路贡献相加）",
    },
    "trace.waits_one": {"en": "{target} waits for 1 more gradient", "zh": "{target} 还在等 1 个梯度"},
    "trace.waits": {"en": "{target} waits for {n} more gradients", "zh": "{target} 还在等 {n} 个梯度"},
    "trace.ready": {
        "en": "{target} has all its gradients: it joins the ready queue",
        "zh": "{target} 的梯度已经到齐：它进入就绪队列",
    },
    "trace.broadcast": {"en": "  (broadcast: {a} → {b})", "zh": "（广播：{a} → {b}）"},
    "trace.vjp": {
        "en": "  (vector–Jacobian product, shape {a} → {b})",
        "zh": "（向量-雅可比积，形状 {a} → {b}）",
    },
    # --- broadcast.py: ShapeAligner and UnbroadcastStepper (lesson 09) -----------------------------------
    "broadcast.same": {"en": "same size", "zh": "大小相同"},
    "broadcast.stretched": {"en": "size 1, stretched", "zh": "大小为 1，被拉伸"},
    "broadcast.missing": {"en": "missing, added", "zh": "缺失，被补上"},
    "broadcast.mismatch": {"en": "does not fit", "zh": "不匹配"},
    "broadcast.operand": {"en": "operand {i}", "zh": "操作数 {i}"},
    "broadcast.axis": {"en": "axis {k}", "zh": "轴 {k}"},
    "broadcast.result": {"en": "result {shape}", "zh": "结果 {shape}"},
    "broadcast.nothing_to_sum": {
        "en": "gradient of {name}: arrives with shape {shape}, nothing to sum",
        "zh": "{name} 的梯度：到达时形状为 {shape}，不需要求和",
    },
    "broadcast.sum_removed": {
        "en": "sum over axis {axes} (added: it disappears)",
        "zh": "沿轴 {axes} 求和（补上的轴：求和后消失）",
    },
    "broadcast.sum_kept": {
        "en": "sum over axis {axes} keeping it as size 1 (keepdim=True)",
        "zh": "沿轴 {axes} 求和，并保留为大小 1（keepdim=True）",
    },
    "broadcast.gradient_of": {
        "en": "gradient of {name}: {before} → {after}: ",
        "zh": "{name} 的梯度：{before} → {after}：",
    },
    "broadcast.sep": {"en": "; ", "zh": "；"},
    "broadcast.shapes": {"en": "shapes", "zh": "形状"},
    "broadcast.the_output": {"en": "the output", "zh": "输出"},
    "broadcast.start": {
        "en": "Start: the gradient of {name}, shape {shape}, goes to {node}",
        "zh": "开始：{name} 的梯度（形状 {shape}）传给 {node}",
    },
    "broadcast.receives": {
        "en": "Step {step}: {node} receives a gradient of shape {shape}",
        "zh": "第 {step} 步：{node} 收到一个形状为 {shape} 的梯度",
    },
    "broadcast.the_leaf": {"en": "the leaf", "zh": "叶子节点"},
    "broadcast.accumulate": {
        "en": "Step {step}: AccumulateGrad stores {name}.grad, shape {shape} = {name}'s own shape",
        "zh": "第 {step} 步：AccumulateGrad 写入 {name}.grad，形状 {shape} = {name} 自己的形状",
    },
    "broadcast.dry_run": {
        "en": "(a dry run: the widget shows what .grad will be; the real .grad is not changed)",
        "zh": "（演练：组件展示 .grad 将会是什么；真正的 .grad 没有改变）",
    },
    "broadcast.the_input_of": {"en": "the input of {node}", "zh": "{node} 的输入"},
    "broadcast.a_gradient": {"en": "a gradient", "zh": "一个梯度"},
    "broadcast.sends": {
        "en": "Step {step}: {node} sends {what} to {to} along edge {edge}: {before} → {after}",
        "zh": "第 {step} 步：{node} 沿边 {edge} 把 {what} 发送给 {to}：{before} → {after}",
    },
    "broadcast.same_shape": {
        "en": "Same shape as {target}: nothing was broadcast, so there is nothing to sum.",
        "zh": "与 {target} 形状相同：没有发生广播，所以不需要求和。",
    },
    "broadcast.turned": {
        "en": "{node}'s backward turned the {before} gradient into {target}'s shape {after}.",
        "zh": "{node} 的反向把形状为 {before} 的梯度变成了 {target} 的形状 {after}。",
    },
    "broadcast.turned_vjp": {
        "en": (
            "{node}'s backward (a vector–Jacobian product, not a broadcast) turned the {before} gradient "
            "into {target}'s shape {after}."
        ),
        "zh": (
            "{node} 的反向（向量-雅可比积，不是广播）把形状为 {before} 的梯度变成了 {target} 的形状 {after}。"
        ),
    },
    "broadcast.summed_back": {
        "en": "{target} was broadcast: the gradient is summed back to its shape.",
        "zh": "{target} 被广播过：梯度要求和回它的形状。",
    },
    "broadcast.summed_back_negated": {
        "en": (
            "{target} was broadcast (and subtracted): the gradient is summed back to its shape and negated."
        ),
        "zh": "{target} 被广播过（并且是减数）：梯度要求和回它的形状，再取负。",
    },
    "broadcast.multiplied": {
        "en": (
            "{target} was broadcast: {node} multiplied by its local derivative, then summed "
            "over the axes below."
        ),
        "zh": "{target} 被广播过：{node} 先乘以局部导数，再沿下面的轴求和。",
    },
    "broadcast.arrived_caption": {
        "en": "the gradient that arrived, shape {shape}",
        "zh": "到达的梯度，形状 {shape}",
    },
    "broadcast.the_input": {"en": "the input", "zh": "输入"},
    "broadcast.output": {"en": "output", "zh": "输出"},
    "broadcast.sent": {"en": "sent, shape {shape}", "zh": "发出的梯度，形状 {shape}"},
    "broadcast.arrived": {"en": "arrived {shape}", "zh": "到达 {shape}"},
    "broadcast.then_negated": {"en": " then negated", "zh": "，再取负"},
    "broadcast.engine_caption": {
        "en": "{code} → {shape}: the engine's gradient",
        "zh": "{code} → {shape}：引擎算出的梯度",
    },
    "broadcast.code_title": {"en": "the engine's sum, shown step by step", "zh": "引擎的求和，一步一步展示"},
    "broadcast.shape": {"en": "shape {shape}", "zh": "形状 {shape}"},
    # --- jacobian.py: VJPExplorer and JacobianRows (lesson 08) -----------------------------------------
    "jacobian.positive": {"en": "positive", "zh": "正"},
    "jacobian.negative": {"en": "negative", "zh": "负"},
    "jacobian.zero": {"en": "zero", "zh": "零"},
    "jacobian.legend_note": {
        "en": "(stronger colour = larger size; every cell also shows its number)",
        "zh": "（颜色越深 = 绝对值越大；每个格子也写出了它的数）",
    },
    "jacobian.vjp_title": {
        "en": (
            "<b>{y}.backward(gradient=v)</b> adds <b>vᵀJ</b> to {x}.grad: the rows of J = ∂{y}/∂{x} "
            "weighted by v and summed — one vector shaped like {x}, never J itself."
        ),
        "zh": (
            "<b>{y}.backward(gradient=v)</b> 把 <b>vᵀJ</b> 加到 {x}.grad 上：雅可比矩阵 J = ∂{y}/∂{x} "
            "的各行按 v 加权后求和 —— 得到一个和 {x} 形状相同的向量，而不是 J 本身（向量-雅可比积）。"
        ),
    },
    "jacobian.row_i": {"en": "J: row i = ∂{y}[i]/∂{x}", "zh": "J：第 i 行 = ∂{y}[i]/∂{x}"},
    "jacobian.weighted_row": {"en": "v[i] · row i", "zh": "v[i] · 第 i 行"},
    "jacobian.sum_rows": {"en": "sum of the weighted rows = vᵀJ", "zh": "加权各行之和 = vᵀJ"},
    "jacobian.same": {"en": "✓ the same", "zh": "✓ 相同"},
    "jacobian.differs": {"en": "≠ (differs!)", "zh": "≠（不同！）"},
    "jacobian.shape_line": {
        "en": "{x}.grad has {x}'s shape {shape}: {n} numbers, not the {m}×{n} Jacobian",
        "zh": "{x}.grad 的形状和 {x} 相同，是 {shape}：{n} 个数，而不是 {m}×{n} 的雅可比矩阵",
    },
    "jacobian.engine": {
        "en": "engine: {x}.grad after {y}.backward(gradient=v)",
        "zh": "引擎：{y}.backward(gradient=v) 之后的 {x}.grad",
    },
    "jacobian.calls": {"en": "calls", "zh": "调用次数"},
    "jacobian.rows_title": {
        "en": (
            "<b>The whole Jacobian, one backward call per row</b>: call i sends the one-hot vector e_i "
            "into {y}.backward, and {x}.grad comes back as row i. {m} outputs, {m} calls."
        ),
        "zh": (
            "<b>完整的雅可比矩阵，每行一次 backward 调用</b>：第 i 次调用把 one-hot 向量 e_i 传给 "
            "{y}.backward，{x}.grad 返回的就是第 i 行。{m} 个输出，{m} 次调用。"
        ),
    },
    "jacobian.empty_title": {
        "en": "0 backward calls: J ({m}×{n}) is still empty",
        "zh": "0 次 backward 调用：J（{m}×{n}）还是空的",
    },
    "jacobian.empty": {
        "en": "{y} = func({x}) has {m} elements: {m} rows to fill, one backward call each.",
        "zh": "{y} = func({x}) 有 {m} 个元素：要填 {m} 行，每行一次 backward 调用。",
    },
    "jacobian.call_title": {
        "en": "backward call {k} of {m}: row {i}",
        "zh": "第 {k}/{m} 次 backward 调用：第 {i} 行",
    },
    "jacobian.e_i": {"en": "e{i} (1 at position {i})", "zh": "e{i}（第 {i} 个位置为 1）"},
    "jacobian.row_back": {
        "en": "→ {x}.grad = {value} = row {i} = ∂{y}[{i}]/∂{x}",
        "zh": "→ {x}.grad = {value} = 第 {i} 行 = ∂{y}[{i}]/∂{x}",
    },
    "jacobian.same_matrix": {"en": "✓ the same matrix", "zh": "✓ 相同的矩阵"},
    "jacobian.different": {"en": "≠ a different one: {reference}", "zh": "≠ 一个不同的矩阵：{reference}"},
    "jacobian.calls_in_all": {
        "en": (
            "{calls} backward calls in all (counted by a hook on {y}); "
            "functional.jacobian(func, {x}) gives {verdict}"
        ),
        "zh": "共 {calls} 次 backward 调用（由 {y} 上的钩子计数）；functional.jacobian(func, {x}) "
        "给出{verdict}",
    },
    # --- lifetime.py: SavedTensorsStepper (lesson 10) ----------------------------------------------------
    "lifetime.summary": {
        "en": "saved tensors still held: {held} of {n} ({held_bytes} of {n_bytes} bytes)",
        "zh": "仍被持有的保存的张量：{held}/{n} 个（{held_bytes}/{n_bytes} 字节）",
    },
    "lifetime.forward_title": {
        "en": "After the forward pass: every node holds what its backward will need",
        "zh": "前向传播之后：每个节点都持有它的反向要用到的东西",
    },
    "lifetime.forward_one": {
        "en": (
            "{n} saved tensor in {nodes} nodes; "
            "read them as grad_fn._saved_self, ._saved_other, ._saved_result, …"
        ),
        "zh": (
            "{nodes} 个节点中共有 {n} 个保存的张量；"
            "可以通过 grad_fn._saved_self、._saved_other、._saved_result 等读取"
        ),
    },
    "lifetime.forward": {
        "en": (
            "{n} saved tensors in {nodes} nodes; "
            "read them as grad_fn._saved_self, ._saved_other, ._saved_result, …"
        ),
        "zh": (
            "{nodes} 个节点中共有 {n} 个保存的张量；"
            "可以通过 grad_fn._saved_self、._saved_other、._saved_result 等读取"
        ),
    },
    "lifetime.reads": {
        "en": "{name}.backward reads what it saved: {used}.",
        "zh": "{name}.backward 读取它保存的东西：{used}。",
    },
    "lifetime.saved_nothing": {
        "en": "{name} saved nothing: its local derivatives are constants.",
        "zh": "{name} 什么也没保存：它的局部导数是常数。",
    },
    "lifetime.frees_title": {
        "en": "Step {step}: {name} frees its saved tensors",
        "zh": "第 {step} 步：{name} 释放它保存的张量",
    },
    "lifetime.frees": {
        "en": "{name} has run: {attrs} freed (reading one now raises RuntimeError).",
        "zh": "{name} 已运行：{attrs} 已释放（现在读取会抛出 RuntimeError）。",
    },
    "lifetime.keeps_title": {
        "en": "Step {step}: {name} keeps its saved tensors (retain_graph=True)",
        "zh": "第 {step} 步：{name} 保留它保存的张量（retain_graph=True）",
    },
    "lifetime.keeps": {"en": "{name} has run, and keeps {attrs}.", "zh": "{name} 已运行，并保留 {attrs}。"},
    "lifetime.accumulate": {
        "en": "AccumulateGrad saved nothing: the leaf itself stays (you hold it).",
        "zh": "AccumulateGrad 什么也没保存：叶子节点本身还在（你持有它）。",
    },
    "lifetime.done_freed": {
        "en": "backward() is done, and the graph no longer holds its saved tensors.",
        "zh": "backward() 完成了，计算图不再持有它保存的张量。",
    },
    "lifetime.second_raises": {
        "en": "A second backward() (or reading a _saved_ attribute) now raises:",
        "zh": "现在第二次调用 backward()（或读取 _saved_ 属性）会抛出：",
    },
    "lifetime.done_freed_title": {
        "en": "Done: the graph is still there, its saved tensors are not",
        "zh": "完成：计算图还在，但它保存的张量已经没有了",
    },
    "lifetime.done_kept": {
        "en": "backward() is done; with retain_graph=True every saved tensor is still held.",
        "zh": "backward() 完成了；因为 retain_graph=True，每个保存的张量仍被持有。",
    },
    "lifetime.second_runs": {
        "en": "A second backward() would run, and add its gradients into .grad again.",
        "zh": "第二次 backward() 可以运行，并会把它的梯度再次累加到 .grad 中（梯度累加）。",
    },
    "lifetime.done_kept_title": {
        "en": "Done: retain_graph=True kept everything",
        "zh": "完成：retain_graph=True 保留了一切",
    },
    "lifetime.number_kept": {"en": "(a number: kept)", "zh": "（一个数：保留）"},
    "lifetime.grad_so_far": {"en": ".grad so far", "zh": "目前的 .grad"},
    "lifetime.legend.held": {"en": "saved tensor, held", "zh": "保存的张量，仍被持有"},
    "lifetime.legend.reading": {"en": "being read by backward", "zh": "正被反向读取"},
    "lifetime.legend.freed": {"en": "freed (reading it raises)", "zh": "已释放（读取会报错）"},
    "lifetime.legend.running": {"en": "node running now", "zh": "正在运行的节点"},
    "lifetime.legend.finished": {"en": "node has run", "zh": "已运行的节点"},
    # --- versions.py: VersionTimeline (lesson 11) --------------------------------------------------------
    "versions.no_counter": {"en": "no counter (inference tensor)", "zh": "没有计数器（推理张量）"},
    "versions.lines_run": {"en": "lines run", "zh": "已运行行数"},
    "versions.raised": {"en": "✗ raised", "zh": "✗ 报错"},
    "versions.just_ran": {"en": "▶ just ran", "zh": "▶ 刚运行"},
    "versions.ran": {"en": "✓ ran", "zh": "✓ 已运行"},
    "versions.not_run": {"en": "not run", "zh": "未运行"},
    "versions.line": {"en": "line", "zh": "行"},
    "versions.code": {"en": "code", "zh": "代码"},
    "versions.after_line": {"en": "after line {a}", "zh": "第 {a} 行之后"},
    "versions.after_lines": {"en": "after lines {a}–{b}", "zh": "第 {a}–{b} 行之后"},
    "versions.new": {"en": "{v} (new)", "zh": "{v}（新）"},
    "versions.no_tensors": {"en": "No tensors yet.", "zh": "还没有张量。"},
    "versions.tensor": {"en": "tensor", "zh": "张量"},
    "versions.value_now": {"en": "value now", "zh": "当前值"},
    "versions.checks_nothing": {
        "en": "Backward would check nothing yet: no tensor is saved for backward.",
        "zh": "反向传播现在还不会检查任何东西：没有为反向保存的张量。",
    },
    "versions.unchanged": {"en": "✓ unchanged: backward can use it", "zh": "✓ 未改变：反向可以使用它"},
    "versions.changed": {"en": "✗ changed in place: backward will raise", "zh": "✗ 被原地修改：反向会报错"},
    "versions.freed": {"en": "freed by an earlier backward", "zh": "已被之前的 backward 释放"},
    "versions.checks_title": {
        "en": "What backward will check (each saved tensor's version against the version it was saved at)",
        "zh": "反向传播会检查什么（每个保存的张量的版本计数器，与它被保存时的版本比较）",
    },
    "versions.head.node": {"en": "node", "zh": "节点"},
    "versions.head.saved": {"en": "saved tensor", "zh": "保存的张量"},
    "versions.head.saved_at": {"en": "saved at version", "zh": "保存时的版本"},
    "versions.head.now": {"en": "version now", "zh": "当前版本"},
    "versions.head.verdict": {"en": "verdict", "zh": "结论"},
    "versions.before": {"en": "before the first line", "zh": "第一行之前"},
    "versions.at_line": {"en": "at line {line}", "zh": "在第 {line} 行"},
    "versions.printed": {"en": "printed", "zh": "打印输出"},
    "versions.warning": {"en": "warning", "zh": "警告"},
    # --- compare.py: GradientTable (lesson 13) ---------------------------------------------------------
    "compare.match": {"en": "✓ match", "zh": "✓ 一致"},
    "compare.differs": {"en": "✗ differs", "zh": "✗ 不一致"},
    "compare.wrong_sign": {"en": "−1 × autograd's (wrong sign)", "zh": "autograd 的 −1 倍（符号错了）"},
    "compare.times": {"en": "{factor} × autograd's", "zh": "autograd 的 {factor} 倍"},
    "compare.transposed": {"en": "transposed: yours is autograd's .T", "zh": "转置了：你的是 autograd 的 .T"},
    "compare.transposed_times": {
        "en": "transposed, and yours.T is {times}",
        "zh": "转置了，而且你的 .T 是 {times}",
    },
    "compare.summed": {"en": "summed", "zh": "求和"},
    "compare.averaged": {"en": "averaged", "zh": "求平均"},
    "compare.reduced": {"en": "autograd's {word} over dim {dim}", "zh": "autograd 的结果沿第 {dim} 维{word}"},
    "compare.summing": {"en": "summing", "zh": "求和"},
    "compare.averaging": {"en": "averaging", "zh": "求平均"},
    "compare.not_reduced": {
        "en": "not reduced over the batch: {word} dim 0 of yours gives autograd's",
        "zh": "没有在批次上归约：把你的结果沿第 0 维{word}就得到 autograd 的",
    },
    "compare.shapes": {
        "en": "shape {yours}, autograd's {autograd}",
        "zh": "形状 {yours}，autograd 的是 {autograd}",
    },
    "compare.every_entry": {"en": "every entry is {times}", "zh": "每个元素都是 {times}"},
    "compare.entries_differ": {"en": "{wrong} of {n} entries differ", "zh": "{n} 个元素中有 {wrong} 个不同"},
    "compare.none_from_you": {"en": "no gradient (None) from you", "zh": "你的梯度是 None"},
    "compare.none_from_autograd": {"en": "no gradient (None) from autograd", "zh": "autograd 的梯度是 None"},
    "compare.tensor": {"en": "tensor", "zh": "张量"},
    "compare.shape": {"en": "shape", "zh": "形状"},
    "compare.text_verdict": {"en": "verdict (tolerance {tolerance})", "zh": "结论（容差 {tolerance}）"},
    "compare.note": {"en": "  ({note})", "zh": "（{note}）"},
    "compare.rows": {"en": "rows", "zh": "行数"},
    "compare.head.tensor": {"en": "tensor", "zh": "张量"},
    "compare.head.your_shape": {"en": "your shape", "zh": "你的形状"},
    "compare.head.autograd_shape": {"en": "autograd's shape", "zh": "autograd 的形状"},
    "compare.head.max_diff": {"en": "max |yours − autograd|", "zh": "最大 |你的 − autograd|"},
    "compare.head.relative_error": {"en": "relative error", "zh": "相对误差"},
    "compare.head.verdict": {"en": "verdict", "zh": "结论"},
    "compare.not_checked": {"en": "not checked yet", "zh": "还没检查"},
    "compare.panel_start": {
        "en": "{n} tensors to check, in the order given (backward order: loss first). Press ▶.",
        "zh": "要检查 {n} 个张量，按给出的顺序（反向传播的顺序：损失在前）。请按 ▶。",
    },
    "compare.panel_row": {
        "en": "Row {k} of {n}: {formula}{name} {verdict}",
        "zh": "第 {k}/{n} 行：{formula}{name} {verdict}",
    },
    "compare.panel_end": {
        "en": "{good} of {n} tensors match autograd within {tol} (largest absolute difference).",
        "zh": "{n} 个张量中有 {good} 个与 autograd 一致，误差在 {tol} 以内（最大绝对差）。",
    },
    # --- training.py: LiveTraining (lesson 12) -----------------------------------------------------------
    "training.step": {"en": "step", "zh": "步"},
    "training.loss": {"en": "loss", "zh": "损失"},
    "training.loss_log": {"en": "loss (log scale)", "zh": "损失（对数坐标）"},
    "training.title": {"en": "step {done}/{steps} · loss {loss}", "zh": "第 {done}/{steps} 步 · 损失 {loss}"},
    # --- tables.py: text tables ---------------------------------------------------------------------
    "tables.no_tensor_yet": {"en": "(no {name} yet)", "zh": "（还没有 {name}）"},
    "tables.grad_of": {"en": "  → .grad of {name}", "zh": "  → {name} 的 .grad"},
    "tables.empty": {"en": "empty", "zh": "空"},
    "tables.start": {"en": "start: seed 1 into {node}", "zh": "开始：把种子梯度 1 放进 {node}"},
    "tables.edges_into": {
        "en": "       edges into each node: {deps}",
        "zh": "       每个节点的入边数（依赖计数）：{deps}",
    },
    "tables.step": {
        "en": "step {step}: run {node} with buffer {value}   (ready queue now: {queue})",
        "zh": "第 {step} 步：运行 {node}，缓冲区 {value}   （现在的就绪队列：{queue}）",
    },
    "tables.ready": {"en": "ready", "zh": "就绪"},
    "tables.waits": {"en": "waits for {n} more", "zh": "还在等 {n} 个"},
    "tables.send": {
        "en": "        send {value} to {node}: buffer = {buffer}, {status}",
        "zh": "        发送 {value} 给 {node}：缓冲区 = {buffer}，{status}",
    },
    "tables.done": {"en": "done after {n} steps", "zh": "完成，共 {n} 步"},
    "tables.no_warning": {"en": "no warning", "zh": "没有警告"},
}

#: The widgets' catalogue (see :class:`~minigrad.viz.i18n.Catalogue`).
MESSAGES = Catalogue(_M)
