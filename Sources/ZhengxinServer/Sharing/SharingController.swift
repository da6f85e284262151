import Fluent
import Foundation
import Vapor
import ZhengxinCore

/// Sharing figures and catalog exports (R-SHR-4, R-SHR-5, 第二十八条, 第三十条):
/// - `GET /projects/{id}/sharing`: one project's figures, for whoever may see the project;
/// - `GET /units/{unitId}/sharing`: a unit's figures, pooled over its projects the caller may see
///   (a unit only its own; agencies any unit; 涉密 projects the caller is not named on are counted only);
/// - `GET /projects/{id}/catalog.json` and `catalog.jsonld`: the catalog, without withdrawn entries and
///   without entries touching secrets.
struct SharingController {
    func register(_ routes: RoutesBuilder) {
        let project = routes.grouped("projects", ":projectId")
        project.get("sharing", use: projectFigures)
        project.get("catalog.json", use: catalogJSON)
        project.get("catalog.jsonld", use: catalogJSONLD)
        routes.get("units", ":unitId", "sharing", use: unitFigures)
    }

    func projectFigures(_ req: Request) async throws -> ProjectSharingView {
        let actor = try req.caller()
        let record = try await ProjectQueries.visibleRecord(try ProjectQueries.projectId(req), to: actor, on: req.db)
        return ProjectSharingView(record)
    }

    /// The unit's figures over every project the caller may see, and a page of those projects by
    /// code (`page`, `perPage`); how many there are in `X-Total-Count`. Read from `project_sharing`
    /// (ProjectSharingRow): the open projects' figures summed by the database, the page read in code
    /// order from its index; only the 涉密 projects the caller is named on are opened (ClassifiedRecords).
    func unitFigures(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        let paging = try PageRequest.collection(req)
        guard let text = req.parameters.get("unitId"), let unitId = UUIDText.parse(text) else { throw APIError.notFound("单位") }
        // A unit sees only its own figures, a vendor none; the agencies every unit's (第三条, 第五条).
        guard actor.organisationType.seesAllProjects || (actor.organisationType == .unit && actor.organisationId == unitId) else {
            throw APIError.notFound("单位")
        }
        guard let unit = try await OrganisationModel.find(unitId, on: req.db), unit.organisationType == .unit else {
            throw APIError.notFound("单位")
        }
        let reading = try await UnitSharingQuery.read(
            unitId: unitId, page: paging, for: actor, opened: ClassifiedRecords.of(req.application), on: req.db)
        let response = try await UnitSharingView(
            unitId: unitId, unitName: unit.name, hiddenClassifiedProjects: reading.hiddenClassified,
            figures: reading.figures, projects: reading.page
        ).encodeResponse(for: req)
        response.headers.replaceOrAdd(name: "X-Total-Count", value: String(reading.total))
        return response
    }

    func catalogJSON(_ req: Request) async throws -> Response {
        let (record, unitName) = try await exportable(req)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(CatalogExport.document(record, unitName: unitName, on: req.now.beijingDate))
        return Self.response(data, type: "application/json; charset=utf-8", filename: "\(record.code)-catalog.json")
    }

    func catalogJSONLD(_ req: Request) async throws -> Response {
        let (record, unitName) = try await exportable(req)
        let document = CatalogExport.jsonLD(record, unitName: unitName, on: req.now.beijingDate)
        let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
        return Self.response(data, type: "application/ld+json; charset=utf-8", filename: "\(record.code)-catalog.jsonld")
    }

    /// The project, if the caller may see it, and its unit's name for dct:publisher.
    private func exportable(_ req: Request) async throws -> (ProjectRecord, String) {
        let actor = try req.caller()
        let record = try await ProjectQueries.visibleRecord(try ProjectQueries.projectId(req), to: actor, on: req.db)
        let unitName = try await OrganisationModel.find(record.unitId, on: req.db)?.name ?? record.unitId.uuidString
        return (record, unitName)
    }

    static func response(_ data: Data, type: String, filename: String) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: type)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(filename)\"")
        return response
    }
}

/// One project's sharing figures (R-SHR-4).
struct ProjectSharingView: Content {
    var projectId: UUID
    var code: String
    var name: String
    var unitId: UUID
    var stage: Stage
    var catalogRegistered: Bool
    var figures: SharingFigures

    init(projectId: UUID, code: String, name: String, unitId: UUID, stage: Stage, catalogRegistered: Bool, figures: SharingFigures) {
        (self.projectId, self.code, self.name, self.unitId, self.stage) = (projectId, code, name, unitId, stage)
        (self.catalogRegistered, self.figures) = (catalogRegistered, figures)
    }

    init(_ p: ProjectRecord) {
        projectId = p.id
        code = p.code
        name = p.name
        unitId = p.unitId
        stage = p.stage
        catalogRegistered = p.catalogRegistration != nil
        figures = SharingFigures.of(p)
    }
}

/// A unit's sharing figures: pooled over the projects the caller may see, and each of them (R-SHR-4).
struct UnitSharingView: Content {
    var unitId: UUID
    var unitName: String
    /// 涉密 projects of the unit the caller is not named on: counted, never shown (R-CON-5).
    var hiddenClassifiedProjects: Int
    var figures: SharingFigures
    var projects: [ProjectSharingView]
}

extension SharingFigures: Content {}
