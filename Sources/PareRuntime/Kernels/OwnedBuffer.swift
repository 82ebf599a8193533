/// A heap buffer the runtime owns for the few things it derives at load (row starts, converted
/// scales, f16 → f32 values); its address is stable for the kernels' unchecked pointers.
final class OwnedBuffer<Element>: @unchecked Sendable {
    /// The elements.
    let buffer: UnsafeMutableBufferPointer<Element>

    /// Copies `elements`.
    init(_ elements: [Element]) {
        buffer = .allocate(capacity: max(elements.count, 1))
        _ = buffer.initialize(from: elements)
    }

    deinit { buffer.deallocate() }

    /// The first element's address.
    var pointer: UnsafePointer<Element> { UnsafePointer(buffer.baseAddress!) }
}
