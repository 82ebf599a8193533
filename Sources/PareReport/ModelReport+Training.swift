import PareFormat

extension ModelReport {
    /// Loss, accuracy, sparsity and clipping per epoch, with the phases (dense training, pruning,
    /// QAT) marked: the curves say whether pruning hurt and whether fine-tuning recovered. `before`
    /// is the reference file's history, drawn first when this file records only its fine-tuning.
    func writeTraining(_ history: TrainingHistory, before: TrainingHistory?, referenceName: String?, into m: inout Markup) {
        m.element("h2", text: "Training")
        let inherited = before?.epochs ?? []
        let epochs = inherited + history.epochs
        guard !epochs.isEmpty else {
            m.element("p", ["class": "note"], text: "The training history has no epochs.")
            return
        }
        var phases: [(start: Int, name: String)] = []
        for (i, e) in epochs.enumerated() where i == 0 || epochs[i - 1].phase != e.phase {
            phases.append((i, e.phase))
        }
        let summary = phases.enumerated().map { index, phase in
            let end = index + 1 < phases.count ? phases[index + 1].start : epochs.count
            return "\(phase.name) \(end - phase.start)"
        }.joined(separator: " → ")
        var note = "\(epochs.count) epochs: \(summary). Test accuracy where it was measured."
        if !inherited.isEmpty {
            note += " This file records only its own fine-tuning; the first \(inherited.count) epochs are those recorded in \(referenceName ?? "the reference") (the --compare file)."
        }
        m.element("p", ["class": "note"], text: note)
        let accuracies = epochs.flatMap { [$0.trainAccuracy] + ($0.testAccuracy.map { [$0] } ?? []) }.filter(\.isFinite)
        let lowAccuracy = Swift.max(0, ((accuracies.min() ?? 0) * 20).rounded(.down) / 20)
        let charts = [
            LineChart(title: "loss by epoch", series: [.init(label: "loss", cssClass: "train", values: epochs.map(\.loss))],
                      phases: phases, yRange: nil),
            LineChart(title: "accuracy by epoch", series: [.init(label: "train", cssClass: "train", values: epochs.map(\.trainAccuracy)),
                                                  .init(label: "test", cssClass: "test", values: epochs.map(\.testAccuracy))],
                      phases: phases, yRange: (lowAccuracy, 1)),
            LineChart(title: "sparsity and clipping by epoch", series: [.init(label: "sparsity", cssClass: "sparsity", values: epochs.map(\.sparsity)),
                                                               .init(label: "clipped steps", cssClass: "clip", values: epochs.map(\.clipFraction))],
                      phases: phases, yRange: (0, 1)),
        ]
        let legends: [[(variable: String, label: String)]] = [
            [("train", "training loss (penalty included)")],
            [("train", "train (during the epoch)"), ("test", "test")],
            [("sparsity", "weight sparsity"), ("clip", "share of clipped steps")],
        ]
        m.element("div", ["class": "grid"]) { grid in
            for (chart, legend) in zip(charts, legends) {
                grid.element("div", ["class": "card"]) { card in
                    card.element("h3", text: chart.title)
                    Legend.write(legend, into: &card)
                    chart.write(into: &card)
                }
            }
        }
    }
}
