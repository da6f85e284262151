import CQREncode

/// The QR code of a document's verification block, by libqrencode: error correction M, 8-bit mode,
/// so a photocopied page still scans. `dark[row * width + column]`.
struct DecisionQRCode {
    var width: Int
    var dark: [Bool]

    init?(_ text: String) {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        guard width > 0, let data = code.pointee.data else { return nil }
        self.width = width
        // Bit 0 of each byte is the module's colour; the other bits describe its role.
        self.dark = (0..<(width * width)).map { data[$0] & 1 == 1 }
    }
}
