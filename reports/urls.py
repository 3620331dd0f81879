from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("inspections/<uuid:public_id>/report/", views.report_page, name="page"),
    path("inspections/<uuid:public_id>/report/narrative/", views.narrative_edit, name="narrative"),
    path("inspections/<uuid:public_id>/assessments.csv", views.export_csv, name="export"),
    path("reports/<uuid:public_id>/", views.job_status, name="job"),
    path("reports/<uuid:public_id>/download/", views.download, name="download"),
]
