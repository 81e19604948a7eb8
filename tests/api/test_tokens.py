"""People create and revoke their own tokens; only a hash of each is kept."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from api.models import ApiToken
from api.tokens import token_create
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def test_only_a_hash_of_the_token_is_stored(district_reporter):
    token, raw = token_create(district_reporter, "script")
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.objects.values().get())
    assert token.prefix == raw[:8]


def test_tokens_page_needs_a_login(client, db):
    response = client.get("/api/v1/tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_person_creates_a_token_and_sees_it_once(client, district_reporter, programme):
    client.force_login(district_reporter)
    response = client.post("/api/v1/tokens/", {"name": "weekly import"})
    assert response.status_code == 200
    raw = response.context["raw"]
    assert raw and raw in response.content.decode()
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (district_reporter, "weekly import")
    assert client.get("/api/v1/programmes/", **bearer(raw)).status_code == 200
    again = client.get("/api/v1/tokens/").content.decode()
    assert raw not in again and "weekly import" in again and token.prefix in again


def test_a_token_needs_a_name(client, district_reporter):
    client.force_login(district_reporter)
    response = client.post("/api/v1/tokens/", {"name": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_a_person_revokes_their_token(client, district_reporter, programme):
    token, raw = token_create(district_reporter, "old")
    client.force_login(district_reporter)
    response = client.post(f"/api/v1/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/programmes/", **bearer(raw)).status_code == 401


def test_nobody_can_revoke_or_see_another_persons_token(
    client, district_reporter, office_user, programme
):
    token, _raw = token_create(office_user, "office script")
    client.force_login(district_reporter)
    assert client.post(f"/api/v1/tokens/{token.pk}/revoke/").status_code == 404
    assert "office script" not in client.get("/api/v1/tokens/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_a_post(client, district_reporter):
    token, _raw = token_create(district_reporter, "old")
    client.force_login(district_reporter)
    assert client.get(f"/api/v1/tokens/{token.pk}/revoke/").status_code == 405


def test_the_command_prints_a_working_token_once(client, office_user, programme):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "office", "--name", "nightly", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert ApiToken.objects.get().name == "nightly"
    assert "cannot be shown again" in err.getvalue()
    assert client.get("/api/v1/programmes/", **bearer(raw)).status_code == 200


def test_the_command_refuses_unknown_and_disabled_accounts(office_user):
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", "--name", "x", stdout=io.StringIO())
    office_user.is_active = False
    office_user.save()
    with pytest.raises(CommandError):
        call_command("create_api_token", "office", "--name", "x", stdout=io.StringIO())
