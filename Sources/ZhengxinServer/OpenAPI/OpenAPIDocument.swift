import Foundation
import Vapor
import ZhengxinCore

/// The OpenAPI 3 description of /api/v1, built from the same action catalog the server routes,
/// so a new action cannot be served without being described.
enum OpenAPIDocument {
    /// The document as served. It depends on nothing but the code (the action catalog and the
    /// schemas), so it is encoded once, on first use, and every request gets the same bytes: encoding
    /// the 150 KB document per request cost ~130 ms at 100,000 projects' load.
    static let encoded: ByteBuffer = {
        let data =
            (try? JSONSerialization.data(withJSONObject: document(), options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return ByteBuffer(data: data)
    }()

    static func response() -> Response {
        let response = Response(status: .ok, body: .init(buffer: encoded))
        response.headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
        return response
    }

    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }

    static func json(_ schema: [String: Any]) -> [String: Any] { ["application/json": ["schema": schema]] }

    static func op(
        _ summary: String, tag: String, body: [String: Any]? = nil, ok: String = "200", result: [String: Any] = ["type": "object"],
        params: [[String: Any]] = [], secured: Bool = true
    ) -> [String: Any] {
        var o: [String: Any] = ["summary": summary, "tags": [tag], "responses": responses(ok: ok, result: result)]
        if let body { o["requestBody"] = ["required": true, "content": json(body)] }
        if !params.isEmpty { o["parameters"] = params }
        if !secured { o["security"] = [[String: Any]]() }
        return o
    }

    static func responses(ok: String, result: [String: Any]) -> [String: Any] {
        let error = ["description": "错误", "content": json(ref("Error"))] as [String: Any]
        return [
            ok: ["description": "成功", "content": json(result)], "400": error, "401": error, "403": error, "404": error,
            "409": error, "422": error,
        ]
    }

    static func path(_ name: String, _ description: String, type: [String: Any] = ["type": "string", "format": "uuid"]) -> [String: Any] {
        ["name": name, "in": "path", "required": true, "description": description, "schema": type]
    }

    static func query(_ name: String, _ description: String, type: [String: Any] = ["type": "string"]) -> [String: Any] {
        ["name": name, "in": "query", "required": false, "description": description, "schema": type]
    }

    /// `page` and `perPage` (PageRequest.collection) on `operation`, and the collection's size in
    /// the `X-Total-Count` header of its 200 answer.
    static func paged(_ operation: [String: Any]) -> [String: Any] {
        var operation = operation
        operation["parameters"] =
            (operation["parameters"] as? [[String: Any]] ?? []) + [
                query("page", "页码(从1起;超出末页返回空列表)", type: ["type": "integer", "minimum": 1, "maximum": PageRequest.maxPage]),
                query(
                    "perPage", "每页条数(默认\(PageRequest.defaultPerPage),最多\(PageRequest.maxPerPage))",
                    type: ["type": "integer", "minimum": 1, "maximum": PageRequest.maxPerPage]),
            ]
        if var answers = operation["responses"] as? [String: Any], var ok = answers["200"] as? [String: Any] {
            ok["headers"] = ["X-Total-Count": ["description": "全部条数(按调用者权限范围)", "schema": ["type": "integer"]]]
            answers["200"] = ok
            operation["responses"] = answers
        }
        return operation
    }

    static func document() -> [String: Any] {
        var paths: [String: Any] = [:]
        let project = path("projectId", "项目 id")
        // 423: this username locked from this address; 429: this address waits (both with Retry-After, LoginThrottle).
        var login = op("登录,返回 Bearer 令牌(用户名≤64字符,密码≤256字节,动态口令6位数字)", tag: "auth", body: ref("LoginRequest"), secured: false)
        if var answers = login["responses"] as? [String: Any] {
            let throttled: [String: Any] = ["description": "登录失败次数过多,见 Retry-After", "content": json(ref("Error"))]
            answers["423"] = throttled
            answers["429"] = throttled
            login["responses"] = answers
        }
        paths["/api/v1/auth/login"] = ["post": login]
        paths["/api/v1/auth/logout"] = ["post": op("退出登录", tag: "auth", ok: "204")]
        paths["/api/v1/me"] = ["get": op("当前用户", tag: "auth")]
        paths["/api/v1/me/personal"] = ["get": op("本人的手机号和身份证号(全文,仅本人;加密存储)", tag: "auth", result: ref("PersonalData"))]
        // 邮件提醒 (MailPreference): the account's own address and how reminders, 催办 and decisions reach it.
        paths["/api/v1/me/mail"] = [
            "get": op("本人的提醒邮箱和接收方式(立即/每日汇总/不发送;未设置时为 off)", tag: "auth", result: ref("MailPreference")),
            "put": op(
                "设置本人的提醒邮箱和接收方式;接收方式不是 off 时须填写邮箱(INVALID_INPUT, field=address);off 且不填邮箱即删除邮箱。记入审计,不记邮箱",
                tag: "auth", body: ref("MailPreferenceInput"), result: ref("MailPreference")),
        ]
        // 三权分立: system administrator (users, organisations), security administrator (unlock, TOTP), audit administrator (audit record).
        let user = path("userId", "用户 id")
        // GET/POST /api/v1/admin/users and .../reset-totp: AccountSchemas (activation codes, two-person rule).
        paths["/api/v1/admin/users/{userId}/disable"] = [
            "post": op("停用用户(系统管理员;管理员账号 403,由运维人员用 zhengxin disable-user 办理)", tag: "admin", params: [user])
        ]
        paths["/api/v1/admin/users/{userId}/enable"] = [
            "post": op("启用已停用的用户(系统管理员;未停用 409 CONFLICT;管理员账号 403)", tag: "admin", params: [user])
        ]
        paths["/api/v1/admin/users/{userId}/unlock"] = ["post": op("解锁账号(安全管理员)", tag: "admin", params: [user])]
        paths["/api/v1/admin/organisations"] = ["post": op("新建机构(系统管理员)", tag: "admin", body: ref("CreateOrganisation"), ok: "201")]
        var audit = op(
            "全部审计记录,最近在前,分页筛选(审计管理员);总数见 X-Total-Count", tag: "admin",
            params: [
                query("projectId", "项目 id", type: ["type": "string", "format": "uuid"]),
                query("actorUserId", "操作人 id", type: ["type": "string", "format": "uuid"]),
                query("action", "操作"), query("page", "页码(从1起)", type: ["type": "integer", "minimum": 1, "maximum": PageRequest.maxPage]),
                query(
                    "perPage", "每页条数(默认\(AuditAdminController.defaultPerPage),最多\(AuditAdminController.maxPerPage))",
                    type: ["type": "integer", "minimum": 1, "maximum": AuditAdminController.maxPerPage]),
                query("before", "只列出序号小于此值的记录(上一页的 nextBefore;与 page 不同时使用)", type: ["type": "integer", "minimum": 1]),
            ])
        if var answers = audit["responses"] as? [String: Any], var ok = answers["200"] as? [String: Any] {
            ok["headers"] = ["X-Total-Count": ["description": "全部条数(无筛选时为审计链末端序号)", "schema": ["type": "integer"]]]
            answers["200"] = ok
            audit["responses"] = answers
        }
        paths["/api/v1/admin/audit"] = ["get": audit]
        paths["/api/v1/organisations"] = [
            "get": paged(op("机构列表,按名称分页", tag: "organisations", result: ["type": "array", "items": ["type": "object"]]))
        ]
        paths["/api/v1/projects"] = [
            "get": ProjectListSchemas.listOperation(),
            "post": op("新建项目(项目单位)", tag: "projects", body: ref("ProjectDraft"), ok: "201", result: ref("ProjectView")),
        ]
        paths["/api/v1/projects/{projectId}"] = ["get": op("项目详情", tag: "projects", result: ref("ProjectView"), params: [project])]
        paths["/api/v1/projects/{projectId}/actions"] = ["get": op("当前可办理的操作及未满足的条件", tag: "projects", params: [project])]
        paths["/api/v1/projects/{projectId}/audit"] = [
            "get": paged(op("项目审计记录,按记录顺序分页", tag: "audit", result: ["type": "array", "items": ["type": "object"]], params: [project]))
        ]
        // GB/T 39786-2021 不可否认性: each signed decision with its SM2 signature and public key; `zhengxin verify-decision` checks it offline.
        paths["/api/v1/projects/{projectId}/decisions"] = [
            "get": paged(
                op(
                    "已签名的决定(文档、SM2签名、公钥,可离线验证),按签署顺序分页", tag: "audit",
                    result: ["type": "array", "items": ["type": "object"]], params: [project]))
        ]
        // The agency key registry decisions verify against (public keys only), and the security administrator's rotation.
        paths["/api/v1/signing-keys"] = [
            "get": paged(
                op(
                    "机构签名密钥登记册(公钥、SM3指纹、有效期;不含私钥),供钉选后离线验证决定;keys 按登记先后分页(完整登记册: zhengxin export-signing-keys)",
                    tag: "audit", result: ref("SigningKeyRegistry")))
        ]
        paths["/api/v1/admin/signing-keys/{organisationId}/rotate"] = [
            "post": op(
                "轮换机构的决定签名密钥(安全管理员;旧密钥停用并保留以验证已签决定)", tag: "admin",
                result: ref("SigningKeyRotation"), params: [path("organisationId", "机构 id")])
        ]
        paths["/api/v1/projects/{projectId}/documents"] = [
            "get": paged(op("文档列表,按附加先后分页", tag: "documents", result: ["type": "array", "items": ["type": "object"]], params: [project])),
            "post": [
                "summary": "上传文档(请求体为文件原始内容,按 SHA-256 存储)", "tags": ["documents"],
                "parameters": [
                    project, query("kind", "文档类型", type: ref("DocumentKind")), query("filename", "文件名"),
                    query("sharingChapter", "所含信息资源共享分析篇(章)部分,逗号分隔: applicationAnalysis,resourceCatalog,sharingOpenList"),
                    query("evaluates", "咨询评估报告所评估的文档类型", type: ref("DocumentKind")),
                    query("sharingChapterOpinion", "咨询评估报告是否含对共享分析篇(章)的评估意见", type: ["type": "boolean"]),
                ],
                "requestBody": [
                    "required": true, "content": ["application/octet-stream": ["schema": ["type": "string", "format": "binary"]]],
                ],
                "responses": responses(ok: "201", result: ref("ProjectView")),
            ] as [String: Any],
        ]
        paths["/api/v1/projects/{projectId}/documents/{number}"] = [
            "get": op(
                "下载文档", tag: "documents", result: ["type": "string", "format": "binary"],
                params: [project, path("number", "文档编号", type: ["type": "integer"])])
        ]
        paths["/api/v1/annual-plans"] = [
            "get": paged(op("年度政府投资计划列表,按年度分页", tag: "annual-plans", result: ["type": "array", "items": ["type": "object"]])),
            "post": op("编制年度政府投资计划(市发展改革委, 第八条)", tag: "annual-plans", body: ref("CompileAnnualPlan"), ok: "201"),
        ]
        paths["/api/v1/policies"] = [
            "get": paged(op("政策版本(R-POL-1),按适用地区和施行日期分页", tag: "policies", result: ["type": "array", "items": ref("Policy")])),
            "post": op("新增政策版本(安全管理员; 第四十二条 县(市、区)可制定相应办法)", tag: "policies", body: ref("Policy"), ok: "201", result: ref("Policy")),
        ]
        paths["/api/v1/inbox"] = [
            "get": paged(
                op(
                    "本人待办提醒(期限扫描结果),按到期日分页,总数见 X-Total-Count", tag: "deadlines",
                    result: ["type": "array", "items": ["type": "object"]]))
        ]
        paths["/api/v1/overdue"] = [
            "get": paged(
                op(
                    "逾期事项清单(按权限范围),按到期日分页,总数见 X-Total-Count", tag: "deadlines",
                    result: ["type": "array", "items": ["type": "object"]]))
        ]
        let plan = path("planId", "年度计划 id")
        paths["/api/v1/annual-plans/{planId}"] = ["get": op("年度计划详情", tag: "annual-plans", params: [plan])]
        paths["/api/v1/annual-plans/{planId}/issue"] = [
            "post": op("下达年度计划(市发展改革委, 第八条)", tag: "annual-plans", body: ref("IssueAnnualPlan"), params: [plan])
        ]
        for rule in Lifecycle.catalog where rule.spec.name != AttachDocument.spec.name {
            let spec = rule.spec
            let notation = PayloadSchemas.actions[spec.name] ?? ""
            let who = spec.actors.map(\.chinese).sorted().joined(separator: "、")
            var operation = op(
                "\(spec.title)(\(who), \(spec.article), \(spec.rule))", tag: "actions",
                body: notation.isEmpty ? ["type": "object"] : SchemaNotation.object(notation), result: ref("ProjectView"), params: [project]
            )
            operation["operationId"] = spec.name
            paths["/api/v1/projects/{projectId}/actions/\(spec.name)"] = ["post": operation]
        }
        paths.merge(SharingSchemas.paths()) { a, _ in a }  // R-SHR-4: figures and catalog exports
        paths.merge(SimilarProjectsSchemas.paths()) { a, _ in a }  // 查重 (第七条, 第二十七条)
        paths.merge(RiskSchemas.paths()) { a, _ in a }  // 风险评级
        paths.merge(ProjectImportSchemas.paths()) { a, _ in a }  // 批量申报 from the template workbook
        paths.merge(DownloadSchemas.paths()) { a, _ in a }  // decision PDF, CSV and .xlsx files
        paths.merge(AccountSchemas.paths()) { _, accounts in accounts }  // activation, password change, two-person rule
        var schemas: [String: Any] = [:]
        for (name, notation) in PayloadSchemas.components { schemas[name] = SchemaNotation.object(notation) }
        for (name, values) in PayloadSchemas.enums { schemas[name] = ["type": "string", "enum": values] }
        schemas["Error"] = SchemaNotation.object("error:#ErrorDetail")
        schemas["PersonalData"] = UserPersonalData.schemaLimits(SchemaNotation.object("?phone:string ?idNumber:string"))
        schemas["MailPreference"] = SchemaNotation.object("?address:string delivery:enum:MailDelivery deliveryTitle:string ?message:string")
        schemas["MailPreferenceInput"] = SchemaNotation.object("?address:string delivery:enum:MailDelivery")
        schemas["MailDelivery"] = ["type": "string", "enum": MailDelivery.allCases.map(\.rawValue)]
        schemas["CreateOrganisation"] = SchemaNotation.object("name:string type:string ?jurisdiction:string")
        schemas["SigningKey"] = SchemaNotation.object(
            "fingerprint:string organisationId:uuid organisationName:string organisationType:string algorithm:string publicKey:string validFrom:int ?validUntil:int"
        )
        schemas["SigningKeyRegistry"] = SchemaNotation.object("format:string exportedAt:int keys:[#SigningKey]")
        schemas["SigningKeyRotation"] = SchemaNotation.object("?retired:#SigningKey current:#SigningKey")
        schemas["ErrorDetail"] = SchemaNotation.object("code:string message:string violations:[#Violation]")
        schemas["ProjectView"] = [
            "type": "object", "required": ["project", "derived"],
            "properties": [
                "project": [
                    "type": "object", "description": "项目全部记录(金额单位: 分)",
                    // R-GOAL-1/R-GOAL-2: the indicator table; evaluations are in supervision.evaluations.
                    "properties": ["performanceGoals": ref("PerformanceGoals")],
                ],
                "derived": ["type": "object"], "summary": ["type": "string"],
            ],
        ]
        schemas.merge(AccountSchemas.schemas()) { _, accounts in accounts }
        schemas.merge(SimilarProjectsSchemas.schemas()) { a, _ in a }
        schemas.merge(RiskSchemas.schemas()) { a, _ in a }
        schemas.merge(ProjectImportSchemas.schemas()) { a, _ in a }
        schemas["ProjectSummary"] = SchemaNotation.object(
            "id:uuid code:string name:string unitId:uuid stage:enum:Stage stageTitle:string planYear:int totalInvestment:fen tier:int")
        return [
            "openapi": "3.0.3",
            "info": [
                "title": "政信 Zhengxin API", "version": "1.0.0",
                "description": "郑州市政务信息化项目全生命周期管理(郑政文〔2020〕70号)。金额一律以分为单位的整数;日期为北京时间 YYYY-MM-DD。",
            ],
            "servers": [["url": "/"]],
            "security": [["bearer": [String]()]],
            "components": ["schemas": schemas, "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]]],
            "paths": paths,
        ]
    }
}
