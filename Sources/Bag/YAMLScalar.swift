/// YAML scalars as yaml-cpp's emitter writes them in rosbag2 metadata: plain when that reads back
/// as the same string, double-quoted otherwise (`""` for the empty string).
enum YAMLScalar {
    /// Words YAML 1.1/1.2 readers take as booleans or null.
    private static let reserved: Set<String> = [
        "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
    ]
    private static let plainCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/.-+")

    /// `text` as a YAML scalar.
    static func string(_ text: String) -> String {
        let looksNumeric = Double(text) != nil || text.first.map { "0123456789+-.".contains($0) } == true
        if !text.isEmpty, text.allSatisfy(plainCharacters.contains), !looksNumeric,
           !reserved.contains(text.lowercased()) {
            return text
        }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case _ where scalar.value < 0x20: quoted += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
