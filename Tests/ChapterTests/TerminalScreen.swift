/// A tiny model of a terminal: feed it the bytes a program wrote and read back the lines a person
/// would see, after carriage returns, erasures and cursor moves have done their work.
///
/// It knows what the workbook writes: printable text (one column a character, wrapping at `width`
/// the way xterm does), `\r`, `\n`, backspace, `ESC[K` / `ESC[2K` (erase to the end of the line / the
/// whole line), `ESC[nA` / `ESC[nB` (cursor up / down) and `ESC[…m` (colours, ignored). Every other
/// escape sequence is skipped. Lines scrolled off the top are kept, so the whole session can be read.
struct TerminalScreen {
    let width: Int
    private(set) var lines: [[Character]] = [[]]
    private(set) var row = 0
    private(set) var column = 0
    /// xterm's deferred wrap: after writing the last column the cursor stays there until the next
    /// printable character, which then goes to the next line.
    private var pendingWrap = false

    init(width: Int = 80) { self.width = width }

    /// The screen's text, one string per line, trailing spaces removed.
    var text: [String] {
        lines.map { line in
            var s = String(line)
            while s.last == " " { s.removeLast() }
            return s
        }
    }

    mutating func feed(_ string: String) {
        var characters = Array(string)[...]
        while let c = characters.popFirst() {
            switch c {
            case "\r\n":  // Swift reads CR LF as one Character
                column = 0
                newline()
            case "\r":
                column = 0
                pendingWrap = false
            case "\n": newline()
            case "\u{8}":
                column = max(0, column - 1)
                pendingWrap = false
            case "\u{7}": break
            case "\u{1B}": escape(&characters)
            default: put(c)
            }
        }
    }

    private mutating func newline() {
        pendingWrap = false
        row += 1
        while lines.count <= row { lines.append([]) }
    }

    private mutating func put(_ c: Character) {
        if pendingWrap {
            column = 0
            newline()
        }
        while lines[row].count < column { lines[row].append(" ") }
        if column < lines[row].count { lines[row][column] = c } else { lines[row].append(c) }
        if column == width - 1 { pendingWrap = true } else { column += 1 }
    }

    private mutating func escape(_ rest: inout ArraySlice<Character>) {
        guard rest.first == "[" else {
            _ = rest.popFirst()  // a two-character sequence such as ESC 7
            return
        }
        rest.removeFirst()
        var parameters = ""
        while let c = rest.first, !(c.isLetter || c == "@" || c == "~") {
            parameters.append(c)
            rest.removeFirst()
        }
        guard let command = rest.popFirst() else { return }
        let n = Int(parameters) ?? 0
        pendingWrap = false
        switch command {
        case "K":
            if n == 2 {
                lines[row] = []
            } else if n == 0, column < lines[row].count {
                lines[row].removeSubrange(column...)
            }
        case "A": row = max(0, row - max(1, n))
        case "B":
            row += max(1, n)
            while lines.count <= row { lines.append([]) }
        case "G": column = max(0, n - 1)
        default: break  // colours (m) and anything else leave the text alone
        }
    }
}
