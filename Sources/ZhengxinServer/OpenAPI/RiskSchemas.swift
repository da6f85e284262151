import ZhengxinCore

/// 风险评级's endpoints (RiskController), for OpenAPIDocument.
enum RiskSchemas {
    static func paths() -> [String: Any] {
        typealias D = OpenAPIDocument
        return [
            "/api/v1/risks": [
                "get": D.paged(
                    D.op(
                        "风险评级排行: 按等级、分值由高到低;范围同项目列表(项目单位仅本单位,涉密项目仅列名者);承建/监理/咨询单位403",
                        tag: "risks", result: ["type": "array", "items": D.ref("RiskSummary")],
                        params: [
                            D.query("level", "风险等级1–5", type: ["type": "integer", "minimum": 1, "maximum": 5]),
                            D.query("unitId", "项目单位 id", type: ["type": "string", "format": "uuid"]),
                            D.query("year", "计划年度", type: ["type": "integer", "minimum": 2000, "maximum": 2100]),
                        ]))
            ],
            "/api/v1/projects/{projectId}/risk": [
                "get": D.op(
                    "项目的当前风险评级、理由及其变化记录(新者在前,至多100条);无权查看的项目404", tag: "risks",
                    result: D.ref("RiskDetail"), params: [D.path("projectId", "项目 id")])
            ],
        ]
    }

    static func schemas() -> [String: Any] {
        let text: [String: Any] = ["type": "string"]
        let integer: [String: Any] = ["type": "integer"]
        let level: [String: Any] = ["type": "integer", "minimum": 1, "maximum": 5, "description": "1 低, 2 较低, 3 中, 4 较高, 5 高"]
        let reasons: [String: Any] = ["type": "array", "items": OpenAPIDocument.ref("RiskReason")]
        let uuid: [String: Any] = ["type": "string", "format": "uuid"]
        return [
            "RiskReason": [
                "type": "object", "required": ["kind", "points", "article", "text"],
                "properties": [
                    "kind": ["type": "string", "enum": RiskReason.Kind.allCases.map(\.rawValue)], "points": integer, "article": text,
                    "text": text,
                ] as [String: Any],
            ],
            "RiskSummary": [
                "type": "object",
                "required": ["projectId", "code", "name", "unitId", "stage", "level", "levelTitle", "points", "ratedOn", "reasons"],
                "properties": [
                    "projectId": uuid, "code": text, "name": text, "unitId": uuid, "stage": text, "level": level, "levelTitle": text,
                    "points": integer, "ratedOn": ["type": "string", "format": "date"], "reasons": reasons,
                ] as [String: Any],
            ],
            "RiskDetail": [
                "type": "object", "required": ["projectId", "level", "levelTitle", "points", "ratedOn", "reasons", "history"],
                "properties": [
                    "projectId": uuid, "level": level, "levelTitle": text, "points": integer,
                    "ratedOn": ["type": "string", "format": "date"], "reasons": reasons,
                    "history": ["type": "array", "items": OpenAPIDocument.ref("RiskChange")],
                ] as [String: Any],
            ],
            "RiskChange": [
                "type": "object",
                "required": ["toLevel", "levelTitle", "points", "changedOn", "changedAt", "cause", "causeTitle", "reasons"],
                "properties": [
                    "fromLevel": ["type": "integer", "nullable": true, "description": "首次评级时为空"],
                    "fromPoints": ["type": "integer", "nullable": true], "toLevel": level, "levelTitle": text, "points": integer,
                    "changedOn": ["type": "string", "format": "date"], "changedAt": integer,
                    "cause": ["type": "string", "description": "引起变化的操作名,create 新建,scan 每日期限扫描,fill 首次评级"],
                    "causeTitle": text, "reasons": reasons,
                ] as [String: Any],
            ],
        ]
    }
}
