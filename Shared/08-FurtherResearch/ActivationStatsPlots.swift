import Foundation

extension ActivationStats {
    /// One line per layer of `statistic` (`\.means`, `\.stds`, `\.nearZero`) over the training
    /// batches: fastai's `plot_layer_stats`, with all layers on one plot.
    public func plot(_ statistic: KeyPath<LayerStats, [Float]>, title: String, yLabel: String) -> LinePlot {
        var plot = LinePlot(title: title, xLabel: "training batch", yLabel: yLabel)
        plot.xCounts = true
        for layer in layers { plot.plot(layer[keyPath: statistic], label: layer.name) }
        return plot
    }

    /// The "colorful dimension" picture of fastbook chapter 13 (fastai's `color_dim`), one panel per
    /// layer: training batches run left to right, histogram bins bottom (0) to top (10), and the
    /// colour is log(1 + count), scaled per panel, in matplotlib's default colour map (viridis).
    /// Healthy training shows a smooth spread of colour rising from the bottom; bright bands
    /// collapsing onto the bottom row, batch after batch, mean most activations died near zero.
    /// - Parameters:
    ///   - panelWidth: pixels across each panel; the batches are stretched or squeezed to fit.
    ///   - panelHeight: pixels up each panel; each bin gets an equal share.
    public func colorfulDimension(panelWidth: Int = 480, panelHeight: Int = 120) -> RGBImage {
        let scale = 2, margin = 10
        let titleHeight = BitmapFont.glyphHeight * scale + 6
        let width = panelWidth + 2 * margin
        let height = margin + layers.count * (titleHeight + panelHeight + margin)
        var image = RGBImage(width: width, height: height)
        for (index, layer) in layers.enumerated() {
            let top = margin + index * (titleHeight + panelHeight + margin)
            BitmapFont.draw(
                "\(layer.name): activations 0-\(Int(histogramRange.upperBound)) per batch", into: &image, x: margin,
                y: top, scale: scale, color: (34, 34, 34))
            let cells = layer.histograms.map { $0.map { Foundation.log1p(Double($0)) } }
            let brightest = cells.joined().max() ?? 0
            let panelTop = top + titleHeight
            for x in 0..<panelWidth {
                for y in 0..<panelHeight {
                    let color: (UInt8, UInt8, UInt8)
                    if cells.isEmpty {
                        color = (235, 235, 235)
                    } else {
                        let batch = Swift.min(x * cells.count / panelWidth, cells.count - 1)
                        // Bin 0 at the bottom, as `imshow(…, origin='lower')` draws it.
                        let bin = Swift.min((panelHeight - 1 - y) * bins / panelHeight, bins - 1)
                        color = viridis(brightest > 0 ? cells[batch][bin] / brightest : 0)
                    }
                    image[margin + x, panelTop + y] = color
                }
            }
        }
        return image
    }
}

/// Matplotlib's viridis colour map at `t` (0…1): dark purple through blue and green to yellow,
/// interpolated between nine of its colours. It stays readable in grey and to colour-blind eyes.
func viridis(_ t: Double) -> (UInt8, UInt8, UInt8) {
    let stops: [(Double, Double, Double)] = [
        (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
        (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37)
    ]
    let position = Swift.min(Swift.max(t.isFinite ? t : 0, 0), 1) * Double(stops.count - 1)
    let i = Swift.min(Int(position), stops.count - 2)
    let f = position - Double(i)
    let a = stops[i], b = stops[i + 1]
    func mix(_ x: Double, _ y: Double) -> UInt8 { UInt8((x + (y - x) * f).rounded()) }
    return (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}
