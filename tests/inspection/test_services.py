"""Inspections, teams, cases by hand and allocation."""

import pytest
from django.core.exceptions import ValidationError

from inspection.models import Case, Inspection
from inspection.permissions import inspection_role
from inspection.selectors import inspections_visible_to
from inspection.services import case_save, cases_allocate, inspection_create, membership_set
from tests.factories import CaseFactory


def test_an_inspection_is_bound_to_a_published_framework(framework):
    inspection = inspection_create(
        name="Durham 2018", slug="durham-2018", framework_version=framework, area="Durham",
        providers=[("crc", "Durham Tees Valley CRC"), ("nps", "NPS North East")],
    )  # fmt: skip

    assert inspection.status == Inspection.Status.SETTING_UP
    assert [p.get_kind_display() for p in inspection.providers.all()] == ["CRC", "NPS"]


def test_an_unpublished_framework_cannot_be_used(framework):
    framework.status = "draft"
    framework.save()

    with pytest.raises(ValidationError, match="published framework"):
        inspection_create(name="X", slug="x", framework_version=framework)


def test_people_see_only_the_inspections_they_belong_to(
    inspection, inspector, outsider, admin_user
):
    assert list(inspections_visible_to(user=inspector)) == [inspection]
    assert inspection not in inspections_visible_to(user=outsider)
    assert inspection in inspections_visible_to(user=admin_user)
    assert inspection_role(inspector, inspection) == "inspector"
    assert inspection_role(outsider, inspection) is None
    assert inspection_role(admin_user, inspection) == "admin"


def test_a_person_has_one_role_per_inspection(inspection, inspector):
    membership_set(inspection=inspection, user=inspector, role="lead")

    assert inspection_role(inspector, inspection) == "lead"
    assert inspection.memberships.filter(user=inspector).count() == 1


def test_cases_are_added_and_corrected_by_hand(inspection):
    case = case_save(inspection=inspection, case_ref="H1", provider="nps", supervision="community")
    case_save(inspection=inspection, case=case, ogrs=77, rosh="high")

    case.refresh_from_db()
    assert (case.ogrs, case.rosh, case.provider) == (77, "high", "nps")
    with pytest.raises(ValidationError):
        case_save(inspection=inspection, case=case, ogrs=120)
    with pytest.raises(ValueError, match="Not case fields: allocated_to"):
        case_save(inspection=inspection, case=case, allocated_to=None)


def test_cases_are_allocated_in_bulk_to_an_inspector_of_the_inspection(
    inspection, inspector, writer
):
    cases = CaseFactory.create_batch(3, inspection=inspection)

    assert cases_allocate(inspection=inspection, cases=cases, inspector=inspector) == 3
    assert set(Case.objects.values_list("allocated_to", flat=True)) == {inspector.pk}
    with pytest.raises(ValidationError, match="is not an inspector"):
        cases_allocate(inspection=inspection, cases=cases, inspector=writer)


def test_cases_of_another_inspection_are_not_allocated(inspection, inspector, outsider):
    foreign = CaseFactory(inspection=outsider.memberships.get().inspection)

    with pytest.raises(ValidationError, match="another inspection"):
        cases_allocate(inspection=inspection, cases=[foreign], inspector=inspector)
    foreign.refresh_from_db()
    assert foreign.allocated_to is None
