#!/usr/bin/env bash
# Two replicas of the app behind nginx, against one database:
#   DATABASE_URL=postgresql+psycopg://... deploy/run_pair.sh PORT [RUN_DIR]
# The replicas listen on 127.0.0.1:PORT+1 and PORT+2, nginx on 127.0.0.1:PORT. Both replicas get the same cookie
# secret (Streamlit signs its XSRF token with it, so an upload still works after a failover). RUN_DIR (default a new
# temporary folder) holds the nginx config and logs, and `pids` (one line per process: name port pid), which a
# test reads to stop one replica. Ctrl-C or SIGTERM stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:?usage: deploy/run_pair.sh PORT [RUN_DIR]}"
RUN="${2:-$(mktemp -d)}"
mkdir -p "$RUN"
: "${DATABASE_URL:?set DATABASE_URL to the database both replicas share}"
export DATABASE_URL
export STREAMLIT_SERVER_COOKIE_SECRET="${STREAMLIT_SERVER_COOKIE_SECRET:-$(python -c 'import secrets; print(secrets.token_hex(32))')}"
PORT_A=$((PORT + 1))
PORT_B=$((PORT + 2))
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
: > "$RUN/pids"
for p in "$PORT_A" "$PORT_B"; do
  python -m streamlit run server.py --server.port "$p" --server.address 127.0.0.1 --server.headless true \
    > "$RUN/replica-$p.log" 2>&1 &
  pids+=("$!")
  echo "replica $p $!" >> "$RUN/pids"
done
sed -e "s#@RUN@#$RUN#g" -e "s#@PORT@#$PORT#g" -e "s#@PORT_A@#$PORT_A#g" -e "s#@PORT_B@#$PORT_B#g" \
  deploy/nginx.conf > "$RUN/nginx.conf"
nginx -p "$RUN" -c "$RUN/nginx.conf" -g "daemon off;" &
pids+=("$!")
echo "nginx $PORT $!" >> "$RUN/pids"
echo "serving on http://127.0.0.1:$PORT (replicas on $PORT_A and $PORT_B; run folder $RUN)"
wait
