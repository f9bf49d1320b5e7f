"""Built-in differentiable operations. Each is a small ``Function`` subclass — ``forward`` computes the
value with numpy, ``backward`` applies the chain rule with minigrad operations (so that the backward
pass can itself be differentiated, which is what ``create_graph=True`` needs). Read them side by side
with the custom-Function lesson: they are written exactly the way you write your own.
"""
