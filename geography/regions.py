"""World regions used to browse the portal by geography.

Every ISO 3166-1 alpha-2 code known to django-countries is assigned to exactly one
:class:`Region`. The assignment follows the UN M49 geoscheme for continents, with the
portal-specific adjustments documented below:

* Americas: M49 "Northern America" (BM, CA, GL, PM, US) -> NORTH_AMERICA; the Caribbean,
  Central America (including Mexico) and South America -> LATIN_AMERICA.
* Europe: M49 Europe, plus Russia (the whole country), Cyprus, and the South Caucasus
  (AM, AZ, GE). M49 puts Cyprus and the Caucasus in Western Asia; we choose EUROPE for all
  three Caucasus states (Council of Europe members, EU Eastern Partnership).
* Middle East: the rest of M49 Western Asia (Gulf, Levant, Iraq, Yemen, Turkey) plus Iran,
  which M49 lists under Southern Asia. North Africa (including Egypt) stays in AFRICA.
* Asia: M49 Central, Southern (except Iran), South-eastern and Eastern Asia; Taiwan, which
  M49 does not list, goes with Eastern Asia.
* Antarctica: AQ plus the sub-Antarctic territories BV, GS, HM and TF (M49 would put them in
  South America, Oceania and Eastern Africa respectively). The Falkland Islands (FK) stay in
  LATIN_AMERICA as in M49.
* Small territories otherwise follow M49: IO, RE, YT and SH -> AFRICA; CX, CC, NF and UM ->
  OCEANIA; AX, FO, GI, GG, IM, JE and SJ -> EUROPE.
"""

import functools
import re

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.text import fold


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    NORTH_AMERICA = "north-america", _("North America")
    LATIN_AMERICA = "latin-america", _("Latin America and the Caribbean")
    EUROPE = "europe", _("Europe")
    # West Asia incl. Gulf, Levant, Turkey and Iran; North Africa stays in Africa.
    MIDDLE_EAST = "middle-east", _("Middle East")
    # Central, South, South-East and East Asia.
    ASIA = "asia", _("Asia")
    OCEANIA = "oceania", _("Oceania")
    # AQ plus southern territories (BV, GS, HM, TF).
    ANTARCTICA = "antarctica", _("Antarctica")


# One entry per django-countries code, sorted by code.
REGION_BY_COUNTRY: dict[str, str] = {
    "AD": Region.EUROPE,  # Andorra
    "AE": Region.MIDDLE_EAST,  # United Arab Emirates
    "AF": Region.ASIA,  # Afghanistan
    "AG": Region.LATIN_AMERICA,  # Antigua and Barbuda
    "AI": Region.LATIN_AMERICA,  # Anguilla
    "AL": Region.EUROPE,  # Albania
    "AM": Region.EUROPE,  # Armenia
    "AO": Region.AFRICA,  # Angola
    "AQ": Region.ANTARCTICA,  # Antarctica
    "AR": Region.LATIN_AMERICA,  # Argentina
    "AS": Region.OCEANIA,  # American Samoa
    "AT": Region.EUROPE,  # Austria
    "AU": Region.OCEANIA,  # Australia
    "AW": Region.LATIN_AMERICA,  # Aruba
    "AX": Region.EUROPE,  # Åland Islands
    "AZ": Region.EUROPE,  # Azerbaijan
    "BA": Region.EUROPE,  # Bosnia and Herzegovina
    "BB": Region.LATIN_AMERICA,  # Barbados
    "BD": Region.ASIA,  # Bangladesh
    "BE": Region.EUROPE,  # Belgium
    "BF": Region.AFRICA,  # Burkina Faso
    "BG": Region.EUROPE,  # Bulgaria
    "BH": Region.MIDDLE_EAST,  # Bahrain
    "BI": Region.AFRICA,  # Burundi
    "BJ": Region.AFRICA,  # Benin
    "BL": Region.LATIN_AMERICA,  # Saint Barthélemy
    "BM": Region.NORTH_AMERICA,  # Bermuda
    "BN": Region.ASIA,  # Brunei
    "BO": Region.LATIN_AMERICA,  # Bolivia
    "BQ": Region.LATIN_AMERICA,  # Bonaire, Sint Eustatius and Saba
    "BR": Region.LATIN_AMERICA,  # Brazil
    "BS": Region.LATIN_AMERICA,  # Bahamas (The)
    "BT": Region.ASIA,  # Bhutan
    "BV": Region.ANTARCTICA,  # Bouvet Island
    "BW": Region.AFRICA,  # Botswana
    "BY": Region.EUROPE,  # Belarus
    "BZ": Region.LATIN_AMERICA,  # Belize
    "CA": Region.NORTH_AMERICA,  # Canada
    "CC": Region.OCEANIA,  # Cocos (Keeling) Islands
    "CD": Region.AFRICA,  # Democratic Republic of the Congo
    "CF": Region.AFRICA,  # Central African Republic
    "CG": Region.AFRICA,  # Congo
    "CH": Region.EUROPE,  # Switzerland
    "CI": Region.AFRICA,  # Côte d'Ivoire
    "CK": Region.OCEANIA,  # Cook Islands
    "CL": Region.LATIN_AMERICA,  # Chile
    "CM": Region.AFRICA,  # Cameroon
    "CN": Region.ASIA,  # China
    "CO": Region.LATIN_AMERICA,  # Colombia
    "CR": Region.LATIN_AMERICA,  # Costa Rica
    "CU": Region.LATIN_AMERICA,  # Cuba
    "CV": Region.AFRICA,  # Cabo Verde
    "CW": Region.LATIN_AMERICA,  # Curaçao
    "CX": Region.OCEANIA,  # Christmas Island
    "CY": Region.EUROPE,  # Cyprus
    "CZ": Region.EUROPE,  # Czechia
    "DE": Region.EUROPE,  # Germany
    "DJ": Region.AFRICA,  # Djibouti
    "DK": Region.EUROPE,  # Denmark
    "DM": Region.LATIN_AMERICA,  # Dominica
    "DO": Region.LATIN_AMERICA,  # Dominican Republic
    "DZ": Region.AFRICA,  # Algeria
    "EC": Region.LATIN_AMERICA,  # Ecuador
    "EE": Region.EUROPE,  # Estonia
    "EG": Region.AFRICA,  # Egypt
    "EH": Region.AFRICA,  # Western Sahara
    "ER": Region.AFRICA,  # Eritrea
    "ES": Region.EUROPE,  # Spain
    "ET": Region.AFRICA,  # Ethiopia
    "FI": Region.EUROPE,  # Finland
    "FJ": Region.OCEANIA,  # Fiji
    "FK": Region.LATIN_AMERICA,  # Falkland Islands (Malvinas)
    "FM": Region.OCEANIA,  # Micronesia
    "FO": Region.EUROPE,  # Faroe Islands
    "FR": Region.EUROPE,  # France
    "GA": Region.AFRICA,  # Gabon
    "GB": Region.EUROPE,  # United Kingdom
    "GD": Region.LATIN_AMERICA,  # Grenada
    "GE": Region.EUROPE,  # Georgia
    "GF": Region.LATIN_AMERICA,  # French Guiana
    "GG": Region.EUROPE,  # Guernsey
    "GH": Region.AFRICA,  # Ghana
    "GI": Region.EUROPE,  # Gibraltar
    "GL": Region.NORTH_AMERICA,  # Greenland
    "GM": Region.AFRICA,  # Gambia
    "GN": Region.AFRICA,  # Guinea
    "GP": Region.LATIN_AMERICA,  # Guadeloupe
    "GQ": Region.AFRICA,  # Equatorial Guinea
    "GR": Region.EUROPE,  # Greece
    "GS": Region.ANTARCTICA,  # South Georgia
    "GT": Region.LATIN_AMERICA,  # Guatemala
    "GU": Region.OCEANIA,  # Guam
    "GW": Region.AFRICA,  # Guinea-Bissau
    "GY": Region.LATIN_AMERICA,  # Guyana
    "HK": Region.ASIA,  # Hong Kong
    "HM": Region.ANTARCTICA,  # Heard Island and McDonald Islands
    "HN": Region.LATIN_AMERICA,  # Honduras
    "HR": Region.EUROPE,  # Croatia
    "HT": Region.LATIN_AMERICA,  # Haiti
    "HU": Region.EUROPE,  # Hungary
    "ID": Region.ASIA,  # Indonesia
    "IE": Region.EUROPE,  # Ireland
    "IL": Region.MIDDLE_EAST,  # Israel
    "IM": Region.EUROPE,  # Isle of Man
    "IN": Region.ASIA,  # India
    "IO": Region.AFRICA,  # British Indian Ocean Territory
    "IQ": Region.MIDDLE_EAST,  # Iraq
    "IR": Region.MIDDLE_EAST,  # Iran
    "IS": Region.EUROPE,  # Iceland
    "IT": Region.EUROPE,  # Italy
    "JE": Region.EUROPE,  # Jersey
    "JM": Region.LATIN_AMERICA,  # Jamaica
    "JO": Region.MIDDLE_EAST,  # Jordan
    "JP": Region.ASIA,  # Japan
    "KE": Region.AFRICA,  # Kenya
    "KG": Region.ASIA,  # Kyrgyzstan
    "KH": Region.ASIA,  # Cambodia
    "KI": Region.OCEANIA,  # Kiribati
    "KM": Region.AFRICA,  # Comoros
    "KN": Region.LATIN_AMERICA,  # Saint Kitts and Nevis
    "KP": Region.ASIA,  # North Korea
    "KR": Region.ASIA,  # South Korea
    "KW": Region.MIDDLE_EAST,  # Kuwait
    "KY": Region.LATIN_AMERICA,  # Cayman Islands
    "KZ": Region.ASIA,  # Kazakhstan
    "LA": Region.ASIA,  # Laos
    "LB": Region.MIDDLE_EAST,  # Lebanon
    "LC": Region.LATIN_AMERICA,  # Saint Lucia
    "LI": Region.EUROPE,  # Liechtenstein
    "LK": Region.ASIA,  # Sri Lanka
    "LR": Region.AFRICA,  # Liberia
    "LS": Region.AFRICA,  # Lesotho
    "LT": Region.EUROPE,  # Lithuania
    "LU": Region.EUROPE,  # Luxembourg
    "LV": Region.EUROPE,  # Latvia
    "LY": Region.AFRICA,  # Libya
    "MA": Region.AFRICA,  # Morocco
    "MC": Region.EUROPE,  # Monaco
    "MD": Region.EUROPE,  # Moldova
    "ME": Region.EUROPE,  # Montenegro
    "MF": Region.LATIN_AMERICA,  # Saint Martin (French part)
    "MG": Region.AFRICA,  # Madagascar
    "MH": Region.OCEANIA,  # Marshall Islands
    "MK": Region.EUROPE,  # North Macedonia
    "ML": Region.AFRICA,  # Mali
    "MM": Region.ASIA,  # Myanmar
    "MN": Region.ASIA,  # Mongolia
    "MO": Region.ASIA,  # Macao
    "MP": Region.OCEANIA,  # Northern Mariana Islands
    "MQ": Region.LATIN_AMERICA,  # Martinique
    "MR": Region.AFRICA,  # Mauritania
    "MS": Region.LATIN_AMERICA,  # Montserrat
    "MT": Region.EUROPE,  # Malta
    "MU": Region.AFRICA,  # Mauritius
    "MV": Region.ASIA,  # Maldives
    "MW": Region.AFRICA,  # Malawi
    "MX": Region.LATIN_AMERICA,  # Mexico
    "MY": Region.ASIA,  # Malaysia
    "MZ": Region.AFRICA,  # Mozambique
    "NA": Region.AFRICA,  # Namibia
    "NC": Region.OCEANIA,  # New Caledonia
    "NE": Region.AFRICA,  # Niger
    "NF": Region.OCEANIA,  # Norfolk Island
    "NG": Region.AFRICA,  # Nigeria
    "NI": Region.LATIN_AMERICA,  # Nicaragua
    "NL": Region.EUROPE,  # Netherlands
    "NO": Region.EUROPE,  # Norway
    "NP": Region.ASIA,  # Nepal
    "NR": Region.OCEANIA,  # Naoero
    "NU": Region.OCEANIA,  # Niue
    "NZ": Region.OCEANIA,  # New Zealand
    "OM": Region.MIDDLE_EAST,  # Oman
    "PA": Region.LATIN_AMERICA,  # Panama
    "PE": Region.LATIN_AMERICA,  # Peru
    "PF": Region.OCEANIA,  # French Polynesia
    "PG": Region.OCEANIA,  # Papua New Guinea
    "PH": Region.ASIA,  # Philippines
    "PK": Region.ASIA,  # Pakistan
    "PL": Region.EUROPE,  # Poland
    "PM": Region.NORTH_AMERICA,  # Saint Pierre and Miquelon
    "PN": Region.OCEANIA,  # Pitcairn
    "PR": Region.LATIN_AMERICA,  # Puerto Rico
    "PS": Region.MIDDLE_EAST,  # Palestine
    "PT": Region.EUROPE,  # Portugal
    "PW": Region.OCEANIA,  # Palau
    "PY": Region.LATIN_AMERICA,  # Paraguay
    "QA": Region.MIDDLE_EAST,  # Qatar
    "RE": Region.AFRICA,  # Réunion
    "RO": Region.EUROPE,  # Romania
    "RS": Region.EUROPE,  # Serbia
    "RU": Region.EUROPE,  # Russia
    "RW": Region.AFRICA,  # Rwanda
    "SA": Region.MIDDLE_EAST,  # Saudi Arabia
    "SB": Region.OCEANIA,  # Solomon Islands
    "SC": Region.AFRICA,  # Seychelles
    "SD": Region.AFRICA,  # Sudan
    "SE": Region.EUROPE,  # Sweden
    "SG": Region.ASIA,  # Singapore
    "SH": Region.AFRICA,  # Saint Helena
    "SI": Region.EUROPE,  # Slovenia
    "SJ": Region.EUROPE,  # Svalbard and Jan Mayen
    "SK": Region.EUROPE,  # Slovakia
    "SL": Region.AFRICA,  # Sierra Leone
    "SM": Region.EUROPE,  # San Marino
    "SN": Region.AFRICA,  # Senegal
    "SO": Region.AFRICA,  # Somalia
    "SR": Region.LATIN_AMERICA,  # Suriname
    "SS": Region.AFRICA,  # South Sudan
    "ST": Region.AFRICA,  # Sao Tome and Principe
    "SV": Region.LATIN_AMERICA,  # El Salvador
    "SX": Region.LATIN_AMERICA,  # Sint Maarten (Dutch part)
    "SY": Region.MIDDLE_EAST,  # Syria
    "SZ": Region.AFRICA,  # Eswatini
    "TC": Region.LATIN_AMERICA,  # Turks and Caicos Islands
    "TD": Region.AFRICA,  # Chad
    "TF": Region.ANTARCTICA,  # French Southern Territories
    "TG": Region.AFRICA,  # Togo
    "TH": Region.ASIA,  # Thailand
    "TJ": Region.ASIA,  # Tajikistan
    "TK": Region.OCEANIA,  # Tokelau
    "TL": Region.ASIA,  # Timor-Leste
    "TM": Region.ASIA,  # Turkmenistan
    "TN": Region.AFRICA,  # Tunisia
    "TO": Region.OCEANIA,  # Tonga
    "TR": Region.MIDDLE_EAST,  # Türkiye
    "TT": Region.LATIN_AMERICA,  # Trinidad and Tobago
    "TV": Region.OCEANIA,  # Tuvalu
    "TW": Region.ASIA,  # Taiwan
    "TZ": Region.AFRICA,  # Tanzania
    "UA": Region.EUROPE,  # Ukraine
    "UG": Region.AFRICA,  # Uganda
    "UM": Region.OCEANIA,  # United States Minor Outlying Islands
    "US": Region.NORTH_AMERICA,  # United States of America
    "UY": Region.LATIN_AMERICA,  # Uruguay
    "UZ": Region.ASIA,  # Uzbekistan
    "VA": Region.EUROPE,  # Vatican City
    "VC": Region.LATIN_AMERICA,  # Saint Vincent and the Grenadines
    "VE": Region.LATIN_AMERICA,  # Venezuela
    "VG": Region.LATIN_AMERICA,  # Virgin Islands (British)
    "VI": Region.LATIN_AMERICA,  # Virgin Islands (U.S.)
    "VN": Region.ASIA,  # Vietnam
    "VU": Region.OCEANIA,  # Vanuatu
    "WF": Region.OCEANIA,  # Wallis and Futuna
    "WS": Region.OCEANIA,  # Samoa
    "YE": Region.MIDDLE_EAST,  # Yemen
    "YT": Region.AFRICA,  # Mayotte
    "ZA": Region.AFRICA,  # South Africa
    "ZM": Region.AFRICA,  # Zambia
    "ZW": Region.AFRICA,  # Zimbabwe
}


def region_of(code: str) -> str | None:
    """Return the region of an ISO 3166-1 alpha-2 code (case-insensitive), or None."""
    if not code:
        return None
    return REGION_BY_COUNTRY.get(code.strip().upper())


def countries_in(region: str) -> list[str]:
    """Return the sorted country codes assigned to ``region`` (empty if unknown)."""
    return sorted(code for code, value in REGION_BY_COUNTRY.items() if value == region)


@functools.cache
def _country_names(language: str) -> dict[str, str]:
    with translation.override(language):
        return {code: str(countries.name(code)) for code in REGION_BY_COUNTRY}


def country_name(code: str) -> str:
    """The name of country ``code`` in the active language (django-countries' name, looked
    up once per language: the lists and the map name hundreds of countries per page)."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return _country_names(language).get(code) or str(countries.name(code))


WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return WORD.findall(fold(text).lower())


@functools.cache
def _searchable_names() -> list[tuple[str, tuple[list[str], ...]]]:
    """(code, the words of its name in each language of the portal), accents and case aside."""
    names = [_country_names(language) for language, _name in settings.LANGUAGES]
    return [
        (code, tuple(_words(found[code]) for found in names)) for code in sorted(REGION_BY_COUNTRY)
    ]


def _starts(word: str, asked: str) -> bool:
    """``asked`` starts ``word``: a word of three letters or more, else the whole word."""
    return word.startswith(asked) if len(asked) >= 3 else word == asked


def find_countries(query: str) -> list[str]:
    """Codes of the countries ``query`` names, in French or in English, accents and case
    aside: every word of the query starts a word of the name ("coree", "Korea", "Corée du"
    find South Korea), or the query holds the whole name ("labs in Japan"). A word of
    fewer than three letters must be a whole word of the name."""
    asked = _words(query)
    if not asked:
        return []
    padded = f" {' '.join(asked)} "
    found = []
    for code, names in _searchable_names():
        for words in names:
            if all(any(_starts(word, a) for word in words) for a in asked) or (
                f" {' '.join(words)} " in padded
            ):
                found.append(code)
                break
    return found
