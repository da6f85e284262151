import SQLKit

/// The rows the insert triggers of `projects` write (search grams, parties), for projects loaded
/// while those triggers were set aside: one statement per table over every project, as the
/// migrations fill them for existing rows.
package enum LoadedProjectRows {
    package static func fillSearchAndParties(on sql: any SQLDatabase) async throws {
        try await AddProjectSearch.fill(on: sql)
        try await AddPostgresSearchGramRows.fill(on: sql)
        try await AddProjectParties.fill(on: sql)
    }
}
