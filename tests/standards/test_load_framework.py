"""load_framework: loads the bundled file, is idempotent, and never alters a version in use."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from inspection.models import Inspection
from standards.checks import checks_for
from standards.framework_file import checks_file_for
from standards.models import FrameworkVersion, KeyQuestion, Question, RatingBand, Section


def load(*files) -> str:
    out = StringIO()
    call_command("load_framework", *map(str, files), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_loads_the_bundled_framework():
    output = load()

    assert "version 2018.1 created" in output
    version = FrameworkVersion.objects.get()
    assert version.status == FrameworkVersion.Status.PUBLISHED
    assert list(version.sections.values_list("code", flat=True)) == list("IAPDVR")
    kinds = {kind: version.questions.filter(kind=kind).count() for kind in Question.Kind.values}
    assert kinds == {"question": 112, "field": 4, "summary": 14}
    assert list(KeyQuestion.objects.filter(kind="key_question").values_list("code", flat=True)) == [
        "A1",
        "A2",
        "A3",
        "P1",
        "P2",
        "P3",
        "D1",
        "D2",
        "D3",
        "V3",
        "V4",
        "R1",
        "R2",
        "R3",
    ]
    assert [(b.label, b.min_percent) for b in version.rating_bands.all()] == [
        ("Outstanding", 80),
        ("Good", 65),
        ("Requires improvement", 50),
        ("Inadequate", 0),
    ]
    assert version.standard_rule == "lowest_key_question_band"
    ogrs = version.questions.get(code="A0.1-ogrs")
    assert ogrs.parent.code == "A0.1"
    assert (ogrs.number_min, ogrs.number_max) == (0, 99)


@pytest.mark.django_db
def test_loading_the_same_version_twice_changes_nothing():
    load()
    before = list(Question.objects.values_list("id", "code", "text"))
    loaded_at = FrameworkVersion.objects.get().loaded_at

    output = load()

    assert "version 2018.1 unchanged" in output
    assert list(Question.objects.values_list("id", "code", "text")) == before
    assert FrameworkVersion.objects.get().loaded_at == loaded_at


@pytest.mark.django_db
def test_it_refuses_to_alter_a_version_an_inspection_uses(framework, framework_copy):
    Inspection.objects.create(name="Durham", slug="durham", framework_version=framework)
    framework_copy.write_text(
        framework_copy.read_text(encoding="utf-8").replace(
            '"Name of LDU or team"', '"Name of the team"'
        ),
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match="is used by an inspection and cannot be altered"):
        load(framework_copy)

    assert Question.objects.get(code="I6.2").text == "Name of LDU or team"


@pytest.mark.django_db
def test_it_loads_a_used_framework_again_when_unchanged(framework, framework_copy):
    Inspection.objects.create(name="Durham", slug="durham", framework_version=framework)
    framework_copy.write_text(
        "# only a comment added\n" + framework_copy.read_text(encoding="utf-8"), encoding="utf-8"
    )

    assert "unchanged" in load(framework_copy)


@pytest.mark.django_db
def test_it_alters_a_version_nothing_uses(framework, framework_copy):
    framework_copy.write_text(
        framework_copy.read_text(encoding="utf-8").replace(
            '"Name of LDU or team"', '"Name of the team"'
        ),
        encoding="utf-8",
    )

    assert "version 2018.1 updated" in load(framework_copy)

    assert FrameworkVersion.objects.get() == framework
    assert Question.objects.get(code="I6.2").text == "Name of the team"
    assert Question.objects.count() == 130
    assert RatingBand.objects.count() == 4


@pytest.mark.django_db
def test_a_changed_file_with_a_new_version_loads_beside_the_used_one(framework, framework_copy):
    Inspection.objects.create(name="Durham", slug="durham", framework_version=framework)
    framework_copy.write_text(
        framework_copy.read_text(encoding="utf-8")
        .replace('version: "2018.1"', 'version: "2018.2"')
        .replace('"Name of LDU or team"', '"Name of the team"'),
        encoding="utf-8",
    )

    assert "version 2018.2 created" in load(framework_copy)

    assert FrameworkVersion.objects.count() == 2
    assert checks_for(FrameworkVersion.objects.get(version="2018.2")) == checks_for(framework)
    assert framework.questions.get(code="I6.2").text == "Name of LDU or team"


@pytest.mark.django_db
def test_it_refuses_a_malformed_file_and_stores_nothing(framework_copy):
    framework_copy.write_text(
        framework_copy.read_text(encoding="utf-8").replace("answer: yes_no_na", "answer: maybe", 1),
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as raised:
        load(framework_copy)

    assert "hmip-adult-2018.yaml: sections[1] (A).key_questions[0] (A0).questions[1] (A0.2)" in str(
        raised.value
    )
    assert "'maybe' must be one of" in str(raised.value)
    assert not FrameworkVersion.objects.exists()
    assert not Section.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_file_that_is_not_there(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        load(tmp_path / "missing.yaml")


# The checks file is part of the version


def edit_checks(framework_file, old, new):
    checks = checks_file_for(framework_file)
    text = checks.read_text(encoding="utf-8")
    assert old in text
    checks.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.django_db
def test_the_checks_of_a_version_in_use_cannot_be_changed_under_its_inspections(
    framework, framework_copy
):
    Inspection.objects.create(name="Durham", slug="durham", framework_version=framework)
    before = checks_for(framework)
    edit_checks(framework_copy, "{answer: A3.9, is: low}", "{answer: A3.9, is: medium}")

    with pytest.raises(CommandError, match="cannot be altered, nor can its checks"):
        load(framework_copy)

    framework.refresh_from_db()
    assert checks_for(framework) == before
    assert {"answer": "A3.9", "is": "low"} in next(
        rule.when["all"] for rule in before if rule.key == "concern_with_low_rosh"
    )


@pytest.mark.django_db
def test_the_checks_of_a_version_nothing_uses_are_updated(framework, framework_copy):
    edit_checks(framework_copy, "{answer: A3.9, is: low}", "{answer: A3.9, is: medium}")

    assert "version 2018.1 updated" in load(framework_copy)

    framework.refresh_from_db()
    (rule,) = [rule for rule in checks_for(framework) if rule.key == "concern_with_low_rosh"]
    assert {"answer": "A3.9", "is": "medium"} in rule.when["all"]


@pytest.mark.django_db
def test_flags_come_from_the_version_not_from_the_file_on_disk(framework, framework_copy):
    rules = checks_for(framework)
    checks_file_for(framework_copy).unlink()  # what the running service reads is the database

    assert rules and checks_for(FrameworkVersion.objects.get(pk=framework.pk)) == rules


@pytest.mark.django_db
def test_a_version_loaded_before_checks_were_kept_with_it_takes_its_checks_once(framework):
    rules = checks_for(framework)
    Inspection.objects.create(name="Durham", slug="durham", framework_version=framework)
    FrameworkVersion.objects.filter(pk=framework.pk).update(checks=[], checks_hash="")

    assert "version 2018.1 updated" in load()

    framework.refresh_from_db()
    assert checks_for(framework) == rules and framework.checks_hash
    assert "unchanged" in load()
