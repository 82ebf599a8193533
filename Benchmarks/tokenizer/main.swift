// Tokenizer throughput: PareText's WordPieceTokenizer on the fixture texts (Fixtures/tokenizer/texts.json)
// with the all-MiniLM-L6-v2 vocabulary. Built by run.sh with `swiftc -O -wmo` straight from Sources/PareText.
import Foundation

func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func wallSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

let fixtures = URL(fileURLWithPath: CommandLine.arguments[1])
let rounds = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2])! : 200
let texts = try! JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("texts.json"))) as! [String]
let bytes = texts.reduce(0) { $0 + $1.utf8.count }

let loadStart = wallSeconds()
let file = try! HuggingFaceTokenizerFile(contentsOf: fixtures.appendingPathComponent("tokenizer_uncased.json"))
let jsonLoad = wallSeconds() - loadStart
let textStart = wallSeconds()
let vocabulary = try! WordPieceVocabulary(contentsOf: fixtures.appendingPathComponent("vocab_uncased.txt"))
let textLoad = wallSeconds() - textStart
let tokenizer = try! WordPieceTokenizer(vocabulary: vocabulary, settings: .uncased)
print("load: tokenizer.json \(String(format: "%.1f", jsonLoad * 1000)) ms, vocab.txt \(String(format: "%.1f", textLoad * 1000)) ms (\(file.vocabulary.count) tokens)")

// Plain English sentences (the kind of text an embedding model sees), made from the fixture's first lines.
let english = Array(texts[0 ..< 25]) + [
    "A man is playing a guitar on the street while people walk by.",
    "The new movie was praised by critics for its stunning visuals and strong performances.",
    "Researchers found that regular exercise improves memory in older adults.",
]

for (name, set) in [("fixture (\(texts.count) varied lines)", texts), ("English lines only", english)] {
    var checksum = 0
    for text in set { checksum &+= tokenizer.encode(text, maxLength: 128).ids.count } // warm-up
    var best = (cpu: Double.infinity, wall: Double.infinity)
    for _ in 0 ..< 5 {
        let cpu0 = threadCPUSeconds(), wall0 = wallSeconds()
        for _ in 0 ..< rounds { for text in set { checksum &+= tokenizer.encode(text, maxLength: 128).ids.count } }
        best.cpu = min(best.cpu, threadCPUSeconds() - cpu0)
        best.wall = min(best.wall, wallSeconds() - wall0)
    }
    let sentences = Double(rounds * set.count)
    let setBytes = Double(rounds * set.reduce(0) { $0 + $1.utf8.count })
    print(String(format: "%@: %.0f sentences/s CPU (%.0f wall), %.1f MB/s CPU, %.2f µs/sentence CPU   [checksum %d]",
                 name, sentences / best.cpu, sentences / best.wall, setBytes / best.cpu / 1e6, best.cpu / sentences * 1e6, checksum))
}
print("fixture: \(texts.count) lines, \(bytes) bytes; encode(maxLength: 128), one thread, best of 5 × \(rounds) rounds")
