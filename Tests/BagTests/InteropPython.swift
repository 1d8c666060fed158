import Foundation
import Messages
import TestSupport

/// The interop scripts (`InteropScript`) plus conversions between our messages and their JSON.
enum InteropPython {
    typealias Failure = InteropScript.Failure

    /// Runs `tools/interop/<script>` with `arguments` and returns its standard output.
    static func run(_ script: String, _ arguments: [String]) throws -> Data {
        try InteropScript.run(script, arguments)
    }

    /// A unique path in the temporary directory.
    static func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("vla-interop-\(UUID().uuidString)-\(name)")
    }

    /// A message as JSON keyed by .msg field names (snake_case), as the Python scripts expect.
    static func json<M: ROSMessage>(_ message: M) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(message), as: UTF8.self)
    }

    /// A message of `type` from JSON keyed by .msg field names.
    static func message<M: ROSMessage>(_ type: M.Type, json: String) throws -> M {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(M.self, from: Data(json.utf8))
    }

    /// A JSON string literal.
    static func quoted(_ string: String) throws -> String {
        String(decoding: try JSONEncoder().encode(string), as: UTF8.self)
    }

    static func bytes(hex: String) throws -> [UInt8] {
        guard hex.count % 2 == 0 else { throw Failure(description: "odd-length hex") }
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { throw Failure(description: "bad hex \(hex[index..<next])") }
            result.append(byte)
            index = next
        }
        return result
    }
}
