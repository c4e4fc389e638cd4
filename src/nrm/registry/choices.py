"""Picklists of the registry. Stored values are HTCDS 2.0 value names (../shared/standards/),
so that an HTCDS export is a mapping; nrm's additions are marked."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    """HTCDS prs_Gender."""

    FEMININE = "Feminine", _("Female")
    MASCULINE = "Masculine", _("Male")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender female")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender male")
    NON_CONFORMING = "NonConforming", _("Non-conforming")
    UNKNOWN = "NonSpecifiedUnknown", _("Not specified / unknown")


class AgeBand(models.TextChoices):
    """CTDC ageBroad bands, for a person whose birth year is not known."""

    B0_8 = "0--8", _("0–8")
    B9_17 = "9--17", _("9–17")
    B18_20 = "18--20", _("18–20")
    B21_23 = "21--23", _("21–23")
    B24_26 = "24--26", _("24–26")
    B27_29 = "27--29", _("27–29")
    B30_38 = "30--38", _("30–38")
    B39_47 = "39--47", _("39–47")
    B48 = "48+", _("48 and over")


class CaseStatus(models.TextChoices):
    """HTCDS cas_Status."""

    ACTIVE = "Active", _("Active")
    FOLLOW_UP = "FollowUp", _("Follow-up")
    CLOSED = "Closed", _("Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed (referred)")


class EntryPoint(models.TextChoices):
    HOTLINE = "hotline", _("Hotline")
    NGO_OUTREACH = "ngo_outreach", _("NGO outreach")
    POLICE = "police", _("Police")
    LABOUR_INSPECTION = "labour_inspection", _("Labour inspection")
    BORDER = "border", _("Border")
    CONSULATE = "consulate", _("Consulate")
    HEALTH_WORKER = "health_worker", _("Health worker")
    DIASPORA = "diaspora", _("Diaspora")
    SELF_REFERRAL = "self_referral", _("Self-referral")
    OTHER = "other", _("Other")


class ExploitationType(models.TextChoices):
    """HTCDS vic_TypeOfExploitation, plus forced criminality (HTCDS issue #28)."""

    FORCED_LABOUR = "ForcedLabour", _("Forced labour")
    SEXUAL_EXPLOITATION = "SexualExploitation", _("Sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    SERVITUDE = "Servitude", _("Servitude")
    FORCED_MILITARY = "ForcedMilitaryByNonStateActors", _("Forced military (by non-state actors)")
    ORGAN_REMOVAL = "OrganRemoval", _("Organ removal")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    FORCED_ADOPTION = "ForcedAdoption", _("Forced adoption")
    SURROGACY = "Surrogacy", _("Surrogacy")
    FORCED_CRIMINALITY = "ForcedCriminality", _("Forced criminality")  # nrm addition
    OTHER = "Other", _("Other")


class LabourIndustry(models.TextChoices):
    """HTCDS vic_ForcedLabourIndustry (ISIC Rev. 4 sections)."""

    A = "A_AgricultureForestryAndFishing", _("Agriculture, forestry and fishing")
    B = "B_MiningAndQuarrying", _("Mining and quarrying")
    C = "C_Manufacturing", _("Manufacturing")
    D = "D_ElectricityGasSteamAndAirConditioningSupply", _("Electricity, gas and steam supply")
    E = "E_WaterSupplySewerageWasteManagement", _("Water supply; sewerage, waste management")
    F = "F_Construction", _("Construction")
    G = "G_WholesaleAndRetailTradeRepairOfMotorVehicles", _("Wholesale and retail trade")
    H = "H_TransportationAndStorage", _("Transportation and storage")
    I = "I_AccommodationAndFoodServiceActivities", _("Accommodation and food service")  # noqa: E741
    J = "J_InformationAndCommunication", _("Information and communication")
    K = "K_FinancialAndInsuranceActivities", _("Financial and insurance activities")
    L = "L_RealEstateActivities", _("Real estate activities")
    M = "M_ProfessionalScientificAndTechnicalActivities", _("Professional and technical activities")
    N = "N_AdministrativeAndSupportServiceActivities", _("Administrative and support services")
    O = "O_PublicAdministrationAndDefence", _("Public administration and defence")  # noqa: E741
    P = "P_Education", _("Education")
    Q = "Q_HumanHealthAndSocialWorkActivities", _("Human health and social work")
    R = "R_ArtsEntertainmentAndRecreation", _("Arts, entertainment and recreation")
    S = "S_OtherServiceActivities", _("Other service activities")
    T = "T_ActivitiesOfHouseholdsAsEmployers", _("Households as employers (domestic work)")
    U = "U_ActivitiesOfExtraterritorialOrganizations", _("Extraterritorial organisations")


class SexualExploitationType(models.TextChoices):
    """HTCDS vic_TypeOfSexExploitation."""

    PROSTITUTION = "Prostitution", _("Prostitution")
    PORNOGRAPHY = "Pornography", _("Pornography")
    REMOTE_INTERACTIVE = "RemoteInteractiveServices", _("Remote interactive services")
    PRIVATE_SEXUAL = "PrivateSexualServices", _("Private sexual services")


class MeansOfControl(models.TextChoices):
    """HTCDS vic_MethodsOfControl."""

    PHYSICAL_THREATS = "PhysicalThreats", _("Physical threats")
    THREATS_LAW_ENFORCEMENT = "ThreatsLawEnforcement", _("Threats of law enforcement")
    THREATENS_FAMILY = "ThreatensChildrenFamily", _("Threatens children or family")
    DEBT_BONDAGE = "DebtBondage", _("Debt bondage")
    FALSE_PROMISES = "FalsePromises", _("False promises")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("Physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("Sexual abuse")
    TAKES_EARNINGS = "TakesEarnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "RestrictsFinancialAccess", _("Restricts financial access")
    RESTRICTS_MEDICAL_CARE = "RestrictsMedicalCare", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "WithholdsNecessities", _("Withholds necessities")
    PSYCHOLOGICAL_ABUSE = "PsychologicalAbuse", _("Psychological abuse")
    PSYCHOACTIVE_SUBSTANCE = "PsychoactiveSubstance", _("Psychoactive substances")
    EXCESSIVE_WORKING_HOURS = "ExcessiveWorkingHours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("Withholds documents")
    OTHER = "Other", _("Other")


class RecruitmentMethod(models.TextChoices):
    """HTCDS vic_MethodOfRecruitment."""

    PLACE_OF_BUSINESS = "AtAPlaceOfBusiness", _("At a place of business")
    EDUCATIONAL_INSTITUTION = "AtAnEducationalInstitution", _("At an educational institution")
    AT_WORK = "AtWork", _("At work")
    ONLINE_SOCIAL_NETWORKS = "ThroughOnlineSocialNetworks", _("Through online social networks")
    ONLINE_ADVERTISEMENT = "ThroughAnOnlineAdvertisement", _("Through an online advertisement")
    TELEVISION_ADVERT = "ThroughATelevisionAdvert", _("Through a television advert")
    NEWSPAPER_ADVERT = "ThroughANewspaperAdvert", _("Through a newspaper advert")
    FAMILY = "ThroughFamilyOrFamilyEvents", _("Through family or family events")
    FRIENDS = "ThroughFriendsOrSocialEvents", _("Through friends or social events")
    OTHER = "Other", _("Other")


class RecruiterRelationship(models.TextChoices):
    """HTCDS vic_RelationshipToTrafficker."""

    FAMILIAL = "Familial", _("Family member")
    ACQUAINTED = "Acquainted", _("Acquaintance")
    UNACQUAINTED = "Unaquainted", _("Stranger")  # HTCDS spells it so


class EventStage(models.TextChoices):
    """HTCDS hte_Type."""

    RECRUITMENT = "Recruitment", _("Recruitment")
    TRANSIT = "Transit", _("Transit")
    EXPLOITATION = "Exploitation", _("Exploitation")


class ConsentPurpose(models.TextChoices):
    SERVICES = "services", _("Receiving services")
    SHARE_ORGANISATION = "share_organisation", _("Sharing with a named organisation")
    CROSS_BORDER = "cross_border", _("Sharing across borders")
    LAW_ENFORCEMENT = "law_enforcement", _("Contact with law enforcement")
    STATISTICS = "statistics", _("Use in statistics")
    FOLLOW_UP = "follow_up", _("Follow-up contact")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Written, signed")
    ORAL = "oral", _("Oral, witnessed")
    ELECTRONIC = "electronic", _("Electronic")
    GUARDIAN = "guardian", _("By guardian")
