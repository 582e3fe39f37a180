#!/usr/bin/env bash
# Start-to-ready of one service from the image: from `docker run` until its GET /status answers 200,
# five times. The service is `agora serve voting` in the embedded topology (SQLite in its data
# directory, in-memory bus), so the time is the image's own: process start, imports, migrations.
#   deploy/measure-start.sh [IMAGE]     (default agora:latest; uses 127.0.0.1:18999)
set -euo pipefail
image="${1:-agora:latest}"
port=18999
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in 1 2 3 4 5; do
  t0=$(date +%s%N)
  cid=$(docker run -d --rm --network host -e AGORA_PORT=$port -e AGORA_HOST=127.0.0.1 "$image" serve voting)
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/status" 2>/dev/null; do sleep 0.02; done
  t1=$(date +%s%N)
  echo "run $i: $(( (t1 - t0) / 1000000 )) ms"
  docker stop -t 5 "$cid" >/dev/null
done
