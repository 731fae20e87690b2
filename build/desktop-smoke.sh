#!/usr/bin/env bash
# Desktop smoke test: the real app under Xvfb. It fails (never skips) when
# anything it needs is missing. Steps:
#   1. build the app (build/app.sh; the annotator from frontend/dist when it
#      is built, else the placeholder page) into test-output/desktop-smoke/;
#   2. start it on a free Xvfb display with --selftest; the engine child
#      becomes ready (app log) and is the app's child process; the page's
#      self-check passes (window.samwise bridge, a bound method, /ready and
#      /v1/media through the proxy, which adds the token);
#   3. take a screenshot (test-output/desktop-smoke/screenshot.png) and
#      check it is not blank;
#   4. kill -9 the engine: a new engine child becomes ready;
#   5. close the window with File > Quit's shortcut (xdotool ctrl+q): the
#      app exits 0 and no engine process is left;
#   6. start it again and kill -9 the app: its engine dies with it.
# Usage: build/desktop-smoke.sh   (needs: build/setup-debian.sh test desktop)
#        SMOKE_UI=placeholder build/desktop-smoke.sh   tests the shell alone
set -euo pipefail
cd "$(dirname "$0")/.."
out=test-output/desktop-smoke
step_timeout=${SMOKE_TIMEOUT:-60}

say() { echo "desktop-smoke: $*" >&2; }
fail() {
  echo "desktop-smoke: FAIL: $*" >&2
  if [ -n "${log:-}" ] && [ -f "$log" ]; then
    echo "--- app log ($log), last lines:" >&2
    tail -n 40 "$log" >&2
  fi
  exit 1
}

for tool in Xvfb xdotool import convert pkg-config; do
  command -v "$tool" >/dev/null || fail "$tool is missing: run build/setup-debian.sh test desktop"
done

# 1. Build.
mkdir -p "$out"
rm -rf "$out"/data.* "$out/screenshot.png"
if [ -f frontend/dist/index.html ] && [ "${SMOKE_UI:-}" != placeholder ]; then
  ui="the annotator (frontend/dist)"
  build/app.sh --skip-frontend -o "$out/samwise"
else
  ui="the placeholder page (frontend/dist is not built)"
  build/app.sh --ui-placeholder -o "$out/samwise"
fi
say "testing $out/samwise with $ui"

# Everything this test starts, by pid, for the cleanup.
xvfb="" app="" engines=()
cleanup() {
  [ -n "$app" ] && kill -9 "$app" 2>/dev/null || true
  for e in "${engines[@]}"; do kill -9 "$e" 2>/dev/null || true; done
  [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null || true
}
trap cleanup EXIT

# A free display number.
display=""
for n in $(seq 90 150); do
  if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then display=":$n"; break; fi
done
[ -n "$display" ] || fail "no free X display between :90 and :150"
Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb=$!
export DISPLAY=$display
for _ in $(seq 1 100); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done
xdotool getdisplaygeometry >/dev/null 2>&1 || fail "Xvfb did not start on $display (see $out/xvfb.log)"
unset WAYLAND_DISPLAY SAMWISE_ENGINE
export NO_AT_BRIDGE=1

# alive PID: running, not a zombie (one read of /proc: checking kill -0 and
# then the state races with the shell reaping the child).
alive() {
  local state
  state=$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}
parent_of() { ps -o ppid= -p "$1" | tr -d ' '; }

# wait_for PATTERN WHAT: waits until the app log matches PATTERN.
wait_for() {
  local i
  for i in $(seq 1 $((step_timeout * 10))); do
    grep -q "$1" "$log" && return 0
    alive "$app" || fail "the app exited while waiting for $2"
    sleep 0.1
  done
  fail "no $2 within ${step_timeout}s"
}

# ready_pid N: the pid of the Nth "engine ready" line.
ready_pid() { grep 'msg="engine ready"' "$log" | sed -n "${1}p" | grep -o ' pid=[0-9]*' | cut -d= -f2; }

start_app() {
  data=$(mktemp -d "$PWD/$out/data.XXXXXX")
  log=$data/app.log
  "$out/samwise" --engine "$PWD/$out/engine" --data-dir "$data" --selftest --log-level debug >"$log" 2>&1 &
  app=$!
}

# 2. Start; the engine child becomes ready; the page self-check passes.
start=$(date +%s)
start_app
wait_for 'msg="engine ready"' "ready engine"
engine1=$(ready_pid 1)
engines+=("$engine1")
alive "$engine1" || fail "engine $engine1 is not running"
[ "$(parent_of "$engine1")" = "$app" ] || fail "engine $engine1 is not a child of the app ($app)"
say "engine $engine1 ready ($(($(date +%s) - start))s after start)"
wait_for 'msg="selftest' "page self-check"
grep -q 'msg="selftest passed"' "$log" || fail "the page self-check failed: $(grep 'selftest failed' "$log")"
say "page self-check passed: bridge, bound method, /ready and /v1/media through the proxy"

# 3. Screenshot, not blank.
sleep 2 # let the page paint after the self-check's requests
import -window root "$out/screenshot.png"
colours=$(convert "$out/screenshot.png" -format %k info:)
[ "$colours" -gt 16 ] || fail "the screenshot is blank: $colours colours ($out/screenshot.png)"
say "screenshot $out/screenshot.png: $colours colours"

# 4. Kill the engine: a new one becomes ready.
kill -9 "$engine1"
wait_for 'msg="engine stopped unexpectedly' "restart after kill -9"
for _ in $(seq 1 $((step_timeout * 10))); do
  [ "$(grep -c 'msg="engine ready"' "$log")" -ge 2 ] && break
  sleep 0.1
done
engine2=$(ready_pid 2)
[ -n "$engine2" ] || fail "no new engine became ready after kill -9 $engine1"
engines+=("$engine2")
[ "$engine2" != "$engine1" ] && alive "$engine2" || fail "the restarted engine ($engine2) is not running"
[ "$(parent_of "$engine2")" = "$app" ] || fail "the restarted engine $engine2 is not a child of the app"
alive "$engine1" && fail "the killed engine $engine1 still runs"
say "engine restarted: $engine1 -> $engine2"

# 5. Close the window with ctrl+q (File > Quit).
window=$(xdotool search --sync --onlyvisible --pid "$app" 2>/dev/null | head -n 1 || true)
[ -n "$window" ] || window=$(xdotool search --onlyvisible --name '^Samwise$' | head -n 1 || true)
[ -n "$window" ] || fail "the app's window was not found"
xdotool windowfocus --sync "$window" key --clearmodifiers ctrl+q
for _ in $(seq 1 200); do alive "$app" || break; sleep 0.1; done
alive "$app" && fail "ctrl+q (File > Quit) did not close the app within 20s"
status=0
wait "$app" || status=$?
app=""
[ "$status" = 0 ] || fail "the app exited with status $status after ctrl+q"
grep -q 'msg="engine stopped"' "$log" || fail "the app did not stop its engine"
for e in "${engines[@]}"; do alive "$e" && fail "engine $e still runs after the window closed"; done
left=$(pgrep -f -- "--data-dir $data" || true)
[ -z "$left" ] || fail "processes still use the data directory: $left"
say "window closed with ctrl+q: app exited 0, no engine left"

# 6. A crashed app takes its engine with it.
start_app
wait_for 'msg="engine ready"' "ready engine (second launch)"
engine3=$(ready_pid 1)
engines+=("$engine3")
kill -9 "$app"
wait "$app" 2>/dev/null || true
app=""
for _ in $(seq 1 100); do alive "$engine3" || break; sleep 0.1; done
alive "$engine3" && fail "engine $engine3 survived its app's kill -9"
say "kill -9 of the app: its engine $engine3 died with it"

say "PASS in $(($(date +%s) - start))s (after the build)"
