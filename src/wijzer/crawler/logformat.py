"""Log dropped items as one short DEBUG line: the run statistics count them."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter


class QuietDrops(LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any) -> Any:
        return {
            "level": logging.DEBUG,
            "msg": "Dropped: %(exception)s",
            "args": {"exception": exception},
        }
