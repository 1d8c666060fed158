/// The Python dict literal of an `.npy` header, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`, parsed strictly: exactly the
/// keys `descr`, `fortran_order` and `shape`, in any order, followed only by whitespace.
struct NPYHeader: Equatable {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    init(descr: String, fortranOrder: Bool, shape: [Int]) {
        self.descr = descr
        self.fortranOrder = fortranOrder
        self.shape = shape
    }

    init(parsing text: String) throws {
        var parser = Parser(characters: Array(text.unicodeScalars))
        var fields: [String: Value] = [:]
        try parser.expect("{")
        while !parser.consume("}") {
            let key = try parser.string()
            try parser.expect(":")
            guard fields.updateValue(try parser.value(), forKey: key) == nil else {
                throw NPYError.malformedHeader("duplicate key '\(key)'")
            }
            if !parser.consume(",") {
                try parser.expect("}")
                break
            }
        }
        guard parser.atEndIgnoringWhitespace() else { throw NPYError.malformedHeader("unexpected text after the dict") }
        guard Set(fields.keys) == ["descr", "fortran_order", "shape"] else {
            throw NPYError.malformedHeader("keys are \(fields.keys.sorted()), expected descr, fortran_order, shape")
        }
        guard case let .string(descr)? = fields["descr"] else { throw NPYError.malformedHeader("descr is not a string") }
        guard case let .boolean(fortranOrder)? = fields["fortran_order"] else {
            throw NPYError.malformedHeader("fortran_order is not True or False")
        }
        guard case let .tuple(shape)? = fields["shape"] else { throw NPYError.malformedHeader("shape is not a tuple") }
        self.init(descr: descr, fortranOrder: fortranOrder, shape: shape)
    }

    /// The header as numpy writes it.
    var text: String {
        let dimensions = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        return "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(dimensions), }"
    }

    private enum Value {
        case string(String)
        case boolean(Bool)
        case tuple([Int])
    }

    /// Recursive-descent reader of the small Python literal subset used by `.npy` headers.
    private struct Parser {
        let characters: [Unicode.Scalar]
        var offset = 0

        /// Dimensions longer than this many digits are rejected rather than overflowing.
        private static let maximumDigits = 18

        mutating func value() throws -> Value {
            skipWhitespace()
            guard offset < characters.count else { throw NPYError.malformedHeader("header ends early") }
            switch characters[offset] {
            case "'", "\"": return .string(try string())
            case "(": return .tuple(try tuple())
            default:
                if consumeWord("True") { return .boolean(true) }
                if consumeWord("False") { return .boolean(false) }
                throw NPYError.malformedHeader("unexpected value at offset \(offset)")
            }
        }

        mutating func string() throws -> String {
            skipWhitespace()
            guard offset < characters.count, characters[offset] == "'" || characters[offset] == "\"" else {
                throw NPYError.malformedHeader("expected a quoted string at offset \(offset)")
            }
            let quote = characters[offset]
            offset += 1
            var result = String.UnicodeScalarView()
            while offset < characters.count, characters[offset] != quote {
                guard characters[offset] != "\\" else { throw NPYError.malformedHeader("escape sequences are not supported") }
                result.append(characters[offset])
                offset += 1
            }
            guard offset < characters.count else { throw NPYError.malformedHeader("unterminated string") }
            offset += 1
            return String(result)
        }

        private mutating func tuple() throws -> [Int] {
            try expect("(")
            var dimensions: [Int] = []
            while !consume(")") {
                dimensions.append(try integer())
                if !consume(",") {
                    try expect(")")
                    break
                }
            }
            return dimensions
        }

        private mutating func integer() throws -> Int {
            skipWhitespace()
            let start = offset
            while offset < characters.count, ("0"..."9").contains(characters[offset]) { offset += 1 }
            let digits = offset - start
            guard digits > 0, digits <= Self.maximumDigits,
                  let value = Int(String(String.UnicodeScalarView(characters[start..<offset]))) else {
                throw NPYError.malformedHeader("expected a non-negative dimension at offset \(start)")
            }
            return value
        }

        mutating func expect(_ symbol: Unicode.Scalar) throws {
            guard consume(symbol) else { throw NPYError.malformedHeader("expected '\(symbol)' at offset \(offset)") }
        }

        mutating func consume(_ symbol: Unicode.Scalar) -> Bool {
            skipWhitespace()
            guard offset < characters.count, characters[offset] == symbol else { return false }
            offset += 1
            return true
        }

        private mutating func consumeWord(_ word: String) -> Bool {
            let scalars = Array(word.unicodeScalars)
            guard characters[offset...].starts(with: scalars) else { return false }
            offset += scalars.count
            return true
        }

        mutating func atEndIgnoringWhitespace() -> Bool {
            skipWhitespace()
            return offset == characters.count
        }

        private mutating func skipWhitespace() {
            while offset < characters.count, characters[offset].properties.isWhitespace { offset += 1 }
        }
    }
}
