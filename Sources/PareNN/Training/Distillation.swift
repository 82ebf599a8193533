import Foundation

/// Knowledge distillation (Hinton, Vinyals, Dean 2015): the student matches the teacher's
/// temperature-softened distribution as well as the true labels.
///
/// loss = α · T² · KL(softmax(t/T) ‖ softmax(s/T)) + (1 − α) · CE(s, y), KL averaged over the batch.
/// The T² keeps the soft term's gradient on the same scale as the hard term when T changes.
public struct Distillation: Sendable {
    /// Teacher logits for a batch: given the batch input and the training-set indices of its
    /// samples, returns `[batch, classes]` logits.
    public var teacher: @Sendable (Tensor, [Int]) -> Tensor
    /// Softening temperature T > 0.
    public var temperature: Float
    /// Weight α ∈ [0, 1] of the soft (teacher) term.
    public var alpha: Float

    /// Creates a distillation setting with a teacher closure (for example a teacher network's forward pass).
    public init(temperature: Float, alpha: Float, teacher: @escaping @Sendable (Tensor, [Int]) -> Tensor) {
        self.teacher = teacher
        self.temperature = temperature
        self.alpha = alpha
    }

    /// A teacher network (for example rebuilt from a teacher `.pare` with `Network(description:tensors:)`):
    /// its forward pass gives the logits. The trainer is single-threaded, so sharing the network
    /// with the closure is safe as long as nothing else uses it during training.
    public init(teacher network: Network, temperature: Float, alpha: Float) {
        nonisolated(unsafe) let teacherNetwork = network
        self.init(temperature: temperature, alpha: alpha) { input, _ in teacherNetwork.forward(input) }
    }

    /// A teacher given as precomputed logits for every training sample (row `i` for sample `i`).
    public static func precomputed(_ logits: [Float], classes: Int, temperature: Float, alpha: Float) -> Distillation {
        Distillation(temperature: temperature, alpha: alpha) { _, rows in
            var out: [Float] = []
            out.reserveCapacity(rows.count * classes)
            for r in rows { out += logits[(r * classes)..<((r + 1) * classes)] }
            return Tensor(shape: [rows.count, classes], values: out)
        }
    }

    /// The combined loss and its gradient with respect to the student logits.
    public static func loss(student: Tensor, teacher: Tensor, labels: [Int], temperature t: Float, alpha: Float)
        -> (loss: Float, gradient: Tensor) {
        precondition(student.shape == teacher.shape, "student and teacher logits differ in shape")
        let classes = student.itemSize, batch = student.batch
        let hard = Loss.softmaxCrossEntropy.evaluate(output: student, labels: labels)
        let ps = Softmax.rows(student.values, columns: classes, temperature: t)
        let pt = Softmax.rows(teacher.values, columns: classes, temperature: t)
        var kl = 0.0
        var grad = hard.gradient.values
        for i in 0..<grad.count {
            if pt[i] > 0 { kl += Double(pt[i]) * (Foundation.log(Double(pt[i])) - Foundation.log(max(Double(ps[i]), 1e-30))) }
            // ∂(T²·KL/B)/∂s = T·(ps − pt)/B
            grad[i] = (1 - alpha) * grad[i] + alpha * t * (ps[i] - pt[i]) / Float(batch)
        }
        let soft = Float(kl / Double(batch)) * t * t
        return (alpha * soft + (1 - alpha) * hard.loss, Tensor(shape: student.shape, values: grad))
    }
}
