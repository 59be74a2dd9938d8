#!/usr/bin/env bash
# Starts the local MariaDB (installing it when missing), builds the solution once and runs every test project.
# Ends with one line: "tests: N passed, M failed[, K skipped]". Exits non-zero on any failure.
# The test databases are reached with SCHEDULER_TEST_DB (a connection string; each suite uses its own database on it).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/build/db.sh" || { echo "tests: 0 passed, 1 failed (the database did not start)"; exit 1; }
export SCHEDULER_TEST_DB="${SCHEDULER_TEST_DB:-Server=127.0.0.1;Port=3306;Database=scheduler_test;User=scheduler;Password=scheduler}"
# Each run's databases carry its own suffix, so two runs on one server never share one; they are dropped at the end.
export SCHEDULER_TEST_RUN="${SCHEDULER_TEST_RUN:-r$$}"
drop_run_databases() {
  command -v mariadb >/dev/null 2>&1 || return 0
  for db in $(mariadb -h127.0.0.1 -uscheduler -pscheduler -N -e \
      "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'scheduler\\_%\\_${SCHEDULER_TEST_RUN}'" 2>/dev/null); do
    mariadb -h127.0.0.1 -uscheduler -pscheduler -e "DROP DATABASE \`$db\`" 2>/dev/null || true
  done
}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Test tools from Debian, installed when missing: Chromium for the browser tests (never a browser downloaded by a test
# tool), promtool (package prometheus) for the alert rules.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "test: installing ${missing[*]}" >&2
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  # Keep the prometheus package from starting its own service: this machine has no systemd.
  policy=/usr/sbin/policy-rc.d created=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null; as_root chmod +x "$policy"; created=1; fi
  as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  installed=$?
  [ "$created" -eq 1 ] && as_root rm -f "$policy"
  [ "$installed" -eq 0 ] || { echo "tests: 0 passed, 1 failed (${missing[*]} could not be installed)"; exit 1; }
fi

dotnet tool restore >/dev/null
if ! dotnet build Scheduler.sln -c Release -nologo -clp:ErrorsOnly; then
  echo "tests: 0 passed, 1 failed (the build failed)"
  exit 1
fi

log="$(mktemp)"
trap 'rm -f "$log"; drop_run_databases' EXIT
# The suites run side by side, except the tests that start worker processes and kill them or their database
# (trait Isolation=processes): they load both cores, so they run afterwards, alone, and timing-sensitive tests never
# share the machine with them.
dotnet test --solution Scheduler.sln -c Release --no-build --no-progress --filter-not-trait "Isolation=processes" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
dotnet test --project tests/Web.FunctionalTests/Web.FunctionalTests.csproj -c Release --no-build --no-progress \
  --filter-trait "Isolation=processes" "$@" 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -ne 0 ] && status=1

sum() { grep -E "^\s+$1: [0-9]+" "$log" | awk '{ s += $2 } END { print s + 0 }'; }
passed=$(sum succeeded)
failed=$(sum failed)
skipped=$(sum skipped)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the runner failed without a failing test: a crash, a timeout or no tests found
fi
line="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
