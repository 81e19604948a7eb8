"""Unit codes: the rules live in `lib.identifiers` (account names follow the same look-alike
rule, and accounts sit below unions); this name stays for the unions app and its migrations."""

from lib.identifiers import (
    CODE_MAX_LENGTH,
    ID_KEY_PREFIX,
    code_cleaned,
    code_is_safe,
    code_problem,
    id_in_key,
    look_alike,
    skeleton,
    url_key,
    validate_unit_code,
)

__all__ = [
    "CODE_MAX_LENGTH",
    "ID_KEY_PREFIX",
    "code_cleaned",
    "code_is_safe",
    "code_problem",
    "id_in_key",
    "look_alike",
    "skeleton",
    "url_key",
    "validate_unit_code",
]
