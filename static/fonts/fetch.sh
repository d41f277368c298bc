#!/bin/sh
# Fetch the portal's typeface from the npm registry and copy the files the portal serves.
#   Source Sans 3, by Paul D. Hunt for Adobe, under the SIL Open Font License 1.1,
#   packaged by Fontsource: https://www.npmjs.com/package/@fontsource/source-sans-3
# The tarball is checked against the integrity the registry published for this version.
# Run with `make fonts`; the files are committed, so nothing is fetched at build or run time.
set -eu
PACKAGE=@fontsource/source-sans-3
VERSION=5.3.0
INTEGRITY=sha512-VrWixSgF93kOVSEkwjs9ImnAbxrBew4PgcnaJYEitG9TyJSwxjFUNJIgzB1XFP/acyAWcTDg7+sWe7JI8LTB9w==
FILES="latin-400-normal latin-400-italic latin-600-normal latin-700-normal"

here=$(cd "$(dirname "$0")" && pwd)
target="$here/source-sans-3"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/../../bin/npm-fetch.sh" "$PACKAGE" "$VERSION" "$INTEGRITY" "$work"
mkdir -p "$target"
cp "$work/package/LICENSE" "$target/LICENSE"
for file in $FILES; do
    cp "$work/package/files/source-sans-3-$file.woff2" "$target/"
done
(cd "$target" && sha256sum ./*.woff2 LICENSE > SHA256SUMS)
echo "$PACKAGE@$VERSION copied into $target"
