"""Who may GET and POST every inspection, case, answer, review, report and export URL.

One test per (URL, visitor, method), against real objects (tests/security/world.py).
Each expected outcome is written in MATRIX below:

- S: a signed-out visitor is sent to sign in;
- 404: the visitor may not know the object exists (another inspection's anything; a case
  or report that is not theirs to open, whoever they are in its inspection);
- 403: the visitor knows the inspection (a member) but the action is not their role's;
- 405: the URL does not take that method (checked before anything is looked up);
- 200 or 302: allowed. An allowed POST must change what it is for (so that "refused and
  nothing changed" means something); a GET and a refused request change nothing.

Refused responses, and the pages of members who are not allocated the cases, never show
a case reference. The tests after the matrix look for leaks in lists, counts, the report
PDF and the CSV export, and check that no identifier in a URL can be guessed.
"""

import csv
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import UUIDConverter

from casereview.models import Answer
from inspection.models import Case, Membership
from reports.services import report_request
from tests.factories import CaseFactory
from tests.reports.helpers import pdf_pages
from tests.security.world import (
    A_EXAMPLE,
    A_REFS,
    A_SUMMARY,
    B_EXAMPLE,
    B_REF,
    B_SUMMARY,
    VISITORS,
    body,
    changed_tables,
    snapshot,
    world_in_rollback,
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from world_in_rollback(django_db_blocker, tmp_path_factory.mktemp("media"))


@dataclass(frozen=True)
class Row:
    name: str
    args: Callable  # world -> the URL's arguments
    get: str  # the expected outcome for each of VISITORS, in order
    post: str
    data: Callable = lambda world: {}  # world -> what an allowed POST sends

    def expected(self, method: str, visitor: str) -> str:
        outcomes = (self.get if method == "GET" else self.post).split()
        assert len(outcomes) == len(VISITORS), f"{self.name} {method}: {len(outcomes)} outcomes"
        return outcomes[VISITORS.index(visitor)]


def version(case, code) -> int:
    return Answer.objects.get(review__case=case, question__code=code).version


def sample_file(world):
    csv_text = "case_ref,provider,gender,age\nALPHA-IMPORTED-04,crc,male,40\n"
    return {"file": SimpleUploadedFile("sample.csv", csv_text.encode(), "text/csv")}


def case_fields(ref):
    return lambda world: {"case_ref": ref, "provider": "nps", "gender": "female", "age": "33"}


def inspection_id(world):
    return [world.inspection.public_id]


def returned(world):
    return [world.returned.public_id]


# fmt: off
MATRIX = [
    # get= and post= give the outcome for, in order: anonymous, outsider, other_inspector,
    # inspector (allocated the cases), lead, writer, admin.
    Row("inspection:detail", inspection_id,
        get= "S 404 200 200 200 200 200",
        post="S 405 405 405 405 405 405"),
    Row("inspection:import", inspection_id,
        get= "S 404 403 403 200 403 200",
        post="S 404 403 403 302 403 302", data=sample_file),
    Row("inspection:case_add", inspection_id,
        get= "S 404 403 403 200 403 200",
        post="S 404 403 403 302 403 302", data=case_fields("ALPHA-ADDED-05")),
    Row("inspection:case_edit", lambda w: [w.inspection.public_id, w.returned.public_id],
        get= "S 404 403 403 200 403 200",
        post="S 404 403 403 302 403 302", data=case_fields("ALPHA-CORRECTED-01")),
    Row("inspection:allocate", inspection_id,
        get= "S 405 405 405 405 405 405",
        post="S 404 403 403 302 403 302",
        data=lambda w: {"cases": [str(w.submitted.public_id)],
                        "inspector": str(w.other_inspector.pk)}),
    Row("casereview:dashboard", inspection_id,
        get= "S 404 403 403 200 403 200",
        post="S 405 405 405 405 405 405"),
    Row("casereview:examples", inspection_id,
        get= "S 404 403 403 200 403 200",
        post="S 405 405 405 405 405 405"),
    Row("casereview:moderation", inspection_id,
        get= "S 404 403 403 200 403 200",
        post="S 405 405 405 405 405 405"),
    Row("casereview:moderation_choose", inspection_id,
        get= "S 405 405 405 405 405 405",
        post="S 404 403 403 302 403 302",
        data=lambda w: {"moderator": str(w.other_inspector.pk),
                        "cases": [str(w.submitted.public_id)], "request_id": str(uuid.uuid4())}),
    # The inspector's case form: only the inspector the case is allocated to.
    Row("casereview:case", returned,
        get= "S 404 404 302 404 404 404",
        post="S 405 405 405 405 405 405"),
    Row("casereview:page", lambda w: [w.returned.public_id, "A1"],
        get= "S 404 404 200 404 404 404",
        post="S 404 404 302 404 404 404",
        data=lambda w: {"A1_1-value": "no", "A1_1-version": version(w.returned, "A1.1"),
                        "save": ""}),
    Row("casereview:autosave", lambda w: [w.returned.public_id, "A1.1"],
        get= "S 405 405 405 405 405 405",
        post="S 404 404 200 404 404 404",
        data=lambda w: {"A1_1-value": "no", "A1_1-version": version(w.returned, "A1.1")}),
    Row("casereview:check", returned,
        get= "S 404 404 200 404 404 404",
        post="S 405 405 405 405 405 405"),
    Row("casereview:submit", lambda w: [w.draft.public_id],
        get= "S 405 405 405 405 405 405",
        post="S 404 404 302 404 404 404"),
    Row("casereview:reply", lambda w: [w.returned.public_id, w.query.public_id],
        get= "S 405 405 405 405 405 405",
        post="S 404 404 302 404 404 404", data=lambda w: {"text": "ALPHA reply"}),
    # The lead inspector's review: leads of the case's inspection and admins.
    Row("casereview:lead", returned,
        get= "S 404 404 404 200 404 200",
        post="S 405 405 405 405 405 405"),
    Row("casereview:raise_query", returned,
        get= "S 405 405 405 405 405 405",
        post="S 404 404 404 302 404 302",
        data=lambda w: {"question": "A2.1", "text": "ALPHA another query"}),
    Row("casereview:close_query", lambda w: [w.returned.public_id, w.query.public_id],
        get= "S 405 405 405 405 405 405",
        post="S 404 404 404 302 404 302"),
    Row("casereview:move", lambda w: [w.submitted.public_id],
        get= "S 405 405 405 405 405 405",
        post="S 404 404 404 302 404 302", data=lambda w: {"to": "returned", "note": ""}),
    Row("casereview:decide_example", lambda w: [w.returned.public_id, "A1S"],
        get= "S 405 405 405 405 405 405",
        post="S 404 404 404 302 404 302",
        data=lambda w: {"decision": "approved", "text": "ALPHA example reworded"}),
    # A blind second review: its moderator only (here the lead), not even an admin.
    Row("casereview:moderate", lambda w: [w.moderation.public_id],
        get= "S 404 404 404 200 404 404",
        post="S 404 404 404 302 404 404",
        data=lambda w: {"A1-value": "no", "A1-reasons": "Moderator's reasons"}),
    # Reports and the dataset: leads, report writers and admins.
    Row("reports:page", inspection_id,
        get= "S 404 403 403 200 200 200",
        post="S 404 403 403 302 302 302", data=lambda w: {"kind": "final"}),
    Row("reports:narrative", inspection_id,
        get= "S 404 403 403 200 200 200",
        post="S 404 403 403 302 302 302",
        data=lambda w: {"summary": "ALPHA new summary", "key_findings": "",
                        "recommendations": ""}),
    Row("reports:export", inspection_id,
        get= "S 404 403 403 200 200 200",
        post="S 405 405 405 405 405 405"),
    Row("reports:job", lambda w: [w.job.public_id],
        get= "S 404 404 404 200 200 200",
        post="S 405 405 405 405 405 405"),
    Row("reports:download", lambda w: [w.job.public_id],
        get= "S 404 404 404 200 200 200",
        post="S 405 405 405 405 405 405"),
]
# fmt: on

# Allowed pages that must still show none of the inspection's cases to this visitor.
SHOWS_NO_CASES = {("inspection:detail", "other_inspector"), ("inspection:detail", "writer")}


@pytest.mark.parametrize(
    "row, visitor, method",
    [
        pytest.param(row, visitor, method, id=f"{row.name}-{visitor}-{method}")
        for row in MATRIX
        for visitor in VISITORS
        for method in ("GET", "POST")
    ],
)
def test_access_matrix(world, db, client, row, visitor, method):
    expected = row.expected(method, visitor)
    if visitor != "anonymous":
        client.force_login(world.person(visitor))
    url = reverse(row.name, args=row.args(world))
    where = f"{method} {url} ({row.name}) as {visitor}"
    before = snapshot()

    response = client.get(url) if method == "GET" else client.post(url, row.data(world))

    changed = changed_tables(before, snapshot())
    if expected == "S":
        assert response.status_code == 302, f"{where}: {response.status_code}, expected sign-in"
        assert response["Location"].startswith(f"{reverse('login')}?next="), where
    else:
        assert response.status_code == int(expected), (
            f"{where}: {response.status_code}, expected {expected}"
        )
    refused = expected == "S" or int(expected) >= 400
    if response.status_code == 302 and not refused:
        assert not response["Location"].startswith(reverse("login")), where
    if refused or (row.name, visitor) in SHOWS_NO_CASES:
        shown = [ref for ref in A_REFS if ref in body(response)]
        assert shown == [], f"{where} shows {shown}"
    if method == "POST" and not refused:
        assert changed, f"{where}: allowed, yet nothing changed (is the payload right?)"
    else:
        assert changed == [], f"{where} changed {changed}"


def url_names() -> set[str]:
    """Return the names of every inspection, case, report and export URL the app serves."""
    resolver = get_resolver()
    names = {n for n in resolver.reverse_dict if isinstance(n, str) and n.startswith("inspection")}
    for namespace in ("casereview", "inspection", "reports"):
        _, inner = resolver.namespace_dict[namespace]
        names |= {f"{namespace}:{n}" for n in inner.reverse_dict if isinstance(n, str)}
    return names


def test_the_matrix_has_one_row_for_every_url_and_an_outcome_for_every_visitor():
    rows = [row.name for row in MATRIX]

    assert len(rows) == len(set(rows))
    assert set(rows) == url_names()
    for row in MATRIX:
        for method in ("GET", "POST"):
            assert {row.expected(method, visitor) for visitor in VISITORS} <= {
                "S", "200", "302", "403", "404", "405"
            }  # fmt: skip


# Leaks in lists and counts


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return body(response)


def test_my_cases_lists_the_allocated_inspector_their_cases_and_open_queries(world, db, client):
    page = home(client, world.inspector)

    assert all(ref in page for ref in A_REFS)
    assert "Cases allocated to you (3)" in page
    assert f"Case <bdi>{A_REFS[0]}</bdi> was returned to you with 1 open query" in page
    assert B_REF not in page


def test_my_cases_shows_an_inspector_not_allocated_them_no_case_and_no_count(world, db, client):
    page = home(client, world.other_inspector)

    assert [ref for ref in A_REFS if ref in page] == []
    assert "No cases are allocated to you yet" in page
    assert "Cases allocated to you" not in page and "open quer" not in page


def test_my_cases_shows_the_outsider_nothing_of_another_inspection(world, db, client):
    page = home(client, world.outsider)

    assert [ref for ref in (*A_REFS, B_REF) if ref in page] == []
    assert "Alpha inspection" not in page and str(world.inspection.public_id) not in page
    assert "Bravo inspection</a> (fieldwork, 1 case)" in page  # their own sample's size only


def test_the_lead_of_one_inspection_gets_404_from_every_url_of_another(world, db, client):
    b, case = world.other_inspection, world.other_case
    client.force_login(world.lead)
    urls = [
        reverse(name, args=[b.public_id])
        for name in ("inspection:detail", "inspection:import", "inspection:case_add",
                     "casereview:dashboard", "casereview:examples", "casereview:moderation",
                     "reports:page", "reports:narrative", "reports:export")
    ] + [reverse("inspection:case_edit", args=[b.public_id, case.public_id])] + [
        reverse(name, args=[case.public_id])
        for name in ("casereview:case", "casereview:check", "casereview:lead")
    ] + [reverse("casereview:page", args=[case.public_id, "A1"])]  # fmt: skip
    # and A's lead names B's case under A's own inspection
    urls.append(reverse("inspection:case_edit", args=[world.inspection.public_id, case.public_id]))
    before = snapshot()

    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert B_REF not in body(response), url
        assert client.post(url, {"case_ref": "X", "summary": "X"}).status_code in (404, 405), url

    assert changed_tables(before, snapshot()) == []


def test_the_lead_s_pages_show_nothing_of_another_inspection(world, db, client):
    client.force_login(world.lead)
    names = ("inspection:detail", "casereview:dashboard", "casereview:examples",
             "casereview:moderation", "reports:page")  # fmt: skip

    pages = {name: body(client.get(reverse(name, args=[world.inspection.public_id])))
             for name in names}  # fmt: skip

    assert all(A_REFS[0] in pages[name] for name in names[:4])  # the pages that list cases
    for name, page in pages.items():
        assert [text for text in (B_REF, B_EXAMPLE, "BRAVO") if text in page] == [], name
    assert "ALPHA example as given" in pages["casereview:examples"]


def test_a_report_pdf_of_one_inspection_holds_nothing_of_another(world, db):
    with world.job.file.open("rb") as pdf:
        text = "\n".join(pdf_pages(pdf.read()))
    flat = " ".join(text.split())

    assert A_SUMMARY in flat and A_EXAMPLE in flat
    assert [part for part in (B_REF, B_SUMMARY, B_EXAMPLE, "BRAVO", "Bravo") if part in flat] == []
    # A's draft counts its returned and submitted cases; B's submitted case would make 3.
    assert "judged sufficient: 100.0% of 2 (" in flat
    assert "% of 3 (" not in flat


def test_the_csv_export_of_one_inspection_holds_none_of_another_s_rows(world, db, client):
    client.force_login(world.writer)

    response = client.get(reverse("reports:export", args=[world.inspection.public_id]))

    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert {row["case_ref"] for row in rows} == set(A_REFS)
    assert {row["inspection"] for row in rows} == {"alpha"}
    assert B_REF not in body(response)


def test_an_inspector_taken_off_the_inspection_loses_its_cases_at_once(world, db, client):
    # Cases stay allocated when an admin removes a member: the allocation alone opens nothing.
    Membership.objects.filter(inspection=world.inspection, user=world.inspector).delete()
    client.force_login(world.inspector)
    before = snapshot()

    page = home(client, world.inspector)
    case_id = world.returned.public_id
    responses = [
        client.get(reverse("casereview:page", args=[case_id, "A1"])),
        client.get(reverse("casereview:check", args=[case_id])),
        client.post(reverse("casereview:autosave", args=[case_id, "A1.1"]),
                    {"A1_1-value": "no", "A1_1-version": version(world.returned, "A1.1")}),
        client.post(reverse("casereview:submit", args=[world.draft.public_id])),
    ]  # fmt: skip

    assert [ref for ref in A_REFS if ref in page] == []
    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert changed_tables(before, snapshot()) == []


def test_a_moderator_taken_off_the_inspection_loses_the_moderation_at_once(world, db, client):
    Membership.objects.filter(inspection=world.inspection, user=world.lead).delete()
    url = reverse("casereview:moderate", args=[world.moderation.public_id])
    before = snapshot()

    page = home(client, world.lead)
    responses = [client.get(url), client.post(url, {"A1-value": "no"})]

    assert "Cases to moderate" not in page and A_REFS[0] not in page
    assert [r.status_code for r in responses] == [404, 404]
    assert changed_tables(before, snapshot()) == []


def test_a_case_allocated_in_the_admin_to_someone_outside_the_inspection_stays_closed_to_them(
    world, db, client
):
    Case.objects.filter(pk=world.draft.pk).update(allocated_to=world.outsider)
    client.force_login(world.outsider)

    page = home(client, world.outsider)
    response = client.get(reverse("casereview:check", args=[world.draft.public_id]))

    assert A_REFS[2] not in page
    assert response.status_code == 404 and A_REFS[2] not in body(response)


def test_the_report_page_lists_no_report_covering_an_inspection_the_visitor_does_not_report_on(
    world, db, client
):
    both, _ = report_request(inspections=[world.inspection, world.other_inspection],
                             final=False, by=world.admin)  # fmt: skip
    url = reverse("reports:page", args=[world.inspection.public_id])

    client.force_login(world.writer)
    writer_page = body(client.get(url))
    client.force_login(world.admin)
    admin_page = body(client.get(url))

    assert str(world.job.public_id) in writer_page
    assert str(both.public_id) not in writer_page
    assert str(both.public_id) in admin_page


# Identifiers


def walk(patterns, prefix=""):
    """Yield (route, converters) of every URL pattern outside the Django admin."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                converters = getattr(pattern.pattern, "converters", {})
                for route, inner in walk(pattern.url_patterns, prefix + str(pattern.pattern)):
                    yield route, {**converters, **inner}
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), dict(pattern.pattern.converters)


# The only parameters that are not object ids: a question's code, and a framework's
# slug and version label, which are the same for everyone and public to members.
NOT_IDS = {"code", "framework", "version"}


def test_every_object_in_a_url_is_named_by_a_uuid_never_a_number():
    routes = list(walk(get_resolver().url_patterns))
    parameters = {
        (route, name, type(converter).__name__)
        for route, converters in routes
        for name, converter in converters.items()
    }

    not_uuid = [(route, name, kind) for route, name, kind in parameters
                if name not in NOT_IDS and kind != UUIDConverter.__name__]  # fmt: skip
    numbers = [(route, name) for route, name, kind in parameters if kind == "IntConverter"]
    assert len(routes) > 30 and len({p for p in parameters if p[1] == "public_id"}) > 20
    assert not_uuid == [] and numbers == []


def test_public_ids_are_random_uuid4_with_nothing_to_guess_from_one_to_the_next(world, db):
    with_public_id = [
        m for m in apps.get_models() if "public_id" in {f.name for f in m._meta.fields}
    ]
    for model in with_public_id:
        public_id = model._meta.get_field("public_id")
        assert public_id.default is uuid.uuid4 and public_id.unique, model.__name__
        assert not public_id.editable, model.__name__  # no form can set it
    assert {m.__name__ for m in with_public_id} >= {
        "Inspection", "Case", "Review", "Query", "Moderation", "ReportJob"
    }  # fmt: skip

    ids = [CaseFactory(inspection=world.inspection).public_id for _ in range(20)]

    assert {i.version for i in ids} == {4} and {i.variant for i in ids} == {uuid.RFC_4122}
    steps = {b.int - a.int for a, b in zip(ids, ids[1:], strict=False)}
    assert len(steps) == len(ids) - 1  # not counting up by a fixed step
    assert len({i.hex[:8] for i in ids}) == len(ids)  # no shared time prefix (UUID1/6/7)
    assert len({i.node for i in ids}) == len(ids)  # no shared machine part (UUID1)
