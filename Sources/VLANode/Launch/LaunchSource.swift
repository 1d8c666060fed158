/// Names where a value came from, for error messages: the launch file, or the command line when an
/// override set the key (or one of its parents).
struct LaunchSource {
    /// The launch file's name as given by the user.
    let fileName: String
    /// Key paths set by command-line overrides.
    let overriddenKeys: [String]

    /// The source to blame for a problem at `key`.
    func name(for key: String) -> String {
        let overridden = overriddenKeys.contains { key == $0 || key.hasPrefix($0 + ".") || $0.hasPrefix(key + ".") }
        return overridden ? "command line" : fileName
    }
}
