import Foundation

/// Accounts in the OpenAPI document: activation, the holder's password change, and the two-person
/// rule for new accounts (AccountActivation, PasswordChange, AdminAccountProposals).
enum AccountSchemas {
    typealias D = OpenAPIDocument

    static func paths() -> [String: Any] {
        let proposal = D.path("proposalId", "账号申请 id")
        let createUser = D.op(
            "提出新建用户(系统管理员;两人规则: 账号待安全管理员批准后建立;不设密码,返回激活码前半部分,后半部分由批准人获得,本人用两半设置密码并绑定动态口令)",
            tag: "admin", body: D.ref("CreateUser"), ok: "202", result: D.ref("AdminAccountProposed"))
        return [
            "/api/v1/admin/users": [
                "get": D.paged(D.op("用户列表(系统管理员、安全管理员),按用户名分页", tag: "admin", result: ["type": "array", "items": ["type": "object"]])),
                "post": createUser,
            ],
            "/api/v1/auth/activate": [
                "post": D.op(
                    "用激活码激活账号: 新账号本人设置密码(需动态口令的账号同时获得密钥,仅此一次);动态口令重置后凭当前密码重新绑定",
                    tag: "auth", body: D.ref("ActivateRequest"), result: D.ref("Activated"), secured: false)
            ],
            "/api/v1/me/password": ["post": D.op("本人修改密码(须当前密码;密码规则;其他会话结束;记入审计)", tag: "auth", body: D.ref("ChangePassword"))],
            "/api/v1/admin/account-proposals": [
                "get": D.paged(
                    D.op(
                        "账号新建申请列表(系统管理员、安全管理员),最近在前分页", tag: "admin",
                        result: ["type": "array", "items": D.ref("AdminAccountProposal")]))
            ],
            "/api/v1/admin/account-proposals/{proposalId}/approve": [
                "post": D.op(
                    "批准账号申请(安全管理员;返回激活码后半部分)", tag: "admin",
                    ok: "201", params: [proposal])
            ],
            "/api/v1/admin/account-proposals/{proposalId}/reject": [
                "post": D.op(
                    "驳回账号申请(安全管理员)", tag: "admin",
                    result: D.ref("AdminAccountProposal"), params: [proposal])
            ],
            "/api/v1/admin/users/{userId}/reset-totp": [
                "post": D.op(
                    "重置动态口令(安全管理员;原密钥作废,返回激活码,本人凭激活码和当前密码重新绑定)", tag: "admin",
                    params: [D.path("userId", "用户 id")])
            ],
        ]
    }

    static func schemas() -> [String: Any] {
        [
            "CreateUser": UserPersonalData.schemaLimits(
                SchemaNotation.object(
                    "username:string organisationId:uuid roles:[string] ?displayName:string ?phone:string ?idNumber:string")),
            "ActivationCode": SchemaNotation.object("code:string purpose:string expiresAt:int activateAt:string note:string"),
            "AdminAccountProposal": SchemaNotation.object(
                "id:uuid username:string displayName:string organisationId:uuid roles:[string] status:string proposedBy:uuid proposedAt:int ?decidedBy:uuid ?decidedAt:int"
            ),
            "AdminAccountProposed": SchemaNotation.object("proposal:#AdminAccountProposal activationFirstHalf:string message:string"),
            "ActivateRequest": SchemaNotation.object("code:string ?newPassword:string ?currentPassword:string"),
            "Activated": [
                "type": "object", "required": ["username", "message"],
                "properties": [
                    "username": ["type": "string"], "message": ["type": "string"],
                    "totp": SchemaNotation.object("secret:string uri:string"),
                ],
            ],
            "ChangePassword": SchemaNotation.object("currentPassword:string newPassword:string"),
        ]
    }
}
