from django.urls import path

from casereview.views import inspector, lead, moderation

app_name = "casereview"
INSPECTION = "inspections/<uuid:public_id>"
CASE = "cases/<uuid:public_id>"
urlpatterns = [
    # An inspection's cases, for its leads.
    path(f"{INSPECTION}/dashboard/", lead.inspection_dashboard, name="dashboard"),
    path(f"{INSPECTION}/examples/", lead.inspection_examples, name="examples"),
    path(f"{INSPECTION}/moderation/", moderation.moderation_overview, name="moderation"),
    path(
        f"{INSPECTION}/moderation/choose/",
        moderation.moderation_choose,
        name="moderation_choose",
    ),
    # One case: the inspector's form, and the lead's review.
    path(f"{CASE}/", inspector.case_start, name="case"),
    path(f"{CASE}/check/", inspector.check_answers, name="check"),
    path(f"{CASE}/submit/", inspector.submit, name="submit"),
    path(f"{CASE}/answers/<str:code>/", inspector.answer_autosave, name="autosave"),
    path(f"{CASE}/queries/<uuid:query_id>/reply/", inspector.reply_query, name="reply"),
    path(f"{CASE}/review/", lead.lead_case, name="lead"),
    path(f"{CASE}/review/queries/", lead.raise_query, name="raise_query"),
    path(f"{CASE}/review/queries/<uuid:query_id>/close/", lead.close_query, name="close_query"),
    path(f"{CASE}/review/move/", lead.move, name="move"),
    path(f"{CASE}/review/examples/<str:code>/", lead.decide_example, name="decide_example"),
    path("cases/moderation/<uuid:public_id>/", moderation.moderate, name="moderate"),
    path(f"{CASE}/<str:code>/", inspector.case_page, name="page"),
]
