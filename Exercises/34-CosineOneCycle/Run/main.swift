// Shows exercise 34 at work: `swift run exercise-34` draws the chapter's linear one-cycle schedule and
// the cosine one side by side, in the terminal.
import Exercise34
import Shared

let steps = 64
let linear = OneCycle(0.1)
let cosine = CosineOneCycle(0.1)
let columns = (0..<steps).map { Float($0) / Float(steps - 1) }
let rows = 16

/// A character plot of one or two curves on [0, 0.1]: `o` for the first, `x` for the second, `*` where
/// both fall on the same cell.
func plot(_ curves: [(Float) -> Float]) -> [String] {
    var grid = Array(repeating: Array(repeating: Character(" "), count: steps), count: rows)
    for (k, curve) in curves.enumerated() {
        for (c, pct) in columns.enumerated() {
            let r = rows - 1 - Int((curve(pct) / 0.1 * Float(rows - 1)).rounded())
            let mark: Character = k == 0 ? "o" : "x"
            grid[max(0, min(rows - 1, r))][c] = grid[max(0, min(rows - 1, r))][c] == " " ? mark : "*"
        }
    }
    return grid.map { "|" + String($0) }
}

print("learning rate against fraction of training (o: linear, as in the chapter; x: cosine)")
print("0.1")
for line in plot([linear.lr(at:), cosine.lr(at:)]) { print(line) }
print("0  +" + String(repeating: "-", count: steps - 1))
print("   0" + String(repeating: " ", count: steps / 4 - 2) + "0.25" + String(repeating: " ", count: steps * 3 / 4 - 6) + "1")
for pct: Float in [0, 0.125, 0.25, 0.625, 1] {
    print("pct \(cFormat("%.3f", Double(pct))): linear \(cFormat("%.4f", Double(linear.lr(at: pct))))  cosine \(cFormat("%.4f", Double(cosine.lr(at: pct))))")
}
