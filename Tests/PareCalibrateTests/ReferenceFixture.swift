import Foundation
import PareFormat
import PareInterchange

/// Fixtures/reference.npz, made by Fixtures/make_reference.py (NumPy): a fixed [8, 64] layer, its
/// calibration inputs X [96, 64] (column 5 dead), H = XᵀX, U and each method's expected output.
struct ReferenceFixture {
    static let rows = 8, columns = 64
    let archive: NpzFile

    init() throws {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        archive = try NpzFile(path: here.appendingPathComponent("Fixtures/reference.npz").path)
    }

    func floats(_ name: String) throws -> [Float] { try archive.tensor(named: name).floats() }

    /// An f64 array read as doubles (`DenseTensor.floats()` would round them to f32).
    func doubles(_ name: String) throws -> [Double] {
        let tensor = try archive.tensor(named: name)
        guard tensor.dtype == .f64 else { throw PareError.invalidArgument("\(name) is \(tensor.dtype.name), not f64") }
        return tensor.bytes.withUnsafeBytes { raw in
            (0..<tensor.elementCount).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
        }
    }

    /// The repository's Fixtures folder (the tiny random BERT lives in Fixtures/bert).
    static var repositoryFixtures: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures").path
    }
}

/// Largest |a − b| / (|b| + 1) over two double arrays; +∞ on length mismatch or non-finite values.
func worstDoubleError(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    var worst = 0.0
    for (x, y) in zip(a, b) {
        guard x.isFinite, y.isFinite else { return .infinity }
        worst = max(worst, abs(x - y) / (abs(y) + 1))
    }
    return worst
}
