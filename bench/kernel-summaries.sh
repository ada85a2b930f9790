#!/usr/bin/env bash
# Regenerates the shipped kernel summaries of one kernel version from a source tree and reports how
# far they are from the shipped file (docs/kernel-summaries.md):
#   bench/kernel-summaries.sh VERSION [TREE] [--install]
# VERSION is 6.1 or 6.12. TREE defaults to $KERNEL_TREE, else the Debian package
# linux-source-VERSION (installed with apt-get when missing; its tarball is $KERNEL_TARBALL, by
# default where the package puts it) unpacked into $KMODCHECK_BENCH_DIR (default: kmodcheck-bench
# under $TMPDIR or /tmp). Prints the changed row count (0: the shipped file is what this kmodcheck
# generates from that tree); with --install, also copies the new file over the shipped resource.
# The JVM runs with KMODCHECK_JAVA_OPTS (default here: -Xmx6g; the tree's summaries are held at
# once) under nice, as it keeps both cores busy for several minutes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${1:?usage: bench/kernel-summaries.sh VERSION [TREE] [--install]}"
shift
tree=""
install=0
for a in "$@"; do
  case "$a" in
    --install) install=1 ;;
    *) tree="$a" ;;
  esac
done
bench_dir="${KMODCHECK_BENCH_DIR:-${TMPDIR:-/tmp}/kmodcheck-bench}"
tarball="${KERNEL_TARBALL:-/usr/src/linux-source-$version.tar.xz}"
if [ -z "$tree" ]; then tree="${KERNEL_TREE:-}"; fi
if [ -z "$tree" ]; then
  tree="$bench_dir/linux-source-$version"
  if [ ! -d "$tree" ]; then
    if [ ! -f "$tarball" ]; then
      echo "kernel-summaries: installing linux-source-$version ..." >&2
      apt-get update -qq && apt-get install -y -qq "linux-source-$version" >&2
    fi
    mkdir -p "$bench_dir"
    tar xJf "$tarball" -C "$bench_dir"
  fi
fi

shipped="$here/analyzer/src/main/resources/dev/kmodcheck/kernel/kernel-summaries-$version.tsv.gz"
"$here/kmodcheck" --version >/dev/null # build the jar first
out="$(mktemp -d "${TMPDIR:-/tmp}/kmodcheck-summaries.XXXXXX")"
trap 'rm -rf "$out"' EXIT
new="$out/kernel-summaries-$version.tsv.gz"
export KMODCHECK_JAVA_OPTS="${KMODCHECK_JAVA_OPTS:--Xmx6g}"
(cd "$(dirname "$tree")" && nice -n 10 "$here/kmodcheck" summarize "$(basename "$tree")" \
  --label "$version" -o "$new")

rows() { gzip -dc "$1" | grep -v '^#' || true; }
if [ -f "$shipped" ]; then
  changed=$(diff <(rows "$shipped") <(rows "$new") | grep -c '^[<>]' || true)
  echo "kernel-summaries $version: $(rows "$new" | grep -c '^F') functions," \
    "$changed rows differ from the shipped file"
else
  echo "kernel-summaries $version: $(rows "$new" | grep -c '^F') functions, nothing shipped yet"
fi
if [ "$install" = 1 ]; then
  cp "$new" "$shipped"
  echo "installed $shipped"
fi
