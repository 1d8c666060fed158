/// The rows one executed LLaMA layer actually computed, for counting the real work of a prefill.
public struct LLMLayerWork: Sendable, Equatable {
    /// Rows whose keys and values were computed (the rest of the sequence was reused).
    public let recomputedRows: Int
    /// Rows whose attention output and MLP were computed.
    public let queryRows: Int
    /// Rows of the attention sequence (keys).
    public let keyRows: Int
    /// MLP channels the layer computes.
    public let mlpWidth: Int

    /// A record of one layer.
    public init(recomputedRows: Int, queryRows: Int, keyRows: Int, mlpWidth: Int) {
        self.recomputedRows = recomputedRows
        self.queryRows = queryRows
        self.keyRows = keyRows
        self.mlpWidth = mlpWidth
    }
}
