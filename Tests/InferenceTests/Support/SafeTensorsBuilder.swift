import Foundation

/// Writes small safetensors files byte by byte so tests can craft valid and hostile inputs.
struct SafeTensorsBuilder {
    struct Entry {
        var name: String
        var dtype: String
        var shape: [Int]
        var bytes: [UInt8]
        /// Overrides the computed `data_offsets`.
        var offsets: (Int, Int)?
    }

    var entries: [Entry] = []

    mutating func addF32(_ name: String, shape: [Int], values: [Float]) {
        entries.append(Entry(name: name, dtype: "F32", shape: shape,
                             bytes: values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }))
    }

    mutating func addRaw(_ name: String, dtype: String, shape: [Int], bytes: [UInt8], offsets: (Int, Int)? = nil) {
        entries.append(Entry(name: name, dtype: dtype, shape: shape, bytes: bytes, offsets: offsets))
    }

    /// The file bytes; `headerLength` overrides the 8-byte length prefix. With `alignHeader` the
    /// JSON is padded with spaces so that the data section starts at a multiple of 8 (what the
    /// Hugging Face writer does), so tensors whose offsets are multiples of 4 are 4-byte aligned.
    func bytes(headerLength: UInt64? = nil, alignHeader: Bool = false) -> [UInt8] {
        var data: [UInt8] = [], header: [String] = []
        for entry in entries {
            let offsets = entry.offsets ?? (data.count, data.count + entry.bytes.count)
            header.append("\"\(entry.name)\":{\"dtype\":\"\(entry.dtype)\",\"shape\":\(entry.shape),\"data_offsets\":[\(offsets.0),\(offsets.1)]}")
            data += entry.bytes
        }
        var json = Array("{\"__metadata__\":{\"format\":\"pt\"},\(header.joined(separator: ","))}".utf8)
        if alignHeader { json += Array(repeating: UInt8(ascii: " "), count: (8 - json.count % 8) % 8) }
        let length = headerLength ?? UInt64(json.count)
        return withUnsafeBytes(of: length.littleEndian, Array.init) + json + data
    }

    /// Writes `bytes` to a fresh temporary file and returns its path.
    static func write(_ bytes: [UInt8], name: String = "model.safetensors", in directory: URL? = nil) throws -> URL {
        let folder = try directory ?? temporaryDirectory()
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("inference-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
