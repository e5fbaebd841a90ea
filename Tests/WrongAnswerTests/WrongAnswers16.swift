import Checks16
import ExerciseSupport
import Reference16
import Shared
import Testing
import Wrong16_breadth_first
import Wrong16_children_after_descendants
import Wrong16_children_only
import Wrong16_iterative
import Wrong16_recursion_in_comment
import Wrong16_short_base_case
import Wrong16_starts_at_one
import Wrong16_two_levels
import Wrong16_wrapped_helper
import Wrong16_wrapped_loop

/// Exercise 16's checks against its reference answer and its known-wrong answers.
@Suite("Exercise 16: known-wrong answers are rejected, the reference accepted")
struct WrongAnswers16 {
    /// An answer made of `fibonacci` and `descendants` from one module, with its source folder.
    static func answer(
        _ fibonacci: @escaping (Int) -> [Int], _ descendants: @escaping (Module) -> [Module], _ source: AnswerSource
    ) -> [Check] {
        checks(FibonacciAnswer(fibonacci: fibonacci, descendants: descendants, source: source))
    }

    static func wrong(_ slug: String) -> AnswerSource { .wrongAnswer("16", slug) }

    let catalogue = WrongAnswerCatalogue(
        exercise: "16",
        reference: {
            answer({ Reference16.fibonacci(count: $0) }, Reference16.descendants, .solutions("16-Fibonacci"))
        },
        wrong: [
            WrongAnswer(
                "breadth-first", because: "in another order",
                answer(
                    { Wrong16_breadth_first.fibonacci(count: $0) }, Wrong16_breadth_first.descendants,
                    wrong("breadth-first"))),
            WrongAnswer(
                "two-levels", because: "at every depth?",
                answer({ Wrong16_two_levels.fibonacci(count: $0) }, Wrong16_two_levels.descendants, wrong("two-levels"))
            ),
            WrongAnswer(
                "wrapped-helper", because: "goes no deeper than",
                answer(
                    { Wrong16_wrapped_helper.fibonacci(count: $0) }, Wrong16_wrapped_helper.descendants,
                    wrong("wrapped-helper"))),
            WrongAnswer(
                "wrapped-loop", because: "goes no deeper than",
                answer(
                    { Wrong16_wrapped_loop.fibonacci(count: $0) }, Wrong16_wrapped_loop.descendants,
                    wrong("wrapped-loop"))),
            WrongAnswer(
                "iterative", because: "never calls itself",
                answer(
                    { Wrong16_iterative.fibonacci(count: $0) }, Wrong16_iterative.descendants, wrong("iterative"))),
            WrongAnswer(
                "recursion-in-comment", because: "never calls itself",
                answer(
                    { Wrong16_recursion_in_comment.fibonacci(count: $0) }, Wrong16_recursion_in_comment.descendants,
                    wrong("recursion-in-comment"))),
            WrongAnswer(
                "starts-at-one", because: "the sequence starts 0, 1",
                answer(
                    { Wrong16_starts_at_one.fibonacci(count: $0) }, Wrong16_starts_at_one.descendants,
                    wrong("starts-at-one"))),
            WrongAnswer(
                "short-base-case", because: "it should return exactly 0",
                answer(
                    { Wrong16_short_base_case.fibonacci(count: $0) }, Wrong16_short_base_case.descendants,
                    wrong("short-base-case"))),
            WrongAnswer(
                "children-only", because: "only the modules directly inside",
                answer(
                    { Wrong16_children_only.fibonacci(count: $0) }, Wrong16_children_only.descendants,
                    wrong("children-only"))),
            WrongAnswer(
                "children-after-descendants", because: "in another order",
                answer(
                    { Wrong16_children_after_descendants.fibonacci(count: $0) },
                    Wrong16_children_after_descendants.descendants, wrong("children-after-descendants")))
        ])

    @Test func referenceIsAccepted() { catalogue.expectReferenceAccepted() }
    @Test func wrongAnswersAreRejected() { catalogue.expectWrongAnswersRejected() }
    @Test func everyWrongAnswerIsListed() throws { try catalogue.expectCatalogueComplete() }
}
