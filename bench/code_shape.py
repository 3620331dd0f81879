"""Count what issue 11 asks to bring down: long views, role decisions, template rules, skips.

    python bench/code_shape.py [ROOT]

- views over 20 lines: functions in a `views` module (or package) longer than 20 lines,
  decorators and docstring included;
- places deciding a role: lines outside inspection/permissions.py that name a membership
  role or a superuser to decide what someone may do (Membership.Role.X, role="...",
  role__in=, is_superuser, or a role's name compared as a string);
- rules in templates: template tags that compare a value with a quoted string
  (`{% if x == "..." %}`), the way a template decides instead of asking;
- `# fmt: skip` in the apps' code (migrations and tests aside).
"""

import ast
import re
import sys
from pathlib import Path

APPS = ("audit", "casereview", "config", "inspection", "reports", "retention", "standards")
ROLE = re.compile(
    r"Membership\.Role\.(LEAD|INSPECTOR|WRITER)|role__in=|\brole=\"|is_superuser"
    r"|role (?:not )?in \(|role [!=]= \"|\(\"lead\"|\"admin\"\)"
)
# Lines that ask inspection.permissions, or set a flag rather than decide on it.
ASKING = re.compile(r"roles_for\(|admins_may\(|is_superuser\s*=|is_superuser=True|role=\"img\"")
TEMPLATE_RULE = re.compile(r"{%\s*(?:el)?if\b[^%]*(?:==|!=)\s*[\"'][^\"']*[\"'][^%]*%}")
ROLE_HOMES = {"inspection/permissions.py", "inspection/models.py", "inspection/admin.py"}


def app_files(root: Path, pattern: str):
    for app in APPS:
        for path in sorted((root / app).rglob(pattern)):
            if "migrations" not in path.parts:
                yield path


def long_views(root: Path) -> list[str]:
    found = []
    for path in app_files(root, "*.py"):
        if path.stem != "views" and path.parent.name != "views":
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                if node.end_lineno - start + 1 > 20:
                    found.append(f"{path.relative_to(root)}:{node.name}")
    return found


def role_decisions(root: Path) -> list[str]:
    found = []
    for path in app_files(root, "*.py"):
        relative = str(path.relative_to(root))
        if relative in ROLE_HOMES or "/management/" in relative or relative.endswith("demo.py"):
            continue  # the rules' home, the model, the admin and set-up scripts
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if ROLE.search(line) and not ASKING.search(line):
                found.append(f"{relative}:{number}")
    return found


def template_rules(root: Path) -> list[str]:
    found = []
    for path in list(app_files(root, "*.html")) + sorted((root / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            found += [f"{path.relative_to(root)}:{number}"] * len(TEMPLATE_RULE.findall(line))
    return found


def fmt_skips(root: Path) -> int:
    return sum(path.read_text().count("# fmt: skip") for path in app_files(root, "*.py"))


def main(root: Path) -> None:
    for name, items in (
        ("views over 20 lines", long_views(root)),
        ("places deciding a role", role_decisions(root)),
        ("rules in templates", template_rules(root)),
    ):
        print(f"{name}: {len(items)}")
        for item in items:
            print(f"    {item}")
    print(f"# fmt: skip in app code: {fmt_skips(root)}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve())
