#!/usr/bin/env bash
# Installs the Debian packages the estate runs as child processes, when they are missing.
# Nothing is started here: the AppHost starts its own servers, on its own ports and data folders.
set -euo pipefail

missing=()
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
command -v setpriv >/dev/null && command -v setsid >/dev/null || missing+=(util-linux)
# wrk cross-checks the load runner's figures (load/Scenarios --baselines); pgbench and redis-benchmark come with the servers.
[ -x /usr/bin/wrk ] || missing+=(wrk)
# The dashboard's browser test drives Debian's Chromium through Playwright (no browser download here).
[ -x /usr/bin/chromium ] || missing+=(chromium)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing missing OS packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "error: ${missing[*]} must be installed, and this user is not root and has no sudo." >&2
  echo "       As root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Without systemd, the packages' install scripts would start system-wide servers on the default
# ports (5432, 6379, 5672, 4369); the estate runs its own, so deny service starts during the install.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
  "${sudo[@]}" chmod +x /usr/sbin/policy-rc.d
  trap '"${sudo[@]}" rm -f /usr/sbin/policy-rc.d' EXIT
fi
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
echo "Installed: ${missing[*]}"
