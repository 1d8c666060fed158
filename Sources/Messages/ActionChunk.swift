/// `vla_msgs/msg/ActionChunk`: the policy's future actions, row-major, with the row that applies now.
public struct ActionChunk: ROSMessage {
    /// `vla_msgs/msg/ActionChunk`
    public static let typeName = "vla_msgs/msg/ActionChunk"
    /// Text of `msgs/vla_msgs/msg/ActionChunk.msg`.
    public static let definition = #"""
# A chunk of future robot actions computed by the VLA policy from one camera frame.
# Row i of `actions` applies at header.stamp + (i - current_index) * control_period.

# header.stamp: the control tick this message was published for (the time row
# `current_index` applies to); header.frame_id: the frame the actions are expressed in.
std_msgs/Header header

# Stamp (header.stamp) of the camera frame the chunk was computed from.
builtin_interfaces/Time observation_stamp

# Counts every completed inference; chunks sharing it come from the same inference.
uint64 inference_sequence

# Counts every published ActionChunk message.
uint64 publish_sequence

# Seconds between consecutive actions (rows).
float64 control_period

# Number of actions (rows) in `actions`.
uint32 horizon

# Number of values per action (columns), e.g. 7: x y z roll pitch yaw gripper.
uint32 action_dimension

# Row-major actions: horizon * action_dimension values.
float32[] actions

# Row of `actions` that applies "now" (at header.stamp); earlier rows are already past.
uint32 current_index

# Optional names of the columns, e.g. ["x", "y", "z", "roll", "pitch", "yaw", "gripper"].
string[] dimension_names

# Chunks combined into these actions: 1 for the newest chunk alone (chunking, or the first chunk
# after a reset), more when the ensemble or the aggregation blended earlier chunks in.
uint32 contributing_chunks

"""#
    /// `std_msgs/Header`, `builtin_interfaces/Time`.
    public static let dependencies: [any ROSMessage.Type] = [Header.self, Time.self]

    /// Stamp = the control tick row `currentIndex` applies to; frame = the frame of the actions.
    public var header: Header
    /// Stamp of the camera frame the chunk was computed from.
    public var observationStamp: Time
    /// Counts completed inferences.
    public var inferenceSequence: UInt64
    /// Counts published ActionChunk messages.
    public var publishSequence: UInt64
    /// Seconds between consecutive rows.
    public var controlPeriod: Double
    /// Number of rows.
    public var horizon: UInt32
    /// Values per row.
    public var actionDimension: UInt32
    /// Row-major `horizon * actionDimension` values.
    public var actions: [Float]
    /// The row that applies at `header.stamp`.
    public var currentIndex: UInt32
    /// Column names, empty or `actionDimension` of them.
    public var dimensionNames: [String]
    /// Chunks blended into these actions (1: the newest chunk alone).
    public var contributingChunks: UInt32

    /// A chunk from its fields.
    public init(header: Header = Header(), observationStamp: Time = Time(), inferenceSequence: UInt64 = 0,
                publishSequence: UInt64 = 0, controlPeriod: Double = 0, horizon: UInt32 = 0,
                actionDimension: UInt32 = 0, actions: [Float] = [], currentIndex: UInt32 = 0,
                dimensionNames: [String] = [], contributingChunks: UInt32 = 1) {
        self.header = header
        self.observationStamp = observationStamp
        self.inferenceSequence = inferenceSequence
        self.publishSequence = publishSequence
        self.controlPeriod = controlPeriod
        self.horizon = horizon
        self.actionDimension = actionDimension
        self.actions = actions
        self.currentIndex = currentIndex
        self.dimensionNames = dimensionNames
        self.contributingChunks = contributingChunks
    }

    /// The values of row `row`, or nil when the row is outside the chunk.
    public func action(at row: Int) -> ArraySlice<Float>? {
        let width = Int(actionDimension)
        guard row >= 0, row < Int(horizon) else { return nil }
        let (end, overflow) = (row + 1).multipliedReportingOverflow(by: width)
        guard !overflow, end <= actions.count else { return nil }
        return actions[(end - width)..<end]
    }

    /// Throws `CDRError.invalidValue` unless the sizes agree: `actions.count == horizon * actionDimension`,
    /// `currentIndex < horizon` (or both 0), and `dimensionNames` is empty or has `actionDimension` names.
    public func validate() throws {
        func fail(_ reason: String) -> CDRError { .invalidValue(type: Self.typeName, reason: reason) }
        guard UInt64(actions.count) == UInt64(horizon) * UInt64(actionDimension) else {
            throw fail("actions has \(actions.count) values but horizon \(horizon) × action_dimension \(actionDimension) requires \(UInt64(horizon) * UInt64(actionDimension))")
        }
        guard currentIndex < horizon || (currentIndex == 0 && horizon == 0) else {
            throw fail("current_index \(currentIndex) is not below horizon \(horizon)")
        }
        guard dimensionNames.isEmpty || dimensionNames.count == Int(actionDimension) else {
            throw fail("dimension_names has \(dimensionNames.count) names but action_dimension is \(actionDimension)")
        }
    }

    /// Every field zero or empty (what decoding starts from).
    public init() {
        self.init(header: Header())
    }

    /// The fields in `.msg` order.
    public static let cdrFields: [CDRField<Self>] = [
        .field(\.header),
        .field(\.observationStamp),
        .field(\.inferenceSequence),
        .field(\.publishSequence),
        .field(\.controlPeriod),
        .field(\.horizon),
        .field(\.actionDimension),
        .field(\.actions),
        .field(\.currentIndex),
        .field(\.dimensionNames),
        .field(\.contributingChunks),
    ]
}
