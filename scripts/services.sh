#!/usr/bin/env bash
# Install/start/stop private Elasticsearch, PostgreSQL and Redis instances (loopback only) for Wijzer tests and development.
#
# Usage: scripts/services.sh {install|start|stop|status|env} [elasticsearch|postgres|redis ...]
#        scripts/services.sh es-paths   (where the installed Elasticsearch lives; see below)
#
# State lives in $WIJZER_SERVICES_DIR (default <repo>/.services, gitignored).
# Downloads are also kept in ${WIJZER_CACHE_DIR:-$HOME/.cache/wijzer} so a fresh
# checkout does not download Elasticsearch again.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The service users (wijzer-es, postgres) must reach their directories; a checkout under a
# private home (mode 700) cannot host them, so state then goes to a per-checkout /var/tmp dir.
default_services_dir() {
    if runuser -u nobody -- test -x "$REPO_ROOT" 2>/dev/null; then
        echo "$REPO_ROOT/.services"
    else
        echo "/var/tmp/wijzer-services-$(printf '%s' "$REPO_ROOT" | sha1sum | cut -c1-10)"
    fi
}
SERVICES_DIR=${WIJZER_SERVICES_DIR:-$(default_services_dir)}
[[ $SERVICES_DIR == /* ]] || SERVICES_DIR=$PWD/$SERVICES_DIR   # absolute: it goes into config files
CACHE_DIR=${WIJZER_CACHE_DIR:-${HOME:-/nonexistent}/.cache/wijzer}

ES_PORT=${WIJZER_ES_PORT:-9201}
PG_PORT=${WIJZER_PG_PORT:-55432}
REDIS_PORT=${WIJZER_REDIS_PORT:-56379}

# Pinned: newest 8.x in Maven Central's maven-metadata.xml for
# org.elasticsearch.distribution.integ-test-zip:elasticsearch when this was written.
# The integ-test zip is small and has no bundled JDK, but also only a handful of
# modules -- see index_config/README.md "What the test distribution offers".
ES_VERSION=8.19.21
ES_SHA512=cf6b0a93860d329937ae7f913ec5073b0c726c77639764b93fc83a304aa1dd9d4defcfa2849948eea3b0b47c2065f994908603939fc2a4774c9c4d868c5ec1dd
ES_URL=https://repo1.maven.org/maven2/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip
ES_USER=wijzer-es                 # ES refuses to run as root
ES_HEALTH_TIMEOUT=${WIJZER_ES_TIMEOUT:-120}

ALL_SERVICES=(elasticsearch postgres redis)

log() { echo "services: $*"; }
die() { echo "services: ERROR: $*" >&2; exit 1; }

need_root() {
    # Root is needed to create the ES user and to run ES/PostgreSQL as their own users.
    [[ $(id -u) -eq 0 ]] || die "'$1' must run as root (it switches to the $ES_USER and postgres users)"
}

# True if the pid in file $1 is alive AND its command line contains $2.
# The second check matters after a reboot: the old pid may now belong to another process.
pid_alive() {
    local pidfile=$1 marker=$2 pid
    [[ -s $pidfile ]] || return 1
    pid=$(head -n1 "$pidfile" | tr -dc '0-9')
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"
}

# Something (maybe not ours) is already listening on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Stop the process in pidfile $1 (if it is really ours, see pid_alive), waiting up to $3 seconds.
kill_pidfile() {
    local pidfile=$1 marker=$2 timeout=$3 pid i
    if pid_alive "$pidfile" "$marker"; then
        pid=$(head -n1 "$pidfile" | tr -dc '0-9')
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < timeout * 2; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "pid $pid did not stop within ${timeout}s, killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$pidfile"
}

# Every path component must be traversable by the service user, or it fails in odd ways.
check_user_can_reach() {
    local user=$1 dir=$2
    runuser -u "$user" -- test -x "$dir" \
        || die "user '$user' cannot access $dir; put WIJZER_SERVICES_DIR somewhere world-traversable (e.g. /srv/wijzer-services)"
}

# ---------------------------------------------------------------- Elasticsearch

ES_DIR=$SERVICES_DIR/elasticsearch
ES_HOME=$ES_DIR/elasticsearch-$ES_VERSION
ES_PIDFILE=$ES_DIR/run/elasticsearch.pid
ES_LOG=$ES_DIR/logs/wijzer.log          # <cluster.name>.log
ES_START_LOG=$ES_DIR/logs/start.out
ES_URL_LOCAL=http://127.0.0.1:$ES_PORT

find_java_home() {
    # Explicit override first, then the java on PATH if it is >= 17, then Debian's OpenJDK 17.
    if [[ -n ${WIJZER_ES_JAVA_HOME:-} ]]; then echo "$WIJZER_ES_JAVA_HOME"; return; fi
    local java home major
    if java=$(command -v java); then
        home=$(dirname "$(dirname "$(readlink -f "$java")")")
        major=$("$home/bin/java" -version 2>&1 | sed -nE '1s/.*version "([0-9]+).*/\1/p')
        if [[ -n $major && $major -ge 17 ]]; then echo "$home"; return; fi
    fi
    for home in /usr/lib/jvm/java-17-openjdk-*; do
        [[ -x $home/bin/java ]] && { echo "$home"; return; }
    done
    die "no Java 17+ found; run scripts/install-system.sh (or set WIJZER_ES_JAVA_HOME)"
}

# Put a verified copy of the zip at $1, using the shared cache when possible.
es_fetch_zip() {
    local dest=$1 name cached
    name=$(basename "$dest")
    cached=$CACHE_DIR/$name
    verify() { [[ -s $1 ]] && echo "$ES_SHA512  $1" | sha512sum --quiet -c - >/dev/null 2>&1; }
    verify "$dest" && return 0
    if ! verify "$cached"; then
        local target=$cached
        mkdir -p "$CACHE_DIR" 2>/dev/null && [[ -w $CACHE_DIR ]] || target=$dest   # cache not writable: skip it
        log "downloading Elasticsearch $ES_VERSION (integ-test-zip) from Maven Central"
        curl -fsSL --retry 3 -o "$target.part" "$ES_URL" || die "download failed: $ES_URL"
        verify "$target.part" || { rm -f "$target.part"; die "sha512 mismatch for $ES_URL"; }
        mv "$target.part" "$target"
        [[ $target == "$dest" ]] && return 0
    fi
    # Hard link when on the same filesystem, copy otherwise.
    ln -f "$cached" "$dest" 2>/dev/null || cp "$cached" "$dest"
}

es_install() {
    id "$ES_USER" >/dev/null 2>&1 \
        || useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$ES_USER"
    mkdir -p "$ES_DIR/downloads"
    if [[ ! -x $ES_HOME/bin/elasticsearch ]]; then
        local zip=$ES_DIR/downloads/elasticsearch-$ES_VERSION.zip tmp
        es_fetch_zip "$zip"
        # Unpack next to the target and rename, so an interrupted unzip never looks installed.
        tmp=$(mktemp -d "$ES_DIR/unpack.XXXXXX")
        unzip -q "$zip" -d "$tmp"
        rm -rf "$ES_HOME"
        mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
        rm -rf "$tmp"
    fi
    mkdir -p "$ES_DIR"/{data,logs,run,tmp} "$ES_HOME/config/jvm.options.d"
    es_write_config
    check_user_can_reach "$ES_USER" "$ES_HOME/bin"
    # ES writes its keystore into config/ on first start, so it owns its whole home.
    # Not downloads/: the zip there may be a hard link to the shared cache copy.
    chown "$ES_USER:$ES_USER" "$ES_DIR"
    chown -R "$ES_USER:$ES_USER" "$ES_HOME" "$ES_DIR"/{data,logs,run,tmp}
}

es_write_config() {
    local conf=$ES_HOME/config
    local security=""
    # xpack.security.* is only a known setting when the x-pack-security module ships;
    # an unknown setting would stop the node from starting.
    [[ -d $ES_HOME/modules/x-pack-security ]] && security="xpack.security.enabled: false"
    cat >"$conf/elasticsearch.yml" <<EOF
# Generated by scripts/services.sh -- edits are overwritten on every start.
cluster.name: wijzer
node.name: wijzer-test
discovery.type: single-node
network.host: 127.0.0.1
http.port: $ES_PORT
transport.port: $((ES_PORT + 100))
path.data: $ES_DIR/data
path.logs: $ES_DIR/logs
$security
# Tests delete indices with wildcards.
action.destructive_requires_name: false
# Dev machines are often fairly full: only block writes when almost no space is left
# (absolute free-space values instead of the default 85/90/95 %).
cluster.routing.allocation.disk.watermark.low: 2gb
cluster.routing.allocation.disk.watermark.high: 1gb
cluster.routing.allocation.disk.watermark.flood_stage: 500mb
# Load hunspell dictionaries on first use, so a bad dictionary cannot stop the node.
indices.analysis.hunspell.dictionary.lazy: true
EOF
    printf '%s\n' '# Small fixed heap for a test node (scripts/services.sh)' -Xms512m -Xmx512m \
        >"$conf/jvm.options.d/wijzer-heap.options"
    # Optional: Debian's hunspell dictionaries (scripts/install-system.sh installs them).
    # Copied, not symlinked, because ES only reads files under its config dir.
    local loc src
    for loc in nl_NL en_US; do
        src=/usr/share/hunspell/$loc
        if [[ -e $src.aff && -e $src.dic ]]; then
            mkdir -p "$conf/hunspell/$loc"
            cp -L "$src.aff" "$src.dic" "$conf/hunspell/$loc/"
        fi
    done
}

es_running() { pid_alive "$ES_PIDFILE" "$ES_HOME"; }
es_healthy() { curl -fsS -m 5 "$ES_URL_LOCAL/_cluster/health?wait_for_status=yellow&timeout=4s" >/dev/null 2>&1; }

es_start() {
    if es_running; then
        es_wait_healthy
        return
    fi
    rm -f "$ES_PIDFILE"
    port_in_use "$ES_PORT" && die "port $ES_PORT is in use by another process (set WIJZER_ES_PORT)"
    es_install
    local java_home
    java_home=$(find_java_home)
    log "starting Elasticsearch $ES_VERSION on $ES_URL_LOCAL"
    # -d daemonizes, -p writes the server's pid. ES_TMPDIR under the services dir
    # so /tmp cleaners cannot remove files a running node needs.
    if ! runuser -u "$ES_USER" -- env -i PATH=/usr/bin:/bin HOME="$ES_DIR/tmp" \
        ES_JAVA_HOME="$java_home" ES_TMPDIR="$ES_DIR/tmp" \
        "$ES_HOME/bin/elasticsearch" -d -p "$ES_PIDFILE" >"$ES_START_LOG" 2>&1; then
        tail -n 50 "$ES_START_LOG" >&2
        [[ -f $ES_LOG ]] && tail -n 50 "$ES_LOG" >&2
        die "Elasticsearch failed to start (output above; logs in $ES_DIR/logs)"
    fi
    es_wait_healthy
}

es_wait_healthy() {
    local deadline=$((SECONDS + ES_HEALTH_TIMEOUT))
    until es_healthy; do
        if ((SECONDS >= deadline)) || ! es_running; then
            echo "---- last 50 lines of $ES_LOG ----" >&2
            tail -n 50 "$ES_LOG" >&2 2>/dev/null || cat "$ES_START_LOG" >&2 2>/dev/null || true
            die "Elasticsearch is not healthy on $ES_URL_LOCAL (waited up to ${ES_HEALTH_TIMEOUT}s)"
        fi
        sleep 1
    done
    log "elasticsearch up: $ES_URL_LOCAL"
}

# For test fixtures that start more nodes from the same install (the two-node cluster of
# tests/search/test_cluster.py): shell-style KEY=value lines, each node brings its own
# config dir (ES_PATH_CONF), data and ports.
es_paths() {
    echo "ES_HOME=$ES_HOME"
    echo "ES_JAVA_HOME=$(find_java_home)"
    echo "ES_USER=$ES_USER"
    echo "ES_VERSION=$ES_VERSION"
}

es_stop() { kill_pidfile "$ES_PIDFILE" "$ES_HOME" 60; log "elasticsearch stopped"; }
es_status() { es_healthy && echo up || echo down; }

# ---------------------------------------------------------------- PostgreSQL

PG_DIR=$SERVICES_DIR/postgres
PG_DATA=$PG_DIR/data
PG_SOCK=$PG_DIR/run
PG_LOG=$PG_DIR/postgres.log

pg_bin() {
    # Debian keeps the server binaries out of PATH; take the newest installed major.
    local d
    if [[ -n ${WIJZER_PG_BIN:-} ]]; then echo "$WIJZER_PG_BIN"; return; fi
    d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n1)
    [[ -n $d && -x $d/initdb ]] || die "PostgreSQL server not found; run scripts/install-system.sh"
    echo "$d"
}

# From / so the postgres user never needs to enter the (possibly private) checkout.
as_pg() { (cd / && runuser -u postgres -- "$@"); }

pg_install() {
    id postgres >/dev/null 2>&1 || die "no 'postgres' user; run scripts/install-system.sh"
    mkdir -p "$PG_DIR" "$PG_SOCK"
    chown postgres:postgres "$PG_DIR" "$PG_SOCK"
    check_user_can_reach postgres "$PG_DIR"
    local bin
    bin=$(pg_bin)
    if [[ ! -s $PG_DATA/PG_VERSION ]]; then
        log "initdb $PG_DATA"
        rm -rf "$PG_DATA"
        # Trust auth: a throwaway cluster that only listens on loopback and a private socket dir.
        as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
            --no-instructions >"$PG_DIR/initdb.log" 2>&1 \
            || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
        echo "include_if_exists = 'wijzer.conf'" >>"$PG_DATA/postgresql.conf"
    fi
    # Rewritten on every start so port changes take effect.
    cat >"$PG_DATA/wijzer.conf" <<EOF
# Generated by scripts/services.sh
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCK'
# Faster tests; a crash loses the last transactions but cannot corrupt the cluster.
synchronous_commit = off
EOF
    chown postgres:postgres "$PG_DATA/wijzer.conf"
}

# postmaster.pid's first line is the pid; the postmaster's command line contains -D <data dir>.
pg_running() { pid_alive "$PG_DATA/postmaster.pid" "$PG_DATA"; }
pg_healthy() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 3 >/dev/null 2>&1; }

pg_start() {
    if pg_running; then
        pg_wait_healthy
        pg_ensure_role
        return
    fi
    port_in_use "$PG_PORT" && die "port $PG_PORT is in use by another process (set WIJZER_PG_PORT)"
    pg_install
    # After a reboot the old postmaster.pid / socket lock may point at a reused pid;
    # postgres would refuse to start. Nothing of ours is running (checked above), so drop them.
    rm -f "$PG_DATA/postmaster.pid" "$PG_SOCK"/.s.PGSQL.*
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    if ! as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null; then
        tail -n 50 "$PG_LOG" >&2
        die "PostgreSQL failed to start (see $PG_LOG)"
    fi
    pg_wait_healthy
    pg_ensure_role
}

pg_wait_healthy() {
    local i
    for ((i = 0; i < 60; i++)); do
        pg_healthy && { log "postgres up: 127.0.0.1:$PG_PORT"; return; }
        sleep 1
    done
    tail -n 50 "$PG_LOG" >&2
    die "PostgreSQL not ready on 127.0.0.1:$PG_PORT"
}

pg_ensure_role() {
    # Superuser so tests can create and drop their own databases.
    as_pg psql -q -X -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d postgres >/dev/null <<'SQL'
SELECT 'CREATE ROLE wijzer LOGIN SUPERUSER PASSWORD ''wijzer'''
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wijzer') \gexec
SELECT 'CREATE DATABASE wijzer OWNER wijzer'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'wijzer') \gexec
SQL
}

pg_stop() {
    if pg_running; then
        as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
    fi
    log "postgres stopped"
}
pg_status() { pg_healthy && echo up || echo down; }

# ---------------------------------------------------------------- Redis

REDIS_DIR=$SERVICES_DIR/redis
REDIS_PIDFILE=$REDIS_DIR/redis.pid
REDIS_LOG=$REDIS_DIR/redis.log

redis_install() {
    command -v redis-server >/dev/null || die "redis-server not found; run scripts/install-system.sh"
    mkdir -p "$REDIS_DIR"
    cat >"$REDIS_DIR/redis.conf" <<EOF
# Generated by scripts/services.sh -- a throwaway cache/queue for tests, no persistence.
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize yes
pidfile $REDIS_PIDFILE
logfile $REDIS_LOG
dir $REDIS_DIR
save ""
appendonly no
EOF
}

redis_running() { pid_alive "$REDIS_PIDFILE" "redis-server"; }
redis_healthy() { [[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

redis_start() {
    if ! redis_running; then
        rm -f "$REDIS_PIDFILE"
        port_in_use "$REDIS_PORT" && die "port $REDIS_PORT is in use by another process (set WIJZER_REDIS_PORT)"
        redis_install
        log "starting Redis on 127.0.0.1:$REDIS_PORT"
        redis-server "$REDIS_DIR/redis.conf" || { tail -n 50 "$REDIS_LOG" >&2; die "Redis failed to start"; }
    fi
    local i
    for ((i = 0; i < 30; i++)); do
        redis_healthy && { log "redis up: 127.0.0.1:$REDIS_PORT"; return; }
        sleep 0.5
    done
    tail -n 50 "$REDIS_LOG" >&2
    die "Redis not answering PING on 127.0.0.1:$REDIS_PORT"
}

redis_stop() {
    if redis_running; then
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    fi
    kill_pidfile "$REDIS_PIDFILE" "redis-server" 10
    log "redis stopped"
}
redis_status() { redis_healthy && echo up || echo down; }

# ---------------------------------------------------------------- CLI

service_url() {
    case $1 in
        elasticsearch) echo "$ES_URL_LOCAL" ;;
        postgres) echo "postgresql://wijzer:wijzer@127.0.0.1:$PG_PORT/wijzer" ;;
        redis) echo "redis://127.0.0.1:$REDIS_PORT/0" ;;
    esac
}

# Map user-facing names (and a few aliases) to function prefixes.
prefix_of() {
    case $1 in
        elasticsearch | es) echo es ;;
        postgres | postgresql | pg) echo pg ;;
        redis) echo redis ;;
        *) die "unknown service '$1' (expected: ${ALL_SERVICES[*]})" ;;
    esac
}
canonical() { case $(prefix_of "$1") in es) echo elasticsearch ;; pg) echo postgres ;; redis) echo redis ;; esac; }

usage() {
    echo "usage: $0 {install|start|stop|status|env} [${ALL_SERVICES[*]}] | $0 es-paths" >&2
    exit 2
}

main() {
    [[ $# -ge 1 ]] || usage
    [[ $1 == es-paths ]] && { es_paths; return; }
    local cmd=$1 s p
    shift
    local names=("$@")
    [[ ${#names[@]} -gt 0 ]] || names=("${ALL_SERVICES[@]}")
    for s in "${names[@]}"; do prefix_of "$s" >/dev/null; done   # validate before doing anything

    case $cmd in
        install | start | stop)
            need_root "$cmd"
            mkdir -p "$SERVICES_DIR"
            for s in "${names[@]}"; do
                p=$(prefix_of "$s")
                "${p}_${cmd}"
            done
            ;;
        status)
            local rc=0 st
            for s in "${names[@]}"; do
                st=$("$(prefix_of "$s")_status")
                printf '%-14s %-5s %s\n' "$(canonical "$s")" "$st" "$(service_url "$(canonical "$s")")"
                [[ $st == up ]] || rc=3
            done
            return $rc
            ;;
        env)
            echo "export WIJZER_ELASTICSEARCH_URL=$(service_url elasticsearch)"
            echo "export WIJZER_TEST_DATABASE_URL=$(service_url postgres)"
            echo "export WIJZER_REDIS_URL=$(service_url redis)"
            ;;
        *) usage ;;
    esac
}

main "$@"
