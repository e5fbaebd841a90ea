import Foundation
import Testing

@testable import Media
@testable import Shared

/// A layer with one parameter whose output is fixed numbers, so the statistics are known.
final class FixedOutput: Module {
    let w = Parameter(Tensor([1], shape: [1]))
    let values: [Float]
    init(_ values: [Float]) {
        self.values = values
        super.init()
    }
    override func forward(_ x: Tensor) -> Tensor {
        // Depends on w, so that training has something to step.
        Tensor(values, shape: [x.shape[0], values.count / x.shape[0]]) + w * 0 + x.sum() * 0
    }
}

@Suite("ActivationStats")
struct ActivationStatsTests {
    @Test func summaryOfKnownValues() {
        // Mean 2.5, unbiased std √(((−2.5)² + (−1.5)² + 0.5² + 3.5²) / 3) = √7, one value ≤ 0.05 of four
        // (0); histogram of 4 bins over 0…4: 0 → bin 0, 1 → bin 1, 3 → bin 3, 6 is outside.
        let s = ActivationStats.summarize([0, 1, 3, 6], bins: 4, range: 0...4, nearZeroLimit: 0.05)
        #expect(s.mean == 2.5)
        #expect(Swift.abs(s.std - Float(7).squareRoot()) < 1e-6)
        #expect(s.nearZero == 0.25)
        #expect(s.histogram == [1, 1, 0, 1])
    }

    /// `torch.histc` edges: the top edge goes to the last bin, the bottom edge to the first,
    /// anything outside (or NaN) nowhere; 0.05 itself is near zero.
    @Test func histogramEdgesAreTorchs() {
        let s = ActivationStats.summarize(
            [10, 0, -0.1, 10.01, 0.25, 0.05], bins: 40, range: 0...10, nearZeroLimit: 0.05)
        var expected = [Float](repeating: 0, count: 40)
        expected[0] = 2  // 0 and 0.05
        expected[1] = 1  // 0.25, on the edge between bins 0 and 1
        expected[39] = 1  // 10
        #expect(s.histogram == expected)
        #expect(s.nearZero == Float(3) / 6)  // 0, −0.1, 0.05
    }

    @Test func recordsTrainingBatchesOfLayersWithParametersAndRemovesHooks() throws {
        let first = FixedOutput([0, 0, 2, 4, 0, 1, 7, 20])
        let model = Sequential(first, Sequential(FixedOutput([1, 1, 1, 1, 1, 1, 1, 1])))
        var seenByOldHook = 0
        first.hook = { _, _ in seenByOldHook += 1 }
        let x = Tensor([1, 2, 3, 4, 5, 6, 7, 8], shape: [2, 4])
        let y = Tensor([0, 1], shape: [2])
        let dls = DataLoaders(InMemoryBatches(x: x, y: y, bs: 2), InMemoryBatches(x: x, y: y, bs: 2))
        let stats = ActivationStats(bins: 10, histogramRange: 0...10)
        let learn = Learner(model, dls, lossFunc: { p, _ in p.sum() }, lr: 0.1, cbs: [stats])
        learn.showProgress = false
        try learn.fit(3)

        #expect(stats.layers.map(\.name) == ["0 FixedOutput", "1 FixedOutput"])
        // One record per training batch (3 epochs × 1 batch), none for validation.
        #expect(stats.layers[0].means.count == 3)
        #expect(stats.layers[0].means[0] == Float(34) / 8)
        #expect(stats.layers[0].nearZero[0] == Float(3) / 8)
        #expect(stats.layers[0].histograms[0] == [3, 1, 1, 0, 1, 0, 0, 1, 0, 0])  // 20 is outside
        #expect(stats.layers[1].stds == [0, 0, 0])
        // The hooks are gone, and the hook the layer had before is back and was called all along.
        #expect(!stats.isHooked)
        #expect(seenByOldHook == 6)  // 3 training + 3 validation batches
        _ = model(x)
        #expect(seenByOldHook == 7)
        #expect(stats.layers[0].means.count == 3)
        #expect(model.layers[1].hook == nil)
    }

    @Test func layersWithParametersOfTheSimpleCNN() {
        let names = ActivationStats.layersWithParameters(simpleCNN()).map { "\(type(of: $0))" }
        #expect(names == ["ConvLayer", "ConvLayer", "ConvLayer", "ConvLayer", "Linear"])
    }

    @Test func colorfulDimensionImage() throws {
        let first = FixedOutput([0, 0, 0, 0, 0, 0, 0, 9.9])
        let model = Sequential(first)
        let x = Tensor([1, 2, 3, 4, 5, 6, 7, 8], shape: [2, 4])
        let y = Tensor([0, 1], shape: [2])
        let dls = DataLoaders(InMemoryBatches(x: x, y: y, bs: 2), InMemoryBatches(x: x, y: y, bs: 2))
        let stats = ActivationStats()
        let learn = Learner(model, dls, lossFunc: { p, _ in p.sum() }, lr: 0.1, cbs: [stats])
        learn.showProgress = false
        try learn.fit(2)
        let image = stats.colorfulDimension(panelWidth: 40, panelHeight: 40)
        let panelTop = 10 + BitmapFont.glyphHeight * 2 + 6
        // Bin 0 (seven zeros, the brightest cell) at the bottom is yellow; bin 39 (9.9) at the top is
        // log(2)/log(8) of the way up the colour map; empty bins in between are dark purple.
        #expect(image[10, panelTop + 39] == viridis(1))
        #expect(image[10, panelTop] == viridis(log1p(1.0) / log1p(7.0)))
        #expect(image[10, panelTop + 20] == viridis(0))
        #expect(viridis(0) == (68, 1, 84) && viridis(1) == (253, 231, 37))
    }
}
