"""Every public page type, in both languages, is valid HTML for the Nu HTML Checker
(vnu.jar, fetched by tests/html/fetch-vnu.sh; `make html-check`)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.pages import NOT_FOUND_PAGES, PUBLIC_PAGES, create_site

VNU = Path(__file__).resolve().parents[2] / ".tools" / "vnu" / "vnu.jar"

pytestmark = pytest.mark.django_db


def nu_errors(files: list[Path]) -> list[str]:
    if shutil.which("java") is None:
        pytest.skip("no Java on this machine to run the Nu HTML Checker")
    assert VNU.exists(), "no vnu.jar: run `make html-check` (or tests/html/fetch-vnu.sh)"
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always"]
        + [str(path) for path in files],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [
        f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']} – {m.get('extract', '')!r}"
        for m in messages
        if m["type"] == "error"
    ]


def test_every_public_page_type_is_valid_html(client, tmp_path):
    create_site()
    files = []
    for page_type, paths in PUBLIC_PAGES.items():
        for language, path in paths.items():
            response = client.get(path)
            assert response.status_code == 200, path
            file = tmp_path / f"{language}-{page_type.replace(' ', '-')}.html"
            file.write_bytes(response.content)
            files.append(file)
    for language, paths in NOT_FOUND_PAGES.items():
        for number, path in enumerate(paths):
            response = client.get(path)
            assert response.status_code == 404, path
            file = tmp_path / f"{language}-not-found-{number}.html"
            file.write_bytes(response.content)
            files.append(file)
    assert len(files) == 2 * len(PUBLIC_PAGES) + 4
    assert nu_errors(files) == []


def test_the_checker_finds_an_error(tmp_path):
    # The check above can fail: the checker reports an element where it may not be.
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>x</title></head>'
        "<body><ul><div>not a list item</div></ul></body></html>"
    )
    assert len(nu_errors([broken])) == 1
