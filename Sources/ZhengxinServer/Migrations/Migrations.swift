import Fluent

/// Every schema change, in order. Append; never edit one that has shipped.
enum ZhengxinMigrations {
    static let all: [any Migration] = [
        CreateOrganisations(), CreateUsers(), CreateSessionTokens(),
        CreateProjects(), CreateAnnualPlans(), CreateAuditEntries(),
        CreatePolicyVersions(), AddOrganisationJurisdiction(), CreateReminders(),
        CreateAccountSecurity(),
        CreateAgencyKeysAndDecisionSignatures(),
        AddProjectListColumns(),
        CreateAuditHead(), CreateUserPersonalData(), SealSensitiveData(),
        AddProjectListIndexes(),
        AddPortfolioReportIndexes(),
        AddProjectListStageIndexes(),
    ]
}
