"""The named pairs that ``max(dim)`` and ``min(dim)`` return, as PyTorch's ``torch.return_types``:
a tuple ``(values, indices)`` whose parts also have names, ``result.values`` and ``result.indices``."""


class _ValuesIndices(tuple):
    def __new__(cls, values, indices):
        return super().__new__(cls, (values, indices))

    values = property(lambda self: self[0])
    indices = property(lambda self: self[1])

    def __repr__(self):
        return f"minigrad.return_types.{type(self).__name__}(\nvalues={self[0]!r},\nindices={self[1]!r})"

    def __getattr__(self, name):  # (only called for names the class does not have)
        kind = f"minigrad.return_types.{type(self).__name__}"
        raise AttributeError(f"'{kind}' object has no attribute '{name}'")


class max(_ValuesIndices):  # noqa: A001 - PyTorch's name (torch.return_types.max)
    pass


class min(_ValuesIndices):  # noqa: A001
    pass
