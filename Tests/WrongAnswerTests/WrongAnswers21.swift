import Checks21
import ExerciseSupport
import Reference21
import Shared
import Testing
import Wrong21_captures_the_layer
import Wrong21_containers_too
import Wrong21_describes_the_module
import Wrong21_direct_children_only
import Wrong21_last_layer_only
import Wrong21_records_inputs

/// Exercise 21's checks against its reference answer and its known-wrong answers.
@Suite("Exercise 21: known-wrong answers are rejected, the reference accepted")
struct WrongAnswers21 {
    static func answer(_ addShapeHooks: @escaping (Module, @escaping (String) -> Void) -> Void) -> [Check] {
        checks(ShapeHookAnswer(addShapeHooks: addShapeHooks))
    }

    let catalogue = WrongAnswerCatalogue(
        exercise: "21",
        reference: { answer { Reference21.addShapeHooks(to: $0, write: $1) } },
        wrong: [
            WrongAnswer(
                "records-inputs", because: "the shapes going INTO each layer",
                answer { Wrong21_records_inputs.addShapeHooks(to: $0, write: $1) }),
            WrongAnswer(
                "direct-children-only", because: "only layers (modules with no children) write",
                answer { Wrong21_direct_children_only.addShapeHooks(to: $0, write: $1) }),
            WrongAnswer(
                "containers-too", because: "a container such as Sequential writes nothing itself",
                answer { Wrong21_containers_too.addShapeHooks(to: $0, write: $1) }),
            WrongAnswer(
                "captures-the-layer", because: "reference cycle",
                answer { Wrong21_captures_the_layer.addShapeHooks(to: $0, write: $1) }),
            WrongAnswer(
                "describes-the-module", because: "the shapes are right but the names are not",
                answer { Wrong21_describes_the_module.addShapeHooks(to: $0, write: $1) }),
            WrongAnswer(
                "last-layer-only", because: "only the last layer wrote a line",
                answer { Wrong21_last_layer_only.addShapeHooks(to: $0, write: $1) })
        ])

    @Test func referenceIsAccepted() { catalogue.expectReferenceAccepted() }
    @Test func wrongAnswersAreRejected() { catalogue.expectWrongAnswersRejected() }
    @Test func everyWrongAnswerIsListed() throws { try catalogue.expectCatalogueComplete() }
}
