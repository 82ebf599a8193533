import Foundation
import PareFormat

/// An 8-bit grayscale PNG, written by hand (zlib and CRC-32 from PareFormat), for pictures an SVG
/// would make too large — a 512 × 512 mask is 262,144 cells but a few KB as a PNG.
public struct PNGImage: Sendable {
    /// Pixels per row.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Row-major gray levels, 0 black … 255 white.
    public let pixels: [UInt8]

    /// Creates an image; `pixels.count` must be `width × height` (checked by `encoded()`).
    public init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The PNG file bytes: signature, IHDR (8-bit gray), one IDAT (filter 0 each row, zlib 9), IEND.
    public func encoded() -> [UInt8] {
        precondition(width > 0 && height > 0 && pixels.count == width * height, "PNG of \(width)×\(height) needs \(width * height) pixels")
        var raw: [UInt8] = []
        raw.reserveCapacity(height * (width + 1))
        for row in 0..<height {
            raw.append(0)
            raw += pixels[row * width..<(row + 1) * width]
        }
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        Self.bigEndian(UInt32(width), into: &header)
        Self.bigEndian(UInt32(height), into: &header)
        header += [8, 0, 0, 0, 0]  // bit depth 8, gray, deflate, adaptive filtering, no interlace
        Self.chunk("IHDR", header, into: &out)
        Self.chunk("IDAT", Zlib.compress(raw, level: 9), into: &out)
        Self.chunk("IEND", [], into: &out)
        return out
    }

    /// `data:image/png;base64,…` for an `<img src>` inside the page (no file beside it).
    public func dataURI() -> String {
        "data:image/png;base64," + Data(encoded()).base64EncodedString()
    }

    private static func bigEndian(_ value: UInt32, into bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    private static func chunk(_ type: String, _ data: [UInt8], into out: inout [UInt8]) {
        bigEndian(UInt32(data.count), into: &out)
        let typed = Array(type.utf8) + data
        out += typed
        bigEndian(CRC32.checksum(typed), into: &out)
    }
}
