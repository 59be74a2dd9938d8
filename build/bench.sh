#!/usr/bin/env bash
# The benchmark suite:  build/bench.sh [quick|full] [--only scenario,…]
# Starts the local MariaDB (installing it when missing), installs wrk when missing, builds the solution in Release and
# runs bench/Bench against a database of its own (scheduler_bench). Writes docs/benchmarks.md's "Latest run" section
# and docs/benchmarks.svg (a run with --only prints its table and writes nothing).
# quick takes about five minutes on two cores; full adds the 10,000-post burst and larger drains.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mode="${1:-quick}"
shift || true

"$root/build/db.sh"
if ! command -v wrk >/dev/null 2>&1; then
  echo "bench: installing wrk" >&2
  apt_get() { if [ "$(id -u)" -eq 0 ]; then apt-get "$@"; else sudo apt-get "$@"; fi; }
  apt_get update -qq
  DEBIAN_FRONTEND=noninteractive apt_get install -y -qq wrk >/dev/null
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
dotnet build Scheduler.sln -c Release -nologo -clp:ErrorsOnly
exec dotnet bench/Bench/bin/Release/net10.0/Scheduler.Bench.dll "$mode" "$@"
