"""Source-format parsers (pure functions): SEDIA JSON, TED XML, TenderNed JSON, HTML pages."""


class ParseError(ValueError):
    """A response that cannot be read as its format; the reason names what is wrong."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def code(self) -> str:
        """A short, countable key for the drop statistics ("malformed_json", ...)."""
        return self.reason.split(":", 1)[0].strip().lower().replace(" ", "_")
