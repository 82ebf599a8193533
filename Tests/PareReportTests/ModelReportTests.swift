import Foundation
import PareEncodings
import PareFormat
import Testing
@testable import PareReport

@Suite struct ModelReportTests {
    @Test func pageIsWellFormedSelfContainedAndNamesEveryTensor() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("small.pare")
        let tensors = try writeSmallModel(path)
        let page = try ModelReport(file: path).render()
        let inspector = PageInspector(page)
        #expect(inspector.parseError == nil, "\(inspector.parseError ?? "")")
        #expect(inspector.externalReferences(in: page).isEmpty, "\(inspector.externalReferences(in: page))")
        for t in tensors {
            #expect(inspector.text.contains(t.name), "tensor \(t.name) not named on the page")
        }
        // The odd name and the hostile metadata arrive escaped, never as markup.
        #expect(!page.contains("<name>"))
        #expect(!page.contains("<script>"))
        #expect(inspector.text.contains("<script>alert(1)</script>"))
        #expect(!page.contains("\u{7}"))
        #expect(inspector.all("svg").count >= 10)
        // Training curves: three charts, each with a title.
        #expect(inspector.text.contains("Training"))
        #expect(inspector.text.contains("6 epochs: train 4 → prune 2"))
        // Header facts.
        #expect(inspector.text.contains("PareReportTests"))
        #expect(inspector.text.contains("784-300-10"))
        #expect(inspector.text.contains(Formatting.grouped(300 * 784 + 300 + 3000 + 10)))
    }

    @Test func fineTuneOnlyHistoryIsDrawnAfterTheReferencesTraining() throws {
        let dir = try TemporaryDirectory()
        let dense = dir.file("dense.pare")
        let tuned = dir.file("tuned.pare")
        let epoch = { (phase: String) in TrainingHistory.Epoch(phase: phase, loss: 0.5, trainAccuracy: 0.9, testAccuracy: 0.9, sparsity: 0, clipFraction: 1) }
        let w = FixtureTensor(name: "w", shape: [32, 32], values: sampleWeights(1024, seed: 5), options: CompressionOptions(index: .dense))
        try writeModel(dense, tensors: [w], metadata: [TrainingHistory.metadataKey: TrainingHistory(epochs: Array(repeating: epoch("train"), count: 4)).metadataValue])
        try writeModel(tuned, tensors: [w], metadata: [TrainingHistory.metadataKey: TrainingHistory(epochs: Array(repeating: epoch("prune"), count: 2)).metadataValue])
        #expect(try ModelReport(file: tuned, compare: [dense]).render().contains("6 epochs: train 4 → prune 2"))
        #expect(try ModelReport(file: tuned).render().contains("2 epochs: prune 2"))
        // A file with its own dense training never borrows the reference's.
        #expect(try ModelReport(file: dense, compare: [tuned]).render().contains("4 epochs: train 4"))
    }

    @Test func sameFilesGiveTheSameBytes() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("small.pare")
        _ = try writeSmallModel(path)
        let reference = dir.file("dense.pare")
        _ = try writeSmallModel(reference, dense: true)
        let first = try ModelReport(file: path, compare: [reference]).render()
        let second = try ModelReport(file: path, compare: [reference]).render()
        #expect(first == second)
    }

    @Test func histogramsCountEveryElementAndShareTheCompareRange() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("small.pare")
        let reference = dir.file("dense.pare")
        let tensors = try writeSmallModel(path)
        _ = try writeSmallModel(reference, dense: true)
        let analysis = try ModelAnalysis(path: path, compare: [reference], options: .init())
        let large = analysis.tensors.filter { $0.entry.elementCount >= 1024 }
        #expect(large.map(\.entry.name) == ["fc1.weight", "fc2.weight"])
        for f in analysis.tensors {
            guard let h = f.histogram else {
                #expect(f.entry.elementCount < 1024, "\(f.entry.name) has no histogram")
                continue
            }
            #expect(h.total == f.entry.elementCount)
            #expect(h.counts.reduce(0, +) == f.entry.elementCount)
            let c = try #require(f.compareHistogram)
            #expect(c.total == f.entry.elementCount)
            #expect(c.lower == h.lower && c.upper == h.upper && c.counts.count == h.counts.count)
            // The pruned file's zeros: at least the pruned fraction.
            let original = try #require(tensors.first { $0.name == f.entry.name })
            #expect(h.zeros >= original.values.filter { $0 == 0 }.count)
            // Errors were measured against the dense reference (no convert metadata here).
            #expect(f.errorSource == .compare)
            #expect((f.error?.relativeRMSError ?? 0) > 0)
        }
    }

    @Test func maskPicturesFitIn512PixelsAndEncodeThePattern() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("small.pare")
        _ = try writeSmallModel(path)
        let analysis = try ModelAnalysis(path: path, compare: [], options: .init())
        let masks = analysis.tensors.compactMap { f in f.mask.map { (f.entry.name, $0) } }
        #expect(masks.map(\.0) == ["fc1.weight", "fc2.weight"])
        let fc1 = try #require(masks.first?.1)
        // 784 columns > 512: two weights per pixel side.
        #expect(fc1.cellsPerPixel == 2)
        #expect(fc1.image.width == 392 && fc1.image.height == 150)
        let png = try DecodedPNG(fc1.image.encoded())
        #expect(png.width == 392 && png.height == 150 && png.channels == 1)
        #expect(png.pixels == fc1.image.pixels)
        let fc2 = try #require(masks.last?.1)
        #expect(fc2.cellsPerPixel == 1 && fc2.image.width == 300 && fc2.image.height == 10)
        // One pixel per weight is black and white: written 1 bit deep, read back exactly.
        let bilevel = try DecodedPNG(fc2.image.encoded())
        #expect(bilevel.bitDepth == 1 && bilevel.width == 300 && bilevel.height == 10)
        #expect(bilevel.pixels == fc2.image.pixels)
        #expect(png.bitDepth == 8)
    }

    @Test func maskPixelsAreTheShareOfKeptWeights() throws {
        // 4×6 weight, 2 cells per pixel (maxSide 3): pixel (0,0) covers rows 0–1, columns 0–1.
        var values = [Float](repeating: 0, count: 24)
        values[0] = 1; values[1] = 1; values[6] = 1; values[7] = 1  // block (0,0) all kept → black
        values[2] = 1  // block (0,1): 1 of 4 kept
        let mask = MaskPicture(values: values, rows: 4, columns: 6, maxSide: 3)
        #expect(mask.image.width == 3 && mask.image.height == 2)
        #expect(mask.image.pixels == [0, 191, 255, 255, 255, 255])
    }

    @Test func transformerFilesAreGroupedByLayerAndStaySmallAndFast() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("minilm-like.pare")
        let tensors = try writeTransformerModel(path)
        #expect(tensors.count >= 100)
        let started = Date()
        let page = try ModelReport(file: path).render()
        let seconds = Date().timeIntervalSince(started)
        print("report of a \(tensors.count)-tensor model: \(page.utf8.count) bytes in \(String(format: "%.3f", seconds)) s (debug build)")
        #expect(page.utf8.count < 5_000_000)
        let inspector = PageInspector(page)
        #expect(inspector.parseError == nil, "\(inspector.parseError ?? "")")
        #expect(inspector.externalReferences(in: page).isEmpty)
        for t in tensors { #expect(inspector.text.contains(t.name), "tensor \(t.name) not named") }
        // One collapsible block per layer plus embeddings and pooler.
        #expect(inspector.all("details").count == 6 + 2)
        #expect(inspector.text.contains("encoder.layer.5 — 16 tensors"))
    }

    @Test func convertErrorMetadataIsShownAndMismatchedArraysAreNoted() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("converted.pare")
        try writeModel(path, tensors: [FixtureTensor(name: "w", shape: [64, 64], values: sampleWeights(4096, seed: 9),
                                                     options: CompressionOptions(quantization: .q8_0, index: .dense))],
                       metadata: [MetadataKey.convertTensors: .array([.string("w")]),
                                  MetadataKey.convertMaxAbsError: .array([.float(0.00125)]),
                                  MetadataKey.convertRelRMSError: .array([.float(0.0042)])])
        let analysis = try ModelAnalysis(path: path, compare: [], options: .init())
        #expect(analysis.tensors[0].errorSource == .convert)
        #expect(analysis.tensors[0].error?.relativeRMSError == Float(0.0042))
        #expect(try ModelReport(file: path).render().contains("4.20e-03"))

        // Today's converter records positions in the tensor table instead of names.
        let positioned = dir.file("positioned.pare")
        try writeModel(positioned, tensors: [FixtureTensor(name: "w", shape: [64, 64], values: sampleWeights(4096, seed: 9),
                                                           options: CompressionOptions(quantization: .q8_0, index: .dense))],
                       metadata: [MetadataKey.convertTensors: .array([.int(0)]),
                                  MetadataKey.convertMaxAbsError: .array([.float(0.00125)]),
                                  MetadataKey.convertRelRMSError: .array([.float(0.0042)])])
        let byPosition = try ModelAnalysis(path: positioned, compare: [], options: .init())
        #expect(byPosition.tensors[0].errorSource == .convert)
        #expect(byPosition.tensors[0].error?.relativeRMSError == Float(0.0042))

        let bad = dir.file("bad.pare")
        try writeModel(bad, tensors: [FixtureTensor(name: "w", shape: [4], values: [1, 2, 3, 4], options: CompressionOptions(index: .dense))],
                       metadata: [MetadataKey.convertTensors: .array([.string("w")]), MetadataKey.convertMaxAbsError: .array([]),
                                  TrainingHistory.metadataKey: .string("phase loss\nnot a table")])
        let page = try ModelReport(file: bad).render()
        #expect(page.contains("convert error metadata ignored"))
        #expect(page.contains("training history not shown"))
        #expect(PageInspector(page).parseError == nil)
    }

    @Test func damagedFilesFailWithTheReadersTypedError() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("small.pare")
        _ = try writeSmallModel(path)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[200] ^= 0xFF  // inside fc1.weight's first section
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: PareError.self) { _ = try ModelReport(file: path).render() }
        #expect(throws: PareError.self) { _ = try ModelReport(file: dir.file("missing.pare")).render() }
    }

    @Test func writeIsAtomicAndReturnsTheSize() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("small.pare")
        _ = try writeSmallModel(path)
        let out = dir.file("page.html")
        let bytes = try ModelReport(file: path).write(to: out)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)).count == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["page.html", "small.pare"])
    }
}
