import ZhengxinCore

/// Request bodies of the operations actions (R-OM-1, R-OM-2; 第二十三条 to 第二十五条), in PayloadSchemas' notation.
enum OperationsSchemas {
    static let actions: [String: String] = [
        "start-operations": "#OperationsArrangement",
        "change-operations-arrangement": "#OperationsArrangement",
        "apply-for-operations-fee": "year:int amountFen:fen basis:string",
        "approve-operations-fee": "applicationNumber:int approvedAmountFen:fen budgetReference:string reviewedOn:date",
        "reject-operations-fee": "applicationNumber:int reason:string",
    ]
    static let components: [String: String] = [
        // 外包运维 (第二十四条): procurementNumber (a services procurement on file) or procurement (recorded here), not both.
        "OperationsArrangement":
            "organisation:string rules:string mode:enum:OperationsMode ?entrustedInstitution:string ?procurementNumber:int ?procurement:#OperationsProcurementInput effectiveFrom:date",
        "OperationsProcurementInput": "method:enum:ProcurementMethod supplier:string amountFen:fen awardedOn:date contractNumber:string",
    ]
    static let enums: [String: [String]] = [
        "OperationsMode": OperationsMode.allCases.map(\.rawValue)
    ]
}
