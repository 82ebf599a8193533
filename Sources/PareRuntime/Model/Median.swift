/// The middle of `values` (the upper middle for an even count), 0 when empty: the timing statistic
/// `Evaluator` and `RuntimeBenchmark` report, robust to the spikes of a shared machine.
func median(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.sorted()[values.count / 2] }
