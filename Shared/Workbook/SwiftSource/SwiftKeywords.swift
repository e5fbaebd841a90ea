/// The words of Swift that the source reader needs to know, in one place.
public enum SwiftKeywords {
    /// Words that cannot be names without backticks: what the tokenizer calls keywords. Contextual
    /// words (`open`, `get`, `mutating`, `actor`) are not here: they are names outside their context.
    public static let reserved: Set<String> = [
        // Declarations.
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "operator", "precedencegroup", "private", "protocol", "public",
        "static", "struct", "subscript", "typealias", "var",
        // Statements.
        "break", "case", "catch", "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard",
        "if", "in", "repeat", "return", "switch", "throw", "where", "while",
        // Expressions and types.
        "Any", "as", "await", "false", "is", "nil", "rethrows", "self", "Self", "super", "throws", "true",
        "try", "_"
    ]

    /// The keywords that start a declaration the reader reports (`actor` is contextual: a declaration
    /// only where a name follows it).
    public static let declarations: Set<String> = [
        "class", "struct", "enum", "protocol", "actor", "extension", "func", "typealias", "var", "let", "init",
        "deinit", "subscript", "case"
    ]

    /// The declarations that are types, or add to one.
    public static let typeDeclarations: Set<String> = ["class", "struct", "enum", "protocol", "actor", "extension"]

    /// Words that may come before a declaration's keyword, some with a parenthesised detail
    /// (`private(set)`, `nonisolated(unsafe)`). `class` is one too, before `func`, `var` or `subscript`.
    public static let modifiers: Set<String> = [
        "public", "open", "package", "internal", "private", "fileprivate", "final", "override", "static",
        "mutating", "nonmutating", "nonisolated", "isolated", "indirect", "convenience", "required", "lazy",
        "dynamic", "weak", "unowned", "optional", "prefix", "postfix", "infix", "consuming", "borrowing",
        "distributed"
    ]

    /// The modifiers that keep a declaration inside its file.
    public static let fileOnly: Set<String> = ["private", "fileprivate"]
}
