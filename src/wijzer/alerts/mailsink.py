"""A local SMTP sink for demos: every message is written to a directory as an .eml file."""

from __future__ import annotations

import email
import email.policy
import itertools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class FileSink:
    """aiosmtpd handler writing each accepted message to `<dir>/<time>-<n>.eml`."""

    def __init__(self, directory: Path, announce: Callable[[str], None] | None = None):
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.announce = announce
        self._counter = itertools.count(1)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        data = raw if isinstance(raw, bytes) else str(raw).encode()
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{next(self._counter):04d}.eml"
        path = self.directory / name
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        if self.announce:
            message = email.message_from_bytes(data, policy=email.policy.default)
            self.announce(
                f"{path}  to={','.join(envelope.rcpt_tos)}  subject={message['Subject']!s}"
            )
        return "250 Message accepted for delivery"


def start_sink(
    directory: Path, host: str, port: int, announce: Callable[[str], None] | None = None
) -> Controller:
    controller = Controller(FileSink(directory, announce), hostname=host, port=port)
    controller.start()
    return controller
