#!/usr/bin/env bash
# Renders OUT_DIR/report.html (written by `cohabit::report::render`) in headless Chromium to
# OUT_DIR/report.png (a full-width screenshot) and OUT_DIR/report.pdf (what printing gives),
# so a person or CI can look at the briefing as a reader sees it. Installs Debian's
# `chromium` with apt-get if /usr/bin/chromium is missing. Fails if either output is missing
# or empty.
#
# Usage: scripts/render-report.sh OUT_DIR
# Environment: RENDER_TIMEOUT (seconds per Chromium call, default 120),
#              RENDER_WIDTH / RENDER_HEIGHT (screenshot size, default 1280 x 10000, tall enough for a briefing of ten strategies).
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 OUT_DIR" >&2
    exit 2
fi
out_dir=$(cd "$1" && pwd)
html="$out_dir/report.html"
if [[ ! -s "$html" ]]; then
    echo "error: $html is missing or empty: render the report first" >&2
    exit 1
fi

chromium=/usr/bin/chromium
if [[ ! -x "$chromium" ]]; then
    echo "installing Debian's chromium (needs root and apt-get)..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

timeout_s=${RENDER_TIMEOUT:-120}
width=${RENDER_WIDTH:-1280}
height=${RENDER_HEIGHT:-10000}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

# Flags: headless as root on a machine without GPU or network. Without the
# background-networking ones Chromium waits on network services and hangs.
flags=(
    --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$profile"
)
url="file://$html"

run() {
    # Chromium may print harmless warnings; keep them for when something goes wrong.
    if ! timeout "$timeout_s" "$chromium" "${flags[@]}" "$@" "$url" >"$profile/log" 2>&1; then
        echo "error: chromium failed or timed out after ${timeout_s}s:" >&2
        tail -n 20 "$profile/log" >&2
        return 1
    fi
}

rm -f "$out_dir/report.png" "$out_dir/report.pdf"
run --window-size="$width,$height" --screenshot="$out_dir/report.png"
run --no-pdf-header-footer --print-to-pdf="$out_dir/report.pdf"

for f in "$out_dir/report.png" "$out_dir/report.pdf"; do
    if [[ ! -s "$f" ]]; then
        echo "error: $f was not written (or is empty)" >&2
        exit 1
    fi
done
echo "wrote $out_dir/report.png and $out_dir/report.pdf"
