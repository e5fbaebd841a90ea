/// fastai's `ActivationStats(with_hist=True)`: each layer's output mean, std, share near zero (≤ 0.05)
/// and `torch.histc(40, 0, 10)`, per training batch, to see activations collapse (fastbook ch. 13).
/// The hooks come off after the fit, leaving the model as it was.
public final class ActivationStats: Callback {
    /// What one layer's output looked like, batch by batch.
    public struct LayerStats {
        /// The layer's type, numbered by position among the hooked layers (`0 ConvLayer`).
        public let name: String
        /// Mean, standard deviation (unbiased, as `torch.std`) and fraction ≤ `nearZeroLimit` of each
        /// training batch's output.
        public internal(set) var means: [Float] = [], stds: [Float] = [], nearZero: [Float] = []
        /// Each training batch's histogram: `bins` counts over `histogramRange`.
        public internal(set) var histograms: [[Float]] = []
    }

    /// Number of histogram bins and the range they cover.
    public let bins: Int, histogramRange: ClosedRange<Float>
    /// Activations at most this large count as near zero.
    public let nearZeroLimit: Float
    /// One entry per hooked layer, in the model's order.
    public private(set) var layers: [LayerStats] = []
    /// The layers hooked during the current fit, and the hooks they had before.
    private var hooked: [(module: Module, previous: ((Tensor, [Tensor]) -> Void)?)] = []

    /// A recorder with fastai's settings by default: 40 bins over 0…10, near zero meaning ≤ 0.05.
    public init(bins: Int = 40, histogramRange: ClosedRange<Float> = 0...10, nearZeroLimit: Float = 0.05) {
        precondition(
            bins > 0 && histogramRange.upperBound > histogramRange.lowerBound, "ActivationStats: bad histogram")
        self.bins = bins
        self.histogramRange = histogramRange
        self.nearZeroLimit = nearZeroLimit
    }

    /// The modules that get a hook: every module holding parameters of its own, in order (fastai's
    /// `has_params` over the flattened model).
    public static func layersWithParameters(_ model: Module) -> [Module] {
        (model.ownParameters.isEmpty ? [] : [model]) + model.children.flatMap { layersWithParameters($0) }
    }

    public override func beforeFit() throws {
        removeHooks()
        let modules = ActivationStats.layersWithParameters(self.model)
        layers = modules.enumerated().map { i, m in LayerStats(name: "\(i) \(type(of: m))") }
        for (i, module) in modules.enumerated() {
            let previous = module.hook
            hooked.append((module, previous))
            // Weak: a hook left behind by a fit that ended in an error must not keep the callback alive.
            module.hook = { [weak self] output, inputs in
                previous?(output, inputs)
                self?.record(output, layer: i)
            }
        }
    }

    public override func afterFit() throws { removeHooks() }

    /// Takes the hooks off, putting back whatever hooks the layers had. `afterFit` does this; call it
    /// yourself if a fit stopped with an error (then `afterFit` does not run).
    public func removeHooks() {
        for (module, previous) in hooked { module.hook = previous }
        hooked = []
    }

    /// Whether the layers carry this recorder's hooks now.
    public var isHooked: Bool { !hooked.isEmpty }

    private func record(_ output: Tensor, layer: Int) {
        guard let learner, learner.training, layer < layers.count else { return }
        let summary = ActivationStats.summarize(
            output.detach().toArray(), bins: bins, range: histogramRange, nearZeroLimit: nearZeroLimit)
        layers[layer].means.append(summary.mean)
        layers[layer].stds.append(summary.std)
        layers[layer].nearZero.append(summary.nearZero)
        layers[layer].histograms.append(summary.histogram)
    }

    /// The statistics of one batch's activations: mean, unbiased standard deviation, fraction
    /// ≤ `nearZeroLimit`, and `torch.histc`'s histogram (equal-width bins over `range`, the top edge
    /// counted in the last bin, values outside and NaNs left out). Sums are in Double, so that a
    /// million activations do not lose precision.
    public static func summarize(
        _ values: [Float], bins: Int, range: ClosedRange<Float>, nearZeroLimit: Float
    ) -> (mean: Float, std: Float, nearZero: Float, histogram: [Float]) {
        var histogram = [Float](repeating: 0, count: bins)
        guard !values.isEmpty else { return (.nan, .nan, .nan, histogram) }
        var sum = 0.0, nearZero = 0
        let low = Double(range.lowerBound), high = Double(range.upperBound)
        let scale = Double(bins) / (high - low)
        for v in values {
            sum += Double(v)
            if v <= nearZeroLimit { nearZero += 1 }
            let x = Double(v)
            if x >= low && x <= high { histogram[Swift.min(Int((x - low) * scale), bins - 1)] += 1 }
        }
        let mean = sum / Double(values.count)
        var squares = 0.0
        for v in values {
            let d = Double(v) - mean
            squares += d * d
        }
        let std = values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() : .nan
        return (Float(mean), Float(std), Float(nearZero) / Float(values.count), histogram)
    }
}
