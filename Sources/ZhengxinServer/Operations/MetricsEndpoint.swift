import Crypto
import NIOCore
import Vapor

/// Who may read `/metrics`: a process on this machine, or a scraper with the configured token.
///
/// Local means the connection's peer is a loopback address — never `X-Forwarded-For`, which anyone
/// can write. A loopback peer that is a trusted proxy (`ZHENGXIN_TRUSTED_PROXIES`), or that forwards
/// for someone (`Forwarded`/`X-Forwarded-For`), is not local: behind the documented nginx on
/// 127.0.0.1 every outside request arrives from loopback, and the proxy must not open the metrics
/// to the world. Such scrapers present `Authorization: Bearer <ZHENGXIN_METRICS_TOKEN>`.
enum MetricsAccess {
    /// A shorter configured token is refused (configure logs why): it could be guessed.
    static let minimumTokenBytes = 16

    static func allows(
        peer: SocketAddress?, forwarded: Bool, trustedProxies: Set<String>, bearer: String?, token: String?
    ) -> Bool {
        if let bearer, let token, tokenMatches(bearer, token) { return true }
        guard !forwarded, let peer, isLoopback(peer) else { return false }
        return !trustedProxies.contains(peer.ipAddress ?? "")
    }

    /// 127.0.0.0/8, ::1, or an IPv4 loopback address mapped into IPv6; a Unix socket is not (a proxy may sit on it).
    static func isLoopback(_ peer: SocketAddress) -> Bool {
        switch peer {
        case .v4(let v4):
            return UInt32(bigEndian: v4.address.sin_addr.s_addr) >> 24 == 127
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            let loopback = bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1
            let mapped = bytes.prefix(10).allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127
            return loopback || mapped
        default:
            return false
        }
    }

    /// Compares the SHA-256 of both in time that does not depend on where they differ, nor on their lengths.
    static func tokenMatches(_ presented: String, _ configured: String) -> Bool {
        guard configured.utf8.count >= minimumTokenBytes else { return false }
        let a = SHA256.hash(data: Array(presented.utf8))
        let b = SHA256.hash(data: Array(configured.utf8))
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func allows(_ req: Request) -> Bool {
        allows(
            peer: req.remoteAddress, forwarded: req.headers.contains(name: .forwarded) || req.headers.contains(name: .xForwardedFor),
            trustedProxies: req.zhengxin.config.authentication.trustedProxies, bearer: req.headers.bearerAuthorization?.token,
            token: req.zhengxin.config.metricsToken)
    }
}

/// GET /metrics: the Prometheus text exposition (OperationsMetrics). To anyone else it answers
/// exactly as a path that does not exist, so its existence is not advertised.
enum MetricsEndpoint {
    static func register(_ app: Application) {
        if let token = app.zhengxin.config.metricsToken, token.utf8.count < MetricsAccess.minimumTokenBytes {
            app.logger.error("ZHENGXIN_METRICS_TOKEN 少于\(MetricsAccess.minimumTokenBytes)字节,不予使用: /metrics 仅限本机访问")
        }
        app.get("metrics") { req async throws -> Response in
            guard MetricsAccess.allows(req) else { throw Abort(.notFound) }  // as the router answers a path it does not know
            let counts = try await MailWorker.counts(on: req.db)
            req.application.operationsMetrics.mailOutbox(pending: counts.pending, failed: counts.failed)
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")  // Prometheus text format 0.0.4
            headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return Response(
                status: .ok, headers: headers, body: .init(buffer: ByteBuffer(bytes: req.application.operationsMetrics.exposition())))
        }
    }
}
