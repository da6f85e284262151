import Fluent
import SQLKit

struct CreateProjects: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("projects")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("unit_id", .uuid, .required, .references("organisations", "id"))
            .field("stage", .string, .required)
            .field("plan_year", .int, .required)
            .field("total_investment_fen", .int64, .required)
            .field("classified", .bool, .required)
            .field("record", .sql(unsafeRaw: "TEXT"), .required)
            .field("version", .int, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "code")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX projects_unit_stage ON projects (unit_id, stage)").run()
        try await sql.raw("CREATE INDEX projects_stage_year ON projects (stage, plan_year)").run()
    }

    func revert(on database: Database) async throws { try await database.schema("projects").delete() }
}

struct CreateAnnualPlans: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("annual_plans")
            .id()
            .field("year", .int, .required)
            .field("status", .string, .required)
            .field("record", .sql(unsafeRaw: "TEXT"), .required)
            .create()
    }

    func revert(on database: Database) async throws { try await database.schema("annual_plans").delete() }
}

struct CreateAuditEntries: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("audit_entries")
            .id()
            .field("seq", .int64, .required)
            .field("at", .int64, .required)
            .field("actor_user_id", .uuid)
            .field("actor_name", .string, .required)
            .field("organisation_id", .uuid)
            .field("organisation_type", .string, .required)
            .field("roles", .string, .required)
            .field("action", .string, .required)
            .field("project_id", .uuid)
            .field("result", .string, .required)
            .field("summary", .sql(unsafeRaw: "TEXT"), .required)
            .field("before", .sql(unsafeRaw: "TEXT"), .required)
            .field("after", .sql(unsafeRaw: "TEXT"), .required)
            .field("violations", .sql(unsafeRaw: "TEXT"), .required)
            .field("client_address", .string, .required)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "seq")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX audit_entries_project ON audit_entries (project_id, seq)").run()
    }

    func revert(on database: Database) async throws { try await database.schema("audit_entries").delete() }
}
