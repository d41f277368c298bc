#!/bin/sh
# lighthouse.sh [BASE]
# Lighthouse (from the npm registry, pinned below) on the home, the labs list, a lab page and
# the search page, in French and English, against a portal already running at BASE (default
# http://127.0.0.1:8000) with DJANGO_DEBUG=false; prints a Markdown table of the four scores
# and, under it, every audit that lost points in accessibility, best practices and SEO.
# Reports are written to $LIGHTHOUSE_DIR (default: a new temporary directory). How to serve
# the portal for it: LIGHTHOUSE.md.
set -eu
VERSION=12.8.2
BASE=${1:-http://127.0.0.1:8000}
LAB=${LIGHTHOUSE_LAB:-bmc2}
out=${LIGHTHOUSE_DIR:-$(mktemp -d)}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync"
echo "| page | language | performance | accessibility | best practices | SEO |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
for spec in "home fr /fr/" "home en /en/" "labs fr /fr/laboratoires/" "labs en /en/labs/" \
    "lab fr /fr/laboratoires/$LAB/" "lab en /en/labs/$LAB/" \
    "search fr /fr/recherche/?q=universite" "search en /en/search/?q=university"; do
    set -- $spec
    report="$out/$1-$2.json"
    for attempt in 1 2; do  # Lighthouse now and then fails to record a trace: once more
        npx --yes "lighthouse@$VERSION" "$BASE$3" --quiet --output=json --output-path="$report" \
            --chrome-flags="$flags" >/dev/null 2>&1 || true
        python3 -c "import json,sys; sys.exit(json.load(open('$report')).get('runtimeError') is not None)" && break
    done
    python3 - "$report" "$1" "$2" <<'PY'
import json, sys
report, page, language = sys.argv[1:]
data = json.load(open(report))
scores = data["categories"]
row = [page, language] + [
    str(round(100 * scores[key]["score"])) if scores[key]["score"] is not None else "–"
    for key in ("performance", "accessibility", "best-practices", "seo")
]
print("| " + " | ".join(row) + " |")
for key in ("accessibility", "best-practices", "seo"):
    for ref in scores[key]["auditRefs"]:
        audit = data["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            print(f"<!-- {page} {language}: {key} loses on {ref['id']} ({audit['title']}) -->")
PY
done
echo
echo "Reports: $out"
