"""The hrgraph ontology's terms as a closed namespace: a misspelt term fails at once
(mypy flags it, and Python raises AttributeError).

Generated from ontology/hrgraph.ttl by scripts/generate-namespaces.py: do not edit.
"""

from __future__ import annotations

from typing import Final

import pyoxigraph as ox

NAMESPACE: Final = "https://w3id.org/hrgraph/ontology#"


def _term(name: str) -> ox.NamedNode:
    return ox.NamedNode(NAMESPACE + name)


class _Terms:
    """Every class, property and individual of https://w3id.org/hrgraph/ontology."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"the hrgraph namespace is read-only: cannot set {name}")

    AcceptanceOfProcedure: Final = _term("AcceptanceOfProcedure")
    acceptsProcedure: Final = _term("acceptsProcedure")
    accessed: Final = _term("accessed")
    Accession: Final = _term("Accession")
    AccreditationBody: Final = _term("AccreditationBody")
    AccreditationDecision: Final = _term("AccreditationDecision")
    AccreditationStatus: Final = _term("AccreditationStatus")
    accreditationStatus: Final = _term("accreditationStatus")
    accreditedInstitution: Final = _term("accreditedInstitution")
    actingState: Final = _term("actingState")
    actNumber: Final = _term("actNumber")
    addressedTo: Final = _term("addressedTo")
    adiletId: Final = _term("adiletId")
    AdministrativeSanction: Final = _term("AdministrativeSanction")
    AdmissibilityDecision: Final = _term("AdmissibilityDecision")
    adoptionDate: Final = _term("adoptionDate")
    AdviseOnLegislation: Final = _term("AdviseOnLegislation")
    AdvisoryBody: Final = _term("AdvisoryBody")
    AdvisoryRecommendations: Final = _term("AdvisoryRecommendations")
    amends: Final = _term("amends")
    applicant: Final = _term("applicant")
    appliesTo: Final = _term("appliesTo")
    appointingAuthority: Final = _term("appointingAuthority")
    AppointmentProcedure: Final = _term("AppointmentProcedure")
    arisesFrom: Final = _term("arisesFrom")
    articleNumber: Final = _term("articleNumber")
    asksToChange: Final = _term("asksToChange")
    asOf: Final = _term("asOf")
    assessedBy: Final = _term("assessedBy")
    assessedRequirement: Final = _term("assessedRequirement")
    assesses: Final = _term("assesses")
    Assessment: Final = _term("Assessment")
    assessment: Final = _term("assessment")
    assessmentGrade: Final = _term("assessmentGrade")
    AssociationKind: Final = _term("AssociationKind")
    associationKind: Final = _term("associationKind")
    Attestation: Final = _term("Attestation")
    attestedProperty: Final = _term("attestedProperty")
    attests: Final = _term("attests")
    authorName: Final = _term("authorName")
    basisAct: Final = _term("basisAct")
    basisLevel: Final = _term("basisLevel")
    BeyondStandard: Final = _term("BeyondStandard")
    BindingRecommendations: Final = _term("BindingRecommendations")
    bindingStartAsStated: Final = _term("bindingStartAsStated")
    boundInstrument: Final = _term("boundInstrument")
    boundState: Final = _term("boundState")
    BudgetArrangement: Final = _term("BudgetArrangement")
    BudgetKind: Final = _term("BudgetKind")
    budgetKind: Final = _term("budgetKind")
    Case: Final = _term("Case")
    CharterBody: Final = _term("CharterBody")
    Children: Final = _term("Children")
    CitizensOnly: Final = _term("CitizensOnly")
    CivilSocietyOrganisation: Final = _term("CivilSocietyOrganisation")
    civilSocietyParticipation: Final = _term("civilSocietyParticipation")
    Claim: Final = _term("Claim")
    claimedIn: Final = _term("claimedIn")
    claimObject: Final = _term("claimObject")
    claimPredicate: Final = _term("claimPredicate")
    claimSubject: Final = _term("claimSubject")
    claimText: Final = _term("claimText")
    Code: Final = _term("Code")
    Communication: Final = _term("Communication")
    CommunicationDecision: Final = _term("CommunicationDecision")
    communicationNumber: Final = _term("communicationNumber")
    CommunicationOutcome: Final = _term("CommunicationOutcome")
    ComplaintProcedure: Final = _term("ComplaintProcedure")
    concernsProvision: Final = _term("concernsProvision")
    concernsRight: Final = _term("concernsRight")
    ConcludingObservations: Final = _term("ConcludingObservations")
    confidence: Final = _term("confidence")
    ConfidenceLevel: Final = _term("ConfidenceLevel")
    Confirmed: Final = _term("Confirmed")
    consentingAuthority: Final = _term("consentingAuthority")
    ConsentToBeBound: Final = _term("ConsentToBeBound")
    consideredBy: Final = _term("consideredBy")
    Constitution: Final = _term("Constitution")
    ConstitutionalLaw: Final = _term("ConstitutionalLaw")
    ConstitutionalLevel: Final = _term("ConstitutionalLevel")
    Contradicted: Final = _term("Contradicted")
    CooperateWithUN: Final = _term("CooperateWithUN")
    CountryVisit: Final = _term("CountryVisit")
    Court: Final = _term("Court")
    CourtReferral: Final = _term("CourtReferral")
    coversAllPublicAuthorities: Final = _term("coversAllPublicAuthorities")
    CriminalSanction: Final = _term("CriminalSanction")
    cycle: Final = _term("cycle")
    date: Final = _term("date")
    decidedBy: Final = _term("decidedBy")
    decidedByCourt: Final = _term("decidedByCourt")
    decidingAuthority: Final = _term("decidingAuthority")
    DecisionKind: Final = _term("DecisionKind")
    decisionKind: Final = _term("decisionKind")
    decisionOn: Final = _term("decisionOn")
    decisionOutcome: Final = _term("decisionOutcome")
    Declaration: Final = _term("Declaration")
    Decree: Final = _term("Decree")
    dedicatedResources: Final = _term("dedicatedResources")
    Denunciation: Final = _term("Denunciation")
    derivedFromAction: Final = _term("derivedFromAction")
    designatedAs: Final = _term("designatedAs")
    DiscontinuanceDecision: Final = _term("DiscontinuanceDecision")
    Discontinued: Final = _term("Discontinued")
    dismissalGroundsInLaw: Final = _term("dismissalGroundsInLaw")
    Dissolution: Final = _term("Dissolution")
    Document: Final = _term("Document")
    documentOf: Final = _term("documentOf")
    domesticAct: Final = _term("domesticAct")
    DomesticProvision: Final = _term("DomesticProvision")
    duringEvent: Final = _term("duringEvent")
    EncourageRatification: Final = _term("EncourageRatification")
    endDate: Final = _term("endDate")
    enforces: Final = _term("enforces")
    ensuresPluralism: Final = _term("ensuresPluralism")
    entryIntoForce: Final = _term("entryIntoForce")
    EssentialRequirement: Final = _term("EssentialRequirement")
    establishedBy: Final = _term("establishedBy")
    Event: Final = _term("Event")
    Everyone: Final = _term("Everyone")
    excludedFromMandate: Final = _term("excludedFromMandate")
    ExecutiveDecreeLevel: Final = _term("ExecutiveDecreeLevel")
    featureOf: Final = _term("featureOf")
    Figure: Final = _term("Figure")
    figureOf: Final = _term("figureOf")
    followUpGrade: Final = _term("followUpGrade")
    ForeignNationals: Final = _term("ForeignNationals")
    forFollowUp: Final = _term("forFollowUp")
    foundViolated: Final = _term("foundViolated")
    Fulfil: Final = _term("Fulfil")
    functionalImmunity: Final = _term("functionalImmunity")
    givesRiseTo: Final = _term("givesRiseTo")
    governmentRepresentativesVote: Final = _term("governmentRepresentativesVote")
    grantedBy: Final = _term("grantedBy")
    groundAim: Final = _term("groundAim")
    GroundKind: Final = _term("GroundKind")
    groundKind: Final = _term("groundKind")
    GroundStatement: Final = _term("GroundStatement")
    groundStatement: Final = _term("groundStatement")
    hasDecision: Final = _term("hasDecision")
    hasFeature: Final = _term("hasFeature")
    hasProvision: Final = _term("hasProvision")
    hasResponse: Final = _term("hasResponse")
    hasStatement: Final = _term("hasStatement")
    heading: Final = _term("heading")
    holder: Final = _term("holder")
    HumanRightsEducation: Final = _term("HumanRightsEducation")
    Immunity: Final = _term("Immunity")
    immunityLiftedBy: Final = _term("immunityLiftedBy")
    ImplementationAssessment: Final = _term("ImplementationAssessment")
    ImplementationGrade: Final = _term("ImplementationGrade")
    Implemented: Final = _term("Implemented")
    implementedBy: Final = _term("implementedBy")
    InadmissibilityDecision: Final = _term("InadmissibilityDecision")
    Inadmissible: Final = _term("Inadmissible")
    inDocument: Final = _term("inDocument")
    inForceFrom: Final = _term("inForceFrom")
    inForceUntil: Final = _term("inForceUntil")
    Institution: Final = _term("Institution")
    InstitutionalFeature: Final = _term("InstitutionalFeature")
    instrument: Final = _term("instrument")
    InsufficientInformation: Final = _term("InsufficientInformation")
    involves: Final = _term("involves")
    isoAlpha2: Final = _term("isoAlpha2")
    isoCode: Final = _term("isoCode")
    isoNumeric: Final = _term("isoNumeric")
    jurisdiction: Final = _term("jurisdiction")
    Law: Final = _term("Law")
    ledTo: Final = _term("ledTo")
    LegalAct: Final = _term("LegalAct")
    LegalActVersion: Final = _term("LegalActVersion")
    LegalBasis: Final = _term("LegalBasis")
    LegalInstrument: Final = _term("LegalInstrument")
    legalSource: Final = _term("legalSource")
    LegislativeInitiative: Final = _term("LegislativeInitiative")
    LimitsCompetenceRationeTemporis: Final = _term("LimitsCompetenceRationeTemporis")
    listsParticipantsOf: Final = _term("listsParticipantsOf")
    location: Final = _term("location")
    m49Code: Final = _term("m49Code")
    Mandate: Final = _term("Mandate")
    mandateScope: Final = _term("mandateScope")
    matchedRecommendation: Final = _term("matchedRecommendation")
    matchScore: Final = _term("matchScore")
    maxConsecutiveTerms: Final = _term("maxConsecutiveTerms")
    maxHoursBeforeJudge: Final = _term("maxHoursBeforeJudge")
    measure: Final = _term("measure")
    member: Final = _term("member")
    memberOf: Final = _term("memberOf")
    Membership: Final = _term("Membership")
    meritCriteriaPublished: Final = _term("meritCriteriaPublished")
    Met: Final = _term("Met")
    metCount: Final = _term("metCount")
    minimumMembers: Final = _term("minimumMembers")
    Ministry: Final = _term("Ministry")
    MissionReport: Final = _term("MissionReport")
    monitoredBy: Final = _term("monitoredBy")
    MonitoringMechanism: Final = _term("MonitoringMechanism")
    monitors: Final = _term("monitors")
    NationalHumanRightsInstitution: Final = _term("NationalHumanRightsInstitution")
    NationalReport: Final = _term("NationalReport")
    NationalSecurity: Final = _term("NationalSecurity")
    NoAction: Final = _term("NoAction")
    nominatingAuthority: Final = _term("nominatingAuthority")
    NormativeResolution: Final = _term("NormativeResolution")
    NormLevel: Final = _term("NormLevel")
    note: Final = _term("note")
    Noted: Final = _term("Noted")
    NotEligible: Final = _term("NotEligible")
    NotEstablished: Final = _term("NotEstablished")
    notEstablishedCount: Final = _term("notEstablishedCount")
    NotImplemented: Final = _term("NotImplemented")
    NotMet: Final = _term("NotMet")
    notMetCount: Final = _term("notMetCount")
    NotVerified: Final = _term("NotVerified")
    NoViolationFound: Final = _term("NoViolationFound")
    Obligation: Final = _term("Obligation")
    ObligationLevel: Final = _term("ObligationLevel")
    obligationLevel: Final = _term("obligationLevel")
    Observation: Final = _term("Observation")
    observationAbout: Final = _term("observationAbout")
    observedIn: Final = _term("observedIn")
    office: Final = _term("office")
    OfficeHolding: Final = _term("OfficeHolding")
    Ombudsman: Final = _term("Ombudsman")
    OptionalProtocol: Final = _term("OptionalProtocol")
    optionalProtocolTo: Final = _term("optionalProtocolTo")
    Outcome: Final = _term("Outcome")
    outcome: Final = _term("outcome")
    Outdated: Final = _term("Outdated")
    paragraph: Final = _term("paragraph")
    paragraphNumber: Final = _term("paragraphNumber")
    ParisPrinciplesRequirement: Final = _term("ParisPrinciplesRequirement")
    PartiallyImplemented: Final = _term("PartiallyImplemented")
    PartiallySupported: Final = _term("PartiallySupported")
    PartlyVerified: Final = _term("PartlyVerified")
    partOfMechanism: Final = _term("partOfMechanism")
    permittedAimUnder: Final = _term("permittedAimUnder")
    Person: Final = _term("Person")
    PersonCategory: Final = _term("PersonCategory")
    PoliticalParty: Final = _term("PoliticalParty")
    PositiveObligation: Final = _term("PositiveObligation")
    postponementExtended: Final = _term("postponementExtended")
    postponementYears: Final = _term("postponementYears")
    PostponesObligations: Final = _term("PostponesObligations")
    Power: Final = _term("Power")
    power: Final = _term("power")
    PowerGrant: Final = _term("PowerGrant")
    procedureBefore: Final = _term("procedureBefore")
    producedDocument: Final = _term("producedDocument")
    Prohibition: Final = _term("Prohibition")
    PromotingPractice: Final = _term("PromotingPractice")
    ProsecutionService: Final = _term("ProsecutionService")
    Protect: Final = _term("Protect")
    protectedBy: Final = _term("protectedBy")
    protectsRight: Final = _term("protectsRight")
    Provision: Final = _term("Provision")
    provisionOf: Final = _term("provisionOf")
    PublicAssociation: Final = _term("PublicAssociation")
    PublicHealth: Final = _term("PublicHealth")
    PublicMorals: Final = _term("PublicMorals")
    PublicOrder: Final = _term("PublicOrder")
    PublicSafety: Final = _term("PublicSafety")
    publicVacancy: Final = _term("publicVacancy")
    PublishDecisions: Final = _term("PublishDecisions")
    PublishReports: Final = _term("PublishReports")
    Ratification: Final = _term("Ratification")
    ReceiveComplaints: Final = _term("ReceiveComplaints")
    Recommendation: Final = _term("Recommendation")
    recommendationsNoted: Final = _term("recommendationsNoted")
    recommendationsReceived: Final = _term("recommendationsReceived")
    recommendationsSupported: Final = _term("recommendationsSupported")
    recommendingState: Final = _term("recommendingState")
    recordedRecommendingState: Final = _term("recordedRecommendingState")
    recordedResponse: Final = _term("recordedResponse")
    recordedReviewedState: Final = _term("recordedReviewedState")
    refusalCount: Final = _term("refusalCount")
    refusalGround: Final = _term("refusalGround")
    refusingAuthority: Final = _term("refusingAuthority")
    RegionalMechanism: Final = _term("RegionalMechanism")
    RegistrationRefusal: Final = _term("RegistrationRefusal")
    regulatesRight: Final = _term("regulatesRight")
    remedy: Final = _term("remedy")
    renewable: Final = _term("renewable")
    repeals: Final = _term("repeals")
    ReportToParliament: Final = _term("ReportToParliament")
    Requirement: Final = _term("Requirement")
    requirementCode: Final = _term("requirementCode")
    RequirementTier: Final = _term("RequirementTier")
    requirementTier: Final = _term("requirementTier")
    requiresAuthorisation: Final = _term("requiresAuthorisation")
    requiresNotification: Final = _term("requiresNotification")
    requiresRegistration: Final = _term("requiresRegistration")
    Reservation: Final = _term("Reservation")
    Respect: Final = _term("Respect")
    respondedTo: Final = _term("respondedTo")
    respondentState: Final = _term("respondentState")
    respondingState: Final = _term("respondingState")
    respondsTo: Final = _term("respondsTo")
    Response: Final = _term("Response")
    responseRequired: Final = _term("responseRequired")
    ResponseStatus: Final = _term("ResponseStatus")
    responseStatus: Final = _term("responseStatus")
    restrictedToDesignatedPlaces: Final = _term("restrictedToDesignatedPlaces")
    RestrictionAim: Final = _term("RestrictionAim")
    restrictionAim: Final = _term("restrictionAim")
    Review: Final = _term("Review")
    reviewedState: Final = _term("reviewedState")
    reviewingMechanism: Final = _term("reviewingMechanism")
    Right: Final = _term("Right")
    RightsOfOthers: Final = _term("RightsOfOthers")
    RightsScheme: Final = _term("RightsScheme")
    role: Final = _term("role")
    Sanction: Final = _term("Sanction")
    sanction: Final = _term("sanction")
    sanctionedConduct: Final = _term("sanctionedConduct")
    SanctionKind: Final = _term("SanctionKind")
    sanctionKind: Final = _term("sanctionKind")
    selectsOwnStaff: Final = _term("selectsOwnStaff")
    SeparateBudgetLine: Final = _term("SeparateBudgetLine")
    session: Final = _term("session")
    shortName: Final = _term("shortName")
    SignatoryOnly: Final = _term("SignatoryOnly")
    Signature: Final = _term("Signature")
    Source: Final = _term("Source")
    source: Final = _term("source")
    SpecialProcedure: Final = _term("SpecialProcedure")
    SpiritualAndMoralValues: Final = _term("SpiritualAndMoralValues")
    StaffingArrangement: Final = _term("StaffingArrangement")
    staffSeconded: Final = _term("staffSeconded")
    State: Final = _term("State")
    stateConcerned: Final = _term("stateConcerned")
    statedBy: Final = _term("statedBy")
    statedIn: Final = _term("statedIn")
    StatelessPersons: Final = _term("StatelessPersons")
    StatementEffect: Final = _term("StatementEffect")
    statementEffect: Final = _term("statementEffect")
    StatementOnTreaty: Final = _term("StatementOnTreaty")
    stateOf: Final = _term("stateOf")
    StateOfEmergency: Final = _term("StateOfEmergency")
    StatusA: Final = _term("StatusA")
    StatusB: Final = _term("StatusB")
    StatusC: Final = _term("StatusC")
    statusInstrument: Final = _term("statusInstrument")
    statusKind: Final = _term("statusKind")
    statusState: Final = _term("statusState")
    StatutoryLevel: Final = _term("StatutoryLevel")
    submissionDate: Final = _term("submissionDate")
    Succession: Final = _term("Succession")
    Supported: Final = _term("Supported")
    TechnicalGround: Final = _term("TechnicalGround")
    Term: Final = _term("Term")
    termYears: Final = _term("termYears")
    testedBy: Final = _term("testedBy")
    text: Final = _term("text")
    textIsSummary: Final = _term("textIsSummary")
    Treaty: Final = _term("Treaty")
    TreatyAction: Final = _term("TreatyAction")
    TreatyBinding: Final = _term("TreatyBinding")
    TreatyBody: Final = _term("TreatyBody")
    TreatyProvision: Final = _term("TreatyProvision")
    TreatyStatus: Final = _term("TreatyStatus")
    TreatyStatusKind: Final = _term("TreatyStatusKind")
    troika: Final = _term("troika")
    underProcedure: Final = _term("underProcedure")
    UniversalPeriodicReview: Final = _term("UniversalPeriodicReview")
    UNMemberState: Final = _term("UNMemberState")
    unSymbol: Final = _term("unSymbol")
    Unverified: Final = _term("Unverified")
    UPRInfoRecord: Final = _term("UPRInfoRecord")
    UPRWorkingGroupReport: Final = _term("UPRWorkingGroupReport")
    url: Final = _term("url")
    validFrom: Final = _term("validFrom")
    validUntil: Final = _term("validUntil")
    value: Final = _term("value")
    Verdict: Final = _term("Verdict")
    verdict: Final = _term("verdict")
    Verified: Final = _term("Verified")
    versionOf: Final = _term("versionOf")
    Views: Final = _term("Views")
    violatedArticles: Final = _term("violatedArticles")
    ViolationFound: Final = _term("ViolationFound")
    VisitPlacesOfDetention: Final = _term("VisitPlacesOfDetention")
    WithinExecutiveBudget: Final = _term("WithinExecutiveBudget")
    Women: Final = _term("Women")


HRG: Final = _Terms()
"""The ontology's terms: ``HRG.Ratification`` is the IRI ``hrg:Ratification``."""

TERMS: Final = frozenset(
    {
        "AcceptanceOfProcedure",
        "acceptsProcedure",
        "accessed",
        "Accession",
        "AccreditationBody",
        "AccreditationDecision",
        "AccreditationStatus",
        "accreditationStatus",
        "accreditedInstitution",
        "actingState",
        "actNumber",
        "addressedTo",
        "adiletId",
        "AdministrativeSanction",
        "AdmissibilityDecision",
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
        "assessedRequirement",
        "assesses",
        "Assessment",
        "assessment",
        "assessmentGrade",
        "AssociationKind",
        "associationKind",
        "Attestation",
        "attestedProperty",
        "attests",
        "authorName",
        "basisAct",
        "basisLevel",
        "BeyondStandard",
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
        "Communication",
        "CommunicationDecision",
        "communicationNumber",
        "CommunicationOutcome",
        "ComplaintProcedure",
        "concernsProvision",
        "concernsRight",
        "ConcludingObservations",
        "confidence",
        "ConfidenceLevel",
        "Confirmed",
        "consentingAuthority",
        "ConsentToBeBound",
        "consideredBy",
        "Constitution",
        "ConstitutionalLaw",
        "ConstitutionalLevel",
        "Contradicted",
        "CooperateWithUN",
        "CountryVisit",
        "Court",
        "CourtReferral",
        "coversAllPublicAuthorities",
        "CriminalSanction",
        "cycle",
        "date",
        "decidedBy",
        "decidedByCourt",
        "decidingAuthority",
        "DecisionKind",
        "decisionKind",
        "decisionOn",
        "decisionOutcome",
        "Declaration",
        "Decree",
        "dedicatedResources",
        "Denunciation",
        "derivedFromAction",
        "designatedAs",
        "DiscontinuanceDecision",
        "Discontinued",
        "dismissalGroundsInLaw",
        "Dissolution",
        "Document",
        "documentOf",
        "domesticAct",
        "DomesticProvision",
        "duringEvent",
        "EncourageRatification",
        "endDate",
        "enforces",
        "ensuresPluralism",
        "entryIntoForce",
        "EssentialRequirement",
        "establishedBy",
        "Event",
        "Everyone",
        "excludedFromMandate",
        "ExecutiveDecreeLevel",
        "featureOf",
        "Figure",
        "figureOf",
        "followUpGrade",
        "ForeignNationals",
        "forFollowUp",
        "foundViolated",
        "Fulfil",
        "functionalImmunity",
        "givesRiseTo",
        "governmentRepresentativesVote",
        "grantedBy",
        "groundAim",
        "GroundKind",
        "groundKind",
        "GroundStatement",
        "groundStatement",
        "hasDecision",
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
        "implementedBy",
        "InadmissibilityDecision",
        "Inadmissible",
        "inDocument",
        "inForceFrom",
        "inForceUntil",
        "Institution",
        "InstitutionalFeature",
        "instrument",
        "InsufficientInformation",
        "involves",
        "isoAlpha2",
        "isoCode",
        "isoNumeric",
        "jurisdiction",
        "Law",
        "ledTo",
        "LegalAct",
        "LegalActVersion",
        "LegalBasis",
        "LegalInstrument",
        "legalSource",
        "LegislativeInitiative",
        "LimitsCompetenceRationeTemporis",
        "listsParticipantsOf",
        "location",
        "m49Code",
        "Mandate",
        "mandateScope",
        "matchedRecommendation",
        "matchScore",
        "maxConsecutiveTerms",
        "maxHoursBeforeJudge",
        "measure",
        "member",
        "memberOf",
        "Membership",
        "meritCriteriaPublished",
        "Met",
        "metCount",
        "minimumMembers",
        "Ministry",
        "MissionReport",
        "monitoredBy",
        "MonitoringMechanism",
        "monitors",
        "NationalHumanRightsInstitution",
        "NationalReport",
        "NationalSecurity",
        "NoAction",
        "nominatingAuthority",
        "NormativeResolution",
        "NormLevel",
        "note",
        "Noted",
        "NotEligible",
        "NotEstablished",
        "notEstablishedCount",
        "NotImplemented",
        "NotMet",
        "notMetCount",
        "NotVerified",
        "NoViolationFound",
        "Obligation",
        "ObligationLevel",
        "obligationLevel",
        "Observation",
        "observationAbout",
        "observedIn",
        "office",
        "OfficeHolding",
        "Ombudsman",
        "OptionalProtocol",
        "optionalProtocolTo",
        "Outcome",
        "outcome",
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
        "PoliticalParty",
        "PositiveObligation",
        "postponementExtended",
        "postponementYears",
        "PostponesObligations",
        "Power",
        "power",
        "PowerGrant",
        "procedureBefore",
        "producedDocument",
        "Prohibition",
        "PromotingPractice",
        "ProsecutionService",
        "Protect",
        "protectedBy",
        "protectsRight",
        "Provision",
        "provisionOf",
        "PublicAssociation",
        "PublicHealth",
        "PublicMorals",
        "PublicOrder",
        "PublicSafety",
        "publicVacancy",
        "PublishDecisions",
        "PublishReports",
        "Ratification",
        "ReceiveComplaints",
        "Recommendation",
        "recommendationsNoted",
        "recommendationsReceived",
        "recommendationsSupported",
        "recommendingState",
        "recordedRecommendingState",
        "recordedResponse",
        "recordedReviewedState",
        "refusalCount",
        "refusalGround",
        "refusingAuthority",
        "RegionalMechanism",
        "RegistrationRefusal",
        "regulatesRight",
        "remedy",
        "renewable",
        "repeals",
        "ReportToParliament",
        "Requirement",
        "requirementCode",
        "RequirementTier",
        "requirementTier",
        "requiresAuthorisation",
        "requiresNotification",
        "requiresRegistration",
        "Reservation",
        "Respect",
        "respondedTo",
        "respondentState",
        "respondingState",
        "respondsTo",
        "Response",
        "responseRequired",
        "ResponseStatus",
        "responseStatus",
        "restrictedToDesignatedPlaces",
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
        "selectsOwnStaff",
        "SeparateBudgetLine",
        "session",
        "shortName",
        "SignatoryOnly",
        "Signature",
        "Source",
        "source",
        "SpecialProcedure",
        "SpiritualAndMoralValues",
        "StaffingArrangement",
        "staffSeconded",
        "State",
        "stateConcerned",
        "statedBy",
        "statedIn",
        "StatelessPersons",
        "StatementEffect",
        "statementEffect",
        "StatementOnTreaty",
        "stateOf",
        "StateOfEmergency",
        "StatusA",
        "StatusB",
        "StatusC",
        "statusInstrument",
        "statusKind",
        "statusState",
        "StatutoryLevel",
        "submissionDate",
        "Succession",
        "Supported",
        "TechnicalGround",
        "Term",
        "termYears",
        "testedBy",
        "text",
        "textIsSummary",
        "Treaty",
        "TreatyAction",
        "TreatyBinding",
        "TreatyBody",
        "TreatyProvision",
        "TreatyStatus",
        "TreatyStatusKind",
        "troika",
        "underProcedure",
        "UniversalPeriodicReview",
        "UNMemberState",
        "unSymbol",
        "Unverified",
        "UPRInfoRecord",
        "UPRWorkingGroupReport",
        "url",
        "validFrom",
        "validUntil",
        "value",
        "Verdict",
        "verdict",
        "Verified",
        "versionOf",
        "Views",
        "violatedArticles",
        "ViolationFound",
        "VisitPlacesOfDetention",
        "WithinExecutiveBudget",
        "Women",
    }
)
"""The local names of all terms, for checks against the ontology."""
