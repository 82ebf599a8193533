import Dispatch
import Foundation
import PareEncodings
import PareFormat

extension Converter {
    /// Encodes the selected tensors `range` on `buffers.count` worker threads while the calling
    /// thread writes them in file order, each tensor as soon as it is ready: writing into the page
    /// cache is CPU work too (a third of an int8 convert), so it overlaps the next tensors' encoding
    /// instead of following a pair of them. Worker `w` takes tensors `w`, `w + n`, … of the range
    /// into its own reused buffer and starts the next only once its last one is written (memory
    /// stays at one tensor per worker). The bytes are those of the one-threaded loop; the first
    /// failure in file order is the one thrown. `written` is called after each write, in order.
    static func encodeOverlapped(_ range: Range<Int>, of source: ModelSource, settings: ConvertOptions,
                                 buffers: [ReusedBytes], into writer: PareWriter,
                                 written: (Int, ErrorStats) -> Void) throws {
        let board = PipelineBoard(workers: buffers.count)
        let shared = SharedSource(source)
        let group = DispatchGroup()
        for worker in buffers.indices {
            DispatchQueue.global().async(group: group) {
                for index in stride(from: range.lowerBound + worker, to: range.upperBound, by: buffers.count) {
                    guard board.waitForBuffer(of: worker) else { return }
                    var none: MagnitudeThreshold? = nil
                    board.post(index, Result {
                        try prepare(index, of: shared.source, settings: settings, globalThreshold: &none, output: buffers[worker])
                    })
                }
            }
        }
        defer {
            board.cancel()
            group.wait()
        }
        // In its own function so the encoded tensor (sharing the worker's buffer) is gone before the
        // buffer is handed back: a buffer still shared would be copied, not reused.
        func write(_ index: Int) throws {
            let (encoded, error) = try board.take(index).get()
            let tensor = source.tensors[index]
            try writer.add(encoded, name: tensor.name, dtype: tensor.dtype, shape: tensor.shape, zlibLevel: settings.zlibLevel)
            written(index, error)
        }
        for index in range {
            try write(index)
            board.release(worker: (index - range.lowerBound) % buffers.count)
        }
    }
}

/// The results of `encodeOverlapped`'s workers by tensor index, and each worker's permission to
/// reuse its buffer (granted again once the tensor it holds has been written and dropped).
private final class PipelineBoard: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [Int: Result<(EncodedTensor, ErrorStats), Error>] = [:]
    private var free: [Bool]
    private var cancelled = false

    init(workers: Int) { free = Array(repeating: true, count: workers) }

    /// Blocks until `worker`'s buffer is free, then takes it; false once the writer gave up.
    func waitForBuffer(of worker: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !free[worker] && !cancelled { condition.wait() }
        free[worker] = false
        return !cancelled
    }

    func post(_ index: Int, _ result: Result<(EncodedTensor, ErrorStats), Error>) {
        condition.lock()
        results[index] = result
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until tensor `index` is encoded (or failed) and hands it over.
    func take(_ index: Int) -> Result<(EncodedTensor, ErrorStats), Error> {
        condition.lock()
        defer { condition.unlock() }
        while results[index] == nil { condition.wait() }
        return results.removeValue(forKey: index)!
    }

    func release(worker: Int) {
        condition.lock()
        free[worker] = true
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the workers at their next tensor (after a failure, or when all are written).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
