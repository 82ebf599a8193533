import PareConvert

/// Draws a converter's progress on stderr: one bar per phase, cleared when the phase ends.
final class ConvertProgressBar {
    private let console: Console
    private var bar: ProgressBar?
    private var phase: ConvertProgress.Phase?

    init(console: Console) {
        self.console = console
    }

    func show(_ progress: ConvertProgress) {
        if phase != progress.phase {
            bar?.finish()
            bar = ProgressBar(console: console, total: progress.total)
            phase = progress.phase
        }
        bar?.update(progress.completed, label: progress.label)
        if progress.isFinished {
            bar?.finish()
        }
    }
}
