import ZhengxinCore

/// The files the pages offer, on the API (DownloadRoutes): a signed decision's PDF, the reports'
/// CSV and .xlsx, and the project list's .xlsx.
enum DownloadSchemas {
    static func paths() -> [String: Any] {
        typealias D = OpenAPIDocument
        let error: [String: Any] = ["description": "错误", "content": D.json(D.ref("Error"))]
        func file(_ summary: String, _ type: String, params: [[String: Any]] = []) -> [String: Any] {
            var operation: [String: Any] = [
                "summary": summary, "tags": ["downloads"],
                "responses": [
                    "200": ["description": "文件", "content": [type: ["schema": ["type": "string", "format": "binary"]]]],
                    "400": error, "401": error, "403": error, "404": error,
                ],
            ]
            if !params.isEmpty { operation["parameters"] = params }
            return operation
        }
        let csv = "text/csv; charset=utf-8"
        let reportFilters = [
            D.query("year", "计划年度", type: ["type": "integer", "minimum": 2000, "maximum": 2100]),
            D.query("unit", "项目单位 id(仅主管部门可选;项目单位总是本单位)", type: ["type": "string", "format": "uuid"]),
        ]
        var paths: [String: Any] = [
            "/api/v1/projects/{projectId}/decisions/{decisionId}.pdf": [
                "get": file(
                    "已签署决定的正式公文(A4 PDF,第十条): 发文机关、文号、主送、决定内容、依据条款和核验区(签名密钥指纹、二维码);"
                        + "与项目页同一权限,未知或无权查看的决定均为 404",
                    "application/pdf",
                    params: [D.path("projectId", "项目 id"), D.path("decisionId", "决定 id(GET .../decisions 的 id)")])
            ],
            "/api/v1/projects.xlsx": [
                "get": file(
                    "项目清单(.xlsx),与 GET /api/v1/projects 同一筛选和排序,最多\(XLSXExports.projectsInFile)行",
                    XLSXWorkbook.contentType,
                    params: (ProjectListSchemas.listOperation()["parameters"] as? [[String: Any]] ?? []).filter {
                        !["page", "perPage"].contains($0["name"] as? String ?? "")
                    })
            ],
        ]
        for (name, title) in PortfolioDimension.allCases.map({ ($0.csvName, "统计报表\($0.chinese)") }) + [("overdue", "逾期清单")] {
            paths["/api/v1/reports/\(name).csv"] = ["get": file("\(title)(CSV,UTF-8 带 BOM)", csv, params: reportFilters)]
            paths["/api/v1/reports/\(name).xlsx"] = ["get": file("\(title)(.xlsx)", XLSXWorkbook.contentType, params: reportFilters)]
        }
        return paths
    }
}
