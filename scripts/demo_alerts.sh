#!/usr/bin/env bash
# Demo of email alerts: a local SMTP sink, a subscription, new instruments, one digest.
# Usage: scripts/demo_alerts.sh VENV DATA   (make demo-alerts; make demo can call it too)
set -euo pipefail
VENV="${1:-.venv}"
DATA="${2:-data}"
PORT="${WIJZER_SMTP_PORT:-8025}"
WIJZER="$VENV/bin/python -m wijzer --data-dir $DATA"
SEED="../shared/data/instruments_seed.jsonl"
export WIJZER_SMTP_PORT="$PORT" HF_HUB_OFFLINE=1

mkdir -p "$DATA/mail"
$WIJZER mail-sink --port "$PORT" --dir "$DATA/mail" &
SINK=$!
trap 'kill $SINK 2>/dev/null || true' EXIT
sleep 2

tmp="$(mktemp -d)"
head -n 80 "$SEED" > "$tmp/first.jsonl"
tail -n +81 "$SEED" > "$tmp/later.jsonl"
$WIJZER db upgrade
$WIJZER import "$tmp/first.jsonl" --no-index
$WIJZER alerts run --now >/dev/null   # the existing catalog is not news
$WIJZER alerts subscribe demo@example.org --level regional --frequency daily \
    --language nl --confirmed
$WIJZER import "$tmp/later.jsonl" --no-index   # "new instruments arrive"
$WIJZER alerts run --now
rm -rf "$tmp"
sleep 1
echo
echo "Mail landed in $DATA/mail:"
ls -1 "$DATA/mail"
