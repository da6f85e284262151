import Foundation

/// The interpretations R-SHR-1..5 rest on, as parameters rather than constants (R-POL-1).
public struct SharingParameters: Hashable, Sendable {
    /// 第二十八条 "应当普遍共享的数据" *(interpretation)*: the sharing types whose data may not be opened
    /// only to named enterprises or organisations.
    public var generallyShared: Set<SharingType>
    /// 第三十条 *(interpretation)*: an entry touching state secrets or security is never opened and
    /// never shared unconditionally.
    public var secretsMayBeOpened: Bool
    public var maxDataItems: Int

    public static let zhengzhou2020 = SharingParameters(generallyShared: [.unconditional], secretsMayBeOpened: false, maxDataItems: 500)
}

/// The checks of a catalog entry and of the catalog as a whole, shared by the actions.
enum SharingRules {
    static let parameters = SharingParameters.zhengzhou2020

    /// Where the catalog can be kept: from approval, which fixes the content and its sharing chapter
    /// (第十条, 第二十六条), through operation, when the catalog is kept current (第二十八条).
    static let catalogStages: Set<Stage> = [
        .approved, .procuring, .constructing, .suspended, .completed, .trialRunning,
        .acceptanceApplied, .accepted, .operating,
    ]
    /// Where shared data is in use and its use gets feedback (第二十八条 "项目运行使用阶段"): from the trial run on.
    static let feedbackStages: Set<Stage> = [.trialRunning, .acceptanceApplied, .accepted, .operating]

    /// Codes as catalog systems write them: letters, digits and - _ . /, at most 64.
    static func codeViolation(_ code: String, field: String = "code") -> Violation? {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./")
        guard !code.isEmpty, code.count <= 64, code.unicodeScalars.allSatisfy(allowed.contains) else {
            return .input(field, "目录编码「\(code)」无效: 应为1至64位字母、数字或 - _ . /")
        }
        return nil
    }

    static func blank(_ s: String?) -> Bool { (s ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }

    /// Every input error and every unmet rule of an entry's fields (R-SHR-1, R-SHR-2, R-SHR-5).
    static func check(_ f: CatalogEntryFields, _ p: SharingParameters = parameters) -> [Violation] {
        var c = Checklist()
        if let v = codeViolation(f.code) { c.add(v) }
        for (value, field) in [(f.name, "name"), (f.provider, "provider"), (f.format, "format")] {
            if let v = Fields.text(value, field, max: 200) { c.add(v) }
        }
        if let v = Fields.text(f.summary, "summary", max: 5000) { c.add(v) }
        c.require(!f.dataItems.isEmpty, .input("dataItems", "信息资源目录须列明信息项(dataItems)"))
        c.require(f.dataItems.count <= p.maxDataItems, .input("dataItems", "信息项不超过\(p.maxDataItems)项"))
        for (i, item) in f.dataItems.enumerated() {
            if let v = Fields.text(item.name, "dataItems[\(i)].name", max: 200) { c.add(v) }
        }
        let names = f.dataItems.map { $0.name.trimmingCharacters(in: .whitespaces) }
        c.require(Set(names).count == names.count, .input("dataItems", "信息项名称不能重复"))
        let openTo = f.openTo ?? []
        for (i, name) in openTo.enumerated() {
            if let v = Fields.text(name, "openTo[\(i)]", max: 200) { c.add(v) }
        }
        c.require(openTo.isEmpty || f.openType == .conditional, .input("openTo", "只有「有条件开放」的信息资源才能列明开放对象(openTo)"))
        if let v = f.openConditions.flatMap({ Fields.text($0, "openConditions", max: 5000) }), !blank(f.openConditions) { c.add(v) }
        if let v = f.sharingBasis.flatMap({ Fields.text($0, "sharingBasis", max: 5000) }), !blank(f.sharingBasis) { c.add(v) }
        if !c.isEmpty { return c.violations }

        // R-SHR-1 (第二十七条): sharing is the rule; 有条件共享 and 不予共享 state their basis.
        if f.sharingType != .unconditional {
            let what = f.sharingType == .conditional ? "共享条件及依据" : "不予共享的法律、法规或政策依据"
            c.require(
                !blank(f.sharingBasis), rule: "R-SHR-1", article: "第二十七条",
                "信息资源「\(f.name)」为\(f.sharingType.chinese),须说明\(what)(以共享为原则,不共享为例外)", field: "sharingBasis")
        }
        // R-SHR-2 (第二十八条): generally shared data is not opened only to named enterprises/organisations.
        if p.generallyShared.contains(f.sharingType) && f.openType == .conditional && !openTo.isEmpty {
            c.add(
                Violation(
                    rule: "R-SHR-2", article: "第二十八条",
                    message: "信息资源「\(f.name)」为\(f.sharingType.chinese),应当普遍共享,不得仅向特定企业、社会组织(\(openTo.joined(separator: "、")))开放",
                    field: "openTo"))
        }
        // R-SHR-5 (第三十条): resources touching state secrets or security are neither opened nor shared unconditionally.
        if f.involvesSecrets == true && !p.secretsMayBeOpened {
            c.require(
                f.openType == .notOpen, rule: "R-SHR-5", article: "第三十条",
                "信息资源「\(f.name)」涉及国家秘密和安全,开放类型应为「不予开放」", field: "openType")
            c.require(
                f.sharingType != .unconditional, rule: "R-SHR-5", article: "第三十条",
                "信息资源「\(f.name)」涉及国家秘密和安全,不得无条件共享", field: "sharingType")
        }
        return c.violations
    }

    /// The fields as stored: trimmed, the basis kept only where it means something.
    static func normalised(_ f: CatalogEntryFields) -> CatalogEntryFields {
        var n = f
        let trim = { (s: String) in s.trimmingCharacters(in: .whitespacesAndNewlines) }
        n.name = trim(f.name)
        n.provider = trim(f.provider)
        n.summary = trim(f.summary)
        n.format = trim(f.format)
        n.dataItems = f.dataItems.map { CatalogDataItem(name: trim($0.name), dataType: blank($0.dataType) ? nil : $0.dataType.map(trim)) }
        n.sharingBasis = f.sharingType == .unconditional || blank(f.sharingBasis) ? nil : f.sharingBasis.map(trim)
        n.openConditions = f.openType != .conditional || blank(f.openConditions) ? nil : f.openConditions.map(trim)
        n.openTo = f.openType == .conditional ? (f.openTo ?? []).map(trim) : []
        n.involvesSecrets = f.involvesSecrets ?? false
        return n
    }

    /// R-SHR-3 (第二十八条): the catalog exists before it can be registered.
    static func hasCatalog(_ p: ProjectRecord) -> Violation? {
        p.sharing.activeEntries.isEmpty
            ? Violation(rule: "R-SHR-3", article: "第二十八条", message: "项目尚未登记信息资源目录条目,无目录可纳入市政务数据共享交换平台")
            : nil
    }

    /// The entries a registration puts on the platform: those named, or every active entry not
    /// touching secrets (R-SHR-5: those are never exported).
    static func registrable(_ p: ProjectRecord) -> [CatalogEntry] { p.sharing.activeEntries.filter { !$0.involvesSecrets } }

    /// R-SHR-3 (第二十八条) as a condition of acceptance (R-ACC-3): the catalog is registered, and
    /// no exchangeable entry was added or changed since without being registered again.
    public static func acceptanceViolations(_ p: ProjectRecord) -> [Violation] {
        guard p.catalogRegistration != nil else {
            return [Violation(rule: "R-SHR-3", article: "第二十八条", message: "项目信息资源目录尚未纳入市政务数据共享交换平台目录管理系统(须市大数据局确认)")]
        }
        let pending = registrable(p).filter { $0.registration == nil }.map(\.code)
        guard pending.isEmpty else {
            return [
                Violation(
                    rule: "R-SHR-3", article: "第二十八条",
                    message: "信息资源目录条目\(pending.joined(separator: "、"))新增或变更后尚未纳入市政务数据共享交换平台(须市大数据局再次确认)")
            ]
        }
        return []
    }
}

/// BDB's confirmation (R-SHR-3, 第二十八条, 第二十九条): the platform, the date, the system's connection,
/// and optionally which entries; by default every active entry not touching secrets.
public struct CatalogRegistrationRequest: Decodable, Sendable {
    public var platformId: String
    public var registeredOn: CivilDate
    public var connectedToExchangePlatform: Bool
    public var entryCodes: [String]?
}

extension SharingRules {
    /// The entries named by the request, with every input error and R-SHR-5 refusal.
    static func registrationCheck(_ x: CatalogRegistrationRequest, _ p: ProjectRecord) -> [Violation] {
        guard let codes = x.entryCodes else { return [] }
        var c = Checklist()
        c.require(!codes.isEmpty, .input("entryCodes", "请列明纳入平台的目录条目,或省略 entryCodes 以纳入全部可共享条目"))
        c.require(Set(codes).count == codes.count, .input("entryCodes", "目录编码不能重复"))
        for (i, code) in codes.enumerated() {
            guard let entry = p.sharing.entry(code: code), entry.isActive else {
                c.add(.input("entryCodes[\(i)]", "本项目没有有效的目录编码为「\(code)」的信息资源"))
                continue
            }
            c.require(
                !entry.involvesSecrets, rule: "R-SHR-5", article: "第三十条",
                "信息资源「\(entry.fields.name)」(\(code))涉及国家秘密和安全,不得纳入共享交换平台", field: "entryCodes[\(i)]")
        }
        return c.violations
    }

    /// Records the registration on the project and on each entry; returns the codes registered.
    static func register(_ x: CatalogRegistrationRequest, on p: inout ProjectRecord) -> [String] {
        let codes = x.entryCodes ?? registrable(p).map(\.code)
        p.catalogRegistration = CatalogRegistration(
            platformId: x.platformId, registeredOn: x.registeredOn,
            connectedToExchangePlatform: x.connectedToExchangePlatform)
        for i in p.sharing.entries.indices where codes.contains(p.sharing.entries[i].code) {
            p.sharing.entries[i].registration = EntryRegistration(platformId: x.platformId, registeredOn: x.registeredOn)
        }
        return codes
    }
}
