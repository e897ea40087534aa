#!/usr/bin/env bash
# A throwaway kplug fleet on this machine, without Docker: a PostgreSQL server in a temporary
# directory (as the test harness starts one), NODES `kplug serve --store postgres://...` nodes
# on free ports sharing one images directory, and nginx in front of them. Everything lives in
# one temporary directory and is stopped and removed on exit (Ctrl-C), unless KEEP=1.
#
# usage: deploy/local-fleet.sh [--check]
#   --check   start the fleet, check that nginx proxies /healthz to every node and that a
#             client imported into the database reaches every node, then stop (exit 0 or 1)
# environment:
#   KPLUG     how to run kplug (default: node <this checkout>/bin/kplug.js)
#   IMAGES    the shared images directory (default: the sample images, generated once)
#   NODES     number of nodes (default 2); LB_PORT nginx's port (default: a free port)
#   KPLUG_PG_BIN  PostgreSQL server binaries (default: the newest /usr/lib/postgresql/*/bin)
#   KEEP=1    leave the temporary directory (logs, database) behind
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  -h | --help)
    sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "local-fleet: unknown argument '$1' (see --help)" >&2
    exit 2
    ;;
esac

say() { echo "local-fleet: $*" >&2; }
die() {
  say "$*"
  exit 1
}

# --- what this needs, checked before anything starts -------------------------------------------
read -r -a kplug <<<"${KPLUG:-node $repo/bin/kplug.js}"
nodes=${NODES:-2}
[[ $nodes =~ ^[1-9][0-9]?$ ]] || die "NODES must be a number from 1 to 99 (got '$nodes')"
command -v nginx >/dev/null ||
  die "nginx is not installed (Debian: apt-get install nginx-light; or any nginx >= 1.19)"
command -v curl >/dev/null || die "curl is not installed (Debian: apt-get install curl)"
pg_bin=${KPLUG_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[[ -n $pg_bin && -x $pg_bin/initdb ]] ||
  die "no PostgreSQL server binaries (Debian: apt-get install postgresql; or set KPLUG_PG_BIN)"
serve_help=$("${kplug[@]}" serve --help 2>&1) || die "cannot run '${kplug[*]} serve --help': $serve_help"
grep -q -- '--store' <<<"$serve_help" ||
  die "'kplug serve' has no --store option: this kplug's server does not use the shared plugin store yet, so its nodes would share nothing. Nothing was started."

# --- the temporary directory and clean-up ------------------------------------------------------
work=$(mktemp -d /tmp/kplug-fleet.XXXXXX)
chmod 755 "$work" # the postgres user (when we are root) and nginx's workers look inside
node_pids=()
nginx_pid=
pg_started=0
as_pg() {
  # PostgreSQL refuses to run as root: as root, it runs as the Debian package's postgres user.
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [[ -n $nginx_pid ]] && kill -QUIT "$nginx_pid" 2>/dev/null
  for pid in "${node_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  [[ -n $nginx_pid ]] && wait "$nginx_pid" 2>/dev/null
  for pid in "${node_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if ((pg_started)); then
    as_pg "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [[ ${KEEP:-0} == 1 ]]; then say "kept $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Waits until URL answers 2xx (up to 60 s); PID, if given, must stay alive meanwhile.
wait_for() {
  local url=$1 pid=${2:-} log=${3:-}
  for _ in $(seq 600); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      [[ -n $log ]] && tail -n 20 "$log" >&2
      die "the process behind $url exited (log: $log)"
    fi
    sleep 0.1
  done
  die "$url did not answer within 60 s (log: ${log:-none})"
}

# --- PostgreSQL ----------------------------------------------------------------------------------
mkdir -p "$work/pg"
[[ $(id -u) == 0 ]] && chown postgres:postgres "$work/pg"
chmod 700 "$work/pg"
pg_port=$(free_port)
as_pg "$pg_bin/initdb" -D "$work/pg/data" -U kplug --auth=trust -E UTF8 --no-sync \
  >"$work/initdb.log" 2>&1 || die "initdb failed: $(tail -n 5 "$work/initdb.log")"
as_pg "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/postgres.log" -w -t 60 \
  -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null ||
  die "PostgreSQL did not start: $(tail -n 5 "$work/pg/postgres.log" 2>/dev/null)"
pg_started=1
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U kplug kplug
store="postgres://kplug@127.0.0.1:$pg_port/kplug"
"${kplug[@]}" store migrate --store "$store" >&2

# --- the shared images -----------------------------------------------------------------------------
if [[ -n ${IMAGES:-} ]]; then
  images=$(cd "$IMAGES" && pwd)
else
  images=$(cd "$repo" && node --import tsx --input-type=module -e \
    'import { ensureSamples } from "./httpd/index.ts"; console.log(await ensureSamples(process.argv[1]));' \
    "$work/samples")
fi

# --- the nodes -------------------------------------------------------------------------------------
admin=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
node_ports=()
for i in $(seq "$nodes"); do
  port=$(free_port)
  log="$work/node$i.log"
  # KPLUG_DATA: each node's own scratch space (the store and images are shared).
  KPLUG_DATA="$work/node$i" KPLUG_ADMIN_TOKEN="$admin" "${kplug[@]}" serve \
    --store "$store" --images "$images" --host 127.0.0.1 --port "$port" \
    --no-demo --no-helper >"$log" 2>&1 &
  node_pids+=($!)
  node_ports+=("$port")
done
for i in $(seq "$nodes"); do
  wait_for "http://127.0.0.1:${node_ports[i - 1]}/healthz" "${node_pids[i - 1]}" "$work/node$i.log"
done

# --- nginx -----------------------------------------------------------------------------------------
lb_port=${LB_PORT:-$(free_port)}
ngx="$work/nginx"
mkdir -p "$ngx"
for d in body proxy fastcgi uwsgi scgi; do mkdir -m 777 "$ngx/$d"; done
{
  echo "daemon off;"
  echo "worker_processes 1;"
  echo "pid $ngx/nginx.pid;"
  echo "error_log $ngx/error.log warn;"
  echo "events { worker_connections 256; }"
  echo "http {"
  echo "  access_log $ngx/access.log;"
  for d in body proxy fastcgi uwsgi scgi; do
    [[ $d == body ]] && echo "  client_body_temp_path $ngx/$d;" || echo "  ${d}_temp_path $ngx/$d;"
  done
  echo "  upstream kplug {"
  echo "    zone kplug 64k;"
  for port in "${node_ports[@]}"; do
    echo "    server 127.0.0.1:$port max_fails=2 fail_timeout=5s;"
  done
  echo "    keepalive 16;"
  echo "  }"
  echo "  server {"
  echo "    listen 127.0.0.1:$lb_port;"
  echo "    client_max_body_size 1m;"
  echo "    location / {"
  echo "      proxy_pass http://kplug;"
  echo "      proxy_http_version 1.1;"
  echo "      proxy_set_header Connection \"\";"
  echo "      proxy_set_header Host \$host;"
  echo "      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;"
  echo "      add_header X-Kplug-Node \$upstream_addr always;"
  echo "      proxy_next_upstream error timeout http_502 http_503 http_504;"
  echo "      proxy_next_upstream_tries 2;"
  echo "      proxy_connect_timeout 2s;"
  echo "    }"
  echo "    location = /lb-healthz { default_type text/plain; return 200 \"ok\\n\"; }"
  echo "  }"
  echo "}"
} >"$ngx/nginx.conf"
nginx -p "$ngx" -c "$ngx/nginx.conf" -e "$ngx/error.log" &
nginx_pid=$!
wait_for "http://127.0.0.1:$lb_port/lb-healthz" "$nginx_pid" "$ngx/error.log"
url="http://127.0.0.1:$lb_port"

if ((check == 0)); then
  say "PostgreSQL  $store"
  say "images      $images"
  for i in $(seq "$nodes"); do say "node $i      http://127.0.0.1:${node_ports[i - 1]}/  (log $work/node$i.log)"; done
  say "admin token $admin"
  say "nginx       $url/   <- use this; Ctrl-C stops everything"
  wait "$nginx_pid"
  exit 0
fi

# --- the check: nginx reaches every node, and every node sees what another wrote -------------------
declare -A seen=()
for _ in $(seq $((nodes * 4))); do
  node=$(curl -fsS -D - -o /dev/null "$url/healthz" | tr -d '\r' | sed -n 's/^[Xx]-[Kk]plug-[Nn]ode: //p')
  [[ -n $node ]] || die "nginx answered /healthz without naming a node"
  seen[$node]=1
done
for port in "${node_ports[@]}"; do
  [[ -n ${seen[127.0.0.1:$port]:-} ]] || die "nginx never sent /healthz to 127.0.0.1:$port (saw ${!seen[*]})"
done
say "ok: nginx on :$lb_port proxies /healthz to every node (${!seen[*]})"

# A client written into the database (as a store import) must appear on every node, through
# LISTEN/NOTIFY; /healthz counts the clients a node knows.
token_hash=$(head -c 24 /dev/urandom | sha256sum | cut -d' ' -f1)
now=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
printf '%s\n%s\n' \
  '{"type":"kplug-store-export","format":1}' \
  "{\"type\":\"client\",\"id\":\"fleet-check\",\"generation\":1,\"tokenSha256\":\"$token_hash\",\"limits\":{},\"version\":1,\"created\":\"$now\",\"updated\":\"$now\"}" |
  "${kplug[@]}" store import --store "$store" >&2
for port in "${node_ports[@]}"; do
  for _ in $(seq 50); do
    clients=$(curl -fsS "http://127.0.0.1:$port/healthz" | sed -n 's/.*"clients":\([0-9]*\).*/\1/p')
    [[ -z $clients || $clients -ge 1 ]] && break
    sleep 0.1
  done
  [[ -n $clients ]] || die "/healthz of 127.0.0.1:$port does not count clients; cannot check propagation"
  ((clients >= 1)) || die "the imported client did not reach the node on :$port within 5 s"
done
say "ok: a client imported into PostgreSQL reached all $nodes nodes"
