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

    /// zlib level of the image data. Not 9: on a two-valued picture (a mask at one pixel per weight)
    /// level 9's 4096-long hash chains cost seconds per image; level 6 is ~30× faster and within a
    /// few per cent of its size.
    static let zlibLevel = 6

    /// The PNG file bytes: signature, IHDR, one IDAT (filter 0 each row), IEND. A picture of only
    /// black and white (a mask at one pixel per weight) is written 1 bit per pixel: 8× less to
    /// compress and to embed.
    public func encoded() -> [UInt8] {
        precondition(width > 0 && height > 0 && pixels.count == width * height, "PNG of \(width)×\(height) needs \(width * height) pixels")
        let bilevel = pixels.allSatisfy { $0 == 0 || $0 == 255 }
        let rowBytes = bilevel ? (width + 7) / 8 : width
        var raw = [UInt8](repeating: 0, count: height * (rowBytes + 1))
        pixels.withUnsafeBufferPointer { source in
            for row in 0..<height {
                let out = row * (rowBytes + 1) + 1  // byte 0 of each row: filter type 0
                let line = row * width
                if bilevel {
                    for x in 0..<width where source[line + x] == 255 { raw[out + x >> 3] |= 0x80 >> UInt8(x & 7) }
                } else {
                    for x in 0..<width { raw[out + x] = source[line + x] }
                }
            }
        }
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        Self.bigEndian(UInt32(width), into: &header)
        Self.bigEndian(UInt32(height), into: &header)
        header += [bilevel ? 1 : 8, 0, 0, 0, 0]  // bit depth, gray, deflate, adaptive filtering, no interlace
        Self.chunk("IHDR", header, into: &out)
        Self.chunk("IDAT", Zlib.compress(raw, level: Self.zlibLevel), into: &out)
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
