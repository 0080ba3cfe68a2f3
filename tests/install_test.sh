#!/usr/bin/env bash
# The public face as a case system meets it: install the package into a temporary
# prefix, check that no public header includes an internal one, build examples/ as a
# project of its own against the installed package (not the build tree), run it on a
# generated batch, and check what it prints.
#   install_test.sh BUILD_DIR SOURCE_DIR SAMPLES_TOOL
set -euo pipefail
build=$1 source=$2 samples=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null

# Public headers include the standard library and each other, nothing else.
bad=$(grep -h '^#include' "$work"/prefix/include/postmottak/*.h | grep -v -E '^#include (<[a-z_]+>|"postmottak/[a-z_]+\.h")$' || true)
if [ -n "$bad" ]; then echo "public headers include internal ones: $bad"; exit 1; fi
for f in "$work"/prefix/lib*/cmake/Postmottak/PostmottakConfig.cmake "$work"/prefix/lib*/pkgconfig/postmottak.pc \
         "$work"/prefix/share/postmottak/rules.json "$work"/prefix/share/postmottak/policy.json; do
  [ -f "$f" ] || { echo "not installed: $f"; exit 1; }
done
if grep -rq "$source" "$work"/prefix/include "$work"/prefix/lib*/cmake "$work"/prefix/lib*/pkgconfig; then
  echo "the installed package names the source tree"; exit 1
fi

cmake -S "$source/examples" -B "$work/example" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/example" >/dev/null
# A header compiled alone needs nothing but the installed include folder.
for h in "$work"/prefix/include/postmottak/*.h; do
  echo "#include <postmottak/$(basename "$h")>" | c++ -std=c++17 -fsyntax-only -Wall -Werror \
    -I"$work/prefix/include" -x c++ - || { echo "$h does not stand alone"; exit 1; }
done

"$samples" --out "$work/batch" --db "$work/store" --pages 24 --seed 11 >/dev/null
share="$work/prefix/share/postmottak"
out=$("$work/example/case_system" --store "$work/store" --rules "$share/rules.json" \
  --policy "$share/policy.json" --batch "$work/batch/scans" --cover-sheet "$work/cover.pdf" \
  --person 13877210086 --unit 4817 --journaler user:per --link-to 2026-900001)
echo "$out"
expect() { grep -q -- "$1" <<<"$out" || { echo "missing from the output: $1"; exit 1; }; }
expect "case 2026-900001 (AAP, unit 4817, person 138772\*\*\*\*\*): awaiting_documentation"
expect "task missing_documentation"
expect "cover sheet [0-9]\{12\} for"
expect "intake of .*: [0-9]* pages, [0-9]* documents"
expect "still missing:"
expect "linked doc-[0-9a-f]* (.*) to 2026-900001 by manual"
head -c 5 "$work/cover.pdf" | grep -q '%PDF-' || { echo "the cover sheet is not a PDF"; exit 1; }

# The installed command line finds its library and the shipped rules and policy by
# itself, wherever the source tree is, and reads the case the example registered.
cli=$("$work/prefix/bin/postmottak" --db "$work/store" --principal user:per case show 2026-900001 --json)
grep -q '"id": "2026-900001"' <<<"$cli" || { echo "the installed CLI could not read the case: $cli"; exit 1; }
"$work/prefix/bin/postmottak" --help | grep -q "$work/prefix/share/postmottak/rules.json" ||
  { echo "the installed CLI does not default to the installed rules"; exit 1; }
echo "install test: passed"
