/// Shell-style name patterns: `*` matches any run of characters (dots included), `?` one character,
/// everything else itself. `*.bias` matches `fc1.bias`; `layers.*.attn.*` matches `layers.3.attn.q`.
public struct Glob: Hashable, Sendable {
    /// The pattern text.
    public let pattern: String
    private let characters: [Character]

    /// Compiles a pattern.
    public init(_ pattern: String) {
        self.pattern = pattern
        self.characters = Array(pattern)
    }

    /// True when the whole of `name` matches.
    public func matches(_ name: String) -> Bool {
        let text = Array(name)
        // Iterative matching with backtracking to the last `*`: linear-ish, no recursion.
        var p = 0, t = 0, star = -1, mark = 0
        while t < text.count {
            if p < characters.count, characters[p] == "?" || characters[p] == text[t] {
                p += 1; t += 1
            } else if p < characters.count, characters[p] == "*" {
                star = p; mark = t; p += 1
            } else if star >= 0 {
                p = star + 1; mark += 1; t = mark
            } else {
                return false
            }
        }
        while p < characters.count, characters[p] == "*" { p += 1 }
        return p == characters.count
    }
}
