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

    @Test func bandsCoverEveryItemOnceInOrder() {
        for count in [0, 1, 7, 64, 300] {
            for parts in [0, 1, 2, 3, 8, 500] {
                var seen = [Int](repeating: 0, count: count)
                seen.withUnsafeMutableBufferPointer { seen in
                    WorkerPool.run(bands: parts, of: count) { band in for i in band { seen[i] += 1 } }
                }
                #expect(seen == [Int](repeating: 1, count: count), "\(count) items, \(parts) parts")
                let bands = (0..<max(parts, 1)).map { WorkerPool.band($0, of: parts, count: count) }.filter { !$0.isEmpty }
                #expect(bands.map(\.count).reduce(0, +) == count)
                #expect(zip(bands, bands.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            }
        }
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

    /// `parts(_:of:minimum:)` never leaves a band of 1 ..< minimum items (a batch part that small would
    /// run other kernels than the whole), never exceeds what was wanted, and keeps it when it can.
    @Test func partsKeepEveryBandAtTheMinimum() {
        for count in 0...300 {
            for wanted in 1...12 {
                for minimum in [1, 5, 16] {
                    let parts = WorkerPool.parts(wanted, of: count, minimum: minimum)
                    #expect(parts >= 1 && parts <= wanted)
                    let sizes = (0..<parts).map { WorkerPool.band($0, of: parts, count: count).count }
                    #expect(sizes.reduce(0, +) == count)
                    #expect(parts == 1 || sizes.allSatisfy { $0 == 0 || $0 >= minimum }, "count \(count) wanted \(wanted) minimum \(minimum): \(sizes)")
                }
            }
        }
        #expect(WorkerPool.parts(8, of: 256, minimum: 16) == 8)
        #expect(WorkerPool.parts(2, of: 9, minimum: 5) == 1)
        #expect(WorkerPool.parts(3, of: 13, minimum: 5) == 2)
    }
}
