import Foundation

/// Marks an answer the student has not written yet: `todo("Return … Hint: …")`.
///
/// Inside a test (code run through `answer { … }`) it fails that test with `hint`, naming the exercise
/// and the file and line to edit, and the other tests carry on. Anywhere else (`swift run exercise-16`)
/// it prints the same message and ends the program with status 1.
///
/// It returns `Never`, so a stub type-checks wherever a value is expected: `func f() -> [Int] { todo("…") }`.
public func todo(_ hint: String, filePath: StaticString = #filePath, line: UInt = #line) -> Never {
    let unanswered = Unanswered(hint: hint, filePath: "\(filePath)", line: Int(line))
    if let sandbox = AnswerSandbox.current {
        sandbox.finish(.failure(unanswered))
        AnswerSandbox.parkForever()
    }
    FileHandle.standardError.write(Data("\n\(unanswered)\n".utf8))
    exit(1)
}

/// The error a test fails with when it reaches an unanswered `todo`.
public struct Unanswered: Error, CustomStringConvertible {
    /// What the student is asked to write, and a hint.
    public let hint: String
    /// Where the stub is, made relative to the repository (`Exercises/16-Fibonacci/Sources/…`).
    public let location: String
    /// The exercise's number as the chapter gives it ("16", "R2"), read from the folder name.
    public let exercise: String

    init(hint: String, filePath: String, line: Int) {
        self.hint = hint
        let relative =
            ["/Exercises/", "/Solutions/"].lazy.compactMap { marker in
                filePath.range(of: marker).map { String(filePath[filePath.index(after: $0.lowerBound)...]) }
            }.first ?? filePath
        location = "\(relative):\(line)"
        // "Exercises/16-Fibonacci/Sources/…" → "16"
        let parts = relative.split(separator: "/")
        exercise = parts.count > 1 ? String(parts[1].prefix { $0 != "-" }) : "?"
    }

    public var description: String {
        "Exercise \(exercise) is not answered yet (\(location)).\n  TODO: \(hint)"
    }
}
