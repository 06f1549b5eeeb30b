#!/usr/bin/env bash
# Renders OUT_DIR/report.html (written by `cohabit::report::render`) in headless Chromium to
# OUT_DIR/report.png (a full-page screenshot exactly as tall as the page) and
# OUT_DIR/report.pdf (what printing gives), and checks what a reader sees:
#   - the headline table, as Chromium lays it out, names every strategy of runs.csv and the
#     human outcomes (deaths, human-rights allegations, evictions, displaced miners,
#     blockade days) whenever summary.csv has them;
#   - the screenshot's height is the page's content height (nothing cut off, no empty tail),
#     and no band of the page is empty for more than MAX_BLANK pixels.
# Installs Debian's `chromium` with apt-get if /usr/bin/chromium is missing. Needs python3
# (standard library only) for the checks. Exits 1 if a check fails or an output is missing.
#
# Usage: scripts/render-report.sh OUT_DIR
# Environment: RENDER_TIMEOUT (seconds per Chromium call, default 120),
#              RENDER_WIDTH (screenshot width, default 1280),
#              MAX_BLANK (largest empty band allowed, pixels, default 400).
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
command -v python3 >/dev/null || { echo "error: python3 is needed for the checks" >&2; exit 1; }

chromium=/usr/bin/chromium
if [[ ! -x "$chromium" ]]; then
    echo "installing Debian's chromium (needs root and apt-get)..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

timeout_s=${RENDER_TIMEOUT:-120}
width=${RENDER_WIDTH:-1280}
max_blank=${MAX_BLANK:-400}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Flags: headless as root on a machine without GPU or network. Without the
# background-networking ones Chromium waits on network services and hangs.
flags=(
    --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$work/profile"
)

chrome() {
    # Chromium may print harmless warnings; keep them for when something goes wrong.
    if ! timeout "$timeout_s" "$chromium" "${flags[@]}" "$@" 2>"$work/log"; then
        echo "error: chromium failed or timed out after ${timeout_s}s:" >&2
        tail -n 20 "$work/log" >&2
        return 1
    fi
}

# 1. Lay the page out at the screenshot's width and read back what the reader sees: the
#    page's height and the headline table's headings. The briefing itself has no scripts;
#    a copy beside it gets one that writes these into the page for --dump-dom.
probe='<script>
addEventListener("load", () => {
  const out = [];
  out.push("height=" + Math.ceil(document.documentElement.getBoundingClientRect().height));
  const t = document.querySelector("table.headline");
  if (t) {
    t.querySelectorAll("thead th").forEach((c, i) => { if (i > 0) out.push("strategy=" + c.textContent.replace(/\s+/g, " ").trim()); });
    t.querySelectorAll("tbody th").forEach(c => out.push("row=" + c.textContent.replace(/\s+/g, " ").trim()));
  }
  const pre = document.createElement("pre");
  pre.id = "render-probe";
  pre.textContent = out.join("\n");
  document.body.appendChild(pre);
});
</script>'
copy="$work/probe.html"
python3 - "$html" "$copy" "$probe" <<'PY'
import sys
src, dst, probe = sys.argv[1:4]
page = open(src, encoding="utf-8").read()
open(dst, "w", encoding="utf-8").write(page.replace("</body>", probe + "\n</body>", 1))
PY
chrome --window-size="$width,800" --virtual-time-budget=5000 --dump-dom "file://$copy" >"$work/dom.html"

python3 - "$out_dir" "$work/dom.html" >"$work/height" <<'PY'
import csv, html, re, sys
out_dir, dom = sys.argv[1:3]
m = re.search(r'<pre id="render-probe">(.*?)</pre>', open(dom, encoding="utf-8").read(), re.S)
if not m:
    sys.exit("error: the page did not lay out (no probe output from Chromium)")
lines = html.unescape(m.group(1)).splitlines()
get = lambda key: [l.split("=", 1)[1] for l in lines if l.startswith(key + "=")]
problems = []
def display(name):
    spaced = name.replace("_", " ")
    return spaced[:1].upper() + spaced[1:]
names = []
with open(f"{out_dir}/runs.csv", newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        if row["strategy"] not in names:
            names.append(row["strategy"])
shown = get("strategy")
for n in names:
    if display(n) not in shown:
        problems.append(f"the headline table does not name strategy {display(n)!r} (it shows {shown})")
# Human outcomes the table must show when summary.csv has them: metric -> words in the row.
human = {
    "fatalities": "Deaths",
    "hr_allegations": "Human-rights",
    "evictions": "evicted",
    "displaced": "displaced",
    "blockade_days": "blockaded",
}
with open(f"{out_dir}/summary.csv", newline="", encoding="utf-8") as f:
    metrics = {row["metric"] for row in csv.DictReader(f)}
rows = get("row")
if "Human outcomes" not in rows:
    problems.append("the headline table has no Human outcomes section")
for metric, words in human.items():
    if metric in metrics and not any(words in r for r in rows):
        problems.append(f"the headline table has no row for {metric} (looked for {words!r})")
if problems:
    sys.exit("error: " + "\nerror: ".join(problems))
print(get("height")[0])
PY
height=$(cat "$work/height")

# 2. The screenshot, exactly as tall as the page, and the PDF.
rm -f "$out_dir/report.png" "$out_dir/report.pdf"
chrome --window-size="$width,$height" --screenshot="$out_dir/report.png" "file://$html" >/dev/null
chrome --no-pdf-header-footer --print-to-pdf="$out_dir/report.pdf" "file://$html" >/dev/null
for f in "$out_dir/report.png" "$out_dir/report.pdf"; do
    if [[ ! -s "$f" ]]; then
        echo "error: $f was not written (or is empty)" >&2
        exit 1
    fi
done

# 3. The screenshot fits its content: its height is the page's, the content reaches its
#    bottom, and no band in it is empty for more than MAX_BLANK pixels. Chromium reads the
#    pixels itself: the PNG goes into a page as a data URL (so the canvas may read it), and a
#    script scans its rows.
python3 - "$out_dir/report.png" "$work/pixels.html" <<'PY'
import base64, sys
png, page = sys.argv[1:3]
data = base64.b64encode(open(png, "rb").read()).decode()
open(page, "w").write("""<!DOCTYPE html><html><body><img id="shot" src="data:image/png;base64,%s">
<script>
addEventListener("load", () => {
  const img = document.getElementById("shot");
  const w = img.naturalWidth, h = img.naturalHeight;
  const c = document.createElement("canvas");
  c.width = w; c.height = h;
  const g = c.getContext("2d");
  g.drawImage(img, 0, 0);
  const px = g.getImageData(0, 0, w, h).data;
  let run = 0, longest = 0, longestAt = 0, lastInk = -1;
  for (let y = 0; y < h; y++) {
    let blank = true;
    for (let i = y * w * 4, end = i + w * 4; i < end; i += 4) {
      if (px[i] < 250 || px[i + 1] < 250 || px[i + 2] < 250) { blank = false; break; }
    }
    run = blank ? run + 1 : 0;
    if (run > longest) { longest = run; longestAt = y - run + 1; }
    if (!blank) lastInk = y;
  }
  const pre = document.createElement("pre");
  pre.id = "render-probe";
  pre.textContent = [w, h, longest, longestAt, lastInk].join(" ");
  document.body.appendChild(pre);
});
</script></body></html>""" % data)
PY
chrome --window-size=800,600 --virtual-time-budget=10000 --dump-dom "file://$work/pixels.html" >"$work/pixels.dom"
read -r png_w png_h longest longest_at last_ink < <(sed -n 's/.*<pre id="render-probe">\([0-9 -]*\)<\/pre>.*/\1/p' "$work/pixels.dom")
if [[ -z "${png_h:-}" ]]; then
    echo "error: could not read the pixels of report.png back" >&2
    exit 1
fi
if (( png_h < height - 2 || png_h > height + 2 )); then
    echo "error: report.png is $png_h px tall but the page is $height px: cut off or padded" >&2
    exit 1
fi
if (( longest > max_blank )); then
    echo "error: report.png has an empty band of $longest px from y = $longest_at (more than $max_blank)" >&2
    exit 1
fi
if (( png_h - 1 - last_ink > 120 )); then
    echo "error: report.png ends in $((png_h - 1 - last_ink)) px of empty page" >&2
    exit 1
fi
echo "wrote $out_dir/report.png (${png_w} x ${png_h}, checked) and $out_dir/report.pdf"
