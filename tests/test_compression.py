"""Pages travel compressed to browsers that accept it: connections in Lai Châu are slow."""

from __future__ import annotations

import gzip

from django.urls import reverse


def test_the_overview_travels_compressed_and_unpacks_to_the_same_page(
    client, office_user, programme
):
    client.force_login(office_user)
    plain = client.get(reverse("dashboards:overview"))
    packed = client.get(reverse("dashboards:overview"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    page = gzip.decompress(packed.content).decode()
    assert page.startswith("<!DOCTYPE html>") and "</html>" in page
    assert len(packed.content) < len(plain.content) / 3


def test_the_api_answers_compressed_too(client, office_user, programme, small_tree):
    client.force_login(office_user)
    url = reverse("api:progress") + f"?unit={small_tree.province.code}&period=2025"
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert b'"indicators"' in gzip.decompress(response.content)
