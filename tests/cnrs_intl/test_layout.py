"""The layout of the code: each app imports only the apps below it, no module imports itself
back through others, and no folder holds most of the code."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
# The portal's apps, lowest first, as INSTALLED_APPS lists them; the project package (settings,
# URLs) sits above them all.
APPS = [name for name in settings.INSTALLED_APPS if (ROOT / name / "apps.py").exists()]
LAYERS = [*APPS, "cnrs_intl"]
MAX_SHARE = 0.30


def source_files():
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(), str(path))
    package = (
        module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    )
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join([*base, node.module] if node.module else base)
            else:
                prefix = node.module
            found.add(prefix)
            found.update(f"{prefix}.{alias.name}" for alias in node.names)
    return found


def test_the_apps_are_known_to_this_check():
    assert APPS[:3] == ["core", "accounts", "search"]
    assert {"laboratories", "instruments", "offices", "pages", "demo"} <= set(APPS)


def test_no_app_imports_an_app_above_it():
    wrong = []
    for path in source_files():
        own = LAYERS.index(path.relative_to(ROOT).parts[0])
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in LAYERS and LAYERS.index(top) > own:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert wrong == []


def test_no_model_refers_to_a_model_above_it():
    """A relation named by a string ("app.Model") is a dependency all the same."""
    wrong = []
    for model in apps.get_models():
        own = model._meta.app_label
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            target = field.related_model._meta.app_label
            if own in LAYERS and target in LAYERS and LAYERS.index(target) > LAYERS.index(own):
                wrong.append(
                    f"{model._meta.label}.{field.name} → {field.related_model._meta.label}"
                )
    assert wrong == []


def test_no_module_imports_itself_back():
    modules = {module_name(path): path for path in source_files()}
    graph = {
        name: {m for m in imported_modules(path) if m in modules and m != name}
        for name, path in modules.items()
    }
    circles = []
    state = {}

    def visit(name, trail):
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                circles.append(" → ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []


def test_no_folder_holds_more_than_its_share_of_the_code():
    lines = {}
    for path in ROOT.glob("*/**/*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0].startswith(".") or parts[0] == "tests" or "migrations" in parts:
            continue
        lines[parts[0]] = lines.get(parts[0], 0) + len(path.read_text().splitlines())
    total = sum(lines.values())
    shares = {folder: count / total for folder, count in lines.items()}
    assert max(shares.values()) <= MAX_SHARE, shares
