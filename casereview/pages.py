"""Assemble the case form's pages from the framework: navigation, question blocks, answers."""

from dataclasses import dataclass, field

from django.urls import reverse

from casereview.answers.progress import COMPLETE, IN_PROGRESS, NOT_STARTED, STATE_LABELS
from casereview.answers.selectors import review_overview
from casereview.answers.values import display_value, slot
from casereview.forms import QuestionForm
from casereview.models import Answer, Review
from standards.checks import Flag, checks_for, evaluate
from standards.models import KeyQuestion, Question

NOT_APPLICABLE = "not_applicable"
NAV_LABELS = {**STATE_LABELS, NOT_APPLICABLE: "Not applicable"}


@dataclass
class Block:
    """One question on a page: its form when it applies, else why it does not."""

    question: Question
    applies: bool
    form: QuestionForm | None = None
    answer: Answer | None = None
    status: str = ""

    @property
    def slot(self) -> str:
        return slot(self.question.code)

    @property
    def shown_value(self) -> str:
        return display_value(self.question, self.answer.value if self.answer else None)


@dataclass
class NavItem:
    code: str
    title: str
    state: str
    url: str
    current: bool = False

    @property
    def state_label(self) -> str:
        return NAV_LABELS[self.state]


@dataclass
class NavSection:
    code: str
    title: str
    items: list[NavItem] = field(default_factory=list)


@dataclass
class CasePages:
    """Everything the case form needs about one review, read in a few queries."""

    review: Review
    questions: list[Question]
    answers: dict[str, Answer]
    applies: dict[str, bool]
    missing: list
    by_section: dict[str, str]
    by_key_question: dict[str, str]

    @classmethod
    def load(cls, review: Review) -> "CasePages":
        overview = review_overview(review=review)
        state = overview.state
        return cls(
            review,
            overview.questions,
            overview.answers,
            state.applies,
            state.missing,
            state.by_section,
            state.by_key_question,
        )

    def key_questions(self) -> list[KeyQuestion]:
        seen, ordered = set(), []
        for question in self.questions:
            if question.key_question_id not in seen:
                seen.add(question.key_question_id)
                ordered.append(question.key_question)
        return ordered

    def key_question(self, code: str) -> KeyQuestion | None:
        return next((kq for kq in self.key_questions() if kq.code == code), None)

    def next_key_question(self, code: str) -> KeyQuestion | None:
        codes = [kq.code for kq in self.key_questions()]
        index = codes.index(code)
        return self.key_question(codes[index + 1]) if index + 1 < len(codes) else None

    def url_after_save(self, code: str, *, go_on: bool) -> str:
        """Where a saved page leads: the same page, or the next, or check your answers."""
        following = self.next_key_question(code) if go_on else self.key_question(code)
        case_id = self.review.case.public_id
        if following is None:
            return reverse("casereview:check", args=[case_id])
        return reverse("casereview:page", args=[case_id, following.code])

    def missing_by_key_question(self) -> dict[str, list]:
        """What is still to give, grouped by key question in the framework's order."""
        groups: dict[str, list] = {}
        for item in self.missing:
            groups.setdefault(item.key_question, []).append(item)
        return groups

    def key_question_state(self, code: str) -> str:
        return self.by_key_question.get(code, NOT_APPLICABLE)

    def navigation(self, current: str = "") -> list[NavSection]:
        sections: list[NavSection] = []
        for kq in self.key_questions():
            section = kq.section
            if not sections or sections[-1].code != section.code:
                sections.append(NavSection(section.code, section.title))
            title = kq.title if kq.kind == KeyQuestion.Kind.BACKGROUND else f"{kq.code} {kq.title}"
            url = reverse("casereview:page", args=[self.review.case.public_id, kq.code])
            sections[-1].items.append(
                NavItem(kq.code, title, self.key_question_state(kq.code), url, kq.code == current)
            )
        return sections

    def blocks(self, key_question: KeyQuestion, data=None) -> list[Block]:
        """Return the page's question blocks; `data` binds the forms to a posted page."""
        blocks = []
        for question in self.questions:
            if question.key_question_id != key_question.pk:
                continue
            blocks.append(self.block(question, data=data))
        return blocks

    def block(self, question: Question, data=None) -> Block:
        answer = self.answers.get(question.code)
        applies = self.applies[question.code]
        form = QuestionForm(data, question=question, answer=answer) if applies else None
        return Block(question, applies, form, answer)

    def answered_sections(self) -> list[dict]:
        """Return the sections, each with its key questions and their applicable blocks."""
        sections: list[dict] = []
        for kq in self.key_questions():
            blocks = [block for block in self.blocks(kq) if block.applies]
            if not sections or sections[-1]["code"] != kq.section.code:
                sections.append({"code": kq.section.code, "title": kq.section.title, "groups": []})
            sections[-1]["groups"].append({"key_question": kq, "blocks": blocks})
        return sections

    def first_unfinished(self) -> str:
        for kq in self.key_questions():
            if self.key_question_state(kq.code) in (NOT_STARTED, IN_PROGRESS):
                return kq.code
        return self.key_questions()[0].code

    @property
    def is_complete(self) -> bool:
        return not self.missing

    def flags(self) -> list[Flag]:
        """Return the consistency checks' flags on this review's answers."""
        rules = checks_for(self.review.case.inspection.framework_version)
        values = {code: answer.value for code, answer in self.answers.items()}
        return evaluate(rules, self.questions, values, self.applies)


__all__ = ["COMPLETE", "Block", "CasePages", "NavSection"]
