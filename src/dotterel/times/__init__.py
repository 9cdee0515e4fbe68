"""The times stage: temporal expressions normalised against the publication date (DCT).

* :func:`normalize` — one expression to first/last day, TIMEX3-style value, granularity.
* :class:`TimesComponent` — the ``dotterel_times`` spaCy component writing
  ``doc._.time_mentions`` (importing this package registers the factory).
* :func:`time_for_token` — the time mention that dates the clause of a token.
"""

from dotterel.times.attach import time_for_token
from dotterel.times.component import TimesComponent
from dotterel.times.normalize import Normalized, normalize

__all__ = ["Normalized", "TimesComponent", "normalize", "time_for_token"]
