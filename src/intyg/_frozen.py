"""A dict that cannot be changed, for the tables the whole process shares: the problem codes,
a form version's rule inputs, a rule set's tables."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn, TypeVar

_K = TypeVar("_K")
_V = TypeVar("_V")


class FrozenDict(dict[_K, _V]):
    """A dict that cannot be changed: one caller's change would change what every other caller
    in the process is told. Lookups are a dict's own; copying gives the same object (nothing
    in it can change), pickling a new one. Unlike ``types.MappingProxyType``, it survives
    ``pickle``, ``copy.deepcopy`` and ``dataclasses.asdict``."""

    __slots__ = ()

    # Filled when made, in __new__: calling __init__ again (FrozenDict.__init__(table, ...))
    # changes nothing. dict's own methods called on it (dict.update(table, ...)) are not
    # stopped; it is read-only in ordinary use, not against a caller set on changing it.
    def __new__(cls, *args: Any, **kwargs: Any) -> FrozenDict[_K, _V]:
        self = super().__new__(cls)
        dict.update(self, *args, **kwargs)
        return self

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    @classmethod
    def fromkeys(cls, keys: Iterable[Any], value: Any = None) -> FrozenDict[Any, Any]:
        return cls(dict.fromkeys(keys, value))

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("intyg: this table is shared by the whole process and cannot be changed")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __copy__(self) -> FrozenDict[_K, _V]:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> FrozenDict[_K, _V]:
        return self

    def __reduce__(self) -> tuple[type[FrozenDict[_K, _V]], tuple[dict[_K, _V]]]:
        return type(self), (dict(self),)
