"""Error pages speak the portal's language, keep its header, and lead back home."""

from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error


def vietnamese(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    if user is not None:
        client.force_login(user)
    return client


def test_a_unit_outside_the_readers_reach_is_a_vietnamese_404(district_reporter):
    response = vietnamese(district_reporter).get(reverse("dashboards:unit", args=["D1"]))
    assert response.status_code == 404
    page = response.text
    assert '<html lang="vi">' in page and "Không tìm thấy trang" in page
    assert 'class="top"' in page and f'href="{reverse("home")}"' in page  # header and a way back
    assert "Not Found" not in page


def test_a_page_the_role_may_not_open_is_a_vietnamese_403(committee_user):
    response = vietnamese(committee_user).get(reverse("audit:list"))
    assert response.status_code == 403
    assert "Không được phép" in response.text and '<html lang="vi">' in response.text


def test_an_expired_form_says_what_to_do(office_user):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(office_user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.text and "tải lại trang" in response.text


def test_a_server_error_page_needs_nothing_but_the_language(rf):
    with translation.override("vi"):
        response = server_error(rf.get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="vi">' in page and "Đã xảy ra lỗi" in page and 'href="/"' in page
