from django.urls import path

from inspection import views

app_name = "inspection"
urlpatterns = [
    path("<uuid:public_id>/", views.inspection_detail, name="detail"),
    path("<uuid:public_id>/import/", views.sample_import, name="import"),
    path("<uuid:public_id>/cases/add/", views.case_edit, name="case_add"),
    path("<uuid:public_id>/cases/<uuid:case_id>/", views.case_edit, name="case_edit"),
    path("<uuid:public_id>/allocate/", views.allocate, name="allocate"),
]
