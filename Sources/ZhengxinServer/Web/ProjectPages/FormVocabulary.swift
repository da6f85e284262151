import ZhengxinCore

/// The Chinese words of the action forms: a label for every body field, and a Chinese label for
/// every value of every enumeration a form offers (GLOSSARY.md terms).
enum FormVocabulary {
    static let labels: [String: String] = [
        // 申报 (第六条, 第七条)
        "name": "名称", "source": "项目来源", "planYear": "计划年度", "category": "项目类别", "totalInvestmentFen": "总投资(元)",
        "content": "建设内容", "goals": "建设目标", "classified": "涉密项目", "simpleContentRequested": "申请按建设内容单一、技术方案简单办理",
        "ownInfrastructure": "自建基础设施", "items": "项目", "justification": "必要性说明", "sharingPlan": "共享方案", "nationalCode": "国家统一项目代码",
        "reason": "理由", "userId": "授权用户",
        // 审查、储备、审批 (第六条 to 第十条)
        "findings": "审查要点", "criterion": "审查要点", "satisfied": "符合", "comment": "意见", "conclusion": "结论",
        "ownInfrastructureAccepted": "同意自建基础设施", "major": "认定为重大项目", "meetingOn": "会议日期", "minutesReference": "会议纪要",
        "agreed": "会议同意", "approvedOn": "批准日期", "documentNumber": "文号", "accepted": "同意", "kind": "类别",
        "approvedAmountFen": "批复金额(元)",
        // 资金 (第十一条)
        "amountFen": "金额(元)", "issuedOn": "下达日期", "paidOn": "拨付日期", "voucherNumber": "凭证号", "returnedOn": "退回日期",
        // 建设 (第十二条 to 第十八条)
        "implementingAgency": "实施机构", "responsiblePerson": "项目负责人", "contactPhone": "联系电话", "method": "采购方式",
        "supplier": "供应商", "awardedOn": "中标(成交)日期", "productClass": "产品类别", "domesticIP": "自主知识产权",
        "secureAndControllable": "安全可控", "contractNumber": "合同编号", "contractor": "承建单位", "contractorOrganisationId": "承建单位账号",
        "signedOn": "签订日期", "warrantyEnd": "免费维保期截止", "clauses": "合同条款", "clause": "条款", "covered": "已约定",
        "notApplicableReason": "不适用理由", "supervisionFirm": "监理单位", "supervisionFirmOrganisationId": "监理单位账号",
        "party": "签订方", "partyName": "签订方名称", "startedOn": "开工日期", "description": "情况说明", "occurredOn": "发生日期",
        "incidentNumber": "事项", "requirements": "整改要求", "deadline": "整改期限",
        // 变更 (第十九条)
        "newTotalFen": "变更后总投资(元)", "adjustedAmountFen": "调整金额(元)", "goalsUnchanged": "建设目标不变", "changeNumber": "变更申请",
        "newApprovedBudgetFen": "新的批复概算(元)",
        // 验收 (第二十条 to 第二十二条)
        "completedOn": "建成日期", "heldOn": "日期", "passed": "通过", "notes": "说明", "newEnd": "延长至", "reasons": "原因",
        "plannedAcceptanceOn": "计划验收日期", "platformId": "平台登记编号", "registeredOn": "登记日期",
        "connectedToExchangePlatform": "已接入共享交换平台", "entryCodes": "登记的目录条目编码(每行一个,留空为全部)",
        "reviewedOn": "审查日期", "opinion": "验收意见",
        // 运维 (第二十三条 to 第二十五条)
        "organisation": "运维机构", "rules": "运维管理制度", "mode": "运维方式", "entrustedInstitution": "受托机构",
        "procurementNumber": "已登记的采购", "procurement": "运维服务采购", "effectiveFrom": "生效日期", "year": "年度",
        "basis": "依据", "applicationNumber": "运维费申请", "budgetReference": "预算文号",
        // 安全 (第三十二条, 第三十三条)
        "level": "安全保护等级", "filingNumber": "备案编号", "filedOn": "备案日期", "assessedOn": "测评日期", "result": "结论",
        "body": "测评机构", "reportNumber": "报告编号", "designDocumentNumber": "密码应用方案所在文档", "summary": "摘要", "on": "日期",
        // 共享 (第二十六条 to 第三十条)
        "code": "目录编码", "provider": "提供单位", "format": "数据格式", "dataItems": "数据项", "dataType": "数据类型",
        "sharingType": "共享类型", "sharingBasis": "共享依据", "openType": "开放类型", "openConditions": "开放条件",
        "openTo": "开放对象(每行一个)", "updateFrequency": "更新频率", "sharingMethod": "共享方式", "involvesSecrets": "涉及国家秘密和安全",
        "entryCode": "目录条目编码", "usedOn": "使用日期", "consumer": "使用单位", "purpose": "用途", "outcome": "成效",
        // 监督 (第三十五条 to 第三十九条)
        "subject": "对象", "auditScope": "审计范围", "findingNumber": "整改意见", "note": "说明", "findingNumbers": "涉及的整改意见编号(逗号分隔)",
        "sanctionNumber": "处理措施", "ground": "追责事由", "conduct": "行为", "referredTo": "移送机关", "referredOn": "移送日期",
        "criminal": "涉嫌犯罪", "matter": "催办事项", "message": "催办内容", "answerBy": "答复期限",
        "urgeNumber": "催办", "answer": "答复",
        "consideredProjects": "已考虑的相似项目(查重)", "restrictedConsidered": "已考虑查重发现的受限项目",
        "duplicateAssessment": "是否重复及理由(第七条 集约性)",
        // 绩效目标与绩效评价 (第五条, 第十九条, 第三十五条)
        "performanceIndicators": "绩效目标", "newPerformanceIndicators": "新的绩效目标(仅变更绩效目标时填写)", "target": "目标值",
        "unit": "计量单位", "weight": "分值(可不填;填写则各项合计100)", "evaluatedOn": "评价日期", "scores": "逐项评分",
        "indicatorNumber": "绩效指标", "actual": "实际完成值", "score": "得分", "evidence": "评分依据", "evidenceDocumentNumber": "佐证文档",
    ]

    /// A field whose meaning depends on its type: documentNumber is a 文号 in text, a document of the project as a number.
    static func label(_ field: NotationField) -> String {
        if field.name == "documentNumber", field.type == .int { return "竣工验收报告所在文档" }
        if case .enumeration(let e) = field.type, let byType = byEnumeration[e] { return byType }
        if field.name == "items" { return field.type == .array(.string) ? "单独建设的基础设施(每行一项)" : "采购的产品" }
        return labels[field.name] ?? field.name
    }

    /// Fields named alike in different bodies (kind, category, result…) are labelled by what they choose.
    static let byEnumeration: [String: String] = [
        "ProcurementCategory": "采购类别", "DocumentKind": "批复文件类型", "IncidentKind": "事项类型", "OversightKind": "监督类型",
        "SanctionKind": "处理措施", "AssessmentResult": "测评结论", "ReviewConclusion": "审查结论", "ChangeReason": "变更原因",
        "IndicatorCategory": "指标类别(一级·二级)", "IndicatorComparison": "比较",
    ]

    /// Longer Chinese text: a textarea rather than a one-line input.
    static let longText: Set<String> = [
        "content", "goals", "comment", "reason", "description", "opinion", "notes", "requirements",
        "justification", "sharingPlan", "summary", "conclusion", "basis", "conduct", "reasons", "rules",
        "purpose", "openConditions", "sharingBasis", "note", "message", "answer", "duplicateAssessment", "evidence",
    ]

    /// Chinese label of an enumeration's value, nil when the value is not one of it.
    static func option(_ enumName: String, _ raw: String) -> String? {
        switch enumName {
        case "ProjectSource": return ProjectSource(rawValue: raw)?.chinese
        case "ProjectCategory": return ProjectCategory(rawValue: raw)?.chinese
        case "ReviewConclusion": return ReviewConclusion(rawValue: raw)?.chinese
        case "ReviewCriterion": return ReviewCriterion(rawValue: raw)?.chinese
        case "DocumentKind": return DocumentKind(rawValue: raw)?.chinese
        case "ProcurementCategory": return ProcurementCategory(rawValue: raw)?.chinese
        case "ProcurementMethod": return ProcurementMethod(rawValue: raw)?.chinese
        case "ProductClass": return ProductClass(rawValue: raw).map(productClass)
        case "ContractClause": return ContractClause(rawValue: raw)?.chinese
        case "ConfidentialityParty": return ConfidentialityParty(rawValue: raw)?.chinese
        case "IncidentKind": return IncidentKind(rawValue: raw)?.chinese
        case "ChangeReason": return ChangeReason(rawValue: raw)?.chinese
        case "Stage": return Stage(rawValue: raw)?.chinese
        case "SharingChapterPart": return SharingChapterPart(rawValue: raw)?.chinese
        case "OperationsMode": return OperationsMode(rawValue: raw)?.chinese
        case "AssessmentResult": return AssessmentResult(rawValue: raw)?.chinese
        case "SharingType": return SharingType(rawValue: raw)?.chinese
        case "OpenType": return OpenType(rawValue: raw)?.chinese
        case "UpdateFrequency": return UpdateFrequency(rawValue: raw)?.chinese
        case "SharingMethod": return SharingMethod(rawValue: raw)?.chinese
        case "FeedbackOutcome": return FeedbackOutcome(rawValue: raw)?.chinese
        case "OversightKind": return OversightKind(rawValue: raw)?.chinese
        case "AuditScope": return AuditScope(rawValue: raw)?.chinese
        case "SanctionKind": return SanctionKind(rawValue: raw)?.chinese
        case "ReferralGround": return ReferralGround(rawValue: raw)?.chinese
        case "FindingStatus": return FindingStatus(rawValue: raw)?.chinese
        case "IndicatorCategory": return IndicatorCategory(rawValue: raw).map { "\($0.level.chinese)·\($0.chinese)" }
        case "IndicatorComparison": return IndicatorComparison(rawValue: raw).map { "\($0.symbol) \($0.chinese)" }
        case "PerformanceGrade": return PerformanceGrade(rawValue: raw)?.chinese
        default: return nil
        }
    }

    /// 第三十四条's product classes (the core names them in comments only).
    static func productClass(_ c: ProductClass) -> String {
        switch c {
        case .securityProduct: return "信息安全设备"
        case .coreNetworkEquipment: return "核心网络设备"
        case .basicSoftware: return "基础软件"
        case .systemSoftware: return "系统软件"
        case .applicationSoftware: return "业务应用软件"
        case .otherHardware: return "其他硬件"
        case .service: return "服务"
        }
    }
}
