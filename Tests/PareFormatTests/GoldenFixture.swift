import Foundation
@testable import PareFormat

/// One tensor of a golden file, with the exact section bytes handed to the writer.
struct GoldenTensor: Sendable {
    var name: String
    var dtype: DType
    var shape: [Int]
    var encoding: Encoding = .dense
    var storedCount: Int
    var sections: [SectionPayload]
    var zlibLevel: Int?
}

/// A small `.pare` file that exercises one feature of the format (Fixtures/container/README.md).
struct GoldenFixture: Sendable, CustomStringConvertible {
    var name: String
    var metadata: Metadata = [:]
    var tensors: [GoldenTensor]
    /// zlib level of the header (format 1.1), nil for a plain 1.0 header.
    var headerZlibLevel: Int? = nil
    /// Section placement; `.packed` makes a format 1.2 file.
    var layout: PayloadLayout = .aligned

    var description: String { name }

    /// Where the committed copy lives.
    var fixturePath: String { GoldenFixture.directory + "/" + name + ".pare" }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/container").path

    /// Writes the fixture with the current writer.
    func write(to path: String) throws {
        let writer = try PareWriter(path: path, metadata: metadata, headerZlibLevel: headerZlibLevel, layout: layout)
        for t in tensors {
            try writer.add(name: t.name, dtype: t.dtype, shape: t.shape, encoding: t.encoding,
                           storedCount: t.storedCount, sections: t.sections, zlibLevel: t.zlibLevel)
        }
        try writer.finish()
    }

    /// The raw bytes the reader must hand back for every section, in file order.
    var expectedSections: [[UInt8]] { tensors.flatMap { $0.sections.map(\.bytes) } }
}

// MARK: Byte helpers

func le<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
}

func f32(_ values: [Float]) -> [UInt8] { le(values.map(\.bitPattern)) }

func dense(_ name: String, _ dtype: DType, _ shape: [Int], _ bytes: [UInt8], storage: DType? = nil, zlib: Int? = nil) -> GoldenTensor {
    let count = shape.reduce(1, *)
    return GoldenTensor(name: name, dtype: dtype, shape: shape, storedCount: count,
                        sections: [SectionPayload(kind: .values, dtype: storage ?? dtype, bytes: bytes)], zlibLevel: zlib)
}

// MARK: The fixtures

extension GoldenFixture {
    /// Every golden file, one per feature.
    static let all: [GoldenFixture] = [
        GoldenFixture(name: "dense-f32", tensors: [
            dense("fc.weight", .f32, [3, 4], f32((0..<12).map { Float($0) * 0.25 - 1.5 })),
            dense("fc.bias", .f32, [3], f32([0.5, -0.0, .infinity])),
        ]),
        GoldenFixture(name: "dense-f16-bf16", tensors: [
            dense("as_f16", .f32, [2, 3], DenseTensor.bytes(of: [1, -2, 0.333, 65504, 1e-7, -0.0], as: .f16), storage: .f16),
            dense("as_bf16", .f32, [2, 3], DenseTensor.bytes(of: [1, -2, 0.333, 3e38, 1e-30, -0.0], as: .bf16), storage: .bf16),
            dense("native_f16", .f16, [4], DenseTensor.bytes(of: [0.5, 1.5, -3, 7], as: .f16)),
            dense("native_bf16", .bf16, [2], DenseTensor.bytes(of: [-0.5, 256], as: .bf16)),
            dense("native_f64", .f64, [2], le([Double.pi.bitPattern, (-1e300).bitPattern])),
        ]),
        GoldenFixture(name: "int-tensors", tensors: [
            dense("i8", .i8, [5], le([Int8.min, -1, 0, 1, Int8.max])),
            dense("i16", .i16, [2], le([Int16.min, Int16.max])),
            dense("i32", .i32, [2, 2], le([Int32.min, -7, 7, Int32.max])),
            dense("i64", .i64, [3], le([Int64.min, 0, Int64.max])),
            dense("u8", .u8, [3], [0, 128, 255]),
            dense("u16", .u16, [1], le([UInt16.max])),
            dense("u32", .u32, [1], le([UInt32.max])),
            dense("u64", .u64, [1], le([UInt64.max])),
            dense("bool", .bool, [4], [0, 1, 1, 0]),
        ]),
        GoldenFixture(name: "rank0-empty", tensors: [
            dense("scalar", .f32, [], f32([42])),
            dense("empty_vector", .f32, [0], []),
            dense("empty_matrix", .i64, [2, 0, 3], []),
            dense("empty_zlib", .f32, [0, 4], [], zlib: 9),
            dense("after_empty", .i32, [1], le([Int32(-5)])),
        ]),
        GoldenFixture(name: "zlib", tensors: [
            dense("compressible", .f32, [16, 16], f32((0..<256).map { Float($0 % 4) }), zlib: 9),
            dense("incompressible", .u8, [7], [0x9E, 0x37, 0x79, 0xB9, 0x7F, 0x4A, 0x7C], zlib: 9),
            dense("level1", .i32, [64], le((0..<64).map { Int32($0 / 8) }), zlib: 1),
        ]),
        GoldenFixture(name: "metadata", metadata: [
            "pare.producer": .string("pare golden fixtures"),
            "pare.source": .string("hand-written: Tests/PareFormatTests/GoldenFixture.swift"),
            "pare.model": .string(ModelDescription(inputShape: [4], layers: [.dense(weight: "w", bias: nil), .softmax], classes: 2).json()),
            "train.clip": .float(1.0),
            "train.l1": .float(1e-5),
            "train.epochs": .int(12),
            "train.negative": .int(-9_000_000_000),
            "train.bool_true": .bool(true),
            "train.bool_false": .bool(false),
            "train.schedule": .array([.float(0.5), .float(0.8), .float(0.95)]),
            "train.steps": .array([.int(1), .int(2), .int(3)]),
            "train.flags": .array([.bool(true), .bool(false)]),
            "train.names": .array([.string("a"), .string("ü→✓")]),
            "train.empty": .array([]),
            "text.unicode": .string("Grüße, 世界 🙂"),
            "text.empty": .string(""),
        ], tensors: [dense("w", .f32, [2, 4], f32([1, 2, 3, 4, 5, 6, 7, 8]))]),
        // Format 1.1: the same kind of small model as a demo file, with its header zlib-compressed
        // (flag bit 0, u64 inflated length + zlib stream; Spec/FORMAT.md §3.4).
        GoldenFixture(name: "header-zlib", metadata: [
            "pare.producer": .string("pare golden fixtures"),
            "pare.model": .string(ModelDescription(inputShape: [4], layers: [.dense(weight: "fc.weight", bias: "fc.bias"), .softmax], classes: 3).json()),
            "train.recipe": .string("gradual pruning, gradual pruning, gradual pruning: repetitive text compresses"),
        ], tensors: [
            dense("fc.weight", .f32, [3, 4], f32([0, 0.5, 0, 0, -1, 0, 0, 0, 0, 0, 0, 2])),
            dense("fc.bias", .f32, [3], f32([0.25, -0.25, 0])),
        ], headerZlibLevel: 9),
        GoldenFixture(name: "csr", tensors: [
            // [3, 5]: row 0 has columns 1 and 4, row 1 is empty, row 2 has columns 0, 2, 3.
            GoldenTensor(name: "w", dtype: .f32, shape: [3, 5], encoding: Encoding(structure: .csr), storedCount: 5, sections: [
                SectionPayload(kind: .rowPointers, dtype: .u16, bytes: le([UInt16(0), 2, 2, 5])),
                SectionPayload(kind: .columnIndices, dtype: .u8, bytes: [1, 4, 0, 2, 3]),
                SectionPayload(kind: .values, dtype: .f32, bytes: f32([1, 2, 3, 4, 5])),
            ]),
            GoldenTensor(name: "wide", dtype: .f32, shape: [1, 70000], encoding: Encoding(structure: .csr), storedCount: 2, sections: [
                SectionPayload(kind: .rowPointers, dtype: .u32, bytes: le([UInt32(0), 2])),
                SectionPayload(kind: .columnIndices, dtype: .u32, bytes: le([UInt32(7), 69999])),
                SectionPayload(kind: .values, dtype: .f16, bytes: DenseTensor.bytes(of: [-1, 1], as: .f16)),
            ]),
        ]),
        GoldenFixture(name: "csr-delta", tensors: [
            // [2, 600]: row 0 has columns 3 and 300, row 1 column 0. Gaps count from column −1: 3 → 4;
            // 300 − 3 = 297 > 255, so a zero filler sits at column 258 (gap 255) and 300 follows (gap 42).
            GoldenTensor(name: "w", dtype: .f32, shape: [2, 600], encoding: Encoding(structure: .deltaCSR), storedCount: 4, sections: [
                SectionPayload(kind: .rowPointers, dtype: .u16, bytes: le([UInt16(0), 3, 4])),
                SectionPayload(kind: .columnIndices, dtype: .u8, bytes: [4, 255, 42, 1]),
                SectionPayload(kind: .values, dtype: .f32, bytes: f32([0.5, 0, -2, 3])),
            ]),
        ]),
        GoldenFixture(name: "bitmask", tensors: [
            // [2, 4]: non-zeros at elements 0, 3, 5, 6 → bits LSB first: 0b0110_1001.
            GoldenTensor(name: "w", dtype: .f32, shape: [2, 4], encoding: Encoding(structure: .bitmask), storedCount: 4, sections: [
                SectionPayload(kind: .bitmask, dtype: .u8, bytes: [0x69]),
                SectionPayload(kind: .values, dtype: .f32, bytes: f32([1, -1, 2, -2])),
            ]),
        ]),
        GoldenFixture(name: "int8", tensors: [
            GoldenTensor(name: "per_channel", dtype: .f32, shape: [2, 3], encoding: Encoding(coding: .int8, granularity: .channel), storedCount: 6, sections: [
                SectionPayload(kind: .values, dtype: .i8, bytes: le([Int8(-127), 0, 127, 5, -5, 64])),
                SectionPayload(kind: .scales, dtype: .f32, bytes: f32([0.01, 0.5])),
            ]),
            GoldenTensor(name: "asymmetric", dtype: .f32, shape: [4], encoding: Encoding(coding: .int8, granularity: .tensor, flags: Encoding.asymmetricFlag), storedCount: 4, sections: [
                SectionPayload(kind: .values, dtype: .i8, bytes: le([Int8(-128), -1, 0, 127])),
                SectionPayload(kind: .scales, dtype: .f32, bytes: f32([0.25])),
                SectionPayload(kind: .zeroPoints, dtype: .i8, bytes: le([Int8(-3)])),
            ]),
            GoldenTensor(name: "sparse", dtype: .f32, shape: [2, 3], encoding: Encoding(structure: .csr, coding: .int8, granularity: .channel), storedCount: 2, sections: [
                SectionPayload(kind: .rowPointers, dtype: .u16, bytes: le([UInt16(0), 1, 2])),
                SectionPayload(kind: .columnIndices, dtype: .u8, bytes: [2, 0]),
                SectionPayload(kind: .values, dtype: .i8, bytes: le([Int8(100), -100])),
                SectionPayload(kind: .scales, dtype: .f32, bytes: f32([0.1, 0.2])),
            ]),
        ]),
        GoldenFixture(name: "int4", tensors: [
            // Five values q + 8 packed two per byte (low nibble first): q = 7, −7, −7, 0, −1 (levels
            // −7…7: nibble 0, q = −8, is invalid per ENCODINGS §2.2); the last high nibble is padding 0.
            GoldenTensor(name: "w", dtype: .f32, shape: [1, 5], encoding: Encoding(coding: .int4, granularity: .tensor), storedCount: 5, sections: [
                SectionPayload(kind: .values, dtype: .u8, bytes: [0x1F, 0x81, 0x07]),
                SectionPayload(kind: .scales, dtype: .f32, bytes: f32([0.125])),
            ]),
        ]),
        GoldenFixture(name: "q8_0", tensors: [
            // 40 values → two 34-byte blocks (f16 scale + 32 × i8); the second block is padded with zeros.
            GoldenTensor(name: "w", dtype: .f32, shape: [4, 10], encoding: Encoding(coding: .q8_0), storedCount: 40, sections: [
                SectionPayload(kind: .values, dtype: .u8, bytes:
                    le([HalfPrecision.f16Bits(0.5)]) + (0..<32).map { UInt8(bitPattern: Int8($0 * 4 - 64)) }
                    + le([HalfPrecision.f16Bits(0.25)]) + (0..<8).map { UInt8($0) } + [UInt8](repeating: 0, count: 24)),
            ]),
        ]),
        GoldenFixture(name: "q4_0", tensors: [
            // 32 values → one 18-byte block: f16 scale, then byte j = element j (low) | element j+16 (high).
            GoldenTensor(name: "w", dtype: .f32, shape: [2, 16], encoding: Encoding(coding: .q4_0), storedCount: 32, sections: [
                SectionPayload(kind: .values, dtype: .u8, bytes: le([HalfPrecision.f16Bits(-0.125)]) + (0..<16).map { UInt8($0 | (15 - $0) << 4) }),
            ]),
        ]),
        GoldenFixture(name: "q6_k", tensors: [
            // Format 1.2: 256 values → one 210-byte Q6_K super-block: 128 bytes ql (low nibbles), 64 bytes qh
            // (2-bit highs), sixteen i8 sub-block scales (both extremes), then the f16 d at the end.
            GoldenTensor(name: "w", dtype: .f32, shape: [2, 128], encoding: Encoding(coding: .q6_K), storedCount: 256, sections: [
                SectionPayload(kind: .values, dtype: .u8, bytes: (0..<128).map { UInt8(truncatingIfNeeded: $0 &* 37) }
                    + (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 11) }
                    + [-128, 127, 1, -1, 0, 2, -3, 5, -8, 13, -21, 34, -55, 89, 64, -64].map { UInt8(bitPattern: Int8($0)) }
                    + le([HalfPrecision.f16Bits(0.0625)])),
            ]),
        ]),
        GoldenFixture(name: "q5_0", tensors: [
            // Format 1.3: 32 values → one 22-byte Q5_0 block: f16 d, u32 qh (fifth bits, little-endian),
            // then 16 bytes of nibbles as q4_0 (byte j = element j low | element j + 16 high).
            GoldenTensor(name: "w", dtype: .f32, shape: [2, 16], encoding: Encoding(coding: .q5_0), storedCount: 32, sections: [
                SectionPayload(kind: .values, dtype: .u8, bytes: le([HalfPrecision.f16Bits(0.25)]) + [0x0F, 0xF0, 0x55, 0xAA]
                    + (0..<16).map { UInt8($0 | (15 - $0) << 4) }),
            ]),
        ]),
        GoldenFixture(name: "q4_k", tensors: [
            // Format 1.3: 256 values → one 144-byte Q4_K super-block: f16 d, f16 dmin, 12 bytes of packed
            // 6-bit scales and mins (top bits set on bytes 0–7, so sub-blocks 4–7 use them), 128 bytes of nibbles.
            GoldenTensor(name: "w", dtype: .f32, shape: [2, 128], encoding: Encoding(coding: .q4_K), storedCount: 256, sections: [
                SectionPayload(kind: .values, dtype: .u8, bytes: le([HalfPrecision.f16Bits(0.125), HalfPrecision.f16Bits(0.0625)])
                    + [0xC1, 0x82, 0x43, 0x3F, 0x05, 0xC6, 0x87, 0x48, 0x9A, 0x1B, 0xFC, 0x2D]
                    + (0..<128).map { UInt8(truncatingIfNeeded: $0 &* 29 &+ 3) }),
            ]),
        ]),
        GoldenFixture(name: "codebook", tensors: [
            // 3-bit indices packed LSB first: 8 values × 3 bits = 3 bytes; 8 f32 centroids.
            GoldenTensor(name: "w", dtype: .f32, shape: [2, 4], encoding: Encoding(coding: .codebook, bits: 3), storedCount: 8, sections: [
                SectionPayload(kind: .values, dtype: .u8, bytes: [0b1000_1000, 0b1100_0110, 0b1111_1010]),
                SectionPayload(kind: .codebook, dtype: .f32, bytes: f32([-1, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1])),
            ]),
            // [16, 16] with every 4th element stored (64 values, mask bytes 0x11): the mask and the 2-bit
            // indices (0, 1, 2, 3 repeating → 0xE4) compress; the 16-byte codebook stays uncompressed.
            GoldenTensor(name: "masked", dtype: .f32, shape: [16, 16], encoding: Encoding(structure: .bitmask, coding: .codebook, bits: 2), storedCount: 64, sections: [
                SectionPayload(kind: .bitmask, dtype: .u8, bytes: [UInt8](repeating: 0x11, count: 32)),
                SectionPayload(kind: .values, dtype: .u8, bytes: [UInt8](repeating: 0xE4, count: 16)),
                SectionPayload(kind: .codebook, dtype: .f32, bytes: f32([0, 1, 2, 3])),
            ], zlibLevel: 9),
        ]),
        // Format 1.2: packed payload (preamble flag bit 1, FORMAT.md §8.1). Only `w`'s 64-byte f32 values are
        // used in place and 64-byte aligned; the short row pointers, columns, int8 values and scale, and the
        // zlib-compressed bias follow the previous section without padding, and so does the header.
        GoldenFixture(name: "packed", metadata: ["pare.producer": .string("pare golden fixtures")], tensors: [
            // [4, 40]: four non-zeros per row at columns 0, 10, 20, 30.
            GoldenTensor(name: "w", dtype: .f32, shape: [4, 40], encoding: Encoding(structure: .csr), storedCount: 16, sections: [
                SectionPayload(kind: .rowPointers, dtype: .u16, bytes: le([UInt16(0), 4, 8, 12, 16])),
                SectionPayload(kind: .columnIndices, dtype: .u8, bytes: (0..<16).map { UInt8($0 % 4 * 10) }),
                SectionPayload(kind: .values, dtype: .f32, bytes: f32((0..<16).map { Float($0) - 7.5 })),
            ]),
            dense("b", .f32, [40], f32((0..<40).map { Float($0 % 2) }), zlib: 9),
            GoldenTensor(name: "q", dtype: .f32, shape: [1, 3], encoding: Encoding(coding: .int8, granularity: .tensor), storedCount: 3, sections: [
                SectionPayload(kind: .values, dtype: .i8, bytes: le([Int8(-127), 1, 127])),
                SectionPayload(kind: .scales, dtype: .f32, bytes: f32([0.5])),
            ]),
        ], layout: .packed),
    ]
}
