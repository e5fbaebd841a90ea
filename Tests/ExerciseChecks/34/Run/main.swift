// Shows exercise 34 at work: `swift run exercise-34` plots the chapter's linear one-cycle schedule and
// the cosine one side by side, in the terminal and as a PNG in out/ (or $WORKBOOK_OUT).
import Exercise34
import Shared

let linear = OneCycle(0.1)
let cosine = CosineOneCycle(0.1)
let pcts = (0...200).map { Float($0) / 200 }

var plot = LinePlot(title: "One cycle: linear and cosine", xLabel: "fraction of training", yLabel: "learning rate")
plot.plot(x: pcts, y: pcts.map(linear.lr(at:)), label: "linear (the chapter)")
plot.plot(x: pcts, y: pcts.map(cosine.lr(at:)), label: "cosine")
print(plot.terminal(width: 64, height: 16))

for pct: Float in [0, 0.0625, 0.125, 0.25, 0.4375, 0.625, 1] {
    print(
        "pct \(cFormat("%.4f", Double(pct))): linear \(cFormat("%.4f", Double(linear.lr(at: pct))))"
            + "  cosine \(cFormat("%.4f", Double(cosine.lr(at: pct))))")
}
let file = try OutputFolder.outputFile(named: "cosine-one-cycle.png")
try plot.save(to: file.path)
print("plot written to \(file.path)")
