#!/bin/sh
# Fetch the Nu HTML Checker (vnu.jar, MIT licence) from the npm registry into .tools/vnu/,
# checked against the integrity the registry published for this version. It runs with the
# machine's Java (17 or later): `make html-check`, or the tests in tests/html/.
set -eu
PACKAGE=vnu-jar
VERSION=26.9.27
INTEGRITY=sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA==

root=$(cd "$(dirname "$0")/../.." && pwd)
target="$root/.tools/vnu"
if [ -f "$target/vnu.jar" ] && [ "$(cat "$target/VERSION" 2>/dev/null)" = "$VERSION" ]; then
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/bin/npm-fetch.sh" "$PACKAGE" "$VERSION" "$INTEGRITY" "$work"
mkdir -p "$target"
cp "$work/package/build/dist/vnu.jar" "$target/vnu.jar"
echo "$VERSION" > "$target/VERSION"
echo "$PACKAGE@$VERSION copied into $target"
