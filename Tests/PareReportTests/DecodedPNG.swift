import PareFormat

/// A minimal PNG reader for the tests: 8-bit gray / gray+alpha / RGB / RGBA, not interlaced, all five
/// row filters — enough for our own masks and Chromium's screenshots.
struct DecodedPNG {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var width = 0
    var height = 0
    var channels = 0
    /// Row-major samples, `channels` per pixel.
    var pixels: [UInt8] = []
    /// 8, or 1 for a black-and-white picture (unpacked to 0 / 255 in `pixels`).
    var bitDepth = 8

    init(_ bytes: [UInt8]) throws {
        guard bytes.count > 8, Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { throw Failure(description: "not a PNG") }
        func u32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        var at = 8
        var idat: [UInt8] = []
        while at + 12 <= bytes.count {
            let length = u32(at)
            let type = String(decoding: bytes[at + 4..<at + 8], as: UTF8.self)
            guard at + 12 + length <= bytes.count else { throw Failure(description: "chunk \(type) runs past the end") }
            let data = Array(bytes[at + 8..<at + 8 + length])
            guard CRC32.checksum(Array(bytes[at + 4..<at + 8 + length])) == UInt32(u32(at + 8 + length)) else { throw Failure(description: "bad CRC in \(type)") }
            switch type {
            case "IHDR":
                width = u32(at + 8)
                height = u32(at + 12)
                bitDepth = Int(data[8])
                guard bitDepth == 8 || (bitDepth == 1 && data[9] == 0), data[12] == 0 else { throw Failure(description: "only 8-bit or 1-bit gray, non-interlaced PNGs") }
                switch data[9] {
                case 0: channels = 1
                case 2: channels = 3
                case 4: channels = 2
                case 6: channels = 4
                default: throw Failure(description: "colour type \(data[9]) not supported")
                }
            case "IDAT": idat += data
            default: break
            }
            at += 12 + length
        }
        if bitDepth == 1 {
            let rowBytes = (width + 7) / 8
            let raw = try idat.withUnsafeBytes { try Zlib.inflate($0, expectedLength: height * (rowBytes + 1)) }
            pixels = []
            for row in 0..<height {
                guard raw[row * (rowBytes + 1)] == 0 else { throw Failure(description: "1-bit rows are only read with filter 0") }
                for x in 0..<width {
                    let bit = raw[row * (rowBytes + 1) + 1 + x / 8] >> UInt8(7 - x % 8) & 1
                    pixels.append(bit == 1 ? 255 : 0)
                }
            }
            return
        }
        let stride = width * channels
        let raw = try idat.withUnsafeBytes { try Zlib.inflate($0, expectedLength: height * (stride + 1)) }
        pixels = [UInt8](repeating: 0, count: height * stride)
        for row in 0..<height {
            let filter = raw[row * (stride + 1)]
            for i in 0..<stride {
                let x = Int(raw[row * (stride + 1) + 1 + i])
                let a = i >= channels ? Int(pixels[row * stride + i - channels]) : 0
                let b = row > 0 ? Int(pixels[(row - 1) * stride + i]) : 0
                let c = row > 0 && i >= channels ? Int(pixels[(row - 1) * stride + i - channels]) : 0
                let predicted: Int
                switch filter {
                case 0: predicted = 0
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: throw Failure(description: "filter \(filter) in row \(row)")
                }
                pixels[row * stride + i] = UInt8((x + predicted) & 0xFF)
            }
        }
    }
}
