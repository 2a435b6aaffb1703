"""Dates at their stated precision: a day (``xsd:date``), a month (``xsd:gYearMonth``) or a
year (``xsd:gYear``), checked to be real dates.

A source file may write ``2023-09-19``, ``2023-09`` or ``2023``, or the same in words
(``19 September 2023``, ``September 19, 2023``, ``September 2023``); the written precision
is kept, never widened to a made-up day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from kg.errors import BadOptionError

__all__ = ["DateValue", "parse_date"]

XSD = "http://www.w3.org/2001/XMLSchema#"
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

_ISO = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DMY = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MDY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_MY = re.compile(r"^([A-Za-z]+)\.?,?\s+(\d{4})$")


class DateValue(tuple):
    """``(lexical form, XSD datatype IRI, precision)``: one parsed date.

    Example
    -------
    >>> parse_date("2023-09").precision
    'month'
    """

    @property
    def lexical(self) -> str:
        """The XSD lexical form, e.g. ``2023-09``."""
        return self[0]

    @property
    def datatype(self) -> str:
        """The datatype IRI (``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``)."""
        return self[1]

    @property
    def precision(self) -> str:
        """``day``, ``month`` or ``year``."""
        return self[2]


def parse_date(text: str) -> DateValue:
    """Parse a date and keep its precision.

    Parameters
    ----------
    text:
        ``2023-09-19``, ``2023-09``, ``2023``, ``19 September 2023``, ``Sept. 19, 2023``,
        ``September 2023``.

    Returns
    -------
    DateValue

    Raises
    ------
    BadOptionError
        (also a ValueError)
        With a message saying why: not a date, or not a real one (``2023-02-30``).

    Example
    -------
    >>> parse_date("19 September 2023")
    ('2023-09-19', 'http://www.w3.org/2001/XMLSchema#date', 'day')
    >>> parse_date("2020").lexical, parse_date("March 2024").lexical
    ('2020', '2024-03')
    >>> parse_date("2023-02-30")
    Traceback (most recent call last):
    ...
    kg.errors.BadOptionError: 2023-02-30 is not a real date (February 2023 has 28 days)
    """
    text = " ".join(str(text).split())
    year, month, day = _parts(text)
    if month is not None and not 1 <= month <= 12:
        raise BadOptionError(f"{text} is not a real date (there is no month {month})")
    if day is not None and month is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            name = calendar.month_name[month]
            raise BadOptionError(f"{text} is not a real date ({name} {year} has {last} days)")
        return DateValue((dt.date(year, month, day).isoformat(), XSD + "date", "day"))
    if month is not None:
        return DateValue((f"{year:04d}-{month:02d}", XSD + "gYearMonth", "month"))
    return DateValue((f"{year:04d}", XSD + "gYear", "year"))


def _parts(text: str) -> tuple[int, int | None, int | None]:
    m = _ISO.match(text)
    if m:
        year, month, day = m.groups()
        return int(year), int(month) if month else None, int(day) if day else None
    for pattern, order in ((_DMY, "dmy"), (_MDY, "mdy"), (_MY, "my")):
        m = pattern.match(text)
        if not m:
            continue
        parts = dict(zip(order, m.groups(), strict=True))
        month = _MONTHS.get(parts["m"].lower())
        if month is None:
            raise BadOptionError(f"{text!r} is not a date: unknown month {parts['m']!r}")
        day = int(parts["d"]) if "d" in parts else None
        return int(parts["y"]), month, day
    raise BadOptionError(
        f"{text!r} is not a date (write 2023-09-19, 2023-09 or 2023, or 19 September 2023)"
    )
