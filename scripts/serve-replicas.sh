#!/usr/bin/env bash
# `make serve REPLICAS=N PORT=P`: N app processes on 127.0.0.1:(P+1)..(P+N) behind nginx on port P, with
# sticky sessions and websockets proxied (deploy/nginx.conf.in). Ctrl-C stops them all. One Streamlit
# process runs its scripts under one Python lock (the GIL), so a class needs several: about one per core.
# nginx listens on every interface (a class reaches it over the network); ADDRESS=127.0.0.1 keeps it on
# this machine (the replica test and bench/replicas.py).
set -euo pipefail
replicas=${1:-2}
port=${2:-8501}
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}
nginx=$(command -v nginx || echo /usr/sbin/nginx)  # /usr/sbin is not on every user's PATH
[ -x "$nginx" ] || { echo "nginx is missing: scripts/system-deps.sh nginx installs it" >&2; exit 1; }
dir=$(mktemp -d /tmp/attention-explorer-nginx.XXXXXX)
chmod 755 "$dir"  # nginx started as root runs its workers as another user: they must reach it
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; [ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true; }
trap stop EXIT INT TERM
upstreams=""
for i in $(seq 1 "$replicas"); do
  "$python" -m attention_core.serve --port $((port + i)) --address 127.0.0.1 >"$dir/app-$i.log" 2>&1 &
  pids+=($!)
  upstreams+="    server 127.0.0.1:$((port + i)) max_fails=1 fail_timeout=5s;"$'\n'
done
sed -e "s|@PORT@|${ADDRESS:+$ADDRESS:}$port|" -e "s|@DIR@|$dir|g" "$here/deploy/nginx.conf.in" \
  | awk -v ups="$upstreams" '{ if ($0 == "@UPSTREAMS@") printf "%s", ups; else print }' >"$dir/nginx.conf"
for i in $(seq 1 "$replicas"); do  # wait until every replica answers
  until curl -sf "http://127.0.0.1:$((port + i))/_stcore/health" >/dev/null; do sleep 0.3; done
done
"$nginx" -c "$dir/nginx.conf" -g "daemon off;" &
front=$!
pids+=("$front")
echo "Attention Explorer: http://localhost:$port  ($replicas replicas behind nginx; logs in $dir)"
wait "$front"  # a replica that dies is not the end: nginx sends its visitors to the others
