/// A name used in code (interpolations included), with what around it tells the kind of use.
public struct SwiftIdentifierUse: Equatable, Sendable {
    /// The name, without backticks.
    public var name: String
    /// The line (from 1) it is on.
    public var line: Int
    /// Whether a `.` comes right before it: a member (`x.fit`, `.fit`), not a name on its own.
    public var afterDot: Bool
    /// Whether a `:` comes right after it: an argument label, a parameter's or a dictionary key's
    /// name, or a declaration's before its type. A ternary's middle operand reads the same.
    public var isLabel: Bool
}

extension SwiftSource {
    /// Every name used in the code, in order (declared names included: `func fit` has a use of `fit`).
    public func identifierUses() -> [SwiftIdentifierUse] {
        tokens.indices.compactMap { index in
            let token = tokens[index]
            guard token.kind == .identifier else { return nil }
            let before = previousCodeToken(before: index).map { tokens[$0] }
            let after = nextCodeToken(after: index).map { tokens[$0] }
            return SwiftIdentifierUse(
                name: token.name, line: token.line, afterDot: before?.isMark(".") ?? false,
                isLabel: after?.isMark(":") ?? false)
        }
    }

    /// Whether `name` is used in the code as a name (`fibonacci(…)`, `Exercise16.fibonacci(…)`,
    /// `.map(fibonacci)`), not in a comment or a string.
    public func uses(_ name: String) -> Bool {
        tokens.contains { $0.kind == .identifier && $0.name == name }
    }
}
