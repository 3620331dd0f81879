"""factory_boy factories for people, inspections and cases."""

import datetime

import factory
from django.contrib.auth import get_user_model

from inspection.models import Case, Inspection, Membership
from tests.constants import PASSWORD


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    password = factory.django.Password(PASSWORD)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    name = factory.Sequence(lambda n: f"Area {n} inspection")
    slug = factory.Sequence(lambda n: f"area-{n}")
    area = factory.Sequence(lambda n: f"Area {n}")
    status = Inspection.Status.FIELDWORK


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    inspection = factory.SubFactory(InspectionFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.INSPECTOR


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    case_ref = factory.Sequence(lambda n: f"C{n:04d}")
    provider = "crc"
    gender = "male"
    age = 30
    ethnicity = "white"
    supervision = "community"
    sentence_date = datetime.date(2018, 1, 15)
    ogrs = 55
    rosh = "medium"
    mappa = False
