/// A heap buffer the runtime owns for the few things it derives at load (row starts, converted
/// scales, f16 → f32 values, the batch-1 arrangement); its address is stable for the kernels'
/// unchecked pointers. Elements are trivial values (integers, floats).
final class OwnedBuffer<Element>: @unchecked Sendable {
    /// The elements (`count` of them; the allocation holds at least one).
    let buffer: UnsafeMutableBufferPointer<Element>
    private let raw: UnsafeMutableRawPointer

    /// Copies `elements` into memory aligned to `alignment` bytes (at least the element's own):
    /// vector kernels ask for 64 so no load splits a cache line.
    init(_ elements: [Element], alignment: Int = MemoryLayout<Element>.alignment) {
        let count = max(elements.count, 1)
        raw = .allocate(byteCount: count * MemoryLayout<Element>.stride, alignment: max(alignment, MemoryLayout<Element>.alignment))
        let base = raw.bindMemory(to: Element.self, capacity: count)
        buffer = UnsafeMutableBufferPointer(start: base, count: elements.count)
        _ = buffer.initialize(from: elements)
    }

    deinit { raw.deallocate() }

    /// The first element's address.
    var pointer: UnsafePointer<Element> { UnsafePointer(raw.assumingMemoryBound(to: Element.self)) }
}
