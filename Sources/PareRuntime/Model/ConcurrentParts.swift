import PareKernels

/// Runs `body(0) … body(count − 1)` at once (one per thread of the `WorkerPool`) and
/// returns their results in order; the first error thrown, in part order, is rethrown after all ran.
/// Used to split a batch's texts between threads: each part is independent, so every result
/// equals a one-thread run of that part.
/// With `spreading`, the first parts run on separate threads (`WorkerPool.run(spreadingParts:)`).
func concurrentParts<T>(_ count: Int, spreading: Bool = false, _ body: (Int) throws -> T) throws -> [T] {
    if count == 1 { return [try body(0)] }
    var results = [Result<T, Error>?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { slots in
        // Each part writes only its own slot.
        let part = { (part: Int) in slots[part] = Result { try body(part) } }
        if spreading { WorkerPool.run(spreadingParts: count, part) } else { WorkerPool.run(parts: count, part) }
    }
    return try results.map { try $0!.get() }
}

/// Cuts `weights.count` consecutive items into at most `parts` contiguous ranges of about equal total
/// weight (each non-empty), e.g. texts by their token counts so each thread gets a similar share.
func balancedRanges(_ weights: [Int], parts: Int) -> [Range<Int>] {
    let n = weights.count, parts = max(1, min(parts, n))
    guard parts > 1 else { return n == 0 ? [] : [0..<n] }
    let total = weights.reduce(0) { $0 + max($1, 0) }
    var ranges: [Range<Int>] = [], start = 0, sum = 0
    for i in 0..<n {
        sum += max(weights[i], 0)
        let remainingParts = parts - ranges.count - 1
        // Close a part when it reached its share, or when every later part needs one of the items left.
        let itemsLeft = n - (i + 1)
        if remainingParts > 0, itemsLeft >= remainingParts,
           sum * parts >= total * (ranges.count + 1) || itemsLeft == remainingParts {
            ranges.append(start..<(i + 1))
            start = i + 1
        }
    }
    ranges.append(start..<n)
    return ranges
}
