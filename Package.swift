// swift-tools-version:6.0
// Pare: compressed neural-network models — container, codecs, trainer, runtime, CLI.
//
// Dependency arrows point one way:
//   pare (executable) → PareCLI → PareConvert / PareRuntime / PareNN → PareInterchange → PareEncodings → PareFormat → CZlib
//   PareCLI → PareCalibrate → PareConvert + PareRuntime + PareNN (calibrated conversion needs the converter, the runtimes, and PareNN's IDX loader for classifier calibration data).
//   PareCLI → PareReport → PareEncodings (`pare report`'s HTML pages)
//   PareFormat: the container. PareEncodings: tensor encodings (structure × coding). PareInterchange:
//   every foreign file format. PareConvert: streaming conversion as a library. PareNN: the trainer.
//   PareRuntime: packed execution. PareRuntime and PareNN also share the dense math in PareKernels.
//   CPareSIMD holds the C kernels, compiled per instruction set (AVX-512, AVX2) in one portable binary
//   and chosen at run time (PareKernels' KernelSet): sgemm (PareKernels), the batch-1 sparse and
//   int8 × int8 kernels (PareRuntime), the fused encoders (PareEncodings). PareConvert calls
//   malloc_trim through CPareSystem, and PareFormat its SIGBUS guard for memory-mapped files.
//   PareText (text → token ids: BERT WordPiece) depends on Foundation only.
import Foundation
import PackageDescription

// The C kernels are chosen at run time either way; additionally,
// `PARE_TARGET_CPU=native swift build -c release` compiles the Swift dense math for this machine's CPU
// (AVX2/FMA, AVX-512…); unset, the build is portable to any CPU of the architecture.
let targetCPU: [SwiftSetting] = ProcessInfo.processInfo.environment["PARE_TARGET_CPU"].flatMap {
    $0.isEmpty ? nil : [.unsafeFlags(["-target-cpu", $0])]
} ?? []

let package = Package(
    name: "Pare",
    products: [
        .executable(name: "pare", targets: ["pare"]),
        .library(name: "PareFormat", targets: ["PareFormat"]),
        .library(name: "PareEncodings", targets: ["PareEncodings"]),
        .library(name: "PareInterchange", targets: ["PareInterchange"]),
        .library(name: "PareConvert", targets: ["PareConvert"]),
        .library(name: "PareNN", targets: ["PareNN"]),
        .library(name: "PareRuntime", targets: ["PareRuntime"]),
        .library(name: "PareReport", targets: ["PareReport"]),
        .library(name: "PareText", targets: ["PareText"]),
        .library(name: "PareCalibrate", targets: ["PareCalibrate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "PareFormat", dependencies: ["CZlib", "CPareSystem"]),
        .target(name: "PareKernels", dependencies: ["CPareSIMD", "CPareSystem"], exclude: ["README.md"], swiftSettings: targetCPU),
        .target(name: "PareEncodings", dependencies: ["PareFormat", "CPareSIMD"]),
        .target(name: "PareInterchange", dependencies: ["PareEncodings"]),
        .target(name: "PareConvert", dependencies: ["PareInterchange", "PareText", "CPareSystem"]),
        // Text → token ids for transformer encoders (BERT WordPiece); Foundation only.
        .target(name: "PareText", exclude: ["README.md"]),
        .target(name: "PareNN", dependencies: ["PareInterchange", "PareKernels"], swiftSettings: targetCPU),
        // Kernels Swift's SIMD types cannot express (in-register table lookups), with runtime CPU checks.
        .target(name: "CPareSIMD", cSettings: [.unsafeFlags(["-O2"])]),
        // C library calls the Glibc module lacks (malloc_trim, for long conversions) and the SIGBUS
        // guard that turns a mapped file truncated under a reader into a typed error.
        .target(name: "CPareSystem"),
        // `pare report`'s pages: HTML + SVG charts of a model, written without any web dependency.
        .target(name: "PareReport", dependencies: ["PareEncodings"], exclude: ["README.md"]),
        .target(name: "PareRuntime", dependencies: ["PareEncodings", "PareKernels", "PareText", "CPareSIMD"], exclude: ["README.md"], swiftSettings: targetCPU),
        // Compression that looks at data: calibration statistics through the runtime, Wanda / SparseGPT /
        // GPTQ / importance-weighted scales, double-precision Cholesky; writes standard encodings.
        .target(name: "PareCalibrate", dependencies: ["PareConvert", "PareRuntime", "PareKernels", "PareNN"]),
        .target(
            name: "PareCLI",
            dependencies: [
                "PareCalibrate", "PareConvert", "PareRuntime", "PareNN", "PareKernels", "PareReport", "PareDemoData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
        ),
        // The bundled data sets live in Fixtures/datasets; this tiny target ships them as resources
        // so `pare demo` finds them from any working directory.
        .target(
            name: "PareDemoData", path: "Fixtures/datasets",
            exclude: ["README.md"], sources: ["DemoData.swift"],
            resources: [.copy("mnist5k"), .copy("digits")]
        ),
        .executableTarget(name: "pare", dependencies: ["PareCLI"]),
        // Test helpers every test target shares (comparisons that see NaN and length mismatches).
        .target(name: "PareTestSupport", path: "Tests/PareTestSupport"),
        .testTarget(name: "PareFormatTests", dependencies: ["PareFormat", "PareKernels"]),
        .testTarget(name: "PareKernelsTests", dependencies: ["PareKernels"]),
        .testTarget(name: "PareEncodingsTests", dependencies: ["PareEncodings", "PareKernels"]),
        .testTarget(name: "PareInterchangeTests", dependencies: ["PareInterchange", "PareKernels"]),
        .testTarget(name: "PareNNTests", dependencies: ["PareNN"]),
        .testTarget(name: "PareReportTests", dependencies: ["PareReport"]),
        .testTarget(name: "PareRuntimeTests", dependencies: ["PareRuntime", "PareNN", "PareTestSupport"]),
        .testTarget(name: "PareTextTests", dependencies: ["PareText"]),
        .testTarget(name: "PareConvertTests", dependencies: ["PareConvert"]),
        .testTarget(name: "PareCalibrateTests", dependencies: ["PareCalibrate", "PareInterchange", "PareNN", "PareTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "PareCLITests", dependencies: ["PareCLI", "PareConvert", "PareKernels", "PareRuntime", "PareText", "PareTestSupport"]),
    ]
)
