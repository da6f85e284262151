import Fluent
import Vapor
import ZhengxinCore

/// An account holder's personal data (个人信息: 手机号, 身份证号), each value SM4-sealed (AtRest) in
/// its own table, so the users table and a copy of the database reveal neither.
/// Who sees what: the holder sees both in full (`GET /api/v1/me/personal`); the system and security
/// administrators see them masked in the user list (138****5678, 4101**********1234), enough to
/// tell people apart; nobody else sees them.
final class UserPersonalDataModel: Model, @unchecked Sendable {
    static let schema = "user_personal_data"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userId: UUID
    @OptionalField(key: "phone_sealed") var phoneSealed: String?
    @OptionalField(key: "id_number_sealed") var idNumberSealed: String?

    init() {}
}

enum UserPersonalData {
    struct Values: Content, Equatable {
        var phone: String?
        var idNumber: String?

        var isEmpty: Bool { phone == nil && idNumber == nil }

        /// For administrators: 138****5678, 4101**********1234.
        var masked: Values {
            Values(phone: phone.map(PersonalData.maskPhone), idNumber: idNumber.map(PersonalData.maskIdNumber))
        }
    }

    /// Empty strings mean "not given"; an ID number's X is stored upper-case.
    static func normalised(phone: String?, idNumber: String?) -> Values {
        let trim = { (s: String?) in s.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 } }
        return Values(phone: trim(phone), idNumber: trim(idNumber)?.uppercased())
    }

    static func problems(_ values: Values) -> [Violation] {
        (values.phone.map { PersonalData.phoneViolations($0, field: "phone") } ?? [])
            + (values.idNumber.map { PersonalData.idNumberViolations($0, field: "idNumber") } ?? [])
    }

    /// Stores `values` sealed for the account; call in the transaction that creates it.
    static func store(_ values: Values, for userId: UUID, on db: Database) async throws {
        guard !values.isEmpty else { return }
        let row = UserPersonalDataModel()
        row.id = UUID()
        row.userId = userId
        row.phoneSealed = try values.phone.map { try AtRest.seal($0) }
        row.idNumberSealed = try values.idNumber.map { try AtRest.seal($0) }
        try await row.create(on: db)
    }

    static func values(of row: UserPersonalDataModel) throws -> Values {
        Values(phone: try row.phoneSealed.map { try AtRest.open($0) }, idNumber: try row.idNumberSealed.map { try AtRest.open($0) })
    }

    static func load(for userId: UUID, on db: Database) async throws -> Values {
        guard let row = try await UserPersonalDataModel.query(on: db).filter(\.$userId == userId).first() else { return Values() }
        return try values(of: row)
    }

    /// Every account's values, by user id (the administrators' user list).
    static func all(on db: Database) async throws -> [UUID: Values] {
        let rows = try await UserPersonalDataModel.query(on: db).all()
        return Dictionary(try rows.map { ($0.userId, try values(of: $0)) }, uniquingKeysWith: { a, _ in a })
    }

    /// The lengths the core checks, on `phone` and `idNumber` of an OpenAPI object schema.
    static func schemaLimits(_ schema: [String: Any]) -> [String: Any] {
        var schema = schema
        var properties = schema["properties"] as? [String: Any] ?? [:]
        let limits: [String: (Int, Int)] = [
            "phone": (PersonalData.phoneLengths.lowerBound, PersonalData.phoneLengths.upperBound),
            "idNumber": (PersonalData.idNumberLength, PersonalData.idNumberLength),
        ]
        for (name, (min, max)) in limits {
            guard var field = properties[name] as? [String: Any] else { continue }
            field["minLength"] = min
            field["maxLength"] = max
            properties[name] = field
        }
        schema["properties"] = properties
        return schema
    }

    /// `GET /api/v1/me/personal`: the caller's own data, in full.
    static func mine(_ req: Request) async throws -> Values {
        try await load(for: try req.caller().userId, on: req.db)
    }
}
