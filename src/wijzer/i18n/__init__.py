"""Dutch and English outside and inside the web: message catalogs, Babel formats, reason wording."""
