from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from nrm.accounts.views import members, notifications, security, signin

app_name = "accounts"
urlpatterns = [
    path("login/", signin.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/enrol/", signin.two_factor_enrol_view, name="two_factor_enrol"),
    path("two-factor/verify/", signin.two_factor_verify_view, name="two_factor_verify"),
    path("password/", signin.password_change_view, name="password_change"),
    path("security/", security.security_view, name="security"),
    path("security/tokens/", security.api_token_create_view, name="api_token_create"),
    path("security/tokens/<int:token_id>/revoke/", security.api_token_revoke_view,
         name="api_token_revoke"),
    path("act-for/", security.membership_choose_view, name="membership_choose"),
    path("notifications/", notifications.notifications_view, name="notifications"),
    path("notifications/read/", notifications.notifications_read_view,
         name="notifications_read"),
    path("notifications/<int:notification_id>/", notifications.notification_open_view,
         name="notification_open"),
    path("members/", members.members_view, name="members"),
    path("members/add/", members.member_add_view, name="member_add"),
    path("members/<int:membership_id>/deactivate/", members.member_deactivate_view,
         name="member_deactivate"),
]
