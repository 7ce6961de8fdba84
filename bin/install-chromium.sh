#!/usr/bin/env bash
# Debian's Chromium for the console's browser tests (playwright-core drives it; Playwright's own
# browser download can't reach its CDN from here). Root or sudo; nothing to do when it is there.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
chromium --version
