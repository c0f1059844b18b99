#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium and its WebDriver for the web widget's browser tests
# (opencx-channel-web WidgetBrowserTest), when they are missing. Idempotent; needs root to install.
# Prints the two paths on stderr; the tests find them at /usr/bin/chromium and /usr/bin/chromedriver
# (OPENCX_CHROMIUM and OPENCX_CHROMEDRIVER override).
set -euo pipefail

log() { echo "chromium.sh: $*" >&2; }

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    log "chromium and chromedriver are installed"
else
    if [ "$(id -u)" != 0 ]; then
        log "chromium/chromium-driver are not installed and this is not root: install the Debian packages chromium and chromium-driver"
        exit 1
    fi
    log "installing chromium and chromium-driver from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq chromium chromium-driver </dev/null >&2
fi
log "$(/usr/bin/chromium --version 2>/dev/null | tail -n 1); $(/usr/bin/chromedriver --version | cut -d' ' -f1-2)"
