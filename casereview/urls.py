from django.urls import path

from casereview.views import inspector, lead, moderation

app_name = "casereview"
urlpatterns = [
    path("<uuid:public_id>/", inspector.case_start, name="case"),
    path("<uuid:public_id>/check/", inspector.check_answers, name="check"),
    path("<uuid:public_id>/submit/", inspector.submit, name="submit"),
    path("<uuid:public_id>/answers/<str:code>/", inspector.answer_autosave, name="autosave"),
    path("<uuid:public_id>/queries/<uuid:query_id>/reply/", inspector.reply_query, name="reply"),
    path("<uuid:public_id>/review/", lead.lead_case, name="lead"),
    path("<uuid:public_id>/review/queries/", lead.raise_query, name="raise_query"),
    path(
        "<uuid:public_id>/review/queries/<uuid:query_id>/close/",
        lead.close_query,
        name="close_query",
    ),
    path("<uuid:public_id>/review/move/", lead.move, name="move"),
    path(
        "<uuid:public_id>/review/examples/<str:code>/", lead.decide_example, name="decide_example"
    ),
    path("moderation/<uuid:public_id>/", moderation.moderate, name="moderate"),
    path("<uuid:public_id>/<str:code>/", inspector.case_page, name="page"),
]
