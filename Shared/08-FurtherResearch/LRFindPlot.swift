import Foundation

extension LRFindResult {
    /// The smoothed loss against the learning rate on a log scale, with the suggested rate marked by
    /// a vertical line, as fastai's `lr_find` draws it (fastai marks a dot; a line shows better in a
    /// terminal). Like fastai's plot it leaves out the last five points, where the loss explodes.
    public func plot() -> LinePlot {
        var plot = LinePlot(
            title: "lr_find", xLabel: "learning rate (log scale)", yLabel: "smoothed training loss", xScale: .log)
        let keep = losses.count > 10 ? losses.count - 5 : losses.count
        let shown = Array(smoothedLosses.prefix(keep))
        plot.plot(x: Array(lrs.prefix(keep)), y: shown, label: "loss")
        // Neither fastai's plot nor the chapter's caps the y axis; this one stops it at twice the first
        // smoothed loss, so that a late explosion does not flatten the falling part of the curve.
        let finite = shown.filter(\.isFinite)
        if let first = finite.first, let low = finite.min(), let high = finite.max(), high > 2 * first {
            plot.yRange = Double(low) * 0.9...Double(2 * first)
        }
        if let lr = suggestion {
            let range = plot.yRange ?? Double(finite.min() ?? 0)...Double(finite.max() ?? 1)
            let label = "valley: " + cFormat("%.2g", Double(lr))
            plot.plot(x: [lr, lr], y: [range.lowerBound, range.upperBound], label: label, color: PlotColor.palette[3])
        }
        return plot
    }
}
