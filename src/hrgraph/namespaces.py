"""The hrgraph ontology's terms as a closed namespace: a misspelt term fails at once
(mypy flags it, and Python raises AttributeError).

Generated from ontology/hrgraph.ttl by scripts/generate-namespaces.py: do not edit.
"""

from __future__ import annotations

from typing import Final

import pyoxigraph as ox

NAMESPACE: Final = "https://w3id.org/hrgraph/ontology#"


class HRG:
    """Every class, property and individual of https://w3id.org/hrgraph/ontology."""

    __slots__ = ()

    AcceptanceOfProcedure: Final = ox.NamedNode(NAMESPACE + "AcceptanceOfProcedure")
    acceptsProcedure: Final = ox.NamedNode(NAMESPACE + "acceptsProcedure")
    accessed: Final = ox.NamedNode(NAMESPACE + "accessed")
    Accession: Final = ox.NamedNode(NAMESPACE + "Accession")
    AccreditationDecision: Final = ox.NamedNode(NAMESPACE + "AccreditationDecision")
    AccreditationStatus: Final = ox.NamedNode(NAMESPACE + "AccreditationStatus")
    accreditationStatus: Final = ox.NamedNode(NAMESPACE + "accreditationStatus")
    accreditedInstitution: Final = ox.NamedNode(NAMESPACE + "accreditedInstitution")
    actingState: Final = ox.NamedNode(NAMESPACE + "actingState")
    actNumber: Final = ox.NamedNode(NAMESPACE + "actNumber")
    addressedTo: Final = ox.NamedNode(NAMESPACE + "addressedTo")
    adiletId: Final = ox.NamedNode(NAMESPACE + "adiletId")
    AdministrativeSanction: Final = ox.NamedNode(NAMESPACE + "AdministrativeSanction")
    adoptionDate: Final = ox.NamedNode(NAMESPACE + "adoptionDate")
    AdviseOnLegislation: Final = ox.NamedNode(NAMESPACE + "AdviseOnLegislation")
    AdvisoryBody: Final = ox.NamedNode(NAMESPACE + "AdvisoryBody")
    AdvisoryRecommendations: Final = ox.NamedNode(NAMESPACE + "AdvisoryRecommendations")
    amends: Final = ox.NamedNode(NAMESPACE + "amends")
    applicant: Final = ox.NamedNode(NAMESPACE + "applicant")
    appliesTo: Final = ox.NamedNode(NAMESPACE + "appliesTo")
    appointingAuthority: Final = ox.NamedNode(NAMESPACE + "appointingAuthority")
    AppointmentProcedure: Final = ox.NamedNode(NAMESPACE + "AppointmentProcedure")
    arisesFrom: Final = ox.NamedNode(NAMESPACE + "arisesFrom")
    articleNumber: Final = ox.NamedNode(NAMESPACE + "articleNumber")
    asksToChange: Final = ox.NamedNode(NAMESPACE + "asksToChange")
    asOf: Final = ox.NamedNode(NAMESPACE + "asOf")
    assessedBy: Final = ox.NamedNode(NAMESPACE + "assessedBy")
    assesses: Final = ox.NamedNode(NAMESPACE + "assesses")
    assessmentGrade: Final = ox.NamedNode(NAMESPACE + "assessmentGrade")
    basisAct: Final = ox.NamedNode(NAMESPACE + "basisAct")
    basisLevel: Final = ox.NamedNode(NAMESPACE + "basisLevel")
    BindingRecommendations: Final = ox.NamedNode(NAMESPACE + "BindingRecommendations")
    bindingStartAsStated: Final = ox.NamedNode(NAMESPACE + "bindingStartAsStated")
    boundInstrument: Final = ox.NamedNode(NAMESPACE + "boundInstrument")
    boundState: Final = ox.NamedNode(NAMESPACE + "boundState")
    BudgetArrangement: Final = ox.NamedNode(NAMESPACE + "BudgetArrangement")
    BudgetKind: Final = ox.NamedNode(NAMESPACE + "BudgetKind")
    budgetKind: Final = ox.NamedNode(NAMESPACE + "budgetKind")
    Case: Final = ox.NamedNode(NAMESPACE + "Case")
    CharterBody: Final = ox.NamedNode(NAMESPACE + "CharterBody")
    Children: Final = ox.NamedNode(NAMESPACE + "Children")
    CitizensOnly: Final = ox.NamedNode(NAMESPACE + "CitizensOnly")
    CivilSocietyOrganisation: Final = ox.NamedNode(NAMESPACE + "CivilSocietyOrganisation")
    civilSocietyParticipation: Final = ox.NamedNode(NAMESPACE + "civilSocietyParticipation")
    Claim: Final = ox.NamedNode(NAMESPACE + "Claim")
    claimedIn: Final = ox.NamedNode(NAMESPACE + "claimedIn")
    claimObject: Final = ox.NamedNode(NAMESPACE + "claimObject")
    claimPredicate: Final = ox.NamedNode(NAMESPACE + "claimPredicate")
    claimSubject: Final = ox.NamedNode(NAMESPACE + "claimSubject")
    claimText: Final = ox.NamedNode(NAMESPACE + "claimText")
    Code: Final = ox.NamedNode(NAMESPACE + "Code")
    ComplaintProcedure: Final = ox.NamedNode(NAMESPACE + "ComplaintProcedure")
    concernsProvision: Final = ox.NamedNode(NAMESPACE + "concernsProvision")
    concernsRight: Final = ox.NamedNode(NAMESPACE + "concernsRight")
    ConcludingObservations: Final = ox.NamedNode(NAMESPACE + "ConcludingObservations")
    confidence: Final = ox.NamedNode(NAMESPACE + "confidence")
    ConfidenceLevel: Final = ox.NamedNode(NAMESPACE + "ConfidenceLevel")
    Confirmed: Final = ox.NamedNode(NAMESPACE + "Confirmed")
    consentingAuthority: Final = ox.NamedNode(NAMESPACE + "consentingAuthority")
    ConsentToBeBound: Final = ox.NamedNode(NAMESPACE + "ConsentToBeBound")
    Constitution: Final = ox.NamedNode(NAMESPACE + "Constitution")
    ConstitutionalLaw: Final = ox.NamedNode(NAMESPACE + "ConstitutionalLaw")
    ConstitutionalLevel: Final = ox.NamedNode(NAMESPACE + "ConstitutionalLevel")
    Contradicted: Final = ox.NamedNode(NAMESPACE + "Contradicted")
    CooperateWithUN: Final = ox.NamedNode(NAMESPACE + "CooperateWithUN")
    CountryVisit: Final = ox.NamedNode(NAMESPACE + "CountryVisit")
    Court: Final = ox.NamedNode(NAMESPACE + "Court")
    CourtReferral: Final = ox.NamedNode(NAMESPACE + "CourtReferral")
    CriminalSanction: Final = ox.NamedNode(NAMESPACE + "CriminalSanction")
    cycle: Final = ox.NamedNode(NAMESPACE + "cycle")
    date: Final = ox.NamedNode(NAMESPACE + "date")
    decidedBy: Final = ox.NamedNode(NAMESPACE + "decidedBy")
    decidedByCourt: Final = ox.NamedNode(NAMESPACE + "decidedByCourt")
    Declaration: Final = ox.NamedNode(NAMESPACE + "Declaration")
    Decree: Final = ox.NamedNode(NAMESPACE + "Decree")
    Denunciation: Final = ox.NamedNode(NAMESPACE + "Denunciation")
    derivedFromAction: Final = ox.NamedNode(NAMESPACE + "derivedFromAction")
    dismissalGroundsInLaw: Final = ox.NamedNode(NAMESPACE + "dismissalGroundsInLaw")
    Document: Final = ox.NamedNode(NAMESPACE + "Document")
    documentOf: Final = ox.NamedNode(NAMESPACE + "documentOf")
    domesticAct: Final = ox.NamedNode(NAMESPACE + "domesticAct")
    DomesticProvision: Final = ox.NamedNode(NAMESPACE + "DomesticProvision")
    EncourageRatification: Final = ox.NamedNode(NAMESPACE + "EncourageRatification")
    endDate: Final = ox.NamedNode(NAMESPACE + "endDate")
    entryIntoForce: Final = ox.NamedNode(NAMESPACE + "entryIntoForce")
    establishedBy: Final = ox.NamedNode(NAMESPACE + "establishedBy")
    Event: Final = ox.NamedNode(NAMESPACE + "Event")
    Everyone: Final = ox.NamedNode(NAMESPACE + "Everyone")
    excludedFromMandate: Final = ox.NamedNode(NAMESPACE + "excludedFromMandate")
    ExecutiveDecreeLevel: Final = ox.NamedNode(NAMESPACE + "ExecutiveDecreeLevel")
    featureOf: Final = ox.NamedNode(NAMESPACE + "featureOf")
    Figure: Final = ox.NamedNode(NAMESPACE + "Figure")
    figureOf: Final = ox.NamedNode(NAMESPACE + "figureOf")
    ForeignNationals: Final = ox.NamedNode(NAMESPACE + "ForeignNationals")
    forFollowUp: Final = ox.NamedNode(NAMESPACE + "forFollowUp")
    Fulfil: Final = ox.NamedNode(NAMESPACE + "Fulfil")
    functionalImmunity: Final = ox.NamedNode(NAMESPACE + "functionalImmunity")
    givesRiseTo: Final = ox.NamedNode(NAMESPACE + "givesRiseTo")
    grantedBy: Final = ox.NamedNode(NAMESPACE + "grantedBy")
    hasFeature: Final = ox.NamedNode(NAMESPACE + "hasFeature")
    hasProvision: Final = ox.NamedNode(NAMESPACE + "hasProvision")
    hasResponse: Final = ox.NamedNode(NAMESPACE + "hasResponse")
    hasStatement: Final = ox.NamedNode(NAMESPACE + "hasStatement")
    heading: Final = ox.NamedNode(NAMESPACE + "heading")
    holder: Final = ox.NamedNode(NAMESPACE + "holder")
    HumanRightsEducation: Final = ox.NamedNode(NAMESPACE + "HumanRightsEducation")
    Immunity: Final = ox.NamedNode(NAMESPACE + "Immunity")
    immunityLiftedBy: Final = ox.NamedNode(NAMESPACE + "immunityLiftedBy")
    ImplementationAssessment: Final = ox.NamedNode(NAMESPACE + "ImplementationAssessment")
    ImplementationGrade: Final = ox.NamedNode(NAMESPACE + "ImplementationGrade")
    Implemented: Final = ox.NamedNode(NAMESPACE + "Implemented")
    inDocument: Final = ox.NamedNode(NAMESPACE + "inDocument")
    inForceFrom: Final = ox.NamedNode(NAMESPACE + "inForceFrom")
    inForceUntil: Final = ox.NamedNode(NAMESPACE + "inForceUntil")
    Institution: Final = ox.NamedNode(NAMESPACE + "Institution")
    InstitutionalFeature: Final = ox.NamedNode(NAMESPACE + "InstitutionalFeature")
    instrument: Final = ox.NamedNode(NAMESPACE + "instrument")
    InsufficientInformation: Final = ox.NamedNode(NAMESPACE + "InsufficientInformation")
    involves: Final = ox.NamedNode(NAMESPACE + "involves")
    isoCode: Final = ox.NamedNode(NAMESPACE + "isoCode")
    jurisdiction: Final = ox.NamedNode(NAMESPACE + "jurisdiction")
    Law: Final = ox.NamedNode(NAMESPACE + "Law")
    ledTo: Final = ox.NamedNode(NAMESPACE + "ledTo")
    LegalAct: Final = ox.NamedNode(NAMESPACE + "LegalAct")
    LegalActVersion: Final = ox.NamedNode(NAMESPACE + "LegalActVersion")
    LegalBasis: Final = ox.NamedNode(NAMESPACE + "LegalBasis")
    LegalInstrument: Final = ox.NamedNode(NAMESPACE + "LegalInstrument")
    legalSource: Final = ox.NamedNode(NAMESPACE + "legalSource")
    LegislativeInitiative: Final = ox.NamedNode(NAMESPACE + "LegislativeInitiative")
    location: Final = ox.NamedNode(NAMESPACE + "location")
    Mandate: Final = ox.NamedNode(NAMESPACE + "Mandate")
    mandateScope: Final = ox.NamedNode(NAMESPACE + "mandateScope")
    measure: Final = ox.NamedNode(NAMESPACE + "measure")
    member: Final = ox.NamedNode(NAMESPACE + "member")
    memberOf: Final = ox.NamedNode(NAMESPACE + "memberOf")
    Membership: Final = ox.NamedNode(NAMESPACE + "Membership")
    meritCriteriaPublished: Final = ox.NamedNode(NAMESPACE + "meritCriteriaPublished")
    Ministry: Final = ox.NamedNode(NAMESPACE + "Ministry")
    MissionReport: Final = ox.NamedNode(NAMESPACE + "MissionReport")
    monitoredBy: Final = ox.NamedNode(NAMESPACE + "monitoredBy")
    MonitoringMechanism: Final = ox.NamedNode(NAMESPACE + "MonitoringMechanism")
    monitors: Final = ox.NamedNode(NAMESPACE + "monitors")
    NationalHumanRightsInstitution: Final = ox.NamedNode(
        NAMESPACE + "NationalHumanRightsInstitution"
    )
    NationalReport: Final = ox.NamedNode(NAMESPACE + "NationalReport")
    NationalSecurity: Final = ox.NamedNode(NAMESPACE + "NationalSecurity")
    nominatingAuthority: Final = ox.NamedNode(NAMESPACE + "nominatingAuthority")
    NormativeResolution: Final = ox.NamedNode(NAMESPACE + "NormativeResolution")
    NormLevel: Final = ox.NamedNode(NAMESPACE + "NormLevel")
    note: Final = ox.NamedNode(NAMESPACE + "note")
    Noted: Final = ox.NamedNode(NAMESPACE + "Noted")
    NotImplemented: Final = ox.NamedNode(NAMESPACE + "NotImplemented")
    NotVerified: Final = ox.NamedNode(NAMESPACE + "NotVerified")
    Obligation: Final = ox.NamedNode(NAMESPACE + "Obligation")
    ObligationLevel: Final = ox.NamedNode(NAMESPACE + "ObligationLevel")
    obligationLevel: Final = ox.NamedNode(NAMESPACE + "obligationLevel")
    office: Final = ox.NamedNode(NAMESPACE + "office")
    OfficeHolding: Final = ox.NamedNode(NAMESPACE + "OfficeHolding")
    Ombudsman: Final = ox.NamedNode(NAMESPACE + "Ombudsman")
    OptionalProtocol: Final = ox.NamedNode(NAMESPACE + "OptionalProtocol")
    optionalProtocolTo: Final = ox.NamedNode(NAMESPACE + "optionalProtocolTo")
    Outdated: Final = ox.NamedNode(NAMESPACE + "Outdated")
    paragraph: Final = ox.NamedNode(NAMESPACE + "paragraph")
    paragraphNumber: Final = ox.NamedNode(NAMESPACE + "paragraphNumber")
    ParisPrinciplesRequirement: Final = ox.NamedNode(NAMESPACE + "ParisPrinciplesRequirement")
    PartiallyImplemented: Final = ox.NamedNode(NAMESPACE + "PartiallyImplemented")
    PartiallySupported: Final = ox.NamedNode(NAMESPACE + "PartiallySupported")
    PartlyVerified: Final = ox.NamedNode(NAMESPACE + "PartlyVerified")
    partOfMechanism: Final = ox.NamedNode(NAMESPACE + "partOfMechanism")
    permittedAimUnder: Final = ox.NamedNode(NAMESPACE + "permittedAimUnder")
    Person: Final = ox.NamedNode(NAMESPACE + "Person")
    PersonCategory: Final = ox.NamedNode(NAMESPACE + "PersonCategory")
    PositiveObligation: Final = ox.NamedNode(NAMESPACE + "PositiveObligation")
    Power: Final = ox.NamedNode(NAMESPACE + "Power")
    power: Final = ox.NamedNode(NAMESPACE + "power")
    PowerGrant: Final = ox.NamedNode(NAMESPACE + "PowerGrant")
    procedureBefore: Final = ox.NamedNode(NAMESPACE + "procedureBefore")
    producedDocument: Final = ox.NamedNode(NAMESPACE + "producedDocument")
    Prohibition: Final = ox.NamedNode(NAMESPACE + "Prohibition")
    ProsecutionService: Final = ox.NamedNode(NAMESPACE + "ProsecutionService")
    Protect: Final = ox.NamedNode(NAMESPACE + "Protect")
    protectedBy: Final = ox.NamedNode(NAMESPACE + "protectedBy")
    protectsRight: Final = ox.NamedNode(NAMESPACE + "protectsRight")
    Provision: Final = ox.NamedNode(NAMESPACE + "Provision")
    provisionOf: Final = ox.NamedNode(NAMESPACE + "provisionOf")
    PublicHealth: Final = ox.NamedNode(NAMESPACE + "PublicHealth")
    PublicMorals: Final = ox.NamedNode(NAMESPACE + "PublicMorals")
    PublicOrder: Final = ox.NamedNode(NAMESPACE + "PublicOrder")
    PublicSafety: Final = ox.NamedNode(NAMESPACE + "PublicSafety")
    publicVacancy: Final = ox.NamedNode(NAMESPACE + "publicVacancy")
    PublishDecisions: Final = ox.NamedNode(NAMESPACE + "PublishDecisions")
    Ratification: Final = ox.NamedNode(NAMESPACE + "Ratification")
    ReceiveComplaints: Final = ox.NamedNode(NAMESPACE + "ReceiveComplaints")
    Recommendation: Final = ox.NamedNode(NAMESPACE + "Recommendation")
    recommendingState: Final = ox.NamedNode(NAMESPACE + "recommendingState")
    refusalCount: Final = ox.NamedNode(NAMESPACE + "refusalCount")
    refusalGround: Final = ox.NamedNode(NAMESPACE + "refusalGround")
    refusingAuthority: Final = ox.NamedNode(NAMESPACE + "refusingAuthority")
    RegionalMechanism: Final = ox.NamedNode(NAMESPACE + "RegionalMechanism")
    RegistrationRefusal: Final = ox.NamedNode(NAMESPACE + "RegistrationRefusal")
    regulatesRight: Final = ox.NamedNode(NAMESPACE + "regulatesRight")
    renewable: Final = ox.NamedNode(NAMESPACE + "renewable")
    repeals: Final = ox.NamedNode(NAMESPACE + "repeals")
    ReportToParliament: Final = ox.NamedNode(NAMESPACE + "ReportToParliament")
    Requirement: Final = ox.NamedNode(NAMESPACE + "Requirement")
    requirementCode: Final = ox.NamedNode(NAMESPACE + "requirementCode")
    requiresAuthorisation: Final = ox.NamedNode(NAMESPACE + "requiresAuthorisation")
    requiresNotification: Final = ox.NamedNode(NAMESPACE + "requiresNotification")
    requiresRegistration: Final = ox.NamedNode(NAMESPACE + "requiresRegistration")
    Reservation: Final = ox.NamedNode(NAMESPACE + "Reservation")
    Respect: Final = ox.NamedNode(NAMESPACE + "Respect")
    respondingState: Final = ox.NamedNode(NAMESPACE + "respondingState")
    respondsTo: Final = ox.NamedNode(NAMESPACE + "respondsTo")
    Response: Final = ox.NamedNode(NAMESPACE + "Response")
    ResponseStatus: Final = ox.NamedNode(NAMESPACE + "ResponseStatus")
    responseStatus: Final = ox.NamedNode(NAMESPACE + "responseStatus")
    RestrictionAim: Final = ox.NamedNode(NAMESPACE + "RestrictionAim")
    restrictionAim: Final = ox.NamedNode(NAMESPACE + "restrictionAim")
    Review: Final = ox.NamedNode(NAMESPACE + "Review")
    reviewedState: Final = ox.NamedNode(NAMESPACE + "reviewedState")
    reviewingMechanism: Final = ox.NamedNode(NAMESPACE + "reviewingMechanism")
    Right: Final = ox.NamedNode(NAMESPACE + "Right")
    RightsOfOthers: Final = ox.NamedNode(NAMESPACE + "RightsOfOthers")
    RightsScheme: Final = ox.NamedNode(NAMESPACE + "RightsScheme")
    role: Final = ox.NamedNode(NAMESPACE + "role")
    Sanction: Final = ox.NamedNode(NAMESPACE + "Sanction")
    sanction: Final = ox.NamedNode(NAMESPACE + "sanction")
    sanctionedConduct: Final = ox.NamedNode(NAMESPACE + "sanctionedConduct")
    SanctionKind: Final = ox.NamedNode(NAMESPACE + "SanctionKind")
    sanctionKind: Final = ox.NamedNode(NAMESPACE + "sanctionKind")
    SeparateBudgetLine: Final = ox.NamedNode(NAMESPACE + "SeparateBudgetLine")
    session: Final = ox.NamedNode(NAMESPACE + "session")
    shortName: Final = ox.NamedNode(NAMESPACE + "shortName")
    Signature: Final = ox.NamedNode(NAMESPACE + "Signature")
    Source: Final = ox.NamedNode(NAMESPACE + "Source")
    source: Final = ox.NamedNode(NAMESPACE + "source")
    SpecialProcedure: Final = ox.NamedNode(NAMESPACE + "SpecialProcedure")
    SpiritualAndMoralValues: Final = ox.NamedNode(NAMESPACE + "SpiritualAndMoralValues")
    State: Final = ox.NamedNode(NAMESPACE + "State")
    statedIn: Final = ox.NamedNode(NAMESPACE + "statedIn")
    StatelessPersons: Final = ox.NamedNode(NAMESPACE + "StatelessPersons")
    StatementOnTreaty: Final = ox.NamedNode(NAMESPACE + "StatementOnTreaty")
    stateOf: Final = ox.NamedNode(NAMESPACE + "stateOf")
    StatusA: Final = ox.NamedNode(NAMESPACE + "StatusA")
    StatusB: Final = ox.NamedNode(NAMESPACE + "StatusB")
    StatusC: Final = ox.NamedNode(NAMESPACE + "StatusC")
    StatutoryLevel: Final = ox.NamedNode(NAMESPACE + "StatutoryLevel")
    Succession: Final = ox.NamedNode(NAMESPACE + "Succession")
    Supported: Final = ox.NamedNode(NAMESPACE + "Supported")
    Term: Final = ox.NamedNode(NAMESPACE + "Term")
    termYears: Final = ox.NamedNode(NAMESPACE + "termYears")
    text: Final = ox.NamedNode(NAMESPACE + "text")
    textIsSummary: Final = ox.NamedNode(NAMESPACE + "textIsSummary")
    Treaty: Final = ox.NamedNode(NAMESPACE + "Treaty")
    TreatyAction: Final = ox.NamedNode(NAMESPACE + "TreatyAction")
    TreatyBinding: Final = ox.NamedNode(NAMESPACE + "TreatyBinding")
    TreatyBody: Final = ox.NamedNode(NAMESPACE + "TreatyBody")
    TreatyProvision: Final = ox.NamedNode(NAMESPACE + "TreatyProvision")
    UniversalPeriodicReview: Final = ox.NamedNode(NAMESPACE + "UniversalPeriodicReview")
    unSymbol: Final = ox.NamedNode(NAMESPACE + "unSymbol")
    Unverified: Final = ox.NamedNode(NAMESPACE + "Unverified")
    UPRWorkingGroupReport: Final = ox.NamedNode(NAMESPACE + "UPRWorkingGroupReport")
    url: Final = ox.NamedNode(NAMESPACE + "url")
    validFrom: Final = ox.NamedNode(NAMESPACE + "validFrom")
    validUntil: Final = ox.NamedNode(NAMESPACE + "validUntil")
    value: Final = ox.NamedNode(NAMESPACE + "value")
    Verdict: Final = ox.NamedNode(NAMESPACE + "Verdict")
    verdict: Final = ox.NamedNode(NAMESPACE + "verdict")
    Verified: Final = ox.NamedNode(NAMESPACE + "Verified")
    versionOf: Final = ox.NamedNode(NAMESPACE + "versionOf")
    VisitPlacesOfDetention: Final = ox.NamedNode(NAMESPACE + "VisitPlacesOfDetention")
    WithinExecutiveBudget: Final = ox.NamedNode(NAMESPACE + "WithinExecutiveBudget")
    Women: Final = ox.NamedNode(NAMESPACE + "Women")


TERMS: Final = frozenset(
    {
        "AcceptanceOfProcedure",
        "acceptsProcedure",
        "accessed",
        "Accession",
        "AccreditationDecision",
        "AccreditationStatus",
        "accreditationStatus",
        "accreditedInstitution",
        "actingState",
        "actNumber",
        "addressedTo",
        "adiletId",
        "AdministrativeSanction",
        "adoptionDate",
        "AdviseOnLegislation",
        "AdvisoryBody",
        "AdvisoryRecommendations",
        "amends",
        "applicant",
        "appliesTo",
        "appointingAuthority",
        "AppointmentProcedure",
        "arisesFrom",
        "articleNumber",
        "asksToChange",
        "asOf",
        "assessedBy",
        "assesses",
        "assessmentGrade",
        "basisAct",
        "basisLevel",
        "BindingRecommendations",
        "bindingStartAsStated",
        "boundInstrument",
        "boundState",
        "BudgetArrangement",
        "BudgetKind",
        "budgetKind",
        "Case",
        "CharterBody",
        "Children",
        "CitizensOnly",
        "CivilSocietyOrganisation",
        "civilSocietyParticipation",
        "Claim",
        "claimedIn",
        "claimObject",
        "claimPredicate",
        "claimSubject",
        "claimText",
        "Code",
        "ComplaintProcedure",
        "concernsProvision",
        "concernsRight",
        "ConcludingObservations",
        "confidence",
        "ConfidenceLevel",
        "Confirmed",
        "consentingAuthority",
        "ConsentToBeBound",
        "Constitution",
        "ConstitutionalLaw",
        "ConstitutionalLevel",
        "Contradicted",
        "CooperateWithUN",
        "CountryVisit",
        "Court",
        "CourtReferral",
        "CriminalSanction",
        "cycle",
        "date",
        "decidedBy",
        "decidedByCourt",
        "Declaration",
        "Decree",
        "Denunciation",
        "derivedFromAction",
        "dismissalGroundsInLaw",
        "Document",
        "documentOf",
        "domesticAct",
        "DomesticProvision",
        "EncourageRatification",
        "endDate",
        "entryIntoForce",
        "establishedBy",
        "Event",
        "Everyone",
        "excludedFromMandate",
        "ExecutiveDecreeLevel",
        "featureOf",
        "Figure",
        "figureOf",
        "ForeignNationals",
        "forFollowUp",
        "Fulfil",
        "functionalImmunity",
        "givesRiseTo",
        "grantedBy",
        "hasFeature",
        "hasProvision",
        "hasResponse",
        "hasStatement",
        "heading",
        "holder",
        "HumanRightsEducation",
        "Immunity",
        "immunityLiftedBy",
        "ImplementationAssessment",
        "ImplementationGrade",
        "Implemented",
        "inDocument",
        "inForceFrom",
        "inForceUntil",
        "Institution",
        "InstitutionalFeature",
        "instrument",
        "InsufficientInformation",
        "involves",
        "isoCode",
        "jurisdiction",
        "Law",
        "ledTo",
        "LegalAct",
        "LegalActVersion",
        "LegalBasis",
        "LegalInstrument",
        "legalSource",
        "LegislativeInitiative",
        "location",
        "Mandate",
        "mandateScope",
        "measure",
        "member",
        "memberOf",
        "Membership",
        "meritCriteriaPublished",
        "Ministry",
        "MissionReport",
        "monitoredBy",
        "MonitoringMechanism",
        "monitors",
        "NationalHumanRightsInstitution",
        "NationalReport",
        "NationalSecurity",
        "nominatingAuthority",
        "NormativeResolution",
        "NormLevel",
        "note",
        "Noted",
        "NotImplemented",
        "NotVerified",
        "Obligation",
        "ObligationLevel",
        "obligationLevel",
        "office",
        "OfficeHolding",
        "Ombudsman",
        "OptionalProtocol",
        "optionalProtocolTo",
        "Outdated",
        "paragraph",
        "paragraphNumber",
        "ParisPrinciplesRequirement",
        "PartiallyImplemented",
        "PartiallySupported",
        "PartlyVerified",
        "partOfMechanism",
        "permittedAimUnder",
        "Person",
        "PersonCategory",
        "PositiveObligation",
        "Power",
        "power",
        "PowerGrant",
        "procedureBefore",
        "producedDocument",
        "Prohibition",
        "ProsecutionService",
        "Protect",
        "protectedBy",
        "protectsRight",
        "Provision",
        "provisionOf",
        "PublicHealth",
        "PublicMorals",
        "PublicOrder",
        "PublicSafety",
        "publicVacancy",
        "PublishDecisions",
        "Ratification",
        "ReceiveComplaints",
        "Recommendation",
        "recommendingState",
        "refusalCount",
        "refusalGround",
        "refusingAuthority",
        "RegionalMechanism",
        "RegistrationRefusal",
        "regulatesRight",
        "renewable",
        "repeals",
        "ReportToParliament",
        "Requirement",
        "requirementCode",
        "requiresAuthorisation",
        "requiresNotification",
        "requiresRegistration",
        "Reservation",
        "Respect",
        "respondingState",
        "respondsTo",
        "Response",
        "ResponseStatus",
        "responseStatus",
        "RestrictionAim",
        "restrictionAim",
        "Review",
        "reviewedState",
        "reviewingMechanism",
        "Right",
        "RightsOfOthers",
        "RightsScheme",
        "role",
        "Sanction",
        "sanction",
        "sanctionedConduct",
        "SanctionKind",
        "sanctionKind",
        "SeparateBudgetLine",
        "session",
        "shortName",
        "Signature",
        "Source",
        "source",
        "SpecialProcedure",
        "SpiritualAndMoralValues",
        "State",
        "statedIn",
        "StatelessPersons",
        "StatementOnTreaty",
        "stateOf",
        "StatusA",
        "StatusB",
        "StatusC",
        "StatutoryLevel",
        "Succession",
        "Supported",
        "Term",
        "termYears",
        "text",
        "textIsSummary",
        "Treaty",
        "TreatyAction",
        "TreatyBinding",
        "TreatyBody",
        "TreatyProvision",
        "UniversalPeriodicReview",
        "unSymbol",
        "Unverified",
        "UPRWorkingGroupReport",
        "url",
        "validFrom",
        "validUntil",
        "value",
        "Verdict",
        "verdict",
        "Verified",
        "versionOf",
        "VisitPlacesOfDetention",
        "WithinExecutiveBudget",
        "Women",
    }
)
"""The local names of all terms, for checks against the ontology."""
