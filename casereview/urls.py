from django.urls import path

from casereview import views

app_name = "casereview"
urlpatterns = [
    path("<uuid:public_id>/", views.case_start, name="case"),
    path("<uuid:public_id>/check/", views.check_answers, name="check"),
    path("<uuid:public_id>/submit/", views.submit, name="submit"),
    path("<uuid:public_id>/<str:code>/", views.case_page, name="page"),
    path("<uuid:public_id>/answers/<str:code>/", views.answer_autosave, name="autosave"),
]
