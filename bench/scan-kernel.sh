#!/usr/bin/env bash
# Scans a linux 6.1 tree with kmodcheck and prints files, lines, wall time, lines/s and peak RSS;
# when spatch (Coccinelle) is installed, also times scripts/coccinelle/locks/call_kern.cocci on the
# same tree with as many jobs as kmodcheck gets and prints the ratios of wall and CPU time
# (BENCH_COCCI=0 skips it), and times incremental re-scans with --cache (BENCH_INCREMENTAL=0 skips
# them). Every run also prints its CPU seconds (user + sys, all threads): on a shared machine they,
# not wall times, compare two builds.
#   bench/scan-kernel.sh [SUBDIR] [extra kmodcheck args]     (SUBDIR defaults to drivers)
# BENCH_JOBS (default: the number of processors) is kmodcheck's -j and spatch's --jobs, so that
# both tools get the same cores.
# The JVM runs with KMODCHECK_JAVA_OPTS (default here: -Xmx2g, the issue's memory budget).
# The tree is taken from $KERNEL_TREE, else unpacked from the Debian package linux-source-6.1
# (installed with apt-get when missing; its tarball is $KERNEL_TARBALL, by default where the package
# puts it) into $KMODCHECK_BENCH_DIR (default: kmodcheck-bench under $TMPDIR or /tmp).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sub="${1:-drivers}"
shift || true
bench_dir="${KMODCHECK_BENCH_DIR:-${TMPDIR:-/tmp}/kmodcheck-bench}"
tarball="${KERNEL_TARBALL:-/usr/src/linux-source-6.1.tar.xz}"
jobs="${BENCH_JOBS:-$(nproc)}"

tree="${KERNEL_TREE:-}"
if [ -z "$tree" ]; then
  tree="$bench_dir/linux-source-6.1"
  if [ ! -d "$tree" ]; then
    if [ ! -f "$tarball" ]; then
      echo "bench: installing linux-source-6.1 ..." >&2
      apt-get update -qq && apt-get install -y -qq linux-source-6.1 >&2
    fi
    mkdir -p "$bench_dir"
    echo "bench: unpacking into $bench_dir ..." >&2
    tar xJf "$tarball" -C "$bench_dir"
  fi
fi

[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >&2; }
"$here/kmodcheck" --version >/dev/null   # build the jar outside the timed run
out="$bench_dir/out-$(echo "$sub" | tr / _).sarif"
mkdir -p "$bench_dir"
files=$(find "$tree/$sub" -name '*.c' -not -path '*/.*' | wc -l)
lines=$(find "$tree/$sub" -name '*.c' -not -path '*/.*' -print0 | xargs -0 cat | wc -l)

cd "$tree"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
export KMODCHECK_JAVA_OPTS="${KMODCHECK_JAVA_OPTS:--Xmx2g}"
set +e
/usr/bin/time -f '%e %M %U %S' -o "$bench_dir/time.txt" \
  "$here/kmodcheck" check "$sub" -f sarif -o "$out" --fail-on none -j "$jobs" "$@" \
  2>"$bench_dir/stderr.txt"
code=$?
set -e
read -r wall rss_kb user sys < "$bench_dir/time.txt"
cat "$bench_dir/stderr.txt" >&2
echo "tree:        $tree ($sub)"
echo "jobs:        $jobs"
echo "load:        $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after (1, 5, 15 min averages)"
echo "files:       $files"
echo "lines:       $lines"
echo "wall:        ${wall} s"
echo "cpu:         $(python3 -c "print(round($user + $sys, 1))") s (user $user s, sys $sys s)"
echo "lines/s:     $(python3 -c "print(int($lines/max($wall,0.001)))")"
echo "peak RSS:    $((rss_kb / 1024)) MiB"
echo "exit code:   $code"
echo "report:      $out"

# Incremental re-scans with --cache (BENCH_INCREMENTAL=0 skips): one scan fills a fresh cache,
# then a re-scan with nothing changed, then for each file of $BENCH_TOUCH (relative to the tree,
# space-separated; default drivers/net/usb/r8152.c, a 40-file directory program, and
# drivers/gpu/drm/amd/amdgpu/amdgpu_device.c, one of a 221-file program, those under SUBDIR) one
# re-scan after appending a comment to it. The file is restored afterwards and an untimed re-scan
# settles the cache, so that each timed re-scan sees exactly one changed file. Every re-scan runs
# BENCH_RESCANS times (default 5); the median and range of its wall times follow its runs.
if [ "${BENCH_INCREMENTAL:-1}" != 0 ]; then
  cache="$bench_dir/cache-$(echo "$sub" | tr / _)"
  rm -rf "$cache"
  touch_files=()
  for f in ${BENCH_TOUCH:-drivers/net/usb/r8152.c drivers/gpu/drm/amd/amdgpu/amdgpu_device.c}; do
    case "$f" in
      "$sub"/*) [ -f "$f" ] && touch_files+=("$f") ;;
    esac
  done
  if [ ${#touch_files[@]} -eq 0 ]; then
    touch_files=("$(find "$sub" -name '*.c' -not -path '*/.*' | sort | head -n 1)")
  fi
  timed() {  # label, then kmodcheck arguments
    local label="$1"
    shift
    /usr/bin/time -f '%e %M %U %S' -o "$bench_dir/time.txt" "$here/kmodcheck" "$@" \
      2>"$bench_dir/stderr.txt" >/dev/null || true
    read -r w r u s < "$bench_dir/time.txt"
    printf '%-40s %6s s, cpu %5s s, peak RSS %s MiB (%s)\n' "$label" "$w" \
      "$(python3 -c "print(round($u + $s, 2))")" "$((r / 1024))" \
      "$(grep '^kmodcheck:' "$bench_dir/stderr.txt" | sed 's/^kmodcheck: //' | tail -n 1)"
  }
  # A re-scan lasts about two seconds, and single runs vary by a third on a quiet two-core machine:
  # each is repeated BENCH_RESCANS times (default 5) and the median is printed with the range.
  repeats="${BENCH_RESCANS:-5}"
  median() {  # label, then the wall times
    local label="$1"
    shift
    python3 -c "import sys, statistics as st; v=sorted(map(float, sys.argv[2:])); \
print('%-40s median %.2f s (%.2f-%.2f s, %d runs)' % (sys.argv[1], st.median(v), v[0], v[-1], len(v)))" \
      "$label" "$@"
  }
  args=(check "$sub" -f sarif -o "$bench_dir/incremental.sarif" --fail-on none -j "$jobs"
    --cache "$cache")
  timed "cache: first scan (fills it)" "${args[@]}" "$@"
  walls=()
  for i in $(seq 1 "$repeats"); do
    timed "cache: re-scan, nothing changed" "${args[@]}" "$@"
    walls+=("$w")
  done
  median "cache: re-scan, nothing changed" "${walls[@]}"
  for touch_file in "${touch_files[@]}"; do
    walls=()
    for i in $(seq 1 "$repeats"); do
      cp -p "$touch_file" "$bench_dir/touched.orig"
      trap 'cp -p "$bench_dir/touched.orig" "$touch_file"' EXIT
      echo "/* kmodcheck bench $(date +%s%N) */" >> "$touch_file"
      timed "cache: re-scan, $(basename "$touch_file") edited" "${args[@]}" "$@"
      walls+=("$w")
      cp -p "$bench_dir/touched.orig" "$touch_file"
      trap - EXIT
      "$here/kmodcheck" "${args[@]}" "$@" >/dev/null 2>&1 || true
    done
    median "cache: re-scan, $(basename "$touch_file") edited" "${walls[@]}"
  done
  echo "cache size:  $(du -sh "$cache" | cut -f1)"
fi

if [ "${BENCH_COCCI:-1}" != 0 ] && command -v spatch >/dev/null 2>&1; then
  set +e
  /usr/bin/time -f '%e %M %U %S' -o "$bench_dir/cocci-time.txt" \
    spatch -D report --very-quiet --no-includes --include-headers --jobs "$jobs" \
      --sp-file scripts/coccinelle/locks/call_kern.cocci --dir "$sub" \
      >"$bench_dir/cocci-out.txt" 2>"$bench_dir/cocci-err.txt"
  set -e
  read -r cwall crss_kb cuser csys < "$bench_dir/cocci-time.txt"
  echo "call_kern.cocci (--jobs $jobs) wall: ${cwall} s," \
    "cpu $(python3 -c "print(round($cuser + $csys, 1))") s, peak RSS $((crss_kb / 1024)) MiB" \
    "(largest process), $(grep -c 'inside lock' "$bench_dir/cocci-out.txt" || true) findings;" \
    "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "speed ratio: wall $(python3 -c "print(round($cwall/max($wall,0.001), 2))")x," \
    "cpu $(python3 -c "print(round(($cuser + $csys)/max($user + $sys,0.001), 2))")x" \
    "(call_kern / kmodcheck, both with $jobs jobs)"
fi
