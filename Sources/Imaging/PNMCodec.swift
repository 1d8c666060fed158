/// Binary Netpbm images: PPM (`P6`, RGB) and PGM (`P5`, gray), 8-bit (maxval 255) only.
enum PNMCodec {
    static func decode(_ bytes: [UInt8], maximumPixelCount: Int) throws -> RGBImage {
        var reader = HeaderReader(bytes: bytes)
        let magic = try reader.token()
        let channels: Int
        switch magic {
        case "P6": channels = 3
        case "P5": channels = 1
        default: throw ImagingError.malformedPNM("unknown magic '\(magic)'")
        }
        let width = try reader.integer(named: "width")
        let height = try reader.integer(named: "height")
        let maxValue = try reader.integer(named: "maxval")
        guard maxValue == 255 else { throw ImagingError.unsupportedPNM("maxval \(maxValue); only 255 (8-bit) is supported") }
        try reader.skipSingleWhitespace()
        try ImageDecoder.checkSize(width: width, height: height, maximumPixelCount: maximumPixelCount)

        let sampleCount = width * height * channels
        let available = bytes.count - reader.offset
        guard available >= sampleCount else {
            throw ImagingError.malformedPNM("raster has \(available) bytes, expected \(sampleCount)")
        }
        let raster = bytes[reader.offset..<(reader.offset + sampleCount)]
        if channels == 3 { return RGBImage(validatedWidth: width, height: height, pixels: Array(raster)) }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for (index, gray) in raster.enumerated() {
            rgb[3 * index] = gray
            rgb[3 * index + 1] = gray
            rgb[3 * index + 2] = gray
        }
        return RGBImage(validatedWidth: width, height: height, pixels: rgb)
    }

    static func encode(_ image: RGBImage) -> [UInt8] {
        Array("P6\n\(image.width) \(image.height)\n255\n".utf8) + image.pixels
    }

    /// Reads whitespace-separated ASCII header tokens, skipping `#` comments.
    private struct HeaderReader {
        let bytes: [UInt8]
        var offset = 0

        /// Header fields are at most this many digits; longer numbers are rejected, not overflowed.
        private static let maximumDigits = 9

        mutating func token() throws -> String {
            skipWhitespaceAndComments()
            let start = offset
            while offset < bytes.count, !Self.isWhitespace(bytes[offset]) { offset += 1 }
            guard offset > start else { throw ImagingError.malformedPNM("header ends early") }
            return String(decoding: bytes[start..<offset], as: UTF8.self)
        }

        mutating func integer(named name: String) throws -> Int {
            let text = try token()
            guard text.count <= Self.maximumDigits, text.allSatisfy(\.isASCIIDigit), let value = Int(text) else {
                throw ImagingError.malformedPNM("\(name) '\(text.prefix(20))' is not a decimal number below 10^\(Self.maximumDigits)")
            }
            return value
        }

        mutating func skipSingleWhitespace() throws {
            guard offset < bytes.count, Self.isWhitespace(bytes[offset]) else {
                throw ImagingError.malformedPNM("missing whitespace before the raster")
            }
            offset += 1
        }

        private mutating func skipWhitespaceAndComments() {
            while offset < bytes.count {
                if Self.isWhitespace(bytes[offset]) {
                    offset += 1
                } else if bytes[offset] == UInt8(ascii: "#") {
                    while offset < bytes.count, bytes[offset] != UInt8(ascii: "\n"), bytes[offset] != UInt8(ascii: "\r") {
                        offset += 1
                    }
                } else {
                    return
                }
            }
        }

        private static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0B || byte == 0x0C || byte == 0x0D
        }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
