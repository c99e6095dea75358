#!/usr/bin/env bash
# Runs the unit + integration Vitest projects under a shifted clock (libfaketime), once per
# instant, one after another, and prints one summary line per instant. See docs/TESTING.md.
#
#   npm run test:clock                                   # the default instants below
#   npm run test:clock -- "2028-02-29 05:00:00" ...      # instants in UTC, "YYYY-MM-DD hh:mm:ss"
#   npm run test:clock -- "2027-12-31 17:30:00" -- tests/integration/rent-payments.test.ts
#
# Everything after a lone "--" is passed to `vitest run` (files, -t, --project …). The clock
# starts at the instant and then runs on. FAKETIME_DONT_RESET=1 keeps every child process
# (the embedded PostgreSQL, the forked Vitest workers) on the same shifted clock. The process
# time zone is whatever TZ says (default: the machine's); the instants are always UTC.
# Full logs go to $CLOCK_LOG_DIR (default /tmp/phteah-clock). Exit status: 0 if every instant
# passed, 1 if any failed, 2 if faketime is missing.

set -uo pipefail

DEFAULT_INSTANTS=(
  "2027-12-31 16:35:00" # 23:35 on 31 Dec 2027 in Asia/Phnom_Penh (UTC+7): the year's last half hour
  "2027-12-31 17:30:00" # 00:30 on 1 Jan 2028 in Phnom Penh while UTC is still in 2027
  "2028-02-29 05:00:00" # leap day, noon in Phnom Penh
  "2027-01-31 16:50:00" # 23:50 on 31 Jan in Phnom Penh: a month's last minutes, on the 31st
  "2039-03-31 10:00:00" # far future: past 2038's 32-bit time_t, on a 31st before a 30-day month
)

if ! command -v faketime >/dev/null 2>&1; then
  echo "test-shifted-clock: faketime is not installed. On Debian/Ubuntu: sudo apt-get install faketime" >&2
  exit 2
fi

instants=()
vitest_args=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then
    shift
    vitest_args=("$@")
    break
  fi
  instants+=("$1")
  shift
done
[ ${#instants[@]} -eq 0 ] && instants=("${DEFAULT_INSTANTS[@]}")
[ ${#vitest_args[@]} -eq 0 ] && vitest_args=(--project unit --project 'integration*')

cd "$(dirname "$0")/.."
log_dir="${CLOCK_LOG_DIR:-/tmp/phteah-clock}"
mkdir -p "$log_dir"

# Validate every instant before the first (long) run.
epochs=()
for instant in "${instants[@]}"; do
  if ! epoch=$(date -u -d "$instant UTC" +%s 2>/dev/null); then
    echo "test-shifted-clock: not an instant: \"$instant\" (use \"YYYY-MM-DD hh:mm:ss\", UTC)" >&2
    exit 2
  fi
  epochs+=("$epoch")
done

# A count from Vitest's summary line, e.g. "      Tests  2 failed | 990 passed | 3 skipped (995)".
count() {
  local n
  n=$(grep -Eo "[0-9]+ $2" <<<"$1" | head -1 | cut -d' ' -f1)
  echo "${n:-0}"
}

status=0
summaries=()
for i in "${!instants[@]}"; do
  instant="${instants[$i]}"
  log="$log_dir/$(tr ' :' '_-' <<<"$instant").log"
  echo "test-shifted-clock: $instant UTC ($(TZ=Asia/Phnom_Penh date -d "@${epochs[$i]}" '+%F %T') in Phnom Penh) → $log"
  started=$(date +%s)
  # FAKETIME_FMT=%s: faketime reads the start as epoch seconds, so the instant means the same
  # moment whatever the process time zone.
  NO_COLOR=1 FAKETIME_DONT_RESET=1 FAKETIME_FMT=%s faketime -f "@${epochs[$i]}" \
    npx vitest run "${vitest_args[@]}" >"$log" 2>&1
  rc=$?
  plain=$(sed -E 's/\x1b\[[0-9;]*m//g' "$log")
  line=$(grep -E '^ +Tests +[0-9]' <<<"$plain" | tail -1)
  files=$(grep -E '^ +Test Files +[0-9]' <<<"$plain" | tail -1)
  took=$(($(date +%s) - started))
  if [ -z "$line" ]; then
    summary="$instant UTC: NO SUMMARY (vitest exit $rc; see $log)"
  else
    summary="$instant UTC: $(count "$line" passed) passed, $(count "$line" failed) failed, $(count "$line" skipped) skipped; files: $(sed -E 's/^ +Test Files +//' <<<"$files"); ${took}s"
  fi
  [ "$rc" -ne 0 ] && status=1
  summaries+=("$summary")
  echo "  $summary"
  if [ "$rc" -ne 0 ]; then
    grep -E '^ +(FAIL|×) ' <<<"$plain" | sed -E 's/^ +/    /' | sort -u | head -40
  fi
done

echo
echo "test-shifted-clock summary:"
for s in "${summaries[@]}"; do echo "  $s"; done
exit $status
