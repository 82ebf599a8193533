import PareFormat

/// A foreign-format writer that takes dense tensors one at a time and publishes the file atomically
/// on `finish()`; `cancel()` leaves nothing behind.
public protocol DenseTensorWriter: AnyObject {
    func write(_ tensor: DenseTensor) throws
    func finish() throws
    func cancel()
}

extension DenseTensorWriter {
    /// Writes every tensor `next` yields for `0..<count`, then finishes; on any error cancels and rethrows.
    public func writeAll(count: Int, _ next: (Int) throws -> DenseTensor) throws {
        do {
            for index in 0..<count { try write(try next(index)) }
            try finish()
        } catch {
            cancel()
            throw error
        }
    }
}

extension SafetensorsWriter: DenseTensorWriter {}

extension NpzWriter: DenseTensorWriter {
    public func write(_ tensor: DenseTensor) throws { try add(tensor) }
}
