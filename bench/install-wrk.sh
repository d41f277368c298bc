#!/bin/sh
# make bench loads the portal with wrk: install Debian's package when it is missing.
set -e
command -v wrk >/dev/null 2>&1 && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "make bench needs wrk (https://github.com/wg/wrk); install it and run again." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing wrk with apt-get"
$SUDO apt-get install -y --no-install-recommends wrk \
  || { $SUDO apt-get update && $SUDO apt-get install -y --no-install-recommends wrk; }
