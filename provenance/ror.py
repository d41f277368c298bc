"""ROR identifiers (https://ror.org/): a 0, six characters of Crockford's base32 and two
check digits, ISO 7064 Mod 97-10 of the number the first seven characters encode."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.iso7064 import mod_97_10

CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
ROR_ID = re.compile(r"0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}")
ROR_PREFIX = re.compile(r"^(?:https?://)?ror\.org/", re.IGNORECASE)


def normalize_ror(value: str) -> str:
    """The bare identifier: lower case, without the https://ror.org/ prefix."""
    return ROR_PREFIX.sub("", str(value).strip()).lower()


def is_valid_ror(value: str) -> bool:
    ror = normalize_ror(value)
    if not ROR_ID.fullmatch(ror):
        return False
    number = 0
    for char in ror[:7]:
        number = number * 32 + CROCKFORD.index(char)
    return mod_97_10.calc_check_digits(str(number)) == ror[7:]


def validate_ror(value: str) -> None:
    if value and not is_valid_ror(value):
        raise ValidationError(
            _("%(value)s is not a ROR identifier (such as 02feahw73): check its digits."),
            code="invalid_ror",
            params={"value": value},
        )


def ror_url(value: str) -> str:
    return f"https://ror.org/{normalize_ror(value)}" if value else ""
