import ZhengxinCore

/// Request bodies of the sharing actions, in PayloadSchemas' notation (R-SHR-1..5, 第二十六条 to 第三十条).
enum SharingSchemas {
    static let actions: [String: String] = [
        "add-catalog-entry": "#CatalogEntryFields",
        "update-catalog-entry": "#CatalogEntryFields",
        "withdraw-catalog-entry": "code:string reason:string",
        "record-sharing-feedback":
            "entryCode:string usedOn:date consumer:string purpose:string outcome:enum:FeedbackOutcome ?comment:string",
    ]

    static let components: [String: String] = [
        "CatalogEntryFields": "code:string name:string provider:string summary:string format:string dataItems:[#CatalogDataItem] "
            + "sharingType:enum:SharingType ?sharingBasis:string openType:enum:OpenType ?openConditions:string ?openTo:[string] "
            + "updateFrequency:enum:UpdateFrequency sharingMethod:enum:SharingMethod ?involvesSecrets:bool",
        "CatalogDataItem": "name:string ?dataType:string",
        "CatalogRegistrationRequest": "platformId:string registeredOn:date connectedToExchangePlatform:bool ?entryCodes:[string]",
        "SharingFigures":
            "projects:int projectsWithCatalog:int projectsRegistered:int entries:int unconditional:int conditional:int notShared:int "
            + "openUnconditional:int openConditional:int notOpen:int secretEntries:int registeredEntries:int withdrawnEntries:int feedbackCount:int "
            + "sharedEntries:int ?sharingRatioBasisPoints:int ?unconditionalRatioBasisPoints:int ?conditionalRatioBasisPoints:int "
            + "?notSharedRatioBasisPoints:int ?registeredRatioBasisPoints:int",
        "ProjectSharingView":
            "projectId:uuid code:string name:string unitId:uuid stage:enum:Stage catalogRegistered:bool figures:#SharingFigures",
        "UnitSharingView":
            "unitId:uuid unitName:string hiddenClassifiedProjects:int figures:#SharingFigures projects:[#ProjectSharingView]",
        "CatalogDocument":
            "format:string generatedOn:date project:#CatalogProjectRef ?registration:#CatalogRegistrationRequest entries:[#CatalogExportEntry]",
        "CatalogProjectRef": "id:uuid code:string name:string unitId:uuid unitName:string",
        "CatalogExportEntry": "code:string name:string provider:string summary:string format:string dataItems:[#CatalogDataItem] "
            + "sharingType:enum:SharingType sharingTypeTitle:string ?sharingBasis:string openType:enum:OpenType openTypeTitle:string "
            + "?openConditions:string openTo:[string] updateFrequency:enum:UpdateFrequency sharingMethod:enum:SharingMethod "
            + "addedOn:date ?updatedOn:date ?registration:#EntryRegistration",
        "EntryRegistration": "platformId:string registeredOn:date",
    ]

    static let enums: [String: [String]] = [
        "SharingType": SharingType.allCases.map(\.rawValue),
        "OpenType": OpenType.allCases.map(\.rawValue),
        "UpdateFrequency": UpdateFrequency.allCases.map(\.rawValue),
        "SharingMethod": SharingMethod.allCases.map(\.rawValue),
        "FeedbackOutcome": FeedbackOutcome.allCases.map(\.rawValue),
    ]

    /// The sharing endpoints of SharingController, for OpenAPIDocument.
    static func paths() -> [String: Any] {
        typealias D = OpenAPIDocument
        let project = D.path("projectId", "项目 id")
        let text = { (type: String, summary: String) -> [String: Any] in
            [
                "summary": summary, "tags": ["sharing"], "parameters": [project],
                "responses": D.responses(ok: "200", result: ["type": "object"]).merging([
                    "200": ["description": "成功", "content": [type: ["schema": ["type": "object"]]]]
                ]) { _, b in b },
            ]
        }
        return [
            "/api/v1/projects/{projectId}/sharing": [
                "get": D.op("项目信息资源共享情况统计(R-SHR-4, 第二十八条)", tag: "sharing", result: D.ref("ProjectSharingView"), params: [project])
            ],
            "/api/v1/units/{unitId}/sharing": [
                "get": D.paged(
                    D.op(
                        "项目单位信息资源共享情况统计(R-SHR-4, 第二十八条; 单位仅可查看本单位);统计含全部可见项目,projects 按编号分页",
                        tag: "sharing", result: D.ref("UnitSharingView"), params: [D.path("unitId", "项目单位 id")]))
            ],
            "/api/v1/projects/{projectId}/catalog.json": [
                "get": D.op(
                    "导出信息资源目录(JSON, zhengxin-catalog/1; 不含已撤销及涉及国家秘密和安全的条目, 第三十条)",
                    tag: "sharing", result: D.ref("CatalogDocument"), params: [project])
            ],
            "/api/v1/projects/{projectId}/catalog.jsonld": [
                "get": text(
                    "application/ld+json",
                    "导出信息资源目录(DCAT-AP JSON-LD: dcat:Catalog, 每条目一个 dcat:Dataset; 不含涉及国家秘密和安全的条目, 第三十条)")
            ],
        ]
    }
}
