"""Saving the case form from its pages: a whole page at once, or one answer as it is given.

The forms read what was posted; the answers' services save it; what comes back is what the
page shows next. Views only say which page and whose answers.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from casereview.answers.services import GivenAnswer, StaleAnswer, answer_save, answers_save_all
from casereview.pages import Block, CasePages
from config.forms import form_problems
from standards.models import KeyQuestion, Question


@dataclass
class PageSaved:
    """A posted page: saved whole, or its blocks to show again with what stopped it."""

    blocks: list[Block] = field(default_factory=list)

    @property
    def problems(self) -> list[Block]:
        return [block for block in self.blocks if block.status]


def page_save(*, page: CasePages, key_question: KeyQuestion, data, by) -> PageSaved:
    """Save every answer a page posted without JavaScript, or none."""
    data = data.copy()
    given, problems, prefixes = [], {}, {}
    for block in page.blocks(key_question, data=data):
        form = block.form
        if form is None or f"{form.prefix}-version" not in data:
            continue  # not shown on the page that posted
        code = block.question.code
        prefixes[code] = form.prefix
        if not form.is_valid():
            problems[code] = form_problems(form)
        else:
            given.append(GivenAnswer(block.question, form.cleaned_data["version"], form.parts()))
    saved = answers_save_all(review=page.review, answers=given, by=by, problems=problems)
    if not saved.problems:
        return PageSaved()
    for code, version in saved.newer_versions.items():
        data[f"{prefixes[code]}-version"] = version  # the person's answer, against the newer one
    blocks = page.blocks(key_question, data=data)
    for block in blocks:
        block.status = saved.problems.get(block.question.code, "")
    return PageSaved(blocks)


@dataclass
class Autosaved:
    """One answer given as the inspector went: its block and the blocks it showed or hid."""

    block: Block
    saved: bool
    stale: bool
    status: str
    changed: list[Block]


def page_autosave(*, page: CasePages, question: Question, data, by) -> Autosaved:
    """Save one question's answer; say what changed on its page (questions shown or hidden)."""
    before = dict(page.applies)
    form = page.block(question, data=data).form
    saved, stale, status = False, False, ""
    if not form.is_valid():
        status = form_problems(form)
    else:
        try:
            result = answer_save(
                review=page.review,
                question=question,
                by=by,
                expected_version=form.cleaned_data["version"],
                **form.parts(),
            )
        except StaleAnswer as refused:
            stale, status = True, refused.message
            page = CasePages.load(page.review)  # show the newer answer
        except ValidationError as invalid:
            status = " ".join(invalid.messages)
        else:
            saved = True
            page.answers[question.code], page.applies = result.answer, result.applies
    block = page.block(question)
    block.status = status if stale else ""
    changed = [
        page.block(q)
        for q in page.questions
        if q.key_question_id == question.key_question_id
        and q.code != question.code
        and page.applies[q.code] != before[q.code]
    ]
    return Autosaved(block, saved, stale, status, changed)
