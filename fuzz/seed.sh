#!/usr/bin/env bash
# Fills the (gitignored) seed corpora of the fuzz targets from fixtures/ and,
# when present, a small sample of ../shared (its corpora are not committed).
# Usage: fuzz/seed.sh   then   RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET -- -max_total_time=600
set -euo pipefail
cd "$(dirname "$0")"
ROOT=..
SHARED="${WENKU_SHARED:-$ROOT/../shared}"
mkdir -p corpus/extract corpus/decode corpus/convert_text corpus/docx_parts corpus/journal
for f in "$ROOT"/fixtures/seed/* "$ROOT"/fixtures/dumps/*; do
  case "$f" in *.md) continue ;; esac
  cp "$f" corpus/extract/
  case "$f" in *.docx) ;; *) cp "$f" corpus/decode/ ;; esac
done
# The cleaner and segmenter take UTF-8 strings.
for f in "$ROOT"/fixtures/dumps/*.txt "$ROOT"/fixtures/seed/seed.txt; do cp "$f" corpus/convert_text/; done
# Edge cases kept as regression tests seed their targets too.
for t in extract decode convert_text docx_parts journal; do cp "$ROOT"/tests/fuzz-cases/$t/* corpus/$t/; done
# docx_parts: a mode byte (even: the document part, odd: the numbering
# part), then the part as Word, LibreOffice and python-docx wrote it.
for f in "$ROOT"/fixtures/docx/*.docx; do
  n="$(basename "$f" .docx)"
  { printf '\000'; unzip -p "$f" word/document.xml; } > "corpus/docx_parts/doc_$n"
  if unzip -l "$f" word/numbering.xml >/dev/null 2>&1; then
    { printf '\001'; unzip -p "$f" word/numbering.xml; } > "corpus/docx_parts/num_$n"
  fi
done
if [ -d "$SHARED/corpora" ]; then
  # Small .docx files of every feature, corrupt and encrypted ones included.
  find "$SHARED/corpora" -name '*.docx' -size -40k | sort | awk 'NR % 4 == 0' | head -n 80 |
    while read -r f; do cp "$f" "corpus/extract/$(echo "$f" | md5sum | cut -c1-12).docx"; done
fi
if [ -d "$SHARED/dumps" ]; then
  find "$SHARED/dumps" -type f -size -64k | sort | head -n 40 | while read -r f; do
    n="$(echo "$f" | md5sum | cut -c1-12)"
    cp "$f" "corpus/decode/$n"
    iconv -f utf-8 -t utf-8 "$f" >/dev/null 2>&1 && cp "$f" "corpus/convert_text/$n"
  done
fi
for t in extract decode convert_text; do echo "$t: $(ls corpus/$t | wc -l) seeds"; done
