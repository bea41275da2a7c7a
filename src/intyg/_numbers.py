"""Numbers as Swedish text writes them, for what people read: the CLI's summaries and progress
line, and the text and printed forms of an assessment. One rule for all of them."""

from __future__ import annotations

from decimal import Decimal


def swedish_number(value: float, decimals: int | None = None) -> str:
    """``value`` with a decimal comma and a space between groups of three digits.

    With ``decimals`` None the number is shown as it is, never rounded: an integer (a float
    such as ``40.0`` too) without decimals, any other float with the decimals of its shortest
    exact form (``9.75`` is ``9,75``, ``1e-07`` is ``0,0000001``). With ``decimals`` a count,
    the number is rounded to that many decimals (for rates and seconds).
    """
    if value == 0:
        value = 0  # -0.0 is shown as 0
    if decimals is not None:
        text = f"{value:,.{decimals}f}"
    elif isinstance(value, float):
        # the shortest decimal that reads back as the float, trailing zeros dropped (40.0 is 40,
        # 1e23 is 100 000 000 000 000 000 000 000: int(1e23) would show the binary value)
        text = format(Decimal(repr(value)).normalize(), ",f")
    else:
        text = f"{value:,}"
    return text.replace(",", " ").replace(".", ",")
