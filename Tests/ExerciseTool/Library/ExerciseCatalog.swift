import Foundation

/// One exercise of the workbook: its number and the folder its answers live in.
public struct Exercise: Equatable, Sendable {
    /// "16", "R3".
    public let number: String
    /// "16-Fibonacci": the same name in `Exercises/` and `Solutions/`.
    public let folder: String

    /// The folder of its checks, its runner and its `Exercise.md`, relative to the workbook.
    public var checksFolder: String { "Tests/ExerciseChecks/\(number)" }

    /// The questionnaire's order: questions by number, then further research (R1, R2, …) by number.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        let (aResearch, bResearch) = (a.hasPrefix("R"), b.hasPrefix("R"))
        if aResearch != bResearch { return bResearch }
        return a.compare(b, options: .numeric) == .orderedAscending
    }
}

/// A user's mistake in naming an exercise, said with the numbers that exist.
public struct ExerciseLookupError: Error, CustomStringConvertible {
    public let description: String
}

/// The exercises a workbook folder holds: those with checks in `Tests/ExerciseChecks/<N>/Checks` and an
/// answer folder `<N>-<Name>` in `Exercises/` (or in `Solutions/`, for an exercise not handed out yet).
public struct ExerciseCatalog {
    /// The workbook's folder.
    public let root: URL
    /// Every exercise, in the questionnaire's order.
    public let exercises: [Exercise]

    public init(root: URL) {
        self.root = root
        let answers =
            Self.folders(in: root.appendingPathComponent("Exercises"))
            + Self.folders(in: root.appendingPathComponent("Solutions"))
        let checks = Self.folders(in: root.appendingPathComponent("Tests/ExerciseChecks")).filter {
            FileManager.default.fileExists(
                atPath: root.appendingPathComponent("Tests/ExerciseChecks/\($0)/Checks").path)
        }
        exercises = checks.sorted(by: Exercise.precedes).compactMap { number in
            answers.first { $0.prefix { $0 != "-" } == number }.map { Exercise(number: number, folder: $0) }
        }
    }

    /// The exercise numbered `given` ("r1" finds R1), or an error that lists the numbers.
    public func exercise(_ given: String?) throws -> Exercise {
        let numbers = exercises.map(\.number).joined(separator: " ")
        guard let given, !given.isEmpty else {
            throw ExerciseLookupError(description: "Which exercise? Say N=…, one of: \(numbers)")
        }
        guard let found = exercises.first(where: { $0.number == given.uppercased() }) else {
            throw ExerciseLookupError(description: "There is no exercise \(given). The exercises are: \(numbers)")
        }
        return found
    }

    /// `given`, or every exercise when it is "all".
    public func exercises(_ given: String?) throws -> [Exercise] {
        given?.lowercased() == "all" ? exercises : [try exercise(given)]
    }

    /// The Swift files of `exercise` in `tree` ("Exercises" or "Solutions"), sorted.
    public func sources(of exercise: Exercise, in tree: String) -> [URL] {
        let folder = root.appendingPathComponent("\(tree)/\(exercise.folder)/Sources")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".swift") }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// The names of the folders directly inside `url`, hidden ones left out.
    static func folders(in url: URL) -> [String] {
        // readdir gives each entry's type: no stat per entry, for the layout's few hundred folders.
        guard let directory = opendir(url.path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard !name.hasPrefix(".") else { continue }
            let type = entry.pointee.d_type
            if type == UInt8(DT_DIR) {
                names.append(name)
                continue
            }
            guard type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) else { continue }
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path, isDirectory: &isFolder),
                isFolder.boolValue
            {
                names.append(name)
            }
        }
        return names.sorted()
    }
}
