import Foundation
import ZhengxinCore

/// What happens to a demo project beside its lifecycle: oversight and audit findings, sharing feedback,
/// changes, a second payment, catalog entries, the yearly assessments, and the sanctions of 拒不整改 (第三十六条).
extension DemoStory.Walked {
    /// The extras, in date order from `base`; in operation, with the yearly 等级测评 and 密评
    /// (第三十三条, 第三十二条) up to ten days before the cutoff.
    mutating func extras(_ w: DemoWalker, from base: CivilDate) throws {
        var planned: [(DemoProject.Extra?, CivilDate)] = spec.extras.compactMap { e in
            DemoSchedule.offset(e).map { (e, base.addingDays($0.at)) }
        }
        if record.stage == .operating, let filed = record.security.gradedProtection?.filedOn {
            var k = 1
            while filed.addingMonths(11 * k).workday <= schedule.cutoff.addingDays(-10) {
                planned.append((nil, filed.addingMonths(11 * k).workday))
                k += 1
            }
        }
        var evaluationDay = performanceEvaluationDay()  // R-GOAL-2, in date order with the rest
        for (extra, on) in planned.sorted(by: { $0.1 < $1.1 }) {
            if let day = evaluationDay, day <= on {
                try evaluatePerformance(w, on: day)
                evaluationDay = nil
            }
            let total = record.totalInvestment.value
            guard let extra else {
                for (action, body) in [("record-security-assessment", "河南省信息安全测评中心"), ("record-crypto-assessment", "河南省商用密码应用安全性评估机构")] {
                    try w.step(
                        &record, action, on: on,
                        [
                            "assessedOn": on.description, "result": "pass", "body": body,
                            "reportNumber": "CP-\(on.year)-\(record.code.suffix(4))",
                        ])
                }
                continue
            }
            switch extra {
            case .inspectionClosed:
                let n = record.supervision.findings.count + 1
                try w.step(
                    &record, "record-oversight", by: .bdb, on: on,
                    [
                        "kind": "inspection", "heldOn": on.description, "subject": "信息资源共享和网络安全情况", "conclusion": "存在问题,限期整改",
                        "findings": [
                            [
                                "description": "信息资源目录未随系统功能调整及时更新", "basis": "第二十八条 项目单位应编制信息资源目录",
                                "deadline": on.addingDays(30).description,
                            ]
                        ],
                    ])
                try w.step(&record, "report-rectification", on: on.addingDays(15), ["findingNumber": n, "description": "已更新信息资源目录并报市大数据局"])
                try w.step(&record, "close-finding", by: .bdb, on: on.addingDays(25), ["findingNumber": n, "note": "经核查,目录已更新,整改到位"])
            case .sharingFeedback:
                guard let entry = record.sharing.activeEntries.first else { continue }
                try w.step(
                    &record, "record-sharing-feedback", by: .bdb, on: on,
                    [
                        "entryCode": entry.code, "usedOn": on.description, "consumer": "郑州市大数据管理局", "purpose": "跨部门业务协同",
                        "outcome": "satisfied",
                    ])
            case .changeAcknowledged:
                let n = record.changes.count + 1
                try w.step(
                    &record, "propose-change", on: on,
                    [
                        "description": "按业务需要调整部分功能模块的建设进度", "reason": "scheduleAdjustment",
                        "newTotalFen": total, "adjustedAmountFen": total / 20, "goalsUnchanged": true,
                    ])
                try w.step(&record, "acknowledge-change-filing", by: .drc, on: on.addingDays(8), ["changeNumber": n])
            case .auditAnswered:
                let n = record.supervision.findings.count + 1
                try w.step(
                    &record, "record-oversight", by: .aud, on: on,
                    [
                        "kind": "audit", "auditScope": "budget", "heldOn": on.description, "subject": "项目建设资金预算执行情况",
                        "conclusion": "预算执行基本规范,存在个别问题",
                        "findings": [
                            [
                                "description": "部分合同款支付进度与合同约定不一致", "basis": "第三十五条 市审计局依法对项目预算执行情况进行审计",
                                "deadline": on.addingDays(60).description,
                            ]
                        ],
                    ])
                try w.step(
                    &record, "report-rectification", on: on.addingDays(30), ["findingNumber": n, "description": "已按合同约定调整支付进度,附支付凭证"])
            case .secondPayment:
                try w.step(
                    &record, "disburse", by: .fin, on: on,
                    [
                        "amountFen": record.approvedBudget!.value / 4, "paidOn": on.description,
                        "voucherNumber": "ZF-\(on.year)-\(record.code.suffix(4))-2",
                    ])
            case .catalogUnregistered:
                try w.step(
                    &record, "add-catalog-entry", on: on,
                    [
                        "code": "\(record.code)-R01", "name": "\(record.name)业务数据", "provider": unitName,
                        "summary": "\(record.name)产生的业务办理数据",
                        "format": "数据库", "dataItems": [["name": "办件编号"], ["name": "办理结果"], ["name": "办结日期", "dataType": "日期型"]],
                        "sharingType": "unconditional", "openType": "notOpen", "updateFrequency": "daily", "sharingMethod": "api",
                    ])
            case .inspectionOverdue:
                try w.step(
                    &record, "record-oversight", by: .fin, on: on,
                    [
                        "kind": "inspection", "heldOn": on.description, "subject": "建设资金使用情况", "conclusion": "存在问题,限期整改",
                        "findings": [
                            [
                                "description": "部分设备采购未按批复清单执行", "basis": "第十条 批复文件是项目实施的主要依据",
                                "deadline": on.addingDays(30).description,
                            ]
                        ],
                    ])
            case .changeFiled:
                try w.step(
                    &record, "propose-change", on: on,
                    [
                        "description": "采用国产分布式数据库替换原方案中的集中式数据库", "reason": "technologyOptimisation",
                        "newTotalFen": total, "adjustedAmountFen": total / 25, "goalsUnchanged": true,
                    ])
            case .changeAwaitingApproval:
                try w.step(
                    &record, "propose-change", on: on,
                    [
                        "description": "按市委、市政府部署新增区县接入和应急联动功能", "reason": "newDeployment",
                        "newTotalFen": total * 6 / 5, "adjustedAmountFen": total / 5, "goalsUnchanged": false,
                    ])
            case .simpleContent, .signedBy, .missedDeclaration: break
            }
        }
        if let day = evaluationDay { try evaluatePerformance(w, on: day) }
    }

    /// 拒不整改 (第三十六条): DRC's finding goes unanswered, construction is suspended, and for a
    /// terminated project, ended.
    mutating func sanctions(_ w: DemoWalker, from base: CivilDate) throws {
        let n = record.supervision.findings.count + 1
        let held = base.addingDays(60)
        try w.step(
            &record, "record-oversight", by: .drc, on: held,
            [
                "kind": "inspection", "heldOn": held.description, "subject": "项目建设进度和质量", "conclusion": "进度严重滞后,限期整改",
                "findings": [
                    [
                        "description": "承建单位未按合同组织实施,主要功能模块未开发", "basis": "第十八条 项目建设严重逾期的应限期整改",
                        "deadline": held.addingDays(30).description,
                    ]
                ],
            ])
        try w.step(
            &record, "apply-sanction", by: .drc, on: base.addingDays(110),
            [
                "kind": "suspension", "findingNumbers": [n], "reason": "逾期未报送整改情况,暂停项目建设",
                "documentNumber": "郑发改督〔\(base.addingDays(110).year)〕3号",
            ])
        guard spec.target == .terminated else { return }
        try w.step(
            &record, "apply-sanction", by: .drc, on: base.addingDays(180),
            [
                "kind": "termination", "findingNumbers": [n], "reason": "暂停建设后仍未整改,终止项目",
                "documentNumber": "郑发改督〔\(base.addingDays(180).year)〕7号",
            ])
    }
}
