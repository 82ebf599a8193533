import Foundation
import PareFormat

/// Paths and expected values shared by the interchange tests (safetensors, .npy, .npz).
enum InteropFixtures {
    /// `Fixtures/interop` in the repository, made by `make_interop.py`.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/interop").path

    /// The path of a fixture file.
    static func path(_ name: String) -> String { directory + "/" + name }

    /// A fresh path in the temporary directory (the caller removes it).
    static func temporaryPath(_ suffix: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("interchange-\(UUID().uuidString)\(suffix)").path
    }

    /// One tensor of `expected.json`.
    struct Expected: Decodable {
        var dtype: String
        var shape: [Int]
        var values: [Double]

        /// The Pare dtype of NumPy's dtype name.
        var pareDType: DType {
            switch dtype {
            case "float32": return .f32
            case "float16": return .f16
            case "float64": return .f64
            case "int64": return .i64
            case "int32": return .i32
            case "int16": return .i16
            case "int8": return .i8
            case "uint8": return .u8
            case "bool": return .bool
            default: fatalError("unexpected dtype \(dtype) in expected.json")
            }
        }
    }

    /// `expected.json`: the values `make_interop.py` wrote into every fixture.
    struct ExpectedFile: Decodable {
        var metadata: [String: String]
        var tensors: [String: Expected]
    }

    /// Loads `expected.json`.
    static func expected() throws -> ExpectedFile {
        try JSONDecoder().decode(ExpectedFile.self, from: Data(contentsOf: URL(fileURLWithPath: path("expected.json"))))
    }

    /// Bytes of a file.
    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Writes `bytes` to a fresh temporary file and returns its path.
    static func write(_ bytes: [UInt8], suffix: String) throws -> String {
        let path = temporaryPath(suffix)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
