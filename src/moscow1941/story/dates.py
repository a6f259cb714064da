"""Calendar dates as stories write them: a full day (`1941-04-13`) or a month (`1941-04`)."""

from __future__ import annotations

import datetime as _dt
import re
from calendar import monthrange
from dataclasses import dataclass

_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


@dataclass(frozen=True, slots=True, order=False)
class StoryDate:
    """A real calendar date; `day` is None where only the month is known.

    `first` and `last` are the proleptic ordinals of the first and last day the date can mean,
    so comparisons stay honest for month-only dates.
    """

    year: int
    month: int
    day: int | None
    first: int
    last: int

    @classmethod
    def parse(cls, text: str) -> StoryDate:
        """Parse `YYYY-MM-DD` or `YYYY-MM`; raise ValueError with a reader's message otherwise."""
        m = _DATE.match(text.strip())
        if not m:
            raise ValueError(f"'{text}' is not a date: write YYYY-MM-DD, or YYYY-MM if the day is unknown")
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ValueError(f"'{text}' has no month {month}")
        if m[3] is None:
            first = _dt.date(year, month, 1).toordinal()
            last = _dt.date(year, month, monthrange(year, month)[1]).toordinal()
            return cls(year, month, None, first, last)
        day = int(m[3])
        try:
            ordinal = _dt.date(year, month, day).toordinal()
        except ValueError:
            raise ValueError(f"'{text}' is not a real day ({_MONTHS[month - 1]} {year} has "
                             f"{monthrange(year, month)[1]} days)") from None
        return cls(year, month, day, ordinal, ordinal)

    def iso(self) -> str:
        """The date as the story wrote it."""
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def display(self) -> str:
        """The date for a reader: `13 April 1941` or `April 1941` (in the game's language:
        `13. April 1941`, `13 أبريل 1941`)."""
        from moscow1941 import i18n

        if i18n.language() != "en":
            return i18n.format_story_date(self)
        if self.day is None:
            return f"{_MONTHS[self.month - 1]} {self.year}"
        return f"{self.day} {_MONTHS[self.month - 1]} {self.year}"

    def __str__(self) -> str:
        return self.iso()
