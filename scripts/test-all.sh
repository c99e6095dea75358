#!/usr/bin/env bash
# `npm test`: every check and test suite (README "Tests", docs/TESTING.md "npm test"). The same
# steps as running them one after another, every one must pass; steps that do not depend on each
# other and leave cores idle run side by side:
#   1. prisma generate
#   2. format:check, lint, typecheck, db:check   (each single-threaded: four at once on 2 cores)
#   3. unit + integration (Vitest, 2 workers)
#   4. build, with test:pg15 beside it (PostgreSQL 15's startup and the build's I/O waits overlap)
#   5. test:e2e, with test:cluster beside it     (the cluster's servers take free ports)
#   6. bench --quick                             (alone: its HTTP rows are timed)
# A parallel step's output is kept in $TEST_LOG_DIR (default: a temp dir) and printed when it ends,
# whole, so logs never interleave. Prints each step's wall time and a summary at the end.

set -uo pipefail
cd "$(dirname "$0")/.."

LOG_DIR="${TEST_LOG_DIR:-$(mktemp -d /tmp/phteah-test.XXXXXX)}"
mkdir -p "$LOG_DIR"
SUMMARY=()
t_all=$(date +%s)

fail() {
  echo "✗ npm test failed at: $1 (logs in $LOG_DIR)"
  printf '  %s\n' "${SUMMARY[@]}"
  exit 1
}

# run NAME CMD...: one step in the foreground, its output straight to the terminal
run() {
  local name=$1 t0 rc
  shift
  echo "▸ $name"
  t0=$(date +%s)
  "$@"
  rc=$?
  SUMMARY+=("$name: $(($(date +%s) - t0)) s$([ $rc -ne 0 ] && echo " FAILED ($rc)")")
  [ $rc -eq 0 ] || fail "$name"
}

# parallel NAME=CMD ...: the steps at once; each step's log printed whole when all have ended
parallel() {
  local names=() pids=() starts=() spec name failed=() t0 i rc
  t0=$(date +%s)
  for spec in "$@"; do
    name=${spec%%=*}
    echo "▸ $name (in parallel)"
    (
      s0=$(date +%s)
      bash -c "${spec#*=}"
      rc=$?
      echo $(($(date +%s) - s0)) >"$LOG_DIR/$name.time"
      exit $rc
    ) >"$LOG_DIR/$name.log" 2>&1 &
    pids+=($!)
    names+=("$name")
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}"
    rc=$?
    echo "── ${names[$i]} ──"
    cat "$LOG_DIR/${names[$i]}.log"
    SUMMARY+=("${names[$i]}: $(cat "$LOG_DIR/${names[$i]}.time" 2>/dev/null) s (in parallel)$([ $rc -ne 0 ] && echo " FAILED ($rc)")")
    [ $rc -eq 0 ] || failed+=("${names[$i]}")
  done
  SUMMARY+=("  (these $# side by side: $(($(date +%s) - t0)) s)")
  [ ${#failed[@]} -eq 0 ] || fail "${failed[*]}"
}

run "db:generate" npm run db:generate --silent
parallel "format:check=npm run format:check" "lint=npm run lint" "typecheck=npm run typecheck" "db:check=npm run db:check"
run "test:integration" npm run test:integration
# `next build` rather than `npm run build`: its prisma generate (done in step 1) would rewrite the
# client while test:pg15 imports it
parallel "build=npx next build" "test:pg15=npm run test:pg15"
# test:cluster beside test:e2e: its two servers take free ports (never 3100 or the e2e stubs'),
# and its 15 s fall on the e2e server's database start and seed, while the browsers wait
# The e2e server takes port 3100 (its stubs 3197-3199): on a machine shared with other runs the suite
# holds /tmp/phteah-e2e.lock, as the bench's HTTP rows do (free on a CI machine; its wait is printed).
# So do not wrap `npm test` itself in that lock: the e2e step and the bench would wait for it forever.
parallel "test:e2e=flock /tmp/phteah-e2e.lock bash -c 'echo \"▸ e2e lock taken after \$((\$(date +%s) - $(date +%s))) s\"; npm run test:e2e'" \
  "test:cluster=npm run test:cluster"
run "bench --quick" npm run bench -- --quick

echo "✓ npm test passed in $(($(date +%s) - t_all)) s"
printf '  %s\n' "${SUMMARY[@]}"
