"""Write the framework: loading a validated framework file into the database."""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from standards.framework_file import checks_hash, framework_hash, read_framework_file
from standards.models import FrameworkVersion, KeyQuestion, Question, RatingBand, Section

BUNDLED_DIR = Path(__file__).resolve().parent / "frameworks"


class FrameworkInUseError(Exception):
    """A changed file for a framework version that inspections already use."""


@dataclass(frozen=True)
class LoadResult:
    version: FrameworkVersion
    outcome: str  # "created", "updated" or "unchanged"


def bundled_framework_files() -> list[Path]:
    """Return the framework files shipped with the application (not their checks files)."""
    return sorted(p for p in BUNDLED_DIR.glob("*.yaml") if not p.name.endswith(".checks.yaml"))


def framework_version_is_used(*, version: FrameworkVersion) -> bool:
    """Return whether anything outside the framework itself refers to `version`.

    Inspections point at a version and answers at its questions; any such
    reference freezes it. Following the relations, rather than naming the apps
    above this one, keeps this app free of imports from them.
    """
    lookups = [(FrameworkVersion, ""), (Question, "__framework_version")]
    for target, through in lookups:
        for relation in target._meta.related_objects:
            model = relation.related_model
            if model._meta.app_label == "standards":
                continue
            if model._default_manager.filter(**{relation.field.name + through: version}).exists():
                return True
    return False


@transaction.atomic
def framework_load(*, data: dict) -> LoadResult:
    """Store validated framework `data` with its checks, unless stored already unchanged.

    A version that is in use cannot be altered, its checks included (an inspection's
    flags never change under it): the loader refuses and the author gives the changed
    files a new version number. A version loaded before checks were kept with it takes
    its checks file once: those are the checks that were in force for it.
    """
    digest, checks_digest = framework_hash(data), checks_hash(data)
    version = (
        FrameworkVersion.objects.select_for_update()
        .filter(framework=data["framework"], version=data["version"])
        .first()
    )
    same_framework = version is not None and version.content_hash == digest
    if same_framework and version.checks_hash == checks_digest:
        return LoadResult(version, "unchanged")
    adopting = same_framework and not version.checks_hash
    if version and not adopting and framework_version_is_used(version=version):
        raise FrameworkInUseError(
            f"Framework {data['framework']} version {data['version']} is used by an "
            "inspection and cannot be altered, nor can its checks. Give the changed files "
            "a new version number."
        )
    if same_framework:
        version.checks, version.checks_hash = data["checks"], checks_digest
        version.save(update_fields=["checks", "checks_hash", "loaded_at"])
        return LoadResult(version, "updated")
    outcome = "updated" if version else "created"
    if version:
        version.sections.all().delete()
        version.rating_bands.all().delete()
    else:
        version = FrameworkVersion(framework=data["framework"], version=data["version"])
    version.title = data["title"]
    version.status = data["status"]
    version.source = data["source"]
    version.preamble = data["preamble"]
    version.standard_rule = data["rating"]["standard_rule"]
    version.report_layout = data["report"]
    version.content_hash = digest
    version.checks, version.checks_hash = data["checks"], checks_digest
    version.full_clean()
    version.save()
    _store_contents(version, data)
    return LoadResult(version, outcome)


def framework_load_file(*, path: Path) -> LoadResult:
    """Read, validate and store the framework file at `path`."""
    return framework_load(data=read_framework_file(path))


def _store_contents(version: FrameworkVersion, data: dict) -> None:
    RatingBand.objects.bulk_create(
        RatingBand(framework_version=version, position=i, **band)
        for i, band in enumerate(data["rating"]["bands"])
    )
    position = 0
    for section_position, section_data in enumerate(data["sections"]):
        section = Section.objects.create(
            framework_version=version,
            position=section_position,
            code=section_data["code"],
            title=section_data["title"],
            is_standard=section_data["is_standard"],
            statement=section_data["statement"],
            guidance=section_data["guidance"],
        )
        for kq_data in section_data["key_questions"]:
            position += 1
            key_question = KeyQuestion.objects.create(
                section=section,
                position=position,
                code=kq_data["code"],
                kind=kq_data["kind"],
                title=kq_data["title"],
                guidance=kq_data["guidance"],
                applies_when=kq_data["applies_when"],
            )
            entries = list(kq_data["questions"])
            if kq_data["summary"]:
                entries.append({**kq_data["summary"], "kind": Question.Kind.SUMMARY})
            for entry in entries:
                position += 1
                parent = _store_question(version, key_question, entry, position)
                for field in entry.get("fields", []):
                    position += 1
                    _store_question(version, key_question, field, position, parent=parent)


def _store_question(version, key_question, entry, position, parent=None) -> Question:
    number = entry.get("number") or {}
    question = Question(
        framework_version=version,
        key_question=key_question,
        parent=parent,
        position=position,
        code=entry["code"],
        kind=entry.get("kind") or (Question.Kind.FIELD if parent else Question.Kind.QUESTION),
        heading=entry.get("heading", ""),
        text=entry["text"],
        guidance=entry["guidance"],
        answer_type=entry["answer"],
        choices=entry.get("choices", []),
        exclusive_choice=entry.get("exclusive", ""),
        number_min=number.get("min"),
        number_max=number.get("max"),
        number_decimals=number.get("decimals"),
        weight=entry["weight"],
        applies_when=entry.get("applies_when"),
    )
    question.full_clean(exclude=["framework_version", "key_question", "parent"])
    question.save()
    return question
