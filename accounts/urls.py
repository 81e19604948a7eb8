from django.contrib.auth import views as auth_views
from django.urls import path

from . import self_service, views, views_office
from .forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            redirect_authenticated_user=True,
            authentication_form=LoginForm,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", self_service.account_me, name="me"),
    path("me/password/", self_service.PasswordChangeView.as_view(), name="password_change"),
    path("password-reset/", self_service.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        self_service.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        self_service.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        self_service.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("import/", views_office.accounts_import, name="import"),
    path("unit/<str:code>/", views_office.unit_accounts, name="unit"),
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("<int:pk>/", views.account_edit, name="edit"),
    path("<int:pk>/password/", views.account_password, name="password"),
    path("<int:pk>/active/", views.account_active, name="active"),
]
