#!/bin/sh
# npm-fetch.sh PACKAGE VERSION INTEGRITY DIR
# Download PACKAGE@VERSION from the npm registry (`npm pack`), check it against the
# integrity the registry published (sha512, as in package-lock files), and extract it into
# DIR/package. Used for the files the repository vendors from npm (static/fonts/fetch.sh,
# tests/html/fetch-vnu.sh), so that each says where its files come from.
set -eu
package=$1 version=$2 integrity=$3 dir=$4
cd "$dir"
tarball=$(npm pack --silent "$package@$version" | tail -n 1)
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$integrity" ]; then
    echo "integrity mismatch for $package@$version: $actual" >&2
    exit 1
fi
tar xzf "$tarball"
