/// A one-line progress bar on stderr, drawn only when stderr is a terminal (so logs and pipes stay clean).
///
/// `[##########··········]  12/40  fc1.weight`
public final class ProgressBar {
    private let console: Console
    private let total: Int
    private let width = 24
    private var drawn = false

    /// A bar counting to `total` steps on `console.err`.
    public init(console: Console, total: Int) {
        self.console = console
        self.total = max(total, 0)
    }

    /// True when the bar draws anything.
    public var isVisible: Bool { console.errIsTerminal && total > 0 }

    /// Redraws the bar at `done` steps with a short label.
    public func update(_ done: Int, label: String = "") {
        guard isVisible else { return }
        let clamped = min(max(done, 0), total)
        let filled = clamped * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "·", count: width - filled)
        let shortLabel = label.count > 40 ? "…" + label.suffix(39) : label
        console.err.write("\r\u{1B}[2K[\(bar)] \(clamped)/\(total)  \(shortLabel)")
        drawn = true
    }

    /// Clears the bar's line.
    public func finish() {
        guard drawn else { return }
        console.err.write("\r\u{1B}[2K")
        drawn = false
    }
}
