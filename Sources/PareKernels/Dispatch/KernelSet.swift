import CPareSIMD
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which compiled variant of the vector kernels runs: one portable binary carries all of them and
/// picks the best this CPU supports once per process (as OpenBLAS, ggml and oneDNN do), so the
/// default `swift build -c release` is as fast as a `-target-cpu` build.
///
/// The sets are ordered: a CPU that runs one runs every lower one. The environment variable
/// `PARE_KERNELS=avx512|avx2|generic` lowers the choice (to test or benchmark the AVX2 path on an
/// AVX-512 machine); asking for a set the CPU lacks falls back to the best supported one with a
/// warning on standard error. Kernels take a `KernelSet` parameter defaulting to `selected`, so
/// tests can run every supported variant in one process.
public enum KernelSet: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// The Swift kernels (`SIMD16` on the architecture's baseline, SSE2 on x86-64), the reference
    /// every vector set is tested against for speed and results.
    case generic = 0
    /// AVX2 + FMA (x86-64-v3): the C kernels in CPareSIMD compiled for 256-bit vectors.
    case avx2 = 1
    /// AVX-512 F/DQ/BW/VL (x86-64-v4): the C kernels compiled for 512-bit vectors.
    case avx512 = 2

    /// The best set this CPU runs (CPUID).
    public static let supported: KernelSet = KernelSet(rawValue: Int(pare_kernels_supported())) ?? .generic

    /// Whether the CPU has AVX-512 VNNI (`vpdpbusd`), which the integer kernels of the AVX-512 set use.
    public static let hasVNNI: Bool = pare_cpu_has_avx512vnni() == 1

    /// The set the kernels use by default: `supported`, lowered by `PARE_KERNELS` when set.
    public static let selected: KernelSet = {
        guard let requested = getenv("PARE_KERNELS").map({ String(cString: $0) }), !requested.isEmpty else {
            return supported
        }
        guard let set = KernelSet(name: requested) else {
            warn("PARE_KERNELS=\(requested) is not one of avx512, avx2, generic; using \(supported)")
            return supported
        }
        guard set <= supported else {
            warn("PARE_KERNELS=\(requested): this CPU only runs up to \(supported); using \(supported)")
            return supported
        }
        return set
    }()

    /// Every set this CPU runs, lowest first (what the kernel tests iterate over).
    public static var available: [KernelSet] { allCases.filter { $0 <= supported } }

    /// The set named `avx512`, `avx2` or `generic` (case-insensitive).
    public init?(name: String) {
        guard let set = Self.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
        self = set
    }

    /// `avx512`, `avx2` or `generic`: the value `PARE_KERNELS` takes.
    public var description: String {
        switch self {
        case .generic: "generic"
        case .avx2: "avx2"
        case .avx512: "avx512"
        }
    }

    /// What `pare bench` prints: the set and, for AVX-512, whether the integer kernels have VNNI.
    public var summary: String {
        self == .avx512 ? "avx512 (\(Self.hasVNNI ? "with" : "without") VNNI)" : description
    }

    public static func < (lhs: KernelSet, rhs: KernelSet) -> Bool { lhs.rawValue < rhs.rawValue }

    private static func warn(_ message: String) {
        let line = Array("pare: warning: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
