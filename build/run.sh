#!/usr/bin/env bash
# Starts the local MariaDB (installing it when missing), then Scheduler on http://127.0.0.1:5080
# (API, worker and dashboard; migrations are applied at start). Extra arguments go to the app.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/build/db.sh"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:5080}"
exec dotnet run --project "$root/src/Web/Web.csproj" -c Release --no-launch-profile -- "$@"
