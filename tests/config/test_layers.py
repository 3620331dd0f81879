"""The apps depend one way (docs/architecture.md): a lower app never imports a higher one."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Lowest first; each app may import those before it, and the shared helpers in config.
LAYERS = ["audit", "standards", "inspection", "casereview", "reports", "retention"]


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
    return names & set(LAYERS)


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_only_the_apps_below_it(app):
    above = set(LAYERS[LAYERS.index(app) + 1 :])
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) & above)
        for path in (ROOT / app).rglob("*.py")
        if imported_apps(path) & above
    }
    assert wrong == {}


def test_the_shared_helpers_in_config_import_no_app_but_the_audit_log():
    project_level = {"urls.py", "settings.py", "celery.py", "wsgi.py", "views.py"}
    wrong = {
        path.name: sorted(imported_apps(path) - {"audit"})
        for path in (ROOT / "config").glob("*.py")
        if path.name not in project_level and imported_apps(path) - {"audit"}
    }
    assert wrong == {}
