/// The product version printed by `vla-node --version`.
enum ProductVersion {
    static let string = "0.1.0"
}
