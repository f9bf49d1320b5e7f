"""Colours, sizes and the legend: one place, so every drawing and widget looks the same.

The palette is Okabe & Ito's, readable with every common colour-vision deficiency; no information
is carried by colour alone: every kind of node also differs in shape or border and says what it is
in text (``leaf``, ``no grad``, ``retain_grad``), and the current step is named in the panel.
"""

# Okabe-Ito colours (borders, lines) and light tints of them (fills).
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE, GREY = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#555555",
)
TINT = {
    ORANGE: "#FBE7BF",
    SKY: "#D5ECF9",
    GREEN: "#BFE7DC",
    YELLOW: "#FBF8CF",
    BLUE: "#BFDCEC",
    VERMILLION: "#F4D6BF",
    PURPLE: "#F2DDE9",
    GREY: "#F2F2F2",
}

FONT = "DejaVu Sans"

#: How each kind of node is drawn: (graphviz attributes, key of its legend text in
#: :mod:`~minigrad.viz.messages`; :func:`kind_text` gives the text).
KINDS = {
    "leaf": (
        dict(shape="box", style="rounded,filled", fillcolor=TINT[SKY], color=BLUE),
        "kind.leaf",
    ),
    "non-leaf": (
        dict(shape="ellipse", style="filled", fillcolor="white", color=GREY),
        "kind.non-leaf",
    ),
    "retained": (
        dict(shape="ellipse", style="filled", fillcolor=TINT[GREEN], color=GREEN, peripheries="2"),
        "kind.retained",
    ),
    "no grad": (
        dict(shape="box", style="dashed", fillcolor="white", color=GREY, fontcolor=GREY),
        "kind.no grad",
    ),
    "op": (
        dict(shape="circle", style="filled", fillcolor=TINT[ORANGE], color=ORANGE, fixedsize="false"),
        "kind.op",
    ),
    "grad_fn": (
        dict(shape="box", style="rounded,filled", fillcolor=TINT[ORANGE], color=ORANGE),
        "kind.grad_fn",
    ),
    "accumulate": (
        dict(shape="box", style="rounded,filled", fillcolor=TINT[SKY], color=BLUE),
        "kind.accumulate",
    ),
    "grad_fn retained": (
        dict(shape="box", style="rounded,filled", fillcolor=TINT[GREEN], color=GREEN, peripheries="2"),
        "kind.grad_fn retained",
    ),
}

#: Highlights used by the stepper and the path explorer.
CURRENT = VERMILLION  # the node running now, the edge being sent along
CARRIED = BLUE  # edges that already carried their gradient
FINISHED = "#E0E0E0"  # nodes that have run
PATH = PURPLE  # the selected path in the path explorer

OP_SYMBOLS = {
    "Add": "+",
    "Sub": "−",
    "Rsub": "−",
    "Mul": "×",
    "Div": "÷",
    "Neg": "−x",
    "Reciprocal": "1/x",
    "Pow": "^",
    "Exp": "exp",
    "Log": "log",
    "Sin": "sin",
    "Cos": "cos",
    "Tanh": "tanh",
    "Sigmoid": "σ",
    "Relu": "relu",
    "Sqrt": "√",
    "Abs": "|x|",
    "Sum": "Σ",
    "Mean": "mean",
    "Mm": "@",
    "Matmul": "@",
    "Mv": "@",
    "Dot": "·",
}


def kind_text(kind):
    """What a kind of node means, for legends, in the current language (see :mod:`~minigrad.viz.i18n`)."""
    from .i18n import text

    return text(KINDS[kind][1])


def presenter_mode(presenter):
    """``presenter=None`` (the default) means: large when the course is being presented, i.e. when
    ``make present`` set ``MINIGRAD_PRESENTER=1`` for the kernel."""
    if presenter is None:
        import os

        return os.environ.get("MINIGRAD_PRESENTER") == "1"
    return bool(presenter)


def sizes(presenter):
    """Font size, line width and arrow size for normal use or for presenting on a projector."""
    if presenter:
        return {"fontsize": "22", "penwidth": "2.5", "arrowsize": "1.3", "panel_px": 22}
    return {"fontsize": "12", "penwidth": "1.2", "arrowsize": "0.8", "panel_px": 14}


def legend_html(kinds, presenter=False):
    """An HTML legend (coloured swatches with their meaning) for the given kinds."""
    px = sizes(presenter)["panel_px"] - 2
    items = []
    for kind in kinds:
        attrs, text = KINDS[kind][0], kind_text(kind)
        border = (
            "dashed"
            if "dashed" in attrs.get("style", "")
            else ("double" if attrs.get("peripheries") == "2" else "solid")
        )
        radius = "50%" if attrs.get("shape") in ("ellipse", "circle") else "4px"
        swatch = (
            f'<span style="display:inline-block;width:1.6em;height:1em;vertical-align:middle;'
            f"background:{attrs.get('fillcolor', 'white')};border:3px {border} {attrs['color']};"
            f'border-radius:{radius};margin-right:0.3em"></span>'
        )
        items.append(f'<span style="margin-right:1.2em;white-space:nowrap">{swatch}{text}</span>')
    return f'<div class="mg-legend" style="font-size:{px}px;line-height:1.8">{"".join(items)}</div>'
