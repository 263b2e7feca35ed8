"""Wijzer: find and match Dutch, regional and EU funding instruments for startups and SMEs."""

__version__ = "0.1.0"
