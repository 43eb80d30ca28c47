#!/usr/bin/env bash
# System packages the project needs from Debian: python3-venv (to make .venv) and, for the browser tests,
# chromium + fonts-noto-cjk (Korean glyphs) + nginx-light (tests/browser/test_replicas_browser.py runs
# `make serve`'s replicas behind it). Installs them when run as root (or with sudo); otherwise says exactly
# what to install; `nginx` alone for `make serve` (replicas). Usage: scripts/system-deps.sh venv|browser|nginx
set -euo pipefail
want=()
need_nginx() { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || want+=(nginx-light); }
case "${1:-}" in
  venv)
    python3 -c 'import venv, ensurepip' 2>/dev/null || want+=(python3-venv) ;;
  browser)
    [ -x /usr/bin/chromium ] || want+=(chromium)
    if command -v dpkg-query >/dev/null; then
      dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed' || want+=(fonts-noto-cjk)
    else
      fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || want+=(fonts-noto-cjk)
    fi
    need_nginx ;;
  nginx)
    need_nginx ;;
  *) echo "usage: $0 venv|browser|nginx" >&2; exit 2 ;;
esac
[ ${#want[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else sudo="none"; fi
  if [ "$sudo" != none ]; then
    echo "installing Debian packages: ${want[*]}"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${want[@]}"
    exit 0
  fi
fi
echo "missing system packages: ${want[*]} (on Debian/Ubuntu: sudo apt-get install ${want[*]})" >&2
exit 1
