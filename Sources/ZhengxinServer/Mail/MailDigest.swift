import Foundation

/// 每日汇总: the rows a recipient chose to receive as a digest go out together, one message per
/// recipient per pass, in the order they arose; every other row goes alone.
enum MailDigest {
    /// The claimed rows as messages to send: each non-digest row alone, each recipient's digest rows together.
    static func grouped(_ rows: [MailOutboxModel]) -> [[MailOutboxModel]] {
        var groups: [[MailOutboxModel]] = []
        var digestGroup: [UUID: Int] = [:]
        for row in rows {
            guard row.digest else {
                groups.append([row])
                continue
            }
            if let i = digestGroup[row.userId] {
                groups[i].append(row)
            } else {
                digestGroup[row.userId] = groups.count
                groups.append([row])
            }
        }
        return groups.map { $0.sorted { ($0.createdAt, $0.id?.uuidString ?? "") < ($1.createdAt, $1.id?.uuidString ?? "") } }
    }

    /// The subject and text of a group's message: the row's own, or the digest of all of them.
    static func content(_ group: [MailOutboxModel]) -> (subject: String, body: String) {
        guard let first = group.first, first.digest else { return (group.first?.subject ?? "", group.first?.body ?? "") }
        let items = group.enumerated().map { i, row in
            "\(i + 1). \(row.subject.replacingOccurrences(of: "【政信】", with: ""))\n\(row.body.replacingOccurrences(of: "\n\n(本邮件由系统自动发送)", with: ""))"
        }
        let body = "您有\(group.count)项提醒:\n\n" + items.joined(separator: "\n\n----------\n\n") + "\n\n(本邮件由系统自动发送,每日汇总一次)"
        return ("【政信】每日提醒汇总(\(group.count)项)", body)
    }
}
