import Testing

@testable import Shared
@testable import Workbook

/// Declarations and names read from tokens, on snippets whose answers were worked out by hand.
@Suite struct SwiftSourceDeclarationTests {
    /// Each declaration as `kind name lines depth`, e.g. `func fit 3-5 1`.
    func declarations(_ source: String) -> [String] {
        SwiftSource(source).declarations().map { "\($0.kind) \($0.name) \($0.firstLine)-\($0.lastLine) \($0.depth)" }
    }

    @Test func membersLocalsAndDocComments() {
        let source = """
            /// A type.
            /// Two lines of doc.
            public struct Holder<T>: Equatable
            where T: Equatable {
                public private(set) var count = 0
                // Not a doc comment.
                @discardableResult
                mutating func grow(by n: Int) -> Int {
                    if let more = Optional(n), more > 0 { count += more }
                    let prefix = "{"
                    return count
                }
            }
            """
        #expect(
            declarations(source) == [
                "struct Holder 1-13 0", "var count 5-5 1", "func grow 7-12 1", "let more 9-9 2", "let prefix 10-10 2"
            ])
        let grow = SwiftSource(source).declarations()[2]
        #expect(grow.modifiers == ["mutating"] && grow.parent == 0)
        let body = SwiftSource(source).bodyText(of: grow) ?? ""
        #expect(body.hasPrefix("\n        if let more") && body.hasSuffix("return count\n    "), "\(body)")
    }

    @Test func enumCasesButNotSwitchCases() {
        let source = """
            enum Event: String { case beforeFit, afterFit = "after", other(Int)
                indirect case nested(Event)
                func name() -> String {
                    switch self {
                    case .beforeFit: return "b"
                    default: return ""
                    }
                }
            }
            """
        #expect(
            declarations(source) == [
                "enum Event 1-9 0", "case beforeFit 1-1 1", "case afterFit 1-1 1", "case other 1-1 1",
                "case nested 2-2 1", "func name 3-8 1"
            ])
    }

    @Test func modifiersOperatorsInitsAndRequirements() {
        let source = """
            protocol Shape {
                var area: Double { get }
                func scaled(by factor: Double)
                    -> Self
                static func make() -> Self
            }
            class Base { class func make() -> Base { Base() }
                convenience init?(x: Int) { self.init() }
                deinit {}
                subscript(i: Int) -> Int { i }
            }
            public prefix func ~ (mask: [Bool]) -> [Bool] { mask.map { !$0 } }
            let weak = 1
            """
        #expect(
            declarations(source) == [
                "protocol Shape 1-6 0", "var area 2-2 1", "func scaled 3-4 1", "func make 5-5 1", "class Base 7-11 0",
                "func make 7-7 1", "init init 8-8 1", "deinit deinit 9-9 1", "subscript subscript 10-10 1",
                "func ~ 12-12 0", "let weak 13-13 0"
            ])
        #expect(SwiftSource(source).declarations()[5].modifiers == ["class"])
    }

    @Test func usesKnowDotsAndLabels() {
        let uses = SwiftSource("learn.fit(epochs: n) // fit(x)\n\"\\(Later())\"").identifierUses()
        #expect(uses.map(\.name) == ["learn", "fit", "epochs", "n", "Later"])
        #expect(uses.map(\.afterDot) == [false, true, false, false, false])
        #expect(uses.map(\.isLabel) == [false, false, true, false, false])
    }
}
