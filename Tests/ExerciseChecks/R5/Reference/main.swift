// `make solution N=R5`: the checks of exercise R5 against the reference answer in Solutions/.
import ChecksR5
import ExerciseSupport
import ReferenceR5

runChecks(
    exercise: "R5", checks(LabelSmoothingAnswer(loss: { eps in LabelSmoothingCrossEntropy(eps: eps).callAsFunction })))
