import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ZhengxinServer

#if canImport(Glibc)
    import Glibc
#endif

/// A connection left idle, or left halfway through its request, is closed by the server: over a
/// real socket, as a client that opens connections and never finishes them would hold them.
@Suite("Idle connections")
struct ConnectionIdleTests {
    @Test("the default closes a connection idle for 300 s; one idle past the timeout, or stalled mid-request, is closed")
    func idleConnectionsClose() async throws {
        #expect(AppConfig.fromEnvironment([:]).connectionIdleSeconds == 300)
        #expect(AppConfig.fromEnvironment(["ZHENGXIN_CONNECTION_IDLE_SECONDS": "15"]).connectionIdleSeconds == 15)
        for outside in ["0", "-5", "86401", "99999999999"] {
            #expect(AppConfig.fromEnvironment(["ZHENGXIN_CONNECTION_IDLE_SECONDS": outside]).connectionIdleSeconds == 300)
        }
        try await TestWorld.with(.sqlite) { world in
            #expect(world.app.http.server.configuration.idleTimeout == .seconds(300))
            // 5 s, not less: the whole suite runs beside this test, and a loaded server may take a
            // second or two to answer the talking connection's requests.
            world.app.http.server.configuration.idleTimeout = .seconds(5)
            try await world.app.server.start(address: .hostname("127.0.0.1", port: 0))
            do {
                try await Self.probe(port: world.app.http.server.shared.localAddress?.port)
            } catch {
                await world.app.server.shutdown()
                throw error
            }
            await world.app.server.shutdown()
        }
    }

    private static func probe(port: Int?) async throws {
        let port = try #require(port)
        for opening in ["", "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"] {
            let fd = try Self.connect(port: port)
            defer { close(fd) }
            if !opening.isEmpty { _ = opening.withCString { send(fd, $0, strlen($0), 0) } }
            // Closed by the server: recv answers 0 (end of stream) well before the 30 s wait runs out.
            #expect(Self.closedWithin(seconds: 30, fd), "opening \(opening.debugDescription)")
        }
        // A connection that keeps talking is not cut: three requests 2 s apart on one socket all answer.
        let fd = try Self.connect(port: port)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        for _ in 0..<3 {
            let request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            _ = request.withCString { send(fd, $0, strlen($0), 0) }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = recv(fd, &buffer, buffer.count, 0)
            #expect(n > 0 && String(decoding: buffer[..<max(n, 0)], as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            try await Task.sleep(for: .seconds(2))
        }
    }

    private static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw Abort(.internalServerError, reason: "connect failed")
        }
        return fd
    }

    /// Whether the peer ends the stream within `seconds` (a read timeout on the socket bounds the wait).
    private static func closedWithin(seconds: Int, _ fd: Int32) -> Bool {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
        }
    }
}
