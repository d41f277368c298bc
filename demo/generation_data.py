"""Word lists and places the synthetic-entry generator draws from (see generation.py).

Everything here is invented for load testing, except the CNRS institutes, the instruments'
rules and the cities, which are real so that the pages and the map look like the portal's.
Coordinates are rounded to the hundredth of a degree.
"""

# France and its overseas territories are never a *foreign* partner country.
FRENCH_CODES = frozenset(
    {"FR", "BL", "GF", "GP", "MF", "MQ", "NC", "PF", "PM", "RE", "TF", "WF", "YT"}
)

# The instruments a generated entry can be created under, when the database has none:
# names, duration, foreign partner countries allowed, CNRS funding range, share of entries.
INSTRUMENTS = {
    "IRL": {
        "name_fr": "Laboratoire de recherche international",
        "name_en": "International Research Laboratory",
        "duration_years": 5,
        "min_partner_countries": 1,
        "max_partner_countries": 1,
        "funding_min": 75_000,
        "funding_max": 100_000,
        "position": 1,
        "share": 15,
    },
    "IRP": {
        "name_fr": "Projet de recherche international",
        "name_en": "International Research Project",
        "duration_years": 5,
        "min_partner_countries": 1,
        "max_partner_countries": 2,
        "funding_min": 50_000,
        "funding_max": 75_000,
        "position": 2,
        "share": 35,
    },
    "IRN": {
        "name_fr": "Réseau de recherche international",
        "name_en": "International Research Network",
        "duration_years": 5,
        "min_partner_countries": 1,
        "max_partner_countries": None,
        "funding_min": 50_000,
        "funding_max": 75_000,
        "position": 3,
        "share": 15,
    },
    "IEA": {
        "name_fr": "Action émergente internationale",
        "name_en": "International Emerging Action",
        "duration_years": 2,
        "min_partner_countries": 1,
        "max_partner_countries": 1,
        "funding_min": 10_000,
        "funding_max": 14_000,
        "position": 4,
        "share": 27,
    },
    "UMIFRE": {
        "name_fr": "Institut français de recherche à l'étranger",
        "name_en": "French research institute abroad",
        "duration_years": None,
        "min_partner_countries": 1,
        "max_partner_countries": 1,
        "funding_min": None,
        "funding_max": None,
        "position": 6,
        "share": 8,
    },
}
# UMIFRE are humanities and social sciences institutes.
UMIFRE_INSTITUTE = "INSHS"
# An instrument with no upper limit of partner countries gets at most this many more.
EXTRA_PARTNER_COUNTRIES = 4

INSTITUTES = {
    "INC": ("Institut de chimie", "Institute of Chemistry"),
    "INEE": ("Institut écologie et environnement", "Institute of Ecology and Environment"),
    "INSB": ("Institut des sciences biologiques", "Institute of Biological Sciences"),
    "INSHS": (
        "Institut des sciences humaines et sociales",
        "Institute for Humanities and Social Sciences",
    ),
    "INSIS": (
        "Institut des sciences de l'ingénierie et des systèmes",
        "Institute for Engineering and Systems Sciences",
    ),
    "INSMI": (
        "Institut national des sciences mathématiques et de leurs interactions",
        "National Institute for Mathematical Sciences and their Interactions",
    ),
    "INP": ("Institut de physique", "Institute of Physics"),
    "IN2P3": (
        "Institut national de physique nucléaire et de physique des particules",
        "National Institute of Nuclear and Particle Physics",
    ),
    "INSU": (
        "Institut national des sciences de l'Univers",
        "National Institute for Earth Sciences and Astronomy",
    ),
    "INS2I": (
        "Institut des sciences de l'information et de leurs interactions",
        "Institute for Information Sciences and Technologies",
    ),
}

# slug: (French name, English name, institute most entries on it belong to)
THEMES = {
    "artificial-intelligence": ("Intelligence artificielle", "Artificial intelligence", "INS2I"),
    "astronomy": ("Astronomie", "Astronomy", "INSU"),
    "biodiversity": ("Biodiversité", "Biodiversity", "INEE"),
    "climate": ("Climat", "Climate", "INSU"),
    "cosmology": ("Cosmologie", "Cosmology", "IN2P3"),
    "cryptography": ("Cryptographie", "Cryptography", "INS2I"),
    "data-science": ("Science des données", "Data science", "INS2I"),
    "digital-humanities": ("Humanités numériques", "Digital humanities", "INSHS"),
    "dynamical-systems": ("Systèmes dynamiques", "Dynamical systems", "INSMI"),
    "economics": ("Économie", "Economics", "INSHS"),
    "electronics": ("Électronique", "Electronics", "INSIS"),
    "energy-transition": ("Transition énergétique", "Energy transition", "INSIS"),
    "environment": ("Environnement", "Environment", "INEE"),
    "genomics": ("Génomique", "Genomics", "INSB"),
    "geology-and-seismology": ("Géologie et sismologie", "Geology and seismology", "INSU"),
    "geometry": ("Géométrie", "Geometry", "INSMI"),
    "green-chemistry": ("Chimie verte", "Green chemistry", "INC"),
    "history": ("Histoire", "History", "INSHS"),
    "immunology": ("Immunologie", "Immunology", "INSB"),
    "linguistics": ("Linguistique", "Linguistics", "INSHS"),
    "materials": ("Science des matériaux", "Materials science", "INC"),
    "mathematics": ("Mathématiques", "Mathematics", "INSMI"),
    "medicine": ("Médecine", "Medicine", "INSB"),
    "nanotechnology": ("Nanotechnologies", "Nanotechnology", "INP"),
    "neuroscience": ("Neurosciences", "Neuroscience", "INSB"),
    "oceanography": ("Océanographie", "Oceanography", "INSU"),
    "particle-physics": ("Physique des particules", "Particle physics", "IN2P3"),
    "photonics": ("Photonique", "Photonics", "INP"),
    "quantum-technologies": ("Technologies quantiques", "Quantum technologies", "INP"),
    "robotics": ("Robotique", "Robotics", "INSIS"),
    "soft-matter": ("Matière molle", "Soft matter", "INP"),
    "urban-studies": ("Études urbaines", "Urban studies", "INSHS"),
}

# Relative number of entries per partner country; the main partners of the CNRS weigh more.
# fmt: off
COUNTRY_WEIGHTS = {
    "US": 60, "JP": 40, "CA": 35, "DE": 35, "GB": 35, "CN": 30, "BR": 25, "IT": 25,
    "ES": 20, "CH": 20, "IN": 20, "AU": 18, "BE": 15, "NL": 12, "SG": 12, "KR": 12,
    "MX": 12, "AR": 12, "CL": 12, "RU": 10, "IL": 10, "SE": 10, "ZA": 10, "MA": 10,
    "TN": 8, "SN": 8, "VN": 8, "TH": 8, "TW": 8, "PT": 8, "PL": 8, "DK": 6, "NO": 6,
    "FI": 6, "AT": 6, "CZ": 6, "GR": 6, "IE": 5, "CO": 6, "PE": 5, "UY": 4, "EG": 5,
    "DZ": 5, "CI": 4, "CM": 4, "KE": 4, "LB": 5, "TR": 5, "IR": 3, "SA": 4, "AE": 4,
    "QA": 3, "NZ": 5, "ID": 5, "MY": 4, "PH": 3, "KH": 3, "LA": 2, "MN": 2, "KZ": 3,
    "UZ": 3, "HU": 4, "RO": 4, "UA": 3, "HK": 5,
}
# fmt: on
DEFAULT_COUNTRY_WEIGHT = 2
# Territories with a handful of inhabitants: hardly ever a partner.
SMALL_TERRITORIES = frozenset(
    {
        "AI", "AS", "AW", "AX", "BM", "BQ", "BV", "CC", "CK", "CW", "CX", "FK", "FO", "GG",
        "GI", "GS", "GU", "HM", "IM", "IO", "JE", "KY", "MP", "MS", "NF", "NR", "NU", "PN",
        "SH", "SJ", "SX", "TC", "TK", "TV", "UM", "VA", "VG", "VI",
    }
)  # fmt: skip
SMALL_TERRITORY_WEIGHT = 0.5

# Cities per foreign country: (French name, English name, latitude, longitude).
CITIES = {
    "AD": [("Andorre-la-Vieille", "Andorra la Vella", 42.51, 1.52)],
    "AE": [("Abou Dabi", "Abu Dhabi", 24.45, 54.38), ("Dubaï", "Dubai", 25.20, 55.27)],
    "AF": [("Kaboul", "Kabul", 34.53, 69.17)],
    "AG": [("Saint John's", "Saint John's", 17.12, -61.85)],
    "AI": [("The Valley", "The Valley", 18.22, -63.06)],
    "AL": [("Tirana", "Tirana", 41.33, 19.82)],
    "AM": [("Erevan", "Yerevan", 40.18, 44.51)],
    "AO": [("Luanda", "Luanda", -8.84, 13.23)],
    "AQ": [
        ("Base Dumont-d'Urville", "Dumont d'Urville Station", -66.66, 140.00),
        ("Base Concordia", "Concordia Station", -75.10, 123.33),
    ],
    "AR": [
        ("Buenos Aires", "Buenos Aires", -34.60, -58.38),
        ("Córdoba", "Córdoba", -31.42, -64.18),
    ],
    "AS": [("Pago Pago", "Pago Pago", -14.28, -170.70)],
    "AT": [("Vienne", "Vienna", 48.21, 16.37), ("Innsbruck", "Innsbruck", 47.27, 11.39)],
    "AU": [
        ("Canberra", "Canberra", -35.28, 149.13),
        ("Sydney", "Sydney", -33.87, 151.21),
        ("Melbourne", "Melbourne", -37.81, 144.96),
    ],
    "AW": [("Oranjestad", "Oranjestad", 12.52, -70.03)],
    "AX": [("Mariehamn", "Mariehamn", 60.10, 19.94)],
    "AZ": [("Bakou", "Baku", 40.41, 49.87)],
    "BA": [("Sarajevo", "Sarajevo", 43.86, 18.41)],
    "BB": [("Bridgetown", "Bridgetown", 13.10, -59.61)],
    "BD": [("Dacca", "Dhaka", 23.81, 90.41)],
    "BE": [
        ("Bruxelles", "Brussels", 50.85, 4.35),
        ("Louvain", "Leuven", 50.88, 4.70),
        ("Liège", "Liège", 50.63, 5.57),
    ],
    "BF": [("Ouagadougou", "Ouagadougou", 12.37, -1.53)],
    "BG": [("Sofia", "Sofia", 42.70, 23.32)],
    "BH": [("Manama", "Manama", 26.23, 50.59)],
    "BI": [("Gitega", "Gitega", -3.43, 29.93)],
    "BJ": [("Porto-Novo", "Porto-Novo", 6.50, 2.60), ("Cotonou", "Cotonou", 6.37, 2.39)],
    "BM": [("Hamilton", "Hamilton", 32.29, -64.78)],
    "BN": [("Bandar Seri Begawan", "Bandar Seri Begawan", 4.90, 114.94)],
    "BO": [("La Paz", "La Paz", -16.49, -68.12)],
    "BQ": [("Kralendijk", "Kralendijk", 12.15, -68.27)],
    "BR": [
        ("Brasília", "Brasília", -15.79, -47.88),
        ("Rio de Janeiro", "Rio de Janeiro", -22.91, -43.17),
        ("São Paulo", "São Paulo", -23.55, -46.63),
    ],
    "BS": [("Nassau", "Nassau", 25.05, -77.35)],
    "BT": [("Thimphou", "Thimphu", 27.47, 89.64)],
    "BV": [("Île Bouvet", "Bouvet Island", -54.42, 3.36)],
    "BW": [("Gaborone", "Gaborone", -24.63, 25.92)],
    "BY": [("Minsk", "Minsk", 53.90, 27.56)],
    "BZ": [("Belmopan", "Belmopan", 17.25, -88.77)],
    "CA": [
        ("Ottawa", "Ottawa", 45.42, -75.70),
        ("Montréal", "Montreal", 45.50, -73.57),
        ("Québec", "Quebec City", 46.81, -71.21),
        ("Toronto", "Toronto", 43.65, -79.38),
        ("Vancouver", "Vancouver", 49.28, -123.12),
    ],
    "CC": [("West Island", "West Island", -12.19, 96.83)],
    "CD": [("Kinshasa", "Kinshasa", -4.32, 15.31)],
    "CF": [("Bangui", "Bangui", 4.39, 18.56)],
    "CG": [("Brazzaville", "Brazzaville", -4.27, 15.28)],
    "CH": [
        ("Berne", "Bern", 46.95, 7.45),
        ("Genève", "Geneva", 46.20, 6.14),
        ("Zurich", "Zurich", 47.37, 8.54),
        ("Lausanne", "Lausanne", 46.52, 6.63),
    ],
    "CI": [("Abidjan", "Abidjan", 5.36, -4.01), ("Yamoussoukro", "Yamoussoukro", 6.83, -5.29)],
    "CK": [("Avarua", "Avarua", -21.21, -159.78)],
    "CL": [("Santiago", "Santiago", -33.45, -70.67), ("Valparaíso", "Valparaíso", -33.05, -71.62)],
    "CM": [("Yaoundé", "Yaoundé", 3.85, 11.50)],
    "CN": [
        ("Pékin", "Beijing", 39.90, 116.41),
        ("Shanghai", "Shanghai", 31.23, 121.47),
        ("Wuhan", "Wuhan", 30.59, 114.31),
    ],
    "CO": [("Bogota", "Bogotá", 4.71, -74.07)],
    "CR": [("San José", "San José", 9.93, -84.08)],
    "CU": [("La Havane", "Havana", 23.11, -82.37)],
    "CV": [("Praia", "Praia", 14.93, -23.51)],
    "CW": [("Willemstad", "Willemstad", 12.11, -68.93)],
    "CX": [("Flying Fish Cove", "Flying Fish Cove", -10.42, 105.68)],
    "CY": [("Nicosie", "Nicosia", 35.19, 33.38)],
    "CZ": [("Prague", "Prague", 50.08, 14.44), ("Brno", "Brno", 49.20, 16.61)],
    "DE": [
        ("Berlin", "Berlin", 52.52, 13.40),
        ("Munich", "Munich", 48.14, 11.58),
        ("Heidelberg", "Heidelberg", 49.40, 8.67),
    ],
    "DJ": [("Djibouti", "Djibouti", 11.59, 43.15)],
    "DK": [("Copenhague", "Copenhagen", 55.68, 12.57)],
    "DM": [("Roseau", "Roseau", 15.30, -61.39)],
    "DO": [("Saint-Domingue", "Santo Domingo", 18.49, -69.93)],
    "DZ": [("Alger", "Algiers", 36.75, 3.06), ("Oran", "Oran", 35.70, -0.63)],
    "EC": [("Quito", "Quito", -0.18, -78.47)],
    "EE": [("Tallinn", "Tallinn", 59.44, 24.75)],
    "EG": [("Le Caire", "Cairo", 30.04, 31.24), ("Alexandrie", "Alexandria", 31.20, 29.92)],
    "EH": [("Laâyoune", "Laayoune", 27.15, -13.20)],
    "ER": [("Asmara", "Asmara", 15.32, 38.93)],
    "ES": [("Madrid", "Madrid", 40.42, -3.70), ("Barcelone", "Barcelona", 41.39, 2.17)],
    "ET": [("Addis-Abeba", "Addis Ababa", 9.03, 38.74)],
    "FI": [("Helsinki", "Helsinki", 60.17, 24.94)],
    "FJ": [("Suva", "Suva", -18.14, 178.44)],
    "FK": [("Stanley", "Stanley", -51.70, -57.85)],
    "FM": [("Palikir", "Palikir", 6.92, 158.16)],
    "FO": [("Tórshavn", "Tórshavn", 62.01, -6.77)],
    "GA": [("Libreville", "Libreville", 0.42, 9.47)],
    "GB": [
        ("Londres", "London", 51.51, -0.13),
        ("Cambridge", "Cambridge", 52.21, 0.12),
        ("Oxford", "Oxford", 51.75, -1.26),
        ("Édimbourg", "Edinburgh", 55.95, -3.19),
    ],
    "GD": [("Saint-Georges", "St. George's", 12.06, -61.75)],
    "GE": [("Tbilissi", "Tbilisi", 41.72, 44.79)],
    "GG": [("Saint-Pierre-Port", "St Peter Port", 49.46, -2.54)],
    "GH": [("Accra", "Accra", 5.60, -0.19)],
    "GI": [("Gibraltar", "Gibraltar", 36.14, -5.35)],
    "GL": [("Nuuk", "Nuuk", 64.18, -51.72)],
    "GM": [("Banjul", "Banjul", 13.45, -16.58)],
    "GN": [("Conakry", "Conakry", 9.64, -13.58)],
    "GQ": [("Malabo", "Malabo", 3.75, 8.78)],
    "GR": [("Athènes", "Athens", 37.98, 23.73)],
    "GS": [("Grytviken", "Grytviken", -54.28, -36.51)],
    "GT": [("Guatemala", "Guatemala City", 14.63, -90.51)],
    "GU": [("Hagåtña", "Hagåtña", 13.47, 144.75)],
    "GW": [("Bissau", "Bissau", 11.86, -15.60)],
    "GY": [("Georgetown", "Georgetown", 6.80, -58.16)],
    "HK": [("Hong Kong", "Hong Kong", 22.32, 114.17)],
    "HM": [("Île Heard", "Heard Island", -53.10, 73.52)],
    "HN": [("Tegucigalpa", "Tegucigalpa", 14.07, -87.19)],
    "HR": [("Zagreb", "Zagreb", 45.81, 15.98)],
    "HT": [("Port-au-Prince", "Port-au-Prince", 18.59, -72.31)],
    "HU": [("Budapest", "Budapest", 47.50, 19.04)],
    "ID": [("Jakarta", "Jakarta", -6.21, 106.85), ("Bandung", "Bandung", -6.92, 107.62)],
    "IE": [("Dublin", "Dublin", 53.35, -6.26)],
    "IL": [("Jérusalem", "Jerusalem", 31.77, 35.21), ("Tel Aviv", "Tel Aviv", 32.09, 34.78)],
    "IM": [("Douglas", "Douglas", 54.15, -4.48)],
    "IN": [
        ("New Delhi", "New Delhi", 28.61, 77.21),
        ("Bangalore", "Bengaluru", 12.97, 77.59),
        ("Bombay", "Mumbai", 19.08, 72.88),
        ("Pondichéry", "Puducherry", 11.94, 79.81),
    ],
    "IO": [("Diego Garcia", "Diego Garcia", -7.31, 72.41)],
    "IQ": [("Bagdad", "Baghdad", 33.31, 44.36), ("Erbil", "Erbil", 36.19, 44.01)],
    "IR": [("Téhéran", "Tehran", 35.69, 51.39)],
    "IS": [("Reykjavik", "Reykjavík", 64.15, -21.94)],
    "IT": [
        ("Rome", "Rome", 41.90, 12.50),
        ("Milan", "Milan", 45.46, 9.19),
        ("Turin", "Turin", 45.07, 7.69),
        ("Naples", "Naples", 40.85, 14.27),
    ],
    "JE": [("Saint-Hélier", "St Helier", 49.19, -2.11)],
    "JM": [("Kingston", "Kingston", 18.02, -76.80)],
    "JO": [("Amman", "Amman", 31.95, 35.93)],
    "JP": [
        ("Tokyo", "Tokyo", 35.68, 139.69),
        ("Kyoto", "Kyoto", 35.01, 135.77),
        ("Osaka", "Osaka", 34.69, 135.50),
        ("Sendai", "Sendai", 38.27, 140.87),
    ],
    "KE": [("Nairobi", "Nairobi", -1.29, 36.82)],
    "KG": [("Bichkek", "Bishkek", 42.87, 74.59)],
    "KH": [("Phnom Penh", "Phnom Penh", 11.56, 104.93), ("Siem Reap", "Siem Reap", 13.36, 103.86)],
    "KI": [("Tarawa-Sud", "South Tarawa", 1.33, 172.98)],
    "KM": [("Moroni", "Moroni", -11.70, 43.26)],
    "KN": [("Basseterre", "Basseterre", 17.30, -62.73)],
    "KP": [("Pyongyang", "Pyongyang", 39.04, 125.76)],
    "KR": [("Séoul", "Seoul", 37.57, 126.98), ("Daejeon", "Daejeon", 36.35, 127.38)],
    "KW": [("Koweït", "Kuwait City", 29.38, 47.99)],
    "KY": [("George Town", "George Town", 19.29, -81.37)],
    "KZ": [("Astana", "Astana", 51.17, 71.45), ("Almaty", "Almaty", 43.24, 76.89)],
    "LA": [("Vientiane", "Vientiane", 17.98, 102.63)],
    "LB": [("Beyrouth", "Beirut", 33.89, 35.50)],
    "LC": [("Castries", "Castries", 14.01, -60.99)],
    "LI": [("Vaduz", "Vaduz", 47.14, 9.52)],
    "LK": [("Colombo", "Colombo", 6.93, 79.86)],
    "LR": [("Monrovia", "Monrovia", 6.30, -10.80)],
    "LS": [("Maseru", "Maseru", -29.31, 27.48)],
    "LT": [("Vilnius", "Vilnius", 54.69, 25.28)],
    "LU": [("Luxembourg", "Luxembourg", 49.61, 6.13)],
    "LV": [("Riga", "Riga", 56.95, 24.11)],
    "LY": [("Tripoli", "Tripoli", 32.89, 13.19)],
    "MA": [
        ("Rabat", "Rabat", 34.02, -6.83),
        ("Casablanca", "Casablanca", 33.57, -7.59),
        ("Marrakech", "Marrakesh", 31.63, -7.99),
    ],
    "MC": [("Monaco", "Monaco", 43.74, 7.42)],
    "MD": [("Chisinau", "Chișinău", 47.01, 28.86)],
    "ME": [("Podgorica", "Podgorica", 42.43, 19.26)],
    "MG": [("Antananarivo", "Antananarivo", -18.88, 47.51)],
    "MH": [("Majuro", "Majuro", 7.09, 171.38)],
    "MK": [("Skopje", "Skopje", 42.00, 21.43)],
    "ML": [("Bamako", "Bamako", 12.64, -8.00)],
    "MM": [("Naypyidaw", "Naypyidaw", 19.76, 96.08), ("Rangoun", "Yangon", 16.87, 96.20)],
    "MN": [("Oulan-Bator", "Ulaanbaatar", 47.89, 106.91)],
    "MO": [("Macao", "Macau", 22.20, 113.54)],
    "MP": [("Saipan", "Saipan", 15.18, 145.75)],
    "MR": [("Nouakchott", "Nouakchott", 18.07, -15.96)],
    "MS": [("Brades", "Brades", 16.79, -62.21)],
    "MT": [("La Valette", "Valletta", 35.90, 14.51)],
    "MU": [("Port-Louis", "Port Louis", -20.16, 57.50)],
    "MV": [("Malé", "Malé", 4.18, 73.51)],
    "MW": [("Lilongwe", "Lilongwe", -13.96, 33.79)],
    "MX": [
        ("Mexico", "Mexico City", 19.43, -99.13),
        ("Guadalajara", "Guadalajara", 20.66, -103.35),
    ],
    "MY": [("Kuala Lumpur", "Kuala Lumpur", 3.14, 101.69)],
    "MZ": [("Maputo", "Maputo", -25.97, 32.57)],
    "NA": [("Windhoek", "Windhoek", -22.56, 17.08)],
    "NE": [("Niamey", "Niamey", 13.51, 2.11)],
    "NF": [("Kingston", "Kingston", -29.05, 167.96)],
    "NG": [("Abuja", "Abuja", 9.08, 7.40), ("Lagos", "Lagos", 6.52, 3.38)],
    "NI": [("Managua", "Managua", 12.11, -86.24)],
    "NL": [
        ("Amsterdam", "Amsterdam", 52.37, 4.90),
        ("Delft", "Delft", 52.01, 4.36),
        ("Leyde", "Leiden", 52.16, 4.49),
    ],
    "NO": [("Oslo", "Oslo", 59.91, 10.75), ("Tromsø", "Tromsø", 69.65, 18.96)],
    "NP": [("Katmandou", "Kathmandu", 27.72, 85.32)],
    "NR": [("Yaren", "Yaren", -0.55, 166.92)],
    "NU": [("Alofi", "Alofi", -19.06, -169.92)],
    "NZ": [("Wellington", "Wellington", -41.29, 174.78), ("Auckland", "Auckland", -36.85, 174.76)],
    "OM": [("Mascate", "Muscat", 23.59, 58.41)],
    "PA": [("Panama", "Panama City", 8.98, -79.52)],
    "PE": [("Lima", "Lima", -12.05, -77.04), ("Cuzco", "Cusco", -13.53, -71.97)],
    "PG": [("Port Moresby", "Port Moresby", -9.44, 147.18)],
    "PH": [("Manille", "Manila", 14.60, 120.98)],
    "PK": [("Islamabad", "Islamabad", 33.68, 73.05)],
    "PL": [("Varsovie", "Warsaw", 52.23, 21.01), ("Cracovie", "Kraków", 50.06, 19.94)],
    "PN": [("Adamstown", "Adamstown", -25.07, -130.10)],
    "PR": [("San Juan", "San Juan", 18.47, -66.11)],
    "PS": [("Ramallah", "Ramallah", 31.90, 35.20)],
    "PT": [("Lisbonne", "Lisbon", 38.72, -9.14), ("Porto", "Porto", 41.15, -8.61)],
    "PW": [("Ngerulmud", "Ngerulmud", 7.50, 134.62)],
    "PY": [("Asuncion", "Asunción", -25.26, -57.58)],
    "QA": [("Doha", "Doha", 25.29, 51.53)],
    "RO": [("Bucarest", "Bucharest", 44.43, 26.10)],
    "RS": [("Belgrade", "Belgrade", 44.79, 20.45)],
    "RU": [
        ("Moscou", "Moscow", 55.76, 37.62),
        ("Saint-Pétersbourg", "Saint Petersburg", 59.93, 30.34),
        ("Novossibirsk", "Novosibirsk", 55.03, 82.92),
    ],
    "RW": [("Kigali", "Kigali", -1.94, 30.06)],
    "SA": [("Riyad", "Riyadh", 24.71, 46.68), ("Thuwal", "Thuwal", 22.31, 39.10)],
    "SB": [("Honiara", "Honiara", -9.43, 159.95)],
    "SC": [("Victoria", "Victoria", -4.62, 55.45)],
    "SD": [("Khartoum", "Khartoum", 15.50, 32.56)],
    "SE": [("Stockholm", "Stockholm", 59.33, 18.07), ("Uppsala", "Uppsala", 59.86, 17.64)],
    "SG": [("Singapour", "Singapore", 1.35, 103.82)],
    "SH": [("Jamestown", "Jamestown", -15.93, -5.72)],
    "SI": [("Ljubljana", "Ljubljana", 46.06, 14.51)],
    "SJ": [("Longyearbyen", "Longyearbyen", 78.22, 15.65)],
    "SK": [("Bratislava", "Bratislava", 48.15, 17.11)],
    "SL": [("Freetown", "Freetown", 8.48, -13.23)],
    "SM": [("Saint-Marin", "San Marino", 43.94, 12.45)],
    "SN": [("Dakar", "Dakar", 14.72, -17.47), ("Saint-Louis", "Saint-Louis", 16.03, -16.49)],
    "SO": [("Mogadiscio", "Mogadishu", 2.05, 45.32)],
    "SR": [("Paramaribo", "Paramaribo", 5.85, -55.20)],
    "SS": [("Djouba", "Juba", 4.85, 31.58)],
    "ST": [("Sao Tomé", "São Tomé", 0.34, 6.73)],
    "SV": [("San Salvador", "San Salvador", 13.69, -89.22)],
    "SX": [("Philipsburg", "Philipsburg", 18.03, -63.05)],
    "SY": [("Damas", "Damascus", 33.51, 36.29)],
    "SZ": [("Mbabane", "Mbabane", -26.31, 31.14)],
    "TC": [("Cockburn Town", "Cockburn Town", 21.46, -71.14)],
    "TD": [("N'Djaména", "N'Djamena", 12.13, 15.06)],
    "TG": [("Lomé", "Lomé", 6.13, 1.22)],
    "TH": [("Bangkok", "Bangkok", 13.76, 100.50), ("Chiang Mai", "Chiang Mai", 18.79, 98.98)],
    "TJ": [("Douchanbé", "Dushanbe", 38.56, 68.79)],
    "TK": [("Fakaofo", "Fakaofo", -9.38, -171.25)],
    "TL": [("Dili", "Dili", -8.56, 125.57)],
    "TM": [("Achgabat", "Ashgabat", 37.96, 58.33)],
    "TN": [("Tunis", "Tunis", 36.81, 10.18), ("Sfax", "Sfax", 34.74, 10.76)],
    "TO": [("Nuku'alofa", "Nuku'alofa", -21.14, -175.20)],
    "TR": [("Ankara", "Ankara", 39.93, 32.86), ("Istanbul", "Istanbul", 41.01, 28.98)],
    "TT": [("Port-d'Espagne", "Port of Spain", 10.65, -61.51)],
    "TV": [("Funafuti", "Funafuti", -8.52, 179.20)],
    "TW": [("Taipei", "Taipei", 25.03, 121.57), ("Hsinchu", "Hsinchu", 24.80, 120.97)],
    "TZ": [("Dodoma", "Dodoma", -6.16, 35.75), ("Dar es Salaam", "Dar es Salaam", -6.79, 39.21)],
    "UA": [("Kiev", "Kyiv", 50.45, 30.52)],
    "UG": [("Kampala", "Kampala", 0.35, 32.58)],
    "UM": [("Île Wake", "Wake Island", 19.28, 166.65)],
    "US": [
        ("Washington", "Washington", 38.91, -77.04),
        ("New York", "New York", 40.71, -74.01),
        ("Boston", "Boston", 42.36, -71.06),
        ("Chicago", "Chicago", 41.88, -87.63),
        ("Tucson", "Tucson", 32.22, -110.97),
        ("San Francisco", "San Francisco", 37.77, -122.42),
    ],
    "UY": [("Montevideo", "Montevideo", -34.90, -56.16)],
    "UZ": [("Tachkent", "Tashkent", 41.30, 69.24), ("Samarcande", "Samarkand", 39.65, 66.96)],
    "VA": [("Cité du Vatican", "Vatican City", 41.90, 12.45)],
    "VC": [("Kingstown", "Kingstown", 13.16, -61.22)],
    "VE": [("Caracas", "Caracas", 10.48, -66.90)],
    "VG": [("Road Town", "Road Town", 18.43, -64.62)],
    "VI": [("Charlotte Amalie", "Charlotte Amalie", 18.34, -64.93)],
    "VN": [
        ("Hanoï", "Hanoi", 21.03, 105.85),
        ("Hô Chi Minh-Ville", "Ho Chi Minh City", 10.82, 106.63),
    ],
    "VU": [("Port-Vila", "Port Vila", -17.73, 168.32)],
    "WS": [("Apia", "Apia", -13.83, -171.76)],
    "YE": [("Sanaa", "Sanaa", 15.37, 44.19)],
    "ZA": [
        ("Pretoria", "Pretoria", -25.75, 28.19),
        ("Le Cap", "Cape Town", -33.92, 18.42),
        ("Johannesburg", "Johannesburg", -26.20, 28.05),
    ],
    "ZM": [("Lusaka", "Lusaka", -15.39, 28.32)],
    "ZW": [("Harare", "Harare", -17.83, 31.05)],
}

# Partner institutions of a country: a university per city, a research body per country.
# "{of_city}" is "de Tokyo", "d'Oran" or "du Caire" in French.
RESEARCH_BODY = (
    "Institut national de recherche {of_city}",
    "National Research Institute of {city}",
)
UNIVERSITY = ("Université {of_city}", "University of {city}")
# Invented company names: a stem and an ending, the same in both languages.
COMPANY_STEMS = [
    "Aero", "Bio", "Carbo", "Data", "Eco", "Fluxi", "Geo", "Hydro", "Iono", "Lumi",
    "Magne", "Nano", "Opti", "Photo", "Quanti", "Robo", "Solari", "Terra", "Volta", "Xeno",
]  # fmt: skip
COMPANY_ENDINGS = ["tech", "lab", "systems", "dynamics", "works", "logic", "motion", "genix"]
COMPANIES_PER_COUNTRY = 2
# Share of entries with a company among their partners (an industry lab).
INDUSTRY_SHARE = 0.07

# Entry names: the kind of structure per instrument, then "in <theme> and <theme>".
KIND_NAMES = {
    "IRL": ("Laboratoire international", "International laboratory"),
    "IRP": ("Projet international", "International project"),
    "IRN": ("Réseau international", "International network"),
    "IEA": ("Action émergente", "Emerging action"),
    "UMIFRE": ("Institut français", "French institute"),
}
DEFAULT_KIND_NAME = ("Structure internationale", "International structure")

# Texts of an entry. In French, "{in_city}" is "à Tokyo" or "au Caire"; partners are named
# after a colon or in brackets, so that no article has to agree with them.
SUMMARIES = [
    (
        "{kind} du CNRS en {theme} et {theme2}, {in_city}. Partenaire principal : {partner}.",
        "{kind} of the CNRS in {theme} and {theme2}, in {city}. Main partner: {partner}.",
    ),
    (
        "Des équipes du CNRS et de leurs partenaires travaillent ensemble en {theme}, "
        "{in_city}. Partenaire principal : {partner}.",
        "CNRS teams and their partners work together in {theme}, in {city}. "
        "Main partner: {partner}.",
    ),
    (
        "Une coopération durable en {theme} et {theme2} ; partenaire principal : {partner}.",
        "A long-standing cooperation in {theme} and {theme2}; main partner: {partner}.",
    ),
]
DESCRIPTIONS = [
    (
        "Ses chercheurs, doctorants et ingénieurs partagent des instruments, organisent des "
        "écoles d'été et publient ensemble en {theme}. Les échanges de personnels se font "
        "dans les deux sens chaque année.",
        "Its researchers, doctoral students and engineers share instruments, run summer "
        "schools and publish together in {theme}. Staff exchanges go both ways every year.",
    ),
    (
        "Le programme scientifique couvre la recherche en {theme} et {theme2}, avec des "
        "campagnes de terrain, des ateliers communs et l'accueil de post-doctorants des deux "
        "pays.",
        "The scientific programme covers research in {theme} and {theme2}, with field "
        "campaigns, joint workshops and postdoctoral researchers hosted from both countries.",
    ),
    (
        "Les travaux associent modélisation, expériences et données ouvertes ; ils "
        "s'appuient sur les plateformes des partenaires ({partner}) et des laboratoires "
        "français.",
        "The work combines modelling, experiments and open data; it relies on the "
        "facilities of the partners ({partner}) and of the laboratories in France.",
    ),
]

FIRST_NAMES = [
    "Akira", "Ana", "Anna", "Camille", "Carlos", "Chen", "Claire", "Daniel", "David",
    "Elena", "Emma", "Fatou", "Hannah", "Hiroshi", "Ines", "Isabel", "Jean", "Julia",
    "Karim", "Laura", "Léa", "Lucas", "Marc", "Maria", "Mei", "Nadia", "Nicolas", "Olga",
    "Paulo", "Pierre", "Priya", "Rahul", "Sara", "Sofia", "Thomas", "Wei", "Yuki", "Zhang",
]  # fmt: skip
LAST_NAMES = [
    "Almeida", "Bauer", "Bernard", "Chen", "Costa", "Dubois", "Fischer", "Fournier",
    "García", "Girard", "Gupta", "Haddad", "Ivanova", "Kato", "Kim", "Kowalski", "Lambert",
    "Leroy", "López", "Martin", "Meyer", "Moreau", "Müller", "Nakamura", "Nguyen", "Novak",
    "Okafor", "Petit", "Rossi", "Roux", "Sato", "Schmidt", "Silva", "Singh", "Suzuki",
    "Tanaka", "Wang", "Yamamoto",
]  # fmt: skip
