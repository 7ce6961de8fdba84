#!/usr/bin/env bash
# Debian's Chromium for the console's browser tests (playwright-core drives it; Playwright's own
# browser download can't reach its CDN from here). Root or sudo; nothing to do when it is there.
# CHROMIUM_PATH names another Chromium (test/helpers/browser.ts launches it instead).
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ]; then
  if [ -f "$CHROMIUM_PATH" ] && [ -x "$CHROMIUM_PATH" ]; then exit 0; fi
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file: point it at a Chromium, or unset it to install Debian's." >&2
  exit 1
fi
if [ -x /usr/bin/chromium ]; then exit 0; fi
# Ubuntu's chromium package is only a wrapper around a snap, which containers can't run.
. /etc/os-release 2>/dev/null || true
if ! command -v apt-get >/dev/null 2>&1 || [ "${ID:-}" = ubuntu ] || { [ "${ID:-}" != debian ] && [[ " ${ID_LIKE:-} " != *" debian "* ]]; } || [[ " ${ID_LIKE:-} " == *" ubuntu "* ]]; then
  echo "Can't install Chromium here (this script needs Debian and apt-get): install Chromium yourself and set CHROMIUM_PATH to its executable, e.g. CHROMIUM_PATH=/path/to/chrome npm test" >&2
  exit 1
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
/usr/bin/chromium --version
