#!/usr/bin/env bash
# Install what the browser test needs: Debian's chromium (no browser download by
# Playwright) and fonts-noto-cjk, so that Japanese pages render. Idempotent: does
# nothing when both are already there. Works as root; uses sudo otherwise, if present.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed" \
    || missing+=(fonts-noto-cjk)

if [ "${#missing[@]}" -eq 0 ]; then
    echo "setup-browser: chromium and fonts-noto-cjk are already installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "setup-browser: ${missing[*]} missing, and neither root nor sudo to install them" >&2
    exit 1
fi

echo "setup-browser: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends chromium fonts-noto-cjk
