import Foundation
import PareFormat

/// One self-contained HTML page about a `.pare` model: what it is, where its bytes go, how sparse
/// and how accurate each tensor is, what its weights look like, and how it was trained.
///
/// The page has inline CSS and SVG only (PNG masks as data URIs): no script, font, stylesheet or
/// image from anywhere else, so it opens from disk, offline, in any browser. The same files give
/// the same bytes.
///
///     let html = try ModelReport(file: "m.pare", compare: ["dense.pare"]).render()
public struct ModelReport: Sendable {
    /// What is drawn, and how much.
    public struct Options: Sendable {
        /// Bins of each weight histogram.
        public var histogramBins = 60
        /// Floating-point tensors with at least this many elements get a histogram (the threshold
        /// `convert` uses for what it compresses, so biases and norms stay out of the way).
        public var largeTensorElements = 1024
        /// Longest side of a mask picture, in pixels.
        public var maxMaskSide = 512
        /// Files with more tensors than this, some of them in numbered layers, are shown by layer.
        public var groupThreshold = 24
        /// Longest metadata value shown in the metadata table (the model description can be long).
        public var metadataWidth = 240

        /// The defaults.
        public init() {}
    }

    /// The model file.
    public var file: String
    /// Files to compare with; the first is the reference for histograms and measured errors.
    public var compare: [String]
    /// Drawing options.
    public var options: Options

    /// A report of `file`, optionally against `compare`.
    public init(file: String, compare: [String] = [], options: Options = Options()) {
        self.file = file
        self.compare = compare
        self.options = options
    }

    /// The page. Reads and decodes every tensor once; throws the readers' typed errors (`PareError`)
    /// naming the file and tensor when a file is damaged.
    public func render() throws -> String {
        let analysis = try ModelAnalysis(path: file, compare: compare, options: options)
        var body = Markup()
        let name = Self.fileName(file)
        writeHeader(analysis, name: name, into: &body)
        if let history = analysis.history {
            writeTraining(history, before: analysis.referenceHistory, referenceName: compare.first.map(Self.fileName), into: &body)
        }
        if !analysis.compare.isEmpty { writeComparedFiles(analysis, into: &body) }
        if TensorGroups.shouldGroup(analysis.tensors.map(\.entry.name), threshold: options.groupThreshold) {
            writeGrouped(analysis, into: &body)
        } else {
            writeFlat(analysis, into: &body)
        }
        writeMetadata(analysis, into: &body)
        body.element("footer") {
            $0.write("Written by pare report from \(name) (Pare format \(analysis.file.version)). One file: inline CSS and SVG, no scripts, nothing loaded from elsewhere.")
        }
        return Page.document(title: "\(name) — pare report", body: body)
    }

    /// Renders and writes the page atomically (temporary file + rename); returns its size in bytes.
    @discardableResult
    public func write(to path: String) throws -> Int {
        try Self.writePage(try render(), to: path)
    }

    /// The last path component, as pages name files (never the reader's directories).
    static func fileName(_ path: String) -> String { (path as NSString).lastPathComponent }

    /// Writes a rendered page atomically; returns its size in bytes.
    static func writePage(_ html: String, to path: String) throws -> Int {
        let bytes = Array(html.utf8)
        let writer = try AtomicFileWriter(path: path)
        do {
            try writer.write(bytes)
            try writer.commit()
        } catch {
            writer.cancel()
            throw error
        }
        return bytes.count
    }
}
