import Foundation

extension Workbook {
    /// One step: what it is called, what it explains, the definitions it shows, where its code is,
    /// and the closure that runs it.
    public struct Step {
        /// A short title, e.g. "Cross-entropy".
        public var title: String
        /// A few sentences of explanation; paragraphs split by blank lines (see `wrapText`).
        public var explain: String
        /// Names of definitions to show before the code (`Learner`, `Learner.fit`, `crossEntropy`).
        public var definitions: [String]
        /// The source file of the `book.step(` call (`#filePath`).
        public var file: String
        /// The line the call starts on (`#line`); its trailing closure is the code shown.
        public var line: Int
        /// The work; reads settings and prints through its context.
        public var body: (StepContext) throws -> Void
    }

    /// A step as the reader sees it: its code and the definitions it shows, read from the source.
    public struct ShownStep: Codable, Equatable, Sendable {
        /// The step's number, from 1.
        public var number: Int
        /// The step's title.
        public var title: String
        /// The chapter's source file.
        public var file: String
        /// The line of the `book.step(` call.
        public var line: Int
        /// The body of the step's closure, dedented.
        public var code: String
        /// The definitions shown, in order.
        public var definitions: [SourceExcerpt]
    }

    /// Every step's code and definitions, read from the source files as they are now.
    /// - Throws: `SourceError` naming the file when a chapter or library file cannot be read, a step
    ///   has no trailing closure at its line, or a definition is not found.
    public func shownSteps() throws -> [ShownStep] {
        try steps.enumerated().map { index, step in
            let code = try StepSource.closureBody(file: step.file, line: step.line)
            let definitions = try step.definitions.map { name in
                do {
                    return try Workbook.librarySource.find(name, alsoIn: [step.file])
                } catch var error as SourceError {
                    error.message += " (step \(index + 1), “\(step.title)”, shows `\(name)`)"
                    throw error
                }
            }
            return ShownStep(
                number: index + 1, title: step.title, file: step.file, line: step.line, code: code,
                definitions: definitions)
        }
    }
}
