import ArgumentParser
import Bag
import Messages

/// `--topic TOPIC[=TYPE] …`, shared by `echo` and `record`: at least one topic, each with a type that
/// is given or inferred from the node's default topics.
struct TopicOptions: ParsableArguments {
    @Option(name: .customLong("topic"), parsing: .upToNextOption, help: "Topics as TOPIC or TOPIC=TYPE.")
    var topics: [String]

    func validate() throws {
        guard !topics.isEmpty else { throw ValidationError("give at least one --topic") }
        _ = try types()
    }

    /// The message type of each topic.
    /// - Throws: `ValidationError` naming a topic whose type is unknown or not given.
    func types() throws -> [String: any ROSMessage.Type] {
        var types: [String: any ROSMessage.Type] = [:]
        for argument in topics {
            do {
                let (topic, type) = try TopicTypeSpec.parse(argument)
                types[topic] = type
            } catch {
                throw ValidationError("\(error)")
            }
        }
        return types
    }
}
