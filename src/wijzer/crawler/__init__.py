"""Scrapy crawlers that feed the catalog from official sources, run in-process."""
