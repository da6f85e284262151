/// 查重's endpoint (SimilarProjectsController; 第七条 项目的集约性, 第二十七条), for OpenAPIDocument.
enum SimilarProjectsSchemas {
    static func paths() -> [String: Any] {
        typealias D = OpenAPIDocument
        return [
            "/api/v1/projects/{projectId}/similar": [
                "get": D.op(
                    "查重: 全市各单位、各年度项目中与本项目最相似的至多5个(第七条 集约性, 第二十七条);涉密项目对未列名者合为最后一行“有受限项目相似”(restricted、summary,无相似度与结论,不示个数),不占前5名。"
                        + "技术审查意见(issue-review-opinion)的「集约性」审查结论须在 consideredProjects 中列明其中每个相似项目、"
                        + "以 restrictedConsidered 确认受限项目,并以 duplicateAssessment 说明是否重复;否则 422,violations 列出每一项(R-REV-3, 第七条)",
                    tag: "projects", result: D.ref("SimilarProjects"), params: [D.path("projectId", "项目 id")])
            ]
        ]
    }

    static func schemas() -> [String: Any] {
        let text: [String: Any] = ["type": "string"]
        let verdict: [String: Any] = [
            "type": "string", "enum": ["likelyDuplicate", "similar"], "description": "likelyDuplicate 疑似重复; similar 相似",
        ]
        let match: [String: Any] = [
            "type": "object",
            "description": "可见项目有 score 与 verdict;restricted 为 true 的一行(未列名的涉密项目,无论几个)仅有 restricted 与 summary,列于最后",
            "properties": [
                "restricted": ["type": "boolean"], "projectId": ["type": "string", "format": "uuid"], "code": text, "name": text,
                "unitName": text, "stage": OpenAPIDocument.ref("Stage"), "planYear": ["type": "integer"],
                "score": ["type": "number", "minimum": 0, "maximum": 1, "description": "0–1, 三位小数"], "verdict": verdict,
                "passages": ["type": "array", "items": OpenAPIDocument.ref("SimilarPassage")],
                "summary": ["type": "string", "enum": ["有受限项目相似"]],
            ] as [String: Any],
        ]
        return [
            "SimilarProjects": [
                "type": "object", "required": ["projectId", "matches"],
                "properties": [
                    "projectId": ["type": "string", "format": "uuid"],
                    "matches": ["type": "array", "items": OpenAPIDocument.ref("SimilarProject")],
                ] as [String: Any],
            ],
            "SimilarProject": match,
            "SimilarPassage": [
                "type": "object", "required": ["field", "text"],
                "properties": ["field": ["type": "string", "enum": ["name", "content", "goals", "infrastructure"]], "text": text]
                    as [String: Any],
            ],
        ]
    }
}
