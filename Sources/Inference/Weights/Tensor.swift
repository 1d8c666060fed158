/// An owned, contiguous, row-major block of `Float` with a shape.
///
/// Weights and activations that outlive one call live in `Tensor`s. The storage is allocated
/// once and freed with the tensor; it is never resized, so raw pointers stay valid for the
/// tensor's lifetime.
public final class Tensor {
    /// Dimensions, outermost first.
    public let shape: [Int]
    /// Number of elements (product of `shape`).
    public let count: Int
    /// The elements. Valid while the tensor is alive; the pointer does not keep it alive, so a
    /// local tensor used only through `data` must be held with `withExtendedLifetime`.
    public let data: UnsafeMutablePointer<Float>

    /// A zero-filled tensor of the given shape.
    public init(shape: [Int]) {
        self.shape = shape
        self.count = shape.reduce(1, *)
        self.data = .allocate(capacity: max(count, 1))
        data.initialize(repeating: 0, count: max(count, 1))
    }

    /// A tensor whose elements are left uninitialised, for loaders that overwrite all of them.
    init(uninitializedShape shape: [Int]) {
        self.shape = shape
        self.count = shape.reduce(1, *)
        self.data = .allocate(capacity: max(count, 1))
    }

    deinit { data.deallocate() }

    /// The elements as a buffer pointer.
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: data, count: count) }

    /// A copy of the elements.
    public var array: [Float] { Array(buffer) }
}
