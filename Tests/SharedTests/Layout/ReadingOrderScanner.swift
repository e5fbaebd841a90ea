import Foundation

/// Finds uses of a later section's names in an earlier section's code, so that `Shared/NN-…` can be
/// read in the chapter's order: the check behind `ReadingOrderTests`.
///
/// What counts as a section's names: everything it declares at file level (types, functions,
/// globals) and the members it adds in extensions, unless `private` or `fileprivate`. What counts as
/// a use: a file-level name as a bare identifier (not after a `.`, not a label before `:`, not a name
/// the file declares itself), an extension member after a `.`. Comments and string literals are
/// blanked out first (interpolations stay: they are code). A name declared by several sections
/// belongs to the first. This is a lexical check, not the compiler's: a later section's member
/// reached without a `.` inside an earlier extension of the same type would slip through, and so
/// would a later name right before a ternary's `:` (read as a label).
struct ReadingOrderScanner {
    /// One numbered folder and its files' sources.
    struct Section {
        var name: String
        var files: [(path: String, source: String)]
    }

    /// A later section's name used in an earlier one.
    struct Violation: CustomStringConvertible, Equatable {
        var path: String, line: Int, identifier: String, usedIn: String, declaredIn: String, declaredAt: String
        var description: String {
            "\(path):\(line): `\(identifier)` is declared in \(declaredIn) (\(declaredAt)) but used in \(usedIn), "
                + "an earlier section"
        }
    }

    private enum Scope { case fileLevel, extensionMember }
    private struct Owner {
        var section: Int
        var path: String
        var scope: Scope
    }

    /// Every violation in `sections` (given in reading order), in file and line order.
    static func violations(in sections: [Section]) -> [Violation] {
        var owners: [String: Owner] = [:]
        var stripped: [(section: Int, path: String, code: String)] = []
        for (index, section) in sections.enumerated() {
            for file in section.files {
                let code = blankCommentsAndStrings(file.source)
                stripped.append((index, file.path, code))
                for (name, scope) in declarations(in: code) where owners[name] == nil {
                    owners[name] = Owner(section: index, path: file.path, scope: scope)
                }
            }
        }
        var found: [Violation] = []
        for file in stripped {
            let local = locallyDeclaredNames(in: file.code)
            for (lineIndex, line) in file.code.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                for token in identifiers(in: Substring(line)) {
                    guard let owner = owners[token.name], owner.section > file.section, !token.isLabel else { continue }
                    switch owner.scope {
                    case .fileLevel where token.afterDot || local.contains(token.name): continue
                    case .extensionMember where !token.afterDot: continue
                    default: break
                    }
                    found.append(
                        Violation(
                            path: file.path, line: lineIndex + 1, identifier: token.name,
                            usedIn: sections[file.section].name, declaredIn: sections[owner.section].name,
                            declaredAt: owner.path))
                }
            }
        }
        return found
    }

    /// Reads `Shared/NN-*` under `root`, sections in folder-name order and files sorted.
    static func sections(under root: URL) throws -> [Section] {
        let shared = root.appendingPathComponent("Shared")
        let folders = try FileManager.default.contentsOfDirectory(atPath: shared.path)
            .filter { $0.count > 3 && $0.prefix(2).allSatisfy(\.isNumber) && $0.dropFirst(2).first == "-" }
            .sorted()
        return try folders.map { folder in
            let directory = shared.appendingPathComponent(folder)
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".swift") }.sorted()
            return Section(
                name: folder,
                files: try names.map { name in
                    let url = directory.appendingPathComponent(name)
                    return ("Shared/\(folder)/\(name)", try String(contentsOf: url, encoding: .utf8))
                })
        }
    }

    // MARK: - Lexing

    /// `source` with every comment and string literal replaced by spaces (newlines kept, so line
    /// numbers stay), except the code inside string interpolations `\( … )`.
    static func blankCommentsAndStrings(_ source: String) -> String {
        let chars = Array(source.unicodeScalars)
        var out = String.UnicodeScalarView()
        /// What the scanner is inside: code (with the parenthesis depth of the interpolation it is
        /// in, if any) or a string literal (its `#`s and quote).
        enum Mode {
            case code(interpolationDepth: Int?)
            case string(hashes: Int, multiline: Bool)
        }
        var modes: [Mode] = [.code(interpolationDepth: nil)]
        var i = 0
        func blank(_ count: Int) {
            for k in 0..<count where i + k < chars.count {
                out.append(chars[i + k] == "\n" ? "\n" : " ")
            }
            i += count
        }
        func matches(_ text: String, at position: Int) -> Bool {
            let scalars = Array(text.unicodeScalars)
            guard position + scalars.count <= chars.count else { return false }
            return (0..<scalars.count).allSatisfy { chars[position + $0] == scalars[$0] }
        }
        while i < chars.count {
            switch modes[modes.count - 1] {
            case .code(let depth):
                if matches("//", at: i) {
                    var end = i
                    while end < chars.count && chars[end] != "\n" { end += 1 }
                    blank(end - i)
                } else if matches("/*", at: i) {
                    var nesting = 0, end = i
                    repeat {
                        if matches("/*", at: end) {
                            nesting += 1
                            end += 2
                        } else if matches("*/", at: end) {
                            nesting -= 1
                            end += 2
                        } else {
                            end += 1
                        }
                    } while nesting > 0 && end < chars.count
                    blank(end - i)
                } else if chars[i] == "#" || chars[i] == "\"" {
                    var hashes = 0
                    while i + hashes < chars.count && chars[i + hashes] == "#" { hashes += 1 }
                    guard i + hashes < chars.count, chars[i + hashes] == "\"" else {
                        out.append(chars[i])  // `#if`, `#available`, …
                        i += 1
                        continue
                    }
                    let multiline = matches("\"\"\"", at: i + hashes)
                    blank(hashes + (multiline ? 3 : 1))
                    modes.append(.string(hashes: hashes, multiline: multiline))
                } else if chars[i] == "(", let depth {
                    modes[modes.count - 1] = .code(interpolationDepth: depth + 1)
                    out.append(chars[i])
                    i += 1
                } else if chars[i] == ")", let depth {
                    if depth == 0 {
                        modes.removeLast()  // back into the string
                        blank(1)
                    } else {
                        modes[modes.count - 1] = .code(interpolationDepth: depth - 1)
                        out.append(chars[i])
                        i += 1
                    }
                } else {
                    out.append(chars[i])
                    i += 1
                }
            case .string(let hashes, let multiline):
                let escape = "\\" + String(repeating: "#", count: hashes)
                let closing = (multiline ? "\"\"\"" : "\"") + String(repeating: "#", count: hashes)
                if matches(escape + "(", at: i) {
                    blank(escape.unicodeScalars.count + 1)
                    modes.append(.code(interpolationDepth: 0))
                } else if matches(escape, at: i) {
                    blank(escape.unicodeScalars.count + 1)  // the escaped character too
                } else if matches(closing, at: i) {
                    blank(closing.unicodeScalars.count)
                    modes.removeLast()
                } else {
                    blank(1)
                }
            }
        }
        return String(out)
    }

    private static let declarationKeywords: Set<Substring> = [
        "class", "struct", "enum", "protocol", "typealias", "actor", "func", "var", "let", "extension"
    ]
    private static let modifiers: Set<Substring> = [
        "public", "package", "internal", "open", "private", "fileprivate", "final", "static", "override", "mutating",
        "nonisolated", "nonisolated(unsafe)", "indirect", "convenience", "required", "dynamic", "lazy", "weak"
    ]

    /// The file-level declarations and extension members of already blanked `code`, with their scope.
    private static func declarations(in code: String) -> [(String, Scope)] {
        var result: [(String, Scope)] = []
        var depth = 0
        var inExtension = false
        for line in code.split(separator: "\n", omittingEmptySubsequences: false) {
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
            var isPrivate = false
            while let word = words.first, word.hasPrefix("@") || modifiers.contains(word) {
                if word == "private" || word == "fileprivate" { isPrivate = true }
                words = words.dropFirst()
            }
            if let keyword = words.first, declarationKeywords.contains(keyword), words.count > 1 {
                let name = String(words[words.startIndex + 1].prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                if keyword == "extension" {
                    if depth == 0 { inExtension = true }
                } else if !isPrivate && !name.isEmpty {
                    if depth == 0 {
                        result.append((name, .fileLevel))
                    } else if depth == 1 && inExtension {
                        result.append((name, .extensionMember))
                    }
                }
            }
            depth += line.filter { $0 == "{" }.count - line.filter { $0 == "}" }.count
            if depth == 0 { inExtension = false }
        }
        return result
    }

    /// Names a file declares for itself at any depth (locals, parameters' own declarations, members):
    /// a file-level name from elsewhere that a file also declares is taken to be the file's own.
    private static func locallyDeclaredNames(in code: String) -> Set<String> {
        var names: Set<String> = []
        let words = code.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
        for (word, next) in zip(words, words.dropFirst()) where ["let", "var", "func", "case"].contains(word) {
            names.insert(String(next))
        }
        return names
    }

    private struct Token {
        var name: String
        var afterDot: Bool
        var isLabel: Bool
    }

    /// The identifiers of one line, each with whether a `.` comes right before it and a `:` (an
    /// argument label or a parameter's name, not `::`) right after it.
    private static func identifiers(in line: Substring) -> [Token] {
        let chars = Array(line)
        var tokens: [Token] = []
        var i = 0
        func isHead(_ c: Character) -> Bool { c.isLetter || c == "_" }
        func isBody(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        while i < chars.count {
            guard isHead(chars[i]), i == 0 || !isBody(chars[i - 1]) else {
                i += 1
                continue
            }
            var end = i
            while end < chars.count && isBody(chars[end]) { end += 1 }
            var before = i - 1
            while before >= 0 && chars[before] == " " { before -= 1 }
            var after = end
            while after < chars.count && chars[after] == " " { after += 1 }
            tokens.append(
                Token(
                    name: String(chars[i..<end]), afterDot: before >= 0 && chars[before] == ".",
                    isLabel: after < chars.count && chars[after] == ":"
                        && (after + 1 >= chars.count || chars[after + 1] != ":")))
            i = end
        }
        return tokens
    }
}
