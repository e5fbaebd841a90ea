import Foundation
import Shared
import Testing

/// The numbered folders of `Shared/` are the chapter's sections in reading order: nothing in one
/// uses a name that a later one declares (`ReadingOrderScanner` says what it scans). The first test
/// checks the real tree; the others prove the scanner catches what it must and only that.
@Suite struct ReadingOrderTests {
    /// The repository's root, from this file's place in it (Tests/SharedTests/Layout/).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func noSectionUsesALaterOne() throws {
        let sections = try ReadingOrderScanner.sections(under: Self.root)
        // 00-Data, 01-Dataset, … numbered without gaps: a misnamed folder would escape the check.
        let numbers = sections.map { String($0.name.prefix(2)) }
        let expected = (0..<sections.count).map { String(format: "%02d", $0) }
        #expect(
            sections.count >= 9 && numbers == expected, "found \(sections.map(\.name)) under \(Self.root.path)/Shared")
        #expect(sections.allSatisfy { !$0.files.isEmpty })
        let violations = ReadingOrderScanner.violations(in: sections)
        let report = violations.map(\.description).joined(separator: "\n")
        #expect(violations.isEmpty, "\(violations.count) use(s) of a later section's names:\n\(report)")
    }

    /// Two made-up sections: the second declares a type, a function and an extension member.
    static func tree(earlier: String) -> [ReadingOrderScanner.Section] {
        [
            .init(name: "01-First", files: [("Shared/01-First/A.swift", earlier)]),
            .init(
                name: "02-Second",
                files: [
                    (
                        "Shared/02-Second/B.swift",
                        """
                        public struct Later {}
                        func laterHelper() -> Int { 1 }
                        extension Array {
                            public var laterMember: Int { count }
                        }
                        private struct Hidden {}
                        """
                    )
                ])
        ]
    }

    @Test func reportsFileLineIdentifierAndSections() {
        let found = ReadingOrderScanner.violations(
            in: Self.tree(
                earlier: """
                    let ok = 1
                    func early() -> Later { Later() }
                    let n = laterHelper() + [1].laterMember
                    """))
        #expect(found.map(\.line) == [2, 2, 3, 3])
        #expect(found.map(\.identifier) == ["Later", "Later", "laterHelper", "laterMember"])
        #expect(
            found.first?.description
                == "Shared/01-First/A.swift:2: `Later` is declared in 02-Second (Shared/02-Second/B.swift) but used "
                + "in 01-First, an earlier section")
    }

    @Test func ignoresCommentsStringsLabelsMembersAndItsOwnNames() {
        let found = ReadingOrderScanner.violations(
            in: Self.tree(
                earlier: #"""
                    // Later, laterHelper() and .laterMember come in the next section.
                    /* Later /* nested */ Later */
                    let a = "Later laterHelper() \"Later\""
                    let b = #"Later"#
                    let c = """
                        Later
                        """
                    let d = f(Later: 1)          // an argument label
                    let e = x.laterHelper        // somebody else's member of that name
                    let laterMember = 3, g = laterMember  // not after a dot: not the extension's
                    let Hidden = 2
                    """#))
        #expect(found.isEmpty, "\(found)")
    }

    @Test func interpolationsAreCode() {
        let found = ReadingOrderScanner.violations(
            in: Self.tree(earlier: #"let s = "count: \(laterHelper() + (1 + 2)) and \("Later")""#))
        #expect(found.map(\.identifier) == ["laterHelper"])
    }

    @Test func blankingKeepsLinesAndColumns() {
        let source = "let a = \"x\" // y\n/* z\n z */ let b = 1\n"
        let blanked = SwiftSource(source).blankingCommentsAndStrings()
        #expect(blanked.count == source.count)
        #expect(blanked.split(separator: "\n", omittingEmptySubsequences: false).count == 4)
        #expect(blanked.contains("let b = 1") && !blanked.contains("x") && !blanked.contains("z"))
    }
}
