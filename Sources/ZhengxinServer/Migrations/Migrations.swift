import Fluent

/// Every schema change, in order. Append; never edit one that has shipped.
enum ZhengxinMigrations {
    static let all: [any Migration] = [
        CreateOrganisations(), CreateUsers(), CreateSessionTokens(),
        CreateProjects(), CreateAnnualPlans(), CreateAuditEntries(),
        // Before the first migration that reads AuditEntryModel (CreateAuditHead): its columns must
        // exist by then; a database migrated already runs it last, which is as good.
        AddAuditEntryFormat(),
        CreatePolicyVersions(), AddOrganisationJurisdiction(), CreateReminders(),
        CreateAccountSecurity(),
        CreateAgencyKeysAndDecisionSignatures(),
        // Before the first migration that reads a ProjectRow (its column must exist by then);
        // a database migrated already runs it last, which is as good.
        AddDeadlineReview(),
        AddProjectListColumns(),
        CreateAuditHead(), CreateUserPersonalData(), SealSensitiveData(),
        AddProjectListIndexes(),
        AddPortfolioReportIndexes(),
        AddProjectListStageIndexes(),
        MoveProjectRecordLast(),
        AddClassifiedKeysIndex(),
        FixedWidthReviewDays(),
        AddProjectTallies(),
        CreateAccountActivations(), CreateAdminAccountProposals(),
        CreateLoginThrottle(),
        // 涉密 amounts out of the clear columns; runs before any entry binds a project's state
        // (a migration appends none), so it rewrites no bound row.
        ClearClassifiedMoney(),
        CreateSigningKeyRegistry(),
        AddReminderPagingIndexes(),
        SealClassifiedReminders(),
        AddProjectSearch(), AddProjectParties(),
        AddCollectionPagingIndexes(),
        AddProjectListOrderIndexes(),
        AddProjectSharing(),
        AddAuditFilterIndexes(),
        AddProposalPagingIndex(),
        AddAdminQueueIndexes(),
        CreateMailOutbox(),
        AddMailDelivery(),
        CreateProjectRisks(),
        AddReminderTallies(),
        CreateProjectEvaluations(),
        AddRiskTallies(),
        AddOverdueMarks(),
        AddReminderAudienceStatistics(),
        DropPrefixProjectIndexes(),
        FollowContractChangesOnly(),
        AddPostgresSearchGramRows(),
        CreateProjectWaiting(),
        AddReportTallyIndexes(),
        FollowContractsFromActions(),
        AddProjectReviewTexts(),
        GuardTallySums(),
    ]
}
