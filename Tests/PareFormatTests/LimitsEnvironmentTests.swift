import PareFormat
import Testing

/// The budget's overrides and its proportional decode bound (issue 17).
@Suite struct LimitsEnvironmentTests {
    @Test func environmentOverridesApplyWithSuffixes() throws {
        let limits = try Limits(defaults: ()).applying(environment: [
            "PARE_MAX_DECODED_BYTES": "512M", "PARE_MAX_LAYERS": "12", "PARE_MAX_ACTIVATION_BYTES": "3G",
            "PARE_DECODED_BYTES_FLOOR": "4096", "UNRELATED": "x",
        ])
        #expect(limits.maxDecodedBytes == 512 << 20)
        #expect(limits.maxLayers == 12)
        #expect(limits.maxActivationBytes == 3 << 30)
        #expect(limits.decodedBytesFloor == 4096)
        #expect(limits.maxTensors == Limits(defaults: ()).maxTensors)
        for bad in ["-1", "12X", "", "1.5G", "99999999999999999999", "16777216T"] {
            #expect(throws: PareError.self, "\(bad)") { try Limits(defaults: ()).applying(environment: ["PARE_MAX_DECODED_BYTES": bad]) }
        }
        #expect(throws: PareError.self) { try Limits(defaults: ()).applying(environment: ["PARE_MAX_LAYERS": "4K"]) }  // counts take no suffix
    }

    @Test func summaryListsEverySetting() {
        let lines = Limits(defaults: ()).summary
        #expect(lines.count == Limits.settings.count)
        #expect(lines.contains { $0.hasPrefix("PARE_MAX_ACTIVATION_BYTES=256M") })
    }

    @Test func decodeBoundIsProportionalToTheInput() {
        var limits = Limits(defaults: ())
        limits.maxDecodedBytes = 1 << 40
        #expect(limits.scaled(toInputBytes: 1000).maxDecodedBytes == 256 << 20)  // the floor
        #expect(limits.scaled(toInputBytes: 4 << 20).maxDecodedBytes == 1 << 30)  // 256 × 4 MiB
        #expect(limits.scaled(toInputBytes: UInt64.max / 2).maxDecodedBytes == 1 << 40)  // capped, no overflow
        limits.decodedBytesPerInputByte = 0
        #expect(limits.scaled(toInputBytes: 1000).maxDecodedBytes == 1 << 40)  // off
    }

    @Test func currentBudgetIsTaskLocal() {
        var tight = Limits(defaults: ())
        tight.maxLayers = 3
        Limits.$current.withValue(tight) { #expect(Limits().maxLayers == 3) }
        #expect(Limits().maxLayers == Limits(defaults: ()).maxLayers)
    }
}
