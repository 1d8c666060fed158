/// Bytes of stored weights that stay valid for as long as this object lives: a region of a
/// memory-mapped checkpoint (the `MappedFile` is retained, so the map outlives every use of
/// `base`) or a 64-byte-aligned allocation this object owns and frees.
final class WeightBytes {
    /// First byte; any alignment for mapped regions (safetensors does not align tensors).
    let base: UnsafeRawPointer
    /// Length in bytes.
    let count: Int
    /// Keeps the memory map alive; nil for owned allocations.
    private let mapping: MappedFile?
    /// The owned allocation; nil for mapped regions.
    private let allocation: UnsafeMutableRawPointer?

    /// A region of `mapping`; only `MappedFile.region(_:)` creates these.
    init(region base: UnsafeRawPointer, count: Int, keeping mapping: MappedFile) {
        self.base = base
        self.count = count
        self.mapping = mapping
        allocation = nil
    }

    /// A new allocation of `count` bytes that `initialize` must fill completely.
    init(allocating count: Int, initialize: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 64)
        do {
            try initialize(UnsafeMutableRawBufferPointer(start: memory, count: count))
        } catch {
            memory.deallocate()
            throw error
        }
        base = UnsafeRawPointer(memory)
        self.count = count
        mapping = nil
        allocation = memory
    }

    deinit { allocation?.deallocate() }

    /// Whether the bytes live in a file mapping (resident only once touched) rather than the heap.
    var isMapped: Bool { mapping != nil }
}
