import ZhengxinCore

/// 批量申报's endpoints (ProjectImportController; 第六条, 第七条), for OpenAPIDocument.
enum ProjectImportSchemas {
    static func paths() -> [String: Any] {
        typealias D = OpenAPIDocument
        let xlsx: [String: Any] = [XLSXWorkbook.contentType: ["schema": ["type": "string", "format": "binary"]]]
        let columns = ProjectBatch.columns.map { "\($0.title)(\($0.article))" }.joined(separator: "、")
        var template = D.op("批量申报模板(.xlsx): 「项目申报」表的列名与下拉选项,「填写说明」表列出每列的填写要求和依据条款", tag: "projects")
        let error: [String: Any] = ["description": "错误", "content": D.json(D.ref("Error"))]
        template["responses"] = ["200": ["description": "模板工作簿", "content": xlsx], "401": error, "403": error]
        var responses = D.responses(ok: "201", result: D.ref("ProjectImportResult"))
        responses["413"] = ["description": "文件超过上传大小限制", "content": D.json(D.ref("Error"))]
        responses["415"] = ["description": "请求体不是 .xlsx", "content": D.json(D.ref("Error"))]
        let upload: [String: Any] = [
            "summary":
                "批量申报项目(项目单位): 请求体为按模板填写的 .xlsx;每行按新建项目的同一规则检查,任何一行不符合要求时全部不导入,"
                + "422 IMPORT_REFUSED 列出每一行每一处(violations[].field 为 rows[行号].字段,行号即工作表行号);"
                + "全部符合时在一次事务中按行序编号创建为草稿。每次最多\(ProjectBatch.maxRows)行(TOO_MANY_ROWS),"
                + "非 .xlsx 或损坏为 INVALID_WORKBOOK,缺少列名为 INVALID_TEMPLATE,没有项目行为 EMPTY_IMPORT。列: \(columns)",
            "tags": ["projects"],
            "requestBody": ["required": true, "content": xlsx],
            "responses": responses,
        ]
        return [
            "/api/v1/projects/import/template.xlsx": ["get": template],
            "/api/v1/projects/import": ["post": upload],
        ]
    }

    static func schemas() -> [String: Any] {
        [
            "ProjectImportResult": SchemaNotation.object("count:int projects:[#ImportedProject] summary:string"),
            "ImportedProject": SchemaNotation.object("id:uuid code:string name:string"),
        ]
    }
}
