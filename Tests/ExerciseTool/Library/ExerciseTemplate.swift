import Foundation

/// Everything a new exercise needs, laid out as a small complete exercise (clamping a tensor into a
/// range) for an instructor to turn into theirs: the stub and the reference, the checks and the two
/// programs that run them, the program that shows the answer at work, the `Exercise.md` with the
/// question and a hint, and a folder for the known-wrong answers.
public struct ExerciseTemplate {
    /// "35", "R7".
    public let number: String
    /// "Clamp": a Swift type name, and the folder's "35-Clamp".
    public let name: String

    /// A user's mistake in the number or the name.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    public init(number: String, name: String) throws {
        guard !number.isEmpty, !name.isEmpty else {
            throw Problem(
                description:
                    "Say the number and the name: make new-exercise N=35 NAME=Clamp (NAME is a Swift type name)")
        }
        let number = number.uppercased()
        let digits = number.hasPrefix("R") ? number.dropFirst() : Substring(number)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
            throw Problem(description: "N is a question number (35) or a further-research one (R7), not '\(number)'")
        }
        guard let first = name.first, first.isASCII, first.isUppercase,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else {
            throw Problem(description: "NAME is a Swift type name in UpperCamelCase (Clamp), not '\(name)'")
        }
        self.number = number
        self.name = name
    }

    var folder: String { "\(number)-\(name)" }
    var function: String { name.prefix(1).lowercased() + name.dropFirst() }
    var question: String {
        (number.hasPrefix("R") ? "Further research \(number.dropFirst())." : "Question \(number).")
            + " Clamp every element of a tensor into a range."
    }

    /// Each file, by its path in the workbook.
    public var files: [(path: String, text: String)] {
        let checks = "Tests/ExerciseChecks/\(number)"
        return [
            (
                "Exercises/\(folder)/Sources/\(name).swift",
                stub("    todo(\"\(function)(_:low:high:) is not written yet.\")")
            ),
            (
                "Solutions/\(folder)/Sources/\(name).swift",
                stub("    todo(\"The reference answer to exercise \(number) is not written yet.\")")
            ),
            ("\(checks)/Exercise.md", info),
            ("\(checks)/Run/main.swift", runner),
            ("\(checks)/Checks/\(name)Checks.swift", checksFile),
            ("\(checks)/Student/main.swift", program(learners: true)),
            ("\(checks)/Reference/main.swift", program(learners: false)),
            ("\(checks)/AnswerChecks.swift", answerChecks),
            ("Tests/WrongAnswers/\(number)/.gitkeep", "")
        ]
    }

    /// Writes the files into the workbook at `root`, unless the exercise exists; returns their paths.
    public func write(into root: URL) throws -> [String] {
        let taken = ["Exercises", "Solutions"].flatMap { tree in
            ExerciseCatalog.folders(in: root.appendingPathComponent(tree)).filter { $0.hasPrefix(number + "-") }
                .map { "\(tree)/\($0)" }
        }
        let checks = "Tests/ExerciseChecks/\(number)"
        let existing =
            taken + (FileManager.default.fileExists(atPath: root.appendingPathComponent(checks).path) ? [checks] : [])
        guard existing.isEmpty else {
            throw Problem(description: "Exercise \(number) exists already: \(existing.joined(separator: " "))")
        }
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return files.map(\.path).sorted()
    }

    /// The answer file; `answer` is the body of its answer region.
    func stub(_ answer: String) -> String {
        """
        import ExerciseSupport
        import Shared

        // \(question)
        //
        // (Say here what the learner is asked. The line above is the question in
        // Tests/ExerciseChecks/\(number)/Exercise.md, word for word: `make exercises` shows that one.)

        /// Every element of `x` limited to `low…high`: elements below `low` become `low`, above `high`
        /// become `high`, the rest stay as they are. The shape does not change.
        ///
        /// `\(function)(Tensor([-2, 0.5, 3]), low: 0, high: 1)` holds `[0, 0.5, 1]`.
        public func \(function)(_ x: Tensor, low: Float, high: Float) -> Tensor {
            // MARK: - Answer
        \(answer)
            // MARK: - End of answer
        }

        """
    }

    var info: String {
        """
        # Exercise \(number)

        \(question)

        ## Where to start

        Write the hints from the mistakes you expect, the first one gentle and the last one nearly the
        answer. Each section is one hint; `make hint N=\(number)` shows them one at a time.

        """
    }

    var runner: String {
        """
        // Shows exercise \(number) at work: `make run-exercise N=\(number)`.
        import Exercise\(number)
        import Shared

        let x = Tensor([-2, -0.5, 0, 0.25, 0.75, 1, 3])
        print("x                        = \\(x)")
        print("\(function)(x, low: 0, high: 1) = \\(\(function)(x, low: 0, high: 1))")

        """
    }

    var checksFile: String {
        """
        import ExerciseSupport
        import Shared

        /// What an answer to exercise \(number) provides: the function the question asks for. The checks call
        /// the answer only through it, so they build without any answer (`Checks\(number)` depends on none).
        public struct \(name)Answer {
            public var \(function): (Tensor, Float, Float) -> Tensor

            public init(\(function): @escaping (Tensor, Float, Float) -> Tensor) { self.\(function) = \(function) }
        }

        /// The checks of exercise \(number), each with a message in the learner's terms: what is wrong and
        /// where to look. Keep a known-wrong answer for every mistake a check names (`make wrong-answer
        /// N=\(number) NAME=…`), and `make test` proves each one rejected for its reason.
        public func checks(_ given: \(name)Answer) -> [Check] {
            [
                Check("elements inside the range are left as they are") {
                    let x = Tensor([0.25, 0.5, 0.75])
                    let got = try answer { given.\(function)(x, 0, 1) }
                    try expect(got.shape == [3], "the result has shape \\(got.shape); it should keep the input's shape [3]")
                    try expect(got.toArray() == [0.25, 0.5, 0.75], "elements already inside 0…1 changed: \\(got.toArray())")
                },
                Check("elements outside the range become its ends") {
                    let got = try answer { given.\(function)(Tensor([-2, 3, -0.5, 1.5]), 0, 1) }
                    try expect(
                        got.toArray() == [0, 1, 0, 1],
                        "clamping [-2, 3, -0.5, 1.5] into 0…1 gave \\(got.toArray()); below the range becomes low, above it high")
                },
            ]
        }

        """
    }

    /// `Student/main.swift` (the learner's answer) or `Reference/main.swift` (the reference's).
    func program(learners: Bool) -> String {
        let module = learners ? "Exercise\(number)" : "Reference\(number)"
        let what = learners ? "the learner's answer in Exercises/" : "the reference answer in Solutions/"
        return """
            // `make \(learners ? "exercise" : "solution") N=\(number)`: the checks of exercise \(number) against \(what).
            import Checks\(number)
            import ExerciseSupport
            import \(module)

            runChecks(exercise: "\(number)", checks(\(name)Answer(\(function): { \(function)($0, low: $1, high: $2) })))

            """
    }

    var answerChecks: String {
        """
        // Compiled into the module of each known-wrong answer to exercise \(number) (`workbook wrong-answer
        // apply`): the checks on the answer they are compiled with, as Student/ and Reference/ call them.
        import Checks\(number)
        import ExerciseSupport
        import Shared

        /// The checks of exercise \(number) on this module's answer.
        public func answerChecks(source _: AnswerSource) -> [Check] {
            checks(\(name)Answer(\(function): { \(function)($0, low: $1, high: $2) }))
        }

        """
    }
}
