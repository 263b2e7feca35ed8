# The Wijzer image: the package with its default (embedded-capable) dependencies.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY wijzer ./wijzer
COPY catalog ./catalog
COPY search ./search
COPY matcher ./matcher
COPY crawler ./crawler
COPY webapp ./webapp
COPY jobs ./jobs
COPY alerts ./alerts
COPY index_config ./index_config
# Editable, so index_config/ and the package data are read from /app.
RUN pip install --no-cache-dir -e .
RUN useradd --system --home /var/lib/wijzer wijzer && mkdir -p /var/lib/wijzer \
    && chown wijzer /var/lib/wijzer
USER wijzer
EXPOSE 5000
CMD ["wijzer", "serve", "--host", "0.0.0.0", "--port", "5000"]
