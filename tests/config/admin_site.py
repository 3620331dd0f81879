"""An admin site with pages for reviews and answers, which the real admin does not have.

It shows that any such page, built on ProjectModelAdmin, keeps the judgements and
records its views: the rules follow the models, not a list of pages.
"""

from django.contrib.admin import AdminSite
from django.urls import path

from casereview.models import Answer, Review
from config.admin_base import ProjectModelAdmin
from inspection.admin import CaseAdmin, InspectionAdmin
from inspection.models import Case, Inspection

site = AdminSite(name="admin")  # the name the admin's templates reverse


class ReviewAdmin(ProjectModelAdmin):
    list_display = ["case", "status"]


class AnswerAdmin(ProjectModelAdmin):
    list_display = ["question", "review"]


site.register(Inspection, InspectionAdmin)
site.register(Case, CaseAdmin)
site.register(Review, ReviewAdmin)
site.register(Answer, AnswerAdmin)

urlpatterns = [path("admin/", site.urls)]
