#!/usr/bin/env bash
# Install the Debian packages Wijzer's test/dev services and tools need (idempotent; run as root).
set -euo pipefail

die() { echo "install-system: ERROR: $*" >&2; exit 1; }
log() { echo "install-system: $*"; }

[[ $(id -u) -eq 0 ]] || die "must run as root (try: sudo $0)"
command -v apt-get >/dev/null || die "apt-get not found; this script targets Debian 12"

export DEBIAN_FRONTEND=noninteractive

# Services (redis, postgres), browser tests (chromium + driver), optional
# dictionaries for the ES hunspell filter, load tests (wrk), download tools.
PACKAGES=(redis-server postgresql chromium chromium-driver hunspell-nl hunspell-en-us wrk curl unzip)

# Elasticsearch 8 needs Java 17+; only pull in OpenJDK if no Java 17 is present,
# so we do not fight with a JDK someone installed deliberately.
java_major() {
    command -v java >/dev/null || return 1
    java -version 2>&1 | sed -nE '1s/.*version "([0-9]+).*/\1/p'
}
if [[ "$(java_major || true)" != "17" ]]; then
    PACKAGES+=(openjdk-17-jre-headless)
fi

missing=()
for p in "${PACKAGES[@]}"; do
    # dpkg-query reports "install ok installed" only for fully installed packages.
    if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]]; then
        missing+=("$p")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    log "all packages already installed"
    exit 0
fi
log "installing: ${missing[*]}"

aptlog=$(mktemp)
trap 'rm -f "$aptlog"' EXIT

# apt-get update is slow; skip it when the package lists are younger than 6 hours.
fresh=$(find /var/lib/apt/lists -maxdepth 1 -name '*InRelease' -mmin -360 -print -quit 2>/dev/null || true)
if [[ -z "$fresh" ]]; then
    log "apt-get update"
    apt-get update -qq >"$aptlog" 2>&1 || { tail -n 20 "$aptlog" >&2; die "apt-get update failed"; }
fi

if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$aptlog" 2>&1; then
    tail -n 30 "$aptlog" >&2
    die "apt-get install failed for: ${missing[*]}"
fi

# The Debian redis/postgresql packages start system-wide daemons on the default
# ports. We run private instances (scripts/services.sh) and leave those alone.
log "done"
