import Foundation

/// GET /api/v1/projects in OpenAPI: ProjectListQuery's parameters with their limits, and the
/// total in the `X-Total-Count` header.
enum ProjectListSchemas {
    static func listOperation() -> [String: Any] {
        let q = { (name: String, text: String, type: [String: Any]) in OpenAPIDocument.query(name, text, type: type) }
        var operation = OpenAPIDocument.op(
            "项目列表(按权限范围;搜索、筛选、排序、分页,总数见 X-Total-Count)", tag: "projects",
            result: ["type": "array", "items": OpenAPIDocument.ref("ProjectSummary")],
            params: [
                q("q", "项目名称或编号包含", ["type": "string", "maxLength": ProjectListQuery.maxSearchLength]),
                q("stage", "阶段", OpenAPIDocument.ref("Stage")),
                q("unitId", "项目单位 id", ["type": "string", "format": "uuid"]),
                q("tier", "项目类别(第九条: 1、2、3)", ["type": "integer", "minimum": 1, "maximum": 3]),
                q("planYear", "计划年度", ["type": "integer", "minimum": 2000, "maximum": 2100]),
                q("overdue", "只列有逾期事项的项目", ["type": "boolean"]),
                q(
                    "sort", "排序: code、name、updated、investment,前加 - 为降序",
                    ["type": "string", "enum": ProjectListQuery.SortKey.allCases.flatMap { [$0.rawValue, "-" + $0.rawValue] }]),
                q("page", "页码(从1起;与 after/before 同用时仅标示页码)", ["type": "integer", "minimum": 1, "maximum": 1_000_000]),
                q("after", "翻页游标: 列出该位置之后的一页(取自 Link 头 rel=\"next\")", ["type": "string", "maxLength": ListCursor.maxTokenLength]),
                q("before", "翻页游标: 列出该位置之前的一页(取自 Link 头 rel=\"prev\")", ["type": "string", "maxLength": ListCursor.maxTokenLength]),
                q(
                    "perPage", "每页条数(默认\(ProjectListQuery.defaultPerPage),最多\(ProjectListQuery.maxPerPage))",
                    ["type": "integer", "minimum": 1, "maximum": ProjectListQuery.maxPerPage]),
            ])
        var responses = operation["responses"] as? [String: Any] ?? [:]
        var ok = responses["200"] as? [String: Any] ?? [:]
        ok["headers"] = [
            "X-Total-Count": ["description": "符合条件的项目总数", "schema": ["type": "integer", "minimum": 0]],
            "Link": ["description": "下一页(rel=\"next\")与上一页(rel=\"prev\")的地址,按游标翻页", "schema": ["type": "string"]],
        ]
        responses["200"] = ok
        operation["responses"] = responses
        return operation
    }
}
