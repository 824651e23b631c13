#!/bin/sh
# Installs Debian's Chromium and chromedriver for tests/test_browser.py. Idempotent: does nothing when
# /usr/bin/chromium is already there, and never fails the build (the browser test skips without a browser).
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "install_chromium.sh: installing chromium and chromium-driver with apt-get" >&2
    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver) >&2 \
        || echo "install_chromium.sh: apt-get failed; the browser test will be skipped" >&2
else
    echo "install_chromium.sh: not root (or no apt-get): cannot install chromium; the browser test will be skipped" >&2
fi
exit 0
