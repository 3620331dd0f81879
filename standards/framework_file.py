"""Parse and validate a framework file and its checks file, naming the place of every fault.

The result is plain data (dicts and lists, every optional key filled in), the
same for the same content whatever the file's comments or layout, so that its
hash tells whether a version changed. A framework file `NAME.yaml` may have its
consistency checks beside it in `NAME.checks.yaml`: they are part of the version,
validated against its questions and loaded with it (data["checks"]).
"""

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import yaml

from standards.characteristics import CHARACTERISTICS
from standards.conditions import ConditionError, parse_condition
from standards.models import AnswerType, Weight
from standards.ratings import STANDARD_RULES

SCHEMA = 1
CHOICE_TYPES = {AnswerType.SINGLE_CHOICE, AnswerType.MULTIPLE_CHOICE}
# A file without `report` lays its reports out as the bulletins do.
REPORT_DEFAULTS = {
    "columns": ["provider"],
    "rows": ["gender", "age_group", "ethnicity", "supervision", "ogrs_band", "rosh_level"],
    "caution_below": 10,
    "analysis_minimum": 30,
}

SLUG = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
SECTION_CODE = re.compile(r"^[A-Z]$")
KEY_QUESTION_CODE = re.compile(r"^[A-Z]\d{0,2}$")
QUESTION_CODE = re.compile(r"^[A-Z]\d{1,2}(?:\.\d{1,2})?$")
FIELD_SUFFIX = re.compile(r"^[a-z][a-z0-9]*$")


class FrameworkFileError(ValueError):
    """A framework file that cannot be loaded; the message names the place."""


CHECK_KINDS = {"summary_majority", "answers"}


def checks_file_for(path: Path) -> Path:
    """Return where the checks of the framework file at `path` are kept (if it has any)."""
    path = Path(path)
    return path.with_name(f"{path.stem}.checks.yaml")


def read_framework_file(path: Path) -> dict:
    """Return the validated content of the framework file at `path`, with its checks."""
    checks = checks_file_for(path)
    return parse_framework(
        _read(path),
        source=Path(path).name,
        checks_text=_read(checks) if checks.exists() else None,
        checks_source=checks.name,
    )


def parse_framework(
    text: str,
    *,
    source: str = "framework file",
    checks_text: str | None = None,
    checks_source: str = "checks file",
) -> dict:
    """Return the validated content of framework YAML `text` and of its checks YAML, if any."""
    validator = _Validator(source)
    data = validator.framework(_yaml(text, source))
    data["checks"] = []
    if checks_text is not None:
        checks = _Validator(checks_source, questions=validator.questions)
        data["checks"] = checks.checks(_yaml(checks_text, checks_source), data)
    return data


def framework_hash(data: dict) -> str:
    """Return the hash of validated `data`'s framework, its checks aside.

    The default report layout is left out, so that a version loaded before files could say
    how their reports are laid out keeps its hash.
    """
    return content_hash(
        {
            key: value
            for key, value in data.items()
            if key != "checks" and not (key == "report" and value == REPORT_DEFAULTS)
        }
    )


def checks_hash(data: dict) -> str:
    """Return the hash of validated `data`'s checks."""
    return content_hash({"checks": data["checks"]})


def _read(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FrameworkFileError(f"{path}: cannot be read: {error}") from None


def _yaml(text: str, source: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        problem = getattr(error, "problem", None) or str(error)
        raise FrameworkFileError(f"{source}: {where}: not valid YAML: {problem}") from None


def content_hash(data: dict) -> str:
    """Return a hash of validated framework `data` that ignores layout and comments."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class _Validator:
    """Walk raw YAML data, building the validated form; fail at the first fault."""

    def __init__(self, source: str, *, questions: dict[str, dict] | None = None):
        self.source = source
        # code -> validated question, in file order: those a condition may name
        self.questions: dict[str, dict] = questions if questions is not None else {}

    def fail(self, place: str, message: str):
        raise FrameworkFileError(f"{self.source}: {place}: {message}")

    def mapping(self, value: Any, place: str, required: set[str], optional: set[str]) -> dict:
        if not isinstance(value, dict):
            self.fail(place, f"expected a mapping of keys, got {_kind(value)}")
        missing = sorted(required - value.keys())
        if missing:
            self.fail(place, f"missing key(s): {', '.join(missing)}")
        unknown = sorted(set(value) - required - optional, key=str)
        if unknown:
            self.fail(place, f"unknown key(s): {', '.join(map(str, unknown))}")
        return value

    def string(self, value: Any, place: str, *, blank: bool = False) -> str:
        if isinstance(value, bool):
            self.fail(place, f'got the boolean {value}: quote it (write "yes" or "no")')
        if not isinstance(value, str):
            self.fail(place, f"expected text, got {_kind(value)}")
        value = value.strip()
        if not value and not blank:
            self.fail(place, "must not be empty")
        return value

    def paragraphs(self, value: Any, place: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(place, f"expected a list of paragraphs, got {_kind(value)}")
        return [self.string(p, f"{place}[{i}]") for i, p in enumerate(value)]

    def listed(self, value: Any, place: str) -> list:
        if not isinstance(value, list) or not value:
            self.fail(place, "expected a non-empty list")
        return value

    def framework(self, raw: Any) -> dict:
        keys = {"schema", "framework", "title", "version", "status", "rating", "sections"}
        raw = self.mapping(raw, "top level", keys, {"source", "preamble", "report"})
        if raw["schema"] != SCHEMA:
            self.fail("schema", f"this loader reads schema {SCHEMA}, not {raw['schema']!r}")
        slug = self.string(raw["framework"], "framework")
        if not re.fullmatch(r"[a-z0-9-]+", slug):
            self.fail("framework", f"{slug!r} must be lower-case letters, digits and hyphens")
        status = self.string(raw["status"], "status")
        if status not in ("draft", "published"):
            self.fail("status", f"{status!r} must be draft or published")
        data = {
            "framework": slug,
            "title": self.string(raw["title"], "title"),
            "version": self.string(raw["version"], 'version (quote it, e.g. "2018.1")'),
            "status": status,
            "source": self.string(raw.get("source") or "", "source", blank=True),
            "preamble": self.paragraphs(raw.get("preamble"), "preamble"),
            "rating": self.rating(raw["rating"]),
            "report": self.report(raw.get("report")),
            "sections": [],
        }
        sections = self.listed(raw["sections"], "sections")
        section_codes = set()
        for i, section in enumerate(sections):
            built = self.section(section, f"sections[{i}]")
            if built["code"] in section_codes:
                self.fail(f"sections[{i}]", f"section code {built['code']} is used twice")
            section_codes.add(built["code"])
            data["sections"].append(built)
        return data

    def rating(self, raw: Any) -> dict:
        raw = self.mapping(raw, "rating", {"bands", "standard_rule"}, set())
        rule = self.string(raw["standard_rule"], "rating.standard_rule")
        if rule not in STANDARD_RULES:
            self.fail("rating.standard_rule", f"{rule!r} must be one of {sorted(STANDARD_RULES)}")
        bands = []
        for i, band in enumerate(self.listed(raw["bands"], "rating.bands")):
            place = f"rating.bands[{i}]"
            band = self.mapping(band, place, {"key", "label", "min_percent"}, set())
            minimum = band["min_percent"]
            if isinstance(minimum, bool) or not isinstance(minimum, int | float):
                self.fail(f"{place}.min_percent", f"expected a number, got {_kind(minimum)}")
            if not 0 <= minimum <= 100:
                self.fail(f"{place}.min_percent", f"{minimum} is not between 0 and 100")
            if bands and minimum >= bands[-1]["min_percent"]:
                self.fail(f"{place}.min_percent", "bands must go from the highest to the lowest")
            key = self.string(band["key"], f"{place}.key")
            if not SLUG.match(key):
                self.fail(f"{place}.key", f"{key!r} must be lower_snake_case")
            bands.append(
                {
                    "key": key,
                    "label": self.string(band["label"], f"{place}.label"),
                    "min_percent": minimum,
                }
            )
        if bands[-1]["min_percent"] != 0:
            self.fail("rating.bands", "the lowest band must start at 0 so that every % has a band")
        return {"bands": bands, "standard_rule": rule}

    def report(self, raw: Any) -> dict:
        if raw is None:
            return {**REPORT_DEFAULTS}
        raw = self.mapping(raw, "report", set(), set(REPORT_DEFAULTS))
        raw = {**REPORT_DEFAULTS, **raw}
        used: set[str] = set()
        for part in ("columns", "rows"):
            for i, key in enumerate(self.listed(raw[part], f"report.{part}")):
                place = f"report.{part}[{i}]"
                if key not in CHARACTERISTICS:
                    self.fail(place, f"{key!r} must be one of {', '.join(CHARACTERISTICS)}")
                if key in used:
                    self.fail(place, f"{key} is named twice")
                used.add(key)
        for size in ("caution_below", "analysis_minimum"):
            value = raw[size]
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                self.fail(f"report.{size}", f"expected a whole number of cases, got {value!r}")
        return {key: raw[key] for key in REPORT_DEFAULTS}

    def section(self, raw: Any, place: str) -> dict:
        place = _labelled(place, raw)
        raw = self.mapping(
            raw,
            place,
            {"code", "title", "is_standard", "key_questions"},
            {"statement", "guidance"},
        )
        code = self.string(raw["code"], f"{place}.code")
        if not SECTION_CODE.match(code):
            self.fail(f"{place}.code", f"{code!r} must be one capital letter")
        if not isinstance(raw["is_standard"], bool):
            self.fail(f"{place}.is_standard", "expected true or false")
        section = {
            "code": code,
            "title": self.string(raw["title"], f"{place}.title"),
            "is_standard": raw["is_standard"],
            "statement": self.string(raw.get("statement") or "", f"{place}.statement", blank=True),
            "guidance": self.paragraphs(raw.get("guidance"), f"{place}.guidance"),
            "key_questions": [],
        }
        for i, key_question in enumerate(
            self.listed(raw["key_questions"], f"{place}.key_questions")
        ):
            section["key_questions"].append(
                self.key_question(key_question, f"{place}.key_questions[{i}]", code)
            )
        return section

    def key_question(self, raw: Any, place: str, section_code: str) -> dict:
        place = _labelled(place, raw)
        raw = self.mapping(
            raw,
            place,
            {"code", "kind", "title", "questions"},
            {"guidance", "applies_when", "summary"},
        )
        code = self.string(raw["code"], f"{place}.code")
        if not KEY_QUESTION_CODE.match(code) or not code.startswith(section_code):
            self.fail(
                f"{place}.code",
                f"{code!r} must be the section letter {section_code} "
                "followed by the key question's number",
            )
        kind = self.string(raw["kind"], f"{place}.kind")
        if kind not in ("background", "key_question"):
            self.fail(f"{place}.kind", f"{kind!r} must be background or key_question")
        key_question = {
            "code": code,
            "kind": kind,
            "title": self.string(raw["title"], f"{place}.title"),
            "guidance": self.paragraphs(raw.get("guidance"), f"{place}.guidance"),
            "applies_when": self.condition(raw.get("applies_when"), f"{place}.applies_when"),
            "questions": [],
            "summary": None,
        }
        prefix = code if code == section_code else f"{code}."
        for i, question in enumerate(self.listed(raw["questions"], f"{place}.questions")):
            key_question["questions"].append(
                self.question(question, f"{place}.questions[{i}]", prefix=prefix)
            )
        if kind == "key_question":
            if not raw.get("summary"):
                self.fail(place, "a key question needs its summary judgement (key: summary)")
            key_question["summary"] = self.summary(raw["summary"], f"{place}.summary", code)
        elif raw.get("summary"):
            self.fail(f"{place}.summary", "background groups have no summary judgement")
        return key_question

    def summary(self, raw: Any, place: str, key_code: str) -> dict:
        place = _labelled(place, raw)
        raw = self.mapping(raw, place, {"code", "text"}, {"guidance", "fields"})
        code = self.string(raw["code"], f"{place}.code")
        if code != f"{key_code}S":
            self.fail(f"{place}.code", f"{code!r} must be {key_code}S")
        summary = {
            "code": code,
            "text": self.string(raw["text"], f"{place}.text"),
            "guidance": self.paragraphs(raw.get("guidance"), f"{place}.guidance"),
            "answer": AnswerType.YES_NO.value,
            "weight": Weight.STANDARDS.value,
        }
        self.register(code, summary, place)
        summary["fields"] = self.fields(raw.get("fields"), place, code)
        return summary

    def question(self, raw: Any, place: str, *, prefix: str, parent: str = "") -> dict:
        required = {"code", "text", "answer", "weight"}
        optional = {"heading", "guidance", "choices", "exclusive", "number", "applies_when"}
        if not parent:
            optional.add("fields")
        place = _labelled(place, raw)
        raw = self.mapping(raw, place, required, optional)
        code = self.string(raw["code"], f"{place}.code")
        if parent:
            if not code.startswith(f"{parent}-") or not FIELD_SUFFIX.match(code[len(parent) + 1 :]):
                self.fail(f"{place}.code", f"{code!r} must be {parent}-<lower-case name>")
        elif not QUESTION_CODE.match(code) or not code.startswith(prefix):
            self.fail(f"{place}.code", f"{code!r} must be a question number starting {prefix}")
        answer = self.string(raw["answer"], f"{place}.answer")
        if answer not in AnswerType.values:
            self.fail(
                f"{place}.answer", f"{answer!r} must be one of {', '.join(AnswerType.values)}"
            )
        weight = self.string(raw["weight"], f"{place}.weight")
        if weight not in Weight.values:
            self.fail(f"{place}.weight", f"{weight!r} must be one of {', '.join(Weight.values)}")
        question = {
            "code": code,
            "heading": self.string(raw.get("heading") or "", f"{place}.heading", blank=True),
            "text": self.string(raw["text"], f"{place}.text"),
            "guidance": self.paragraphs(raw.get("guidance"), f"{place}.guidance"),
            "answer": answer,
            "weight": weight,
            "choices": self.choices(raw, place, answer),
            "exclusive": "",
            "number": self.number(raw, place, answer),
            "applies_when": self.condition(raw.get("applies_when"), f"{place}.applies_when"),
        }
        if raw.get("exclusive") is not None:
            exclusive = self.string(raw["exclusive"], f"{place}.exclusive")
            if answer != AnswerType.MULTIPLE_CHOICE:
                self.fail(f"{place}.exclusive", "only multiple_choice questions have one")
            if exclusive not in {c["value"] for c in question["choices"]}:
                self.fail(f"{place}.exclusive", f"{exclusive!r} is not one of its choices")
            question["exclusive"] = exclusive
        self.register(code, question, place)
        if not parent:
            question["fields"] = self.fields(raw.get("fields"), place, code)
        return question

    def fields(self, raw: Any, place: str, parent: str) -> list[dict]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.fail(f"{place}.fields", f"expected a list, got {_kind(raw)}")
        return [
            self.question(field, f"{place}.fields[{i}]", prefix="", parent=parent)
            for i, field in enumerate(raw)
        ]

    def register(self, code: str, question: dict, place: str):
        if code in self.questions:
            self.fail(f"{place}.code", f"{code} is used twice")
        self.questions[code] = question

    def choices(self, raw: dict, place: str, answer: str) -> list[dict]:
        if answer not in CHOICE_TYPES:
            if raw.get("choices"):
                self.fail(f"{place}.choices", f"a {answer} question has no choices")
            return []
        choices, values = [], set()
        for i, choice in enumerate(self.listed(raw.get("choices"), f"{place}.choices")):
            here = f"{place}.choices[{i}]"
            choice = self.mapping(choice, here, {"value", "label"}, set())
            value = self.string(choice["value"], f"{here}.value")
            if not SLUG.match(value):
                self.fail(f"{here}.value", f"{value!r} must be lower_snake_case")
            if value in values:
                self.fail(f"{here}.value", f"{value!r} is used twice")
            values.add(value)
            choices.append({"value": value, "label": self.string(choice["label"], f"{here}.label")})
        return choices

    def number(self, raw: dict, place: str, answer: str) -> dict | None:
        if answer != AnswerType.NUMBER:
            if raw.get("number") is not None:
                self.fail(f"{place}.number", f"a {answer} question has no number settings")
            return None
        here = f"{place}.number"
        spec = self.mapping(raw.get("number"), here, {"min", "max", "decimals"}, set())
        for key in ("min", "max"):
            if isinstance(spec[key], bool) or not isinstance(spec[key], int | float):
                self.fail(f"{here}.{key}", f"expected a number, got {_kind(spec[key])}")
        if spec["min"] >= spec["max"]:
            self.fail(here, f"min {spec['min']} must be below max {spec['max']}")
        decimals = spec["decimals"]
        if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 4:
            self.fail(f"{here}.decimals", "expected a whole number from 0 to 4")
        return {"min": spec["min"], "max": spec["max"], "decimals": decimals}

    def condition(self, raw: Any, place: str, *, unknown: str = "") -> dict | None:
        """Return condition `raw` validated: in a framework file, it names earlier questions."""
        if raw is None:
            return None
        try:
            return parse_condition(
                raw,
                place=place,
                questions=self.questions,
                unknown=unknown or "is not a question defined earlier in the file",
            )
        except ConditionError as fault:
            self.fail(fault.place, fault.problem)

    def checks(self, raw: Any, framework: dict) -> list[dict]:
        """Return the rules of a checks file for the validated `framework`."""
        raw = self.mapping(raw, "top level", {"framework", "version", "rules"}, set())
        # The file beside a framework file is its checks, whatever version the header gives.
        if str(raw["framework"]) != framework["framework"]:
            self.fail("framework", f"{raw['framework']!r} is not {framework['framework']!r}")
        rules, keys = [], set()
        for i, item in enumerate(self.listed(raw["rules"], "rules")):
            place = f"rules[{i}]"
            item = self.mapping(item, place, {"key"}, {"kind", "key_question", "when", "message"})
            key = self.string(item["key"], f"{place}.key")
            if key in keys:
                self.fail(f"{place}.key", f"{key} is used twice")
            keys.add(key)
            kind = self.string(item.get("kind") or "answers", f"{place}.kind")
            if kind not in CHECK_KINDS:
                self.fail(f"{place}.kind", f"must be one of {', '.join(sorted(CHECK_KINDS))}")
            rule = {"key": key, "kind": kind, "key_question": "", "when": None, "message": ""}
            if kind == "answers":
                for needed in ("key_question", "when", "message"):
                    if needed not in item:
                        self.fail(place, f"an answers rule needs {needed}")
                rule["key_question"] = self.string(item["key_question"], f"{place}.key_question")
                codes = {
                    kq["code"]
                    for section in framework["sections"]
                    for kq in section["key_questions"]
                }
                if rule["key_question"] not in codes:
                    self.fail(
                        f"{place}.key_question", f"{rule['key_question']} is not a key question"
                    )
                rule["when"] = self.condition(
                    item["when"], f"{place}.when", unknown="is not a question of the framework"
                )
                rule["message"] = " ".join(self.string(item["message"], f"{place}.message").split())
            rules.append(rule)
        return rules


def _labelled(place: str, raw: Any) -> str:
    """Return `place` with the item's code, when it has one, so that faults name it."""
    code = raw.get("code") if isinstance(raw, dict) else None
    return f"{place} ({code})" if isinstance(code, str) and code.strip() else place


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )
