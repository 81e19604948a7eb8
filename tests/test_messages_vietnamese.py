"""Messages a Vietnamese reader meets are in Vietnamese: Django's password validators and the
import commands included."""

from __future__ import annotations

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import translation

from accounts.models import User


def test_the_password_validators_speak_vietnamese():
    user = User(username="nguyenvana", first_name="Nguyen")
    with translation.override("vi"):
        with pytest.raises(ValidationError) as caught:
            password_validation.validate_password("123", user)
        messages = [*caught.value.messages, *password_validation.password_validators_help_texts()]
        null = str(ProhibitNullCharactersValidator.message)
    assert "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 8 ký tự." in messages
    assert not [m for m in messages if "password" in m.lower()]
    assert null == "Không được dùng ký tự rỗng (NUL)."


def test_import_values_counts_its_errors_in_vietnamese(tmp_path, programme):
    path = tmp_path / "values.csv"
    path.write_text("unit,period,field,value\nNOPE,2024Q3,members,1\nNOPE,2024Q3,members,2\n")
    with translation.override("vi"), pytest.raises(CommandError) as caught:
        call_command("import_values", str(path))
    assert str(caught.value) == "2 lỗi; chưa nhập gì."
