import Foundation
import Imaging

/// Images of a directory with `manifest.json` or `instructions.txt`.
struct SampleDirectoryFrames {
    let path: String
    let fallbackInstruction: String?
    let limit: Int

    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "ppm"]

    private struct Entry: Decodable {
        let image: String
        let instruction: String
    }

    func read() throws -> [CalibrationFrame] {
        let directory = URL(fileURLWithPath: path)
        let entries = try pairs(in: directory)
        guard !entries.isEmpty else { throw CalibrateError.noFrames(path) }
        return try evenlySpaced(count: entries.count, limit: limit).map { index in
            let (image, instruction) = entries[index]
            return CalibrationFrame(image: try ImageDecoder.decode(contentsOf: directory.appendingPathComponent(image)), instruction: instruction)
        }
    }

    private func pairs(in directory: URL) throws -> [(String, String)] {
        let manifest = directory.appendingPathComponent("manifest.json")
        if FileManager.default.fileExists(atPath: manifest.path) {
            do {
                return try JSONDecoder().decode([Entry].self, from: Data(contentsOf: manifest)).map { ($0.image, $0.instruction) }
            } catch {
                throw CalibrateError.badManifest(manifest.path, "\(error)")
            }
        }
        let images = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { Self.imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
        let list = directory.appendingPathComponent("instructions.txt")
        var lines: [String] = []
        if FileManager.default.fileExists(atPath: list.path) {
            lines = try String(contentsOf: list, encoding: .utf8).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        } else if let fallbackInstruction {
            lines = [fallbackInstruction]
        }
        switch lines.count {
        case 1: return images.map { ($0, lines[0]) }
        case images.count: return Array(zip(images, lines))
        default: throw CalibrateError.instructionCount(lines: lines.count, images: images.count, directory: directory.path)
        }
    }
}
