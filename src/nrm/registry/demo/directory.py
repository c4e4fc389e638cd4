"""The demo's organisations and its logins: invented names, real kinds of institution.

Every kind of organisation appears at least once across the five Central Asian countries and
Russia, Turkey and the UAE; regions are ISO 3166-2 codes (the tests check them with pycountry).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nrm.accounts.roles import Role
from nrm.directory.models import OrganisationKind as Kind

# The one password of every demo account. It is printed: never use the demo with real data.
DEMO_PASSWORD = "nrm-demo-only"  # noqa: S105

# What each kind offers, from the one service taxonomy (directory.taxonomy).
SERVICES_BY_KIND: dict[str, tuple[str, ...]] = {
    Kind.NGO: ("psycho_social", "legal_counselling", "hotline_information", "outreach",
               "return_repatriation", "economic_support", "family_tracing"),
    Kind.SHELTER: ("shelter", "medical", "psychological", "psycho_social", "guardianship",
                   "vocational_training"),
    Kind.LEGAL_AID: ("legal_counselling", "legal_representation", "interpretation"),
    Kind.CONSULATE: ("document_recovery", "return_repatriation", "interpretation"),
    Kind.HOTLINE: ("hotline_information",),
    Kind.HEALTH: ("medical", "psychological"),
    Kind.INTERNATIONAL: ("return_repatriation", "economic_support", "vocational_training",
                         "in_kind_grant", "employment_assistance"),
    Kind.SOCIAL_PROTECTION: ("economic_support", "in_kind_grant", "guardianship", "education",
                             "employment_assistance"),
    Kind.MIGRATION_SERVICE: ("document_recovery",),
    Kind.DIASPORA: ("interpretation", "outreach", "family_tracing"),
    Kind.COMMUNITY_LEADER: ("outreach", "family_tracing"),
}
LANGUAGES_BY_COUNTRY = {
    "KZ": ["kk", "ru"], "KG": ["ky", "ru"], "UZ": ["uz", "ru"], "TJ": ["tg", "ru"],
    "TM": ["tk", "ru"], "RU": ["ru"], "TR": ["tr", "en"], "AE": ["ar", "en"],
}
# Who may screen and refer: those who meet persons first.
FIRST_RESPONDER_KINDS = frozenset({
    Kind.NGO, Kind.POLICE, Kind.LABOUR_INSPECTORATE, Kind.CONSULATE, Kind.SHELTER, Kind.HOTLINE,
    Kind.BORDER_SERVICE, Kind.MIGRATION_SERVICE, Kind.DIASPORA,
})


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name: str
    kind: str
    country: str
    region: str
    city: str
    short_name: str = ""
    competent_authority: bool = False
    # A consulate also speaks its own country's language.
    extra_languages: tuple[str, ...] = ()
    services: tuple[str, ...] | None = None

    @property
    def first_responder(self) -> bool:
        return self.kind in FIRST_RESPONDER_KINDS

    @property
    def languages(self) -> list[str]:
        return list(dict.fromkeys([*LANGUAGES_BY_COUNTRY[self.country], *self.extra_languages]))

    @property
    def service_codes(self) -> tuple[str, ...]:
        if self.services is not None:
            return self.services
        return SERVICES_BY_KIND.get(self.kind, ())


# Positional, so that the table below reads as a table.
def _org(key: str, name: str, kind: str, country: str, region: str, city: str,  # noqa: PLR0917
         **extra: object) -> DemoOrganisation:
    return DemoOrganisation(key=key, name=name, kind=kind, country=country, region=region,
                            city=city, **extra)  # type: ignore[arg-type]


ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    # Kyrgyzstan: the demo's main country, with two NGOs for the outsider story.
    _org("kg-ngo-bishkek", "Umut Public Foundation", Kind.NGO, "KG", "KG-GB", "Bishkek",
         short_name="Umut Bishkek", extra_languages=("en",)),
    _org("kg-ngo-osh", "Jardam Crisis Centre", Kind.NGO, "KG", "KG-GO", "Osh",
         short_name="Jardam Osh", extra_languages=("uz",)),
    _org("kg-hotline", "Kyrgyz Migrant Helpline 1-2-3", Kind.HOTLINE, "KG", "KG-GB", "Bishkek",
         short_name="Helpline KG"),
    _org("kg-police", "Anti-Trafficking Unit, Bishkek City Police", Kind.POLICE, "KG", "KG-GB",
         "Bishkek", short_name="ATU Bishkek"),
    _org("kg-commission", "Interagency Commission on Trafficking in Persons (Kyrgyzstan)",
         Kind.OTHER, "KG", "KG-GB", "Bishkek", short_name="Commission KG",
         competent_authority=True),
    _org("kg-labour-ministry", "Department of Social Protection, Chüy Region",
         Kind.SOCIAL_PROTECTION, "KG", "KG-C", "Tokmok"),
    _org("kg-prosecutor", "Osh Regional Prosecutor's Office", Kind.PROSECUTOR, "KG", "KG-O",
         "Osh"),
    _org("kg-shelter", "Ak-Jol Shelter for Women and Children", Kind.SHELTER, "KG", "KG-C",
         "Kant", short_name="Ak-Jol"),
    _org("kg-legal", "Ukuk Legal Clinic", Kind.LEGAL_AID, "KG", "KG-J", "Jalal-Abad"),
    _org("kg-border", "Border Service, Dostuk Checkpoint", Kind.BORDER_SERVICE, "KG", "KG-O",
         "Kara-Suu"),
    _org("kg-health", "Bishkek City Family Medicine Centre No. 9", Kind.HEALTH, "KG", "KG-GB",
         "Bishkek"),
    _org("kg-aksakal", "Aksakal Court of Batken Ayil Aimak", Kind.COMMUNITY_LEADER, "KG",
         "KG-B", "Batken"),
    _org("kg-statistics", "Migration Statistics Unit, National Statistical Committee",
         Kind.OTHER, "KG", "KG-GB", "Bishkek", short_name="Statistics KG", services=()),
    # Kazakhstan: a country of destination and of origin.
    _org("kz-ngo-almaty", "Sana Sezim Support Centre", Kind.NGO, "KZ", "KZ-75", "Almaty",
         short_name="Sana Sezim", extra_languages=("en",)),
    _org("kz-shelter-astana", "Komek Crisis Shelter", Kind.SHELTER, "KZ", "KZ-71", "Astana",
         short_name="Komek"),
    _org("kz-labour", "State Labour Inspectorate, Turkistan Region", Kind.LABOUR_INSPECTORATE,
         "KZ", "KZ-61", "Turkistan"),
    _org("kz-police", "Almaty Police Department, Migration Crimes Unit", Kind.POLICE, "KZ",
         "KZ-75", "Almaty"),
    _org("kz-commission", "Interdepartmental Commission on Trafficking in Persons (Kazakhstan)",
         Kind.OTHER, "KZ", "KZ-71", "Astana", short_name="Commission KZ",
         competent_authority=True),
    _org("kz-migration", "Migration Service, Almaty Region Police", Kind.MIGRATION_SERVICE,
         "KZ", "KZ-19", "Qonaev"),
    _org("kz-court", "Specialised Inter-District Criminal Court of Shymkent", Kind.COURT, "KZ",
         "KZ-79", "Shymkent"),
    _org("kz-consulate-uz", "Consulate General of Uzbekistan in Almaty", Kind.CONSULATE, "KZ",
         "KZ-75", "Almaty", extra_languages=("uz",)),
    # Uzbekistan
    _org("uz-ngo-tashkent", "Istiqbol Public Association", Kind.NGO, "UZ", "UZ-TK", "Tashkent",
         short_name="Istiqbol"),
    _org("uz-rehab", "Republican Rehabilitation Centre for Victims of Trafficking",
         Kind.SHELTER, "UZ", "UZ-TK", "Tashkent", short_name="Rehab Centre UZ"),
    _org("uz-commission", "National Commission on Combating Trafficking and Forced Labour",
         Kind.OTHER, "UZ", "UZ-TK", "Tashkent", short_name="Commission UZ",
         competent_authority=True),
    _org("uz-labour", "State Labour Inspectorate, Fergana Region", Kind.LABOUR_INSPECTORATE,
         "UZ", "UZ-FA", "Fergana"),
    _org("uz-mahalla", "Mahalla Committee, Andijan City", Kind.COMMUNITY_LEADER, "UZ", "UZ-AN",
         "Andijan"),
    # Tajikistan
    _org("tj-ngo-dushanbe", "Madad Centre for Migrants", Kind.NGO, "TJ", "TJ-DU", "Dushanbe",
         short_name="Madad"),
    _org("tj-ngo-khujand", "Nuri Umed Public Organisation", Kind.NGO, "TJ", "TJ-SU", "Khujand",
         short_name="Nuri Umed"),
    _org("tj-commission", "Interdepartmental Commission on Trafficking in Persons (Tajikistan)",
         Kind.OTHER, "TJ", "TJ-DU", "Dushanbe", short_name="Commission TJ",
         competent_authority=True),
    _org("tj-migration", "Migration Service, Khatlon Region", Kind.MIGRATION_SERVICE, "TJ",
         "TJ-KT", "Bokhtar"),
    _org("tj-io", "International Office for Migration Partnership, Dushanbe",
         Kind.INTERNATIONAL, "TJ", "TJ-DU", "Dushanbe", short_name="IOMP Dushanbe",
         extra_languages=("en",)),
    # Turkmenistan
    _org("tm-ngo-ashgabat", "Ynam Public Association", Kind.NGO, "TM", "TM-S", "Ashgabat",
         short_name="Ynam"),
    _org("tm-commission", "Interagency Working Group on Trafficking in Persons (Turkmenistan)",
         Kind.OTHER, "TM", "TM-S", "Ashgabat", short_name="Working Group TM",
         competent_authority=True),
    _org("tm-hotline", "Dowlet Helpline, Lebap", Kind.HOTLINE, "TM", "TM-L", "Türkmenabat"),
    # Russia: the main country of destination for labour.
    _org("ru-ngo-moscow", "Migrant Rights Centre Moscow", Kind.NGO, "RU", "RU-MOW", "Moscow",
         short_name="MRC Moscow", extra_languages=("uz", "tg", "ky")),
    _org("ru-consulate-kg", "Consulate General of Kyrgyzstan in Yekaterinburg", Kind.CONSULATE,
         "RU", "RU-SVE", "Yekaterinburg", extra_languages=("ky",)),
    _org("ru-consulate-uz", "Consulate General of Uzbekistan in Kazan", Kind.CONSULATE, "RU",
         "RU-TA", "Kazan", extra_languages=("uz",)),
    _org("ru-diaspora-tj", "Tajik Community Association of Saint Petersburg", Kind.DIASPORA,
         "RU", "RU-SPE", "Saint Petersburg", extra_languages=("tg",)),
    # Turkey and the UAE: destinations for sexual exploitation and domestic work.
    _org("tr-ngo-istanbul", "Yeni Hayat Women's Solidarity Association", Kind.NGO, "TR",
         "TR-34", "Istanbul", short_name="Yeni Hayat", extra_languages=("ru",)),
    _org("tr-consulate-tm", "Consulate General of Turkmenistan in Istanbul", Kind.CONSULATE,
         "TR", "TR-34", "Istanbul", extra_languages=("tk", "ru")),
    _org("tr-migration", "Provincial Directorate of Migration Management, Antalya",
         Kind.MIGRATION_SERVICE, "TR", "TR-07", "Antalya", competent_authority=True),
    _org("ae-shelter", "Al Aman Shelter for Women and Children", Kind.SHELTER, "AE", "AE-DU",
         "Dubai", short_name="Al Aman", extra_languages=("ru",)),
    _org("ae-consulate-uz", "Consulate General of Uzbekistan in Dubai", Kind.CONSULATE, "AE",
         "AE-DU", "Dubai", extra_languages=("uz", "ru")),
    _org("ae-committee", "National Committee on Combating Human Trafficking (UAE)", Kind.OTHER,
         "AE", "AE-AZ", "Abu Dhabi", short_name="Committee AE", competent_authority=True),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    organisation: str  # DemoOrganisation.key
    role: Role
    first_name: str
    last_name: str
    staff: bool = False  # may open the Django admin
    note: str = field(default="", compare=False)


LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("caseworker.bishkek", "kg-ngo-bishkek", Role.CASE_WORKER, "Aizada", "Sultanova",
              note="start here"),
    DemoLogin("colleague.bishkek", "kg-ngo-bishkek", Role.CASE_WORKER, "Bakyt", "Toktosunov"),
    DemoLogin("supervisor.bishkek", "kg-ngo-bishkek", Role.SUPERVISOR, "Gulnara", "Abdieva"),
    DemoLogin("admin.bishkek", "kg-ngo-bishkek", Role.ORGANISATION_ADMIN, "Ermek", "Usenov"),
    DemoLogin("caseworker.osh", "kg-ngo-osh", Role.CASE_WORKER, "Timur", "Ismailov",
              note="another NGO in the same country: sees none of Umut's persons"),
    DemoLogin("hotline.kg", "kg-hotline", Role.HOTLINE_OPERATOR, "Nazira", "Kasymova"),
    DemoLogin("officer.bishkek", "kg-police", Role.CASE_WORKER, "Almaz", "Beishenov"),
    DemoLogin("decision.kg", "kg-commission", Role.DECISION_MAKER, "Cholpon", "Zhakypova"),
    DemoLogin("coordinator.kg", "kg-commission", Role.NATIONAL_COORDINATOR, "Nurlan",
              "Asanbekov", note="cases of every organisation in KG, without identity"),
    DemoLogin("analyst.kg", "kg-statistics", Role.ANALYST, "Asel", "Moldokulova",
              note="aggregates only, never a person"),
    DemoLogin("sysadmin", "kg-commission", Role.SYSTEM_ADMIN, "Daniyar", "Kenzhebaev",
              staff=True),
    DemoLogin("caseworker.almaty", "kz-ngo-almaty", Role.CASE_WORKER, "Dana", "Seitkali"),
    DemoLogin("caseworker.astana", "kz-shelter-astana", Role.CASE_WORKER, "Madina", "Omarova"),
    DemoLogin("inspector.turkistan", "kz-labour", Role.CASE_WORKER, "Serik", "Ospanov"),
    DemoLogin("coordinator.kz", "kz-commission", Role.NATIONAL_COORDINATOR, "Aliya",
              "Nurpeisova"),
    DemoLogin("caseworker.tashkent", "uz-ngo-tashkent", Role.CASE_WORKER, "Nodira",
              "Yusupova"),
    DemoLogin("caseworker.dushanbe", "tj-ngo-dushanbe", Role.CASE_WORKER, "Firuza",
              "Nazarova"),
    DemoLogin("caseworker.khujand", "tj-ngo-khujand", Role.CASE_WORKER, "Rustam", "Safarov"),
    DemoLogin("caseworker.ashgabat", "tm-ngo-ashgabat", Role.CASE_WORKER, "Maral", "Orazowa"),
    DemoLogin("caseworker.moscow", "ru-ngo-moscow", Role.CASE_WORKER, "Olga", "Petrova"),
    DemoLogin("consul.yekaterinburg", "ru-consulate-kg", Role.CASE_WORKER, "Kanat",
              "Abdyldaev"),
    DemoLogin("consul.kazan", "ru-consulate-uz", Role.CASE_WORKER, "Sardor", "Rakhimov"),
    DemoLogin("caseworker.istanbul", "tr-ngo-istanbul", Role.CASE_WORKER, "Elif", "Yıldız"),
    DemoLogin("caseworker.dubai", "ae-shelter", Role.CASE_WORKER, "Layla", "Hassan"),
)


def organisation_by_key(key: str) -> DemoOrganisation:
    return next(org for org in ORGANISATIONS if org.key == key)
