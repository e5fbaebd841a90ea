import Foundation
import Testing

@testable import Shared
@testable import Workbook

/// The reader's declarations against the compiler's own parse of the library (`swiftc -dump-parse`,
/// which needs no build): every type, extension, function, initialiser, subscript, typealias and
/// enum case in the library, the chapters, the exercises' support and the reference answers, with
/// the line it ends on. The compiler is the independent judge here. SwiftSyntax would be one too,
/// but a clean build of SwiftSyntax and SwiftParser alone took 229 s on the 2-core build machine,
/// added to every clean `make test`; this costs a few seconds of `swiftc` per run.
@Suite struct SwiftSourceCompilerOracleTests {
    /// The repository's root, from this file's place in it (Tests/SharedTests/Workbook/SwiftSource/).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The compiler's node names for the reader's kinds.
    static let compilerKinds = [
        "struct_decl": "struct", "class_decl": "class", "enum_decl": "enum", "protocol": "protocol",
        "extension_decl": "extension", "func_decl": "func", "constructor_decl": "init",
        "destructor_decl": "deinit", "subscript_decl": "subscript", "typealias": "typealias",
        "actor_decl": "actor", "enum_element_decl": "case"
    ]

    /// `kind name lastLine` for each declaration the compiler reports, by file (an enum case without
    /// its line: the compiler's range is the element's, the reader's the whole `case` statement's).
    static func compilersDeclarations(of files: [String]) throws -> [String: Set<String>] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swiftc", "-dump-parse"] + files
        process.currentDirectoryURL = root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let dump = String(decoding: data, as: UTF8.self)
        // `(func_decl decl_context=0x… range=[Shared/X.swift:4:5 - line:7:5] "f(_:)" …`
        let node = try NSRegularExpression(
            pattern:
                #"^\s*\((\w+) (?:decl_context=\S+ )?range=\[(.+?):\d+:\d+ - line:(\d+):\d+\] (?:unbound )?"([^"]*)""#,
            options: .anchorsMatchLines)
        var found: [String: Set<String>] = [:]
        let file = try NSRegularExpression(pattern: #"^\(source_file "([^"]+)""#, options: .anchorsMatchLines)
        for match in file.matches(in: dump, range: NSRange(dump.startIndex..., in: dump)) {
            found[String(dump[Range(match.range(at: 1), in: dump)!])] = []
        }
        for match in node.matches(in: dump, range: NSRange(dump.startIndex..., in: dump)) {
            let field = { (i: Int) in String(dump[Range(match.range(at: i), in: dump)!]) }
            guard let kind = compilerKinds[field(1)] else { continue }
            // "fit(_:)" → "fit", "+(_:_:)" → "+", an extension's "Tensor.Shape" → "Tensor".
            var name = String(field(4).prefix { $0 != "(" })
            if kind == "extension" { name = String(name.prefix { $0 != "." && $0 != "<" }) }
            found[field(2), default: []].insert(kind == "case" ? "case \(name)" : "\(kind) \(name) \(field(3))")
        }
        return found
    }

    /// The `.swift` files under `folders` (relative to the root), sorted.
    static func swiftFiles(under folders: [String]) -> [String] {
        folders.flatMap { folder in
            (FileManager.default.enumerator(atPath: root.appendingPathComponent(folder).path)?.allObjects ?? [])
                .compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.map { "\(folder)/\($0)" }
        }.sorted()
    }

    /// `files` cut into groups with no two files of one name (the compiler refuses two `main.swift` in
    /// one call), as many groups as there are cores at least, each file going to the smallest group
    /// that can take it, so that the groups parse side by side in about the same time.
    static func batches(_ files: [String]) -> [[String]] {
        var batches = [[String]](repeating: [], count: max(2, ProcessInfo.processInfo.activeProcessorCount))
        var names = [Set<String>](repeating: [], count: batches.count)
        for file in files {
            let name = URL(fileURLWithPath: file).lastPathComponent
            let free = batches.indices.filter { !names[$0].contains(name) }.min {
                batches[$0].count < batches[$1].count
            }
            if let free {
                batches[free].append(file)
                names[free].insert(name)
            } else {
                batches.append([file])
                names.append([name])
            }
        }
        return batches.filter { !$0.isEmpty }
    }

    /// The library, the chapters, the exercises' support and the reference answers: the code the
    /// workbook and its checks read.
    @Test func theReaderFindsTheDeclarationsTheCompilerParses() throws {
        let files = Self.swiftFiles(under: ["Shared", "Chapters", "Tests/ExerciseSupport", "Solutions"])
        #expect(files.count > 100, "\(files.count) files under \(Self.root.path)")
        // The batches are parsed side by side: each is a compiler process of its own.
        let batches = Self.batches(files)
        var results = [Result<[String: Set<String>], Error>?](repeating: nil, count: batches.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: batches.count) { k in
            let result = Result { try Self.compilersDeclarations(of: batches[k]) }
            lock.lock()
            results[k] = result
            lock.unlock()
        }
        var compilers: [String: Set<String>] = [:]
        for result in results { compilers.merge(try result!.get()) { a, _ in a } }
        #expect(compilers.count == files.count, "the compiler reported on \(compilers.count) of \(files.count) files")
        for file in files {
            let source = SwiftSource(
                try String(contentsOfFile: Self.root.appendingPathComponent(file).path, encoding: .utf8))
            #expect(source.problems.isEmpty, "\(file): \(source.problems)")
            let readers = Set(
                source.declarations().filter { Self.compilerKinds.values.contains($0.kind) }.map {
                    $0.kind == "case" ? "case \($0.name)" : "\($0.kind) \($0.name) \($0.lastLine)"
                })
            let expected = compilers[file] ?? []
            #expect(
                readers == expected,
                "\(file): only the reader: \(readers.subtracting(expected).sorted()); only the compiler: \(expected.subtracting(readers).sorted())"
            )
        }
    }
}
