// swift-tools-version:6.0
import Foundation
import PackageDescription

// ZX_CORE_ONLY=1 builds just the pure rules and their tests (seconds, no Vapor): handy while
// working on ZhengxinCore. Use a separate scratch path: swift test --scratch-path .build-core
let coreOnly = ProcessInfo.processInfo.environment["ZX_CORE_ONLY"] != nil

let coreTargets: [Target] = [
    .target(name: "ZhengxinCore"),
    .testTarget(name: "ZhengxinCoreTests", dependencies: ["ZhengxinCore"]),
]

let serverTargets: [Target] = [
    // SM2/SM3/SM4 come from system OpenSSL 3 (swift-crypto's BoringSSL has none of them).
    .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    .target(name: "ZhengxinCrypto", dependencies: ["COpenSSL"]),
    // Document types are named from their content by libmagic (file(1)'s library), not by hand.
    .systemLibrary(name: "CLibMagic", pkgConfig: "libmagic", providers: [.apt(["libmagic-dev"])]),
    // Official documents as PDF (Cairo + Pango with the Noto CJK fonts) with a QR code (libqrencode),
    // and lists as .xlsx (libxlsxwriter): kept C libraries, not writers of our own.
    .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]),
    .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
    .systemLibrary(name: "CXLSXWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
    // Mail leaves through libcurl's SMTP (STARTTLS or implicit TLS, AUTH), a kept client.
    .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
    .testTarget(name: "ZhengxinCryptoTests", dependencies: ["ZhengxinCrypto"]),
    .target(
        name: "ZhengxinServer",
        dependencies: [
            "ZhengxinCore",
            "ZhengxinCrypto",
            "CLibMagic",
            "CPangoCairo",
            "CQREncode",
            "CXLSXWriter",
            "CCurl",
            .product(name: "Vapor", package: "vapor"),
            .product(name: "Fluent", package: "fluent"),
            .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
            .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            .product(name: "Leaf", package: "leaf"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]
    ),
    .executableTarget(
        name: "zhengxin",
        dependencies: [
            "ZhengxinServer", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        ]),
    // The benchmark's portfolio generator (`zhengxin-bench seed`), apart so the server does not carry
    // it; it reaches the server's models, audit chain and walker through their `package` access.
    .target(
        name: "ZhengxinBench",
        dependencies: [
            "ZhengxinCore",
            "ZhengxinCrypto",
            "ZhengxinServer",
            .product(name: "Vapor", package: "vapor"),
            .product(name: "Fluent", package: "fluent"),
        ]
    ),
    .executableTarget(name: "zhengxin-bench", dependencies: ["ZhengxinBench", "ZhengxinServer"]),
    .testTarget(
        name: "ZhengxinServerTests",
        dependencies: [
            "ZhengxinServer",
            "ZhengxinBench",
            .product(name: "VaporTesting", package: "vapor"),
            .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            // Builds the hand-made and hostile workbooks the reader is tested on.
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]
    ),
]

let package = Package(
    name: "zhengxin",
    platforms: [.macOS(.v13)],
    products: coreOnly ? [] : [.executable(name: "zhengxin", targets: ["zhengxin"])],
    dependencies: coreOnly
        ? []
        : [
            .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
            .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
            .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
            .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
            .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
            .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
            // NIO itself: the event loops run Swift concurrency's jobs (main.swift); the SQLite writer's own threads.
            .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
            // Reads the .xlsx workbooks units upload (a ZIP of XML parts; FoundationXML parses the parts).
            .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        ],
    targets: coreOnly ? coreTargets : coreTargets + serverTargets
)
