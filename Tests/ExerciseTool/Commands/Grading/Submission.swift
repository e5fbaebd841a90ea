import AnswerRules
import Foundation

/// One exercise as the instructor handed it out: its number and its folder in `Exercises/`.
struct GradedExercise {
    let number: String
    let folder: String
    /// How many checks it has (the lines of its timings file), for the rows of answers never checked.
    let checkCount: Int
}

/// One learner's entry in the submissions folder, laid out for grading: a copy of their `Exercises/`
/// (from a folder, a clone of the workbook or an archive of either), and what was odd about it.
struct Submission {
    /// The learner's name: the entry's name without an archive's extension.
    let learner: String
    /// The copy of their `Exercises/` that is graded, or nil when none could be found.
    var exercises: String?
    /// What the report says about the entry: stray files, changes outside the answer regions, a bad
    /// archive. The entry is graded all the same, as far as it can be.
    var notes: [String] = []

    /// The archive extensions an entry may have.
    static let archives = [".tar.gz", ".tgz", ".zip"]

    /// Lays out the entry at `path` in `folder` (emptied first) and finds its `Exercises/`.
    init(entry path: String, in folder: String, handedOut: [GradedExercise], stubs: String) {
        let name = URL(fileURLWithPath: path).lastPathComponent
        learner = Self.archives.first { name.hasSuffix($0) }.map { String(name.dropLast($0.count)) } ?? name
        let files = FileManager.default
        try? files.removeItem(atPath: folder)
        try? files.createDirectory(atPath: folder + "/unpacked", withIntermediateDirectories: true)
        let unpacked = folder + "/unpacked"
        var isFolder: ObjCBool = false
        _ = files.fileExists(atPath: path, isDirectory: &isFolder)
        if isFolder.boolValue {
            shell(["cp", "-r", "--no-preserve=all", path + "/.", unpacked])
        } else if name.hasSuffix(".zip") {
            let (status, text) = shell(["unzip", "-q", path, "-d", unpacked])
            if status != 0 {
                notes.append("the archive does not unpack: \(text.split(separator: "\n").first ?? "unzip failed")")
                return
            }
        } else if name.hasSuffix(".tar.gz") || name.hasSuffix(".tgz") {
            // GNU tar drops a leading / and refuses names with .. in them: nothing lands outside.
            let (status, text) = shell(["tar", "-xzf", path, "-C", unpacked, "--no-same-owner", "--no-same-permissions"]
            )
            if status != 0 {
                notes.append("the archive does not unpack: \(text.split(separator: "\n").first ?? "tar failed")")
                return
            }
        } else {
            notes.append("not a folder, a .tar.gz or a .zip: nothing to grade")
            return
        }
        // Links could point anywhere on the instructor's machine: they are dropped, and said.
        let links = shell(["find", unpacked, "-type", "l"]).text.split(separator: "\n")
        if !links.isEmpty {
            notes.append("\(links.count) symbolic link(s) ignored")
            shell(["find", unpacked, "-type", "l", "-delete"])
        }
        guard let found = Self.exercisesFolder(in: unpacked, handedOut: handedOut) else {
            let empty = ((try? files.contentsOfDirectory(atPath: unpacked)) ?? []).isEmpty
            notes.append(empty ? "the entry is empty" : "no exercise folders in the entry (nor an Exercises/ folder)")
            return
        }
        exercises = found
        notes += Self.strays(in: found, handedOut: handedOut)
        notes += Self.changesOutsideAnswers(in: found, handedOut: handedOut, stubs: stubs)
    }

    /// The folder that holds the exercise folders: `Exercises/` of a clone, the entry itself, or the
    /// same inside the one folder an archive wraps them in.
    static func exercisesFolder(in folder: String, handedOut: [GradedExercise]) -> String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        if names.contains("Exercises") { return folder + "/Exercises" }
        if names.contains(where: { name in handedOut.contains { $0.folder == name } }) { return folder }
        let visible = names.filter { !$0.hasPrefix(".") && !$0.hasPrefix("__MACOSX") }
        if visible.count == 1 { return exercisesFolder(in: folder + "/" + visible[0], handedOut: handedOut) }
        return nil
    }

    /// Files and folders beside the exercise folders that the workbook does not hand out.
    static func strays(in folder: String, handedOut: [GradedExercise]) -> [String] {
        let expected = Set(handedOut.map(\.folder) + ["ANSWERS.md"])
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        let strays = names.filter { !expected.contains($0) && !$0.hasPrefix(".") }
        return strays.isEmpty ? [] : ["stray files beside the exercises: \(strays.joined(separator: ", "))"]
    }

    /// Each handed-out file of an exercise the learner changed outside its answer regions, each import
    /// added, and each line of an answer region that `ReviewFlags` points out.
    static func changesOutsideAnswers(in folder: String, handedOut: [GradedExercise], stubs: String) -> [String] {
        var notes: [String] = []
        for exercise in handedOut {
            let mine = folder + "/" + exercise.folder, original = stubs + "/" + exercise.folder
            guard FileManager.default.fileExists(atPath: mine),
                let walker = FileManager.default.enumerator(atPath: original)
            else { continue }
            for case let file as String in walker where file.hasSuffix(".swift") {
                guard let stub = try? String(contentsOfFile: original + "/" + file, encoding: .utf8) else { continue }
                guard let answer = try? String(contentsOfFile: mine + "/" + file, encoding: .utf8) else {
                    notes.append("\(exercise.folder)/\(file) is missing")
                    continue
                }
                let name = "\(exercise.folder)/\(file)"
                for added in ReviewFlags.addedImports(answer: answer, stub: stub) {
                    notes.append("\(name):\(added.line) adds an import: \(added.text)")
                }
                let rest = ReviewFlags.withoutAddedImports(answer, stub: stub)
                if let change = AnswerRegions.changesOutside(answer: rest, stub: stub) {
                    notes.append("\(name): \(change) (graded as it is)")
                }
                notes += ReviewFlags.lines(in: answer, file: name)
            }
        }
        return notes
    }

    /// A fingerprint of everything under `folder` (names and contents), for the cache of built checks.
    static func fingerprint(of folder: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        let files = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted()
        for file in files {
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder + "/" + file, isDirectory: &isFolder)
            guard !isFolder.boolValue, let data = FileManager.default.contents(atPath: folder + "/" + file) else {
                continue
            }
            mix(Array(file.utf8) + [0])
            mix(Array(String(data.count).utf8) + [0])
            mix(data)
        }
        return String(hash, radix: 16)
    }
}
