"""Benchmark import_assessments on a decade of an inspectorate's data: 100,000 rows.

Run from the repository root in the test environment:

    . scripts/lib.sh && ensure_local_secrets && ensure_postgres_database
    .venv/bin/python bench/import_assessments.py [--rows 100000] [--questions summary]

Each run makes a fresh database of its own, case_assessment_bench_import (dropped
and created again, migrated, the framework loaded), writes the dataset CSV once
to var/bench/ from a fixed seed (the same file on every machine), then runs
`manage.py import_assessments` in a subprocess, as an operator would, and
prints its wall time and peak memory (the child's maximum resident set, from
wait4). `--questions summary` (the default) gives each row the case columns and
the 14 summary judgements, as historical datasets hold; `--questions all` gives
every question of the framework. The import's own progress lines (stderr) are
shown as it runs. Targets (issue 10): 100,000 rows under 2 minutes and 500 MB.
"""

import argparse
import csv
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, bench_database, bench_url, django_setup, run_python

BENCH_DB = "case_assessment_bench_import"
SLUG = "bench-decade"
SEED = 2018


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--questions", choices=["summary", "all"], default="summary")
    options = parser.parse_args()
    env = {**os.environ, "DATABASE_URL": bench_url(BENCH_DB), "DEBUG": "1"}
    bench_database(BENCH_DB, fresh=True)
    run_python(["manage.py", "migrate", "--no-input", "-v", "0"], env)
    run_python(["manage.py", "load_framework"], env)
    path = ROOT / "var" / "bench" / f"assessments-{options.rows}-{options.questions}.csv"
    if not path.exists():
        started = time.monotonic()
        run_python([__file__, "--generate", str(path), str(options.rows), options.questions], env)
        print(f"Generated {path.relative_to(ROOT)} in {time.monotonic() - started:.0f} s",
              file=sys.stderr)  # fmt: skip
    run_python([__file__, "--user"], env)
    size_mb = path.stat().st_size / 1_000_000
    command = [sys.executable, "manage.py", "import_assessments", str(path), "--inspection", SLUG,
               "--user", "bench"]  # fmt: skip
    started = time.monotonic()
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)  # noqa: S603
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    print(output.strip())
    print(
        f"import_assessments, {options.rows:,} rows ({options.questions} questions, "
        f"{size_mb:.0f} MB): wall {seconds:.1f} s, peak RSS {usage.ru_maxrss / 1024:.0f} MB, "
        f"exit status {child.returncode}"
    )
    sys.exit(child.returncode)


def ensure_user():
    django_setup()
    from django.contrib.auth import get_user_model

    get_user_model().objects.get_or_create(username="bench")


def generate(path: Path, rows: int, which: str):
    """Write `rows` plausible, valid dataset rows to `path`, the same ones for the same seed."""
    django_setup()
    from reports.datasets import CASE_COLUMNS
    from standards.models import FrameworkVersion
    from standards.selectors import framework_questions

    version = FrameworkVersion.objects.filter(status="published").latest("loaded_at")
    questions = framework_questions(version=version)
    questions = [q for q in questions if which == "all" or q.kind == "summary"]
    rng = random.Random(SEED)  # noqa: S311 - benchmark data, not secrets
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CASE_COLUMNS + [q.code for q in questions])
        for number in range(rows):
            quality = rng.random()
            writer.writerow([
                SLUG, f"D{number:06d}", rng.choice(["CRC", "CRC", "NPS"]),
                rng.choice(["Male"] * 6 + ["Female", ""]), rng.randint(18, 70),
                rng.choices(["White", "Black", "Asian", "Mixed", "Other", ""],
                            weights=[80, 5, 6, 3, 2, 4])[0],
                rng.choice(["community", "post-custody"]), rng.randint(1, 99),
                rng.choice(["Low", "Medium", "High", "Very high"]),
                "yes" if rng.random() < 0.1 else "no",
                *(_value(question, rng, quality) for question in questions),
            ])  # fmt: skip
    partial.rename(path)


def _value(question, rng, quality) -> str:
    kind = question.answer_type
    if rng.random() < 0.03:
        return ""  # not recorded
    if kind == "yes_no":
        return "yes" if rng.random() < 0.4 + 0.5 * quality else "no"
    if kind == "yes_no_na":
        return rng.choice(["yes", "yes", "no", "na"])
    values = [c["value"] for c in question.choices if c["value"] != question.exclusive_choice]
    if kind == "single_choice":
        return rng.choice([c["value"] for c in question.choices])
    if kind == "multiple_choice":
        return ";".join(v for v in values if rng.random() < 0.3) or values[0]
    if kind == "number":
        low = int(question.number_min or 0)
        high = int(question.number_max if question.number_max is not None else 100)
        return str(rng.randint(low, high))
    return rng.choice(["Benchmark text.", "Seen at home; plan agreed.", ""])


if __name__ == "__main__":
    if sys.argv[1:2] == ["--generate"]:
        generate(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    elif sys.argv[1:2] == ["--user"]:
        ensure_user()
    else:
        main()
