#!/bin/sh
# Regenerates the field reference at the end of docs/spec.md from the field tables:
#   docs/update-field-reference.sh build/dev
set -eu
hainfra=${1:-build/dev}/cli/hainfra
doc=$(dirname "$0")/spec.md
tables=$(mktemp)
trap 'rm -f "$tables" "$tables.new"' EXIT
"$hainfra" schema --markdown >"$tables"
awk -v tables="$tables" '
  /<!-- BEGIN GENERATED FIELD REFERENCE -->/ { print; while ((getline line < tables) > 0) print line; skip = 1; next }
  /<!-- END GENERATED FIELD REFERENCE -->/ { skip = 0 }
  !skip { print }
' "$doc" >"$tables.new"
mv "$tables.new" "$doc"
