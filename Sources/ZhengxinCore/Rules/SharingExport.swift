import Foundation

/// Catalog exports (R-SHR-4, 第二十八条): a documented JSON form and DCAT-AP JSON-LD. Both hold only
/// active entries, and never one touching state secrets or security (R-SHR-5, 第三十条).
public enum CatalogExport {
    public static let formatId = "zhengxin-catalog/1"

    /// The entries an export may hold.
    public static func exportable(_ p: ProjectRecord) -> [CatalogEntry] { p.sharing.activeEntries.filter { !$0.involvesSecrets } }

    /// The JSON form, `zhengxin-catalog/1`.
    public struct Document: Codable, Sendable, Hashable {
        public struct ProjectRef: Codable, Sendable, Hashable {
            public var id: UUID
            public var code: String
            public var name: String
            public var unitId: UUID
            public var unitName: String
        }
        public struct Entry: Codable, Sendable, Hashable {
            public var code: String
            public var name: String
            public var provider: String
            public var summary: String
            public var format: String
            public var dataItems: [CatalogDataItem]
            public var sharingType: SharingType
            public var sharingTypeTitle: String
            public var sharingBasis: String?
            public var openType: OpenType
            public var openTypeTitle: String
            public var openConditions: String?
            public var openTo: [String]
            public var updateFrequency: UpdateFrequency
            public var sharingMethod: SharingMethod
            public var addedOn: CivilDate
            public var updatedOn: CivilDate?
            public var registration: EntryRegistration?
        }
        public var format: String
        public var generatedOn: CivilDate
        public var project: ProjectRef
        public var registration: CatalogRegistration?
        public var entries: [Entry]
    }

    public static func document(_ p: ProjectRecord, unitName: String, on date: CivilDate) -> Document {
        Document(
            format: formatId, generatedOn: date,
            project: .init(id: p.id, code: p.code, name: p.name, unitId: p.unitId, unitName: unitName),
            registration: p.catalogRegistration,
            entries: exportable(p).map { e in
                let f = e.fields
                return .init(
                    code: f.code, name: f.name, provider: f.provider, summary: f.summary, format: f.format, dataItems: f.dataItems,
                    sharingType: f.sharingType, sharingTypeTitle: f.sharingType.chinese, sharingBasis: f.sharingBasis,
                    openType: f.openType, openTypeTitle: f.openType.chinese, openConditions: f.openConditions, openTo: f.openTo ?? [],
                    updateFrequency: f.updateFrequency, sharingMethod: f.sharingMethod, addedOn: e.addedOn, updatedOn: e.updatedOn,
                    registration: e.registration)
            })
    }

    // MARK: DCAT-AP JSON-LD

    public static var context: [String: Any] {
        [
            "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#", "zx": "urn:zhengxin:ns:sharing#",
        ]
    }

    /// dct:accrualPeriodicity, from the EU frequency vocabulary DCAT-AP prescribes.
    static func periodicity(_ f: UpdateFrequency) -> String {
        let code: String
        switch f {
        case .realTime: code = "CONT"
        case .daily: code = "DAILY"
        case .weekly: code = "WEEKLY"
        case .monthly: code = "MONTHLY"
        case .quarterly: code = "QUARTERLY"
        case .yearly: code = "ANNUAL"
        case .irregular: code = "IRREG"
        }
        return "http://publications.europa.eu/resource/authority/frequency/" + code
    }

    /// dct:accessRights, from the EU access-right vocabulary: the open type decides public access.
    static func accessRights(_ o: OpenType) -> String {
        let code: String
        switch o {
        case .unconditional: code = "PUBLIC"
        case .conditional: code = "RESTRICTED"
        case .notOpen: code = "NON_PUBLIC"
        }
        return "http://publications.europa.eu/resource/authority/access-right/" + code
    }

    static func text(_ s: String) -> [String: Any] { ["@value": s, "@language": "zh"] }
    static func xsdDate(_ d: CivilDate) -> [String: Any] { ["@value": d.description, "@type": "xsd:date"] }

    /// A dcat:Catalog with one dcat:Dataset per exportable entry. Identifiers are URNs under
    /// `urn:zhengxin:` (project code, entry code); an entry's distribution points at the exchange
    /// platform once registered.
    public static func jsonLD(_ p: ProjectRecord, unitName: String, on date: CivilDate) -> [String: Any] {
        let base = "urn:zhengxin:project:\(p.code)"
        let publisher: [String: Any] = [
            "@id": "urn:zhengxin:organisation:\(p.unitId.uuidString.lowercased())", "@type": "foaf:Agent", "foaf:name": unitName,
        ]
        let datasets: [[String: Any]] = exportable(p).map { e in
            let f = e.fields
            let id = "\(base):dataset:\(f.code)"
            let access = e.registration.map { "urn:zhengxin:exchange-platform:\($0.platformId):\(f.code)" } ?? "\(id):access"
            var distribution: [String: Any] = [
                "@id": "\(id):distribution", "@type": "dcat:Distribution",
                "dct:title": text("\(f.name)(\(f.sharingMethod.chinese))"), "dct:format": f.format,
                "dcat:accessURL": ["@id": access], "zx:sharingMethod": f.sharingMethod.rawValue,
            ]
            if f.sharingMethod == .api {
                distribution["dcat:accessService"] = [
                    "@id": "\(id):service", "@type": "dcat:DataService",
                    "dct:title": text("\(f.name)共享接口"), "dcat:endpointURL": ["@id": access],
                ]
            }
            var dataset: [String: Any] = [
                "@id": id, "@type": "dcat:Dataset", "dct:identifier": f.code, "dct:title": text(f.name), "dct:description": text(f.summary),
                "dct:publisher": ["@type": "foaf:Agent", "foaf:name": f.provider],
                "dct:accrualPeriodicity": ["@id": periodicity(f.updateFrequency)],
                "dct:accessRights": ["@id": accessRights(f.openType)],
                "dct:issued": xsdDate(e.addedOn), "dcat:distribution": [distribution],
                "dcat:keyword": f.dataItems.map(\.name),
                "zx:sharingType": f.sharingType.rawValue, "zx:openType": f.openType.rawValue,
            ]
            if let updated = e.updatedOn { dataset["dct:modified"] = xsdDate(updated) }
            if let basis = f.sharingBasis { dataset["zx:sharingBasis"] = text(basis) }
            if let conditions = f.openConditions { dataset["zx:openConditions"] = text(conditions) }
            if let openTo = f.openTo, !openTo.isEmpty { dataset["zx:openTo"] = openTo }
            if let r = e.registration { dataset["zx:registeredOn"] = xsdDate(r.registeredOn) }
            return dataset
        }
        return [
            "@context": context, "@id": "\(base):catalog", "@type": "dcat:Catalog",
            "dct:identifier": p.code, "dct:title": text("\(p.name)信息资源目录"),
            "dct:description": text("\(unitName)「\(p.name)」政务信息资源目录(郑政文〔2020〕70号第二十六条)"),
            "dct:publisher": publisher, "dct:modified": xsdDate(date), "dcat:dataset": datasets,
        ]
    }
}
