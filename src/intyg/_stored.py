"""An assessment stored as JSON, read back into the model with the checks a printout makes."""

from __future__ import annotations

from collections.abc import Mapping

from ._assessment._output import Assessment
from ._errors import ConversionError
from ._problems import expected_type, make_problem
from ._quick import refuse_batch_line
from ._read import Source, read_checked
from ._render import check_assessment


def load_assessment(source: Source | Assessment) -> Assessment:
    """Read an assessment made earlier: the JSON data of :meth:`Assessment.to_json` as a dict,
    JSON text, UTF-8 bytes or a :class:`pathlib.Path` (for instance the ``assessment`` of a line
    from ``assess --batch``), or the model itself.

    It is checked as :func:`intyg.render` checks an assessment it is given (the model, JSON's
    own types, and what a printout needs: schema version, a UUID, texts a page can show), and
    read with the same limits as a certificate. Unlike ``Assessment.model_validate`` it raises
    intyg's coded errors and never converts between JSON types.

    Raises:
        ConversionError: the input cannot be read, is not a JSON object, or breaks the
            assessment's schema (``.problems``: codes and field paths, never the values).
    """
    data = source if isinstance(source, Assessment) else read_checked(source)
    if not isinstance(data, Mapping | Assessment):
        raise ConversionError([make_problem("wrong_type", "", expected_type("object"))])
    refuse_batch_line(data)
    checked: Assessment = check_assessment(data)[0]
    return checked
