import Foundation

/// Decodes a JSON file into a `Decodable`, turning decoding failures into `ConfigError`s that
/// name the file and the dotted key path.
enum JSONFileDecoding {
    static func decode<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ConfigError.cannotRead(file: url.path, reason: error.localizedDescription)
        }
        return try decode(type, from: data, file: url.path)
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data, file: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ConfigError.missingKey(file: file, key: path(context.codingPath + [key]))
        } catch let DecodingError.typeMismatch(_, context) {
            throw ConfigError.malformed(file: file, key: path(context.codingPath), detail: context.debugDescription)
        } catch let DecodingError.valueNotFound(_, context) {
            throw ConfigError.malformed(file: file, key: path(context.codingPath), detail: context.debugDescription)
        } catch let DecodingError.dataCorrupted(context) {
            throw ConfigError.malformed(file: file, key: path(context.codingPath), detail: context.debugDescription)
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError.malformed(file: file, key: "", detail: "\(error)")
        }
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
