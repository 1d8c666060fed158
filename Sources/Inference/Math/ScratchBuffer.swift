/// A growable scratch allocation reused across calls.
///
/// Ownership: a scratch buffer belongs to exactly one module instance, and a model instance
/// must be driven by one thread at a time, so no synchronisation is needed. The pointer
/// returned by `reserve` stays valid until the next `reserve` that grows the buffer.
final class ScratchBuffer {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init() {
        capacity = 0
        pointer = .allocate(capacity: 1)
    }

    deinit { pointer.deallocate() }

    /// At least `count` floats, contents unspecified.
    func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            pointer.deallocate()
            pointer = .allocate(capacity: count)
            capacity = count
        }
        return pointer
    }
}
