#!/usr/bin/env bash
# Install what the browser test needs: Debian's chromium (no browser download by
# Playwright), fonts-noto-cjk, so that Japanese pages render, poppler-utils (the print
# test reads the printed PDF's pages), jq (the daily workflow's steps, which a test runs), and axe-core (the
# accessibility checker the test loads into each page) from package-lock.json with
# `npm ci`, so the test itself runs offline. Idempotent: does nothing when all are
# already there. Works as root; uses sudo otherwise, if present.
set -euo pipefail
cd "$(dirname "$0")/.."

install_axe() {
    if [ -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1 && npm ls --offline axe-core >/dev/null 2>&1; then
        echo "setup-browser: axe-core is already installed"
        return
    fi
    if ! command -v npm >/dev/null 2>&1; then
        "${as_root[@]}" apt-get update
        "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends npm
    fi
    echo "setup-browser: installing axe-core (npm ci)"
    npm ci --ignore-scripts --no-audit --no-fund
}

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    as_root=(false)
fi

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed" \
    || missing+=(fonts-noto-cjk)
[ -x /usr/bin/pdftotext ] || missing+=(poppler-utils)  # the print test reads the printed pages
[ -x /usr/bin/jq ] || missing+=(jq)  # the daily workflow's steps, run by tests/test_workflows.py

if [ "${#missing[@]}" -eq 0 ]; then
    echo "setup-browser: chromium, fonts-noto-cjk, poppler-utils and jq are already installed"
    install_axe
    exit 0
fi

if [ "${as_root[*]}" = false ]; then
    echo "setup-browser: ${missing[*]} missing, and neither root nor sudo to install them" >&2
    exit 1
fi

echo "setup-browser: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
install_axe
