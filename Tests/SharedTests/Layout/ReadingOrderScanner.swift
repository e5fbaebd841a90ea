import Foundation
import Shared

/// Finds uses of a later section's names in an earlier section's code, so that `Shared/NN-…` can be
/// read in the chapter's order: the check behind `ReadingOrderTests`.
///
/// What counts as a section's names: everything it declares at file level (types, functions,
/// globals) and the members it adds in extensions, unless `private` or `fileprivate`. What counts as
/// a use: a file-level name as a bare identifier (not after a `.`, not a label before `:`, not a name
/// the file declares itself), an extension member after a `.`. Names in comments and string literals
/// do not count (in interpolations they do: that is code). A name declared by several sections
/// belongs to the first. The files are read with the workbook's Swift reader (`SwiftSource`). This
/// is a lexical check, not the compiler's: a later section's member reached without a `.` inside an
/// earlier extension of the same type would slip through, and so would a later name right before a
/// ternary's `:` (read as a label).
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
        var read: [(section: Int, path: String, source: SwiftSource, declarations: [SwiftDeclaration])] = []
        for (index, section) in sections.enumerated() {
            for file in section.files {
                let source = SwiftSource(file.source)
                let declarations = source.declarations()
                read.append((index, file.path, source, declarations))
                for (name, scope) in sharedNames(declarations) where owners[name] == nil {
                    owners[name] = Owner(section: index, path: file.path, scope: scope)
                }
            }
        }
        var found: [Violation] = []
        for file in read {
            // A file-level name from elsewhere that a file also declares is taken to be the file's own.
            let local = Set(file.declarations.filter { ["let", "var", "func", "case"].contains($0.kind) }.map(\.name))
            for use in file.source.identifierUses() {
                guard let owner = owners[use.name], owner.section > file.section, !use.isLabel else { continue }
                switch owner.scope {
                case .fileLevel where use.afterDot || local.contains(use.name): continue
                case .extensionMember where !use.afterDot: continue
                default: break
                }
                found.append(
                    Violation(
                        path: file.path, line: use.line, identifier: use.name, usedIn: sections[file.section].name,
                        declaredIn: sections[owner.section].name, declaredAt: owner.path))
            }
        }
        return found
    }

    /// The names a file gives its section: file-level declarations and extensions' members, unless
    /// kept to the file.
    private static func sharedNames(_ declarations: [SwiftDeclaration]) -> [(String, Scope)] {
        let kinds: Set<String> = ["class", "struct", "enum", "protocol", "typealias", "actor", "func", "var", "let"]
        return declarations.compactMap { declaration in
            guard kinds.contains(declaration.kind), !declaration.isFileOnly else { return nil }
            if declaration.depth == 0 { return (declaration.name, .fileLevel) }
            if declaration.depth == 1, let parent = declaration.parent, declarations[parent].kind == "extension" {
                return (declaration.name, .extensionMember)
            }
            return nil
        }
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
}
