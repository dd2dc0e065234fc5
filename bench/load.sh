#!/usr/bin/env bash
# Load benchmark (docs/performance.md): a release build on a fresh SQLite database, 64
# concurrent clients posting complete stories for DURATION seconds; then the stored stories
# are counted and compared with the successful responses. Also measures the landing and form
# pages. Needs wrk (apt-get install wrk). Only talks to 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-30}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
PORT="${PORT:-18080}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

cargo build --release --quiet
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
export DATABASE_URL="${DATABASE_URL:-$WORK/bench.db}"
export VERTELPUNT_POST_LIMIT=0 RUST_LOG=warn
./target/release/vertelpunt serve --bind "127.0.0.1:$PORT" &
SERVER=$!
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

BASE="http://127.0.0.1:$PORT"
before=$(./target/release/vertelpunt db check | sed -E 's/.* ([0-9]+) verhalen.*/\1/')

echo "== GET landing page"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${PAGE_DURATION:-10}s" -s bench/get_page.lua "$BASE/v/jeugdhulp" | grep -E "Requests/sec|RESULT"
echo "== GET story form"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${PAGE_DURATION:-10}s" -s bench/get_page.lua "$BASE/v/jeugdhulp/vertel?rol=jongere" | grep -E "Requests/sec|RESULT"

# One CSRF cookie and its token, shared by all simulated clients.
curl -fs -c "$WORK/cookies" "$BASE/v/jeugdhulp/vertel?rol=jongere" > "$WORK/form.html"
export VP_CSRF=$(grep -o 'name="csrf" value="[^"]*"' "$WORK/form.html" | sed -E 's/.*value="([^"]*)"/\1/' | sed 's/=/%3D/g; s/+/%2B/g')
export VP_COOKIE="vp_csrf=$(awk '$6=="vp_csrf"{print $7}' "$WORK/cookies")"

echo "== POST stories: $CONNECTIONS clients, ${DURATION}s"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s bench/post_story.lua "$BASE/" | tee "$WORK/post.txt" | grep -E "Requests/sec|RESULT"

kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
ok=$(grep -o 'ok=[0-9]*' "$WORK/post.txt" | cut -d= -f2)
after=$(./target/release/vertelpunt db check | sed -E 's/.* ([0-9]+) verhalen.*/\1/')
stored=$((after - before))
echo "== stored stories: $stored, successful responses: $ok, stories/s: $((stored / DURATION))"
if [ "$stored" != "$ok" ]; then echo "MISMATCH: stored $stored but $ok successful responses" >&2; exit 1; fi
echo "OK: every successful response is exactly one stored story"
