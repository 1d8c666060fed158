import Foundation

/// The operations of the node service. A request is one ZeroMQ frame holding a JSON object that names
/// its operation, e.g. `{"op": "info"}`; other keys are ignored.
public enum ServiceOperation: String, CaseIterable, Sendable {
    /// The node and model metadata: version, chunk shape, rate, action columns, statistics, settings.
    case info
    /// Health: uptime, inference count, time since the last inference, the last error.
    case ping
    /// Ends the episode: clears the chunk history and the temporal caches (`EpisodeReset`).
    case reset
    /// The latency percentiles and counters of the periodic log line.
    case stats

    /// Parses one request message.
    /// - Throws: `ServiceRequestError` saying what a client must send instead.
    public static func parse(_ frames: [[UInt8]]) throws -> ServiceOperation {
        guard frames.count == 1 else { throw ServiceRequestError.frameCount(frames.count) }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(frames[0]), options: [.fragmentsAllowed])
        } catch {
            throw ServiceRequestError.notJSON
        }
        guard let request = object as? [String: Any] else { throw ServiceRequestError.notAnObject }
        guard let op = request["op"] else { throw ServiceRequestError.missingOperation }
        guard let name = op as? String else { throw ServiceRequestError.operationNotAString }
        guard let operation = ServiceOperation(rawValue: name) else { throw ServiceRequestError.unknownOperation(name) }
        return operation
    }
}

/// Why a service request was refused; the error reply carries the description.
public enum ServiceRequestError: Error, Equatable, CustomStringConvertible {
    /// The message had other than one frame.
    case frameCount(Int)
    /// The frame is not valid UTF-8 JSON.
    case notJSON
    /// The JSON is not an object.
    case notAnObject
    /// The object has no `op` key.
    case missingOperation
    /// `op` is not a string.
    case operationNotAString
    /// `op` names no operation.
    case unknownOperation(String)

    private static let expected = "send one frame with a JSON object such as {\"op\": \"info\"}; operations: "
        + ServiceOperation.allCases.map(\.rawValue).joined(separator: ", ")

    public var description: String {
        switch self {
        case .frameCount(let count): return "the request has \(count) frames; \(Self.expected)"
        case .notJSON: return "the request is not valid UTF-8 JSON; \(Self.expected)"
        case .notAnObject: return "the request is JSON but not an object; \(Self.expected)"
        case .missingOperation: return "the request has no \"op\" key; \(Self.expected)"
        case .operationNotAString: return "\"op\" must be a string; \(Self.expected)"
        case .unknownOperation(let name): return "unknown operation \(String(name.prefix(100)).debugDescription); \(Self.expected)"
        }
    }
}
