import Fluent
import Foundation
import ZhengxinCore

/// An organisation on record: an agency, a unit (项目单位) or a vendor.
package final class OrganisationModel: Model, @unchecked Sendable {
    package static let schema = "organisations"

    @ID(key: .id) package var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "type") var type: String
    /// 第四十二条: the city, or a county with measures of its own.
    @Field(key: "jurisdiction") var jurisdiction: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    package init() {}

    package init(id: UUID? = nil, name: String, type: OrganisationType, jurisdiction: String = PolicyBook.city) {
        self.id = id
        self.name = name
        self.type = type.rawValue
        self.jurisdiction = jurisdiction
    }

    var organisationType: OrganisationType { OrganisationType(rawValue: type) ?? .unit }
}
