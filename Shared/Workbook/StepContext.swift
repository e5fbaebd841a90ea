import Media
import Support

/// What a step's closure is given: the settings (`ctx.lr`, `ctx.device`) and a `print` that respects
/// quiet mode and test consoles. Steps share state through `main.swift`'s variables, as cells do.
@dynamicMemberLookup
public struct StepContext {
    /// The parsed command line.
    public let settings: Workbook.Settings
    /// This step's number, from 1.
    public let number: Int
    /// `true` while the step runs silently to rebuild state for `--from`; output is dropped.
    public let isQuiet: Bool
    /// Colours, enabled only on a colour terminal.
    public let style: Style
    /// Columns of the terminal (or test console), for output that wants to fit.
    public let width: Int
    /// Where printed text goes: the console, and the step's record for the page when one is made.
    let out: TextSink
    /// The console alone, for what only a terminal wants (a braille preview of a plot the page shows
    /// as a picture).
    package let terminal: TextSink

    init(
        settings: Workbook.Settings, number: Int, isQuiet: Bool, style: Style, width: Int, out: TextSink,
        terminal: TextSink? = nil
    ) {
        self.settings = settings
        self.number = number
        self.isQuiet = isQuiet
        self.style = style
        self.width = width
        self.out = out
        self.terminal = terminal ?? out
    }

    /// `ctx.epochs`, `ctx.lr`, `ctx.device`, `ctx.quick`, `ctx.data`.
    public subscript<T>(dynamicMember keyPath: KeyPath<Workbook.Settings, T>) -> T {
        settings[keyPath: keyPath]
    }

    /// Prints like Swift's `print`, to the workbook's console (so tests can read it) and not at all
    /// while the step runs quietly.
    public func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
        guard !isQuiet else { return }
        out.write(items.map { "\($0)" }.joined(separator: separator) + terminator)
    }

    /// Prints a dimmed side remark (a hint, what to try next) wrapped to the console's width.
    public func note(_ text: String) {
        print(style.dim(wrapText(text, width: min(width, Workbook.proseWidth))))
    }

    /// Prints `plot` as a braille chart sized to the console (at most 60 columns by `height` lines),
    /// coloured on colour terminals: how steps show the plots the chapter draws with matplotlib.
    public func show(_ plot: LinePlot, height: Int = 16) {
        print(preview(plot, height: height))
    }

    /// The braille chart `show` prints.
    func preview(_ plot: LinePlot, height: Int = 16) -> String {
        plot.terminal(width: max(20, min(60, width - 14)), height: height, colors: style.enabled)
    }

    /// Prints a table: in the terminal as aligned columns under a dimmed header, on the run's page as
    /// an HTML table. The last column is left unpadded, so long text there (a description) wraps
    /// rather than pushing the others apart.
    public func table(_ header: [String], _ rows: [[String]]) {
        guard !isQuiet else { return }
        let columns = header.count
        let all = [header] + rows
        let widths = (0..<columns).map { column in all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            (0..<columns).map { column in
                let cell = column < row.count ? row[column] : ""
                return column == columns - 1 ? cell : cell.padded(to: widths[column] + 2)
            }.joined()
        }
        terminal.write(style.dim(line(header)) + "\n" + rows.map(line).joined(separator: "\n") + "\n")
        OutputRecording.current?.beginTable(header)
        for row in rows { OutputRecording.current?.row(row) }
    }
}
