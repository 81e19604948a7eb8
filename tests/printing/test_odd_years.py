"""Years typed oddly on the print pages: a page or a message, never a 500."""

from __future__ import annotations

import pytest

ODD = ["²", "①", "٢٠٢٥", "２０２５", "0", "99999", "99999999999999999999999", "-2025", " "]


@pytest.mark.parametrize("odd", ODD)
@pytest.mark.parametrize("page", ["/print/overview/", "/print/annual-report/"])
def test_an_odd_year_is_not_a_server_error(client, office_user, programme, page, odd):
    client.force_login(office_user)
    response = client.get(page, {"year": odd})
    assert response.status_code in (200, 400, 404), (page, odd, response.status_code)
