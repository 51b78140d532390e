#!/usr/bin/env bash
# Load the annotation passes of the seed document through a real Label Studio session and pull
# them into annotations/: the procedure behind annotations/exports, passes and gold (issue 6).
#
#   scripts/gold_session.sh SUBMISSIONS_DIR
#
# SUBMISSIONS_DIR holds, for one document, one canonical record per account: annotator-a.json,
# annotator-b.json (the two independent passes) and adjudicator.json (the adjudicated result,
# flagged as ground truth); or one such folder per document (SUBMISSIONS_DIR/<doc-id>/...), for a
# session over many documents. Each record is posted as that user's annotation through the API the
# Label Studio front end uses, then `newsevents annotate pull` exports the project (raw export kept
# unmodified) and converts it. The server runs on a free loopback port with a throw-away data
# folder. Documents of the corpus without submissions are pushed as tasks and stay unannotated in
# this session; their committed files are left as they are (pull never replaces another server's).
set -euo pipefail
cd "$(dirname "$0")/.."
subs=$(realpath "$1")
bin=.venv/bin
data=$(mktemp -d)
port=$($bin/python -c "from newsevents.annotate.server import free_port; print(free_port())")
export LABEL_STUDIO_USERNAME=admin@newsevents.local
export LABEL_STUDIO_PASSWORD=$($bin/python -c "import secrets; print(secrets.token_urlsafe(16))")
export LABEL_STUDIO_USER_TOKEN=$($bin/python -c "import secrets; print(secrets.token_hex(20))")
export LABEL_STUDIO_URL=http://127.0.0.1:$port
serve=
# On every way out (error, Ctrl-C, kill): stop serve, wait until it has exited (serve returns only
# once the whole Label Studio process group is gone), then remove the data folder. If serve does
# not exit within 60 s, SIGKILL it (the kernel then sends SIGTERM to the server, see server.py).
cleanup() {
  if [ -n "$serve" ]; then
    kill -TERM "$serve" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$serve" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$serve" 2>/dev/null || true
    wait "$serve" 2>/dev/null || true
  fi
  rm -rf "$data"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
# Bash runs the trap only once the running command returns, and not at all on SIGKILL: where
# util-linux setpriv is available, have the kernel send serve SIGTERM when this script dies.
pdeath=()
if command -v setpriv >/dev/null && setpriv --help 2>&1 | grep -q -- --pdeathsig; then
  pdeath=(setpriv --pdeathsig TERM --)
fi
${pdeath[@]+"${pdeath[@]}"} $bin/newsevents annotate serve --port "$port" --data-dir "$data" > "$data/serve.out" 2>&1 &
serve=$!
for _ in $(seq 300); do
  grep -q "http://" "$data/serve.out" 2>/dev/null && break
  kill -0 "$serve" 2>/dev/null || { cat "$data/serve.out" >&2; exit 2; }
  sleep 1
done
grep -q "http://" "$data/serve.out" || { echo "Label Studio did not start; see $data/serve.out" >&2; exit 2; }
$bin/newsevents annotate push
$bin/python - <<'PY'
import os, secrets
from newsevents.annotate import client as ls
s = ls.connect(os.environ["LABEL_STUDIO_URL"], os.environ["LABEL_STUDIO_USER_TOKEN"])
for name in ("annotator-a", "annotator-b", "adjudicator"):
    s.client.users.create(username=name, email=f"{name}@newsevents.local", password=secrets.token_urlsafe(16))
PY
if [ -f "$subs/adjudicator.json" ]; then docs=("$subs"); else docs=("$subs"/*/); fi
for doc in "${docs[@]}"; do
  doc=${doc%/}
  for name in annotator-a annotator-b; do
    $bin/python scripts/ls_post_pass.py --email "$name@newsevents.local" "$doc/$name.json"
  done
  $bin/python scripts/ls_post_pass.py --ground-truth --email adjudicator@newsevents.local "$doc/adjudicator.json"
done
$bin/newsevents annotate pull
