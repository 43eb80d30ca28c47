#!/usr/bin/env bash
# Build the Docker image, run it the way deploy/k8s/attention-explorer.yaml runs it (non-root, read-only root
# filesystem, no capabilities, 1 GiB), and check it: /_stcore/health answers "ok", the page's HTML loads,
# Docker's HEALTHCHECK turns "healthy", and — where Debian's chromium and the project's .venv (Playwright)
# are present — two pages drawn in a real browser through the container without an exception.
# By hand, not part of `make test`: it needs a Docker daemon, and root for the debootstrap base.
#
#   scripts/docker-check.sh                       # base: $BASE, else local/debian:bookworm (made if missing)
#   BASE=debian:bookworm-slim scripts/docker-check.sh
#   NO_CACHE=1 scripts/docker-check.sh            # time a build from scratch
#
# Without Docker Hub, the base is made from Debian's own archive: debootstrap (minbase) of bookworm from the
# mirror apt uses here, imported as local/debian:bookworm. Certificates in /usr/local/share/ca-certificates
# (e.g. a TLS-intercepting proxy's) are copied into that base, so that pip inside the build trusts what the
# host trusts. Everything here runs under nice: the machine may be busy.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tag=${TAG:-attention-explorer:check}
port=${PORT:-18501}
name=attention-explorer-check-$$
base=${BASE:-local/debian:bookworm}
say() { printf '== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

docker info >/dev/null 2>&1 || fail "no Docker daemon answers ($(docker info 2>&1 | tail -1)).
  Debian: apt-get install docker.io; dockerd &   (add --storage-driver=vfs if overlay2 fails)"

if [ "$base" = local/debian:bookworm ] && ! docker image inspect "$base" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null || fail "debootstrap is missing: apt-get install debootstrap (or BASE=debian:bookworm-slim)"
  [ "$(id -u)" = 0 ] || fail "debootstrap needs root"
  mirror=$(grep -h -o -E 'https?://[^ ]+/debian/?' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
             2>/dev/null | grep -v security | head -1 || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  rootfs=$(mktemp -d /tmp/attention-explorer-rootfs.XXXXXX)
  say "base image: debootstrap --variant=minbase bookworm from $mirror"
  nice debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 \
    || fail "debootstrap (log: $rootfs.log)"
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/*
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s-security bookworm-security main\n' \
    "$mirror" "$mirror" "${mirror%/}" >"$rootfs/etc/apt/sources.list"
  mkdir -p "$rootfs/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/" 2>/dev/null || true
  tar -C "$rootfs" -c . | docker import - "$base" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
fi

say "docker build --build-arg BASE=$base -t $tag  (log: /tmp/$name-build.log)"
start=$(date +%s)
nice docker build ${NO_CACHE:+--no-cache} --build-arg BASE="$base" -t "$tag" "$here" >"/tmp/$name-build.log" 2>&1 \
  || { tail -20 "/tmp/$name-build.log"; fail "docker build"; }
build_seconds=$(( $(date +%s) - start ))
size=$(docker image inspect "$tag" --format '{{.Size}}')

cleanup() { docker rm -f "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT
say "docker run: read-only root, tmpfs /tmp, no capabilities, 1 GiB, port $port"
docker run -d --name "$name" --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges \
  --memory 1g -p "127.0.0.1:$port:8501" "$tag" >/dev/null
url=http://127.0.0.1:$port
for _ in $(seq 1 120); do
  [ "$(curl -s "$url/_stcore/health" || true)" = ok ] && break
  sleep 0.5
done
health=$(curl -s "$url/_stcore/health" || true)
[ "$health" = ok ] || { docker logs "$name" | tail -20; fail "/_stcore/health answered '$health'"; }
say "/_stcore/health: $health"
page=$(curl -s -w '\n%{http_code}' "$url/")
if ! { [ "$(tail -1 <<<"$page")" = 200 ] && grep -q '<div id="root">' <<<"$page"; }; then
  fail "the page's HTML did not load"
fi
say "GET /: 200, $(wc -c <<<"$page") bytes, Streamlit's root element present"
user=$(docker exec "$name" id -u)
[ "$user" != 0 ] || fail "the app runs as root"
say "the app's user id: $user"

say "waiting for Docker's HEALTHCHECK (first run 30 s after start)"
for _ in $(seq 1 90); do
  status=$(docker inspect "$name" --format '{{.State.Health.Status}}')
  [ "$status" = starting ] || break
  sleep 1
done
[ "$status" = healthy ] || fail "HEALTHCHECK: $status"
say "HEALTHCHECK: $status"

if [ -x /usr/bin/chromium ] && "$here/.venv/bin/python" -c 'import playwright' 2>/dev/null; then
  say "chromium through the container: / and /model_explorer"
  URL=$url nice "$here/.venv/bin/python" - <<'EOF' || fail "browser check"
import os
from playwright.sync_api import sync_playwright

url = os.environ["URL"]
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for path, what in [("/?sentence=The%20cat%20sat%20on%20the%20mat", ".js-plotly-plot"),
                       ("/model_explorer?model=all-MiniLM-L6-v2", ".js-plotly-plot, [data-testid='stImage']")]:
        page.goto(url + path)
        page.locator(what).first.wait_for(timeout=90_000)
        page.wait_for_timeout(1500)
        exceptions = page.locator("[data-testid='stException']").count()
        assert exceptions == 0, f"{path}: {exceptions} exception(s) on the page"
        assert "No model is installed" not in page.inner_text("body"), f"{path}: no model in the image"
        print(f"   {path}: drawn ({page.locator(what).count()} figure(s)), no exception")
    browser.close()
EOF
else
  say "no browser check: needs /usr/bin/chromium and .venv with Playwright (make test installs both)"
fi

memory=$(docker stats --no-stream --format '{{.MemUsage}}' "$name")
say "memory of the container after these pages: $memory"
tmp_files=$(docker exec "$name" sh -c 'find /tmp -type f | wc -l')
say "files the app wrote to /tmp (its only writable place): $tmp_files"
printf '\nOK  image %s (base %s): %s MB, built in %s s\n' "$tag" "$base" "$(( size / 1000000 ))" "$build_seconds"
