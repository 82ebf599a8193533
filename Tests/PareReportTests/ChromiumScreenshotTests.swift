import Foundation
import Testing
@testable import PareReport

/// The page as a person sees it: headless Chromium renders it at 1400 px and the screenshot must
/// show something — many colours and a good share of non-background pixels. Skipped, with a notice,
/// where Chromium is not installed (CI installs it: .ci/run).
@Suite struct ChromiumScreenshotTests {
    static func chromium() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }

    /// Runs Chromium on `page` and returns the decoded screenshot.
    static func screenshot(_ chromium: String, page: String, dir: TemporaryDirectory, width: Int, height: Int) throws -> DecodedPNG {
        let html = dir.file("page.html")
        let png = dir.file("shot.png")
        try page.write(toFile: html, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                             "--user-data-dir=\(dir.file("profile"))", "--window-size=\(width),\(height)",
                             "--screenshot=\(png)", URL(fileURLWithPath: html).absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(90)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning {
            process.terminate()
            throw DecodedPNG.Failure(description: "chromium did not finish in 90 s")
        }
        return try DecodedPNG([UInt8](Data(contentsOf: URL(fileURLWithPath: png))))
    }

    /// Share of pixels that differ from the most common colour, and the number of distinct colours.
    static func content(_ png: DecodedPNG) -> (share: Double, colours: Int) {
        var histogram: [UInt32: Int] = [:]
        let c = png.channels
        for i in stride(from: 0, to: png.pixels.count, by: c) {
            var key: UInt32 = 0
            for k in 0..<min(c, 3) { key = key << 8 | UInt32(png.pixels[i + k]) }
            histogram[key, default: 0] += 1
        }
        let total = png.pixels.count / c
        let background = histogram.values.max() ?? 0
        return (Double(total - background) / Double(max(total, 1)), histogram.count)
    }

    @Test func modelPageRendersVisibly() throws {
        guard let chromium = Self.chromium() else {
            print("NOTICE: chromium not installed; ChromiumScreenshotTests.modelPageRendersVisibly skipped (apt-get install chromium)")
            return
        }
        let dir = try TemporaryDirectory()
        let model = dir.file("small.pare")
        let reference = dir.file("dense.pare")
        _ = try writeSmallModel(model)
        _ = try writeSmallModel(reference, dense: true)
        let page = try ModelReport(file: model, compare: [reference]).render()
        let shot = try Self.screenshot(chromium, page: page, dir: dir, width: 1400, height: 2000)
        #expect(shot.width == 1400 && shot.height == 2000)
        let (share, colours) = Self.content(shot)
        print("chromium screenshot: \(String(format: "%.1f", share * 100)) % non-background pixels, \(colours) colours")
        #expect(share > 0.05, "the screenshot is nearly blank")
        #expect(colours > 50)
        // A blank page for contrast: the same measure must be near zero there.
        let blank = try Self.screenshot(chromium, page: "<!DOCTYPE html><html><body></body></html>", dir: dir, width: 1400, height: 2000)
        #expect(Self.content(blank).share < 0.01)
    }

    @Test func phoneWidthRendersVisibly() throws {
        guard let chromium = Self.chromium() else {
            print("NOTICE: chromium not installed; ChromiumScreenshotTests.phoneWidthRendersVisibly skipped")
            return
        }
        let dir = try TemporaryDirectory()
        let model = dir.file("small.pare")
        _ = try writeSmallModel(model)
        let shot = try Self.screenshot(chromium, page: try ModelReport(file: model).render(), dir: dir, width: 390, height: 1600)
        #expect(shot.width == 390)
        #expect(Self.content(shot).share > 0.05)
    }
}
