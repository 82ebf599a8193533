import Foundation
import Testing
@testable import PareNN

/// The full reference recipe on mnist5k (20 + 3 × 5 epochs): too long for the unit suite, so it runs
/// only with `PARE_NN_REFERENCE=1` (use a release build: `swift test -c release -Xswiftc -enable-testing`).
@Suite struct ReferenceRunTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PARE_NN_REFERENCE"] != nil))
    func lenet300100OnMnist5k() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/datasets/mnist5k").path
        let report = try ReferenceRecipe.run(folder: folder) { print($0) }
        print(String(format: "REFERENCE dense accuracy %.4f, %.4f s/epoch wall, %.4f s/epoch CPU",
                     report.denseAccuracy, report.secondsPerEpoch, report.cpuSecondsPerEpoch))
        #expect(report.denseAccuracy > 0.92)
        for p in report.pruned { #expect(abs(p.network.sparsity - p.sparsity) < 0.01) }
    }
}
