import Foundation
import PareText

/// The files of `Fixtures/tokenizer` (made by its `make_fixture.py` with Hugging Face `tokenizers`).
enum TokenizerFixture {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tokenizer")

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The input texts, exactly (JSON keeps NUL, lone CR and the like intact).
    static let texts: [String] = {
        let data = try! Data(contentsOf: url("texts.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String]
    }()

    /// One tokenizer configuration of expected.json.
    struct Config {
        let name: String
        let vocabFile: String
        let tokenizerJSON: String?
        let lowercase: Bool
        let stripAccents: Bool?
        /// Per line: the ids `tokenizers` gives with [CLS]/[SEP], no truncation.
        let ids: [[Int32]]
        /// Per line and max length: the ids after truncation.
        let truncated: [Int: [[Int32]]]
        /// Lines where the pure-Python BertTokenizer disagrees with `tokenizers`.
        let slowDiffers: [Int]

        var settings: TokenizerSettings {
            TokenizerSettings(lowercase: lowercase, stripAccents: stripAccents)
        }
    }

    static let configs: [Config] = {
        let data = try! Data(contentsOf: url("expected.json"))
        let root = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        let maxLengths = (root["max_lengths"] as! [NSNumber]).map(\.intValue)
        let configs = root["configs"] as! [String: Any]
        return configs.keys.sorted().map { name in
            let config = configs[name] as! [String: Any]
            let lines = config["lines"] as! [[String: Any]]
            func ids(_ value: Any?) -> [Int32] { (value as! [NSNumber]).map { Int32($0.intValue) } }
            var truncated: [Int: [[Int32]]] = [:]
            for length in maxLengths {
                truncated[length] = lines.map { ids(($0["truncated"] as! [String: Any])[String(length)]) }
            }
            return Config(
                name: name,
                vocabFile: config["vocab"] as! String,
                tokenizerJSON: config["tokenizer_json"] as? String,
                lowercase: config["lowercase"] as! Bool,
                stripAccents: config["strip_accents"] as? Bool,
                ids: lines.map { ids($0["ids"]) },
                truncated: truncated,
                slowDiffers: (config["slow_differs_on_lines"] as! [NSNumber]).map(\.intValue)
            )
        }
    }()
}
