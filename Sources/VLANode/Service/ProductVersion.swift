/// The product version: `vla-node --version` and the node service's `info`.
public enum ProductVersion {
    /// Semantic version of the node.
    public static let string = "0.1.0"
}
