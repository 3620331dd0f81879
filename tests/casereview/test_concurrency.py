"""Two people at once: state changes and saves wait for each other's row locks, and lose nothing.

Each session is a thread with its own database connection. The first holds its
transaction open at the point where a real request would be between reading and
committing; the second must wait for it, then see what it committed.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from casereview.answers.services import StaleAnswer, answer_save
from casereview.models import Answer, AnswerChange, ReviewEvent
from casereview.workflow.services import review_start, review_submit, review_transition
from inspection.models import Case
from inspection.services import case_sample_import
from standards.models import Question
from tests.casereview.helpers import complete

pytestmark = pytest.mark.django_db(transaction=True)
BLOCKED_FOR = 0.5  # seconds the second session must still be waiting


class Session(threading.Thread):
    """Run `work` in a transaction of its own; with hold=True keep it open until released."""

    def __init__(self, work, *, hold=False):
        super().__init__(daemon=True)
        self.work, self.hold = work, hold
        self.done_work, self.release = threading.Event(), threading.Event()
        self.result = self.error = None

    def run(self):
        try:
            with transaction.atomic():
                self.result = self.work()
                self.done_work.set()
                if self.hold:
                    self.release.wait(timeout=30)
        except Exception as error:  # the test looks at it
            self.error = error
        finally:
            self.done_work.set()
            connection.close()

    def finish(self):
        self.release.set()
        self.join(timeout=30)
        assert not self.is_alive()


def one_after_another(first, second):
    """Run `first` holding its transaction, start `second`, check it waits, then let both end."""
    holder = Session(first, hold=True)
    holder.start()
    assert holder.done_work.wait(timeout=30) and holder.error is None, holder.error
    waiter = Session(second)
    waiter.start()
    time.sleep(BLOCKED_FOR)
    still_waiting = waiter.is_alive()
    holder.finish()
    waiter.finish()
    assert holder.error is None, holder.error
    return still_waiting, waiter


@pytest.fixture
def submitted(case, inspector):
    review = review_start(case=case)
    complete(review, inspector)
    review_submit(review=review, by=inspector)
    return review


def test_two_leads_agreeing_at_once_agree_once(submitted, lead):
    def agree():
        return review_transition(review=submitted, to_status="agreed", by=lead)

    still_waiting, second = one_after_another(agree, agree)

    assert still_waiting, "the second move did not wait for the first one's lock"
    assert isinstance(second.error, ValidationError)
    assert ReviewEvent.objects.filter(review=submitted, to_status="agreed").count() == 1


def test_a_move_waits_for_a_save_in_progress_and_then_sees_it(case, inspector, lead):
    review = review_start(case=case)
    complete(review, inspector)
    question = Question.objects.get(framework_version=case.inspection.framework_version,
                                     code="A1S")  # fmt: skip
    version = Answer.objects.get(review=review, question=question).version

    def change_judgement():
        return answer_save(review=review, question=question, by=inspector,
                           expected_version=version, value="no", reasons="Changed.")  # fmt: skip

    def submit():
        return review_submit(review=review, by=inspector)

    still_waiting, second = one_after_another(change_judgement, submit)

    assert still_waiting
    assert second.error is None
    review.refresh_from_db()
    assert review.status == "submitted"
    assert Answer.objects.get(review=review, question=question).value == "no"


def test_two_sessions_saving_one_answer_from_the_same_version_never_overwrite(case, inspector):
    review = review_start(case=case)
    question = Question.objects.get(framework_version=case.inspection.framework_version,
                                    code="A1.1")  # fmt: skip

    def save(value):
        return lambda: answer_save(review=review, question=question, by=inspector,
                                   expected_version=0, value=value)  # fmt: skip

    still_waiting, second = one_after_another(save("yes"), save("no"))

    assert still_waiting
    assert isinstance(second.error, StaleAnswer)
    answer = Answer.objects.get(review=review, question=question)
    assert (answer.value, answer.version) == ("yes", 1)
    assert AnswerChange.objects.filter(review=review, question=question).count() == 1


SAMPLE = (
    b"case_ref,provider,gender,date_of_birth,age,ethnicity,supervision,sentence_date,"
    b"release_date,ogrs,rosh,mappa,ldu\n"
    b"T1,crc,male,1980-01-02,38,white,community,2018-01-15,,40,low,no,North\n"
    b"T2,nps,female,1990-03-04,27,black,post_custody,2017-06-01,2018-02-01,60,high,yes,South\n"
)


def test_two_leads_importing_the_same_sample_at_once_import_it_once(inspection):
    def import_sample():
        return case_sample_import(inspection=inspection, data=SAMPLE)

    still_waiting, second = one_after_another(import_sample, import_sample)

    assert still_waiting
    assert second.error is None and second.result.errors
    assert "already" in " ".join(str(e) for e in second.result.errors)
    assert Case.objects.filter(inspection=inspection).count() == 2
