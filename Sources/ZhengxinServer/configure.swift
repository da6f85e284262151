import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import Vapor
import ZhengxinCore

/// Sets up the database, migrations, middleware, routes and commands. Tests call it with their
/// own configuration and clock.
public func configure(_ app: Application, config: AppConfig, now: @escaping @Sendable () -> Instant = SystemClock.now) async throws {
    try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
    // Keys for data at rest (sealed fields, audit anchor), derived from the master key; before migrations, which use them.
    AtRest.install(try AtRestKeys(master: MasterKey.load(dataDirectory: config.dataDirectory)))
    app.zhengxin = ZhengxinServices(
        config: config, now: now, writeGate: WriteGate(),
        documents: DocumentStore(root: config.dataDirectory + "/documents"))
    _ = app.blockingWork  // started now, stopped at shutdown (BlockingWork)
    switch config.database {
    case .sqliteFile(let path):
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
        // Write transactions on a connection and threads of their own (SQLiteWriterThread): reads never
        // wait for the writer's connection, and the writer never waits behind requests.
        let writer = SQLiteWriterThread(path: path)
        app.zhengxin.sqliteWriter = writer
        app.lifecycle.use(SQLiteWriterLifecycle(writer: writer))
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    case .postgres(let url):
        var pg = try SQLPostgresConfiguration(url: url)
        if !url.contains("sslmode") { pg.coreConfiguration.tls = .disable }
        app.databases.use(.postgres(configuration: pg, maxConnectionsPerEventLoop: 4), as: .psql)
    }
    app.migrations.add(ZhengxinMigrations.all)
    app.passwords.use(.bcrypt(cost: config.bcryptCost))
    // JSON bodies are small; documents have their own, larger limit on their route.
    app.routes.defaultMaxBodySize = "1mb"
    app.http.server.configuration.idleTimeout = .seconds(config.connectionIdleSeconds)
    app.middleware = Middlewares()
    let drain = RequestDrain()
    app.middleware.use(drain)
    app.lifecycle.use(drain)
    // A request id on every answer and log line, then the latency of everything inside (Operations/).
    app.middleware.use(RequestIdMiddleware())
    app.middleware.use(RequestMetricsMiddleware())
    // CSP, no framing, nosniff, Referrer-Policy on every answer, errors included: outside the error middlewares.
    app.middleware.use(SecurityHeaders())
    app.middleware.use(APIErrorMiddleware())
    // Pages: Leaf views from Resources/Views, static files from Public/, HTML error pages
    // for everything outside /api (the API keeps its JSON errors).
    WebDirectories.locate(app)
    app.views.use(.leaf)
    app.leaf.cache.isEnabled = app.environment.isRelease
    app.middleware.use(WebErrorPages())
    // Page forms only from this site's pages (no login CSRF); inside WebErrorPages, so a refusal is the 403 page.
    app.middleware.use(SameOriginForms())
    app.middleware.use(StaticFiles(files: FileMiddleware(publicDirectory: app.directory.publicDirectory)))
    try routes(app)
    app.asyncCommands.use(SeedDemoCommand(), as: "seed-demo")
    app.asyncCommands.use(CreateOrganisationCommand(), as: "create-org")
    app.asyncCommands.use(CreateUserCommand(), as: "create-user")
    app.asyncCommands.use(UserActivityCommand(active: false), as: "disable-user")
    app.asyncCommands.use(UserActivityCommand(active: true), as: "enable-user")
    app.asyncCommands.use(AuditVerifyCommand(), as: "audit-verify")
    app.asyncCommands.use(VerifyDecisionCommand(), as: "verify-decision")
    app.asyncCommands.use(ExportSigningKeysCommand(), as: "export-signing-keys")
    app.asyncCommands.use(RotateSigningKeyCommand(), as: "rotate-signing-key")
    app.asyncCommands.use(ScanCommand(), as: "scan")
    app.asyncCommands.use(EnrollTOTPCommand(), as: "enroll-totp")
    app.asyncCommands.use(TOTPCodeCommand(), as: "totp-code")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(RestoreCommand(), as: "restore")
    app.asyncCommands.use(MailAddressCommand(), as: "mail-address")
    if config.dailyScan { app.lifecycle.use(DailyScanLifecycle()) }
    // 邮件提醒: the outbox is sent only where SMTP is configured; rows wait for it otherwise.
    if config.dailyScan, let smtp = try SMTPSettings.fromEnvironment() { app.lifecycle.use(MailLifecycle(settings: smtp)) }
}

func routes(_ app: Application) throws {
    app.get("healthz") { _ in ["status": "ok"] }
    Readiness.register(app)  // /readyz: the database answers and is migrated
    MetricsEndpoint.register(app)  // /metrics: Prometheus, from this machine or with the token
    let api = app.grouped("api", "v1")
    _ = OpenAPIDocument.encoded  // encoded once, at startup, not on the first request
    api.get("openapi.json") { _ in OpenAPIDocument.response() }
    // AdministratorScope: 三权分立, administrators reach only their own routes on every route of this group.
    let protected = api.grouped(BearerSessionAuthenticator(), RequireCaller(), AdministratorScope())
    AuthController().register(api, protected: protected)
    ActivationController().register(api)
    PasswordChange.register(protected)
    MailPreference.register(protected)  // 邮件提醒: where and how reminders reach the holder
    protected.get("me", "personal") { try await UserPersonalData.mine($0) }  // 个人信息, in full to its holder only
    OrganisationController().register(protected)
    ProjectController().register(protected)
    RiskController().register(protected)  // 风险评级
    SimilarProjectsController().register(protected)  // 查重 (第七条, 第二十七条)
    DecisionController().register(protected)
    DownloadRoutes.register(protected)  // the pages' files (decision PDF, CSV, .xlsx) for a bearer token
    DocumentController().register(protected, maxUploadBytes: app.zhengxin.config.maxUploadBytes)
    AnnualPlanController().register(protected)
    SharingController().register(protected)
    PolicyController().register(protected)
    InboxController().register(protected)
    SystemAdminController().register(protected)  // 三权分立: each administrator has its own routes
    SecurityAdminController().register(protected)
    AuditAdminController().register(protected)
    AdminAccountProposals().register(protected)  // two-person rule for administrator accounts
    try WebRoutes.register(app)
}
