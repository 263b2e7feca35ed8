"""What sending alert mail needs to know: the SMTP server, the sender, link base and secret."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MailSettings:
    """Built once by the application's composition root; alerts never read the environment."""

    #: Signs the confirm/manage links in every message (the web app checks them with it).
    secret: str
    host: str = "127.0.0.1"
    port: int = 8025
    user: str | None = None
    password: str | None = None
    tls: bool = False
    sender: str = "Wijzer <alerts@wijzer.localhost>"
    #: Links in messages point here (the public site).
    base_url: str = "http://127.0.0.1:5000"
    #: How long a worker holds a claimed outbox row before another may reclaim it.
    lease_seconds: int = 300

    @property
    def sender_address(self) -> str:
        return self.sender.rsplit("<", 1)[-1].rstrip(">").strip()

    @property
    def domain(self) -> str:
        address = self.sender_address
        return address.rsplit("@", 1)[-1] if "@" in address else "wijzer.localhost"
