/// A 5×9 pixel font for plots, which are drawn by hand (no FreeType); missing characters draw as `?`.
public enum BitmapFont {
    /// Glyph width in font pixels.
    public static let glyphWidth = 5
    /// Glyph height in font pixels, descender included.
    public static let glyphHeight = 9
    /// Rows above the baseline (the height of a capital letter).
    public static let ascent = 7
    /// Horizontal distance from one character to the next, in font pixels (one pixel of spacing).
    public static let advance = 6

    /// Width in image pixels of `text` drawn at `scale` (without the trailing spacing).
    public static func width(of text: String, scale: Int = 1) -> Int {
        let n = text.count
        return n == 0 ? 0 : (n * advance - 1) * scale
    }

    /// Whether the font pixel at column `x`, row `y` of `character`'s glyph is set.
    public static func isSet(_ character: Character, x: Int, y: Int) -> Bool {
        guard x >= 0, x < glyphWidth, y >= 0, y < glyphHeight else { return false }
        let rows = glyphs[character] ?? glyphs["?"]!
        return rows[y] & (1 << (glyphWidth - 1 - x)) != 0
    }

    /// Draws `text` with its top-left corner at (`x`, `y`) in `color`, each font pixel a
    /// `scale`×`scale` block. Pixels outside the image are skipped.
    public static func draw(
        _ text: String, into image: inout RGBImage, x: Int, y: Int, scale: Int = 1,
        color: (UInt8, UInt8, UInt8) = (0, 0, 0)
    ) {
        var penX = x
        for character in text {
            let rows = glyphs[character] ?? glyphs["?"]!
            for row in 0..<glyphHeight where rows[row] != 0 {
                for column in 0..<glyphWidth where rows[row] & (1 << (glyphWidth - 1 - column)) != 0 {
                    for dy in 0..<scale {
                        for dx in 0..<scale {
                            image[penX + column * scale + dx, y + row * scale + dy] = color
                        }
                    }
                }
            }
            penX += advance * scale
        }
    }

    /// Draws `text` turned a quarter turn anticlockwise, reading upwards, as a y-axis title is drawn:
    /// the text starts at (`x`, `y`), the bottom-left corner of its first glyph, and runs up the image.
    public static func drawUpward(
        _ text: String, into image: inout RGBImage, x: Int, y: Int, scale: Int = 1,
        color: (UInt8, UInt8, UInt8) = (0, 0, 0)
    ) {
        var pen = 0
        for character in text {
            let rows = glyphs[character] ?? glyphs["?"]!
            for row in 0..<glyphHeight where rows[row] != 0 {
                for column in 0..<glyphWidth where rows[row] & (1 << (glyphWidth - 1 - column)) != 0 {
                    for dy in 0..<scale {
                        for dx in 0..<scale {
                            image[x + row * scale + dx, y - (pen + column) * scale - dy - 1] = color
                        }
                    }
                }
            }
            pen += advance
        }
    }

    /// Each glyph's rows as bit masks, the leftmost pixel in bit 4; parsed once from `art`.
    static let glyphs: [Character: [UInt8]] = {
        var table: [Character: [UInt8]] = [:]
        for line in art.split(separator: "\n") {
            let character = line.first!
            var rows = line.dropFirst(2).split(separator: " ").map { row in
                row.reduce(UInt8(0)) { $0 << 1 | ($1 == "#" ? 1 : 0) }
            }
            rows += Array(repeating: 0, count: glyphHeight - rows.count)
            table[character] = rows
        }
        table[" "] = Array(repeating: 0, count: glyphHeight)
        return table
    }()

    /// The glyphs, one a line: the character, then its rows top to bottom (`#` set, `.` clear). Rows
    /// 8 and 9 are the descender and are left out when empty.
    private static let art = """
        ! ..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..
        " .#.#. .#.#. .#.#. ..... ..... ..... .....
        # .#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.
        $ ..#.. .#### #.#.. .###. ..#.# ####. ..#..
        % ##... ##..# ...#. ..#.. .#... #..## ...##
        & .##.. #..#. #.#.. .#... #.#.# #..#. .##.#
        ' ..#.. ..#.. .#... ..... ..... ..... .....
        ( ...#. ..#.. .#... .#... .#... ..#.. ...#.
        ) .#... ..#.. ...#. ...#. ...#. ..#.. .#...
        * ..... ..#.. #.#.# .###. #.#.# ..#.. .....
        + ..... ..#.. ..#.. ##### ..#.. ..#.. .....
        , ..... ..... ..... ..... ..... .##.. ..#.. .#...
        - ..... ..... ..... ##### ..... ..... .....
        . ..... ..... ..... ..... ..... .##.. .##..
        / ..... ....# ...#. ..#.. .#... #.... .....
        0 .###. #...# #..## #.#.# ##..# #...# .###.
        1 ..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.
        2 .###. #...# ....# ...#. ..#.. .#... #####
        3 ##### ...#. ..#.. ...#. ....# #...# .###.
        4 ...#. ..##. .#.#. #..#. ##### ...#. ...#.
        5 ##### #.... ####. ....# ....# #...# .###.
        6 ..##. .#... #.... ####. #...# #...# .###.
        7 ##### ....# ...#. ..#.. .#... .#... .#...
        8 .###. #...# #...# .###. #...# #...# .###.
        9 .###. #...# #...# .#### ....# ...#. .##..
        : ..... .##.. .##.. ..... .##.. .##.. .....
        ; ..... .##.. .##.. ..... .##.. ..#.. .#...
        < ...#. ..#.. .#... #.... .#... ..#.. ...#.
        = ..... ..... ##### ..... ##### ..... .....
        > .#... ..#.. ...#. ....# ...#. ..#.. .#...
        ? .###. #...# ....# ...#. ..#.. ..... ..#..
        @ .###. #...# ....# .##.# #.#.# #.#.# .###.
        A .###. #...# #...# #...# ##### #...# #...#
        B ####. #...# #...# ####. #...# #...# ####.
        C .###. #...# #.... #.... #.... #...# .###.
        D ###.. #..#. #...# #...# #...# #..#. ###..
        E ##### #.... #.... ####. #.... #.... #####
        F ##### #.... #.... ####. #.... #.... #....
        G .###. #...# #.... #.### #...# #...# .####
        H #...# #...# #...# ##### #...# #...# #...#
        I .###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.
        J ..### ...#. ...#. ...#. ...#. #..#. .##..
        K #...# #..#. #.#.. ##... #.#.. #..#. #...#
        L #.... #.... #.... #.... #.... #.... #####
        M #...# ##.## #.#.# #.#.# #...# #...# #...#
        N #...# #...# ##..# #.#.# #..## #...# #...#
        O .###. #...# #...# #...# #...# #...# .###.
        P ####. #...# #...# ####. #.... #.... #....
        Q .###. #...# #...# #...# #.#.# #..#. .##.#
        R ####. #...# #...# ####. #.#.. #..#. #...#
        S .#### #.... #.... .###. ....# ....# ####.
        T ##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..
        U #...# #...# #...# #...# #...# #...# .###.
        V #...# #...# #...# #...# #...# .#.#. ..#..
        W #...# #...# #...# #.#.# #.#.# #.#.# .#.#.
        X #...# #...# .#.#. ..#.. .#.#. #...# #...#
        Y #...# #...# .#.#. ..#.. ..#.. ..#.. ..#..
        Z ##### ....# ...#. ..#.. .#... #.... #####
        [ .###. .#... .#... .#... .#... .#... .###.
        \\ ..... #.... .#... ..#.. ...#. ....# .....
        ] .###. ...#. ...#. ...#. ...#. ...#. .###.
        ^ ..#.. .#.#. #...# ..... ..... ..... .....
        _ ..... ..... ..... ..... ..... ..... ..... #####
        ` .#... ..#.. ...#. ..... ..... ..... .....
        a ..... ..... .###. ....# .#### #...# .####
        b #.... #.... #.##. ##..# #...# #...# ####.
        c ..... ..... .###. #.... #.... #...# .###.
        d ....# ....# .##.# #..## #...# #...# .####
        e ..... ..... .###. #...# ##### #.... .###.
        f ..##. .#..# .#... ###.. .#... .#... .#...
        g ..... ..... .#### #...# #...# #...# .#### ....# .###.
        h #.... #.... #.##. ##..# #...# #...# #...#
        i ..#.. ..... .##.. ..#.. ..#.. ..#.. .###.
        j ...#. ..... ..##. ...#. ...#. ...#. ...#. #..#. .##..
        k #.... #.... #..#. #.#.. ##... #.#.. #..#.
        l .##.. ..#.. ..#.. ..#.. ..#.. ..#.. ...##
        m ..... ..... ##.#. #.#.# #.#.# #.#.# #.#.#
        n ..... ..... #.##. ##..# #...# #...# #...#
        o ..... ..... .###. #...# #...# #...# .###.
        p ..... ..... ####. #...# #...# #...# ####. #.... #....
        q ..... ..... .#### #...# #...# #...# .#### ....# ....#
        r ..... ..... #.##. ##..# #.... #.... #....
        s ..... ..... .#### #.... .###. ....# ####.
        t .#... .#... ###.. .#... .#... .#..# ..##.
        u ..... ..... #...# #...# #...# #..## .##.#
        v ..... ..... #...# #...# #...# .#.#. ..#..
        w ..... ..... #...# #...# #.#.# #.#.# .#.#.
        x ..... ..... #...# .#.#. ..#.. .#.#. #...#
        y ..... ..... #...# #...# #...# #...# .#### ....# .###.
        z ..... ..... ##### ...#. ..#.. .#... #####
        { ...#. ..#.. ..#.. .#... ..#.. ..#.. ...#.
        | ..#.. ..#.. ..#.. ..#.. ..#.. ..#.. ..#..
        } .#... ..#.. ..#.. ...#. ..#.. ..#.. .#...
        ~ ..... ..... .#... #.#.# ...#. ..... .....
        · ..... ..... ..... ..#.. ..... ..... .....
        × ..... ..... #...# .#.#. ..#.. .#.#. #...#
        µ ..... ..... #...# #...# #...# ##..# #.##. #.... #....
        """
}
