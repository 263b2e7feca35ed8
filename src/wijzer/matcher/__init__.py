"""The matcher: links a company profile to the instruments that fit, with reasons."""
