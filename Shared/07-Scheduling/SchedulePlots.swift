/// The two pictures of the Scheduling section, as plots ready to save or show.
extension LRFinder {
    /// Loss against learning rate on a log scale (the chapter's `plt.plot(lrs[:-2], losses[:-2])` with
    /// `plt.xscale('log')`). The last two points are left out, as in the chapter: they are where the
    /// loss shoots up and would squash the interesting part of the curve.
    public func plot() -> LinePlot {
        var plot = LinePlot(
            title: "Learning rate finder", xLabel: "learning rate (log scale)",
            yLabel: "training loss", xScale: .log)
        let keep = Swift.max(lrs.count - 2, Swift.min(lrs.count, 1))
        let shown = Array(losses.prefix(keep))
        plot.plot(x: Array(lrs.prefix(keep)), y: shown, label: "loss")
        // The loss usually explodes at the very end; cap the y axis at twice the starting loss so the
        // explosion does not flatten the part of the curve where the choice is made. The chapter's
        // plot has no cap.
        if let first = shown.first, let low = shown.min(), let high = shown.max(), high > 2 * first, low < 2 * first {
            plot.yRange = Double(low) * 0.9...Double(2 * first)
        }
        return plot
    }
}

extension OneCycle {
    /// The learning rate of every training batch.
    public func plot() -> LinePlot {
        var plot = LinePlot(title: "One-cycle schedule", xLabel: "training batch", yLabel: "learning rate")
        plot.xCounts = true
        plot.plot(lrs, label: "lr")
        return plot
    }
}
