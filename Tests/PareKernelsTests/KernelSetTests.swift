import Testing
@testable import PareKernels

/// The kernel-set names PARE_KERNELS takes, and what this CPU reports.
@Test func kernelSetNamesRoundTripAndOrder() {
    for set in KernelSet.allCases { #expect(KernelSet(name: set.description) == set) }
    #expect(KernelSet(name: "AVX2") == .avx2)
    #expect(KernelSet(name: "sse4") == nil && KernelSet(name: "") == nil)
    #expect(KernelSet.generic < .avx2 && KernelSet.avx2 < .avx512)
    // Every set up to the supported one, lowest first; the selection never exceeds the CPU.
    #expect(KernelSet.available == KernelSet.allCases.filter { $0 <= KernelSet.supported })
    #expect(KernelSet.available.first == .generic && KernelSet.selected <= KernelSet.supported)
}
