#!/usr/bin/env bash
# Runs the whole estate: installs missing OS packages, builds once, starts the AppHost.
# Options are the AppHost's own (./run.sh --help), e.g. ./run.sh --fresh or ./run.sh --only postgres,redis,rabbitmq
set -euo pipefail
cd "$(dirname "$0")"

scripts/ensure-os-packages.sh
dotnet build src/AppHost/AppHost.csproj -c Release -nologo -clp:ErrorsOnly
# exec: the AppHost itself receives Ctrl+C and SIGTERM, and stops the estate in order.
exec dotnet src/AppHost/bin/Release/net10.0/AppHost.dll "$@"
