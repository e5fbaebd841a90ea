import Checks21
import ExerciseSupport
import Reference21
import Shared
import Testing
import Wrong21_captures_the_layer
import Wrong21_containers_too
import Wrong21_describes_the_module
import Wrong21_direct_children_only
import Wrong21_first_batch_only
import Wrong21_first_shape_cached
import Wrong21_last_layer_only
import Wrong21_not_sequential_is_layer
import Wrong21_parameters_only
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
                "first-shape-cached", because: "with that run's shapes",
                answer { Wrong21_first_shape_cached.addShapeHooks(to: $0, write: $1) }),
            WrongAnswer(
                "not-sequential-is-layer", because: "not only a Sequential",
                answer { Wrong21_not_sequential_is_layer.addShapeHooks(to: $0, write: $1) }),
            WrongAnswer(
                "parameters-only", because: "a layer with no parameters",
                answer { Wrong21_parameters_only.addShapeHooks(to: $0, write: $1) }),
            WrongAnswer(
                "first-batch-only", because: "not only the first time",
                answer { Wrong21_first_batch_only.addShapeHooks(to: $0, write: $1) }),
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
