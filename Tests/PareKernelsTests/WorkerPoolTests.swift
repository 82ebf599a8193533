import Foundation
import Testing
@testable import PareKernels

@Suite struct WorkerPoolTests {
    /// Counts each part's runs; parts write only their own slot, as the runtime's parts do.
    private func runCounting(_ parts: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: parts)
        counts.withUnsafeMutableBufferPointer { counts in
            WorkerPool.run(parts: parts) { part in counts[part] += 1 }
        }
        return counts
    }

    @Test func everyPartRunsExactlyOnce() {
        for parts in [0, 1, 2, 3, 7, 64, 1000] {
            #expect(runCounting(parts) == [Int](repeating: 1, count: parts), "\(parts) parts")
        }
        // Many short jobs in a row: a worker waking late for one job must never run a part of the next.
        for round in 0..<20_000 { #expect(runCounting(2 + round % 5) == [Int](repeating: 1, count: 2 + round % 5)) }
    }

    @Test func aPartThatAsksForPartsRunsThemOnItsOwnThread() {
        var inner = [[Int]](repeating: [], count: 4)
        inner.withUnsafeMutableBufferPointer { inner in
            WorkerPool.run(parts: 4) { part in inner[part] = runCounting(3) }
        }
        #expect(inner == [[Int]](repeating: [1, 1, 1], count: 4))
    }

    @Test func callsFromSeveralThreadsAllComplete() async {
        let totals = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<200).reduce(0) { sum, _ in sum + runCounting(5).reduce(0, +) } }
            }
            return await group.reduce(0, +)
        }
        #expect(totals == 4 * 200 * 5)
    }
}
