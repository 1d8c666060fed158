/// The names and meaning of the action columns the node publishes (`ActionChunk.dimension_names` and
/// the node service's `info`). CogACT predicts 7 values per action: the end effector's translation
/// and rotation deltas and the gripper; other widths are unnamed.
public enum ActionColumns {
    /// One column.
    public struct Column: Equatable, Sendable {
        /// Its name in `dimension_names`.
        public let name: String
        /// What it commands.
        public let meaning: String
    }

    /// CogACT's 7 columns, in order.
    public static let cogACT: [Column] = [
        Column(name: "x", meaning: "end-effector translation delta along x, in the units of the unnorm_key's dataset"),
        Column(name: "y", meaning: "end-effector translation delta along y"),
        Column(name: "z", meaning: "end-effector translation delta along z"),
        Column(name: "roll", meaning: "end-effector rotation delta about x (roll)"),
        Column(name: "pitch", meaning: "end-effector rotation delta about y (pitch)"),
        Column(name: "yaw", meaning: "end-effector rotation delta about z (yaw)"),
        Column(name: "gripper", meaning: "gripper command: the model's output thresholded at 0.5 to 0 or 1, then un-normalised if the dataset's mask includes it"),
    ]

    /// The columns for actions of `width` values: CogACT's for 7, none otherwise.
    public static func columns(width: Int) -> [Column] {
        width == cogACT.count ? cogACT : []
    }
}
