"""The spiders: one declarative base, one spider per API, one generic spider for HTML sites."""
