import ChecksR1
import ExerciseSupport
import ReferenceR1
import Testing
import WrongR1_no_downsample_on_stride
import WrongR1_no_shortcut_add
import WrongR1_no_stem_relu
import WrongR1_norms_in_array
import WrongR1_relu_after_linear
import WrongR1_relu_before_add
import WrongR1_shortcut_without_stride
import WrongR1_stem_relu_before_norm
import WrongR1_stride_on_second_conv
import WrongR1_three_blocks_per_stage
import WrongR1_three_by_three_stem
import WrongR1_widths_grow_linearly

/// Exercise R1's checks against its reference answer and its known-wrong answers.
@Suite("Exercise R1: known-wrong answers are rejected, the reference accepted")
struct WrongAnswersR1 {
    let catalogue = WrongAnswerCatalogue(
        exercise: "R1",
        reference: {
            checks(
                ResNet18Answer(
                    basicBlock: { ReferenceR1.BasicBlock($0, $1, stride: $2, norm: $3) },
                    resnet18: { ReferenceR1.resnet18(numClasses: $0, width: $1, norm: $2) }))
        },
        wrong: [
            WrongAnswer(
                "no-shortcut-add", because: "does not depend on the shortcut path: is the input added?",
                checks(
                    ResNet18Answer(
                        basicBlock: { WrongR1_no_shortcut_add.BasicBlock($0, $1, stride: $2, norm: $3) },
                        resnet18: { WrongR1_no_shortcut_add.resnet18(numClasses: $0, width: $1, norm: $2) }))),
            WrongAnswer(
                "relu-before-add", because: "ReLU in the wrong place",
                checks(
                    ResNet18Answer(
                        basicBlock: { WrongR1_relu_before_add.BasicBlock($0, $1, stride: $2, norm: $3) },
                        resnet18: { WrongR1_relu_before_add.resnet18(numClasses: $0, width: $1, norm: $2) }))),
            WrongAnswer(
                "no-downsample-on-stride", because: "its shortcut needs a 1×1 convolution",
                checks(
                    ResNet18Answer(
                        basicBlock: { WrongR1_no_downsample_on_stride.BasicBlock($0, $1, stride: $2, norm: $3) },
                        resnet18: { WrongR1_no_downsample_on_stride.resnet18(numClasses: $0, width: $1, norm: $2) }))),
            WrongAnswer(
                "shortcut-without-stride", because: "and to the shortcut's 1×1 convolution",
                checks(
                    ResNet18Answer(
                        basicBlock: { WrongR1_shortcut_without_stride.BasicBlock($0, $1, stride: $2, norm: $3) },
                        resnet18: { WrongR1_shortcut_without_stride.resnet18(numClasses: $0, width: $1, norm: $2) }))),
            WrongAnswer(
                "stride-on-second-conv", because: "the block's stride belongs to its first 3×3 convolution",
                checks(
                    ResNet18Answer(
                        basicBlock: { WrongR1_stride_on_second_conv.BasicBlock($0, $1, stride: $2, norm: $3) },
                        resnet18: { WrongR1_stride_on_second_conv.resnet18(numClasses: $0, width: $1, norm: $2) }))),
            WrongAnswer(
                "widths-grow-linearly", because: "the widths (64, 128, 256, 512)",
                checks(
                    ResNet18Answer(
                        basicBlock: { WrongR1_widths_grow_linearly.BasicBlock($0, $1, stride: $2, norm: $3) },
                        resnet18: { WrongR1_widths_grow_linearly.resnet18(numClasses: $0, width: $1, norm: $2) }))),
            WrongAnswer(
                "three-by-three-stem", because: "convolutions missing: [[64, 3, 7, 7]]",
                checks(
                    ResNet18Answer(
                        basicBlock: { WrongR1_three_by_three_stem.BasicBlock($0, $1, stride: $2, norm: $3) },
                        resnet18: { WrongR1_three_by_three_stem.resnet18(numClasses: $0, width: $1, norm: $2) }))),
            WrongAnswer(
                "three-blocks-per-stage", because: "two blocks per stage",
                checks(
                    ResNet18Answer(
                        basicBlock: { WrongR1_three_blocks_per_stage.BasicBlock($0, $1, stride: $2, norm: $3) },
                        resnet18: { WrongR1_three_blocks_per_stage.resnet18(numClasses: $0, width: $1, norm: $2) }))),
            WrongAnswer(
                "no-stem-relu", because: "no ReLU follows it before the stages",
                checks(
                    ResNet18Answer(
                        basicBlock: { WrongR1_no_stem_relu.BasicBlock($0, $1, stride: $2, norm: $3) },
                        resnet18: { WrongR1_no_stem_relu.resnet18(numClasses: $0, width: $1, norm: $2) }))),
            WrongAnswer(
                "relu-after-linear", because: "is a ReLU or softmax applied after it?",
                checks(
                    ResNet18Answer(
                        basicBlock: { WrongR1_relu_after_linear.BasicBlock($0, $1, stride: $2, norm: $3) },
                        resnet18: { WrongR1_relu_after_linear.resnet18(numClasses: $0, width: $1, norm: $2) }))),
            WrongAnswer(
                "stem-relu-before-norm", because: "the stem should be convolution, norm, ReLU, max pool",
                checks(
                    ResNet18Answer(
                        basicBlock: { WrongR1_stem_relu_before_norm.BasicBlock($0, $1, stride: $2, norm: $3) },
                        resnet18: { WrongR1_stem_relu_before_norm.resnet18(numClasses: $0, width: $1, norm: $2) }))),
            WrongAnswer(
                "norms-in-array", because: "modules kept in an array need registerModules",
                checks(
                    ResNet18Answer(
                        basicBlock: { WrongR1_norms_in_array.BasicBlock($0, $1, stride: $2, norm: $3) },
                        resnet18: { WrongR1_norms_in_array.resnet18(numClasses: $0, width: $1, norm: $2) })))
        ])

    @Test func referenceIsAccepted() { catalogue.expectReferenceAccepted() }
    @Test func wrongAnswersAreRejected() { catalogue.expectWrongAnswersRejected() }
    @Test func everyWrongAnswerIsListed() throws { try catalogue.expectCatalogueComplete() }
}
