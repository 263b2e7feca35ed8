"""Pure functions that turn source text into catalog fields (dates, language, places, HTML)."""
