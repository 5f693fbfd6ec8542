#!/usr/bin/env bash
# Whole-batch benchmark of wenku against the physical limit (issue 4).
#
#   bench/run.sh [--rounds N] [--big FILES] [--n FILES]
#
# Builds the corpus once into bench-corpus/ (gitignored; 300 .docx by
# ../shared/bench/make_corpus.py, a few minutes), the limit program into a
# target folder outside the repository, wenku and benches/corpus.rs in
# release mode; then bench/run.py runs them A B A B on the same files and
# prints medians, ratios against the targets, peak RSS (300 files and a
# batch of --big hard links to them) and the start-up time.
set -euo pipefail
cd "$(dirname "$0")/.."

SHARED="${WENKU_SHARED:-../shared}"
N=300
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --n) N=$2; shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done

CORPUS="bench-corpus/docx$N"
if [ ! -f "$CORPUS/MANIFEST.tsv" ]; then
  python3 -c 'import docx' 2>/dev/null || python3 -m pip install --quiet python-docx
  echo "building the corpus ($N files) into $CORPUS …" >&2
  python3 "$SHARED/bench/make_corpus.py" --n "$N" --out "$CORPUS"
fi

# Seed-like text dumps: the seed and the full-length simulated dumps, each
# a whole document flattened and chunked like the seed. The development
# dumps are mostly page beginnings of 2 KB, reported beside them.
TEXT=bench-corpus/text
PAGES=bench-corpus/pages
rm -rf "$TEXT" "$PAGES" && mkdir -p "$TEXT" "$PAGES"
cp "$SHARED"/seeds/*.txt "$TEXT"/
cp "$SHARED"/sim/dumps/[0-9][0-9].txt "$TEXT"/ 2>/dev/null || true
cp "$SHARED"/dumps/*.txt "$PAGES"/

LIMIT_TARGET="${TMPDIR:-/tmp}/wenku-bench-limit-target"
cargo build --quiet --release --manifest-path "$SHARED/bench/limit/Cargo.toml" --target-dir "$LIMIT_TARGET"
cargo build --quiet --release --bin wenku
CORPUS_BIN=$(cargo bench --quiet --no-run --bench corpus --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "corpus" and m.get("executable"):
        print(m["executable"])')

exec python3 bench/run.py --wenku target/release/wenku --limit "$LIMIT_TARGET/release/docx-limit" \
  --corpus-bin "$CORPUS_BIN" --corpus "$CORPUS" --text "$TEXT" --pages "$PAGES" \
  --small fixtures/dumps/01_taowenge_qiyepeixun.txt "${ARGS[@]}"
