import Foundation

/// What an instructor should read in an answer whatever its verdict: the lines of answer regions that
/// reach the process, its descriptors, files or loaded code (an answer needs none of these), and the
/// `import`s a learner added to a handed-out file (`make grade` notes them in `grades.html`).
public enum ReviewFlags {
    /// A pattern worth a look, what it means, and words one of which a matching line must hold (a
    /// plain search first: regular expressions on every line of a class's answers take seconds).
    struct Pattern {
        let words: [String]
        let regex: Regex<AnyRegexOutput>
        let what: String

        init(_ words: [String], _ pattern: String, _ what: String) {
            self.words = words
            regex = try! Regex(pattern)
            self.what = what
        }

        func matches(_ code: String) -> Bool { words.contains { code.contains($0) } && code.contains(regex) }
    }

    /// The patterns, matched on each line of an answer region with its `//` comment removed.
    static let patterns: [Pattern] = [
        Pattern(["FileHandle"], #"\bFileHandle\b"#, "FileHandle (descriptors)"),
        Pattern(
            ["write", "read", "send", "recv", "close", "dup"],
            #"\b(write|read|pwrite|pread|send|recv|close|dup2?)\s*\(\s*[0-9]"#, "a descriptor by its number"),
        Pattern(["fileDescriptor"], #"fileDescriptor\s*:"#, "a descriptor by its number"),
        Pattern(
            ["exit", "Exit", "abort", "raise"], #"\b(exit|_exit|_Exit|abort|raise)\s*\("#,
            "ends the process (exit, abort)"),
        Pattern(["kill"], #"\b(kill|killpg)\s*\("#, "kill"),
        Pattern(["fork", "setsid", "daemon"], #"\b(fork|vfork|setsid|daemon)\s*\("#, "fork or detach a process"),
        Pattern(
            ["spawn", "exec", "system", "popen"], #"\bposix_spawnp?\b|\bexec[lv]p?e?\s*\(|\bsystem\s*\(|\bpopen\s*\("#,
            "start a program"),
        Pattern(["Process", "getenv"], #"\bProcess\s*\(|\bProcessInfo\b|\bgetenv\s*\("#, "Process or the environment"),
        Pattern(["dl", "@_"], #"\bdl(open|sym)\s*\(|@_silgen_name|@_cdecl"#, "loads or names code by symbol"),
        Pattern(["/proc"], #"/proc\b"#, "/proc"),
        Pattern(["syscall", "ptrace", "mmap", "mprotect"], #"\b(syscall|ptrace|mmap|mprotect)\s*\("#, "a system call"),
        Pattern(["FileManager", "open"], #"\bFileManager\b|\bfopen\s*\(|\bopen\s*\(\s*""#, "files"),
        Pattern(
            ["RawPointer", "bitPattern"],
            #"Unsafe(Mutable)?RawPointer\b.*(\+|advanced|fromByteOffset|toByteOffset|bitPattern)|\bbitPattern\s*:"#,
            "raw pointer arithmetic")
    ]

    /// The flagged lines of `answer` (a file of exercise folder `file`), "file:line: what: text".
    public static func lines(in answer: String, file: String) -> [String] {
        var flagged: [String] = [], inside = false
        for (number, line) in answer.components(separatedBy: "\n").enumerated() {
            let marker = line.trimmingCharacters(in: .whitespaces)
            if AnswerRegions.opening.contains(marker) {
                inside = true
                continue
            }
            if AnswerRegions.closing.contains(marker) {
                inside = false
                continue
            }
            guard inside else { continue }
            let code = line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? line
            let hits = patterns.filter { $0.matches(code) }.map(\.what)
            guard !hits.isEmpty else { continue }
            let excerpt = marker.count > 100 ? String(marker.prefix(100)) + "…" : marker
            flagged.append("\(file):\(number + 1) uses \(Set(hits).sorted().joined(separator: ", ")): \(excerpt)")
        }
        return flagged
    }

    /// The `import` lines of `answer` that `stub` does not have, with their line numbers.
    public static func addedImports(answer: String, stub: String) -> [(line: Int, text: String)] {
        func imports(_ text: String) -> [(Int, String)] {
            text.components(separatedBy: "\n").enumerated().compactMap { number, line in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                return trimmed.contains("import") && trimmed.contains(#/^(@\w+\s+)*import\s+\w/#)
                    ? (number + 1, trimmed) : nil
            }
        }
        let original = Set(imports(stub).map(\.1))
        return imports(answer).filter { !original.contains($0.1) }
    }

    /// `answer` without the lines that `addedImports` found, for comparing the rest with the stub.
    public static func withoutAddedImports(_ answer: String, stub: String) -> String {
        let added = Set(addedImports(answer: answer, stub: stub).map(\.line))
        return answer.components(separatedBy: "\n").enumerated().filter { !added.contains($0.offset + 1) }
            .map(\.element).joined(separator: "\n")
    }
}
