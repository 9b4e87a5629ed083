"""Countries: ISO 3166-1 alpha-2 codes and the common names people type for them.

Kept by hand (a table, not logic): the codes are the 249 officially assigned ones, the names
cover the countries the operator's customers come from, in Russian and English, lowercase,
with ё as е and without dots — the form :func:`opeka.policy.values` compares against.
"""

from __future__ import annotations

from typing import Final

_ISO_CODES: Final = (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR "
    "BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ "
    "EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW "
    "GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY "
    "KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV "
    "MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY "
    "QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG "
    "TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM "
    "ZW"
)
ISO_COUNTRIES: Final = frozenset(_ISO_CODES.split())
"""Every officially assigned ISO 3166-1 alpha-2 code (249)."""

# Common countries by their Russian and English names (lowercase, ё as е, no dots).
_COUNTRY_NAMES_BY_CODE: Final[dict[str, tuple[str, ...]]] = {
    "RU": ("россия", "российская федерация", "рф", "russia", "russian federation"),
    "BY": ("беларусь", "белоруссия", "республика беларусь", "belarus"),
    "KZ": ("казахстан", "республика казахстан", "kazakhstan"),
    "UA": ("украина", "ukraine"),
    "AM": ("армения", "armenia"),
    "AZ": ("азербайджан", "azerbaijan"),
    "GE": ("грузия", "georgia"),
    "KG": ("киргизия", "кыргызстан", "kyrgyzstan"),
    "UZ": ("узбекистан", "uzbekistan"),
    "TJ": ("таджикистан", "tajikistan"),
    "TM": ("туркмения", "туркменистан", "turkmenistan"),
    "MD": ("молдова", "молдавия", "moldova"),
    "LV": ("латвия", "latvia"),
    "LT": ("литва", "lithuania"),
    "EE": ("эстония", "estonia"),
    "FI": ("финляндия", "finland"),
    "PL": ("польша", "poland"),
    "CZ": ("чехия", "czechia", "czech republic"),
    "DE": ("германия", "germany"),
    "FR": ("франция", "france"),
    "IT": ("италия", "italy"),
    "ES": ("испания", "spain"),
    "NL": ("нидерланды", "голландия", "netherlands"),
    "AT": ("австрия", "austria"),
    "CH": ("швейцария", "switzerland"),
    "GB": ("великобритания", "соединенное королевство", "united kingdom", "uk", "great britain"),
    "US": ("сша", "соединенные штаты", "соединенные штаты америки", "usa", "united states"),
    "CA": ("канада", "canada"),
    "CN": ("китай", "кнр", "china"),
    "IN": ("индия", "india"),
    "JP": ("япония", "japan"),
    "KR": ("южная корея", "республика корея", "south korea"),
    "VN": ("вьетнам", "vietnam", "viet nam"),
    "TH": ("таиланд", "тайланд", "thailand"),
    "TR": ("турция", "turkey", "turkiye"),
    "AE": ("оаэ", "объединенные арабские эмираты", "uae", "united arab emirates"),
    "IL": ("израиль", "israel"),
    "EG": ("египет", "egypt"),
    "IR": ("иран", "iran"),
    "RS": ("сербия", "serbia"),
    "CY": ("кипр", "cyprus"),
    "MN": ("монголия", "mongolia"),
    "BR": ("бразилия", "brazil"),
}
COUNTRY_NAMES: Final = {
    name: code for code, names in _COUNTRY_NAMES_BY_CODE.items() for name in names
}
