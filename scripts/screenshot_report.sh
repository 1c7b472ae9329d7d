#!/usr/bin/env bash
# Renders an HTML report with headless Chromium and checks that the screenshot is not blank.
#
#   scripts/screenshot_report.sh [REPORT.html [OUT.png]]
#
# Without REPORT.html it first writes the test suite's sample report (SampleReportTests, which
# uses every kind of figure) to $TMPDIR/graft-sample-report/report.html. OUT.png defaults to
# the report's path with .png. WINDOW_SIZE (default 1200,1600) sets the viewport; extra
# arguments for that `swift test` run go in SWIFT_TEST_ARGS (e.g. "--scratch-path DIR").
# Installs Debian's chromium with apt-get when it is missing and this runs as root.
set -euo pipefail
cd "$(dirname "$0")/.."

html="${1:-}"
if [ -z "$html" ]; then
    html="${TMPDIR:-/tmp}/graft-sample-report/report.html"
    mkdir -p "$(dirname "$html")"
    echo "== writing the sample report to $html"
    # shellcheck disable=SC2086
    GRAFT_SAMPLE_REPORT="$html" swift test ${SWIFT_TEST_ARGS:-} --filter SampleReportTests >/dev/null
fi
[ -f "$html" ] || { echo "error: no such report: $html" >&2; exit 1; }
html="$(realpath "$html")"
out="${2:-${html%.html}.png}"
out="$(realpath -m "$out")"

chrome=""
for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null; then chrome="$candidate"; break; fi
done
if [ -z "$chrome" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "== installing chromium"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
        chrome=chromium
    else
        echo "error: no chromium found, and cannot install it here (needs root and apt-get)" >&2
        exit 1
    fi
fi

echo "== rendering $html"
rm -f "$out"
log="$(mktemp)"
if ! timeout 120 "$chrome" --headless --disable-gpu --no-sandbox --hide-scrollbars --force-device-scale-factor=1 \
        --screenshot="$out" --window-size="${WINDOW_SIZE:-1200,1600}" "file://$html" >"$log" 2>&1 || [ ! -s "$out" ]; then
    cat "$log" >&2
    echo "error: chromium did not write $out" >&2
    exit 1
fi
rm -f "$log"

# A blank page (or an error page) is one colour, or nearly: decode the PNG with zlib alone
# and count colours and the pixels that differ from the commonest one.
python3 - "$out" <<'PY'
import struct, sys, zlib
from collections import Counter

path = sys.argv[1]
data = open(path, "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit(f"error: {path} is not a PNG")
pos, idat, header = 8, b"", None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        header = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
width, height, depth, colour, _, _, interlace = header
channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
if depth != 8 or channels is None or interlace:
    sys.exit(f"error: unexpected PNG layout (depth {depth}, colour type {colour}, interlace {interlace})")
raw, stride = zlib.decompress(idat), width * channels
rows, prev = [], bytearray(stride)
for y in range(height):
    kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - channels] if i >= channels else 0
        b, c = prev[i], (prev[i - channels] if i >= channels else 0)
        if kind == 1: line[i] = (line[i] + a) & 255
        elif kind == 2: line[i] = (line[i] + b) & 255
        elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif kind == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line))
    prev = line
pixels = Counter(row[x:x + channels] for row in rows for x in range(0, stride, channels))
commonest, count = pixels.most_common(1)[0]
other = 1 - count / (width * height)
print(f"{path}: {width}x{height}, {len(pixels)} colours, {other:.1%} of pixels differ from the background")
if len(pixels) < 16 or other < 0.01:
    sys.exit("error: the screenshot looks blank")
PY
echo "== screenshot: $out"
