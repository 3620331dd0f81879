from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from casereview.views.inspector import my_cases
from config import views
from config.access import PUBLIC, access
from config.sign_in import SignInView

admin.site.site_header = "Case assessment administration"
admin.site.site_title = "Case assessment"

urlpatterns = [
    path("", my_cases, name="home"),
    path("session/keepalive/", views.session_keepalive, name="session_keepalive"),
    path(
        "sign-in/",
        access(PUBLIC)(SignInView.as_view()),
        name="login",
    ),
    path("sign-out/", access(PUBLIC)(auth_views.LogoutView.as_view()), name="logout"),
    path("frameworks/", include("standards.urls")),
    path("inspections/", include("inspection.urls")),
    path("", include("casereview.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
]
