import Foundation

/// Text made safe to place in HTML: with `<`, `>` and `&` replaced, no output can close its element
/// (`</pre>`) or start an entity.
package enum HTMLText {
    /// `text` for an element's content: `&`, `<` and `>` as entities.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }

    /// `text` for a double-quoted attribute's value: `escape` plus `"` and `'`.
    package static func attribute(_ text: String) -> String {
        escape(text).replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }

    /// A whole page around `main`, the content of its `<main>`: the head every page of the workbook
    /// shares (UTF-8, a phone's width, the reader's light or dark setting), `title` escaped, `style`
    /// as its style sheet.
    package static func document(title: String, style: String, main: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>\(escape(title))</title>
        <style>\(style)</style>
        </head>
        <body>
        <main>
        \(main)</main>
        </body>
        </html>

        """
    }
}
