import Foundation

/// The known-wrong answers, kept as their mistakes: `Tests/WrongAnswers/<N>/<slug>.diff` is a unified
/// diff against the reference answer in `Solutions/`, headed by a `Mistake:` line (what the answer gets
/// wrong) and a `Rejected because:` line (a fragment of the message a failing check must give).
public struct WrongAnswers {
    let catalog: ExerciseCatalog
    /// Where they are laid out as modules, one per answer, for `WrongAnswerTests` (the manifest reads it).
    public static let appliedFolder = ".build/wrong-answers"
    static let draftsFolder = ".build/wrong-answers-draft"

    public init(catalog: ExerciseCatalog) { self.catalog = catalog }

    /// A user's mistake in naming an exercise or a draft, or a diff that no longer applies.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    var root: URL { catalog.root }

    /// Lays out every wrong answer as a module (the reference with the diff applied, and the exercise's
    /// `AnswerChecks.swift`), with a registry module that lists them; files that did not change keep
    /// their times, and so their builds. Returns how many; throws every diff that does not apply.
    public func apply() throws -> Int {
        let staging = root.appendingPathComponent(Self.appliedFolder + ".new")
        try? FileManager.default.removeItem(at: staging)
        defer { try? FileManager.default.removeItem(at: staging) }
        var failures: [String] = [], modules: [String] = [], entries: [String] = []
        let diffs = ExerciseCatalog.folders(in: root.appendingPathComponent("Tests/WrongAnswers")).flatMap { number in
            let folder = root.appendingPathComponent("Tests/WrongAnswers/\(number)")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.filter { $0.hasSuffix(".diff") }.sorted().map { (number, String($0.dropLast(5))) }
        }
        for (number, slug) in diffs {
            let file = "Tests/WrongAnswers/\(number)/\(slug).diff"
            guard let exercise = catalog.exercises.first(where: { $0.number == number }),
                FileManager.default.fileExists(atPath: root.appendingPathComponent("Solutions/\(exercise.folder)").path)
            else {
                failures.append("\(file): there is no Solutions/\(number)-…")
                continue
            }
            let text = (try? String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)) ?? ""
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            guard Self.hasLabel("Mistake: ", lines), Self.hasLabel("Rejected because: ", lines) else {
                failures.append("\(file): it must start with a 'Mistake:' line and a 'Rejected because:' line")
                continue
            }
            let destination = staging.appendingPathComponent("\(number)/\(slug)")
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
            let copies =
                catalog.sources(of: exercise, in: "Solutions")
                + [root.appendingPathComponent("\(exercise.checksFolder)/AnswerChecks.swift")]
            for source in copies {
                try FileManager.default.copyItem(
                    at: source, to: destination.appendingPathComponent(source.lastPathComponent))
            }
            // The diff's paths name the reference's files (Solutions/<folder>/Sources/<file>): strip 3.
            guard let start = lines.firstIndex(where: { $0.hasPrefix("--- ") }),
                patch(lines[start...].joined(separator: "\n"), in: destination)
            else {
                failures.append(
                    "\(file) no longer applies to Solutions/\(exercise.folder): the reference changed under it; "
                        + "edit the diff")
                continue
            }
            let module = "Wrong\(number)_" + slug.replacingOccurrences(of: "-", with: "_")
            modules.append(module)
            entries.append(
                "    (\"\(number)\", \"\(slug)\", { \(module).answerChecks(source: .wrongAnswer(\"\(number)\", \"\(slug)\")) }),"
            )
        }
        guard failures.isEmpty else {
            throw Problem(description: failures.map { "✘ \($0)" }.joined(separator: "\n"))
        }
        let registry = staging.appendingPathComponent("Registry")
        try FileManager.default.createDirectory(at: registry, withIntermediateDirectories: true)
        let source =
            [
                "// Written by `workbook wrong-answer apply`: every known-wrong answer, with the checks on it.",
                "import ExerciseSupport"
            ]
            + modules.map { "import \($0)" }
            + [
                "", "/// Each applied wrong answer: its exercise, its name, and the exercise's checks on it.",
                "public let appliedWrongAnswers: [(exercise: String, slug: String, checks: () -> [Check])] = ["
            ]
            + entries + ["]", ""]
        try source.joined(separator: "\n").write(
            to: registry.appendingPathComponent("Registry.swift"), atomically: true, encoding: .utf8)
        try Self.mirror(staging, into: root.appendingPathComponent(Self.appliedFolder))
        return modules.count
    }

    /// Starts wrong answer `slug` of `exercise`: a copy of the reference to break; returns its folder.
    public func startDraft(_ exercise: Exercise, _ slug: String) throws -> String {
        let reference = catalog.sources(of: exercise, in: "Solutions")
        guard !reference.isEmpty else { throw Problem(description: "There is no Solutions/\(exercise.number)-…") }
        let draft = "\(Self.draftsFolder)/\(exercise.number)/\(slug)"
        let folder = root.appendingPathComponent(draft)
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in reference {
            try FileManager.default.copyItem(at: file, to: folder.appendingPathComponent(file.lastPathComponent))
        }
        return draft
    }

    /// Turns the draft of wrong answer `slug` into `Tests/WrongAnswers/<N>/<slug>.diff`; returns its path.
    public func saveDraft(_ exercise: Exercise, _ slug: String) throws -> String {
        let draft = root.appendingPathComponent("\(Self.draftsFolder)/\(exercise.number)/\(slug)")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: draft.path)) ?? [])
            .filter { $0.hasSuffix(".swift") }.sorted()
        guard !names.isEmpty else {
            throw Problem(
                description: "No draft at \(Self.draftsFolder)/\(exercise.number)/\(slug): start with "
                    + "`make wrong-answer N=\(exercise.number) NAME=\(slug)`")
        }
        var body = ""
        for name in names {
            let path = "Solutions/\(exercise.folder)/Sources/\(name)"
            body += Self.output(
                ["diff", "-U2", "--label", path, "--label", path, path, draft.appendingPathComponent(name).path],
                in: root)
        }
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Problem(description: "The draft is the reference as it is: break it first.")
        }
        let file = "Tests/WrongAnswers/\(exercise.number)/\(slug).diff"
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("Tests/WrongAnswers/\(exercise.number)"), withIntermediateDirectories: true)
        let header =
            "Mistake: TODO say in a sentence what this answer gets wrong\n"
            + "Rejected because: TODO a fragment of the message that must reject it\n\n"
        try (header + body).write(to: root.appendingPathComponent(file), atomically: true, encoding: .utf8)
        return file
    }

    /// Whether some line starts with `label` and says something after it.
    static func hasLabel(_ label: String, _ lines: [Substring]) -> Bool {
        lines.contains { $0.hasPrefix(label) && $0.count > label.count }
    }

    /// Applies the unified diff `text` to the files in `folder`, exactly (no fuzz); true when it did.
    func patch(_ text: String, in folder: URL) -> Bool {
        let input = folder.appendingPathComponent(".patch")
        guard (try? (text + "\n").write(to: input, atomically: true, encoding: .utf8)) != nil else { return false }
        defer { try? FileManager.default.removeItem(at: input) }
        return Subprocess.run(
            [
                "patch", "--quiet", "--directory=\(folder.path)", "-p3", "--fuzz=0", "--no-backup-if-mismatch",
                "--reject-file=-", "--input=\(input.path)"
            ], output: "/dev/null") == 0
    }

    /// What `arguments` print (the exit status does not matter: diff says 1 when files differ).
    static func output(_ arguments: [String], in folder: URL) -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("workbook-diff-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        Subprocess.run(arguments, output: file, in: folder)
        return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    }

    /// Makes `target` hold exactly the files of `source`, writing only those whose bytes differ.
    static func mirror(_ source: URL, into target: URL) throws {
        let manager = FileManager.default
        let wanted = Set(manager.enumerator(atPath: source.path)?.compactMap { $0 as? String } ?? [])
        for path in wanted.sorted() {
            let from = source.appendingPathComponent(path), to = target.appendingPathComponent(path)
            var isFolder: ObjCBool = false
            _ = manager.fileExists(atPath: from.path, isDirectory: &isFolder)
            if isFolder.boolValue {
                try manager.createDirectory(at: to, withIntermediateDirectories: true)
            } else if manager.contents(atPath: from.path) != manager.contents(atPath: to.path) {
                try manager.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? manager.removeItem(at: to)
                try manager.copyItem(at: from, to: to)
            }
        }
        let present = manager.enumerator(atPath: target.path)?.compactMap { $0 as? String } ?? []
        for path in present.sorted(by: >) where !wanted.contains(path) {
            try? manager.removeItem(at: target.appendingPathComponent(path))
        }
    }
}
