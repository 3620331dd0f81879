"""Write inspections, their teams and their case samples."""

import secrets
from collections.abc import Iterable
from itertools import islice

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from config.bulk import Copy, copy_supported, new_ids
from inspection.case_refs import case_ref_clean
from inspection.models import SAMPLE_FIELDS, Case, Inspection, Membership, Provider
from inspection.permissions import Action, roles_for
from inspection.sample_import import SampleFile, read_sample
from standards.models import FrameworkVersion


@transaction.atomic
def admin_user_ensure(*, username: str = "admin", password: str | None = None) -> tuple[str, bool]:
    """Make sure superuser `username` exists; return (password, whether it was set now).

    With no password given, an existing admin keeps theirs and a new one gets a
    random one, returned so that it can be shown once.
    """
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None and not password:
        return "", False
    if user is None:
        user = user_model(username=username, is_staff=True, is_superuser=True)
    password = password or secrets.token_urlsafe(12)
    user.is_staff = user.is_superuser = user.is_active = True
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return password, True


@transaction.atomic
def inspection_create(
    *,
    name: str,
    slug: str,
    framework_version: FrameworkVersion,
    area: str = "",
    providers: Iterable[tuple[str, str]] = (),
    fieldwork_start=None,
    fieldwork_end=None,
    status: str = Inspection.Status.SETTING_UP,
) -> Inspection:
    """Create an inspection bound to `framework_version`, with the providers it inspects."""
    if framework_version.status != FrameworkVersion.Status.PUBLISHED:
        raise ValidationError("An inspection uses a published framework version.")
    if fieldwork_start and fieldwork_end and fieldwork_end < fieldwork_start:
        raise ValidationError("Fieldwork cannot end before it starts.")
    inspection = Inspection(
        name=name,
        slug=slug,
        area=area,
        framework_version=framework_version,
        fieldwork_start=fieldwork_start,
        fieldwork_end=fieldwork_end,
        status=status,
    )
    inspection.full_clean()
    inspection.save()
    for kind, provider_name in providers:
        provider = Provider(inspection=inspection, kind=kind, name=provider_name)
        provider.full_clean()
        provider.save()
    return inspection


@transaction.atomic
def membership_set(*, inspection: Inspection, user, role: str, by=None) -> Membership:
    """Give `user` `role` in `inspection` (one role per person and inspection)."""
    membership, created = Membership.objects.select_for_update().get_or_create(
        inspection=inspection, user=user, defaults={"role": role}
    )
    old_role = None if created else membership.role
    membership.role = role
    membership.full_clean()
    membership.save()
    if old_role != role:
        audit_record(
            action=AuditEvent.Action.ROLE_CHANGED,
            user=by,
            obj=user,
            inspection=inspection,
            detail={"from": old_role, "to": role},
        )
    return membership


@transaction.atomic
def case_sample_import(*, inspection: Inspection, data: bytes) -> SampleFile:
    """Add the cases in CSV `data` to the sample, all of them or, if any row is bad, none."""
    # Lock the inspection so that two imports cannot both pass the duplicate check.
    Inspection.objects.select_for_update().get(pk=inspection.pk)
    existing = set(inspection.cases.values_list("case_ref", flat=True))
    sample = read_sample(data, existing_refs=existing)
    if sample.errors:
        return sample
    Case.objects.bulk_create(Case(inspection=inspection, **row) for row in sample.rows)
    return sample


@transaction.atomic
def case_save(*, inspection: Inspection, case: Case | None = None, **values) -> Case:
    """Add a case to the sample by hand, or correct `case`; only the sample's own fields.

    The reference must follow the one rule for references (inspection.case_refs),
    here as in the sample and dataset imports.
    """
    unknown = set(values) - set(SAMPLE_FIELDS)
    if unknown:
        raise ValueError(f"Not case fields: {', '.join(sorted(unknown))}")
    if case is None:
        case = Case(inspection=inspection)
    elif case.inspection_id != inspection.pk:
        raise ValueError("The case belongs to another inspection.")
    for name, value in values.items():
        setattr(case, name, value)
    try:
        case.case_ref = case_ref_clean(case.case_ref)
    except ValidationError as invalid:
        raise ValidationError({"case_ref": invalid.messages}) from None
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def cases_allocate(*, inspection: Inspection, cases: Iterable[Case], inspector, by=None) -> int:
    """Allocate `cases` of `inspection` to `inspector` (None: unallocate); return how many."""
    if (
        inspector is not None
        and not Membership.objects.filter(
            inspection=inspection, user=inspector, role__in=roles_for(Action.ANSWER)
        ).exists()
    ):
        raise ValidationError(f"{inspector} is not an inspector on {inspection}.")
    ids = [case.pk for case in cases]
    if Case.objects.filter(pk__in=ids).exclude(inspection=inspection).exists():
        raise ValidationError("Some of those cases belong to another inspection.")
    changing = (
        Case.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .exclude(allocated_to=inspector)
        .select_related("allocated_to")
    )
    for case in changing:
        audit_record(
            action=AuditEvent.Action.ALLOCATION_CHANGED,
            user=by,
            obj=case,
            detail={"from": _username(case.allocated_to), "to": _username(inspector)},
        )
    return Case.objects.filter(pk__in=ids).update(allocated_to=inspector)


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def cases_store(
    *, inspection: Inspection, fields: tuple[str, ...], rows: Iterable[tuple], count: int
) -> list[int]:
    """Store `count` checked cases of `inspection` at once; return their ids, in order.

    Each row gives the values of `fields` (of SAMPLE_FIELDS), checked already by the
    rules an import shares with the forms (inspection.sample_import, case_refs), and
    ready for the database. For the dataset import, which stores many thousands of cases:
    COPY where the database has it, else bulk_create a chunk at a time.
    """
    unknown = set(fields) - set(SAMPLE_FIELDS)
    if unknown:
        raise ValueError(f"Not case fields: {', '.join(sorted(unknown))}")
    if copy_supported():
        ids = new_ids(Case, count)
        copy = Copy(
            Case, ("id", *fields), fixed={"inspection_id": inspection.pk}, now=timezone.now()
        )
        copy.run((id_, *row) for id_, row in zip(ids, rows, strict=True))
        return ids
    ids = []
    rows = iter(rows)
    while chunk := list(islice(rows, BULK_CHUNK)):
        cases = Case.objects.bulk_create(
            Case(inspection=inspection, **dict(zip(fields, row, strict=True))) for row in chunk
        )
        ids.extend(case.pk for case in cases)
    return ids


BULK_CHUNK = 5_000  # rows stored by one bulk_create where there is no COPY
