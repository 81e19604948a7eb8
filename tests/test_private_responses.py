"""Signed-in pages and downloads are not kept by caches; every answer limits browser features."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.reports.test_excel import q3, report

__all__ = ["q3", "report"]  # fixtures


def test_a_signed_in_page_and_a_download_are_no_store(client, district_reporter, report):
    client.force_login(district_reporter)
    page = client.get(reverse("unions:tree"))
    download = client.get(reverse("reports:excel_download", args=[report.pk]))
    api = client.get("/api/v1/units/")
    for response in (page, download, api):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_every_answer_carries_a_permissions_policy(db):
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    public = Client().get("/api/v1/openapi.json")  # public and the same for all: cacheable
    assert "camera=()" in public["Permissions-Policy"]
    assert "no-store" not in public.get("Cache-Control", "")
