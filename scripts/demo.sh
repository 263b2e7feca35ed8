#!/usr/bin/env bash
# The demo on one machine: load the real seed corpus and the offline crawls, index, serve on :5000.
set -euo pipefail
venv=${1:-.venv}
data=${2:-data}
wijzer="$venv/bin/wijzer"
export WIJZER_DATA_DIR="$data"
export WIJZER_SEARCH_BACKEND="${WIJZER_SEARCH_BACKEND:-embedded}"
export HF_HUB_OFFLINE=1
repo=$(cd "$(dirname "$0")/.." && pwd)
seed="$repo/../shared/data/instruments_seed.jsonl"
port=${WIJZER_PORT:-5000}
mail_port=${WIJZER_SMTP_PORT:-8025}
export WIJZER_SMTP_HOST=127.0.0.1 WIJZER_SMTP_PORT="$mail_port"
export WIJZER_BASE_URL="http://127.0.0.1:$port"

step() { printf '\n== %s\n' "$*"; }

step "Catalog in $data (embedded search backend)"
"$wijzer" db upgrade
if [ -f "$seed" ]; then
  "$wijzer" import "$seed" --no-index
else
  echo "The seed corpus $seed is missing; continuing with the offline crawls only." >&2
fi

step "Local mail sink on 127.0.0.1:$mail_port (messages are saved in $data/mail)"
mkdir -p "$data/mail"
"$wijzer" mail-sink --port "$mail_port" --dir "$data/mail" &
sink=$!
trap 'kill $sink 2>/dev/null || true' EXIT
sleep 1

step "Demo subscribers (confirmed, so no opt-in mail is needed)"
"$wijzer" alerts run --now >/dev/null   # what is already in the catalog is not news
profile="$data/demo-profile.json"
cat > "$profile" <<'JSON'
{"description": "Wij zijn een mkb-bedrijf dat met boeren werkt aan gezonde bodems (bodemgezondheid) en living labs, en zoekt Europese financiering uit Horizon Europe.", "language": "nl", "size": "small", "stage": "startup"}
JSON
"$wijzer" alerts list --format json | grep -q '"bodem@example.nl"' || \
  "$wijzer" alerts subscribe bodem@example.nl --profile "$profile" --frequency daily \
    --language nl --confirmed
"$wijzer" alerts list --format json | grep -q '"eu-calls@example.org"' || \
  "$wijzer" alerts subscribe eu-calls@example.org --query "" --level eu --frequency daily \
    --language en --confirmed

step "Crawling every source from the recorded responses (offline)"
"$wijzer" crawl --all --offline --no-index

step "Building the search index (with embeddings)"
"$wijzer" index rebuild

step "Sending the digests for what the crawls brought in"
"$wijzer" alerts run --now || echo "Some mail was deferred; see 'wijzer alerts list'." >&2
sleep 1
echo "Mail landed in $data/mail/:"
ls -1 "$data/mail" | tail -n 5

step "Demo staff account"
demo_password=${WIJZER_DEMO_PASSWORD:-wijzer-demo-2026}
printf '%s\n' "$demo_password" | \
  "$wijzer" users create demo@wijzer.nl --role admin --password-stdin --exist-ok

cat <<TXT

Wijzer is running at http://127.0.0.1:$port  (Ctrl-C stops it)
  Staff area:  http://127.0.0.1:$port/admin   login demo@wijzer.nl / $demo_password
  API:         http://127.0.0.1:$port/api/v1/docs
  Mail sink:   $data/mail (SMTP on 127.0.0.1:$mail_port)
TXT
"$wijzer" serve --host 127.0.0.1 --port "$port"
