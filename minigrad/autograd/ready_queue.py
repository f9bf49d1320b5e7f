"""The ready queue: which of the nodes that are ready runs next (PyTorch's ``ReadyQueue``).

The node created last runs first: its sequence number (a counter every node takes when it is made)
is its priority. Every ``AccumulateGrad`` node has the largest one, so a leaf's gradient is stored
as soon as it is complete. That makes many ties — leaves that become ready in the same step — and
PyTorch's queue, a ``std::priority_queue`` (a binary max-heap), lets them out in the order its own
moves give, neither first-in-first-out nor last-in-first-out. To give exactly PyTorch's order,
:class:`ReadyQueue` makes the very moves of C++'s ``push_heap`` and ``pop_heap`` (libstdc++'s, which
PyTorch's Linux builds use); Python's ``heapq`` moves differently, so its ties come out in another
order. The engine uses only ``push`` and ``pop``.
"""

from __future__ import annotations

from .function import AccumulateGrad, Node

#: The priority of every ``AccumulateGrad`` node: PyTorch gives them all the largest sequence number
#: (UINT64_MAX), so that a leaf's gradient is stored as soon as it is complete.
ACCUMULATE_GRAD_PRIORITY = 2**64 - 1


def priority(node: Node) -> int:
    """A node's place in the ready queue: higher runs first. Its sequence number (nodes created later
    run earlier), or ``ACCUMULATE_GRAD_PRIORITY`` for an ``AccumulateGrad`` node."""
    return ACCUMULATE_GRAD_PRIORITY if type(node) is AccumulateGrad else node._sequence_nr


class ReadyQueue:
    """The nodes ready to run, a binary max-heap ordered by :func:`priority` (see the module
    docstring)."""

    __slots__ = ("heap",)

    def __init__(self):
        self.heap = []  # (priority, node) pairs, in heap order

    def __len__(self) -> int:
        return len(self.heap)

    def push(self, node: Node) -> None:
        """``push_heap``: the new entry rises from the end while its parent has a lower priority."""
        self.heap.append(None)
        _rise(self.heap, len(self.heap) - 1, (priority(node), node))

    def pop(self) -> Node:
        """``pop_heap``: take the top; the hole it leaves sinks along the larger children (the right
        one on a tie) to the bottom, and the last entry rises from there to its place."""
        heap = self.heap
        top = heap[0]
        last = heap.pop()
        n = len(heap)
        if n == 0:
            return top[1]
        hole = child = 0
        while child < (n - 1) >> 1:
            child = 2 * (child + 1)
            if heap[child][0] < heap[child - 1][0]:
                child -= 1
            heap[hole] = heap[child]
            hole = child
        if n & 1 == 0 and child == (n - 2) >> 1:
            child = 2 * (child + 1)
            heap[hole] = heap[child - 1]
            hole = child - 1
        _rise(heap, hole, last)
        return top[1]

    def in_order(self) -> tuple[Node, ...]:
        """The waiting nodes in the order they will run (the queue itself is unchanged)."""
        copy = ReadyQueue()
        copy.heap = list(self.heap)
        return tuple(copy.pop() for _ in range(len(copy.heap)))


def _rise(heap: list, hole: int, entry: tuple) -> None:
    """libstdc++'s ``__push_heap``: move ``entry`` up from ``hole`` past parents of lower priority."""
    key = entry[0]
    while hole:
        parent = (hole - 1) >> 1
        if heap[parent][0] < key:
            heap[hole] = heap[parent]
            hole = parent
        else:
            break
    heap[hole] = entry
