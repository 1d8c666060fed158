import Yams

/// The `node.topics` section: five topics, each with a topic name (defaulted) and exactly one of
/// `bind:` / `connect:`. `reset` is optional: without it the reset topic `/vla/reset` travels on the
/// instruction's endpoint. Inputs and outputs may not share an endpoint (a SUB and a PUB socket cannot
/// both bind one address); topics of one direction naming the same endpoint share a socket.
enum TopicSchema {
    static let topicKeys = ["camera", "instruction", "reset", "action_chunk", "latency"]
    static let defaultResetTopic = "/vla/reset"

    private enum Direction: String {
        case input, output
    }

    /// The first topic to use each address, to refuse an address shared by an input and an output.
    private typealias AddressUsers = [String: (keyPath: String, direction: Direction)]

    static func topics(from section: MappingReader) throws -> TopicSettings {
        var users = AddressUsers()
        guard let cameraSection = try section.mapping("camera", allowedKeys: ["topic", "type", "bind", "connect"]) else {
            throw section.missing("camera")
        }
        let cameraType = try cameraSection.choice("type", options: CameraMessageType.allCases.map(\.rawValue))
            .flatMap(CameraMessageType.init(rawValue:)) ?? .image
        let camera = try binding(cameraSection, defaultTopic: "/camera/image_raw", direction: .input, users: &users)
        let instruction = try binding(section, "instruction", defaultTopic: "/instruction", direction: .input, users: &users)
        let reset = try section.mapping("reset", allowedKeys: ["topic", "bind", "connect"]).map {
            try binding($0, defaultTopic: defaultResetTopic, direction: .input, users: &users)
        } ?? TopicBinding(topic: defaultResetTopic, endpoint: instruction.endpoint)
        let settings = TopicSettings(
            camera: camera, cameraType: cameraType, instruction: instruction, reset: reset,
            actionChunk: try binding(section, "action_chunk", defaultTopic: "/vla/action_chunk", direction: .output, users: &users),
            latency: try binding(section, "latency", defaultTopic: "/vla/latency", direction: .output, users: &users))
        let names = settings.bindings.map(\.topic)
        if Set(names).count != names.count {
            throw section.conflict("topic", "each topic needs its own name, found \(names.joined(separator: ", "))")
        }
        return settings
    }

    private static func binding(_ section: MappingReader, _ key: String, defaultTopic: String, direction: Direction,
                                users: inout AddressUsers) throws -> TopicBinding {
        guard let topic = try section.mapping(key, allowedKeys: ["topic", "bind", "connect"]) else { throw section.missing(key) }
        return try binding(topic, defaultTopic: defaultTopic, direction: direction, users: &users)
    }

    private static func binding(_ topic: MappingReader, defaultTopic: String, direction: Direction,
                                users: inout AddressUsers) throws -> TopicBinding {
        let name = try topic.parse("topic", expected: "a topic name starting with / and without spaces", topicName)
        let endpoint = try self.endpoint(from: topic)
        let modeKey = endpoint.mode.rawValue
        if let user = users[endpoint.address], user.direction != direction {
            throw topic.conflict(modeKey, "\(endpoint.address) is already used by \(user.keyPath) (an \(user.direction.rawValue)); "
                                 + "inputs and outputs need different endpoints")
        }
        if users[endpoint.address] == nil { users[endpoint.address] = (topic.keyPath(modeKey), direction) }
        return TopicBinding(topic: name ?? defaultTopic, endpoint: endpoint)
    }

    /// Exactly one of `bind:` / `connect:` with a ZeroMQ address.
    static func endpoint(from topic: MappingReader) throws -> Endpoint {
        let expected = "a ZeroMQ endpoint such as tcp://127.0.0.1:5555, ipc:///tmp/vla.sock or inproc://name"
        let bind = try topic.parse("bind", expected: expected, zmqAddress)
        let connect = try topic.parse("connect", expected: expected, zmqAddress)
        switch (bind, connect) {
        case (let address?, nil): return Endpoint(mode: .bind, address: address)
        case (nil, let address?): return Endpoint(mode: .connect, address: address)
        case (.some, .some): throw topic.conflict("connect", "give either bind or connect, not both")
        case (nil, nil): throw topic.missing("bind")
        }
    }

    private static func topicName(_ node: Yams.Node) -> String? {
        guard let name = MappingReader.nonEmptyString(node), name.hasPrefix("/"), name.count > 1,
              !name.contains(where: \.isWhitespace) else { return nil }
        return name
    }

    /// Accepts `tcp://host:port` (port 1–65535 or `*`), `ipc://path` and `inproc://name`.
    private static func zmqAddress(_ node: Yams.Node) -> String? {
        guard let address = MappingReader.nonEmptyString(node), !address.contains(where: \.isWhitespace) else { return nil }
        for scheme in ["ipc://", "inproc://"] where address.hasPrefix(scheme) {
            return address.count > scheme.count ? address : nil
        }
        guard address.hasPrefix("tcp://") else { return nil }
        let hostAndPort = address.dropFirst("tcp://".count)
        guard let colon = hostAndPort.lastIndex(of: ":") else { return nil }
        let host = hostAndPort[..<colon]
        let port = hostAndPort[hostAndPort.index(after: colon)...]
        guard !host.isEmpty, port == "*" || (Int(port).map { (1...65_535).contains($0) } ?? false) else { return nil }
        return address
    }
}
