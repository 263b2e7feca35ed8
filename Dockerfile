# The Wijzer image: the package with its default (embedded-capable) dependencies.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
# A regular (non-editable) install: migrations, templates, mappings, recordings and translations
# are package data. The schema is not migrated on start: run `wijzer db upgrade` first (the
# compose file's `migrate` service does).
RUN pip install --no-cache-dir .
RUN useradd --system --home /var/lib/wijzer wijzer && mkdir -p /var/lib/wijzer \
    && chown wijzer /var/lib/wijzer
USER wijzer
EXPOSE 5000
CMD ["wijzer", "serve", "--host", "0.0.0.0", "--port", "5000"]
