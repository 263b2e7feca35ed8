"""The application layer: settings, the composition root and one function per use case.

The CLI, the web app, the Celery jobs and the alert runs are thin adapters over this package;
nothing below it (alerts, crawler, matcher, search, catalog) imports it.
"""
