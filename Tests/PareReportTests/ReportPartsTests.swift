import Foundation
import PareFormat
import Testing
@testable import PareReport

@Suite struct ReportPartsTests {
    @Test func markupEscapesTextAndAttributes() {
        #expect(Markup.escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;")
        #expect(Markup.escape("bell\u{7}tab\tnl\n") == "bell\u{FFFD}tab\tnl\n")
        var m = Markup()
        m.element("p", ["title": "\"><script>"], text: "</p><script>")
        #expect(m.text == "<p title=\"&quot;&gt;&lt;script&gt;\">&lt;/p&gt;&lt;script&gt;</p>")
        #expect(PageInspector(m.text).parseError == nil)
    }

    @Test func histogramBinsEveryValueOnce() {
        let values: [Float] = [-1, -0.5, 0, 0, 0.25, 1, .nan, .infinity]
        let h = WeightHistogram(values, bins: 4)
        #expect(h.lower == -1 && h.upper == 1)
        #expect(h.counts == [1, 1, 3, 1])
        #expect(h.zeros == 2 && h.nonFinite == 2)
        #expect(h.total == values.count)
        // A shared, narrower range clamps outliers into the end bins instead of dropping them.
        var narrow = WeightHistogram(lower: -0.5, upper: 0.5, bins: 2)
        narrow.add(values)
        #expect(narrow.total == values.count)
        // Constant and empty inputs still make a valid range.
        #expect(WeightHistogram([2, 2, 2], bins: 3).counts.reduce(0, +) == 3)
        #expect(WeightHistogram([], bins: 3).total == 0)
    }

    @Test func layerGroupsFollowTransformerNames() {
        #expect(TensorGroups.key(of: "encoder.layer.11.attention.self.query.weight") == "encoder.layer.11")
        #expect(TensorGroups.key(of: "blk.3.attn_q.weight") == "blk.3")
        #expect(TensorGroups.key(of: "model.layers.0.mlp.up_proj.weight") == "model.layers.0")
        #expect(TensorGroups.key(of: "transformer.h.7.mlp.c_fc.weight") == "transformer.h.7")
        #expect(TensorGroups.key(of: "embeddings.word_embeddings.weight") == "embeddings")
        #expect(TensorGroups.key(of: "token_embd.weight") == "token_embd")
        #expect(TensorGroups.key(of: "fc1") == "fc1")
        #expect(TensorGroups.key(of: "layer.x.weight") == "layer")
        let small = ["fc1.weight", "fc1.bias", "fc2.weight"]
        #expect(!TensorGroups.shouldGroup(small))
        let many = (0..<30).map { "blk.\($0 / 3).w\($0 % 3)" }
        #expect(TensorGroups.shouldGroup(many))
        #expect(TensorGroups.group(many).count == 10)
        #expect(!TensorGroups.shouldGroup((0..<30).map { "t\($0)" }))
    }

    @Test func paretoFrontKeepsOnlyUndominatedVariants() {
        let bytes: [UInt64] = [1000, 100, 120, 50, 60, 10]
        let accuracy = [0.94, 0.935, 0.930, 0.933, 0.934, 0.90]
        // 120 @ .930 is beaten by 100 @ .935; 60 @ .934 survives (more accurate than 50).
        #expect(VariantComparison.paretoFront(bytes: bytes, accuracy: accuracy) == [5, 3, 4, 1, 0])
        // Ties: the same size and accuracy twice keeps both.
        #expect(VariantComparison.paretoFront(bytes: [5, 5], accuracy: [0.5, 0.5]) == [0, 1])
    }

    @Test func comparisonPageIsWellFormed() throws {
        let dir = try TemporaryDirectory()
        var variants: [VariantComparison.Variant] = []
        for (i, dense) in [true, false].enumerated() {
            let path = dir.file("v\(i).pare")
            _ = try writeSmallModel(path, dense: dense)
            variants.append(.init(name: dense ? "dense" : "sparse <90>", file: path, accuracy: dense ? 0.94 : 0.93))
        }
        let page = try VariantComparison(title: "two & more", variants: variants).render()
        let inspector = PageInspector(page)
        #expect(inspector.parseError == nil, "\(inspector.parseError ?? "")")
        #expect(inspector.externalReferences(in: page).isEmpty)
        #expect(inspector.text.contains("sparse <90>"))
        #expect(inspector.all("circle").count == 2)
        #expect(inspector.all("path").contains { $0.attributes["class"] == "front" })
    }
}
