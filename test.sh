#!/usr/bin/env bash
# Runs the whole test suite: installs missing OS packages, builds warning-free, runs every test
# project against real PostgreSQL, Redis and RabbitMQ servers started by the estate engine.
set -euo pipefail
cd "$(dirname "$0")"

scripts/ensure-os-packages.sh
dotnet build LogisticsSync.sln -c Release -nologo -clp:ErrorsOnly

results=artifacts/test-results
rm -rf "$results"
status=0
dotnet test LogisticsSync.sln -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --logger trx --results-directory "$results" \
  --blame-hang-timeout 10m || status=$?

# One plain closing line, summed over every test project's TRX report.
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed)))
  skipped=$((skipped + $(value notExecuted)))
done
# The failures again at the very end, so the last lines of a CI log name them.
if [ "$failed" -gt 0 ]; then
  echo "Failed tests:"
  for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" \
      | sed -n 's/.*testName="\([^"]*\)".*/  \1/p' || true
  done
fi
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "error: no test ran" >&2
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
