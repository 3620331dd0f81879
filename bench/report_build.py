"""Benchmark report builds: a 330-case inspection and a 3,000-case thematic report.

Run from the repository root in the test environment:

    . scripts/lib.sh && ensure_local_secrets && ensure_postgres_database
    .venv/bin/python bench/report_build.py

It makes (once) a database of its own, case_assessment_bench, holding 11
inspections of complete, agreed reviews: one of 330 cases and ten of 300. Each
report is then built in a fresh process, as a worker would, which prints its
time split into data (queries, statistics, charts) and PDF layout, its SQL
queries and its peak memory. Targets (issue 5): 330 cases under 8 s, 3,000
cases under 30 s, queries not growing with the cases.
"""

import json
import os
import random
import resource
import sys
import time

from common import bench_database, bench_url, django_setup, run_python

BENCH_DB = "case_assessment_bench"
SIZES = {"bench-330": 330, **{f"bench-thematic-{i}": 300 for i in range(10)}}


def main():
    env = {**os.environ, "DATABASE_URL": bench_url(BENCH_DB), "DEBUG": "1"}
    bench_database(BENCH_DB, fresh=False)
    run_python(["manage.py", "migrate", "--no-input", "-v", "0"], env)
    run_python(["manage.py", "load_framework"], env)
    run_python([__file__, "--generate"], env)
    thematic = [f"bench-thematic-{i}" for i in range(10)]
    for label, slugs in [("330 cases", ["bench-330"]), ("3,000 cases, thematic", thematic)]:
        figures = json.loads(run_python([__file__, "--build", *slugs], env).splitlines()[-1])
        print(
            f"{label}: {figures['cases']} cases, data {figures['data_s']:.2f} s "
            f"({figures['queries']} queries), PDF layout {figures['layout_s']:.2f} s, "
            f"total {figures['data_s'] + figures['layout_s']:.2f} s, {figures['pages']} pages, "
            f"peak memory {figures['peak_mb']:.0f} MB"
        )


def generate():
    """Make the benchmark's inspections once: complete, agreed reviews with plausible answers."""
    django_setup()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from casereview.models import Answer, Review
    from inspection.models import Case, Inspection
    from standards.models import FrameworkVersion
    from standards.selectors import framework_questions

    version = FrameworkVersion.objects.filter(status="published").latest("loaded_at")
    questions = framework_questions(version=version)
    user, _ = get_user_model().objects.get_or_create(username="bench")
    rng = random.Random(2018)  # noqa: S311 - benchmark data, not secrets
    for slug, size in SIZES.items():
        if Inspection.objects.filter(slug=slug).exists():
            continue
        started = time.monotonic()
        inspection = Inspection.objects.create(name=slug, slug=slug, area=slug.split("-")[-1],
                                               framework_version=version)  # fmt: skip
        cases = Case.objects.bulk_create(
            Case(inspection=inspection, case_ref=f"B{i:04d}", allocated_to=user,
                 provider=rng.choice(["crc", "crc", "nps"]),
                 gender=rng.choice(["male"] * 6 + ["female"]), age=rng.randint(18, 70),
                 ethnicity=rng.choices(["white", "black", "asian", "mixed", "other"],
                                       weights=[84, 5, 6, 3, 2])[0],
                 supervision=rng.choice(["community", "post_custody"]),
                 ogrs=rng.randint(1, 99), rosh=rng.choice(["low", "medium", "high", "very_high"]),
                 mappa=rng.random() < 0.1)
            for i in range(size)
        )  # fmt: skip
        now = timezone.now()
        reviews = Review.objects.bulk_create(
            Review(case=case, status="agreed", started_at=now, submitted_at=now) for case in cases
        )
        answers = []
        for review in reviews:
            quality = rng.random()
            for question in questions:
                answers.append(Answer(review=review, question=question, version=1, updated_by=user,
                                      value=_value(question, rng, quality)))  # fmt: skip
        Answer.objects.bulk_create(answers, batch_size=5000)
        print(f"{slug}: {size} cases, {len(answers)} answers in {time.monotonic() - started:.1f} s")


def _value(question, rng, quality):
    kind = question.answer_type
    if kind in ("yes_no", "yes_no_na"):
        return "yes" if rng.random() < 0.4 + 0.5 * quality else "no"
    if kind == "single_choice":
        return rng.choice(question.choices)["value"]
    if kind == "multiple_choice":
        return [question.choices[0]["value"]]
    if kind == "number":
        return "1"
    return "Benchmark text."


def build(slugs):
    """Build one report in this process; print its figures as JSON."""
    django_setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from weasyprint import HTML

    from casereview.models import Review
    from inspection.models import Inspection
    from reports.data import report_data
    from reports.pdf import refuse_every_url, report_html

    # The worker's path (reports.pdf.report_pdf), timed in its two parts.
    inspections = list(
        Inspection.objects.filter(slug__in=slugs).select_related("framework_version")
    )
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        data = report_data(inspections, final=True)
        html = report_html(data)
    data_seconds = time.monotonic() - started
    started = time.monotonic()
    document = HTML(string=html, url_fetcher=refuse_every_url).render()
    document.write_pdf()
    layout_seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "cases": Review.objects.filter(case__inspection__in=inspections).count(),
        "data_s": data_seconds, "layout_s": layout_seconds, "queries": len(queries),
        "pages": len(document.pages), "peak_mb": peak,
    }))  # fmt: skip


if __name__ == "__main__":
    if sys.argv[1:2] == ["--generate"]:
        generate()
    elif sys.argv[1:2] == ["--build"]:
        build(sys.argv[2:])
    else:
        main()
