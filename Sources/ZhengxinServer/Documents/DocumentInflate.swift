import CNIOExtrasZlib
import Foundation

/// zlib inflation of the parts of an upload a reader inflates before acting on them (a PDF's
/// object streams, an Office package's relationship parts), bounded so that a small upload cannot
/// make the server inflate gigabytes. The zlib here is the one Vapor's HTTP compression already
/// links (swift-nio-extras builds the zlib sources under a prefix), so no second copy is carried.
enum DocumentInflate {
    enum Format {
        /// RFC 1950, with its header and Adler-32 (PDF /FlateDecode).
        case zlib
        /// RFC 1951 with no wrapper (ZIP method 8).
        case raw
    }

    enum Outcome: Equatable {
        case inflated([UInt8])
        /// More than the limit would come out.
        case tooLarge
        /// Not valid deflate data, or cut short.
        case corrupt
    }

    static func inflate(_ input: UnsafeBufferPointer<UInt8>, _ format: Format, limit: Int) -> Outcome {
        guard input.count < Int(UInt32.max) else { return .tooLarge }
        // z_stream keeps a pointer to itself: it must not move between calls.
        let stream = UnsafeMutablePointer<cnioextras_z_stream>.allocate(capacity: 1)
        stream.initialize(to: cnioextras_z_stream())
        defer {
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        guard CNIOExtrasZlib_inflateInit2(stream, format == .raw ? -15 : 15) == CNIOEXTRAS_Z_OK else { return .corrupt }
        defer { _ = cnioextras_z_inflateEnd(stream) }
        guard let base = input.baseAddress, !input.isEmpty else { return .corrupt }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base)
        stream.pointee.avail_in = UInt32(input.count)
        var out: [UInt8] = []
        let chunk = 64 * 1024
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let (rc, produced) = buffer.withUnsafeMutableBufferPointer { p -> (Int32, Int) in
                stream.pointee.next_out = p.baseAddress
                stream.pointee.avail_out = UInt32(chunk)
                let rc = cnioextras_z_inflate(stream, CNIOEXTRAS_Z_NO_FLUSH)
                return (rc, chunk - Int(stream.pointee.avail_out))
            }
            guard out.count + produced <= limit else { return .tooLarge }
            out.append(contentsOf: buffer[0..<produced])
            switch rc {
            case CNIOEXTRAS_Z_STREAM_END:
                return .inflated(out)
            case CNIOEXTRAS_Z_OK:
                // No output and no input left: the data stops before its end.
                if produced == 0 && stream.pointee.avail_in == 0 { return .corrupt }
            default:
                return .corrupt
            }
        }
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return 0 }
            return UInt32(truncatingIfNeeded: cnioextras_z_crc32(0, base, UInt32(p.count)))
        }
    }
}
