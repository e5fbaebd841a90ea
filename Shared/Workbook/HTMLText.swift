import Foundation

/// Text made safe to place in HTML.
///
/// The page puts code and program output inside elements and attributes; `<`, `&` and quotes in them
/// must read as characters, not markup. With all of `<`, `>` and `&` replaced, no text can close the
/// element it sits in (`</pre>`, `</script>`) or start an entity.
enum HTMLText {
    /// `text` for an element's content: `&`, `<` and `>` as entities.
    static func escape(_ text: String) -> String {
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
    static func attribute(_ text: String) -> String {
        escape(text).replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
