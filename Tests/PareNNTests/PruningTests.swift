import Testing
@testable import PareNN

@Suite struct PruningTests {
    func net(_ seed: UInt64 = 1) throws -> Network { try Network.mlp("6-10-8-3", seed: seed) }

    @Test func magnitudeLayerScopeHitsEachTensorExactly() throws {
        let n = try net()
        try Pruner(criterion: .magnitude, scope: .layer).prune(n, to: .sparsity(0.5))
        for w in n.weights {
            #expect(w.sparsity == 0.5)
            // Every kept weight is at least as large as every pruned one.
            let kept = w.value.filter { $0 != 0 }.map(abs).min()!
            let original = try self.net().weights.first { $0.name == w.name }!.value
            let prunedMax = zip(original, w.mask!).filter { $0.1 == 0 }.map { abs($0.0) }.max()!
            #expect(kept >= prunedMax)
        }
        #expect(n.parameters.filter { !$0.isWeight }.allSatisfy { !$0.value.contains(0) })  // biases are never pruned
    }

    @Test func magnitudeGlobalScopeRanksAcrossLayers() throws {
        let n = try net()
        let all = n.weights.flatMap(\.value).map(abs).sorted()
        try Pruner(criterion: .magnitude, scope: .global).prune(n, to: .sparsity(0.75))
        #expect(abs(n.sparsity - 0.75) < 1.0 / Double(all.count))
        let cut = all[Int((0.75 * Double(all.count)).rounded())]
        for w in n.weights { for v in w.value where v != 0 { #expect(abs(v) >= cut) } }
        // One ranking across layers: the tensors end up with different sparsities.
        #expect(Set(n.weights.map(\.sparsity)).count > 1)
    }

    @Test func thresholdTarget() throws {
        let n = try net()
        try Pruner(criterion: .magnitude, scope: .global).prune(n, to: .threshold(0.2))
        for w in n.weights { for (v, m) in zip(w.value, w.mask!) { #expect((m == 0) == (v == 0)) ; if m == 1 { #expect(abs(v) >= 0.2) } } }
    }

    @Test func randomIsSeededAndMasksOnlyGrow() throws {
        let a = try net(), b = try net()
        try Pruner(criterion: .random(seed: 5), scope: .layer).prune(a, to: .sparsity(0.3))
        try Pruner(criterion: .random(seed: 5), scope: .layer).prune(b, to: .sparsity(0.3))
        #expect(a.masks == b.masks)
        let first = a.masks
        try Pruner(criterion: .magnitude, scope: .layer).prune(a, to: .sparsity(0.6))
        for (name, mask) in first { for i in mask.indices where mask[i] == 0 { #expect(a.masks[name]![i] == 0) } }
        #expect(a.weights.allSatisfy { abs($0.sparsity - 0.6) < 0.05 })
    }

    @Test func gradientCriterionPrunesWeightsTheLossIgnores() throws {
        // Feature 0 is always zero, so fc1's column 0 never receives gradient: it must go first.
        var x = randomValues(64 * 6, seed: 2)
        for n in 0..<64 { x[n * 6] = 0 }
        let data = try Dataset(inputs: x, labels: (0..<64).map { $0 % 3 }, sampleShape: [6])
        let n = try net()
        let pruner = Pruner(criterion: .gradient, scope: .layer)
        let sums = pruner.accumulate(n, data: data, batchSize: 16)
        #expect((0..<10).allSatisfy { sums["fc1.weight"]![$0 * 6] == 0 })
        #expect(sums["fc1.weight"]!.filter { $0 > 0 }.count == 50)
        try pruner.prune(n, to: .threshold(1e-12), gradients: sums)
        let mask = n.masks["fc1.weight"]!
        #expect((0..<10).allSatisfy { mask[$0 * 6] == 0 })
        #expect(mask.filter { $0 == 0 }.count == 10)
        #expect(throws: NNError.self) { try pruner.prune(n, to: .sparsity(0.5)) }  // no gradients given
    }

    @Test func taylorScoresAreWeightTimesGradient() throws {
        let data = try synthetic(count: 32, features: 6, classes: 3, seed: 3)
        let n = try net()
        let taylor = Pruner(criterion: .taylor).accumulate(n, data: data, batchSize: 32)
        let gradient = Pruner(criterion: .gradient).accumulate(n, data: data, batchSize: 32)
        for w in n.weights {
            for i in 0..<w.count { #expect(abs(taylor[w.name]![i] - abs(w.value[i]) * gradient[w.name]![i]) < 1e-6) }
        }
        try Pruner(criterion: .taylor, scope: .global).prune(n, to: .sparsity(0.4), gradients: taylor)
        #expect(abs(n.sparsity - 0.4) < 0.01)
    }

    @Test func masksHoldThroughTrainingWithAdamMomentsZero() throws {
        let data = try synthetic(count: 96, features: 6, classes: 3, seed: 4)
        var n = try net()
        try Pruner().prune(n, to: .sparsity(0.7))
        let masks = n.masks
        // Drive the optimizer by hand to inspect its moments.
        let adam = Adam(learningRate: 1e-2)
        for start in stride(from: 0, to: 96, by: 32) {
            let (x, y) = data.batch(start..<start + 32)
            n.zeroGrad()
            n.backward(Loss.softmaxCrossEntropy.evaluate(output: n.forward(x), labels: y).gradient)
            adam.step(n.parameters)  // no gradient masking here: the optimizer alone must keep zeros
        }
        for (index, p) in n.parameters.enumerated() where p.isWeight {
            let (m, v) = adam.moments(of: index)
            for i in 0..<p.count where masks[p.name]![i] == 0 { #expect(p.value[i] == 0 && m[i] == 0 && v[i] == 0) }
        }
        // Through the trainer too, with clipping, L1/L2 and SGD momentum.
        for optimizer in [OptimizerConfig.adam(learningRate: 1e-2), .sgd(learningRate: 0.1, momentum: 0.9, weightDecay: 1e-3)] {
            try Trainer(config: TrainerConfig(epochs: 3, batchSize: 16, optimizer: optimizer, clipping: .globalNorm(1),
                                              regularization: Regularization(l1: 1e-3, l2: 1e-3), seed: 1)).fit(&n, train: data)
            for w in n.weights { for i in 0..<w.count where masks[w.name]![i] == 0 { #expect(w.value[i] == 0) } }
            #expect(n.masks == masks)
        }
    }

    @Test func oneShotScheduleFineTunes() throws {
        let d = try digits()
        var n = try Network.mlp("64-32-10", seed: 1)
        let trainer = Trainer(config: TrainerConfig(epochs: 6, batchSize: 32, seed: 1))
        try trainer.fit(&n, train: d.train)
        let report = try trainer.prune(&n, schedule: .oneShot(target: .sparsity(0.8), finetuneEpochs: 2),
                                       pruner: Pruner(), train: d.train, test: d.test)
        #expect(report.epochs.count == 2 && report.roundSparsities.count == 1)
        #expect(abs(report.sparsity - 0.8) < 0.01 && report.test!.accuracy > 0.8)
    }

    @Test func iterativeScheduleReachesTargetOrStopsOnAccuracy() throws {
        let d = try digits()
        var n = try Network.mlp("64-32-10", seed: 1)
        let trainer = Trainer(config: TrainerConfig(epochs: 5, batchSize: 32, seed: 1))
        try trainer.fit(&n, train: d.train)
        let report = try trainer.prune(&n, schedule: .iterative(stepFraction: 0.5, targetSparsity: 0.8, epochsPerRound: 1, maxAccuracyDrop: 0.2),
                                       pruner: Pruner(), train: d.train, test: d.test)
        // 0.5 → 0.75 → 0.8 (capped)
        #expect(report.roundSparsities.count == 3 && abs(report.sparsity - 0.8) < 0.01 && !report.stoppedOnAccuracy)
        // A zero tolerance for accuracy loss at 99.9% sparsity must stop and undo the round.
        var m = try Network.mlp("64-32-10", seed: 1)
        try trainer.fit(&m, train: d.train)
        let stopped = try trainer.prune(&m, schedule: .iterative(stepFraction: 0.999, targetSparsity: 0.999, epochsPerRound: 1, maxAccuracyDrop: 0),
                                        pruner: Pruner(), train: d.train, test: d.test)
        #expect(stopped.stoppedOnAccuracy && m.sparsity < 0.01)
    }

    @Test func gradualScheduleFollowsTheCubic() throws {
        let g = GradualPruning(initialSparsity: 0, finalSparsity: 0.9, startStep: 10, frequency: 5, events: 4)
        #expect(g.target(atStep: 9) == nil && g.target(atStep: 11) == nil && g.target(atStep: 35) == nil)
        #expect(g.target(atStep: 10) == 0)
        #expect(abs(g.target(atStep: 15)! - 0.9 * (1 - 0.421875)) < 1e-12)  // (1 − 1/4)³ = 0.421875
        #expect(g.target(atStep: 30) == 0.9)
        let d = try digits()
        var n = try Network.mlp("64-32-10", seed: 1)
        let report = try Trainer(config: TrainerConfig(epochs: 4, batchSize: 32, optimizer: .adam(learningRate: 5e-3), seed: 1))
            .prune(&n, schedule: .gradual(finalSparsity: 0.7, epochs: 4, rampFraction: 0.5, frequency: 5),
                   pruner: Pruner(), train: d.train, test: d.test)
        let sparsities = report.epochs.map(\.sparsity)
        #expect(sparsities == sparsities.sorted() && abs(sparsities.last! - 0.7) < 0.01)
        #expect(report.test!.accuracy > 0.7)
    }

    @Test func gradualWithGradientCriterionRuns() throws {
        let data = try synthetic(count: 64, features: 6, classes: 3, seed: 6)
        var n = try net()
        let report = try Trainer(config: TrainerConfig(epochs: 2, batchSize: 16, seed: 1))
            .prune(&n, schedule: .gradual(finalSparsity: 0.5, epochs: 2, rampFraction: 1, frequency: 2),
                   pruner: Pruner(criterion: .taylor, scope: .layer), train: data)
        #expect(report.sparsity > 0.4)
    }
}
