"""The exception tree. Callers need a single ``except IntygError``.

::

    IntygError                    anything intyg rejects
    ├── IntygValidationError      the certificate breaks rules of the form (.problems)
    │   └── FormVersionError      unknown or unsupported form version
    ├── ConversionError           JSON/FHIR input cannot be read or mapped (.problems)
    ├── RuleSetError              no rule set for the date, or a rule file fails its lint
    ├── RenderError               a printable form could not be made or written
    ├── OutputError               an output file could not be written
    └── SchemaDriftError          schemas/ differs from the form definition (.problems)

Every error carries a list of :class:`~intyg.Problem` with a stable code, a field path and a
Swedish message. Messages never repeat a personnummer or free text; they name the field.

Every error pickles and unpickles as itself (same class, problems, codes and text), so that one
raised in a worker process (``multiprocessing.Pool``, ``ProcessPoolExecutor``) reaches the
parent intact.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._problems import Problem


def _rebuild(cls: type[IntygError], problems: tuple[Problem, ...]) -> IntygError:
    """An error of class ``cls`` with ``problems``, made as :class:`IntygError` makes it,
    whatever arguments the subclass's own ``__init__`` takes (the unpickling of every error)."""
    error = cls.__new__(cls)
    IntygError.__init__(error, problems)
    return error


class IntygError(Exception):
    """Root of every error intyg raises on bad input."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        # A text would be taken letter by letter, and a generator is read once: made a tuple
        # first, then checked; a wrong argument is said here, not at the first use.
        text = isinstance(problems, str | bytes | bytearray)
        given = () if text else tuple(problems)
        if text or not all(isinstance(p, Problem) for p in given):
            raise TypeError(
                f"{type(self).__name__} takes a sequence of intyg.Problem, "
                f"not {type(problems).__name__}"
            )
        self.problems: tuple[Problem, ...] = given
        first = self.problems[0] if self.problems else None
        summary = f"{first.code} ({first.path}): {first.message}" if first else "okänt fel"
        if len(self.problems) > 1:
            summary += f" (+{len(self.problems) - 1} till)"
        super().__init__(summary)

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception's own reduce would call ``cls(*self.args)``, i.e. with the summary text
        # in place of the problems. Rebuild from the problems, then restore the attributes
        # (a subclass's own ones such as PersonIdError.code, notes added with add_note).
        return (_rebuild, (type(self), self.problems), self.__dict__ or None)

    @property
    def codes(self) -> list[str]:
        """The codes of all problems, in order."""
        return [p.code for p in self.problems]


class IntygValidationError(IntygError):
    """The certificate does not satisfy the rules of its form version."""


class FormVersionError(IntygValidationError):
    """The certificate names a form or form version that this intyg does not support."""


class ConversionError(IntygError):
    """Input could not be parsed or mapped (broken JSON, a malformed QuestionnaireResponse)."""


class SchemaDriftError(IntygError):
    """The published files under ``schemas/`` differ from what the form definition generates."""


class OutputError(IntygError):
    """An output file could not be written (``output_unwritable``); nothing partial is left."""


class RenderError(IntygError):
    """A printable form could not be made (PDF support missing, layout or writing failed)."""


class RuleSetError(IntygError):
    """No assessment rule set applies, or a rule file is invalid (codes ``ruleset_*``)."""


class IncompleteInstallation(RuntimeError):
    """A folder or file that belongs to intyg itself is missing: the installation is broken
    (a copy of ``src/`` alone, say), not the input. Not an ``OSError``: the command line says
    it as ``installation_incomplete``, never as a file of the user's that could not be read
    or written."""
