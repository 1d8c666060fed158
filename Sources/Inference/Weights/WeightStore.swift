import Foundation

/// The weights of a model directory: `model.safetensors`, or the shards listed in
/// `model.safetensors.index.json` (Hugging Face convention, `{"weight_map": {name: file}}`).
public final class WeightStore: WeightSource {
    /// Name of the single-file checkpoint.
    public static let singleFileName = "model.safetensors"
    /// Name of the shard index.
    public static let indexFileName = "model.safetensors.index.json"

    private let fileForKey: [String: SafeTensorsFile]
    /// Path of the checkpoint (single file or shard index), for messages.
    public let location: String

    /// Opens the checkpoint in `directory`, preferring the shard index when it exists.
    public init(directory: URL) throws {
        let index = directory.appendingPathComponent(Self.indexFileName)
        if FileManager.default.fileExists(atPath: index.path) {
            let weightMap = try Self.readWeightMap(index)
            var opened: [String: SafeTensorsFile] = [:]
            var fileForKey: [String: SafeTensorsFile] = [:]
            for (key, fileName) in weightMap.sorted(by: { $0.key < $1.key }) {
                guard !fileName.contains("/") else {
                    throw WeightError.invalidIndex(file: index.path, detail: "shard name '\(fileName)' must be a plain file name")
                }
                let file = try opened[fileName] ?? SafeTensorsFile(path: directory.appendingPathComponent(fileName).path)
                opened[fileName] = file
                guard file.entry(key) != nil else {
                    throw WeightError.invalidIndex(file: index.path, detail: "'\(key)' is mapped to \(fileName), which does not contain it")
                }
                fileForKey[key] = file
            }
            self.fileForKey = fileForKey
            location = "\(index.path) (\(opened.count) shards)"
        } else {
            let file = try SafeTensorsFile(path: directory.appendingPathComponent(Self.singleFileName).path)
            fileForKey = Dictionary(uniqueKeysWithValues: file.keys.map { ($0, file) })
            location = file.path
        }
    }

    /// Names of every tensor in the checkpoint.
    public var keys: [String] { Array(fileForKey.keys) }

    /// The weight type tensor `name` is stored in; nil when it is absent or not F32, F16 or BF16.
    public func storedDType(of name: String) -> WeightDType? {
        fileForKey[name]?.entry(name).flatMap { WeightDType($0.dtype) }
    }

    /// Values in all tensors of the checkpoint (the header-validated shapes, so no overflow).
    public var elementCount: Int {
        fileForKey.reduce(0) { total, item in total + (item.value.entry(item.key)?.shape.reduce(1, *) ?? 0) }
    }

    public func read(_ name: String, shape: [Int], into destination: UnsafeMutablePointer<Float>) throws {
        guard let file = fileForKey[name] else { throw WeightError.missingTensor(key: name, searched: location) }
        try file.read(name, expectedShape: shape, into: destination)
    }

    public func matrix(_ name: String, shape: [Int]) throws -> StoredMatrix {
        guard let file = fileForKey[name] else { throw WeightError.missingTensor(key: name, searched: location) }
        return try file.matrix(name, expectedShape: shape)
    }

    private static func readWeightMap(_ url: URL) throws -> [String: String] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw WeightError.cannotOpen(file: url.path, reason: error.localizedDescription)
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let map = root["weight_map"] as? [String: String] else {
            throw WeightError.invalidIndex(file: url.path, detail: "expected an object with a \"weight_map\" of name → file")
        }
        return map
    }
}
