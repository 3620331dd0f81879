from django.urls import path

from standards import views

app_name = "standards"
urlpatterns = [
    path("", views.framework_list, name="frameworks"),
    path("<slug:framework>/<str:version>/", views.framework_detail, name="framework"),
    path(
        "<slug:framework>/<str:version>/data-dictionary.csv",
        views.framework_csv,
        name="framework_csv",
    ),
]
